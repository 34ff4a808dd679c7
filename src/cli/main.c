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
#include <unistd.h>

#include <nd/nd.h>

#include "render.h"

#define EXIT_VERDICT 1
#define EXIT_ERROR 2

typedef struct opts {
    nd_settings s;
    int format; /* -1: text on a terminal, else text too (JSONL on request) */
    const char *output;
    int quiet, verbose, offsets, stats;
} opts;

static const char *prog = "neardup";
static int quiet_log;

static void log_stderr(void *user, int level, const char *file,
                       const char *msg)
{
    (void)user;
    if (quiet_log && level > ND_LOG_ERROR)
        return;
    if (level > ND_LOG_WARN && !*(int *)user)
        return;
    static const char *names[] = {"error", "warning", "info", "debug"};
    if (file) {
        fprintf(stderr, "%s: ", prog);
        text_escape(stderr, file);
        fprintf(stderr, ": %s: %s\n",
                names[level < 0 || level > 3 ? 0 : level], msg);
    } else
        fprintf(stderr, "%s: %s: %s\n", prog,
                names[level < 0 || level > 3 ? 0 : level], msg);
}

static void usage(FILE *f)
{
    fprintf(f,
"usage: neardup COMMAND [OPTIONS] PATH...\n"
"\n"
"Find reused text: near-duplicate speeches and passages copied between\n"
"documents, with similarity scores and byte offsets into the files.\n"
"\n"
"Commands:\n"
"  scan PATH...        report near-duplicate pairs, reused passages,\n"
"                      boilerplate and clusters across all inputs\n"
"  segments PATH...    list the documents (speeches) found in the inputs\n"
"  normalize FILE      print the normalized text of a file\n"
"\n"
"PATH is a file, a directory (read recursively, sorted; hidden entries are\n"
"skipped) or - for standard input.\n"
"\n"
"Options:\n"
"  -f, --format FMT       text (default) or jsonl\n"
"  -o, --output FILE      write results to FILE instead of standard output\n"
"      --split MODE       auto (title lines, default), none, blank, or\n"
"                         regex:PATTERN (ICU regex for lines that start a\n"
"                         document)\n"
"      --encoding NAME    decode inputs as NAME (default: detect)\n"
"      --no-fold-variants keep Traditional characters distinct\n"
"      --keep-punct       keep punctuation and symbols\n"
"  -k, --shingle K        characters per shingle (default 5)\n"
"      --perm N           MinHash values per document (default 128)\n"
"  -t, --threshold T      Jaccard threshold for near-duplicates (0.5)\n"
"      --containment C    containment threshold for near-duplicates (0.8)\n"
"      --min-passage N    shortest reported passage in characters (30)\n"
"      --max-df N         passages in more documents are boilerplate (10)\n"
"      --threads N        worker threads (default: all cores)\n"
"      --offsets          (normalize) print each character's byte range\n"
"      --stats            print timings and counts to standard error\n"
"  -q, --quiet            only errors on standard error\n"
"  -v, --verbose          more detail on standard error\n"
"  -h, --help             this help\n"
"  -V, --version          print the version\n"
"\n"
"Exit status: 0 all good; 1 a command's verdict; 2 errors (unreadable or\n"
"undecodable inputs are reported on standard error and skipped; results\n"
"for the other inputs are still written).\n");
}

enum {
    OPT_SPLIT = 256, OPT_ENCODING, OPT_NOFOLD, OPT_KEEPPUNCT, OPT_PERM,
    OPT_CONTAINMENT, OPT_MINPASSAGE, OPT_MAXDF, OPT_THREADS, OPT_OFFSETS,
    OPT_STATS,
};

static const struct option long_opts[] = {
    {"format", required_argument, 0, 'f'},
    {"output", required_argument, 0, 'o'},
    {"split", required_argument, 0, OPT_SPLIT},
    {"encoding", required_argument, 0, OPT_ENCODING},
    {"no-fold-variants", no_argument, 0, OPT_NOFOLD},
    {"keep-punct", no_argument, 0, OPT_KEEPPUNCT},
    {"shingle", required_argument, 0, 'k'},
    {"perm", required_argument, 0, OPT_PERM},
    {"threshold", required_argument, 0, 't'},
    {"containment", required_argument, 0, OPT_CONTAINMENT},
    {"min-passage", required_argument, 0, OPT_MINPASSAGE},
    {"max-df", required_argument, 0, OPT_MAXDF},
    {"threads", required_argument, 0, OPT_THREADS},
    {"offsets", no_argument, 0, OPT_OFFSETS},
    {"stats", no_argument, 0, OPT_STATS},
    {"quiet", no_argument, 0, 'q'},
    {"verbose", no_argument, 0, 'v'},
    {"help", no_argument, 0, 'h'},
    {"version", no_argument, 0, 'V'},
    {0, 0, 0, 0},
};

static int parse_int(const char *opt, const char *v, long lo, long hi,
                     int *out)
{
    char *end;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (errno || end == v || *end || x < lo || x > hi) {
        fprintf(stderr, "%s: --%s wants an integer from %ld to %ld, not "
                        "'%s'\n", prog, opt, lo, hi, v);
        return -1;
    }
    *out = (int)x;
    return 0;
}

static int parse_real(const char *opt, const char *v, double *out)
{
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (errno || end == v || *end || !(x > 0 && x <= 1)) {
        fprintf(stderr, "%s: --%s wants a number in (0, 1], not '%s'\n", prog,
                opt, v);
        return -1;
    }
    *out = x;
    return 0;
}

/* Returns the index of the first operand, or -1 after printing an error,
 * or -2 when the command is done (help, version). */
static int parse(int argc, char **argv, opts *o)
{
    nd_default_settings(&o->s);
    o->format = FMT_TEXT;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "f:o:k:t:qvhV", long_opts, NULL)) !=
           -1) {
        switch (c) {
        case 'f':
            if (!strcmp(optarg, "text"))
                o->format = FMT_TEXT;
            else if (!strcmp(optarg, "jsonl") || !strcmp(optarg, "json"))
                o->format = FMT_JSONL;
            else {
                fprintf(stderr, "%s: unknown format '%s' (text, jsonl)\n",
                        prog, optarg);
                return -1;
            }
            break;
        case 'o': o->output = optarg; break;
        case OPT_SPLIT:
            if (!strcmp(optarg, "auto"))
                o->s.split = ND_SPLIT_AUTO;
            else if (!strcmp(optarg, "none"))
                o->s.split = ND_SPLIT_NONE;
            else if (!strcmp(optarg, "blank"))
                o->s.split = ND_SPLIT_BLANK;
            else if (!strncmp(optarg, "regex:", 6)) {
                o->s.split = ND_SPLIT_REGEX;
                o->s.split_regex = optarg + 6;
            } else {
                fprintf(stderr, "%s: unknown split mode '%s' (auto, none, "
                                "blank, regex:PATTERN)\n", prog, optarg);
                return -1;
            }
            break;
        case OPT_ENCODING: o->s.encoding = optarg; break;
        case OPT_NOFOLD: o->s.fold_variants = 0; break;
        case OPT_KEEPPUNCT: o->s.keep_punct = 1; break;
        case 'k':
            if (parse_int("shingle", optarg, 1, 64, &o->s.shingle))
                return -1;
            break;
        case OPT_PERM:
            if (parse_int("perm", optarg, 8, 1024, &o->s.perm))
                return -1;
            if (o->s.perm % 8) {
                fprintf(stderr, "%s: --perm must be a multiple of 8\n", prog);
                return -1;
            }
            break;
        case 't':
            if (parse_real("threshold", optarg, &o->s.threshold))
                return -1;
            break;
        case OPT_CONTAINMENT:
            if (parse_real("containment", optarg, &o->s.containment))
                return -1;
            break;
        case OPT_MINPASSAGE:
            if (parse_int("min-passage", optarg, 1, 1000000,
                          &o->s.min_passage))
                return -1;
            break;
        case OPT_MAXDF:
            if (parse_int("max-df", optarg, 2, 1 << 30, &o->s.max_df))
                return -1;
            break;
        case OPT_THREADS:
            if (parse_int("threads", optarg, 0, 1024, &o->s.threads))
                return -1;
            break;
        case OPT_OFFSETS: o->offsets = 1; break;
        case OPT_STATS: o->stats = 1; break;
        case 'q': o->quiet = 1; break;
        case 'v': o->verbose = 1; break;
        case 'h': usage(stdout); return -2;
        case 'V': printf("neardup %s\n", nd_version()); return -2;
        default:
            fprintf(stderr, "Try '%s --help'.\n", prog);
            return -1;
        }
    }
    return optind;
}

typedef struct session {
    opts o;
    nd_ctx *ctx;
    nd_corpus *corpus;
    FILE *out;
    int status;
} session;

static int open_session(session *S, int argc, char **argv, int *first)
{
    int i = parse(argc, argv, &S->o);
    if (i < 0)
        return i == -2 ? 0 : EXIT_ERROR;
    if (i >= argc) {
        fprintf(stderr, "%s: no input given (a file, a directory or -)\n",
                prog);
        return EXIT_ERROR;
    }
    quiet_log = S->o.quiet;
    S->o.s.log = log_stderr;
    S->o.s.log_user = &S->o.verbose;
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
    if (S->o.output && !(S->out = fopen(S->o.output, "w"))) {
        fprintf(stderr, "%s: %s: cannot write: %s\n", prog, S->o.output,
                strerror(errno));
        S->out = NULL;
        return EXIT_ERROR;
    }
    for (int k = i; k < argc; k++) {
        rc = nd_corpus_add_path(S->corpus, argv[k]);
        if (rc == ND_ENOMEM) {
            fprintf(stderr, "%s: %s\n", prog, nd_strerror(rc));
            return EXIT_ERROR;
        }
    }
    if (nd_corpus_skipped(S->corpus))
        S->status = EXIT_ERROR;
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
    session S = {0};
    int first, st = open_session(&S, argc, argv, &first);
    if (st >= 0)
        return close_session(&S, st);
    renderer r = {S.out, S.o.format, S.corpus, 0, 0, 0, 0, 0, 0};
    nd_stats stats;
    int rc = nd_corpus_scan(S.corpus, render_record, &r, &stats);
    if (rc) {
        if (rc != ND_EABORT || !ferror(S.out)) /* else: write failed */
            fprintf(stderr, "%s: scan failed: %s\n", prog, nd_strerror(rc));
        return close_session(&S, EXIT_ERROR);
    }
    if (S.o.format == FMT_TEXT) {
        fprintf(S.out, "\n%llu documents, %zu pairs with reuse (%zu "
                       "near-duplicate), %zu passages, %zu boilerplate, %zu "
                       "clusters.\n",
                (unsigned long long)stats.documents, r.pairs, r.near_dups,
                r.passages, r.boilerplate, r.clusters);
        if (!r.near_dups)
            fprintf(S.out, "No near-duplicate documents at Jaccard >= %g or "
                           "containment >= %g.\n",
                    S.o.s.threshold, S.o.s.containment);
    }
    if (S.o.stats)
        fprintf(stderr,
                "stats: %llu bytes, %llu documents, %llu chars; candidates: "
                "%llu doc-LSH, %llu total; pairs %llu, passages %llu, "
                "boilerplate %llu, clusters %llu; seconds: sign %.3f, "
                "lsh+anchors %.3f, align %.3f, report %.3f\n",
                (unsigned long long)stats.bytes,
                (unsigned long long)stats.documents,
                (unsigned long long)stats.chars,
                (unsigned long long)stats.doc_candidates,
                (unsigned long long)stats.passage_candidates,
                (unsigned long long)stats.pairs,
                (unsigned long long)stats.passages,
                (unsigned long long)stats.boilerplate,
                (unsigned long long)stats.clusters, stats.t_sign, stats.t_lsh,
                stats.t_align, stats.t_report);
    return close_session(&S, S.status);
}

static int cmd_segments(int argc, char **argv)
{
    session S = {0};
    int first, st = open_session(&S, argc, argv, &first);
    if (st >= 0)
        return close_session(&S, st);
    renderer r = {S.out, FMT_JSONL, S.corpus, 0, 0, 0, 0, 0, 0};
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
    int first, st = open_session(&S, argc, argv, &first);
    if (st >= 0)
        return close_session(&S, st);
    for (uint32_t i = 0; i < nd_corpus_size(S.corpus); i++) {
        nd_text t;
        nd_corpus_text(S.corpus, i, &t);
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
