/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * `neardup index add|remove|info|scan` and `neardup check`: option
 * handling over the nd_index API, the progress bar, and the JSON Lines of
 * the check report (the other formats render it through render.h, with the
 * draft as a one-document corpus).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "render.h"

typedef struct icmd {
    opts o;
    char *strings; /* of nd_index_settings */
    nd_ctx *ctx;
    nd_index *ix;
    FILE *out;
} icmd;

static void icmd_close(icmd *c)
{
    nd_index_close(c->ix);
    nd_ctx_free(c->ctx);
    nd_free(c->strings);
    if (c->out && c->out != stdout)
        fclose(c->out);
}

/* Parse options, take the settings not given from an existing index, and
 * open it.  Returns the first operand after INDEX, or -1 (error printed)
 * or -2 (done).  With @p need, operands after INDEX are required and
 * their absence is reported with that message. */
static int icmd_open(icmd *c, int argc, char **argv, int mode,
                     const char *need)
{
    int i = parse(argc, argv, &c->o);
    if (i < 0)
        return i;
    if (i >= argc) {
        fprintf(stderr, "%s: no index given. Try '%s --help'.\n", prog,
                prog);
        return -1;
    }
    if (need && i + 1 >= argc) { /* before anything is created */
        fprintf(stderr, "%s: %s\n", prog, need);
        return -1;
    }
    quiet_log = c->o.quiet;
    c->o.s.log = log_stderr;
    c->o.s.log_user = &c->o.verbose;
    const char *path = argv[i];
    struct stat sb;
    if (stat(path, &sb) == 0) {
        nd_settings st = c->o.s;
        int rc = nd_index_settings(path, &st, &c->strings);
        if (rc) { /* the reason was logged */
            if (rc == ND_ENOMEM)
                fprintf(stderr, "%s: %s\n", prog, nd_strerror(rc));
            return -1;
        }
        /* Options given explicitly stay (the index refuses a mismatch). */
        unsigned g = c->o.given;
        if (!(g & GIVEN_SHINGLE))
            c->o.s.shingle = st.shingle;
        if (!(g & GIVEN_PERM))
            c->o.s.perm = st.perm;
        if (!(g & GIVEN_THRESHOLD))
            c->o.s.threshold = st.threshold;
        if (!(g & GIVEN_FOLD))
            c->o.s.fold_variants = st.fold_variants;
        if (!(g & GIVEN_PUNCT))
            c->o.s.keep_punct = st.keep_punct;
        if (!(g & GIVEN_SPLIT)) {
            c->o.s.split = st.split;
            c->o.s.split_regex = st.split_regex;
        }
        if (!(g & GIVEN_ENCODING))
            c->o.s.encoding = st.encoding;
    }
    int rc = nd_ctx_new(&c->ctx, &c->o.s);
    if (!rc)
        rc = nd_index_open(c->ctx, path, mode, &c->ix);
    if (rc) { /* the library logged the reason, except for these */
        if (rc == ND_ENOMEM || rc == ND_EICU)
            fprintf(stderr, "%s: %s: %s\n", prog, path, nd_strerror(rc));
        return -1;
    }
    c->out = stdout;
    if (c->o.output && !(c->out = fopen(c->o.output, "w"))) {
        fprintf(stderr, "%s: %s: cannot write: %s\n", prog, c->o.output,
                strerror(errno));
        return -1;
    }
    return i + 1;
}

static int finish(icmd *c, int status)
{
    if (c->out && fflush(c->out)) {
        fprintf(stderr, "%s: write failed: %s\n", prog, strerror(errno));
        status = EXIT_ERROR;
    }
    icmd_close(c);
    return status;
}

/* ------------------------------------------------------------------ */
/* index add / remove / info / scan                                     */

static void progress_bar(void *user, int stage, uint64_t done, uint64_t total,
                         uint64_t bytes)
{
    (void)user;
    (void)stage;
    (void)bytes;
    int width = 30, fill = total ? (int)(width * done / total) : width;
    fprintf(stderr, "\rindexing [%.*s%*s] %llu/%llu files", fill,
            "##############################", width - fill, "",
            (unsigned long long)done, (unsigned long long)total);
    if (done == total)
        fputc('\n', stderr);
    fflush(stderr);
}

static int index_add(int argc, char **argv)
{
    icmd c = {0};
    int i = icmd_open(&c, argc, argv, ND_INDEX_WRITE,
                      "index add: no input given (files or directories)");
    if (i < 0)
        return finish(&c, i == -2 ? 0 : EXIT_ERROR);
    int tty = isatty(2) && !c.o.quiet;
    nd_index_set_batch(c.ix, (size_t)c.o.batch);
    nd_index_stats st;
    int rc = nd_index_add(c.ix, (const char *const *)argv + i,
                          (size_t)(argc - i), tty ? progress_bar : NULL, NULL,
                          &st);
    if (rc) {
        fprintf(stderr, "%s: index add: %s\n", prog, nd_strerror(rc));
        return finish(&c, EXIT_ERROR);
    }
    if (c.o.format == FMT_JSONL)
        fprintf(c.out, "{\"type\":\"index_add\",\"added\":%llu,\"replaced\":"
                       "%llu,\"unchanged\":%llu,\"failed\":%llu,"
                       "\"documents\":%llu,\"bytes\":%llu}\n",
                (unsigned long long)st.added, (unsigned long long)st.replaced,
                (unsigned long long)st.unchanged,
                (unsigned long long)st.failed,
                (unsigned long long)st.documents,
                (unsigned long long)st.bytes);
    else
        fprintf(c.out, "%llu files added, %llu replaced, %llu unchanged, "
                       "%llu failed; %llu documents written.\n",
                (unsigned long long)st.added, (unsigned long long)st.replaced,
                (unsigned long long)st.unchanged,
                (unsigned long long)st.failed,
                (unsigned long long)st.documents);
    return finish(&c, st.failed ? EXIT_ERROR : 0);
}

static int index_remove(int argc, char **argv)
{
    icmd c = {0};
    int i = icmd_open(&c, argc, argv, ND_INDEX_WRITE,
                      "index remove: no path given");
    if (i < 0)
        return finish(&c, i == -2 ? 0 : EXIT_ERROR);
    int status = 0;
    size_t total = 0;
    for (; i < argc; i++) {
        size_t n;
        int rc = nd_index_remove(c.ix, argv[i], &n);
        if (rc) {
            fprintf(stderr, "%s: index remove: %s\n", prog, nd_strerror(rc));
            return finish(&c, EXIT_ERROR);
        }
        if (!n) {
            fprintf(stderr, "%s: %s: error: not in the index\n", prog,
                    argv[i]);
            status = EXIT_ERROR;
        }
        total += n;
    }
    fprintf(c.out, "%zu file%s removed.\n", total, total == 1 ? "" : "s");
    return finish(&c, status);
}

static int index_info(int argc, char **argv)
{
    icmd c = {0};
    int i = icmd_open(&c, argc, argv, ND_INDEX_READ, NULL);
    if (i < 0)
        return finish(&c, i == -2 ? 0 : EXIT_ERROR);
    nd_index_info in;
    int rc = nd_index_info_get(c.ix, &in);
    if (rc) {
        fprintf(stderr, "%s: index info: %s\n", prog, nd_strerror(rc));
        return finish(&c, EXIT_ERROR);
    }
    static const char *splits[] = {"auto", "none", "blank", "regex"};
    const nd_settings *s = &in.settings;
    const char *split = s->split >= 0 && s->split <= 3 ? splits[s->split]
                                                       : "?";
    FILE *f = c.out;
    if (c.o.format == FMT_JSONL) {
        fprintf(f, "{\"type\":\"index\",\"format\":%u,\"files\":%llu,"
                   "\"documents\":%llu,\"chars\":%llu,\"anchors\":%llu,"
                   "\"segments\":%u,\"bytes\":%llu,\"shingle\":%d,"
                   "\"perm\":%d,\"threshold\":",
                in.version, (unsigned long long)in.files,
                (unsigned long long)in.documents,
                (unsigned long long)in.chars, (unsigned long long)in.anchors,
                in.segments, (unsigned long long)in.bytes, s->shingle,
                s->perm);
        json_number(f, s->threshold);
        fprintf(f, ",\"bands\":%d,\"rows\":%d,\"fold_variants\":%s,"
                   "\"keep_punct\":%s,\"split\":", in.bands, in.rows,
                s->fold_variants ? "true" : "false",
                s->keep_punct ? "true" : "false");
        json_string(f, split);
        fputs(",\"split_regex\":", f);
        json_string(f, s->split_regex ? s->split_regex : "");
        fputs(",\"encoding\":", f);
        json_string(f, s->encoding ? s->encoding : "");
        fputs("}\n", f);
    } else {
        fprintf(f, "index format %u\n"
                   "files      %llu\n"
                   "documents  %llu\n"
                   "characters %llu\n"
                   "anchors    %llu in %u segment%s\n"
                   "size       %.1f MB\n"
                   "settings   shingle %d, perm %d, threshold %g (%d bands "
                   "of %d rows), %s, %s, split %s%s%s, encoding %s\n",
                in.version, (unsigned long long)in.files,
                (unsigned long long)in.documents,
                (unsigned long long)in.chars, (unsigned long long)in.anchors,
                in.segments, in.segments == 1 ? "" : "s",
                (double)in.bytes / 1e6, s->shingle, s->perm, s->threshold,
                in.bands, in.rows,
                s->fold_variants ? "Traditional folded" : "no variant folding",
                s->keep_punct ? "punctuation kept" : "punctuation dropped",
                split, s->split_regex ? ":" : "",
                s->split_regex ? s->split_regex : "",
                s->encoding ? s->encoding : "detected");
    }
    return finish(&c, 0);
}

static int index_scan(int argc, char **argv)
{
    icmd c = {0};
    int i = icmd_open(&c, argc, argv, ND_INDEX_READ, NULL);
    if (i < 0)
        return finish(&c, i == -2 ? 0 : EXIT_ERROR);
    nd_corpus *corpus;
    int rc = nd_index_corpus(c.ix, &corpus);
    if (rc) {
        fprintf(stderr, "%s: index scan: %s\n", prog, nd_strerror(rc));
        return finish(&c, EXIT_ERROR);
    }
    renderer r = {render_ops_of(c.o.format), c.out, corpus,
                  c.o.color == COLOR_ALWAYS, c.o.records, c.o.output, {0}, 0, 0,
                  {{0}, 0}};
    nd_stats stats;
    rc = render_begin(&r) ? ND_EIO
                          : nd_corpus_scan(corpus, render_record, &r, &stats);
    if (!rc) {
        run_info info = {stats, stats.t_sign + stats.t_lsh + stats.t_align +
                                    stats.t_report,
                         render_corpus_files(corpus), 0, nd_ctx_settings(c.ctx),
                         "neardup index scan"};
        if (render_end(&r, &info))
            rc = ND_EIO;
    } else {
        render_end(&r, NULL);
    }
    nd_corpus_free(corpus);
    if (rc) {
        fprintf(stderr, "%s: index scan: %s\n", prog, nd_strerror(rc));
        return finish(&c, EXIT_ERROR);
    }
    return finish(&c, 0);
}

int cmd_index(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(int, char **);
    } sub[] = {
        {"add", index_add},
        {"remove", index_remove},
        {"info", index_info},
        {"scan", index_scan},
    };
    if (argc < 2) {
        fprintf(stderr, "%s: index: give add, remove, info or scan. Try "
                        "'%s --help'.\n", prog, prog);
        return EXIT_ERROR;
    }
    for (size_t i = 0; i < sizeof sub / sizeof *sub; i++)
        if (!strcmp(argv[1], sub[i].name))
            return sub[i].run(argc - 1, argv + 1);
    fprintf(stderr, "%s: index: unknown subcommand '%s' (add, remove, info, "
                    "scan)\n", prog, argv[1]);
    return EXIT_ERROR;
}

/* ------------------------------------------------------------------ */
/* check                                                                */

static void report_jsonl(FILE *f, const nd_report *p)
{
    fputs("{\"type\":\"report\",\"draft\":", f);
    json_string(f, p->draft);
    fprintf(f, ",\"chars\":%u,\"copied\":%u,\"copy_ratio\":", p->chars,
            p->copied);
    json_number(f, p->copy_ratio);
    fputs(",\"copy_ratio_excluding_boilerplate\":", f);
    json_number(f, p->copy_ratio_excluding_boilerplate);
    fputs(",\"largest_source_ratio\":", f);
    json_number(f, p->largest_source_ratio);
    fputs(",\"quoted_ratio\":", f);
    json_number(f, p->quoted_ratio);
    fputs(",\"template_ratio\":", f);
    json_number(f, p->template_ratio);
    fprintf(f, ",\"passages\":%u,\"sources\":[", p->passages);
    for (size_t i = 0; i < p->nsources; i++) {
        const nd_source *s = &p->sources[i];
        fprintf(f, "%s{\"doc\":%u,\"file\":", i ? "," : "", s->doc);
        json_string(f, s->file);
        fprintf(f, ",\"ordinal\":%u,\"start\":%llu,\"end\":%llu,\"title\":",
                s->ordinal, (unsigned long long)s->start,
                (unsigned long long)s->end);
        json_string(f, s->title);
        fprintf(f, ",\"chars\":%u,\"matched\":%u,\"share\":", s->chars,
                s->matched);
        json_number(f, s->share);
        fputc('}', f);
    }
    fputs("],\"sections\":[", f);
    for (size_t i = 0; i < p->nsections; i++) {
        const nd_section *s = &p->sections[i];
        fprintf(f, "%s{\"title\":", i ? "," : "");
        json_string(f, s->title);
        fprintf(f, ",\"start\":%llu,\"end\":%llu,\"chars\":%u,\"copied\":%u,"
                   "\"copy_ratio\":", (unsigned long long)s->start,
                (unsigned long long)s->end, s->chars, s->copied);
        json_number(f, s->copy_ratio);
        fputc('}', f);
    }
    fputs("]}\n", f);
}

/* JSON Lines of a check (the `report` record, then its passages with the
 * draft's name and the source's file), written as the records arrive; the
 * report is in r->model.audit (render_record keeps it for every format). */
static int check_jsonl_record(renderer *r, const nd_record *rec)
{
    FILE *f = r->out;
    const m_audit *a = &r->model.audit;
    if (rec->type == ND_REC_REPORT) {
        report_jsonl(f, &rec->u.report);
    } else if (rec->type == ND_REC_PASSAGE) {
        const nd_passage *p = &rec->u.passage;
        const m_source *s = audit_source(a, p->b);
        fputs("{\"type\":\"passage\",\"draft\":", f);
        json_string(f, a->draft);
        fprintf(f, ",\"a_start\":%llu,\"a_end\":%llu,\"b_doc\":%u,"
                   "\"b_file\":", (unsigned long long)p->a_start,
                (unsigned long long)p->a_end, p->b);
        json_string(f, s ? s->file : "?");
        fprintf(f, ",\"b_start\":%llu,\"b_end\":%llu,\"chars\":%u,"
                   "\"matched\":%u,\"similarity\":",
                (unsigned long long)p->b_start,
                (unsigned long long)p->b_end, p->chars, p->matched);
        json_number(f, p->similarity);
        fprintf(f, ",\"df\":%u,\"boilerplate\":%s,\"a_text\":", p->df,
                p->boilerplate ? "true" : "false");
        json_string(f, p->a_text);
        fputs(",\"b_text\":", f);
        if (p->b_text)
            json_string(f, p->b_text);
        else
            fputs("null", f);
        fputs("}\n", f);
    }
    return 0;
}

static int no_record(void *user, const nd_record *rec)
{
    (void)user;
    (void)rec;
    return 0;
}

static const render_ops check_jsonl = {"jsonl", 0, NULL, check_jsonl_record,
                                       NULL};

/* A whole file, or standard input for "-", into a new buffer (free). */
static int read_all(const char *path, uint8_t **data, size_t *len)
{
    FILE *in = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    size_t cap = 65536, n = 0;
    uint8_t *p = in ? malloc(cap) : NULL;
    while (p) {
        size_t got = fread(p + n, 1, cap - n, in);
        n += got;
        if (n < cap)
            break;
        uint8_t *q = realloc(p, cap *= 2);
        if (!q) {
            free(p);
            p = NULL;
            errno = ENOMEM;
        }
        p = q;
    }
    int bad = !p || ferror(in);
    if (in && in != stdin)
        fclose(in);
    if (bad) {
        free(p);
        return -1;
    }
    *data = p;
    *len = n;
    return 0;
}

int cmd_check(int argc, char **argv)
{
    icmd c = {0};
    int i = icmd_open(&c, argc, argv, ND_INDEX_READ,
                      "check: no draft given (a file or -)");
    if (i < 0)
        return finish(&c, i == -2 ? 0 : EXIT_ERROR);
    nd_check_opts co = {0};
    co.min_match = c.o.min_match;
    co.exclude_quotes = c.o.exclude_quotes;
    uint8_t *tdata = NULL;
    if (c.o.template_path) {
        size_t n;
        if (read_all(c.o.template_path, &tdata, &n)) {
            fprintf(stderr, "%s: %s: cannot read the template: %s\n", prog,
                    c.o.template_path, strerror(errno));
            return finish(&c, EXIT_ERROR);
        }
        co.template_name = c.o.template_path;
        co.template_data = tdata;
        co.template_len = n;
    }
    if (c.o.format == FMT_PAN || (c.o.format == FMT_HTML && argc - i > 1)) {
        fprintf(stderr, "%s: check: %s\n", prog,
                c.o.format == FMT_PAN ? "--format pan is for scan"
                                      : "--format html takes one draft");
        free(tdata);
        return finish(&c, EXIT_ERROR);
    }
    /* Each draft is also a one-document corpus, for the renderers: its
     * text and line:column (the sources are in the index). */
    nd_settings ds = *nd_ctx_settings(c.ctx);
    ds.split = ND_SPLIT_NONE;
    ds.split_regex = NULL;
    ds.log = NULL; /* nd_index_check reports a draft it cannot read */
    nd_ctx *dctx = NULL;
    int rc = c.o.format == FMT_JSONL ? 0 : nd_ctx_new(&dctx, &ds);
    if (rc) {
        fprintf(stderr, "%s: check: %s\n", prog, nd_strerror(rc));
        free(tdata);
        return finish(&c, EXIT_ERROR);
    }
    int color = use_color(c.o.color, c.out);
    renderer r = {c.o.format == FMT_JSONL ? &check_jsonl
                                          : render_ops_of(c.o.format),
                  c.out, NULL, color, c.o.records, NULL, {0}, 0, 1,
                  {{0}, 0}};
    int status = 0, verdict = 0;
    if (render_begin(&r)) {
        fprintf(stderr, "%s: check: write failed\n", prog);
        status = EXIT_ERROR;
        i = argc;
    }
    for (; i < argc; i++) {
        const char *name = argv[i];
        uint8_t *data;
        size_t len;
        if (read_all(name, &data, &len)) {
            fprintf(stderr, "%s: %s: error: cannot read: %s\n", prog, name,
                    strerror(errno));
            status = EXIT_ERROR;
            continue;
        }
        nd_corpus *dc = NULL;
        rc = dctx ? nd_corpus_new(dctx, &dc) : 0;
        if (!rc && dc)
            rc = nd_corpus_add_memory(dc, name, data, len);
        r.corpus = dc;
        if (!rc) {
            rc = nd_index_check(c.ix, name, data, len, &co, render_record,
                                &r);
        } else if (rc != ND_ENOMEM) {
            /* Not decodable: the check says why, in the same words as
             * with -f jsonl (it fails the same way). */
            int rc2 = nd_index_check(c.ix, name, data, len, &co, no_record,
                                     NULL);
            rc = rc2 ? rc2 : rc;
            if (!rc2)
                fprintf(stderr, "%s: %s: error: %s\n", prog, name,
                        nd_strerror(rc));
        }
        double ratio = r.model.audit.ratio;
        if (!rc && !r.model.has_audit)
            rc = ND_EABORT; /* no report: nothing to render */
        run_info info = {{0}, 0, 1, 0, nd_ctx_settings(c.ctx),
                         "neardup check"};
        info.stats.documents = 1;
        info.stats.bytes = len;
        if (render_end(&r, rc ? NULL : &info) && !rc)
            rc = ND_EIO;
        nd_corpus_free(dc);
        free(data);
        if (rc) { /* the library logged the reason, except for these */
            if (rc == ND_ENOMEM || rc == ND_EABORT || rc == ND_EICU ||
                rc == ND_EIO)
                fprintf(stderr, "%s: %s: error: %s\n", prog, name,
                        nd_strerror(rc));
            status = EXIT_ERROR;
            continue;
        }
        if (c.o.fail_set && ratio > c.o.fail_above) {
            verdict = 1;
            if (!c.o.quiet)
                fprintf(stderr, "%s: %s: copy ratio %.4f exceeds %g\n", prog,
                        name, ratio, c.o.fail_above);
        }
    }
    nd_ctx_free(dctx);
    free(tdata);
    return finish(&c, status ? status : verdict ? EXIT_VERDICT : 0);
}
