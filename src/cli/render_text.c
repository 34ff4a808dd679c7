/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * The text rendering, for people at a terminal: a summary first, then the
 * pairs ranked by reused characters, each with its passages located as
 * file:line:column (from the byte offsets) and the two texts with the
 * characters that differ marked (in colour, or as [-a-] / {+b+} without),
 * then boilerplate and clusters.  Control characters of the documents are
 * never written raw to the terminal.
 */
#include <stdlib.h>
#include <string.h>

#include "render.h"

#define C_BOLD "\033[1m"
#define C_DIM "\033[2m"
#define C_RED "\033[1;31m"
#define C_GREEN "\033[1;32m"
#define C_CYAN "\033[36m"
#define C_YELLOW "\033[33m"
#define C_OFF "\033[0m"

static const char *col(const renderer *r, const char *code)
{
    return r->color ? code : "";
}

/*
 * Write UTF-8 @p s on one line: newlines as U+21B5, tabs as spaces, other
 * controls and invalid bytes as U+FFFD.  With @p marks (one per code
 * point), marked runs are wrapped in @p on / @p off.
 */
static void put_text(FILE *f, const char *s, const unsigned char *marks,
                     size_t nmarks, const char *on, const char *off)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t k = 0;
    int in = 0;
    while (p && *p) {
        int m = marks && k < nmarks && marks[k];
        if (m != in) {
            fputs(m ? on : off, f);
            in = m;
        }
        int len = utf8_len(p);
        if (*p == '\n')
            fputs("\u21b5", f);
        else if (*p == '\t')
            putc(' ', f);
        else if (!len || *p < 0x20 || *p == 0x7F ||
                 (p[0] == 0xC2 && p[1] >= 0x80 && p[1] < 0xA0))
            fputs("\ufffd", f); /* C0, DEL, C1 controls; invalid bytes */
        else if (*p != '\r')
            fwrite(p, 1, (size_t)len, f);
        p += len ? len : 1;
        k++;
    }
    if (in)
        fputs(off, f);
}

static void put_location(renderer *r, uint32_t doc, uint64_t start,
                         uint64_t end)
{
    nd_position s = locate(r->corpus, doc, start);
    nd_position e = locate(r->corpus, doc, end);
    char name[64];
    fprintf(r->out, "    %s", col(r, C_CYAN));
    text_escape(r->out, doc_file(r->corpus, doc));
    fprintf(r->out, ":%llu:%llu%s", (unsigned long long)s.line,
            (unsigned long long)s.column, col(r, C_OFF));
    snprintf(name, sizeof name, "-%llu:%llu", (unsigned long long)e.line,
             (unsigned long long)e.column);
    fprintf(r->out, "%s%s (bytes %llu-%llu)%s\n", col(r, C_DIM), name,
            (unsigned long long)start, (unsigned long long)end,
            col(r, C_OFF));
}

static void put_passage(renderer *r, const nd_passage *p, size_t no)
{
    FILE *f = r->out;
    fprintf(f, "  %spassage %zu%s: %u characters, similarity %.2f, in %u "
               "document%s%s%s%s\n",
            col(r, C_BOLD), no, col(r, C_OFF), p->chars, p->similarity,
            p->df, p->df == 1 ? "" : "s", col(r, C_YELLOW),
            p->boilerplate ? " (boilerplate)" : "", col(r, C_OFF));
    unsigned char *ma, *mb;
    size_t na, nb;
    passage_diff(r->corpus, &r->hold, p, &ma, &na, &mb, &nb);
    put_location(r, p->a, p->a_start, p->a_end);
    fputs("      ", f);
    put_text(f, p->a_text, ma, na, r->color ? C_RED : "[-",
             r->color ? C_OFF : "-]");
    fputc('\n', f);
    put_location(r, p->b, p->b_start, p->b_end);
    fputs("      ", f);
    put_text(f, p->b_text, mb, nb, r->color ? C_GREEN : "{+",
             r->color ? C_OFF : "+}");
    fputc('\n', f);
    free(ma);
    free(mb);
}

static void put_doc(renderer *r, uint32_t doc)
{
    const nd_document *d = nd_corpus_document(r->corpus, doc);
    fputs(col(r, C_CYAN), r->out);
    text_escape(r->out, d ? d->file : "?");
    fprintf(r->out, "#%u%s", d ? d->ordinal : 0, col(r, C_OFF));
    if (d && *d->title) {
        /* At most 40 characters of the title. */
        char t[256];
        const unsigned char *p = (const unsigned char *)d->title;
        size_t n = 0, k = 0;
        while (p[n] && k < 40 && n < sizeof t - 8) {
            int len = utf8_len(p + n);
            n += len ? (size_t)len : 1;
            k++;
        }
        memcpy(t, d->title, n);
        strcpy(t + n, p[n] ? "\u2026" : "");
        fputs(" \u201c", r->out);
        put_text(r->out, t, NULL, 0, "", "");
        fputs("\u201d", r->out);
    }
}

static void put_pct(FILE *f, double x)
{
    fprintf(f, "%5.1f%%", 100 * x);
}

/* The draft audit of a check: the ratios, the sources with their shares,
 * the sections, then each copied passage located in the draft
 * (file:line:column) with the source's file and byte range (sources are
 * in the index, not in the corpus). */
static void audit_text(renderer *r, const m_audit *a)
{
    FILE *f = r->out;
    fputs(col(r, C_BOLD), f);
    text_escape(f, a->draft ? a->draft : doc_file(r->corpus, a->doc));
    fprintf(f, "%s: %u characters, %scopy ratio ", col(r, C_OFF), a->chars,
            col(r, C_RED));
    put_pct(f, a->ratio);
    fprintf(f, "%s (", col(r, C_OFF));
    put_pct(f, a->ratio_no_boilerplate);
    fputs(" without boilerplate), largest source ", f);
    put_pct(f, a->largest_source_ratio);
    fputs(", quoted ", f);
    put_pct(f, a->quoted_ratio);
    if (a->template_ratio > 0) {
        fputs(", template ", f);
        put_pct(f, a->template_ratio);
    }
    fputc('\n', f);
    if (a->nsources)
        fputs("  sources (share of the draft):\n", f);
    for (size_t i = 0; i < a->nsources; i++) {
        const m_source *s = &a->sources[i];
        fputs("    ", f);
        put_pct(f, s->share);
        fprintf(f, "  %s", col(r, C_CYAN));
        text_escape(f, s->file);
        fprintf(f, "#%u%s  ", s->ordinal, col(r, C_OFF));
        put_text(f, s->title, NULL, 0, "", "");
        fputc('\n', f);
    }
    if (a->nsections)
        fputs("  sections (copy ratio):\n", f);
    for (size_t i = 0; i < a->nsections; i++) {
        fputs("    ", f);
        put_pct(f, a->sections[i].copy_ratio);
        fputs("  ", f);
        put_text(f, *a->sections[i].title ? a->sections[i].title
                                          : "(before the first heading)",
                 NULL, 0, "", "");
        fputc('\n', f);
    }
    if (a->npassages)
        fputs("  passages:\n", f);
    for (size_t i = 0; i < a->npassages; i++) {
        const nd_passage *p = &a->passages[i];
        const m_source *s = audit_source(a, p->b);
        nd_position ps = locate(r->corpus, a->doc, p->a_start);
        nd_position pe = locate(r->corpus, a->doc, p->a_end);
        fprintf(f, "    %s", col(r, C_CYAN));
        text_escape(f, doc_file(r->corpus, a->doc));
        fprintf(f, ":%llu:%llu-%llu:%llu%s (bytes %llu-%llu) <- %s",
                (unsigned long long)ps.line,
                (unsigned long long)ps.column, (unsigned long long)pe.line,
                (unsigned long long)pe.column, col(r, C_OFF),
                (unsigned long long)p->a_start, (unsigned long long)p->a_end,
                col(r, C_CYAN));
        text_escape(f, s ? s->file : "?");
        fprintf(f, "#%u%s [%llu, %llu): %u chars, similarity %.2f, "
                   "df %u%s%s%s\n      ",
                s ? s->ordinal : 0,
                col(r, C_OFF), (unsigned long long)p->b_start,
                (unsigned long long)p->b_end, p->chars, p->similarity, p->df,
                col(r, C_YELLOW), p->boilerplate ? " (boilerplate)" : "",
                col(r, C_OFF));
        put_text(f, p->a_text, NULL, 0, "", "");
        fputc('\n', f);
    }
}

static int text_end(renderer *r, const run_info *info)
{
    FILE *f = r->out;
    const result_model *m = &r->model;
    if (m->has_audit && !m->npairs) { /* a check: the audit is all */
        audit_text(r, &m->audit);
        return 0;
    }
    size_t near = 0;
    for (size_t i = 0; i < m->npairs; i++)
        near += m->pairs[i].p.near_duplicate != 0;
    uint32_t bdf = 0;
    for (size_t i = 0; i < m->nboiler; i++)
        bdf = m->boiler[i].df > bdf ? m->boiler[i].df : bdf;
    fprintf(f, "%s%llu documents%s in %zu file%s (%.1f MB), %.2f s\n",
            col(r, C_BOLD), (unsigned long long)info->stats.documents,
            col(r, C_OFF), info->files, info->files == 1 ? "" : "s",
            (double)info->stats.bytes / 1e6, info->seconds);
    if (info->settings->pairs_only)
        fprintf(f, "%zu similar pair%s (%zu near-duplicate%s), passages not "
                   "searched (--pairs-only)",
                m->npairs, m->npairs == 1 ? "" : "s", near,
                near == 1 ? "" : "s");
    else
        fprintf(f, "%zu pair%s with reused text (%zu near-duplicate%s), %zu "
                   "passage%s, %zu boilerplate passage%s",
                m->npairs, m->npairs == 1 ? "" : "s", near,
                near == 1 ? "" : "s", m->npassages,
                m->npassages == 1 ? "" : "s", m->nboiler,
                m->nboiler == 1 ? "" : "s");
    if (m->nboiler)
        fprintf(f, " (in up to %u documents)", bdf);
    fprintf(f, ", %zu cluster%s.\n", m->nclusters,
            m->nclusters == 1 ? "" : "s");
    if (!near)
        fprintf(f, "No near-duplicate documents at Jaccard >= %g or "
                   "containment >= %g.\n",
                info->settings->threshold, info->settings->containment);
    if (info->skipped)
        fprintf(f, "%zu input%s skipped or read with errors (see standard "
                   "error).\n", info->skipped, info->skipped == 1 ? "" : "s");

    if (m->has_audit)
        audit_text(r, &m->audit);

    size_t *rank = model_ranked_pairs(m);
    for (size_t i = 0; i < m->npairs; i++) {
        const m_pair *q = &m->pairs[rank[i]];
        const nd_pair *p = &q->p;
        fprintf(f, "\n%s%s%s ", col(r, C_BOLD),
                p->near_duplicate ? "NEAR-DUPLICATE" : "REUSE",
                col(r, C_OFF));
        put_doc(r, p->a);
        fputs("  <->  ", f);
        put_doc(r, p->b);
        fprintf(f, "\n  %u / %u characters reused in %u passage%s",
                p->reused_chars_a, p->reused_chars_b, p->passages,
                p->passages == 1 ? "" : "s");
        if (p->boilerplate)
            fprintf(f, " (%u boilerplate)", p->boilerplate);
        fprintf(f, "; jaccard %.3f (estimate %.3f), containment %.3f / "
                   "%.3f\n", p->jaccard, p->jaccard_est, p->containment_a,
                p->containment_b);
        for (size_t k = 0; k < q->n; k++)
            put_passage(r, &m->passages[q->first + k], k + 1);
    }
    free(rank);

    for (size_t i = 0; i < m->nboiler; i++) {
        const nd_boilerplate *b = &m->boiler[i];
        fprintf(f, "\n%sBOILERPLATE%s in %u documents (%u characters): ",
                col(r, C_YELLOW), col(r, C_OFF), b->df, b->chars);
        put_text(f, b->text, NULL, 0, "", "");
        fputc('\n', f);
        for (size_t k = 0; k < b->n; k++) {
            nd_position s = locate(r->corpus, b->occ[k].doc,
                                   b->occ[k].start);
            fputs("    ", f);
            text_escape(f, doc_file(r->corpus, b->occ[k].doc));
            fprintf(f, ":%llu:%llu\n", (unsigned long long)s.line,
                    (unsigned long long)s.column);
        }
    }
    for (size_t i = 0; i < m->nclusters; i++) {
        const nd_cluster *c = &m->clusters[i];
        fprintf(f, "\n%sCLUSTER %u%s: %zu near-duplicate documents\n",
                col(r, C_BOLD), c->id, col(r, C_OFF), c->n);
        for (size_t k = 0; k < c->n; k++) {
            fputs("    ", f);
            put_doc(r, c->docs[k]);
            fputc('\n', f);
        }
    }
    return 0;
}

const render_ops render_text = {"text", 1, NULL, NULL, text_end};
