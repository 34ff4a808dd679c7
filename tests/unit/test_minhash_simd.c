/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Unit tests of the MinHash kernels (minhash.c): the AVX2 kernel gives the
 * scalar kernel's signatures bit for bit on random sets of 0..5000 hashes
 * with 1..256 permutations (every size up to 70 against a range of
 * permutation counts, where small sets take many rounds and the vector
 * tails of 1-3 lanes show), and ND_SIMD=scalar makes nd_minhash use the
 * scalar kernel.  Without AVX2 on this CPU the comparison is skipped with
 * a message; the rest still runs.
 */
#include <stdint.h>

#include "src/minhash.h"
#include "test.h"

#define MAX_N 5000
#define MAX_PERM 256

static uint64_t h[MAX_N];
static uint32_t a[MAX_PERM], b[MAX_PERM];

/* Both kernels on h[0..n) with @p perm permutations; 1 when equal. */
static int same(size_t n, int perm)
{
    nd_minhash_impl(ND_MINHASH_SCALAR, h, n, perm, a);
    nd_minhash_impl(ND_MINHASH_AVX2, h, n, perm, b);
    for (int i = 0; i < perm; i++)
        if (a[i] != b[i]) {
            fprintf(stderr, "n = %zu, perm = %d: slot %d: scalar %08x, "
                    "avx2 %08x\n", n, perm, i, a[i], b[i]);
            return 0;
        }
    return 1;
}

static void test_kernels_agree(void)
{
    static const int perms[] = {1, 2, 3, 4, 5, 7, 8, 16, 31, 64, 100, 127,
                                128, 129, 200, 255, 256};
    uint64_t s = 20260101;
    size_t sweeps = 0, trials = 0;
    for (size_t n = 0; n <= 70; n++)
        for (size_t k = 0; k < sizeof perms / sizeof *perms; k++) {
            for (size_t i = 0; i < n; i++)
                h[i] = test_rand(&s);
            CHECK(same(n, perms[k]));
            sweeps++;
        }
    for (int t = 0; t < 1500; t++) {
        size_t n = (size_t)(test_rand(&s) % (MAX_N + 1));
        int perm = 1 + (int)(test_rand(&s) % MAX_PERM);
        /* Some sets of small values and with repeats, as well as random
         * ones: the kernels must not depend on the high bits being set. */
        uint64_t mask = t % 3 == 0 ? UINT64_C(0xffff) : UINT64_MAX;
        for (size_t i = 0; i < n; i++)
            h[i] = test_rand(&s) & mask;
        CHECK(same(n, perm));
        trials++;
    }
    /* Not vacuous: the signatures of a set are not all empty. */
    h[0] = 1;
    nd_minhash_impl(ND_MINHASH_AVX2, h, 1, 8, b);
    for (int i = 0; i < 8; i++)
        CHECK(b[i] != ND_MINHASH_EMPTY);
    printf("AVX2 and scalar agree on %zu swept and %zu random sets\n",
           sweeps, trials);
}

int main(void)
{
    /* Before anything asks: nd_minhash chooses its kernel once. */
    setenv("ND_SIMD", "scalar", 1);
    CHECK_EQ_INT(nd_minhash_active(), ND_MINHASH_SCALAR);
    CHECK(nd_minhash_has(ND_MINHASH_SCALAR));
    /* nd_minhash is the scalar kernel now. */
    uint64_t s = 7;
    for (size_t i = 0; i < 1000; i++)
        h[i] = test_rand(&s);
    nd_minhash(h, 1000, 128, a);
    nd_minhash_impl(ND_MINHASH_SCALAR, h, 1000, 128, b);
    CHECK(memcmp(a, b, sizeof(uint32_t) * 128) == 0);
    if (!nd_minhash_has(ND_MINHASH_AVX2)) {
        printf("SKIP (AVX2 half): this CPU or build has no AVX2; the scalar "
               "kernel alone was tested\n");
        return 0;
    }
    test_kernels_agree();
    return 0;
}
