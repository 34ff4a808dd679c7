/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * The neardup command: a subcommand table over the public API.  It parses
 * options into nd_settings, feeds inputs to a corpus and renders records.
 * Exit status: 0 all good, 1 a command's own verdict, 2 errors (including
 * inputs that could not be read; results for the rest are still written).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <nd/nd.h>

#include "cli.h"
#include "progress.h"
#include "render.h"

/* Peak resident set size of this process, in bytes. */
static unsigned long long peak_rss(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru))
        return 0;
    return (unsigned long long)ru.ru_maxrss * 1024;
}

/*
 * --stats: counts, per-stage seconds and peak memory on standard error
 * (standard output holds only results, so it stays valid JSON Lines).
 * With --format jsonl, one {"type":"stats",...} line; else readable text.
 * ingest and normalize are summed over files (over threads too); load,
 * sign, lsh, align, report and total are wall times.
 */
static void print_stats(const nd_stats *s, double t_load, double total,
                        int format)
{
    double mb = (double)s->bytes / 1e6; /* total: load included */
    if (format == FMT_JSONL) {
        fprintf(stderr,
                "{\"type\":\"stats\",\"bytes\":%llu,\"documents\":%llu,"
                "\"chars\":%llu,\"threads\":%d,\"doc_candidates\":%llu,"
                "\"candidates\":%llu,\"pairs\":%llu,\"passages\":%llu,"
                "\"boilerplate\":%llu,\"clusters\":%llu,"
                "\"t_load\":%.3f,\"t_ingest\":%.3f,\"t_normalize\":%.3f,"
                "\"t_sign\":%.3f,\"t_lsh\":%.3f,\"t_align\":%.3f,"
                "\"t_report\":%.3f,\"t_total\":%.3f,\"mb_per_s\":%.2f,"
                "\"peak_rss\":%llu}\n",
                (unsigned long long)s->bytes,
                (unsigned long long)s->documents,
                (unsigned long long)s->chars, s->threads,
                (unsigned long long)s->doc_candidates,
                (unsigned long long)s->passage_candidates,
                (unsigned long long)s->pairs,
                (unsigned long long)s->passages,
                (unsigned long long)s->boilerplate,
                (unsigned long long)s->clusters, t_load, s->t_ingest,
                s->t_normalize, s->t_sign, s->t_lsh, s->t_align, s->t_report,
                total, total > 0 ? mb / total : 0, peak_rss());
        return;
    }
    fprintf(stderr,
            "stats: %.1f MB, %llu documents, %llu characters, %d threads\n"
            "stats: candidates %llu (document LSH %llu); pairs %llu, "
            "passages %llu, boilerplate %llu, clusters %llu\n"
            "stats: seconds: load %.3f (ingest %.3f + normalize %.3f, "
            "summed over threads), sign %.3f, lsh %.3f, align %.3f, "
            "report %.3f; total %.3f (%.1f MB/s)\n"
            "stats: peak RSS %.1f MB\n",
            mb, (unsigned long long)s->documents,
            (unsigned long long)s->chars, s->threads,
            (unsigned long long)s->passage_candidates,
            (unsigned long long)s->doc_candidates,
            (unsigned long long)s->pairs, (unsigned long long)s->passages,
            (unsigned long long)s->boilerplate,
            (unsigned long long)s->clusters, t_load, s->t_ingest,
            s->t_normalize, s->t_sign, s->t_lsh, s->t_align, s->t_report,
            total, total > 0 ? mb / total : 0, (double)peak_rss() / 1e6);
}

typedef struct session {
    opts o;
    nd_ctx *ctx;
    nd_corpus *corpus;
    FILE *out;
    int status;
    double t_load; /* wall seconds reading the inputs */
} session;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* segments and normalize write text or JSON Lines only. */
static int text_or_jsonl(const session *S)
{
    if (S->o.format <= FMT_JSONL)
        return 1;
    fprintf(stderr, "%s: this command writes text or jsonl only\n", prog);
    return 0;
}

/* Parse the options, then read the inputs into S->corpus.  Commands that
 * write text or JSON Lines only (@p text_only) refuse other formats before
 * anything is read or written. */
static int open_session(session *S, int argc, char **argv, int *first,
                        int text_only)
{
    int i = parse(argc, argv, &S->o);
    if (i < 0)
        return i == -2 ? 0 : EXIT_ERROR;
    if (text_only && !text_or_jsonl(S))
        return EXIT_ERROR;
    if (i >= argc) {
        fprintf(stderr, "%s: no input given (a file, a directory or -)\n",
                prog);
        return EXIT_ERROR;
    }
    quiet_log = S->o.quiet;
    S->o.s.log = log_stderr;
    S->o.s.log_user = &S->o.verbose;
    progress_enable(!S->o.quiet && isatty(2));
    S->o.s.progress = progress_update;
    if (S->o.format == FMT_PAN && !S->o.output) {
        fprintf(stderr, "%s: --format pan writes one file per pair: give "
                        "the directory with -o DIR\n", prog);
        return EXIT_ERROR;
    }
    int rc = nd_ctx_new(&S->ctx, &S->o.s);
    if (rc) {
        fprintf(stderr, "%s: %s\n", prog, nd_strerror(rc));
        return EXIT_ERROR;
    }
    if ((rc = nd_corpus_new(S->ctx, &S->corpus))) {
        fprintf(stderr, "%s: %s\n", prog, nd_strerror(rc));
        return EXIT_ERROR;
    }
    S->out = stdout;
    if (S->o.format == FMT_PAN)
        S->out = NULL; /* files are written into the directory at the end */
    else if (S->o.output && !(S->out = fopen(S->o.output, "w"))) {
        fprintf(stderr, "%s: %s: cannot write: %s\n", prog, S->o.output,
                strerror(errno));
        S->out = NULL;
        return EXIT_ERROR;
    }
    double t0 = now();
    for (int k = i; k < argc; k++) {
        progress_operand((size_t)(k - i), (size_t)(argc - i));
        rc = nd_corpus_add_path(S->corpus, argv[k]);
        if (rc == ND_ENOMEM) {
            fprintf(stderr, "%s: %s\n", prog, nd_strerror(rc));
            return EXIT_ERROR;
        }
    }
    S->t_load = now() - t0;
    if (nd_corpus_skipped(S->corpus))
        S->status = EXIT_ERROR;
    progress_clear();
    *first = i;
    return -1; /* continue */
}

static int close_session(session *S, int status)
{
    if (S->out && S->out != stdout) {
        if (fclose(S->out)) {
            fprintf(stderr, "%s: %s: write failed: %s\n", prog, S->o.output,
                    strerror(errno));
            status = EXIT_ERROR;
        }
    } else if (S->out && fflush(S->out)) {
        fprintf(stderr, "%s: write failed: %s\n", prog, strerror(errno));
        status = EXIT_ERROR;
    }
    nd_corpus_free(S->corpus);
    nd_ctx_free(S->ctx);
    return status;
}

static int cmd_scan(int argc, char **argv)
{
    double t0 = now();
    session S = {0};
    int first, st = open_session(&S, argc, argv, &first, 0);
    if (st >= 0)
        return close_session(&S, st);
    int color = use_color(S.o.color, S.out);
    renderer r = {render_ops_of(S.o.format), S.out, S.corpus, color,
                  S.o.records, S.o.output, {0}, 0, 0, {{0}, 0}};
    char *cmd = command_line(prog, argc, argv);
    nd_stats stats;
    int rc = render_begin(&r) ? ND_EIO
                              : nd_corpus_scan(S.corpus, render_record, &r,
                                               &stats);
    progress_clear();
    if (rc) {
        if (rc == ND_EABORT || r.failed)
            fprintf(stderr, "%s: writing the results failed\n", prog);
        else
            fprintf(stderr, "%s: scan failed: %s\n", prog, nd_strerror(rc));
        render_end(&r, NULL);
        free(cmd);
        return close_session(&S, EXIT_ERROR);
    }
    size_t files = render_corpus_files(S.corpus);
    run_info info = {stats, now() - t0, files, nd_corpus_skipped(S.corpus),
                     nd_ctx_settings(S.ctx), cmd};
    if (render_end(&r, &info))
        S.status = EXIT_ERROR;
    free(cmd);
    if (S.o.stats)
        print_stats(&stats, S.t_load, now() - t0, S.o.format);
    return close_session(&S, S.status);
}

static int cmd_segments(int argc, char **argv)
{
    session S = {0};
    int first, st = open_session(&S, argc, argv, &first, 1);
    if (st >= 0)
        return close_session(&S, st);
    renderer r = {&render_jsonl, S.out, S.corpus, 0, 0, NULL, {0}, 0, 0,
                  {{0}, 0}};
    for (uint32_t i = 0; i < nd_corpus_size(S.corpus); i++) {
        const nd_document *d = nd_corpus_document(S.corpus, i);
        if (S.o.format == FMT_JSONL) {
            nd_record rec = {.type = ND_REC_DOCUMENT};
            rec.u.document = *d;
            render_record(&r, &rec);
        } else {
            text_escape(S.out, d->file);
            fprintf(S.out, "\t%u\t%llu-%llu\t%u chars\t%s\t", d->ordinal,
                    (unsigned long long)d->start, (unsigned long long)d->end,
                    d->chars, d->encoding);
            text_escape(S.out, d->title);
            fputc('\n', S.out);
        }
    }
    return close_session(&S, S.status);
}

static void put_cp(FILE *f, uint32_t c)
{
    char u[4];
    int n;
    if (c < 0x80) {
        u[0] = (char)c;
        n = 1;
    } else if (c < 0x800) {
        u[0] = (char)(0xC0 | c >> 6);
        u[1] = (char)(0x80 | (c & 0x3F));
        n = 2;
    } else if (c < 0x10000) {
        u[0] = (char)(0xE0 | c >> 12);
        u[1] = (char)(0x80 | (c >> 6 & 0x3F));
        u[2] = (char)(0x80 | (c & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | c >> 18);
        u[1] = (char)(0x80 | (c >> 12 & 0x3F));
        u[2] = (char)(0x80 | (c >> 6 & 0x3F));
        u[3] = (char)(0x80 | (c & 0x3F));
        n = 4;
    }
    fwrite(u, 1, (size_t)n, f);
}

static int cmd_normalize(int argc, char **argv)
{
    session S = {0};
    int first, st = open_session(&S, argc, argv, &first, 1);
    if (st >= 0)
        return close_session(&S, st);
    for (uint32_t i = 0; i < nd_corpus_size(S.corpus); i++) {
        nd_text t;
        int rc = nd_corpus_text(S.corpus, i, &t);
        if (rc) {
            fprintf(stderr, "%s: normalize: %s\n", prog, nd_strerror(rc));
            return close_session(&S, EXIT_ERROR);
        }
        for (size_t k = 0; k < t.n; k++) {
            put_cp(S.out, t.cp[k]);
            if (S.o.offsets)
                fprintf(S.out, "\t%u\t%u\n", t.start[k], t.end[k]);
        }
        if (!S.o.offsets)
            fputc('\n', S.out);
    }
    return close_session(&S, S.status);
}

static const struct command {
    const char *name;
    int (*run)(int, char **);
} commands[] = {
    {"scan", cmd_scan},
    {"segments", cmd_segments},
    {"normalize", cmd_normalize},
    {"index", cmd_index},
    {"check", cmd_check},
};

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_ERROR;
    }
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
        !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
        printf("neardup %s\n", nd_version());
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "%s: unknown command '%s'. Try '%s --help'.\n", prog,
            argv[1], prog);
    return EXIT_ERROR;
}
