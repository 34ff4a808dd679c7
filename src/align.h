/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Passages: anchors for finding candidate document pairs, and the alignment
 * of two normalized texts into maximal shared passages with exact spans.
 */
#ifndef ND_ALIGN_H
#define ND_ALIGN_H

#include <stddef.h>
#include <stdint.h>

#include "internal.h"

/* Alignment parameters, in normalized characters. */
typedef struct nd_align_params {
    int min_run;     /* shortest exact common run used (seed length) */
    int core_run;    /* a passage holds at least one run this long */
    int max_gap;     /* largest unmatched gap bridged, on either side */
    int min_passage; /* matched characters a passage needs */
    int max_occ;     /* seeds repeated more often in b are ignored */
    int fuzzy_len;   /* also a passage: this many matched characters... */
    double fuzzy_sim; /* ...at this similarity (edited copies) */
    int merge_gap;   /* passages this close on both sides are joined */
} nd_align_params;

void nd_align_default_params(nd_align_params *p, int min_passage);

/* A passage: characters [a0, a1) of a match [b0, b1) of b. */
typedef struct nd_span {
    uint32_t a0, a1, b0, b1;
    uint32_t matched; /* characters inside exact common runs */
    uint32_t fuzzy;   /* 1: accepted by the edited-copy rule only */
} nd_span;

typedef ND_VEC(nd_span) nd_span_vec;

/* Reusable buffers for nd_align (one per thread). */
typedef struct nd_aligner nd_aligner;
int nd_aligner_new(nd_aligner **out);
void nd_aligner_free(nd_aligner *al);

/*
 * Kernels of the gram stage (hashing the grams of 16-bit texts for the
 * default min_run of 5, and testing b's against a's bloom filter), for
 * tests and benchmarks: all give the same spans.  A new aligner takes
 * ND_ALIGN_AUTO's: AVX-512 when nd_use_avx512 allows (util.h).
 */
enum { ND_ALIGN_AUTO, ND_ALIGN_SCALAR, ND_ALIGN_AVX512 };

/* Can kernel @p impl run here (built in, and the CPU has what it needs)? */
int nd_align_has(int impl);

/* The kernel @p al uses (ND_ALIGN_SCALAR or ND_ALIGN_AVX512). */
int nd_aligner_impl(const nd_aligner *al);

/* Make @p al use kernel @p impl, which nd_align_has must allow. */
void nd_aligner_use(nd_aligner *al, int impl);

/*
 * Find the passages shared by texts a (na code points) and b: exact common
 * runs of at least min_run characters, chained along their diagonal while
 * the gaps between runs stay within max_gap characters on both sides;
 * chains with min_passage matched characters and a core run are passages.
 * Appends to @p out in order of a0.  Returns ND_OK or ND_ENOMEM.
 */
int nd_align(nd_aligner *al, const nd_align_params *p, const uint32_t *a,
             size_t na, const uint32_t *b, size_t nb, nd_span_vec *out);

/* A text for nd_align_text: n characters of 16 bits (c16, every one in
 * the BMP) or else of 32 bits (c32).  A nonzero id names the text: the
 * caller promises that texts given the same id in calls on one aligner
 * are the same, so that a is not compared with the last call's. */
typedef struct nd_atext {
    const uint16_t *c16;
    const uint32_t *c32;
    size_t n;
    uint64_t id;
} nd_atext;

/* Characters [from, to) of document @p d, named @p id (0: none). */
static inline nd_atext nd_doc_atext(const nd_doc *d, size_t from,
                                     size_t to, uint64_t id)
{
    nd_atext t = {NULL, NULL, to - from, id};
    if (d->c16)
        t.c16 = d->c16 + from;
    else if (d->cp) /* an empty text may have none */
        t.c32 = d->cp + from;
    return t;
}

/* nd_align of texts of either width (the same spans as nd_align of
 * their code points). */
int nd_align_text(nd_aligner *al, const nd_align_params *p,
                  const nd_atext *a, const nd_atext *b, nd_span_vec *out);

/* Distinct min_run-grams of b that a has too, in the last nd_align call:
 * the size of the intersection of the two gram sets (0 when a text is
 * shorter than a gram).  Grams are told apart by 64-bit hashes; for
 * min_run up to 6 different grams collide with the odds of two random
 * 64-bit values. */
size_t nd_aligner_shared(const nd_aligner *al);

/*
 * Winnowing (Schleimer et al. 2003): of every window of @p w consecutive
 * hashes, select the minimum (the rightmost on ties), each selected position
 * once.  Any common substring whose hashes span a full window yields a
 * common selection.  Writes positions in increasing order to @p pos
 * (capacity n) and returns their count.
 */
size_t nd_winnow(const uint64_t *h, size_t n, int w, uint32_t *pos);

/* nd_winnow with kernel @p impl (ND_ALIGN_SCALAR, or ND_ALIGN_AVX512 when
 * nd_align_has allows it: 8 windows at a time), for tests: the same
 * positions. */
size_t nd_winnow_impl(int impl, const uint64_t *h, size_t n, int w,
                      uint32_t *pos);

/* Passage anchors: winnowed ND_ANCHOR_LEN-character grams (window
 * ND_ANCHOR_WIN), as the scan and the index select them.  Changing these
 * changes the index format. */
#define ND_ANCHOR_LEN 8
#define ND_ANCHOR_WIN 6

/*
 * Anchors of text @p cp (n characters): @p h receives the gram hashes
 * (capacity n), @p pos the selected positions (capacity n); hash of anchor
 * j is h[pos[j]].  Returns the count (0 for texts shorter than a gram).
 */
size_t nd_anchors(const uint32_t *cp, size_t n, uint64_t *h, uint32_t *pos);

#endif
