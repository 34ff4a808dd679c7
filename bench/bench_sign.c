/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Signing throughput: shingle hashing plus MinHash of synthetic Chinese text
 * (uniform over 3500 common CJK code points, fixed seed), in MB of UTF-8
 * (3 bytes per character) per second, median of several runs.  Measured on
 * speech-sized documents and on passage-sized windows, where small sets
 * take extra MinHash rounds.  Each MinHash kernel this CPU can run (scalar,
 * AVX2) is measured, and the MinHash alone on the same hashes.  Times are
 * the thread's CPU time, so a busy machine (other processes taking turns
 * on the cores) changes them little; MB/s are per second of CPU.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "src/minhash.h"
#include "src/shingle.h"
#include "src/util.h"

#include "bench.h"

#define SEED UINT64_C(20260101)
#define K 5
#define PERM 128
#define CHARS (2u << 20) /* 2 Mi characters, 6 MiB of UTF-8 */
#define RUNS 9 /* by default; the first argument sets it (1: for callgrind) */
#define MAX_RUNS 99

static int runs = RUNS;

/*
 * Seconds for one pass over the text in units of @p len characters:
 * shingles (what & 1) and MinHash with kernel @p impl (what & 2; alone,
 * on the hashes of the whole text made beforehand, when what == 2).
 */
static double pass(const uint32_t *cp, size_t len, uint64_t *h, uint32_t *sig,
                   int what, int impl)
{
    size_t m = nd_shingle_count(len, K);
    double t = thread_cpu_now();
    for (size_t off = 0; off + len <= CHARS; off += len) {
        uint64_t *hh = what & 1 ? h : h + off;
        if (what & 1)
            nd_shingle_hashes(cp + off, len, K, hh);
        if (what & 2)
            nd_minhash_impl(impl, hh, m, PERM, sig);
    }
    return thread_cpu_now() - t;
}

static double median_mb(const uint32_t *cp, size_t len, uint64_t *h,
                        uint32_t *sig, int what, int impl)
{
    double t[MAX_RUNS], mb = 3.0 * CHARS / 1e6;
    pass(cp, len, h, sig, what, impl); /* warm-up */
    for (int r = 0; r < runs; r++)
        t[r] = pass(cp, len, h, sig, what, impl);
    qsort(t, (size_t)runs, sizeof *t, cmp_double);
    return mb / t[runs / 2];
}

static void bench(const char *what, const uint32_t *cp, size_t len,
                  uint64_t *h, uint32_t *sig)
{
    static const struct {
        int impl;
        const char *name;
    } kern[] = {{ND_MINHASH_SCALAR, "scalar"}, {ND_MINHASH_AVX2, "avx2"}};
    printf("%-22s shingle alone %7.1f MB/s\n", what,
           median_mb(cp, len, h, sig, 1, 0));
    for (size_t k = 0; k < sizeof kern / sizeof *kern; k++) {
        if (!nd_minhash_has(kern[k].impl)) {
            printf("%-22s %s: not on this CPU\n", "", kern[k].name);
            continue;
        }
        /* The windows' hashes for MinHash alone: each window's own. */
        for (size_t off = 0; off + len <= CHARS; off += len)
            nd_shingle_hashes(cp + off, len, K, h + off);
        double mh = median_mb(cp, len, h, sig, 2, kern[k].impl);
        printf("%-22s %-6s  shingle+minhash %7.1f MB/s   (minhash alone "
               "%7.1f MB/s)\n", "", kern[k].name,
               median_mb(cp, len, h, sig, 3, kern[k].impl), mh);
    }
}

int main(int argc, char **argv)
{
    if (argc > 1 && (runs = atoi(argv[1])) < 1)
        runs = 1;
    if (runs > MAX_RUNS)
        runs = MAX_RUNS;
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
           runs);
    bench("2000-char documents", cp, 2000, h, sig);
    bench("50-char windows", cp, 50, h, sig);
    nd_free(cp);
    nd_free(h);
    return 0;
}
