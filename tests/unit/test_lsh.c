/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Unit tests of lsh.c: the band/row choice, band keys, candidate pairs on
 * edge cases (empty corpus, empty signatures, buckets over the cap,
 * allocation failure) and the S-curve of candidate rates on synthetic pairs
 * of known similarity.
 */
#include <xxhash.h>

#include "src/lsh.h"
#include "src/minhash.h"
#include "src/util.h"
#include "test.h"

#define PERM 128

static void test_params(void)
{
    int b, r;
    nd_lsh_params(0.5, PERM, &b, &r);
    CHECK_EQ_INT(b, 25); /* datasketch's _optimal_param agrees */
    CHECK_EQ_INT(r, 5);
    for (int t = 1; t <= 9; t++) {
        nd_lsh_params(t / 10.0, PERM, &b, &r);
        CHECK(b >= 1 && r >= 1 && b * r <= PERM);
    }
    nd_lsh_params(0.9, 16, &b, &r);
    CHECK(b * r <= 16);
    /* the splits nd_lsh_params knows are the search's */
    for (int t = 1; t <= 9; t++)
        for (int perm = 64; perm <= 256; perm *= 2) {
            int sb, sr;
            nd_lsh_params(t / 10.0, perm, &b, &r);
            nd_lsh_search(t / 10.0, perm, &sb, &sr);
            CHECK_EQ_INT(b, sb);
            CHECK_EQ_INT(r, sr);
        }
    CHECK(nd_lsh_prob(0, 25, 5) == 0.0);
    CHECK_NEAR(nd_lsh_prob(1, 25, 5), 1, 1e-12);
    CHECK_NEAR(nd_lsh_prob(0.5, 25, 5), 1 - pow(31.0 / 32, 25), 1e-12);
}

static void test_key(void)
{
    uint32_t sig[PERM];
    uint8_t bytes[20];
    for (int i = 0; i < PERM; i++)
        sig[i] = 0x01020304u * (uint32_t)(i + 1);
    /* Band 3 of 5 rows: values 15..19 as little-endian, seed 3. */
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 4; j++)
            bytes[4 * i + j] = (uint8_t)(sig[15 + i] >> (8 * j));
    CHECK(nd_lsh_key(sig, 3, 5) == XXH3_64bits_withSeed(bytes, 20, 3));
    /* One band of all 128 rows. */
    uint8_t all[4 * PERM];
    for (int i = 0; i < PERM; i++)
        for (int j = 0; j < 4; j++)
            all[4 * i + j] = (uint8_t)(sig[i] >> (8 * j));
    CHECK(nd_lsh_key(sig, 0, PERM) == XXH3_64bits_withSeed(all, 4 * PERM, 0));
    /* Equal rows in different bands give different keys. */
    uint32_t same[10] = {1, 2, 3, 4, 5, 1, 2, 3, 4, 5};
    CHECK(nd_lsh_key(same, 0, 5) != nd_lsh_key(same, 1, 5));
}

static int sorted_unique(const nd_docpair *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i].a >= p[i].b)
            return 0;
        if (i && (p[i - 1].a > p[i].a ||
                  (p[i - 1].a == p[i].a && p[i - 1].b >= p[i].b)))
            return 0;
    }
    return 1;
}

static void random_sig(uint64_t *seed, uint32_t *sig)
{
    uint64_t h[50];
    for (int i = 0; i < 50; i++)
        h[i] = test_rand(seed);
    nd_minhash(h, 50, PERM, sig);
}

static void test_edges(void)
{
    nd_docpair dummy, *p = &dummy; /* must be reset */
    size_t n = 99;
    uint64_t seed = 3;
    static uint32_t sigs[5000 * PERM];

    CHECK_EQ_INT(nd_lsh_candidates(sigs, 0, PERM, 25, 5, 100, &p, &n), ND_OK);
    CHECK(p == NULL && n == 0);

    random_sig(&seed, sigs);
    CHECK_EQ_INT(nd_lsh_candidates(sigs, 1, PERM, 25, 5, 100, &p, &n), ND_OK);
    CHECK_EQ_INT(n, 0);
    nd_free(p);

    /* Empty signatures never pair, not even with each other. */
    nd_minhash(NULL, 0, PERM, sigs);
    nd_minhash(NULL, 0, PERM, sigs + PERM);
    CHECK_EQ_INT(nd_lsh_candidates(sigs, 2, PERM, 25, 5, 100, &p, &n), ND_OK);
    CHECK_EQ_INT(n, 0);
    nd_free(p);

    /* Three copies and a stranger: all pairs, or a star over the cap. */
    random_sig(&seed, sigs);
    random_sig(&seed, sigs + PERM);
    memcpy(sigs + 2 * PERM, sigs, PERM * 4);
    memcpy(sigs + 3 * PERM, sigs, PERM * 4);
    CHECK_EQ_INT(nd_lsh_candidates(sigs, 4, PERM, 25, 5, 3, &p, &n), ND_OK);
    CHECK_EQ_INT(n, 3);
    CHECK(p[0].a == 0 && p[0].b == 2 && p[1].a == 0 && p[1].b == 3 &&
          p[2].a == 2 && p[2].b == 3);
    nd_free(p);
    CHECK_EQ_INT(nd_lsh_candidates(sigs, 4, PERM, 25, 5, 2, &p, &n), ND_OK);
    CHECK_EQ_INT(n, 2);
    CHECK(p[0].a == 0 && p[0].b == 2 && p[1].a == 0 && p[1].b == 3);
    nd_free(p);

    /* 5000 identical documents: a star of 4999 pairs around doc 0. */
    for (int d = 1; d < 5000; d++)
        memcpy(sigs + (size_t)d * PERM, sigs, PERM * 4);
    CHECK_EQ_INT(nd_lsh_candidates(sigs, 5000, PERM, 25, 5, 100, &p, &n),
                 ND_OK);
    CHECK_EQ_INT(n, 4999);
    for (size_t i = 0; i < n; i++)
        CHECK(p[i].a == 0 && p[i].b == i + 1);
    nd_free(p);

    CHECK_EQ_INT(nd_lsh_candidates(sigs, 2, PERM, 26, 5, 100, &p, &n),
                 ND_EINVAL);

    /* Every allocation failure is reported and leaves nothing behind. */
    int rc;
    long k = 0;
    do {
        nd_alloc_fail_after(k++);
        rc = nd_lsh_candidates(sigs, 4, PERM, 25, 5, 3, &p, &n);
        nd_alloc_fail_after(-1);
        CHECK(rc == ND_OK || rc == ND_ENOMEM);
        if (rc)
            CHECK(p == NULL && n == 0);
    } while (rc != ND_OK);
    CHECK_EQ_INT(n, 3);
    nd_free(p);
}

/*
 * Pairs of sets with Jaccard exactly s (union u, intersection s * u), signed
 * and bucketed all together: the share of pairs (2i, 2i + 1) found should
 * follow P(s) = 1 - (1 - s^r)^b.
 */
static void test_s_curve(void)
{
    enum { TRIALS = 2000 };
    static const double sims[] = {0.3, 0.5, 0.7, 0.9};
    const size_t ndocs = 2 * TRIALS * 4;
    uint32_t *sigs = malloc(ndocs * PERM * sizeof *sigs);
    static uint64_t a[2000], b[2000];
    uint64_t seed = 11;
    int bands, rows;
    CHECK(sigs);
    nd_lsh_params(0.5, PERM, &bands, &rows);

    for (int si = 0; si < 4; si++) {
        for (int t = 0; t < TRIALS; t++) {
            int u = 20 * (25 + (int)(test_rand(&seed) % 76)); /* 500-2000 */
            int c = (int)lround(sims[si] * u), only = (u - c) / 2;
            for (int i = 0; i < c; i++)
                a[i] = b[i] = test_rand(&seed);
            for (int i = c; i < c + only; i++) {
                a[i] = test_rand(&seed);
                b[i] = test_rand(&seed);
            }
            size_t d = 2 * ((size_t)si * TRIALS + t);
            nd_minhash(a, (size_t)(c + only), PERM, sigs + d * PERM);
            nd_minhash(b, (size_t)(c + only), PERM, sigs + (d + 1) * PERM);
        }
    }

    nd_docpair *p, *q;
    size_t n, nq;
    CHECK_EQ_INT(nd_lsh_candidates(sigs, ndocs, PERM, bands, rows, 100, &p,
                                   &n),
                 ND_OK);
    CHECK(sorted_unique(p, n));
    CHECK_EQ_INT(nd_lsh_candidates(sigs, ndocs, PERM, bands, rows, 100, &q,
                                   &nq),
                 ND_OK);
    CHECK(nq == n && memcmp(p, q, n * sizeof *p) == 0); /* deterministic */

    int found[4] = {0};
    for (size_t i = 0; i < n; i++)
        if (p[i].a % 2 == 0 && p[i].b == p[i].a + 1)
            found[p[i].a / (2 * TRIALS)]++;
    printf("b = %d, r = %d: s, observed, expected\n", bands, rows);
    for (int si = 0; si < 4; si++) {
        double obs = (double)found[si] / TRIALS;
        double want = nd_lsh_prob(sims[si], bands, rows);
        printf("  %.1f  %.4f  %.4f\n", sims[si], obs, want);
        CHECK_NEAR(obs, want, 0.05);
    }
    nd_free(p);
    nd_free(q);
    free(sigs);
}

int main(void)
{
    test_params();
    test_key();
    test_edges();
    test_s_curve();
    return 0;
}
