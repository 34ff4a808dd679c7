/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Alignment: planted passages in random texts must come back with exact
 * spans when copied verbatim and mostly covered when edited; nothing comes
 * back from unrelated or degenerate texts.
 */
#include "test.h"

#include "align.h"

static uint64_t seed = 42;

/* Random "Chinese" text: code points from a block of 3000 ideographs,
 * starting at @p base so that fillers of different texts never match. */
static void fill(uint32_t *t, size_t n, uint32_t base)
{
    for (size_t i = 0; i < n; i++)
        t[i] = base + (uint32_t)(test_rand(&seed) % 3000);
}

static nd_aligner *al;
static nd_align_params P;

static size_t align(const uint32_t *a, size_t na, const uint32_t *b,
                    size_t nb, nd_span_vec *out)
{
    out->n = 0;
    CHECK(nd_align(al, &P, a, na, b, nb, out) == ND_OK);
    return out->n;
}

/* Verbatim copies: exact spans, wherever the passage sits. */
static void test_verbatim(void)
{
    static uint32_t a[2000], b[2000], p[300];
    nd_span_vec s = {0};
    const size_t lens[] = {30, 40, 120, 300};
    for (size_t li = 0; li < 4; li++) {
        size_t L = lens[li];
        fill(p, L, 0x8000);
        /* placements: middle, start of both, end of both */
        const size_t at_a[] = {500, 0, 2000 - L}, at_b[] = {900, 0, 1500 - L};
        for (int k = 0; k < 3; k++) {
            fill(a, 2000, 0x4E00);
            fill(b, 1500, 0x5E00);
            memcpy(a + at_a[k], p, L * sizeof *p);
            memcpy(b + at_b[k], p, L * sizeof *p);
            CHECK_EQ_INT(align(a, 2000, b, 1500, &s), 1);
            CHECK_EQ_INT(s.v[0].a0, at_a[k]);
            CHECK_EQ_INT(s.v[0].a1, at_a[k] + L);
            CHECK_EQ_INT(s.v[0].b0, at_b[k]);
            CHECK_EQ_INT(s.v[0].b1, at_b[k] + L);
            CHECK_EQ_INT(s.v[0].matched, L);
        }
    }
    /* Shorter than min_passage: nothing. */
    fill(a, 2000, 0x4E00);
    fill(b, 1500, 0x5E00);
    fill(p, 29, 0x8000);
    memcpy(a + 100, p, 29 * sizeof *p);
    memcpy(b + 100, p, 29 * sizeof *p);
    CHECK_EQ_INT(align(a, 2000, b, 1500, &s), 0);
    nd_vec_free(&s);
}

/* A passage copied twice into a is found twice; two different passages
 * are two spans in order. */
static void test_repeated(void)
{
    static uint32_t a[3000], b[2000], p[100], q[80];
    nd_span_vec s = {0};
    fill(a, 3000, 0x4E00);
    fill(b, 2000, 0x5E00);
    fill(p, 100, 0x8000);
    fill(q, 80, 0x8000);
    memcpy(a + 200, p, sizeof p);
    memcpy(a + 2500, p, sizeof p);
    memcpy(b + 700, p, sizeof p);
    memcpy(a + 1200, q, sizeof q);
    memcpy(b + 100, q, sizeof q);
    CHECK_EQ_INT(align(a, 3000, b, 2000, &s), 3);
    CHECK_EQ_INT(s.v[0].a0, 200);
    CHECK_EQ_INT(s.v[0].b0, 700);
    CHECK_EQ_INT(s.v[1].a0, 1200);
    CHECK_EQ_INT(s.v[1].b0, 100);
    CHECK_EQ_INT(s.v[2].a0, 2500);
    CHECK_EQ_INT(s.v[2].b0, 700);
    nd_vec_free(&s);
}

/* Share of [lo, hi) covered by spans on one side. */
static double coverage(const nd_span_vec *s, int side_b, size_t lo, size_t hi)
{
    size_t cov = 0;
    for (size_t x = lo; x < hi; x++)
        for (size_t i = 0; i < s->n; i++) {
            uint32_t s0 = side_b ? s->v[i].b0 : s->v[i].a0;
            uint32_t s1 = side_b ? s->v[i].b1 : s->v[i].a1;
            if (x >= s0 && x < s1) {
                cov++;
                break;
            }
        }
    return (double)cov / (double)(hi - lo);
}

/* 10% of the copy's characters substituted: at least 90% of the span
 * covered on both sides, for passages of 40 to 300 characters; the share
 * of trials that succeed is reported and must be high. */
static void test_edited(void)
{
    static uint32_t a[2000], b[2000], p[300];
    nd_span_vec s = {0};
    const size_t lens[] = {40, 60, 100, 200, 300};
    for (size_t li = 0; li < 5; li++) {
        size_t L = lens[li], ok = 0, trials = 200;
        double sum = 0;
        for (size_t t = 0; t < trials; t++) {
            fill(a, 2000, 0x4E00);
            fill(b, 2000, 0x5E00);
            fill(p, L, 0x8000);
            memcpy(a + 600, p, L * sizeof *p);
            memcpy(b + 800, p, L * sizeof *p);
            /* substitute exactly 10% of the copy's characters, at random
             * distinct positions */
            size_t subs = L / 10;
            for (size_t k = 0; k < subs;) {
                size_t at = 800 + (size_t)(test_rand(&seed) % L);
                if (b[at] >= 0x9000)
                    continue;
                b[at] = 0x9000 + (uint32_t)k;
                k++;
            }
            align(a, 2000, b, 2000, &s);
            double ca = coverage(&s, 0, 600, 600 + L);
            double cb = coverage(&s, 1, 800, 800 + L);
            double c = ca < cb ? ca : cb;
            sum += c;
            ok += c >= 0.9;
        }
        printf("edited 10%%, %zu chars: %.0f%% of trials >= 90%% covered, "
               "mean coverage %.3f\n", L, 100.0 * ok / trials, sum / trials);
        /* A 40-character copy with 4 substitutions keeps runs of about 8
         * characters: some fall below the seed length.  Longer copies must
         * be found essentially always. */
        CHECK(sum / trials >= (L >= 60 ? 0.9 : 0.8));
        CHECK(ok >= trials * (L >= 100 ? 0.85 : 0.75));
    }
    nd_vec_free(&s);
}

/* Unrelated texts, empty texts, and texts of one repeated character. */
static void test_degenerate(void)
{
    static uint32_t a[5000], b[5000];
    nd_span_vec s = {0};
    fill(a, 5000, 0x4E00);
    fill(b, 5000, 0x5E00);
    CHECK_EQ_INT(align(a, 5000, b, 5000, &s), 0);
    CHECK_EQ_INT(align(a, 0, b, 5000, &s), 0);
    CHECK_EQ_INT(align(a, 5, b, 5, &s), 0);
    for (size_t i = 0; i < 5000; i++)
        a[i] = b[i] = 0x4E00;
    /* Every seed repeats thousands of times: skipped, so the work stays
     * linear and nothing is claimed. */
    CHECK_EQ_INT(align(a, 5000, b, 5000, &s), 0);
    nd_vec_free(&s);
}

static void test_winnow(void)
{
    uint64_t h[100];
    uint32_t pos[100];
    for (size_t i = 0; i < 100; i++)
        h[i] = test_rand(&seed);
    size_t n = nd_winnow(h, 100, 6, pos);
    CHECK(n > 100 / 6);
    for (size_t i = 1; i < n; i++)
        CHECK(pos[i] > pos[i - 1]);
    /* Every window of 6 holds a selected position, and that position is
     * the window's minimum. */
    for (size_t w = 0; w + 6 <= 100; w++) {
        size_t mi = w;
        for (size_t j = w; j < w + 6; j++)
            if (h[j] <= h[mi])
                mi = j;
        int found = 0;
        for (size_t i = 0; i < n; i++)
            found |= pos[i] == mi;
        CHECK(found);
    }
    CHECK_EQ_INT(nd_winnow(h, 0, 6, pos), 0);
    CHECK_EQ_INT(nd_winnow(h, 3, 6, pos), 1);
}

int main(void)
{
    CHECK(nd_aligner_new(&al) == ND_OK);
    nd_align_default_params(&P, 30);
    test_verbatim();
    test_repeated();
    test_edited();
    test_degenerate();
    test_winnow();
    nd_aligner_free(al);
    return 0;
}
