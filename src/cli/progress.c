/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/* The progress bar on standard error (see progress.h). */
#include "progress.h"

#include <stdio.h>
#include <time.h>

#include <nd/nd.h>

static struct {
    int on, shown;
    double t0, last, stage_t0;
    int stage;
    uint64_t base;       /* bytes of earlier nd_corpus_add_path calls */
    uint64_t files_base; /* files of earlier calls */
    size_t operand, operands;
} P;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void progress_enable(int on)
{
    P.on = on;
    P.t0 = P.last = P.stage_t0 = now();
}

void progress_operand(size_t i, size_t n)
{
    P.operand = i;
    P.operands = n;
}

void progress_clear(void)
{
    if (P.shown) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        P.shown = 0;
    }
}

void progress_update(void *user, int stage, uint64_t done, uint64_t total,
                     uint64_t bytes)
{
    (void)user;
    if (!P.on)
        return;
    double t = now();
    if (stage != P.stage) {
        P.stage = stage;
        P.stage_t0 = t;
    }
    uint64_t all = P.base + bytes, files = P.files_base + done;
    double frac = total ? (double)done / (double)total : 0;
    if (stage == ND_STAGE_READ) {
        if (total && done == total) {
            P.base = all;
            P.files_base = files;
        }
        /* Inputs are read one operand (file or directory) at a time. */
        if (P.operands > 1)
            frac = ((double)P.operand + frac) / (double)P.operands;
    }
    if (t - P.t0 < 0.5 || t - P.last < 0.1)
        return;
    P.last = t;
    static const char *what[] = {"", "reading files", "signing documents",
                                 "aligning pairs"};
    const char *name = stage >= 1 && stage <= 3 ? what[stage] : "working";
    char bar[21];
    for (int i = 0; i < 20; i++)
        bar[i] = i < (int)(frac * 20 + 0.5) ? '#' : '.';
    bar[20] = 0;
    double el = t - P.stage_t0;
    if (stage == ND_STAGE_READ)
        fprintf(stderr, "\r\033[K%s [%s] %llu files  %.1f MB  %.1f MB/s",
                name, bar, (unsigned long long)files, (double)all / 1e6,
                t > P.t0 ? (double)all / 1e6 / (t - P.t0) : 0.0);
    else
        fprintf(stderr, "\r\033[K%s [%s] %llu/%llu", name, bar,
                (unsigned long long)done, (unsigned long long)total);
    if (frac > 0 && frac < 1 && el > 0.2)
        fprintf(stderr, "  ETA %.0f s", el * (1 - frac) / frac);
    fflush(stderr);
    P.shown = 1;
}
