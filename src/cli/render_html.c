/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * The HTML report (--format html -o report.html): one self-contained file,
 * no network (a Content-Security-Policy forbids every fetch), no external
 * scripts or fonts.  The results go into the page as JSON inside
 * <script type="application/json"> with '<', '>' and '&' escaped as \u
 * sequences, so no document text can end the element; the embedded script
 * (report.js) builds the views from it with text nodes only.  The few
 * static parts written here are HTML-escaped.
 *
 * Offsets in the JSON are code points of each document's decoded text
 * (what JavaScript's Array.from(text) indexes), lines 1-based.  Texts are
 * included for documents that take part in a pair or a boilerplate
 * passage.
 *
 * Draft audit: when the model holds a check report (model.h, m_audit),
 * "audit" is written and report.js shows the audit view first (copy ratio,
 * sources with their shares, the draft with copied passages highlighted in
 * the colour of their source); scan reports write "audit":null.
 */
#include <stdlib.h>
#include <string.h>

#include "render.h"

extern const char nd_report_js[], nd_report_css[];

static void jnum(FILE *f, const char *key, double x)
{
    fprintf(f, ",\"%s\":", key);
    json_number(f, x);
}

static int html_end(renderer *r, const run_info *info)
{
    FILE *f = r->out;
    const result_model *m = &r->model;
    size_t ndocs = nd_corpus_size(r->corpus);
    unsigned char *used = calloc(ndocs + 1, 1);
    uint64_t *base = calloc(ndocs + 1, sizeof *base);
    if (!used || !base) {
        free(used);
        free(base);
        fputs("neardup: out of memory\n", stderr);
        return -1;
    }
    for (size_t i = 0; i < m->npairs; i++)
        used[m->pairs[i].p.a] = used[m->pairs[i].p.b] = 1;
    for (size_t i = 0; i < m->nboiler; i++)
        for (size_t k = 0; k < m->boiler[i].n; k++)
            used[m->boiler[i].occ[k].doc] = 1;
    if (m->has_audit && m->audit.doc < ndocs)
        used[m->audit.doc] = 1;

    fputs("<!DOCTYPE html>\n<html lang=\"zh\">\n<head>\n"
          "<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, "
          "initial-scale=1\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
          "'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'\">\n"
          "<meta name=\"generator\" content=\"neardup ", f);
    markup_text(f, nd_version());
    fputs("\">\n<title>neardup report</title>\n"
          "<script>window.ndErrors=[];window.addEventListener('error',"
          "function(e){window.ndErrors.push(String(e.message));"
          "document.documentElement.setAttribute('data-nd-error',"
          "String(e.message));});</script>\n<style>\n", f);
    fputs(nd_report_css, f);
    fputs("</style>\n</head>\n<body>\n<header><h1>neardup report</h1>"
          "<div class=\"sub\">", f);
    if (info->command) {
        /* At most about 200 bytes of the command, cut at a character. */
        char cmd[256];
        size_t n = strlen(info->command);
        snprintf(cmd, sizeof cmd, "%s", info->command);
        if (n > 200) {
            size_t k = 200;
            while (k && (cmd[k] & 0xC0) == 0x80)
                k--;
            strcpy(cmd + k, " \xE2\x80\xA6");
        }
        markup_text(f, cmd);
        fputs(" \xC2\xB7 ", f);
    }
    if (m->has_audit && m->audit.draft) {
        const m_audit *a = &m->audit;
        markup_text(f, a->draft);
        fprintf(f, ": %u characters, %zu copied passage%s from %zu "
                   "source%s \xC2\xB7 min passage %d, max df %d</div>"
                   "</header>\n", a->chars, a->npassages,
                a->npassages == 1 ? "" : "s", a->nsources,
                a->nsources == 1 ? "" : "s", info->settings->min_passage,
                info->settings->max_df);
    } else {
        fprintf(f, "%llu documents, %zu pairs, %zu passages, %zu boilerplate "
                   "passages \xC2\xB7 threshold %g, containment %g, min passage "
                   "%d, max df %d</div></header>\n",
                (unsigned long long)info->stats.documents, m->npairs,
                m->npassages, m->nboiler, info->settings->threshold,
                info->settings->containment, info->settings->min_passage,
                info->settings->max_df);
    }
    fputs("<main id=\"nd-main\"><noscript>This report needs JavaScript to "
          "show its views.</noscript></main>\n<div id=\"nd-status\"></div>\n"
          "<script type=\"application/json\" id=\"nd-data\">\n", f);

    fprintf(f, "{\"tool\":\"neardup %s\"", nd_version());
    jnum(f, "seconds", info->seconds);
    fprintf(f, ",\"files\":%zu,\"bytes\":%llu,\"settings\":{\"threshold\":",
            info->files, (unsigned long long)info->stats.bytes);
    json_number(f, info->settings->threshold);
    jnum(f, "containment", info->settings->containment);
    fprintf(f, ",\"min_passage\":%d,\"max_df\":%d},\n\"docs\":[",
            info->settings->min_passage, info->settings->max_df);
    for (uint32_t i = 0; i < ndocs; i++) {
        const nd_document *d = nd_corpus_document(r->corpus, i);
        nd_position s = locate(r->corpus, i, d->start);
        base[i] = s.offset;
        fprintf(f, "%s\n{\"file\":", i ? "," : "");
        json_string_html(f, d->file, 1);
        fprintf(f, ",\"ord\":%u,\"title\":", d->ordinal);
        json_string_html(f, d->title, 1);
        fprintf(f, ",\"chars\":%u,\"enc\":", d->chars);
        json_string_html(f, d->encoding, 1);
        fprintf(f, ",\"line\":%llu,\"text\":", (unsigned long long)s.line);
        char *text = NULL;
        if (used[i] && !nd_corpus_slice(r->corpus, i, d->start, d->end,
                                        &text)) {
            json_string_html(f, text, 1);
            nd_free(text);
        } else {
            fputs("null", f);
        }
        fputc('}', f);
    }
    fputs("],\n\"pairs\":[", f);
    for (size_t i = 0; i < m->npairs; i++) {
        const nd_pair *p = &m->pairs[i].p;
        fprintf(f, "%s\n{\"a\":%u,\"b\":%u", i ? "," : "", p->a, p->b);
        jnum(f, "j", p->jaccard);
        jnum(f, "ca", p->containment_a);
        jnum(f, "cb", p->containment_b);
        fprintf(f, ",\"near\":%d,\"ra\":%u,\"rb\":%u,\"np\":%u,\"bp\":%u,"
                   "\"first\":%zu,\"n\":%zu}",
                p->near_duplicate != 0, p->reused_chars_a, p->reused_chars_b,
                p->passages, p->boilerplate, m->pairs[i].first,
                m->pairs[i].n);
    }
    fputs("],\n\"passages\":[", f);
    for (size_t i = 0; i < m->npassages; i++) {
        const nd_passage *p = &m->passages[i];
        passage_pos q = passage_locate(r->corpus, p);
        fprintf(f, "%s\n{\"a\":%u,\"b\":%u,\"as\":%llu,\"ae\":%llu,"
                   "\"bs\":%llu,\"be\":%llu,\"al\":%llu,\"ac\":%llu,"
                   "\"bl\":%llu,\"bc\":%llu,\"chars\":%u",
                i ? "," : "", p->a, p->b,
                (unsigned long long)(q.as.offset - base[p->a]),
                (unsigned long long)(q.ae.offset - base[p->a]),
                (unsigned long long)(q.bs.offset - base[p->b]),
                (unsigned long long)(q.be.offset - base[p->b]),
                (unsigned long long)q.as.line,
                (unsigned long long)q.as.column,
                (unsigned long long)q.bs.line,
                (unsigned long long)q.bs.column,
                p->chars);
        jnum(f, "sim", p->similarity);
        fprintf(f, ",\"df\":%u,\"bp\":%d}", p->df, p->boilerplate != 0);
    }
    fputs("],\n\"boiler\":[", f);
    for (size_t i = 0; i < m->nboiler; i++) {
        const nd_boilerplate *b = &m->boiler[i];
        fprintf(f, "%s\n{\"text\":", i ? "," : "");
        json_string_html(f, b->text, 1);
        fprintf(f, ",\"chars\":%u,\"df\":%u,\"occ\":[", b->chars, b->df);
        for (size_t k = 0; k < b->n; k++) {
            uint32_t d = b->occ[k].doc;
            fprintf(f, "%s[%u,%llu,%llu]", k ? "," : "", d,
                    (unsigned long long)(locate(r->corpus, d,
                                                b->occ[k].start).offset -
                                         base[d]),
                    (unsigned long long)(locate(r->corpus, d,
                                                b->occ[k].end).offset -
                                         base[d]));
        }
        fputs("]}", f);
    }
    fputs("],\n\"clusters\":[", f);
    for (size_t i = 0; i < m->nclusters; i++) {
        fputs(i ? ",[" : "[", f);
        for (size_t k = 0; k < m->clusters[i].n; k++)
            fprintf(f, "%s%u", k ? "," : "", m->clusters[i].docs[k]);
        fputc(']', f);
    }
    fputs("],\n\"audit\":", f);
    if (m->has_audit) {
        const m_audit *a = &m->audit;
        fprintf(f, "{\"doc\":%u", a->doc);
        jnum(f, "ratio", a->ratio);
        jnum(f, "ratio_no_boilerplate", a->ratio_no_boilerplate);
        fputs(",\"sources\":[", f);
        for (size_t i = 0; i < a->nsources; i++) {
            fprintf(f, "%s{\"doc\":%u,\"file\":", i ? "," : "",
                    a->sources[i].doc);
            json_string_html(f, a->sources[i].file, 1);
            fputs(",\"title\":", f);
            json_string_html(f, a->sources[i].title, 1);
            fprintf(f, ",\"chars\":%u", a->sources[i].chars);
            jnum(f, "share", a->sources[i].share);
            fputc('}', f);
        }
        /* The draft's copied spans, in code points of its text: [start,
         * end, source doc, similarity, boilerplate].  Only the draft side
         * is located, so the sources need not be in the corpus. */
        fputs("],\"spans\":[", f);
        int any = 0;
        /* A check's passages (audit.passages), or, for an audit made
         * from a scan, the scan's passages that touch the draft. */
        size_t nall = m->npassages + a->npassages;
        for (size_t i = 0; i < nall; i++) {
            const nd_passage *p = i < a->npassages
                                      ? &a->passages[i]
                                      : &m->passages[i - a->npassages];
            int is_a = p->a == a->doc;
            if (!is_a && p->b != a->doc)
                continue;
            uint64_t s = locate(r->corpus, a->doc,
                                is_a ? p->a_start : p->b_start).offset;
            uint64_t e = locate(r->corpus, a->doc,
                                is_a ? p->a_end : p->b_end).offset;
            fprintf(f, "%s[%llu,%llu,%u,", any ? "," : "",
                    (unsigned long long)(s - base[a->doc]),
                    (unsigned long long)(e - base[a->doc]),
                    is_a ? p->b : p->a);
            json_number(f, p->similarity);
            fprintf(f, ",%d]", p->boilerplate != 0);
            any = 1;
        }
        fputs("]}", f);
    } else {
        fputs("null", f);
    }
    fputs("}\n</script>\n<script>\n", f);
    fputs(nd_report_js, f);
    fputs("</script>\n</body>\n</html>\n", f);
    free(used);
    free(base);
    return 0;
}

const render_ops render_html = {"html", 1, NULL, NULL, html_end};
