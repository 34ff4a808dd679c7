/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Test fixture for the draft-audit view of the HTML report, until the check
 * command's `report` record exists: scans DRAFT SOURCE... and renders the
 * HTML report with an audit of DRAFT filled in by hand (the share of the
 * draft's normalized characters inside passages, per source and in all).
 * Usage: audit_fixture OUT.html DRAFT SOURCE...; prints
 * "ratio R" and "source FILE SHARE" lines for the test to compare.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nd/nd.h>

#include "render.h"

/* Characters of document @p doc covered by the passages that @p keep
 * accepts (source document, or any when src < 0). */
static uint32_t covered(nd_corpus *c, const result_model *m, uint32_t doc,
                        long src, int skip_bp)
{
    nd_text t;
    nd_corpus_text(c, doc, &t);
    uint32_t n = 0;
    for (size_t i = 0; i < t.n; i++) {
        int in = 0;
        for (size_t k = 0; k < m->npassages && !in; k++) {
            const nd_passage *p = &m->passages[k];
            if (skip_bp && p->boilerplate)
                continue;
            uint64_t s, e;
            long other;
            if (p->a == doc) {
                s = p->a_start, e = p->a_end, other = p->b;
            } else if (p->b == doc) {
                s = p->b_start, e = p->b_end, other = p->a;
            } else {
                continue;
            }
            in = t.start[i] >= s && t.end[i] <= e && (src < 0 || src == other);
        }
        n += in;
    }
    return n;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: audit_fixture OUT.html DRAFT SOURCE...\n");
        return 2;
    }
    nd_settings set;
    nd_default_settings(&set);
    set.split = ND_SPLIT_NONE; /* one file, one document */
    nd_ctx *ctx;
    nd_corpus *c;
    if (nd_ctx_new(&ctx, &set) || nd_corpus_new(ctx, &c))
        return 1;
    for (int i = 2; i < argc; i++)
        if (nd_corpus_add_path(c, argv[i]))
            return 1;
    FILE *out = fopen(argv[1], "w");
    if (!out)
        return 1;
    renderer r = {render_ops_of(FMT_HTML), out, c, 0, 0, NULL, {0}, 0, 0,
                  {{0}, 0}};
    nd_stats st;
    if (render_begin(&r) || nd_corpus_scan(c, render_record, &r, &st))
        return 1;
    const uint32_t draft = 0;
    uint32_t chars = nd_corpus_document(c, draft)->chars;
    m_audit *a = &r.model.audit;
    a->doc = draft;
    a->ratio = (double)covered(c, &r.model, draft, -1, 0) / chars;
    a->ratio_no_boilerplate = (double)covered(c, &r.model, draft, -1, 1) /
                              chars;
    a->sources = calloc(nd_corpus_size(c), sizeof *a->sources);
    for (uint32_t d = 1; d < nd_corpus_size(c); d++) {
        uint32_t n = covered(c, &r.model, draft, d, 0);
        if (n)
            a->sources[a->nsources++] = (m_source){
                .doc = d, .file = xstrdup(nd_corpus_document(c, d)->file),
                .title = xstrdup(nd_corpus_document(c, d)->title),
                .chars = n, .share = (double)n / chars};
    }
    r.model.has_audit = 1;
    printf("ratio %.4f\n", a->ratio);
    for (size_t i = 0; i < a->nsources; i++)
        printf("source %s %.4f\n",
               nd_corpus_document(c, a->sources[i].doc)->file,
               a->sources[i].share);
    run_info info = {st, 0, (size_t)argc - 2, 0, nd_ctx_settings(ctx),
                     "audit_fixture"};
    int rc = render_end(&r, &info);
    fclose(out);
    nd_corpus_free(c);
    nd_ctx_free(ctx);
    return rc ? 1 : 0;
}
