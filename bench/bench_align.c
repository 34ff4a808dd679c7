/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Alignment throughput (nd_align_text) on synthetic Chinese text, as the
 * scan's two uses see it: whole documents of 3,400 characters, each a
 * aligned with 8 b in a row (candidate pairs come sorted by a, the table
 * of a is kept; a named by an id), and windows of 248 characters around
 * a hit, a new a every call.  Texts are words (1 to 4 characters of 3,000
 * ideographs) drawn from a Zipf law over 20,000 words, so that unrelated
 * texts share stock phrases as speeches do; half the pairs share a
 * passage of 100 to 400 characters with 1 substitution in 20.  Each is
 * measured with 16-bit texts, with the scalar and the AVX-512 gram
 * kernels (when the CPU has it), and with 32-bit texts (the same
 * characters), in microseconds a pair of thread CPU time, median of
 * several runs (the first argument sets their count; 1 for callgrind).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "src/align.h"

#include "bench.h"

#define SEED UINT64_C(20260102)
#define DOC 3400
#define NA 60   /* documents a */
#define PER_A 8 /* b a document a is aligned with */
#define WORDS 20000
#define WIN 248
#define NWIN 4000
#define RUNS 7
#define MAX_RUNS 99

static uint32_t word_at[WORDS][4];
static uint8_t word_len[WORDS];
static double zipf_cdf[WORDS];

static void make_words(uint64_t *s)
{
    double sum = 0;
    for (size_t w = 0; w < WORDS; w++) {
        word_len[w] = (uint8_t)(1 + rng(s) % 4);
        for (int i = 0; i < word_len[w]; i++)
            word_at[w][i] = 0x4E00 + (uint32_t)(rng(s) % 3000);
        sum += 1.0 / (double)(w + 1);
        zipf_cdf[w] = sum;
    }
    for (size_t w = 0; w < WORDS; w++)
        zipf_cdf[w] /= sum;
}

static void make_text(uint64_t *s, uint32_t *t, size_t n)
{
    for (size_t i = 0; i < n;) {
        double u = (double)(rng(s) >> 11) / 9007199254740992.0;
        size_t lo = 0, hi = WORDS - 1;
        while (lo < hi) { /* first word whose cdf reaches u */
            size_t mid = (lo + hi) / 2;
            if (zipf_cdf[mid] < u)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (int k = 0; k < word_len[lo] && i < n; k++)
            t[i++] = word_at[lo][k];
    }
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return v[n / 2];
}

int main(int argc, char **argv)
{
    int runs = argc > 1 ? atoi(argv[1]) : RUNS;
    if (runs < 1 || runs > MAX_RUNS)
        runs = RUNS;
    uint64_t s = SEED;
    make_words(&s);
    const size_t npairs = (size_t)NA * PER_A;
    uint32_t *a32 = malloc(NA * DOC * sizeof *a32);
    uint32_t *b32 = malloc(npairs * DOC * sizeof *b32);
    uint16_t *a16 = malloc(NA * DOC * sizeof *a16);
    uint16_t *b16 = malloc(npairs * DOC * sizeof *b16);
    nd_aligner *al = NULL;
    nd_span_vec out = {0};
    if (!a32 || !b32 || !a16 || !b16 || nd_aligner_new(&al)) {
        fprintf(stderr, "bench_align: out of memory\n");
        return 1;
    }
    make_text(&s, a32, NA * DOC);
    make_text(&s, b32, npairs * DOC);
    for (size_t p = 0; p < npairs; p += 2) { /* a passage in every other */
        const uint32_t *a = a32 + p / PER_A * DOC;
        uint32_t *b = b32 + p * DOC;
        size_t len = 100 + rng(&s) % 300;
        size_t at_a = rng(&s) % (DOC - len), at_b = rng(&s) % (DOC - len);
        for (size_t i = 0; i < len; i++)
            b[at_b + i] = rng(&s) % 20 ? a[at_a + i]
                                        : 0x4E00 + (uint32_t)(rng(&s) % 3000);
    }
    for (size_t i = 0; i < NA * DOC; i++)
        a16[i] = (uint16_t)a32[i];
    for (size_t i = 0; i < npairs * DOC; i++)
        b16[i] = (uint16_t)b32[i];
    nd_align_params P;
    nd_align_default_params(&P, 30);

    printf("nd_align_text, us a pair (thread CPU, median of %d)\n", runs);
    static const char *const label[] = {"16-bit texts, scalar",
                                        "16-bit texts, AVX-512",
                                        "32-bit texts"};
    for (int kern = 0; kern < 3; kern++) {
        const int wide = kern == 2;
        if (kern == 1 && !nd_align_has(ND_ALIGN_AVX512))
            continue; /* not on this CPU */
        nd_aligner_use(al, kern == 1 ? ND_ALIGN_AVX512 : ND_ALIGN_SCALAR);
        double t[MAX_RUNS], w[MAX_RUNS];
        size_t spans = 0, wspans = 0;
        for (int r = 0; r < runs; r++) {
            out.n = 0;
            double t0 = thread_cpu_now();
            for (size_t p = 0; p < npairs; p++) {
                size_t ai = p / PER_A;
                nd_atext ta = {wide ? NULL : a16 + ai * DOC,
                               wide ? a32 + ai * DOC : NULL, DOC, ai + 1};
                nd_atext tb = {wide ? NULL : b16 + p * DOC,
                               wide ? b32 + p * DOC : NULL, DOC, 0};
                if (nd_align_text(al, &P, &ta, &tb, &out))
                    return 1;
            }
            t[r] = (thread_cpu_now() - t0) / (double)npairs * 1e6;
            spans = out.n;
            /* windows around the same places of a and b, a new a each */
            uint64_t ws = SEED;
            out.n = 0;
            t0 = thread_cpu_now();
            for (size_t k = 0; k < NWIN; k++) {
                size_t p = rng(&ws) % npairs, ai = p / PER_A;
                size_t at = rng(&ws) % (DOC - WIN);
                nd_atext ta = {wide ? NULL : a16 + ai * DOC + at,
                               wide ? a32 + ai * DOC + at : NULL, WIN, 0};
                nd_atext tb = {wide ? NULL : b16 + p * DOC + at,
                               wide ? b32 + p * DOC + at : NULL, WIN, 0};
                if (nd_align_text(al, &P, &ta, &tb, &out))
                    return 1;
            }
            w[r] = (thread_cpu_now() - t0) / NWIN * 1e6;
            wspans = out.n;
        }
        printf("%s: documents %.2f us (%zu spans, %.0f M chars of b/s), "
               "windows %.2f us (%zu spans)\n", label[kern], median(t, runs),
               spans, DOC / median(t, runs), median(w, runs), wspans);
    }
    nd_vec_free(&out);
    nd_aligner_free(al);
    free(a32);
    free(b32);
    free(a16);
    free(b16);
    return 0;
}
