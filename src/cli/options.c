/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Options shared by the commands (and by neardup-mpi, src/mpi/): the usage
 * text, the option parser and the standard-error log.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
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

void usage(FILE *f)
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
"                         (a directory for --format pan); without -f, a\n"
"                         FILE ending in .jsonl, .json, .csv, .html or .htm\n"
"                         selects that format\n"
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
"      --pairs-only       (scan) near-duplicate documents only, no passage\n"
"                         search: several times faster, but a short\n"
"                         speech inside a long one can be missed\n"
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
    OPT_EXCLQUOTES, OPT_TEMPLATE, OPT_BATCH, OPT_PAIRSONLY,
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
    {"pairs-only", no_argument, 0, OPT_PAIRSONLY},
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

/* The format a file name asks for by its extension (-o without -f). */
static int format_of_name(const char *path)
{
    static const struct {
        const char *ext;
        int format;
    } ext[] = {{".jsonl", FMT_JSONL}, {".json", FMT_JSONL},
               {".csv", FMT_CSV},     {".html", FMT_HTML},
               {".htm", FMT_HTML}};
    size_t n = strlen(path);
    for (size_t i = 0; i < sizeof ext / sizeof *ext; i++) {
        size_t k = strlen(ext[i].ext);
        if (n > k && !strcasecmp(path + n - k, ext[i].ext))
            return ext[i].format;
    }
    return FMT_TEXT;
}

/* Returns the index of the first operand, or -1 after printing an error,
 * or -2 when the command is done (help, version). */
int parse(int argc, char **argv, opts *o)
{
    nd_default_settings(&o->s);
    o->format = FMT_TEXT;
    int c, format_given = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "f:o:k:t:qvhV", long_opts, NULL)) !=
           -1) {
        switch (c) {
        case 'f':
            format_given = 1;
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
        case OPT_PAIRSONLY: o->s.pairs_only = 1; break;
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
    if (!format_given && o->output)
        o->format = format_of_name(o->output);
    return optind;
}

/* "NAME ARGS..." for report headers. */
char *command_line(const char *name, int argc, char **argv)
{
    size_t n = strlen(name) + 1;
    for (int i = 0; i < argc; i++)
        n += strlen(argv[i]) + 1;
    char *s = xrealloc(NULL, n + 1);
    strcpy(s, name);
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
