/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * The stages of the corpus scan (scan.c) with explicit inputs and outputs,
 * so that the single-process nd_corpus_scan and the distributed
 * neardup-mpi (src/mpi/) run the same code and write the same bytes.
 *
 *   per document:  nd_scan_sign (shingle set, MinHash signature) and
 *                  nd_scan_anchors (winnowed anchors);
 *   per bucket:    nd_lsh_candidates / nd_lsh_run_pairs (document LSH) and
 *                  nd_scan_buckets (anchors sorted by hash: their document
 *                  frequencies and the hits they propose);
 *   the rest:      nd_scan_finish (hit filter, verification, alignment,
 *                  passage groups, records), given the whole corpus.
 *
 * Every stage's output is a set (sorted by its consumer), so the order in
 * which the pieces arrive does not change the result.  Not installed.
 */
#ifndef ND_SCAN_H
#define ND_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "align.h"
#include "internal.h"
#include "lsh.h"

#define ND_SCAN_LSH_CAP 100 /* document buckets larger than this: stars */
#define ND_SCAN_PAIR_CAP 20 /* anchors in more documents pair as a star */

typedef struct nd_anchor {
    uint64_t h;
    uint32_t doc, pos;
} nd_anchor;

typedef struct nd_hit { /* an anchor shared by documents a < b */
    uint64_t pair;      /* a << 32 | b */
    uint32_t pa, pb;    /* its positions in a and b */
} nd_hit;

typedef struct nd_adf { /* an anchor with its document frequency */
    uint32_t doc, pos, df;
} nd_adf;

typedef ND_VEC(nd_anchor) nd_anchor_vec;
typedef ND_VEC(nd_hit) nd_hit_vec;
typedef ND_VEC(nd_adf) nd_adf_vec;

/* Shingle set (sorted, new array in *hset, nd_free; not kept when @p hset
 * is NULL), its size (*nset) and signature (perm values into @p sig) of
 * @p n code points. */
int nd_scan_sign(const nd_settings *set, const uint32_t *cp, uint32_t n,
                 uint32_t *sig, uint64_t **hset, size_t *nset);

/* Append the anchors of document @p doc (text @p cp, @p n characters) to
 * @p out, in text order. */
int nd_scan_anchors(const uint32_t *cp, uint32_t n, uint32_t doc,
                    nd_anchor_vec *out);

/* Order of anchors: (h, doc, pos); for qsort. */
int nd_anchor_cmp(const void *x, const void *y);

/* Walk @p n anchors sorted by nd_anchor_cmp: append each anchor with the
 * number of documents of its hash to @p adfs, and the hits its bucket
 * proposes (all pairs up to max(max_df, ND_SCAN_PAIR_CAP) documents, a
 * star from the first document above) to @p hits.  Every anchor of one
 * hash must be in @p an. */
int nd_scan_buckets(const nd_anchor *an, size_t n, int max_df,
                    nd_adf_vec *adfs, nd_hit_vec *hits);

/*
 * The pairs @p n hits propose: those with a hit along whose diagonal at
 * least min_passage / 2 characters match (edits allowed), appended to
 * @p out as a << 32 | b, each once.  @p h is sorted in place.  @p docs is
 * indexed by document id and needs the text (cp, n) of every document
 * named by a hit.
 */
int nd_scan_hit_pairs(const nd_doc *docs, int min_passage, nd_hit *h,
                      size_t n, nd_u64_vec *out);

/* What the first stages produced for the whole corpus, taken over (and
 * freed) by nd_scan_finish, also on failure. */
typedef struct nd_scan_input {
    uint64_t **sets;   /* per document: sorted shingle set, or NULL:
                          verification then rebuilds what it needs from
                          the texts */
    size_t *nsets;     /* per document: shingle set size */
    uint32_t *sigs;    /* perm values per document */
    nd_docpair *lsh;   /* document LSH pairs, each once, any order */
    size_t nlsh;
    nd_adf_vec adfs;   /* every anchor with its df, any order */
    nd_u64_vec hit_pairs; /* nd_scan_hit_pairs of every hit, any order,
                             repeats allowed */
    double t_sign, t_lsh; /* seconds, for the stats */
} nd_scan_input;

/* Candidates, verification, alignment, passage groups and records of
 * corpus @p c (every document, texts included), as nd_corpus_scan. */
int nd_scan_finish(nd_corpus *c, nd_scan_input *in, nd_record_fn fn,
                   void *user, nd_stats *stats);

/* A passage found between two documents. */
typedef struct nd_pres {
    uint32_t a, b;
    nd_span s;
    uint32_t pair; /* index in the pairs it was found with */
    uint32_t df;   /* documents in its group (set by the report) */
    uint32_t comp; /* group: rank of its union-find component */
    int boiler;
} nd_pres;

/* What verification found: the candidates with passages or proposed by
 * document LSH (the others are not reported), in (a, b) order, and the
 * passages, by pair then position. */
typedef struct nd_scan_found {
    ND_VEC(nd_pair) pairs;
    ND_VEC(nd_pres) pas;
    uint64_t doc_candidates, candidates; /* counts, for the stats */
} nd_scan_found;

/*
 * Verify and align the candidates of @p in (taken over, freed): the
 * first half of nd_scan_finish.  @p c may hold only some documents' texts
 * (docs indexed by id, n = 0 elsewhere), and in->sets, nsets, sigs and
 * adfs only those of the documents the candidates name (adfs: every
 * anchor of each candidate's first document).  Found pairs and passages
 * go to @p out (free with nd_vec_free).
 */
int nd_scan_verify(nd_corpus *c, nd_scan_input *in, nd_scan_found *out);

/*
 * The second half: passage groups, boilerplate, pair summaries and every
 * record, from the verification output of all candidates (@p found, taken
 * over) and every anchor of the corpus (@p adfs, taken over).  @p c holds
 * every document.  *st gets the counts; its times are left as given.
 */
int nd_scan_report(nd_corpus *c, nd_adf_vec *adfs, nd_scan_found *found,
                   nd_record_fn fn, void *user, nd_stats *st);

#endif
