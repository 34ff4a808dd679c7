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

const char *prog = "neardup";
int quiet_log;

void log_stderr(void *user, int level, const char *file,
                const char *msg)
{
    if (quiet_log && level > ND_LOG_ERROR)
        return;
    if (level > ND_LOG_WARN && !*(int *)user)
        return;
    progress_clear();
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
"  index add INDEX PATH...     add files to an index (created if missing)\n"
"  index remove INDEX PATH...  remove files (or directories) from an index\n"
"  index info INDEX            counts, settings and size of an index\n"
"  index scan INDEX            the report of scan over the indexed corpus\n"
"  check INDEX DRAFT...        how much of each draft (or -) is copied\n"
"                              from the indexed corpus, and from where\n"
"\n"
"PATH is a file, a directory (read recursively, sorted; hidden entries are\n"
"skipped) or - for standard input.\n"
"\n"
"Options:\n"
"  -f, --format FMT       text (default): summary, then pairs ranked by\n"
"                         reused characters with file:line:column;\n"
"                         jsonl: the result records (DESIGN.md);\n"
"                         csv: RFC 4180 rows (see --records);\n"
"                         html: a self-contained report (use -o FILE);\n"
"                         pan: PAN text-alignment XML files (-o DIR)\n"
"  -o, --output FILE      write results to FILE instead of standard output\n"
"                         (a directory for --format pan)\n"
"      --records R        csv: one row per pair (pairs, default) or per\n"
"                         passage (passages)\n"
"      --color WHEN       text: colour never, always or auto (default: on a\n"
"                         terminal unless NO_COLOR is set)\n"
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
"      --threads N        worker threads (default: all cores; results are\n"
"                         the same for any N)\n"
"      --offsets          (normalize) print each character's byte range\n"
"      --stats            print counts, per-stage seconds and peak memory to\n"
"                         standard error (a JSON line with --format jsonl)\n"
"      --fail-above R     (check) exit with status 1 when a draft's copy\n"
"                         ratio exceeds R (0 to 1)\n"
"      --min-match N      (check) ignore matches shorter than N characters\n"
"                         (default: --min-passage)\n"
"      --exclude-quotes   (check) text in quotation marks is cited, not\n"
"                         copied\n"
"      --template FILE    (check) passages of FILE never count as copied\n"
"      --batch N          (index add) files per transaction (8192)\n"
"  -q, --quiet            only errors on standard error, no progress bar\n"
"  -v, --verbose          more detail on standard error\n"
"  -h, --help             this help\n"
"  -V, --version          print the version\n"
"\n"
"The index settings (shingle, perm, threshold, normalization, split,\n"
"encoding) are stored when it is created; later commands use them, and\n"
"refuse options that differ.\n"
"\n"
"Exit status: 0 all good; 1 a command's verdict (check: a copy ratio above\n"
"--fail-above); 2 errors (unreadable or\n"
"undecodable inputs are reported on standard error and skipped; results\n"
"for the other inputs are still written).\n");
}

enum {
    OPT_SPLIT = 256, OPT_ENCODING, OPT_NOFOLD, OPT_KEEPPUNCT, OPT_PERM,
    OPT_CONTAINMENT, OPT_MINPASSAGE, OPT_MAXDF, OPT_THREADS, OPT_OFFSETS,
    OPT_STATS, OPT_RECORDS, OPT_COLOR, OPT_FAILABOVE, OPT_MINMATCH,
    OPT_EXCLQUOTES, OPT_TEMPLATE, OPT_BATCH,
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
    {"records", required_argument, 0, OPT_RECORDS},
    {"color", required_argument, 0, OPT_COLOR},
    {"colour", required_argument, 0, OPT_COLOR},
    {"fail-above", required_argument, 0, OPT_FAILABOVE},
    {"min-match", required_argument, 0, OPT_MINMATCH},
    {"exclude-quotes", no_argument, 0, OPT_EXCLQUOTES},
    {"template", required_argument, 0, OPT_TEMPLATE},
    {"batch", required_argument, 0, OPT_BATCH},
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
int parse(int argc, char **argv, opts *o)
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
            else if (!strcmp(optarg, "csv"))
                o->format = FMT_CSV;
            else if (!strcmp(optarg, "html"))
                o->format = FMT_HTML;
            else if (!strcmp(optarg, "pan"))
                o->format = FMT_PAN;
            else {
                fprintf(stderr, "%s: unknown format '%s' (text, jsonl, csv, "
                                "html, pan)\n", prog, optarg);
                return -1;
            }
            break;
        case OPT_RECORDS:
            if (!strcmp(optarg, "pairs"))
                o->records = CSV_PAIRS;
            else if (!strcmp(optarg, "passages"))
                o->records = CSV_PASSAGES;
            else {
                fprintf(stderr, "%s: unknown --records '%s' (pairs, "
                                "passages)\n", prog, optarg);
                return -1;
            }
            break;
        case OPT_COLOR:
            if (!strcmp(optarg, "auto"))
                o->color = COLOR_AUTO;
            else if (!strcmp(optarg, "never"))
                o->color = COLOR_NEVER;
            else if (!strcmp(optarg, "always"))
                o->color = COLOR_ALWAYS;
            else {
                fprintf(stderr, "%s: unknown --color '%s' (never, always, "
                                "auto)\n", prog, optarg);
                return -1;
            }
            break;
        case 'o': o->output = optarg; break;
        case OPT_SPLIT:
            o->given |= GIVEN_SPLIT;
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
        case OPT_ENCODING:
            o->s.encoding = optarg;
            o->given |= GIVEN_ENCODING;
            break;
        case OPT_NOFOLD:
            o->s.fold_variants = 0;
            o->given |= GIVEN_FOLD;
            break;
        case OPT_KEEPPUNCT:
            o->s.keep_punct = 1;
            o->given |= GIVEN_PUNCT;
            break;
        case 'k':
            o->given |= GIVEN_SHINGLE;
            if (parse_int("shingle", optarg, 1, 64, &o->s.shingle))
                return -1;
            break;
        case OPT_PERM:
            o->given |= GIVEN_PERM;
            if (parse_int("perm", optarg, 8, 1024, &o->s.perm))
                return -1;
            if (o->s.perm % 8) {
                fprintf(stderr, "%s: --perm must be a multiple of 8\n", prog);
                return -1;
            }
            break;
        case 't':
            o->given |= GIVEN_THRESHOLD;
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
        case OPT_FAILABOVE: {
            char *end;
            errno = 0;
            o->fail_above = strtod(optarg, &end);
            if (errno || end == optarg || *end || !(o->fail_above >= 0 &&
                                                    o->fail_above <= 1)) {
                fprintf(stderr, "%s: --fail-above wants a number from 0 to "
                                "1, not '%s'\n", prog, optarg);
                return -1;
            }
            o->fail_set = 1;
            break;
        }
        case OPT_MINMATCH:
            if (parse_int("min-match", optarg, 1, 1000000, &o->min_match))
                return -1;
            break;
        case OPT_EXCLQUOTES: o->exclude_quotes = 1; break;
        case OPT_TEMPLATE: o->template_path = optarg; break;
        case OPT_BATCH:
            if (parse_int("batch", optarg, 1, 1000000, &o->batch))
                return -1;
            break;
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
static void print_stats(const nd_stats *s, double t_load, double t_scan,
                        int format)
{
    double mb = (double)s->bytes / 1e6, total = t_load + t_scan;
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

/* "neardup scan ARGS..." for report headers. */
static char *command_line(int argc, char **argv)
{
    size_t n = strlen(prog) + 1;
    for (int i = 0; i < argc; i++)
        n += strlen(argv[i]) + 1;
    char *s = xrealloc(NULL, n + 1);
    strcpy(s, prog);
    for (int i = 0; i < argc; i++) {
        strcat(s, " ");
        strcat(s, argv[i]);
    }
    return s;
}

int use_color(int color, FILE *out)
{
    return color == COLOR_ALWAYS ||
           (color == COLOR_AUTO && out == stdout && isatty(fileno(stdout)) &&
            !(getenv("NO_COLOR") && *getenv("NO_COLOR")) &&
            !(getenv("TERM") && !strcmp(getenv("TERM"), "dumb")));
}

static int cmd_scan(int argc, char **argv)
{
    double t0 = now();
    session S = {0};
    int first, st = open_session(&S, argc, argv, &first);
    if (st >= 0)
        return close_session(&S, st);
    int color = use_color(S.o.color, S.out);
    renderer r = {render_ops_of(S.o.format), S.out, S.corpus, color,
                  S.o.records, S.o.output, {0}, 0, 0};
    char *cmd = command_line(argc, argv);
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
    size_t files = 0;
    const char *last = NULL;
    for (uint32_t i = 0; i < nd_corpus_size(S.corpus); i++) {
        const char *f = nd_corpus_document(S.corpus, i)->file;
        files += !last || strcmp(f, last);
        last = f;
    }
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
    int first, st = open_session(&S, argc, argv, &first);
    if (st >= 0)
        return close_session(&S, st);
    if (S.o.format > FMT_JSONL) {
        fprintf(stderr, "%s: this command writes text or jsonl only\n",
                prog);
        return close_session(&S, EXIT_ERROR);
    }
    renderer r = {&render_jsonl, S.out, S.corpus, 0, 0, NULL, {0}, 0, 0};
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
    if (S.o.format > FMT_JSONL) {
        fprintf(stderr, "%s: this command writes text or jsonl only\n",
                prog);
        return close_session(&S, EXIT_ERROR);
    }
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
