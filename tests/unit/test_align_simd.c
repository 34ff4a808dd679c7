/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Unit tests of the aligner's gram kernels (align.c): with the AVX-512
 * kernels an aligner finds the spans and shared gram counts the scalar
 * kernels find, on pairs of 16-bit texts of every length from 0 to 80
 * (the vector loops' tails) and random ones up to 5,000 characters that
 * share copied and edited passages, with a's table kept and rebuilt; the
 * AVX-512 winnowing selects the scalar one's positions; and
 * ND_SIMD=scalar makes new aligners scalar.  Without AVX-512 on this CPU
 * the comparison is skipped with a message; the rest still runs.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "src/align.h"
#include "test.h"

#define MAX_N 5000

static uint16_t ta[MAX_N + 16], tb[MAX_N + 16];

/* @p n characters from an alphabet of @p alpha ideographs: a small one
 * repeats grams (several positions per gram, max_occ), a large one
 * hardly. */
static void fill(uint16_t *t, size_t n, unsigned alpha, uint64_t *s)
{
    for (size_t i = 0; i < n; i++)
        t[i] = (uint16_t)(0x4E00 + test_rand(s) % alpha);
}

/* Copy @p len characters of a from @p from into b at @p to, every
 * @p edit-th one changed (0: none). */
static void plant(size_t from, size_t to, size_t len, unsigned edit,
                  uint64_t *s)
{
    for (size_t i = 0; i < len; i++)
        tb[to + i] = edit && test_rand(s) % edit == 0
                         ? (uint16_t)(0x3400 + i % 64)
                         : ta[from + i];
}

static nd_aligner *sc, *vx;
static nd_span_vec s1, s2;

/* Both aligners on a (named @p id) and b; 1 when they agree. */
static int same(size_t na, size_t nb, uint64_t id)
{
    nd_align_params p;
    nd_align_default_params(&p, 30);
    nd_atext a = {ta, NULL, na, id}, b = {tb, NULL, nb, 0};
    s1.n = s2.n = 0;
    CHECK_EQ_INT(nd_align_text(sc, &p, &a, &b, &s1), ND_OK);
    CHECK_EQ_INT(nd_align_text(vx, &p, &a, &b, &s2), ND_OK);
    if (s1.n != s2.n ||
        (s1.n && memcmp(s1.v, s2.v, s1.n * sizeof *s1.v)) ||
        nd_aligner_shared(sc) != nd_aligner_shared(vx)) {
        fprintf(stderr, "na %zu nb %zu: scalar %zu spans, %zu shared; "
                "avx512 %zu spans, %zu shared\n", na, nb, s1.n,
                nd_aligner_shared(sc), s2.n, nd_aligner_shared(vx));
        return 0;
    }
    return 1;
}

static void test_kernels_agree(void)
{
    uint64_t s = 20261121;
    size_t spans = 0, shared = 0, trials = 0;
    CHECK_EQ_INT(nd_aligner_new(&sc), ND_OK);
    CHECK_EQ_INT(nd_aligner_new(&vx), ND_OK);
    nd_aligner_use(sc, ND_ALIGN_SCALAR);
    nd_aligner_use(vx, ND_ALIGN_AVX512);
    CHECK_EQ_INT(nd_aligner_impl(vx), ND_ALIGN_AVX512);
    /* Every pair of short lengths: b shares a's first characters. */
    for (size_t na = 0; na <= 80; na++)
        for (size_t nb = 0; nb <= 80; nb++) {
            fill(ta, na, 40, &s);
            fill(tb, nb, 40, &s);
            size_t k = na < nb ? na : nb;
            plant(0, 0, k / 2 + k / 4, 0, &s);
            CHECK(same(na, nb, 0));
            spans += s1.n;
            shared += nd_aligner_shared(sc);
        }
    /* Long texts with passages, some edited; a kept for a few b. */
    for (int t = 0; t < 300; t++) {
        size_t na = 1 + test_rand(&s) % MAX_N;
        fill(ta, na, t % 2 ? 3000 : 200, &s);
        for (int r = 0; r < 4; r++) {
            size_t nb = 1 + test_rand(&s) % MAX_N;
            fill(tb, nb, t % 2 ? 3000 : 200, &s);
            for (int c = 0; c < 3; c++) {
                size_t len = 20 + test_rand(&s) % 300;
                if (len > na || len > nb)
                    continue;
                size_t at_a = test_rand(&s) % (na - len + 1);
                size_t at_b = test_rand(&s) % (nb - len + 1);
                unsigned edit = c ? 8 + (unsigned)(test_rand(&s) % 20) : 0;
                plant(at_a, at_b, len, edit, &s);
            }
            CHECK(same(na, nb, (uint64_t)t + 1));
            spans += s1.n;
            trials++;
        }
    }
    /* Not vacuous: the texts share passages and grams. */
    CHECK(spans > 500);
    CHECK(shared > 1000);
    printf("AVX-512 and scalar agree on %zu pairs (%zu spans)\n",
           81 * 81 + trials, spans);
    nd_aligner_free(sc);
    nd_aligner_free(vx);
    nd_vec_free(&s1);
    nd_vec_free(&s2);
}

/* Winnowing: the AVX-512 kernel selects the scalar one's positions, on
 * hashes with many ties (the rightmost minimum) and without, every length
 * up to 100 and window 1 to 12. */
static void test_winnow_agree(void)
{
    static uint64_t h[400];
    static uint32_t p1[400], p2[400];
    uint64_t s = 7;
    size_t sel = 0;
    for (int t = 0; t < 3; t++)
        for (size_t n = 0; n <= 100; n++)
            for (int w = 1; w <= 12; w++) {
                for (size_t i = 0; i < n; i++)
                    h[i] = t == 0 ? test_rand(&s) : t == 1 ? test_rand(&s) % 4
                                                     : test_rand(&s) % 1000;
                size_t k1 = nd_winnow_impl(ND_ALIGN_SCALAR, h, n, w, p1);
                size_t k2 = nd_winnow_impl(ND_ALIGN_AVX512, h, n, w, p2);
                CHECK(k1 == k2 && !memcmp(p1, p2, k1 * sizeof *p1));
                sel += k1;
            }
    CHECK(sel > 10000);
    printf("AVX-512 and scalar winnowing select the same %zu positions\n",
           sel);
}

int main(void)
{
    /* Before the first aligner: the kernel is chosen once. */
    setenv("ND_SIMD", "scalar", 1);
    nd_aligner *al;
    CHECK_EQ_INT(nd_aligner_new(&al), ND_OK);
    CHECK_EQ_INT(nd_aligner_impl(al), ND_ALIGN_SCALAR);
    nd_aligner_free(al);
    CHECK(nd_align_has(ND_ALIGN_SCALAR));
    if (!nd_align_has(ND_ALIGN_AVX512)) {
        printf("SKIP (AVX-512 half): this CPU or build has no AVX-512; the "
               "scalar kernels alone were tested\n");
        return 0;
    }
    test_kernels_agree();
    test_winnow_agree();
    return 0;
}
