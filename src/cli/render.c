/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Renderings of the result model of DESIGN.md: JSON Lines (stable field
 * order, one record per line) and a readable text form.
 */
#include "render.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at p, 0 if invalid. */
static int utf8_len(const unsigned char *p)
{
    unsigned c = p[0];
    int len = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
              : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    unsigned cp = len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
    for (int i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (p[i] & 0x3Fu);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp < 0xE000))) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0;
    return len;
}

void json_string(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    putc('"', f);
    while (p && *p) {
        unsigned c = *p;
        if (c == '"' || c == '\\') {
            putc('\\', f);
            putc((int)c, f);
            p++;
        } else if (c < 0x20 || c == 0x7F) {
            switch (c) {
            case '\n': fputs("\\n", f); break;
            case '\r': fputs("\\r", f); break;
            case '\t': fputs("\\t", f); break;
            default: fprintf(f, "\\u%04x", c);
            }
            p++;
        } else if (c < 0x80) {
            putc((int)c, f);
            p++;
        } else {
            /* Copy a valid UTF-8 sequence; anything else is U+FFFD. */
            int len = utf8_len(p), ok = len > 0;
            if (len == 3 && p[0] == 0xE2 && p[1] == 0x80 &&
                (p[2] == 0xA8 || p[2] == 0xA9)) {
                fprintf(f, "\\u%s", p[2] == 0xA8 ? "2028" : "2029");
                p += 3;
                continue;
            }
            if (ok) {
                fwrite(p, 1, (size_t)len, f);
                p += len;
            } else {
                fputs("\\ufffd", f);
                p++;
            }
        }
    }
    putc('"', f);
}

void json_number(FILE *f, double x)
{
    char b[32];
    if (!isfinite(x))
        x = 0;
    snprintf(b, sizeof b, "%.4f", x);
    size_t n = strlen(b);
    while (n > 1 && b[n - 1] == '0')
        b[--n] = 0;
    if (n > 1 && b[n - 1] == '.')
        b[--n] = 0;
    if (!strcmp(b, "-0"))
        strcpy(b, "0");
    fputs(b, f);
}

static const char *file_of(const renderer *r, uint32_t doc)
{
    const nd_document *d = nd_corpus_document(r->corpus, doc);
    return d ? d->file : "?";
}

static void jsonl(renderer *r, const nd_record *rec)
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
        json_string(f, file_of(r, p->a));
        fputs(",\"b_file\":", f);
        json_string(f, file_of(r, p->b));
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
        json_string(f, file_of(r, p->a));
        fprintf(f, ",\"a_start\":%llu,\"a_end\":%llu,\"b_file\":",
                (unsigned long long)p->a_start, (unsigned long long)p->a_end);
        json_string(f, file_of(r, p->b));
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
            json_string(f, file_of(r, b->occ[i].doc));
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

/* "file#ordinal" names a document in text output. */
static void doc_name(FILE *f, const renderer *r, uint32_t doc)
{
    const nd_document *d = nd_corpus_document(r->corpus, doc);
    text_escape(f, d ? d->file : "?");
    fprintf(f, "#%u", d ? d->ordinal : 0);
}

static void text(renderer *r, const nd_record *rec)
{
    FILE *f = r->out;
    switch (rec->type) {
    case ND_REC_DOCUMENT:
        r->docs++;
        break;
    case ND_REC_PAIR: {
        const nd_pair *p = &rec->u.pair;
        r->pairs++;
        r->near_dups += p->near_duplicate != 0;
        fprintf(f, "\n%s ", p->near_duplicate ? "NEAR-DUPLICATE" : "REUSE");
        doc_name(f, r, p->a);
        fputs("  <->  ", f);
        doc_name(f, r, p->b);
        fputc('\n', f);
        fprintf(f, "  jaccard %.3f (estimate %.3f), containment %.3f / %.3f, "
                   "%u passage%s, %u / %u characters reused",
                p->jaccard, p->jaccard_est, p->containment_a, p->containment_b,
                p->passages, p->passages == 1 ? "" : "s", p->reused_chars_a,
                p->reused_chars_b);
        if (p->boilerplate)
            fprintf(f, " (+%u boilerplate)", p->boilerplate);
        fputc('\n', f);
        break;
    }
    case ND_REC_PASSAGE: {
        const nd_passage *p = &rec->u.passage;
        r->passages++;
        fprintf(f, "  passage: %u chars, similarity %.2f, df %u\n",
                p->chars, p->similarity, p->df);
        for (int side = 0; side < 2; side++) {
            fputs("    ", f);
            text_escape(f, file_of(r, side ? p->b : p->a));
            fprintf(f, " [%llu, %llu): ",
                    (unsigned long long)(side ? p->b_start : p->a_start),
                    (unsigned long long)(side ? p->b_end : p->a_end));
            text_escape(f, side ? p->b_text : p->a_text);
            fputc('\n', f);
        }
        break;
    }
    case ND_REC_BOILERPLATE: {
        const nd_boilerplate *bp = &rec->u.boilerplate;
        r->boilerplate++;
        fprintf(f, "\nBOILERPLATE in %u documents (%u chars): ", bp->df,
                bp->chars);
        text_escape(f, bp->text);
        fputc('\n', f);
        for (size_t i = 0; i < bp->n; i++) {
            fputs("    ", f);
            doc_name(f, r, bp->occ[i].doc);
            fprintf(f, " [%llu, %llu)\n",
                    (unsigned long long)bp->occ[i].start,
                    (unsigned long long)bp->occ[i].end);
        }
        break;
    }
    case ND_REC_CLUSTER: {
        const nd_cluster *c = &rec->u.cluster;
        r->clusters++;
        fprintf(f, "\nCLUSTER %u of %zu near-duplicate documents:", c->id,
                c->n);
        for (size_t i = 0; i < c->n; i++) {
            fputc(' ', f);
            doc_name(f, r, c->docs[i]);
        }
        fputc('\n', f);
        break;
    }
    }
}

int render_record(void *user, const nd_record *rec)
{
    renderer *r = user;
    if (r->format == FMT_JSONL)
        jsonl(r, rec);
    else
        text(r, rec);
    return ferror(r->out) ? -1 : 0;
}
