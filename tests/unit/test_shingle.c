/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Unit tests of shingle.c: counts, the host-independent hash layout and a
 * golden vector, the AVX-512 kernel against XXH3 itself (skipped with a
 * message on a CPU without it), and the sorted-set helpers against brute
 * force.
 */
#include <xxhash.h>

#include "src/shingle.h"
#include "src/util.h"
#include "test.h"

/* "中华人民共和国" */
static const uint32_t text[] = {0x4e2d, 0x534e, 0x4eba, 0x6c11,
                                0x5171, 0x548c, 0x56fd};

/* XXH3 of code points serialized byte by byte, little-endian. */
static uint64_t ref_hash(const uint32_t *cp, size_t n)
{
    uint8_t b[4 * 200];
    for (size_t i = 0; i < n; i++)
        for (int j = 0; j < 4; j++)
            b[4 * i + j] = (uint8_t)(cp[i] >> (8 * j));
    return XXH3_64bits_withSeed(b, 4 * n, ND_SHINGLE_SEED);
}

static void test_count(void)
{
    CHECK_EQ_INT(nd_shingle_count(0, 5), 0);
    CHECK_EQ_INT(nd_shingle_count(1, 5), 1);
    CHECK_EQ_INT(nd_shingle_count(4, 5), 1);
    CHECK_EQ_INT(nd_shingle_count(5, 5), 1);
    CHECK_EQ_INT(nd_shingle_count(7, 5), 3);
    CHECK_EQ_INT(nd_shingle_count(7, 1), 7);
}

static void test_hashes(void)
{
    uint64_t h[8];
    nd_shingle_hashes(text, 7, 5, h);
    for (size_t i = 0; i < 3; i++)
        CHECK(h[i] == ref_hash(text + i, 5));
    CHECK(h[0] != h[1] && h[1] != h[2]);

    /* Golden: changing these changes every stored index. */
    CHECK(h[0] == UINT64_C(0xf2f1d9299c1e4f5c));
    CHECK(h[2] == UINT64_C(0x85503330797d23c0));

    /* Shorter than k: the whole text is one shingle. */
    uint64_t one[2] = {0, 7};
    nd_shingle_hashes(text, 3, 5, one);
    CHECK(one[0] == ref_hash(text, 3));
    CHECK(one[1] == 7);
    nd_shingle_hashes(text, 0, 5, one); /* writes nothing */
    CHECK(one[1] == 7);

    /* Long shingles (the big-endian path hashes them in chunks). */
    uint32_t longtext[200];
    uint64_t lh[51];
    for (int i = 0; i < 200; i++)
        longtext[i] = 0x4e00 + (uint32_t)i * 37;
    nd_shingle_hashes(longtext, 200, 150, lh);
    CHECK(lh[0] == ref_hash(longtext, 150));
    CHECK(lh[50] == ref_hash(longtext + 50, 150));

    /* Every k, the lengths with a path of their own (5, 8) included,
     * gives XXH3 of the little-endian window at every position. */
    uint64_t kh[60];
    for (int k = 1; k <= 12; k++) {
        nd_shingle_hashes(longtext, 60, k, kh);
        for (int i = 0; i + k <= 60; i++)
            CHECK(kh[i] == ref_hash(longtext + i, (size_t)k));
    }

    /* A window's hash depends only on its own characters. */
    uint64_t tail[1];
    nd_shingle_hashes(text + 2, 5, 5, tail);
    CHECK(tail[0] == h[2]);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* nd_hash_set against qsort + dedup on one input. */
/* Both kernels give XXH3's hashes: every length up to 60 and random ones
 * up to 199 (the vector loop's tails), with code points of every size
 * (all 32 bits of a value go into the hash). */
static void test_kernels(void)
{
    if (!nd_cpu_avx512()) {
        printf("SKIP (AVX-512 shingle kernel): this CPU or build has no "
               "AVX-512; the scalar kernel was tested\n");
        return;
    }
    static uint32_t cp[200];
    static uint64_t a[200], b[200];
    uint64_t s = 20261121;
    size_t hashes = 0;
    for (int t = 0; t < 600; t++) {
        size_t n = t < 61 ? (size_t)t : (size_t)(test_rand(&s) % 200);
        for (size_t i = 0; i < n; i++) {
            uint64_t r = test_rand(&s);
            cp[i] = t % 3 == 0 ? (uint32_t)r
                    : t % 3 == 1 ? 0x4E00 + (uint32_t)(r % 3000)
                                 : (uint32_t)(r % 5);
        }
        for (int k = 1; k <= 9; k++) {
            size_t m = nd_shingle_count(n, k);
            nd_shingle_hashes_impl(0, cp, n, k, a);
            nd_shingle_hashes_impl(1, cp, n, k, b);
            const size_t len = n < (size_t)k ? n : (size_t)k;
            for (size_t i = 0; i < m; i++) {
                uint64_t want = ref_hash(cp + i, len);
                CHECK(a[i] == want);
                CHECK(b[i] == want);
            }
            hashes += m;
        }
    }
    printf("AVX-512 and scalar shingle kernels give XXH3's %zu hashes\n",
           hashes);
}

static void check_set(const uint64_t *in, size_t n)
{
    uint64_t *a = malloc((n + 1) * sizeof *a), *b = malloc((n + 1) * 8);
    CHECK(a && b);
    memcpy(a, in, n * sizeof *a);
    memcpy(b, in, n * sizeof *b);
    size_t na = nd_hash_set(a, n);
    qsort(b, n, sizeof *b, cmp_u64);
    size_t nb = 0;
    for (size_t i = 0; i < n; i++)
        if (nb == 0 || b[i] != b[nb - 1])
            b[nb++] = b[i];
    CHECK_EQ_INT(na, nb);
    CHECK(memcmp(a, b, na * sizeof *a) == 0);
    /* nd_hash_distinct: the same values, each at its first occurrence. */
    uint64_t *tab = malloc(nd_hash_distinct_cap(n) * sizeof *tab);
    CHECK(tab);
    memcpy(b, in, n * sizeof *b);
    size_t nd = nd_hash_distinct(b, n, tab);
    CHECK_EQ_INT(nd, na);
    size_t k = 0; /* in order: each input value is the next new one or seen */
    for (size_t i = 0; i < n && k <= nd; i++) {
        int seen = 0;
        for (size_t j = 0; j < k && !seen && n <= 1000; j++)
            seen = b[j] == in[i];
        if (n > 1000) /* large inputs: membership only, below */
            break;
        if (!seen) {
            CHECK(k < nd && b[k] == in[i]);
            k++;
        }
    }
    qsort(b, nd, sizeof *b, cmp_u64);
    CHECK(memcmp(a, b, nd * sizeof *a) == 0);
    free(tab);
    free(a);
    free(b);
}

static void test_set(void)
{
    uint64_t seed = 1;
    size_t sizes[] = {0, 1, 2, 3, 16, 17, 100, 1000, 100000};
    uint64_t *v = malloc(100000 * sizeof *v);
    CHECK(v);
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        size_t n = sizes[s];
        for (size_t i = 0; i < n; i++) /* random, with repeats */
            v[i] = test_rand(&seed) % (n + 1);
        check_set(v, n);
        for (size_t i = 0; i < n; i++) /* full range */
            v[i] = test_rand(&seed);
        check_set(v, n);
        for (size_t i = 0; i < n; i++) /* ascending */
            v[i] = i;
        check_set(v, n);
        for (size_t i = 0; i < n; i++) /* descending */
            v[i] = n - i;
        check_set(v, n);
        for (size_t i = 0; i < n; i++) /* few distinct */
            v[i] = test_rand(&seed) % 3 ? UINT64_MAX : 0;
        check_set(v, n);
        for (size_t i = 0; i < n; i++) /* organ pipe */
            v[i] = i < n / 2 ? i : n - i;
        check_set(v, n);
    }
    free(v);
}

static void test_intersect(void)
{
    uint64_t seed = 2;
    uint64_t a[300] = {0}, b[300] = {0};
    CHECK_EQ_INT(nd_hash_intersect(a, 0, b, 0), 0);
    for (int round = 0; round < 50; round++) {
        size_t na = test_rand(&seed) % 300, nb = test_rand(&seed) % 300;
        for (size_t i = 0; i < na; i++)
            a[i] = test_rand(&seed) % 400;
        for (size_t i = 0; i < nb; i++)
            b[i] = test_rand(&seed) % 400;
        na = nd_hash_set(a, na);
        nb = nd_hash_set(b, nb);
        size_t want = 0;
        for (size_t i = 0; i < na; i++)
            for (size_t j = 0; j < nb; j++)
                want += a[i] == b[j];
        CHECK_EQ_INT(nd_hash_intersect(a, na, b, nb), want);
        CHECK_EQ_INT(nd_hash_intersect(b, nb, a, na), want);
        CHECK_EQ_INT(nd_hash_intersect(a, na, a, na), na);
        CHECK_EQ_INT(nd_hash_intersect(a, na, b, 0), 0);
    }
}

int main(void)
{
    test_count();
    test_hashes();
    test_kernels();
    test_set();
    test_intersect();
    return 0;
}
