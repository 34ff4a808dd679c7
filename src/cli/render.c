/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * The renderer interface (dispatch per format), JSON helpers shared by the
 * formats, and JSON Lines: the result model of DESIGN.md, stable field
 * order, one record per line, written as the records arrive.
 */
#include "render.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

int utf8_len(const unsigned char *p)
{
    unsigned c = p[0];
    if (c < 0x80)
        return c ? 1 : 0;
    int len = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
              : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    for (int i = 1; i < len; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    if (len == 3) {
        unsigned cp = (c & 0x0F) << 12 | (p[1] & 0x3Fu) << 6 | (p[2] & 0x3Fu);
        if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
    } else if (len == 4) {
        unsigned cp = (c & 0x07) << 18 | (p[1] & 0x3Fu) << 12 |
                      (p[2] & 0x3Fu) << 6 | (p[3] & 0x3Fu);
        if (cp < 0x10000 || cp > 0x10FFFF)
            return 0;
    }
    return len;
}

void json_string_html(FILE *f, const char *s, int html)
{
    const unsigned char *p = (const unsigned char *)s, *run = p;
    putc('"', f);
    /* Bytes that need no escape go out in runs, one fwrite each. */
    while (p && *p) {
        unsigned c = *p;
        if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\' &&
            !(html && (c == '<' || c == '>' || c == '&'))) {
            p++;
            continue;
        }
        /* Most of a Chinese text: three bytes, lead E1-EC or EE-EF (no
         * overlong form, no surrogate), not U+2028/2029 (E2 80 A8/A9). */
        if (c >= 0xE1 && c <= 0xEF && c != 0xED && (p[1] & 0xC0) == 0x80 &&
            (p[2] & 0xC0) == 0x80 && (c != 0xE2 || p[1] != 0x80)) {
            p += 3;
            continue;
        }
        int len = c >= 0x80 ? utf8_len(p) : 0;
        int sep = len == 3 && p[0] == 0xE2 && p[1] == 0x80 &&
                  (p[2] == 0xA8 || p[2] == 0xA9);
        if (len && !sep) { /* a valid UTF-8 sequence, copied */
            p += len;
            continue;
        }
        if (p > run)
            fwrite(run, 1, (size_t)(p - run), f);
        if (c == '"' || c == '\\') {
            putc('\\', f);
            putc((int)c, f);
        } else if (sep) {
            fprintf(f, "\\u%s", p[2] == 0xA8 ? "2028" : "2029");
            p += 2;
        } else if (c >= 0x80) { /* not UTF-8 */
            fputs("\\ufffd", f);
        } else {
            switch (c) {
            case '\n': fputs("\\n", f); break;
            case '\r': fputs("\\r", f); break;
            case '\t': fputs("\\t", f); break;
            default: fprintf(f, "\\u%04x", c); /* controls, <, >, & */
            }
        }
        run = ++p;
    }
    if (p > run)
        fwrite(run, 1, (size_t)(p - run), f);
    putc('"', f);
}

void json_string(FILE *f, const char *s) { json_string_html(f, s, 0); }

void markup_text(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        int len = utf8_len(p);
        switch (*p) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default:
            if (!len || (*p < 0x20 && *p != '\n' && *p != '\t') ||
                *p == 0x7F || (*p == 0xC2 && p[1] < 0xA0)) /* C0, C1 */
                fputs("\xEF\xBF\xBD", f);
            else
                fwrite(p, 1, (size_t)len, f);
        }
        p += len ? len : 1;
    }
}

void json_number(FILE *f, double x)
{
    char b[32];
    if (!isfinite(x))
        x = 0;
    /* printf's %.4f rounds the exact value: so does rounding x * 10^4,
     * whose error (below 10^-9 here) only matters near a tie, left to
     * printf.  A report has a few numbers a pair, 160,000 pairs at 1 GB. */
    double y = x * 1e4, fl = floor(y);
    if (x >= 0 && x < 1e6 && fabs(y - fl - 0.5) > 1e-6) {
        unsigned long r = (unsigned long)fl + (y - fl > 0.5);
        char t[24], *o = t + sizeof t;
        for (int k = 0; k < 4; k++, r /= 10)
            *--o = (char)('0' + r % 10);
        *--o = '.';
        do
            *--o = (char)('0' + r % 10);
        while (r /= 10);
        memcpy(b, o, (size_t)(t + sizeof t - o));
        b[t + sizeof t - o] = 0;
    } else {
        snprintf(b, sizeof b, "%.4f", x);
    }
    size_t n = strlen(b);
    while (n > 1 && b[n - 1] == '0')
        b[--n] = 0;
    if (n > 1 && b[n - 1] == '.')
        b[--n] = 0;
    if (!strcmp(b, "-0"))
        strcpy(b, "0");
    fputs(b, f);
}

const char *doc_file(const nd_corpus *c, uint32_t doc)
{
    const nd_document *d = nd_corpus_document(c, doc);
    return d ? d->file : "?";
}

static int jsonl_record(renderer *r, const nd_record *rec)
{
    FILE *f = r->out;
    switch (rec->type) {
    case ND_REC_DOCUMENT: {
        const nd_document *d = &rec->u.document;
        fprintf(f, "{\"type\":\"document\",\"doc\":%u,\"file\":", d->id);
        json_string(f, d->file);
        fprintf(f, ",\"ordinal\":%u,\"start\":%llu,\"end\":%llu,\"title\":",
                d->ordinal, (unsigned long long)d->start,
                (unsigned long long)d->end);
        json_string(f, d->title);
        fprintf(f, ",\"chars\":%u,\"encoding\":", d->chars);
        json_string(f, d->encoding);
        fputs("}\n", f);
        break;
    }
    case ND_REC_PAIR: {
        const nd_pair *p = &rec->u.pair;
        fprintf(f, "{\"type\":\"pair\",\"a_doc\":%u,\"b_doc\":%u,\"a_file\":",
                p->a, p->b);
        json_string(f, doc_file(r->corpus, p->a));
        fputs(",\"b_file\":", f);
        json_string(f, doc_file(r->corpus, p->b));
        fputs(",\"jaccard\":", f);
        json_number(f, p->jaccard);
        fputs(",\"jaccard_est\":", f);
        json_number(f, p->jaccard_est);
        fputs(",\"containment_a\":", f);
        json_number(f, p->containment_a);
        fputs(",\"containment_b\":", f);
        json_number(f, p->containment_b);
        fprintf(f, ",\"near_duplicate\":%s,\"passages\":%u,\"boilerplate\":%u"
                   ",\"reused_chars_a\":%u,\"reused_chars_b\":%u}\n",
                p->near_duplicate ? "true" : "false", p->passages,
                p->boilerplate, p->reused_chars_a, p->reused_chars_b);
        break;
    }
    case ND_REC_PASSAGE: {
        const nd_passage *p = &rec->u.passage;
        fprintf(f, "{\"type\":\"passage\",\"a_doc\":%u,\"b_doc\":%u,"
                   "\"a_file\":", p->a, p->b);
        json_string(f, doc_file(r->corpus, p->a));
        fprintf(f, ",\"a_start\":%llu,\"a_end\":%llu,\"b_file\":",
                (unsigned long long)p->a_start, (unsigned long long)p->a_end);
        json_string(f, doc_file(r->corpus, p->b));
        fprintf(f, ",\"b_start\":%llu,\"b_end\":%llu,\"chars\":%u,"
                   "\"matched\":%u,\"similarity\":",
                (unsigned long long)p->b_start, (unsigned long long)p->b_end,
                p->chars, p->matched);
        json_number(f, p->similarity);
        fprintf(f, ",\"df\":%u,\"boilerplate\":%s,\"a_text\":", p->df,
                p->boilerplate ? "true" : "false");
        json_string(f, p->a_text);
        fputs(",\"b_text\":", f);
        json_string(f, p->b_text);
        fputs("}\n", f);
        break;
    }
    case ND_REC_BOILERPLATE: {
        const nd_boilerplate *b = &rec->u.boilerplate;
        fputs("{\"type\":\"boilerplate\",\"text\":", f);
        json_string(f, b->text);
        fprintf(f, ",\"chars\":%u,\"df\":%u,\"occurrences\":[", b->chars,
                b->df);
        for (size_t i = 0; i < b->n; i++) {
            fprintf(f, "%s{\"doc\":%u,\"file\":", i ? "," : "", b->occ[i].doc);
            json_string(f, doc_file(r->corpus, b->occ[i].doc));
            fprintf(f, ",\"start\":%llu,\"end\":%llu}",
                    (unsigned long long)b->occ[i].start,
                    (unsigned long long)b->occ[i].end);
        }
        fputs("]}\n", f);
        break;
    }
    case ND_REC_CLUSTER: {
        const nd_cluster *c = &rec->u.cluster;
        fprintf(f, "{\"type\":\"cluster\",\"cluster\":%u,\"size\":%zu,"
                   "\"docs\":[", c->id, c->n);
        for (size_t i = 0; i < c->n; i++)
            fprintf(f, "%s%u", i ? "," : "", c->docs[i]);
        fputs("]}\n", f);
        break;
    }
    }
    return 0;
}

void text_escape(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        unsigned c = *p;
        int len = c < 0x80 ? 1 : utf8_len(p);
        if (c == '\\') {
            fputs("\\\\", f);
        } else if (c == '\n' || c == '\t' || c == '\r') {
            fputs(c == '\n' ? "\\n" : c == '\t' ? "\\t" : "\\r", f);
        } else if (c < 0x20 || c == 0x7F || !len) {
            fprintf(f, "\\x%02x", c); /* control or invalid byte */
            len = 1;
        } else if ((len == 2 && c == 0xC2 && p[1] < 0xA0) ||
                   (len == 3 && c == 0xE2 && p[1] == 0x80 &&
                    (p[2] == 0xA8 || p[2] == 0xA9))) {
            /* C1 controls, line and paragraph separators */
            fprintf(f, "\\u%04x", len == 2 ? p[1] : 0x2000u + (p[2] & 0x3F));
        } else {
            fwrite(p, 1, (size_t)len, f);
        }
        p += len;
    }
}

static int jsonl_end(renderer *r, const run_info *info)
{
    (void)r;
    (void)info;
    return 0;
}

const render_ops render_jsonl = {"jsonl", 0, NULL, jsonl_record, jsonl_end};

const render_ops *render_ops_of(int format)
{
    switch (format) {
    case FMT_JSONL: return &render_jsonl;
    case FMT_CSV: return &render_csv;
    case FMT_HTML: return &render_html;
    case FMT_PAN: return &render_pan;
    default: return &render_text;
    }
}

int render_begin(renderer *r)
{
    if (!r->ops)
        r->ops = render_ops_of(FMT_TEXT);
    int rc = r->ops->begin ? r->ops->begin(r) : 0;
    if (rc)
        r->failed = 1;
    return rc;
}

int render_record(void *user, const nd_record *rec)
{
    renderer *r = user;
    /* A check's report is kept by every format: streaming ones need its
     * sources to name the passages that follow. */
    if (r->ops->whole || rec->type == ND_REC_REPORT)
        model_add(&r->model, rec);
    if (r->ops->record && r->ops->record(r, rec))
        r->failed = 1;
    if (r->out && ferror(r->out))
        r->failed = 1;
    return r->failed ? -1 : 0;
}

size_t render_corpus_files(const nd_corpus *c)
{
    size_t files = 0;
    const char *last = NULL;
    for (uint32_t i = 0; i < nd_corpus_size(c); i++) {
        const char *f = nd_corpus_document(c, i)->file;
        files += !last || strcmp(f, last);
        last = f;
    }
    return files;
}

int render_end(renderer *r, const run_info *info)
{
    if (info && r->ops->end && r->ops->end(r, info))
        r->failed = 1;
    if (r->out && ferror(r->out))
        r->failed = 1;
    model_free(&r->model);
    return r->failed ? -1 : 0;
}
