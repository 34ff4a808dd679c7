/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * The stages of the corpus scan (scan.c) with explicit inputs and outputs,
 * so that the single-process nd_corpus_scan and the distributed
 * neardup-mpi (src/mpi/) run the same code and write the same bytes.
 *
 *   per document:  nd_scan_sign (shingle set size, MinHash signature) and
 *                  nd_scan_anchors (winnowed anchors);
 *   per bucket:    nd_lsh_candidates / nd_lsh_run_pairs (document LSH) and
 *                  nd_scan_buckets (anchors sorted by hash: their document
 *                  frequencies and the hits they propose);
 *   (nd_scan_anchor_pairs is nd_scan_anchors, nd_scan_buckets and
 *                  nd_scan_hit_pairs in one, on threads, for one process);
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

/*
 * Every anchor of the corpus by (doc, pos), a byte each: what the scan
 * asks of its df (ND_ADF_RARE: at most 2 documents, which span_rare
 * counts; ND_ADF_FREQ: more than max_df, which trimming looks for; the
 * passages' own df comes from their groups, not from here) and its
 * position as the step from the document's anchor before (the first's
 * from 0).  Winnowing selects an anchor in every ND_ANCHOR_WIN grams, so
 * steps are small; a step of ND_ADF_STEP or more is stored as ND_ADF_STEP
 * with the position in far.  Every ND_ADF_CK-th anchor's position is
 * kept, so that a position is found without reading the document's
 * anchors from its start.  About 1.06 bytes an anchor instead of 12.
 */
#define ND_ADF_STEP 0x3f
#define ND_ADF_RARE 0x40
#define ND_ADF_FREQ 0x80
#define ND_ADF_CK 64

typedef struct nd_adf_far {
    size_t i;     /* anchor */
    uint32_t pos; /* its position */
} nd_adf_far;

typedef struct nd_adfs {
    size_t n, nd;   /* anchors, documents */
    uint8_t *b;     /* per anchor: flags | step */
    size_t *first;  /* per document, and one more: its first anchor */
    uint32_t *ck;   /* per ND_ADF_CK anchors: the first one's position */
    ND_VEC(nd_adf_far) far; /* by anchor */
} nd_adfs;

/* The flags of an anchor in @p df documents. */
static inline uint8_t nd_adf_flags(uint32_t df, int max_df)
{
    return (uint8_t)((df <= 2 ? ND_ADF_RARE : 0) |
                     ((int64_t)df > max_df ? ND_ADF_FREQ : 0));
}

/* Build @p st (zeroed) from @p n anchors @p v of documents below @p nd
 * (sorted here by (doc, pos)). */
int nd_adfs_from(nd_adfs *st, nd_adf *v, size_t n, size_t nd, int max_df);

void nd_adfs_free(nd_adfs *st);

/* A walk over a document's anchors (nd_adfs_seek, nd_adfs_next). */
typedef struct nd_adfs_it {
    const nd_adfs *st;
    size_t i, end;  /* the next anchor; the document's end */
    size_t far;     /* first far entry at or after i */
    uint32_t next;  /* position of anchor i (when i < end) */
    uint32_t pos;   /* nd_adfs_next: the anchor's position */
    uint8_t flags;  /*               and its ND_ADF_RARE | ND_ADF_FREQ */
} nd_adfs_it;

/* Start @p it at the first anchor of document @p doc at or after
 * position @p from. */
void nd_adfs_seek(const nd_adfs *st, uint32_t doc, uint32_t from,
                  nd_adfs_it *it);

/* The next anchor into it->pos and it->flags: 1, or 0 at the document's
 * end. */
int nd_adfs_next(nd_adfs_it *it);

/* Shingle set size (*nset) and signature (perm values into @p sig) of
 * @p n code points; the set itself is not kept. */
int nd_scan_sign(const nd_settings *set, const uint32_t *cp, uint32_t n,
                 uint32_t *sig, size_t *nset);

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
 * least 3/5 of min_passage characters match (edits allowed), and, for a
 * pair with fewer than three hits, whose texts around that hit align into
 * a passage; appended to @p out as a << 32 | b, each once.  @p h is
 * sorted in place, and the positions of the hits that fail the diagonal
 * test are overwritten.  @p docs is indexed by document id and needs the text
 * (cp, n) of every document named by a hit.
 */
int nd_scan_hit_pairs(const nd_doc *docs, int min_passage, nd_hit *h,
                      size_t n, nd_u64_vec *out);

/* What nd_scan_anchor_pairs did, for the log. */
typedef struct nd_astats {
    size_t hits;     /* hits proposed */
    size_t passes;   /* passes over ranges of anchor partitions */
    size_t rounds;   /* rounds of hits, in all passes */
    size_t flushes;  /* local tests of deferred hits run before the end,
                        for memory (a hit partition's held more than an
                        eighth of the hit budget over the partitions) */
    double t_winnow; /* seconds spent winnowing the texts */
} nd_astats;

/*
 * nd_scan_anchors of documents 0 .. nd-1, sorted, nd_scan_buckets and
 * nd_scan_hit_pairs on @p threads threads (0: all cores), as one stage:
 * every anchor to @p adfs (zeroed), and the pairs the hits propose
 * appended to @p pairs (each once, any order).  The anchors and hits
 * held at once are cut into passes and rounds of at most @p budget / 2
 * bytes each (0: a byte a character of the texts, or 1 MB if more;
 * a hash partition of the anchors, 1/256, at least).  *st gets the
 * counts.  The same output for any thread count and budget.
 * ND_ETOOBIG when there are 2^32 anchors or more (take the stages one by
 * one then).
 */
int nd_scan_anchor_pairs(const nd_doc *docs, size_t nd, int max_df,
                         int min_passage, int threads, size_t budget,
                         nd_adfs *adfs, nd_u64_vec *pairs, nd_astats *st);

/* What the first stages produced for the whole corpus, taken over (and
 * freed) by nd_scan_finish, also on failure. */
typedef struct nd_scan_input {
    size_t *nsets;     /* per document: shingle set size (verification
                          counts shared shingles from the texts) */
    uint32_t *sigs;    /* perm values per document */
    nd_docpair *lsh;   /* document LSH pairs, each once, any order */
    size_t nlsh;
    nd_adfs store;     /* every anchor (nd_scan_anchor_pairs), */
    nd_adf_vec adfs;   /* or every anchor with its df, any order */
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
 * (docs indexed by id, n = 0 elsewhere), and in->nsets, sigs and
 * adfs only those of the documents the candidates name (adfs: every
 * anchor of each candidate's first document).  Found pairs and passages
 * go to @p out (free with nd_vec_free).
 */
int nd_scan_verify(nd_corpus *c, nd_scan_input *in, nd_scan_found *out);

/* What a record needs of the characters [c0, c1) of a document. */
enum { ND_SPAN_TEXT = 1, ND_SPAN_CHARS = 2, ND_SPAN_POS = 4 };

typedef struct nd_span_q {
    uint32_t doc, c0, c1; /* the question: characters [c0, c1) of doc */
    uint32_t want;        /* ND_SPAN_*: what besides the bytes */
    uint64_t start, end;  /* answer: bytes in the file (as records say) */
    uint32_t chars;       /* ND_SPAN_CHARS: characters inside the bytes */
    char *text;           /* ND_SPAN_TEXT: the original text (nd_malloc) */
    nd_position pos[2];   /* ND_SPAN_POS: where start and end lie */
} nd_span_q;

/* Answer @p q from document @p id of @p c (which holds its text), quoting
 * through the files held open in @p rd (NULL: open the file each time). */
int nd_scan_span(nd_corpus *c, nd_reader *rd, uint32_t id, nd_span_q *q);

/* Cut boilerplate passage @p r to the stretch its frequent anchors cover,
 * given document a's anchors @p adfs (@p n, by position). */
void nd_scan_trim(const nd_settings *set, const nd_adf *adfs, size_t n,
                  nd_pres *r);

/*
 * Where the report gets what it does not hold.  NULL callbacks: from @p c
 * (texts) and from the anchors passed to nd_scan_report (trimming).
 *   trim:   trim the @p n boilerplate passages @p r (nd_scan_trim).
 *   spans:  answer the @p n questions @p q (start, end, and what each
 *           wants; q->want is left as it is).  A first pass over the
 *           records lists their questions in record order; the second
 *           pass asks them @p window at a time (0: all at once) as the
 *           records need them, so only one window of quoted text is held.
 */
typedef struct nd_scan_src {
    int (*trim)(void *user, nd_pres *r, size_t n);
    int (*spans)(void *user, nd_span_q *q, size_t n);
    void *user;
    size_t window;
} nd_scan_src;

/*
 * The second half: passage groups, boilerplate, pair summaries and every
 * record, from the verification output of all candidates (@p found, taken
 * over) and every anchor of the corpus (@p adfs, taken over; may be empty
 * when @p src trims).  @p c holds every document (metadata, and texts
 * unless @p src answers spans).  *st gets the counts; its times are left
 * as given.
 */
int nd_scan_report(nd_corpus *c, nd_adf_vec *adfs, nd_scan_found *found,
                   const nd_scan_src *src, nd_record_fn fn, void *user,
                   nd_stats *st);

#endif
