/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * The result model in memory (copies of the records of one run) and the
 * helpers the renderings share: positions and differing characters.
 */
#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fputs("neardup: out of memory\n", stderr);
        exit(2);
    }
    return q;
}

char *xstrdup(const char *s)
{
    size_t n = strlen(s ? s : "") + 1;
    char *d = xrealloc(NULL, n);
    memcpy(d, s ? s : "", n);
    return d;
}

/* Make room for one more element in a growable array. */
#define GROW(v, n, cap)                                                     \
    do {                                                                    \
        if ((n) == (cap)) {                                                 \
            (cap) = (cap) ? 2 * (cap) : 16;                                 \
            (v) = xrealloc((v), (cap) * sizeof *(v));                       \
        }                                                                   \
    } while (0)

static void audit_free(m_audit *a);

void model_add(result_model *m, const nd_record *rec)
{
    switch (rec->type) {
    case ND_REC_PAIR:
        GROW(m->pairs, m->npairs, m->cpairs);
        m->pairs[m->npairs++] = (m_pair){rec->u.pair, m->npassages, 0};
        break;
    case ND_REC_PASSAGE: {
        nd_passage p = rec->u.passage;
        p.a_text = xstrdup(p.a_text);
        p.b_text = p.b_text ? xstrdup(p.b_text) : NULL;
        if (m->has_audit) { /* a check's passage: b is in the index */
            m_audit *a = &m->audit;
            GROW(a->passages, a->npassages, a->cpassages);
            a->passages[a->npassages++] = p;
            break;
        }
        if (!p.b_text)
            p.b_text = xstrdup("");
        GROW(m->passages, m->npassages, m->cpassages);
        m->passages[m->npassages++] = p;
        /* Passages follow their pair (nd_corpus_scan's order). */
        if (m->npairs) {
            m_pair *q = &m->pairs[m->npairs - 1];
            if (q->p.a == p.a && q->p.b == p.b)
                q->n = m->npassages - q->first;
        }
        break;
    }
    case ND_REC_BOILERPLATE: {
        nd_boilerplate b = rec->u.boilerplate;
        b.text = xstrdup(b.text);
        nd_occurrence *occ = xrealloc(NULL, b.n * sizeof *occ);
        memcpy(occ, b.occ, b.n * sizeof *occ);
        b.occ = occ;
        GROW(m->boiler, m->nboiler, m->cboiler);
        m->boiler[m->nboiler++] = b;
        break;
    }
    case ND_REC_CLUSTER: {
        nd_cluster c = rec->u.cluster;
        uint32_t *docs = xrealloc(NULL, c.n * sizeof *docs);
        memcpy(docs, c.docs, c.n * sizeof *docs);
        c.docs = docs;
        GROW(m->clusters, m->nclusters, m->cclusters);
        m->clusters[m->nclusters++] = c;
        break;
    }
    case ND_REC_REPORT: {
        const nd_report *p = &rec->u.report;
        audit_free(&m->audit);
        m_audit *a = &m->audit;
        a->doc = 0; /* nd_index_check: the draft is document 0 */
        a->draft = xstrdup(p->draft);
        a->chars = p->chars;
        a->copied = p->copied;
        a->ratio = p->copy_ratio;
        a->ratio_no_boilerplate = p->copy_ratio_excluding_boilerplate;
        a->largest_source_ratio = p->largest_source_ratio;
        a->quoted_ratio = p->quoted_ratio;
        a->template_ratio = p->template_ratio;
        a->sources = xrealloc(NULL, p->nsources * sizeof *a->sources);
        for (size_t i = 0; i < p->nsources; i++) {
            const nd_source *s = &p->sources[i];
            a->sources[i] = (m_source){s->doc, xstrdup(s->file),
                                       xstrdup(s->title), s->ordinal,
                                       s->chars, s->share};
        }
        a->nsources = p->nsources;
        a->sections = xrealloc(NULL, p->nsections * sizeof *a->sections);
        for (size_t i = 0; i < p->nsections; i++) {
            const nd_section *s = &p->sections[i];
            a->sections[i] = (m_section){xstrdup(s->title), s->start, s->end,
                                         s->chars, s->copied, s->copy_ratio};
        }
        a->nsections = p->nsections;
        m->has_audit = 1;
        break;
    }
    default:
        break; /* documents: the corpus has them; unknown types: skipped */
    }
}

static void audit_free(m_audit *a)
{
    for (size_t i = 0; i < a->nsources; i++) {
        free(a->sources[i].file);
        free(a->sources[i].title);
    }
    for (size_t i = 0; i < a->nsections; i++)
        free(a->sections[i].title);
    for (size_t i = 0; i < a->npassages; i++) {
        free((char *)a->passages[i].a_text);
        free((char *)a->passages[i].b_text);
    }
    free(a->draft);
    free(a->sources);
    free(a->sections);
    free(a->passages);
    memset(a, 0, sizeof *a);
}

const m_source *audit_source(const m_audit *a, uint32_t doc)
{
    for (size_t i = 0; i < a->nsources; i++)
        if (a->sources[i].doc == doc)
            return &a->sources[i];
    return NULL;
}

void model_free(result_model *m)
{
    for (size_t i = 0; i < m->npassages; i++) {
        free((char *)m->passages[i].a_text);
        free((char *)m->passages[i].b_text);
    }
    for (size_t i = 0; i < m->nboiler; i++) {
        free((char *)m->boiler[i].text);
        free((void *)m->boiler[i].occ);
    }
    for (size_t i = 0; i < m->nclusters; i++)
        free((void *)m->clusters[i].docs);
    audit_free(&m->audit);
    free(m->pairs);
    free(m->passages);
    free(m->boiler);
    free(m->clusters);
    memset(m, 0, sizeof *m);
}

static const result_model *sort_model;

static int by_reuse(const void *x, const void *y)
{
    const nd_pair *a = &sort_model->pairs[*(const size_t *)x].p;
    const nd_pair *b = &sort_model->pairs[*(const size_t *)y].p;
    uint64_t ra = (uint64_t)a->reused_chars_a + a->reused_chars_b;
    uint64_t rb = (uint64_t)b->reused_chars_a + b->reused_chars_b;
    if (ra != rb)
        return ra > rb ? -1 : 1;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return (a->b > b->b) - (a->b < b->b);
}

size_t *model_ranked_pairs(const result_model *m)
{
    size_t *ix = xrealloc(NULL, m->npairs * sizeof *ix);
    for (size_t i = 0; i < m->npairs; i++)
        ix[i] = i;
    sort_model = m;
    qsort(ix, m->npairs, sizeof *ix, by_reuse);
    return ix;
}

nd_position locate(nd_corpus *c, uint32_t doc, uint64_t byte)
{
    nd_position p = {0, 0, 0};
    if (nd_corpus_locate(c, doc, byte, &p))
        memset(&p, 0, sizeof p);
    return p;
}

passage_pos passage_locate(nd_corpus *c, const nd_passage *p)
{
    passage_pos q = {locate(c, p->a, p->a_start), locate(c, p->a, p->a_end),
                     locate(c, p->b, p->b_start), locate(c, p->b, p->b_end)};
    return q;
}

size_t utf8_count(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0;
    while (p && *p) {
        int len = utf8_len(p);
        p += len ? len : 1;
        n++;
    }
    return n;
}

/* The normalized characters of document @p doc inside bytes [s, e). */
static size_t span_of(nd_corpus *c, uint32_t doc, uint64_t s, uint64_t e,
                      nd_text *t)
{
    if (nd_corpus_text(c, doc, t))
        return 0;
    size_t lo = 0, hi = t->n;
    while (lo < hi) { /* first character starting at or after s */
        size_t mid = lo + (hi - lo) / 2;
        if (t->start[mid] < s)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t from = lo;
    while (hi < t->n && t->end[hi] <= e)
        hi++;
    t->cp += from;
    t->start += from;
    t->end += from;
    t->n = hi - from;
    return t->n;
}

/* Longest common subsequence of a[0..n) and b[0..m) within a band around
 * the diagonal; in_a[i] / in_b[j] = 1 for aligned characters. */
static int banded_lcs(const uint32_t *a, size_t n, const uint32_t *b,
                      size_t m, unsigned char *in_a, unsigned char *in_b)
{
    /* A common prefix and suffix are in a longest common subsequence:
     * only the middle needs the table (most passages are exact copies,
     * and that cost 11% of a text report of 100 MB). */
    size_t pre = 0, suf = 0;
    while (pre < n && pre < m && a[pre] == b[pre])
        pre++;
    while (suf < n - pre && suf < m - pre && a[n - 1 - suf] == b[m - 1 - suf])
        suf++;
    memset(in_a, 1, pre);
    memset(in_b, 1, pre);
    memset(in_a + n - suf, 1, suf);
    memset(in_b + m - suf, 1, suf);
    a += pre;
    b += pre;
    in_a += pre;
    in_b += pre;
    n -= pre + suf;
    m -= pre + suf;
    if (!n || !m) {
        memset(in_a, 0, n);
        memset(in_b, 0, m);
        return 0;
    }
    size_t w = 64 + (n > m ? n - m : m - n);
    size_t width = 2 * w + 1;
    if (n && width > ((size_t)1 << 26) / (n + 1))
        return -1;
    unsigned char *dir = xrealloc(NULL, (n + 1) * width);
    uint32_t *prev = xrealloc(NULL, width * sizeof *prev);
    uint32_t *cur = xrealloc(NULL, width * sizeof *cur);
    /* Row i covers columns [lo(i), lo(i) + width), clipped to [0, m]. */
#define LO(i) ((size_t)((double)(i) * (double)m / (double)(n ? n : 1)) > w  \
                   ? (size_t)((double)(i) * (double)m /                    \
                              (double)(n ? n : 1)) - w : 0)
    for (size_t i = 0; i <= n; i++) {
        size_t lo = LO(i), plo = i ? LO(i - 1) : 0;
        for (size_t k = 0; k < width; k++) {
            size_t j = lo + k;
            uint32_t best = 0;
            unsigned char d = 0; /* 0 none, 1 diag, 2 up, 3 left */
            if (j > m) {
                cur[k] = 0;
                dir[i * width + k] = 0;
                continue;
            }
            if (i && j && j - 1 >= plo && j - 1 - plo < width &&
                a[i - 1] == b[j - 1]) {
                best = prev[j - 1 - plo] + 1;
                d = 1;
            }
            if (i && j >= plo && j - plo < width && prev[j - plo] > best) {
                best = prev[j - plo];
                d = 2;
            }
            if (k && cur[k - 1] > best) {
                best = cur[k - 1];
                d = 3;
            }
            if (!d)
                d = i ? (j ? 3 : 2) : 3;
            cur[k] = best;
            dir[i * width + k] = d;
        }
        uint32_t *t = prev;
        prev = cur;
        cur = t;
    }
    memset(in_a, 0, n);
    memset(in_b, 0, m);
    size_t i = n, j = m;
    while (i || j) {
        size_t lo = LO(i);
        if (j < lo || j - lo >= width) { /* outside the band: step back */
            if (i)
                i--;
            else
                j--;
            continue;
        }
        unsigned char d = dir[i * width + (j - lo)];
        if (d == 1) {
            in_a[--i] = 1;
            in_b[--j] = 1;
        } else if (d == 2 && i) {
            i--;
        } else if (j) {
            j--;
        } else {
            i--;
        }
    }
#undef LO
    free(dir);
    free(prev);
    free(cur);
    return 0;
}

/* Mark, in @p marks (one per code point of the decoded span starting at
 * character @p base), the characters that normalized characters of @p t
 * not in @p in came from. */
static void mark_side(nd_corpus *c, uint32_t doc, const nd_text *t,
                      const unsigned char *in, uint64_t base,
                      unsigned char *marks, size_t nmarks)
{
    for (size_t i = 0; i < t->n; i++) {
        if (in[i])
            continue;
        uint64_t s = locate(c, doc, t->start[i]).offset;
        uint64_t e = locate(c, doc, t->end[i]).offset;
        for (uint64_t k = s; k < e; k++)
            if (k >= base && k - base < nmarks)
                marks[k - base] = 1;
    }
}

int passage_diff(nd_corpus *c, text_hold *h, const nd_passage *p,
                 unsigned char **ma, size_t *na, unsigned char **mb,
                 size_t *nb)
{
    for (int i = 0; i < h->n; i++)
        if (h->doc[i] != p->a && h->doc[i] != p->b)
            nd_corpus_text_release(c, h->doc[i]);
    h->doc[0] = p->a;
    h->doc[1] = p->b;
    h->n = 2;
    *ma = *mb = NULL;
    *na = utf8_count(p->a_text);
    *nb = utf8_count(p->b_text);
    nd_text ta, tb;
    span_of(c, p->a, p->a_start, p->a_end, &ta);
    span_of(c, p->b, p->b_start, p->b_end, &tb);
    unsigned char *ia = xrealloc(NULL, ta.n + 1);
    unsigned char *ib = xrealloc(NULL, tb.n + 1);
    if (banded_lcs(ta.cp, ta.n, tb.cp, tb.n, ia, ib)) {
        free(ia);
        free(ib);
        return -1;
    }
    *ma = xrealloc(NULL, *na + 1);
    *mb = xrealloc(NULL, *nb + 1);
    memset(*ma, 0, *na + 1);
    memset(*mb, 0, *nb + 1);
    mark_side(c, p->a, &ta, ia, locate(c, p->a, p->a_start).offset, *ma, *na);
    mark_side(c, p->b, &tb, ib, locate(c, p->b, p->b_start).offset, *mb, *nb);
    free(ia);
    free(ib);
    return 0;
}
