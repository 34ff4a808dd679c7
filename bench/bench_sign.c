/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Signing throughput: shingle hashing plus MinHash of synthetic Chinese text
 * (uniform over 3500 common CJK code points, fixed seed), in MB of UTF-8
 * (3 bytes per character) per second, median of several runs.  Measured on
 * speech-sized documents and on passage-sized windows, where small sets
 * take extra MinHash rounds.
 */
#include <stdio.h>
#include <stdlib.h>

#include "src/minhash.h"
#include "src/shingle.h"
#include "src/util.h"

#define SEED UINT64_C(20260101)
#define K 5
#define PERM 128
#define CHARS (2u << 20) /* 2 Mi characters, 6 MiB of UTF-8 */
#define RUNS 9

static uint64_t rng(uint64_t *s) /* splitmix64 */
{
    uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Seconds for one pass over the text in units of @p len characters. */
static double pass(const uint32_t *cp, size_t len, uint64_t *h, uint32_t *sig,
                   int sign)
{
    double t = nd_now();
    for (size_t off = 0; off + len <= CHARS; off += len) {
        nd_shingle_hashes(cp + off, len, K, h);
        if (sign)
            nd_minhash(h, nd_shingle_count(len, K), PERM, sig);
    }
    return nd_now() - t;
}

static void bench(const char *what, const uint32_t *cp, size_t len,
                  uint64_t *h, uint32_t *sig)
{
    double all[RUNS], hash[RUNS], mb = 3.0 * CHARS / 1e6;
    pass(cp, len, h, sig, 1); /* warm-up */
    for (int r = 0; r < RUNS; r++) {
        hash[r] = pass(cp, len, h, sig, 0);
        all[r] = pass(cp, len, h, sig, 1);
    }
    qsort(all, RUNS, sizeof *all, cmp_double);
    qsort(hash, RUNS, sizeof *hash, cmp_double);
    printf("%-22s shingle+minhash %7.1f MB/s   (shingle alone %7.1f MB/s)\n",
           what, mb / all[RUNS / 2], mb / hash[RUNS / 2]);
}

int main(void)
{
    uint64_t s = SEED;
    uint32_t *cp = nd_malloc(CHARS * sizeof *cp);
    uint64_t *h = nd_malloc(CHARS * sizeof *h);
    uint32_t sig[PERM];
    if (!cp || !h) {
        fprintf(stderr, "bench_sign: out of memory\n");
        return 99;
    }
    for (size_t i = 0; i < CHARS; i++)
        cp[i] = 0x4e00 + (uint32_t)(rng(&s) % 3500);

    printf("bench_sign: seed %llu, k = %d, perm = %d, %u characters "
           "(%.1f MB UTF-8) per run, median of %d runs\n",
           (unsigned long long)SEED, K, PERM, CHARS, 3.0 * CHARS / 1e6,
           RUNS);
    bench("2000-char documents", cp, 2000, h, sig);
    bench("50-char windows", cp, 50, h, sig);
    nd_free(cp);
    nd_free(h);
    return 0;
}
