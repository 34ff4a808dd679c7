/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Unit tests of minhash.c: empty sets, identity, symmetry, independence of
 * order and repeats, golden vectors, and the accuracy of the Jaccard
 * estimate on synthetic pairs with known similarity (fixed seed).
 */
#include "src/minhash.h"
#include "src/shingle.h"
#include "test.h"

#define PERM 128

static void test_empty(void)
{
    uint32_t e[PERM], a[PERM];
    uint64_t h[1] = {42};
    nd_minhash(h, 0, PERM, e);
    for (int i = 0; i < PERM; i++)
        CHECK(e[i] == ND_MINHASH_EMPTY);
    nd_minhash(h, 1, PERM, a);
    for (int i = 0; i < PERM; i++)
        CHECK(a[i] != ND_MINHASH_EMPTY);
    CHECK(nd_minhash_estimate(e, e, PERM) == 0.0);
    CHECK(nd_minhash_estimate(a, e, PERM) == 0.0);
    CHECK(nd_minhash_estimate(e, a, PERM) == 0.0);
    CHECK(nd_minhash_estimate(a, a, PERM) == 1.0);
}

static void test_properties(void)
{
    uint64_t seed = 7;
    static uint64_t a[6000], b[6000];
    uint32_t sa[PERM], sb[PERM], sc[PERM];
    size_t sizes[] = {1, 2, 5, 30, 60, 128, 300, 3000};
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        size_t n = sizes[s];
        for (size_t i = 0; i < n; i++)
            a[i] = b[i] = test_rand(&seed);
        nd_minhash(a, n, PERM, sa);
        CHECK(nd_minhash_estimate(sa, sa, PERM) == 1.0);

        /* Shuffle and repeat every element: same set, same signature. */
        for (size_t i = n; i > 1; i--) {
            size_t j = test_rand(&seed) % i;
            uint64_t t = b[i - 1];
            b[i - 1] = b[j];
            b[j] = t;
        }
        memcpy(b + n, a, n * sizeof *a);
        nd_minhash(b, 2 * n, PERM, sb);
        CHECK(memcmp(sa, sb, sizeof sa) == 0);

        /* Symmetry, against a set sharing about half of it. */
        for (size_t i = 0; i < n; i += 2)
            b[i] = test_rand(&seed);
        nd_minhash(b, n, PERM, sc);
        CHECK(nd_minhash_estimate(sa, sc, PERM) ==
              nd_minhash_estimate(sc, sa, PERM));
    }

    /* Other signature lengths work and agree on identical sets. */
    int perms[] = {1, 7, 64, 256};
    for (size_t p = 0; p < 4; p++) {
        uint32_t x[256], y[256];
        nd_minhash(a, 100, perms[p], x);
        nd_minhash(a, 100, perms[p], y);
        CHECK(memcmp(x, y, (size_t)perms[p] * 4) == 0);
        for (int i = 0; i < perms[p]; i++)
            CHECK(x[i] != ND_MINHASH_EMPTY);
    }
}

/*
 * Golden vectors: the first 8 values of fixed inputs.  Signatures are stored
 * in indexes, so a change here must be deliberate (and bump the format).
 */
static void test_golden(void)
{
    /* 中华人民共和国 */
    static const uint32_t text[] = {0x4e2d, 0x534e, 0x4eba, 0x6c11,
                                    0x5171, 0x548c, 0x56fd};
    static const uint32_t want_small[8] = {
        0x382ca8fd, 0x44648f7e, 0x4a34a2b0, 0x7df65418,
        0x7a62b574, 0x1ff5bcd1, 0x3009adc0, 0x65b85173};
    static const uint32_t want_big[8] = {
        0x0561766f, 0x016be724, 0x05ba368f, 0x2d69c4a2,
        0x1b0d9832, 0x15b5fc54, 0x06516e7e, 0x012810ce};
    uint64_t h[1000];
    uint32_t sig[PERM];

    nd_shingle_hashes(text, 7, 5, h); /* 3 shingles: many rounds */
    nd_minhash(h, 3, PERM, sig);
    CHECK(memcmp(sig, want_small, sizeof want_small) == 0);

    for (int i = 0; i < 1000; i++) /* one round */
        h[i] = (uint64_t)i;
    nd_minhash(h, 1000, PERM, sig);
    CHECK(memcmp(sig, want_big, sizeof want_big) == 0);
}

/*
 * Pairs |A| = |B| = m with |A and B| = c, so J = c / (2m - c) exactly, for
 * J near 0.1 .. 0.9.  Realistic document sizes (300 to 3000 shingles) and
 * passage sizes (30 to 60), where most bins start empty.
 */
static void test_accuracy(void)
{
    uint64_t seed = 20260101;
    static uint64_t a[3000], b[3000];
    uint32_t sa[PERM], sb[PERM];
    const int pairs = 1000;
    double abs_all = 0, sum_all = 0;
    long n_all = 0;

    for (int group = 0; group < 2; group++) {
        double abs_g = 0, sum_g = 0;
        long n_g = 0;
        for (int t = 1; t <= 9; t++) {
            double sum_j = 0;
            for (int k = 0; k < pairs; k++) {
                int m = group ? 300 + (int)(test_rand(&seed) % 2701)
                              : 30 + (int)(test_rand(&seed) % 31);
                int c = (int)lround(2.0 * m * (t / 10.0) / (1 + t / 10.0));
                double j = (double)c / (2 * m - c);
                for (int i = 0; i < c; i++)
                    a[i] = b[i] = test_rand(&seed);
                for (int i = c; i < m; i++) {
                    a[i] = test_rand(&seed);
                    b[i] = test_rand(&seed);
                }
                nd_minhash(a, (size_t)m, PERM, sa);
                nd_minhash(b, (size_t)m, PERM, sb);
                double err = nd_minhash_estimate(sa, sb, PERM) - j;
                abs_g += fabs(err);
                sum_g += err;
                sum_j += err;
                n_g++;
            }
            /* No bias at any similarity (standard error about 0.002). */
            CHECK_NEAR(sum_j / pairs, 0, 0.01);
        }
        printf("sizes %s: MAE %.4f, mean signed error %+.4f (%ld pairs)\n",
               group ? "300-3000" : "30-60", abs_g / n_g, sum_g / n_g, n_g);
        abs_all += abs_g;
        sum_all += sum_g;
        n_all += n_g;
    }
    printf("all: MAE %.4f, mean signed error %+.4f\n", abs_all / n_all,
           sum_all / n_all);
    CHECK(abs_all / n_all <= 0.03);
    CHECK_NEAR(sum_all / n_all, 0, 0.01);
}

int main(void)
{
    test_empty();
    test_properties();
    test_golden();
    test_accuracy();
    return 0;
}
