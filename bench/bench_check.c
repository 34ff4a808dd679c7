/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Draft check latency: `bench_check INDEX DRAFT...` opens the index
 * read-only (its own settings) and times nd_index_check of each draft
 * several times, printing the median and the fastest run with the copy
 * ratio found, and the median CPU time (independent of the machine's
 * load).  bench/check.sh builds the corpus, the index and the drafts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nd/nd.h>

#include "bench.h"

#define RUNS 7

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double now(void)
{
    return clock_s(CLOCK_MONOTONIC);
}

/* CPU seconds of the process: unlike wall time, not stretched by other
 * processes on a shared machine. */
static double cpu_now(void)
{
    return clock_s(CLOCK_PROCESS_CPUTIME_ID);
}

typedef struct seen {
    double ratio;
    size_t sources;
    uint32_t chars, passages;
} seen;

static int on_record(void *user, const nd_record *rec)
{
    seen *s = user;
    if (rec->type == ND_REC_REPORT) {
        s->ratio = rec->u.report.copy_ratio;
        s->sources = rec->u.report.nsources;
        s->chars = rec->u.report.chars;
        s->passages = rec->u.report.passages;
    }
    return 0;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)n + 1);
    if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
        free(p);
        p = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return p;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_check INDEX DRAFT...\n");
        return 2;
    }
    nd_settings s;
    nd_default_settings(&s);
    char *strings = NULL;
    nd_ctx *ctx = NULL;
    nd_index *ix = NULL;
    double t0 = now();
    if (nd_index_settings(argv[1], &s, &strings) ||
        nd_ctx_new(&ctx, &s) ||
        nd_index_open(ctx, argv[1], ND_INDEX_READ, &ix)) {
        fprintf(stderr, "bench_check: cannot open %s\n", argv[1]);
        return 2;
    }
    double t_open = now() - t0;
    nd_index_info in;
    nd_index_info_get(ix, &in);
    printf("index: %llu documents, %llu characters, %.0f MB; open %.1f ms "
           "(includes the context's normalization tables)\n",
           (unsigned long long)in.documents, (unsigned long long)in.chars,
           in.bytes / 1e6, t_open * 1e3);
    for (int i = 2; i < argc; i++) {
        size_t len;
        char *data = slurp(argv[i], &len);
        if (!data) {
            fprintf(stderr, "bench_check: cannot read %s\n", argv[i]);
            return 2;
        }
        double t[RUNS], c[RUNS];
        seen sn = {0};
        for (int r = 0; r < RUNS; r++) {
            double a = now(), ca = cpu_now();
            if (nd_index_check(ix, argv[i], data, len, NULL, on_record,
                               &sn)) {
                fprintf(stderr, "bench_check: check failed\n");
                return 2;
            }
            t[r] = now() - a;
            c[r] = cpu_now() - ca;
        }
        qsort(t, RUNS, sizeof *t, cmp_double);
        qsort(c, RUNS, sizeof *c, cmp_double);
        printf("%s: %u chars, copy ratio %.3f, %zu sources, %u passages; "
               "check median %.1f ms, fastest %.1f ms; CPU median %.1f "
               "ms\n", argv[i], sn.chars, sn.ratio, sn.sources,
               sn.passages, t[RUNS / 2] * 1e3, t[0] * 1e3,
               c[RUNS / 2] * 1e3);
        free(data);
    }
    nd_index_close(ix);
    nd_ctx_free(ctx);
    nd_free(strings);
    return 0;
}
