/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Fuzz target: the JSON Lines and text writers of the CLI (src/cli/render.c)
 * on hostile strings.  The input is cut at 0x00 bytes into a file name for
 * each of two documents, two quoted texts and eight bytes for a number;
 * records of every type that quote them are written in both formats.
 * Properties: every JSON line is valid JSON (one record per line, strings
 * escaped, invalid UTF-8 replaced), a string of valid UTF-8 survives
 * json_string unchanged once unescaped, and the text output is valid UTF-8
 * with no control character but the newline ending each line.
 *
 * The CSV and HTML writers are written on another branch: when they land,
 * add them to the loop over formats below (CSV: each row has the same
 * number of fields, RFC 4180 quoting; HTML: no raw '<' or '&' from input).
 */
#include <math.h>
#include <string.h>

#include "fuzz.h"
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

static int valid_utf8(const char *s)
{
    jcur c = {(const unsigned char *)s,
              (const unsigned char *)s + strlen(s), 0};
    while (c.p < c.end)
        if (*c.p < 0x80)
            c.p++;
        else if (!j_utf8(&c))
            return 0;
    return 1;
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
    if (valid_utf8(qa)) {
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

    /* Records quoting the strings, in both formats. */
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
    for (int fmt = 0; fmt < 2; fmt++) {
        buf = NULL;
        len = 0;
        renderer r = {0};
        r.out = open_memstream(&buf, &len);
        FUZZ_CHECK(r.out);
        r.ops = render_ops_of(fmt ? FMT_JSONL : FMT_TEXT);
        r.corpus = c;
        FUZZ_CHECK(render_begin(&r) == 0);
        for (int i = 0; i < 5; i++)
            FUZZ_CHECK(render_record(&r, &recs[i]) == 0);
        nd_stats st = {0};
        run_info info = {st, 0, 2, 0, nd_ctx_settings(fuzz_ctx(0)), "fuzz"};
        FUZZ_CHECK(render_end(&r, &info) == 0);
        fclose(r.out);
        if (fmt == 0) {
            FUZZ_CHECK(text_clean(buf, len));
        } else {
            size_t lines = 0;
            for (size_t i = 0; i < len; lines++) {
                char *nl = memchr(buf + i, '\n', len - i);
                FUZZ_CHECK(nl);
                if (!json_valid(buf + i, (size_t)(nl - buf) - i)) {
                    fwrite(buf + i, 1, (size_t)(nl - buf) - i + 1, stderr);
                    FUZZ_CHECK(!"JSON line is valid");
                }
                i = (size_t)(nl - buf) + 1;
            }
            FUZZ_CHECK(lines == 5);
        }
        free(buf);
    }
    nd_corpus_free(c);
    free(name1);
    free(name2);
    free(qa);
    free(qb);
    return 0;
}
