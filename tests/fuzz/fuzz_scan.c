/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Fuzz target: the whole scan of a small corpus.  Byte 0 picks the settings
 * (split mode, minimum passage, max-df, punctuation and variant folding);
 * the rest is cut into up to 8 in-memory files at each "\n\x01" and scanned
 * (detected encodings), with every record written as JSON Lines and as
 * text through the CLI's renderer.
 * Properties: documents tile their file in order; pairs name existing
 * documents (a < b) with scores in [0, 1]; every passage span lies inside
 * its document, decodes, and its quoted text normalizes to exactly the
 * document characters whose bytes lie in the span; matched characters fit
 * the span; boilerplate occurrences lie inside their documents; clusters
 * are ascending; every JSON line is valid JSON; the text output is clean
 * UTF-8 without control characters; and a second scan writes the same
 * bytes.
 */
#include <string.h>

#include "fuzz.h"
#include "json_check.h"
#include "src/cli/render.h"
#include "src/ingest.h"
#include "src/normalize.h"

typedef struct state {
    nd_corpus *c;
    renderer json, text;
    uint64_t file_len[8];
} state;

/* The characters of document @p id whose bytes lie in [s, e), against the
 * normalization of @p quote. */
static void check_quote(const nd_corpus *c, uint32_t id, uint64_t s,
                        uint64_t e, const char *quote, uint32_t chars)
{
    nd_text t;
    FUZZ_OK(nd_corpus_text(c, id, &t));
    const nd_document *d = nd_corpus_document(c, id);
    FUZZ_CHECK(d->start <= s && s <= e && e <= d->end);
    FUZZ_CHECK(quote);
    nd_decoded q;
    FUZZ_OK(nd_decode((const uint8_t *)quote, strlen(quote), "UTF-8", &q));
    nd_ntext n = {0};
    FUZZ_OK(nd_normalize(c->ctx->norm, q.cp, q.off, 0, q.n, &n));
    size_t k = 0, inside = 0;
    int same = 1;
    for (size_t i = 0; i < t.n; i++) {
        if (t.start[i] < s || t.end[i] > e)
            continue;
        inside++;
        same &= k < n.n && n.cp[k] == t.cp[i];
        k++;
    }
    if (!same || k != n.n) {
        fprintf(stderr, "doc %u bytes [%llu, %llu) quote \"%s\":\n", id,
                (unsigned long long)s, (unsigned long long)e, quote);
        for (size_t i = 0; i < t.n; i++)
            if (t.start[i] + 8 >= s && t.end[i] <= e + 8)
                fprintf(stderr, " U+%04X[%u,%u)", t.cp[i], t.start[i],
                        t.end[i]);
        fprintf(stderr, "\nquote normalized:");
        for (size_t i = 0; i < n.n; i++)
            fprintf(stderr, " U+%04X", n.cp[i]);
        fputc('\n', stderr);
        FUZZ_CHECK(!"quote normalizes to the span's characters");
    }
    FUZZ_CHECK(inside >= chars);
    nd_ntext_free(&n);
    nd_decoded_free(&q);
}

static int on_record(void *user, const nd_record *r)
{
    state *S = user;
    size_t nd = nd_corpus_size(S->c);
    switch (r->type) {
    case ND_REC_DOCUMENT: {
        const nd_document *d = &r->u.document;
        FUZZ_CHECK(d->id < nd && d->start <= d->end && d->file && d->title);
        const nd_document *prev = d->id ? nd_corpus_document(S->c, d->id - 1)
                                        : NULL;
        if (d->ordinal)
            FUZZ_CHECK(prev && prev->ordinal + 1 == d->ordinal &&
                       prev->end == d->start);
        break;
    }
    case ND_REC_PAIR: {
        const nd_pair *p = &r->u.pair;
        FUZZ_CHECK(p->a < p->b && p->b < nd);
        FUZZ_CHECK(p->jaccard >= 0 && p->jaccard <= 1 &&
                   p->containment_a >= 0 && p->containment_a <= 1 &&
                   p->containment_b >= 0 && p->containment_b <= 1 &&
                   p->jaccard_est >= 0 && p->jaccard_est <= 1);
        FUZZ_CHECK(p->reused_chars_a <= nd_corpus_document(S->c, p->a)->chars);
        FUZZ_CHECK(p->reused_chars_b <= nd_corpus_document(S->c, p->b)->chars);
        break;
    }
    case ND_REC_PASSAGE: {
        const nd_passage *p = &r->u.passage;
        FUZZ_CHECK(p->a < nd && p->b < nd && p->a != p->b);
        FUZZ_CHECK(p->a_start < p->a_end && p->b_start < p->b_end);
        FUZZ_CHECK(p->matched <= p->chars && p->chars > 0);
        FUZZ_CHECK(p->similarity > 0 && p->similarity <= 1);
        check_quote(S->c, p->a, p->a_start, p->a_end, p->a_text, p->chars);
        check_quote(S->c, p->b, p->b_start, p->b_end, p->b_text, 1);
        break;
    }
    case ND_REC_BOILERPLATE: {
        const nd_boilerplate *b = &r->u.boilerplate;
        FUZZ_CHECK(b->n >= 1 && b->df >= 2 && b->text);
        for (size_t i = 0; i < b->n; i++) {
            const nd_document *d = nd_corpus_document(S->c, b->occ[i].doc);
            FUZZ_CHECK(d && d->start <= b->occ[i].start &&
                       b->occ[i].start < b->occ[i].end &&
                       b->occ[i].end <= d->end);
            FUZZ_CHECK(!i || b->occ[i - 1].doc <= b->occ[i].doc);
        }
        break;
    }
    case ND_REC_CLUSTER: {
        const nd_cluster *c = &r->u.cluster;
        FUZZ_CHECK(c->n >= 2);
        for (size_t i = 0; i < c->n; i++)
            FUZZ_CHECK(c->docs[i] < nd && (!i || c->docs[i - 1] < c->docs[i]));
        break;
    }
    default:
        FUZZ_CHECK(!"unknown record type");
    }
    render_record(&S->json, r);
    render_record(&S->text, r);
    return 0;
}

/* Scan, returning the JSON Lines output (caller frees). */
static char *scan_once(nd_ctx *ctx, const uint8_t *p, size_t n, size_t *len,
                       int check_text)
{
    state S = {0};
    FUZZ_OK(nd_corpus_new(ctx, &S.c));
    size_t files = 0;
    for (size_t i = 0; files < 8;) {
        size_t j = i;
        while (j + 1 < n && !(p[j] == '\n' && p[j + 1] == 1))
            j++;
        if (j + 1 >= n)
            j = n;
        char name[32];
        snprintf(name, sizeof name, "f%zu.txt", files++);
        int rc = nd_corpus_add_memory(S.c, name, p + i, j - i);
        FUZZ_CHECK(rc == ND_OK || rc == ND_EBINARY);
        if (j >= n)
            break;
        i = j + 2;
    }
    char *jbuf = NULL, *tbuf = NULL;
    size_t jlen = 0, tlen = 0;
    S.json.out = open_memstream(&jbuf, &jlen);
    S.text.out = open_memstream(&tbuf, &tlen);
    FUZZ_CHECK(S.json.out && S.text.out);
    S.json.ops = render_ops_of(FMT_JSONL);
    S.text.ops = render_ops_of(FMT_TEXT);
    S.json.corpus = S.text.corpus = S.c;
    FUZZ_CHECK(render_begin(&S.json) == 0 && render_begin(&S.text) == 0);
    nd_stats st;
    FUZZ_OK(nd_corpus_scan(S.c, on_record, &S, &st));
    /* Fixed run figures: the text summary is compared byte for byte. */
    run_info info = {st, 0, files, 0, nd_ctx_settings(ctx), "fuzz"};
    FUZZ_CHECK(render_end(&S.json, &info) == 0);
    FUZZ_CHECK(render_end(&S.text, &info) == 0);
    fclose(S.json.out);
    fclose(S.text.out);
    for (size_t i = 0; i < jlen;) {
        char *nl = memchr(jbuf + i, '\n', jlen - i);
        FUZZ_CHECK(nl);
        FUZZ_CHECK(json_valid(jbuf + i, (size_t)(nl - jbuf) - i));
        i = (size_t)(nl - jbuf) + 1;
    }
    if (check_text)
        FUZZ_CHECK(text_clean(tbuf, tlen));
    free(tbuf);
    nd_corpus_free(S.c);
    *len = jlen;
    return jbuf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 16) /* small corpora explore faster */
        return 0;
    fuzz_in in = {data, size};
    unsigned v = fuzz_byte(&in);
    nd_ctx *ctx = fuzz_ctx(v);
    /* Settings beyond the context variant: a context per input would
     * rebuild the tables, so vary what the scan reads at run time. */
    nd_settings *s = &ctx->s;
    s->split = (int)(v >> 2) % 3;
    s->min_passage = (v >> 4) & 1 ? 8 : 30;
    s->max_df = (v >> 5) & 1 ? 2 : 10;
    s->shingle = (v >> 6) & 1 ? 3 : 5;
    size_t n1, n2;
    char *a = scan_once(ctx, in.p, in.n, &n1, 1);
    char *b = scan_once(ctx, in.p, in.n, &n2, 0);
    FUZZ_CHECK(n1 == n2 && !memcmp(a, b, n1));
    free(a);
    free(b);
    return 0;
}
