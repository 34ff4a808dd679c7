/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Fuzz target: the writers of the CLI (src/cli/render*.c) on hostile
 * strings.  The input is cut at 0x00 bytes into a file name for each of
 * two documents, two quoted texts and eight bytes for a number; records of
 * every type that quote them are written in every streaming and report
 * format: text, JSON Lines, CSV (pairs and passages), HTML; and the audit
 * of a draft (a check's report record and its passage) in text, CSV and
 * HTML.  Properties:
 *  - JSON: every line is valid JSON (one record per line, strings
 *    escaped, invalid UTF-8 replaced), and a string of valid UTF-8
 *    survives json_string unchanged once unescaped;
 *  - text: valid UTF-8 with no control character but the newline ending
 *    each line;
 *  - CSV: valid RFC 4180 (csv_check.h), every row as many fields as the
 *    header, and the names and texts read back are the input's, invalid
 *    UTF-8 replaced by U+FFFD;
 *  - HTML: only the report's own tags and attributes, every '&' an
 *    entity, no raw '<', '>' or quote from the input (html_check.h); the
 *    embedded JSON valid, one element, and without any '<' (so no
 *    "</script" or "<!--" inside it); the command line and the draft's
 *    name appear in the page's text as given (invalid UTF-8 and control
 *    characters replaced).
 */
#include <math.h>
#include <string.h>

#include "fuzz.h"
#include "csv_check.h"
#include "html_check.h"
#include "json_check.h"
#include "src/cli/render.h"

/* Take the next 0-terminated piece of the input (or the rest). */
static char *piece(fuzz_in *in)
{
    const uint8_t *z = memchr(in->p, 0, in->n);
    size_t n = z ? (size_t)(z - in->p) : in->n;
    char *s = malloc(n + 1);
    FUZZ_CHECK(s);
    memcpy(s, in->p, n);
    s[n] = 0;
    in->p += n + (z != NULL);
    in->n -= n + (z != NULL);
    return s;
}

/* Unescape a JSON string literal written by json_string (validated). */
static size_t unescape(const char *j, size_t n, char *out)
{
    size_t k = 0;
    for (size_t i = 1; i + 1 < n; i++) {
        if (j[i] != '\\') {
            out[k++] = j[i];
            continue;
        }
        char e = j[++i];
        if (e == 'u') {
            unsigned v = (unsigned)strtoul((char[]){j[i + 1], j[i + 2],
                                                    j[i + 3], j[i + 4], 0},
                                           NULL, 16);
            i += 4;
            if (v < 0x80) {
                out[k++] = (char)v;
            } else if (v < 0x800) {
                out[k++] = (char)(0xC0 | v >> 6);
                out[k++] = (char)(0x80 | (v & 0x3F));
            } else {
                out[k++] = (char)(0xE0 | v >> 12);
                out[k++] = (char)(0x80 | (v >> 6 & 0x3F));
                out[k++] = (char)(0x80 | (v & 0x3F));
            }
        } else {
            out[k++] = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r'
                     : e == 'b' ? '\b' : e == 'f' ? '\f' : e;
        }
    }
    return k;
}

/* @p s as the writers print it: each invalid UTF-8 byte as U+FFFD, and
 * with @p html also control characters (C0 but newline and tab, DEL,
 * C1). */
static char *repaired(const char *s, int html)
{
    size_t n = strlen(s);
    char *out = malloc(3 * n + 1), *o = out;
    FUZZ_CHECK(out);
    jcur c = {(const unsigned char *)s, (const unsigned char *)s + n, 0};
    while (c.p < c.end) {
        const unsigned char *at = c.p;
        if (*c.p < 0x80) {
            int ctl = (*c.p < 0x20 && *c.p != '\n' && *c.p != '\t') ||
                      *c.p == 0x7F;
            if (html && ctl) {
                memcpy(o, "\xEF\xBF\xBD", 3);
                o += 3;
            } else {
                *o++ = (char)*c.p;
            }
            c.p++;
        } else {
            int ok = j_utf8(&c); /* moves on when valid */
            if (ok && !(html && at[0] == 0xC2 && at[1] < 0xA0)) {
                memcpy(o, at, (size_t)(c.p - at));
                o += c.p - at;
            } else {
                memcpy(o, "\xEF\xBF\xBD", 3);
                o += 3;
                if (!ok)
                    c.p = at + 1;
            }
        }
    }
    *o = 0;
    return out;
}

/* Records @p recs written in format @p fmt into a new buffer. */
static char *render(int fmt, int records, int audit, nd_corpus *c,
                    const nd_record *recs, size_t n, const char *command,
                    size_t *len)
{
    char *buf = NULL;
    renderer r = {0};
    r.out = open_memstream(&buf, len);
    FUZZ_CHECK(r.out);
    r.ops = render_ops_of(fmt);
    r.corpus = c;
    r.records = records;
    r.audit = audit;
    FUZZ_CHECK(render_begin(&r) == 0);
    for (size_t i = 0; i < n; i++)
        FUZZ_CHECK(render_record(&r, &recs[i]) == 0);
    nd_stats st = {0};
    run_info info = {st, 0, 2, 0, nd_ctx_settings(fuzz_ctx(0)), command};
    FUZZ_CHECK(render_end(&r, &info) == 0);
    fclose(r.out);
    return buf;
}

static void check_jsonl(const char *buf, size_t len, size_t want)
{
    size_t lines = 0;
    for (size_t i = 0; i < len; lines++) {
        const char *nl = memchr(buf + i, '\n', len - i);
        FUZZ_CHECK(nl);
        if (!json_valid(buf + i, (size_t)(nl - buf) - i)) {
            fwrite(buf + i, 1, (size_t)(nl - buf) - i + 1, stderr);
            FUZZ_CHECK(!"JSON line is valid");
        }
        i = (size_t)(nl - buf) + 1;
    }
    FUZZ_CHECK(lines == want);
}

/* A CSV of a header and @p rows rows of @p nf fields; @p want lists
 * (column, expected text) pairs of row 1, ending with a NULL text. */
typedef struct cell {
    size_t col;
    const char *text;
} cell;

static void check_csv(const char *buf, size_t len, size_t rows, size_t nf,
                      const cell *want)
{
    csv_table t;
    if (!csv_parse(buf, len, &t)) {
        fwrite(buf, 1, len, stderr);
        FUZZ_CHECK(!"CSV is valid RFC 4180");
    }
    FUZZ_CHECK(t.nrows == rows + 1);
    for (size_t r = 0; r < t.nrows; r++) {
        size_t n;
        csv_row(&t, r, &n);
        FUZZ_CHECK(n == nf);
    }
    size_t n;
    char **f = csv_row(&t, 1, &n);
    for (; want->text; want++) {
        if (strcmp(f[want->col], want->text)) {
            fprintf(stderr, "CSV column %zu: [%s], not [%s]\n", want->col,
                    f[want->col], want->text);
            FUZZ_CHECK(!"CSV field reads back as written");
        }
    }
    csv_free(&t);
}

/* A valid page whose text holds each of @p texts (NULL-terminated). */
static void check_html(const char *buf, size_t len, const char *const *texts)
{
    html_doc d;
    if (!html_parse(buf, len, &d)) {
        fwrite(buf, 1, len, stderr);
        FUZZ_CHECK(!"HTML is well formed and escaped");
    }
    FUZZ_CHECK(d.nscripts_json == 1);
    FUZZ_CHECK(json_valid(d.json, d.njson));
    FUZZ_CHECK(!memchr(d.json, '<', d.njson));
    for (; *texts; texts++) {
        if (!strstr(d.text, *texts)) {
            fprintf(stderr, "[%s] not in the page's text\n", *texts);
            FUZZ_CHECK(!"the page shows the text as given");
        }
    }
    free(d.text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_in in = {data, size};
    char *name1 = piece(&in), *name2 = piece(&in);
    char *qa = piece(&in), *qb = piece(&in);
    double x = 0;
    memcpy(&x, in.p, ND_MIN(in.n, sizeof x));

    /* json_string alone: valid, and lossless on valid UTF-8. */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    FUZZ_CHECK(f);
    json_string(f, qa);
    fclose(f);
    FUZZ_CHECK(json_valid(buf, len));
    if (utf8_valid(qa, strlen(qa))) {
        char *back = malloc(len + 1);
        FUZZ_CHECK(back);
        size_t k = unescape(buf, len, back);
        FUZZ_CHECK(k == strlen(qa) && !memcmp(back, qa, k));
        free(back);
    }
    free(buf);
    f = open_memstream(&buf, &len);
    FUZZ_CHECK(f);
    json_number(f, x);
    fclose(f);
    FUZZ_CHECK(json_valid(buf, len));
    free(buf);

    /* Records quoting the strings, in every format. */
    nd_corpus *c;
    FUZZ_OK(nd_corpus_new(fuzz_ctx(0), &c));
    static const char text[] = "两份文件";
    FUZZ_OK(nd_corpus_add_memory(c, name1, text, sizeof text - 1));
    FUZZ_OK(nd_corpus_add_memory(c, name2, text, sizeof text - 1));
    nd_occurrence occ[2] = {{0, 0, 3}, {1, 3, 6}};
    uint32_t docs[2] = {0, 1};
    nd_record recs[5];
    memset(recs, 0, sizeof recs);
    recs[0].type = ND_REC_DOCUMENT;
    recs[0].u.document = *nd_corpus_document(c, 0);
    recs[0].u.document.title = qb;
    recs[1].type = ND_REC_PAIR;
    recs[1].u.pair = (nd_pair){.a = 0, .b = 1, .jaccard = x,
                               .jaccard_est = -x, .containment_a = x * 1e300,
                               .containment_b = NAN};
    recs[2].type = ND_REC_PASSAGE;
    recs[2].u.passage = (nd_passage){.a = 0, .b = 1, .a_end = 3, .b_end = 6,
                                     .chars = 1, .similarity = x,
                                     .a_text = qa, .b_text = qb};
    recs[3].type = ND_REC_BOILERPLATE;
    recs[3].u.boilerplate = (nd_boilerplate){.text = qa, .chars = 1,
                                             .df = 2, .n = 2, .occ = occ};
    recs[4].type = ND_REC_CLUSTER;
    recs[4].u.cluster = (nd_cluster){.id = 0, .n = 2, .docs = docs};

    char *r1 = repaired(name1, 0), *r2 = repaired(name2, 0);
    char *ra = repaired(qa, 0), *rb = repaired(qb, 0);
    char *t0 = repaired(nd_corpus_document(c, 0)->title, 0);
    char *t1 = repaired(nd_corpus_document(c, 1)->title, 0);
    char *h1 = repaired(name1, 1), *h2 = repaired(name2, 1);

    buf = render(FMT_TEXT, 0, 0, c, recs, 5, name2, &len);
    FUZZ_CHECK(text_clean(buf, len));
    free(buf);
    buf = render(FMT_JSONL, 0, 0, c, recs, 5, name2, &len);
    check_jsonl(buf, len, 5);
    free(buf);
    buf = render(FMT_CSV, CSV_PAIRS, 0, c, recs, 5, name2, &len);
    check_csv(buf, len, 1, 15, (const cell[]){{0, "0"}, {1, "1"}, {2, r1},
                                              {3, r2}, {4, t0}, {5, t1},
                                              {0, NULL}});
    free(buf);
    buf = render(FMT_CSV, CSV_PASSAGES, 0, c, recs, 5, name2, &len);
    check_csv(buf, len, 1, 19, (const cell[]){{2, r1}, {3, "0"}, {4, "3"},
                                              {7, r2}, {17, ra}, {18, rb},
                                              {0, NULL}});
    free(buf);
    buf = render(FMT_HTML, 0, 0, c, recs, 5, name2, &len);
    check_html(buf, len, (const char *const[]){
                             strlen(name2) <= 200 ? h2 : "", NULL});
    free(buf);
    nd_corpus_free(c);

    /* The audit of a draft (name1) copying from a source (name2). */
    FUZZ_OK(nd_corpus_new(fuzz_ctx(0), &c));
    FUZZ_OK(nd_corpus_add_memory(c, name1, text, sizeof text - 1));
    nd_source src = {.doc = 7, .file = name2, .end = 12, .title = qb,
                     .chars = 1, .matched = 1, .share = x};
    nd_section sec = {.title = qa, .end = 12, .chars = 4, .copied = 1,
                      .copy_ratio = -x};
    nd_record arec[2];
    memset(arec, 0, sizeof arec);
    arec[0].type = ND_REC_REPORT;
    arec[0].u.report = (nd_report){.draft = name1, .chars = 4, .copied = 1,
                                   .copy_ratio = x, .largest_source_ratio = x,
                                   .passages = 1, .nsources = 1,
                                   .sources = &src, .nsections = 1,
                                   .sections = &sec};
    arec[1].type = ND_REC_PASSAGE;
    arec[1].u.passage = (nd_passage){.a = 0, .b = 7, .a_end = 3,
                                     .b_start = 1, .b_end = 9, .chars = 1,
                                     .similarity = x, .a_text = qa,
                                     .b_text = qb};
    buf = render(FMT_TEXT, 0, 1, c, arec, 2, name2, &len);
    FUZZ_CHECK(text_clean(buf, len));
    free(buf);
    buf = render(FMT_CSV, 0, 1, c, arec, 2, name2, &len);
    check_csv(buf, len, 1, 17, (const cell[]){{0, r1}, {1, "0"}, {2, "3"},
                                              {5, "7"}, {6, r2}, {15, ra},
                                              {16, rb}, {0, NULL}});
    free(buf);
    buf = render(FMT_HTML, 0, 1, c, arec, 2, name2, &len);
    check_html(buf, len, (const char *const[]){
                             h1, strlen(name2) <= 200 ? h2 : "", NULL});
    free(buf);
    nd_corpus_free(c);

    free(r1);
    free(r2);
    free(ra);
    free(rb);
    free(t0);
    free(t1);
    free(h1);
    free(h2);
    free(name1);
    free(name2);
    free(qa);
    free(qb);
    return 0;
}
