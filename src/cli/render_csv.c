/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * CSV (RFC 4180): a header row, then one row per pair or per passage
 * (--records), written as the records arrive.  Rows end with CRLF; a field
 * is quoted when it holds a comma, a quote, CR or LF (quotes doubled).
 * Output is UTF-8: invalid bytes in texts become U+FFFD.  For neardup
 * check (renderer.audit), one row per copied passage of each draft.
 */
#include <string.h>

#include "render.h"

static void csv_field(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    int quote = strpbrk((const char *)p, ",\"\r\n") != NULL;
    if (quote)
        putc('"', f);
    while (*p) {
        int len = utf8_len(p);
        if (*p == '"')
            fputs("\"\"", f);
        else if (len)
            fwrite(p, 1, (size_t)len, f);
        else
            fputs("\xEF\xBF\xBD", f);
        p += len ? len : 1;
    }
    if (quote)
        putc('"', f);
}

static void csv_num(FILE *f, double x)
{
    putc(',', f);
    json_number(f, x);
}

static void csv_uint(FILE *f, unsigned long long x)
{
    fprintf(f, ",%llu", x);
}

static int csv_begin(renderer *r)
{
    if (r->audit)
        fputs("draft,draft_start,draft_end,draft_line,draft_column,"
              "source_doc,source_file,source_ordinal,source_start,"
              "source_end,chars,matched,similarity,df,boilerplate,"
              "draft_text,source_text\r\n", r->out);
    else if (r->records == CSV_PASSAGES)
        fputs("a_doc,b_doc,a_file,a_start,a_end,a_line,a_column,b_file,"
              "b_start,b_end,b_line,b_column,chars,matched,similarity,df,"
              "boilerplate,a_text,b_text\r\n", r->out);
    else
        fputs("a_doc,b_doc,a_file,b_file,a_title,b_title,jaccard,"
              "jaccard_est,containment_a,containment_b,near_duplicate,"
              "passages,boilerplate,reused_chars_a,reused_chars_b\r\n",
              r->out);
    return 0;
}

static void csv_side(renderer *r, uint32_t doc, uint64_t s, uint64_t e)
{
    putc(',', r->out);
    csv_field(r->out, doc_file(r->corpus, doc));
    nd_position p = locate(r->corpus, doc, s);
    fprintf(r->out, ",%llu,%llu,%llu,%llu", (unsigned long long)s,
            (unsigned long long)e, (unsigned long long)p.line,
            (unsigned long long)p.column);
}

/* The fields every passage row ends with, and the row's end. */
static void csv_passage_end(FILE *f, const nd_passage *p)
{
    csv_uint(f, p->chars);
    csv_uint(f, p->matched);
    csv_num(f, p->similarity);
    csv_uint(f, p->df);
    fputs(p->boilerplate ? ",true," : ",false,", f);
    csv_field(f, p->a_text);
    putc(',', f);
    csv_field(f, p->b_text); /* check: empty when the source changed */
    fputs("\r\n", f);
}

/* A copied passage of a checked draft: the draft side located in the
 * corpus (the draft), the source named from the check's report. */
static void csv_audit_passage(renderer *r, const nd_passage *p)
{
    FILE *f = r->out;
    const m_audit *a = &r->model.audit;
    const m_source *s = audit_source(a, p->b);
    nd_position ps = locate(r->corpus, a->doc, p->a_start);
    csv_field(f, a->draft ? a->draft : doc_file(r->corpus, a->doc));
    fprintf(f, ",%llu,%llu,%llu,%llu,%u,", (unsigned long long)p->a_start,
            (unsigned long long)p->a_end, (unsigned long long)ps.line,
            (unsigned long long)ps.column, p->b);
    csv_field(f, s ? s->file : "");
    fprintf(f, ",%u,%llu,%llu", s ? s->ordinal : 0,
            (unsigned long long)p->b_start, (unsigned long long)p->b_end);
    csv_passage_end(f, p);
}

static int csv_record(renderer *r, const nd_record *rec)
{
    FILE *f = r->out;
    if (r->audit) {
        if (rec->type == ND_REC_PASSAGE && r->model.has_audit)
            csv_audit_passage(r, &rec->u.passage);
    } else if (rec->type == ND_REC_PAIR && r->records == CSV_PAIRS) {
        const nd_pair *p = &rec->u.pair;
        const nd_document *a = nd_corpus_document(r->corpus, p->a);
        const nd_document *b = nd_corpus_document(r->corpus, p->b);
        fprintf(f, "%u,%u,", p->a, p->b);
        csv_field(f, a ? a->file : "");
        putc(',', f);
        csv_field(f, b ? b->file : "");
        putc(',', f);
        csv_field(f, a ? a->title : "");
        putc(',', f);
        csv_field(f, b ? b->title : "");
        csv_num(f, p->jaccard);
        csv_num(f, p->jaccard_est);
        csv_num(f, p->containment_a);
        csv_num(f, p->containment_b);
        fputs(p->near_duplicate ? ",true" : ",false", f);
        csv_uint(f, p->passages);
        csv_uint(f, p->boilerplate);
        csv_uint(f, p->reused_chars_a);
        csv_uint(f, p->reused_chars_b);
        fputs("\r\n", f);
    } else if (rec->type == ND_REC_PASSAGE && r->records == CSV_PASSAGES) {
        const nd_passage *p = &rec->u.passage;
        fprintf(f, "%u,%u", p->a, p->b);
        csv_side(r, p->a, p->a_start, p->a_end);
        csv_side(r, p->b, p->b_start, p->b_end);
        csv_passage_end(f, p);
    }
    return 0;
}

const render_ops render_csv = {"csv", 0, csv_begin, csv_record, NULL};
