/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Fuzz target: passage alignment of two texts (nd_align).  Byte 0 sets the
 * minimum passage length (1 to 64), byte 1 the alphabet: the rest is split
 * at its first 0xFF byte into a and b, and each byte becomes a code point
 * of a small alphabet (many repeats, so runs, chains and the max_occ cut
 * are all exercised) or of a large one.  One aligner is reused across
 * inputs, as the scanner does.
 * Bit 1 of byte 1 puts every odd byte's character above U+FFFF (same low
 * 16 bits as its BMP twin).
 * Properties: spans are non-empty, inside both texts, ordered by a0 then
 * b0; matched characters never exceed either side's length; a passage
 * satisfies the rule that accepted it; the same call twice gives the same
 * spans, and so do the texts in 16 bits (nd_align_text, when all in the
 * BMP), a in 16 bits and b in 32 too; and a text aligned with itself finds
 * itself when long enough.
 */
#include <string.h>

#include "fuzz.h"
#include "src/align.h"

static nd_aligner *al;

static void check(const nd_align_params *p, const nd_span_vec *v, size_t na,
                  size_t nb)
{
    for (size_t i = 0; i < v->n; i++) {
        const nd_span *s = &v->v[i];
        FUZZ_CHECK(s->a0 < s->a1 && s->a1 <= na);
        FUZZ_CHECK(s->b0 < s->b1 && s->b1 <= nb);
        FUZZ_CHECK(s->matched <= s->a1 - s->a0 &&
                   s->matched <= s->b1 - s->b0);
        FUZZ_CHECK(i == 0 || v->v[i - 1].a0 < s->a0 ||
                   (v->v[i - 1].a0 == s->a0 && v->v[i - 1].b0 <= s->b0));
        uint32_t span = ND_MAX(s->a1 - s->a0, s->b1 - s->b0);
        FUZZ_CHECK(s->fuzzy ? span >= (uint32_t)p->fuzzy_len &&
                                  s->matched >= p->fuzzy_sim * span
                            : s->matched >= (uint32_t)p->min_passage);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!al)
        FUZZ_OK(nd_aligner_new(&al));
    fuzz_in in = {data, size};
    nd_align_params p;
    nd_align_default_params(&p, 1 + (int)(fuzz_byte(&in) % 64));
    unsigned alpha = fuzz_byte(&in);
    uint32_t *t = nd_malloc((in.n + 1) * sizeof *t);
    FUZZ_CHECK(t);
    size_t na = in.n;
    for (size_t i = 0; i < in.n; i++) {
        if (in.p[i] == 0xFF && na == in.n) {
            na = i;
            t[i] = 0;
            continue;
        }
        t[i] = alpha & 1 ? 0x4E00 + in.p[i] % 4 : 0x4E00 + in.p[i];
        if (alpha & 2 && in.p[i] & 1) /* above U+FFFF, same low bits */
            t[i] += 0x20000;
    }
    const uint32_t *a = t, *b = na < in.n ? t + na + 1 : t;
    size_t nb = na < in.n ? in.n - na - 1 : in.n;
    nd_span_vec v = {0}, w = {0};
    FUZZ_OK(nd_align(al, &p, a, na, b, nb, &v));
    check(&p, &v, na, nb);
    FUZZ_OK(nd_align(al, &p, a, na, b, nb, &w));
    FUZZ_CHECK(v.n == w.n && (!v.n || !memcmp(v.v, w.v, v.n * sizeof *v.v)));
    if (!(alpha & 2)) { /* the same texts in 16 bits: the same spans */
        uint16_t *t16 = nd_malloc((in.n + 1) * sizeof *t16);
        FUZZ_CHECK(t16);
        for (size_t i = 0; i < in.n; i++)
            t16[i] = (uint16_t)t[i];
        nd_atext a16 = {t16, NULL, na, 0};
        nd_atext b16 = {t16 + (b - t), NULL, nb, 0};
        nd_atext b32 = {NULL, b, nb, 0};
        w.n = 0;
        FUZZ_OK(nd_align_text(al, &p, &a16, &b16, &w));
        FUZZ_CHECK(v.n == w.n &&
                   (!v.n || !memcmp(v.v, w.v, v.n * sizeof *v.v)));
        w.n = 0;
        FUZZ_OK(nd_align_text(al, &p, &a16, &b32, &w));
        FUZZ_CHECK(v.n == w.n &&
                   (!v.n || !memcmp(v.v, w.v, v.n * sizeof *v.v)));
        nd_free(t16);
    }
    /* a against itself: a text of distinct characters is one passage. */
    w.n = 0;
    FUZZ_OK(nd_align(al, &p, a, na, a, na, &w));
    check(&p, &w, na, na);
    int distinct = na <= 256 && !(alpha & 1);
    uint8_t seen[256] = {0};
    for (size_t i = 0; distinct && i < na; i++)
        distinct = !seen[in.p[i]]++;
    if (distinct && na >= (size_t)ND_MAX(p.min_passage, p.core_run))
        FUZZ_CHECK(w.n == 1 && w.v[0].a0 == 0 && w.v[0].a1 == na &&
                   w.v[0].b0 == 0 && w.v[0].matched == na);
    nd_vec_free(&v);
    nd_vec_free(&w);
    nd_free(t);
    return 0;
}
