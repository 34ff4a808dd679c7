/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * The parallel anchor stage (nd_scan_anchor_pairs) against the stage
 * functions it replaces, taken one by one as neardup-mpi takes them
 * (nd_scan_anchors, sort, nd_scan_buckets, nd_scan_hit_pairs): the same
 * anchors with the same dfs, in (doc, pos) order, and the same pairs, each
 * once, with 1, 2, 3 and 8 threads and budgets of one pass, several,
 * and a hash partition per pass.  The first corpus (made here, fixed
 * seed) has documents from a small alphabet, so chance anchors are
 * shared, copied passages with edits, and a sentence in 60 documents
 * (twice in 30), more than max_df and the pair cap, so its buckets pair
 * as stars.  The second is made of phrases that each recur in about 12
 * documents: several hits an anchor, so the hits of a pass take several
 * rounds.
 */
#include "test.h"

#include <nd/nd.h>

#include "internal.h"
#include "scan.h"
#include "shingle.h"
#include "util.h"

#define DOCS 300
#define LEN 700

static uint64_t seed = 11;

static int cmp_adf(const void *x, const void *y)
{
    const nd_adf *a = x, *b = y;
    if (a->doc != b->doc)
        return a->doc < b->doc ? -1 : 1;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

/* Store @p st holds the anchors @p want (by (doc, pos)) of documents
 * 0 .. nd-1, as nd_adfs_from makes it, and gives them back in order and
 * from any position. */
static void check_store(const nd_adfs *st, const nd_adf *want, uint32_t nd,
                        int max_df)
{
    nd_adf *copy = malloc((st->n + 1) * sizeof *copy);
    CHECK(copy != NULL);
    memcpy(copy, want, st->n * sizeof *copy);
    nd_adfs ref;
    CHECK(nd_adfs_from(&ref, copy, st->n, nd, max_df) == ND_OK);
    CHECK_EQ_INT(ref.n, st->n);
    CHECK(memcmp(ref.b, st->b, st->n) == 0);
    CHECK(memcmp(ref.first, st->first, (nd + 1) * sizeof *ref.first) == 0);
    CHECK(memcmp(ref.ck, st->ck,
                 (st->n + ND_ADF_CK - 1) / ND_ADF_CK * sizeof *ref.ck) == 0);
    CHECK_EQ_INT(ref.far.n, st->far.n);
    for (size_t i = 0; i < st->far.n; i++)
        CHECK(ref.far.v[i].i == st->far.v[i].i &&
              ref.far.v[i].pos == st->far.v[i].pos);
    nd_adfs_free(&ref);
    free(copy);
    size_t i = 0;
    for (uint32_t d = 0; d < nd; d++) {
        nd_adfs_it it;
        nd_adfs_seek(st, d, 0, &it);
        size_t d0 = i;
        while (nd_adfs_next(&it)) {
            CHECK(i < st->n && want[i].doc == d && want[i].pos == it.pos);
            CHECK_EQ_INT(it.flags, nd_adf_flags(want[i].df, max_df));
            i++;
        }
        /* From a few positions: the first anchor at or after each. */
        for (size_t k = d0; k < i; k += 1 + (i - d0) / 7) {
            uint32_t lo = k > d0 ? want[k - 1].pos + 1 : 0, hi = want[k].pos;
            uint32_t from[3] = {lo, lo + (hi - lo) / 2, hi};
            for (int f = 0; f < 3; f++) {
                nd_adfs_seek(st, d, from[f], &it);
                CHECK(nd_adfs_next(&it) && it.pos == want[k].pos);
            }
        }
        nd_adfs_seek(st, d, UINT32_MAX, &it);
        CHECK(!nd_adfs_next(&it));
    }
    CHECK_EQ_INT(i, st->n);
}

/* The stages one by one against nd_scan_anchor_pairs on corpus @p c;
 * @p dense: hits outnumber anchors (rounds within passes). */
static void check_corpus(nd_corpus *c, int dense)
{
    const int max_df = c->ctx->s.max_df;
    const int min_passage = c->ctx->s.min_passage;
    const uint32_t nd = (uint32_t)c->docs.n;

    /* The reference: the stages one by one. */
    nd_anchor_vec an = {0};
    nd_cpbuf buf = {0};
    for (uint32_t d = 0; d < nd; d++)
        CHECK(nd_scan_anchors(nd_doc_text(&c->docs.v[d], 0, c->docs.v[d].n,
                                          &buf),
                              c->docs.v[d].n, d, &an) == ND_OK);
    nd_vec_free(&buf);
    qsort(an.v, an.n, sizeof *an.v, nd_anchor_cmp);
    nd_adf_vec want = {0};
    nd_hit_vec hits = {0};
    nd_u64_vec want_pairs = {0};
    CHECK(nd_scan_buckets(an.v, an.n, max_df, &want, &hits) == ND_OK);
    CHECK(nd_scan_hit_pairs(c->docs.v, min_passage, hits.v, hits.n,
                            &want_pairs) == ND_OK);
    qsort(want.v, want.n, sizeof *want.v, cmp_adf);
    size_t np = nd_hash_set(want_pairs.v, want_pairs.n);
    CHECK_EQ_INT(np, want_pairs.n); /* each pair once */
    size_t star = 0;
    for (size_t i = 0; i < want.n; i++)
        star += want.v[i].df > 20 && want.v[i].df > (uint32_t)max_df;
    printf("%zu anchors (%zu in buckets above the cap), %zu hits, %zu "
           "pairs\n", want.n, star, hits.n, np);
    if (dense) {
        CHECK(hits.n > 4 * want.n);
    } else {
        CHECK(star >= 60);         /* the stock sentence's anchors */
        CHECK(hits.n > 2 * np);    /* chance hits that pair nothing */
        CHECK(np >= nd / 7 - 1);   /* the copied passages */
    }

    /* Budgets: one pass; the default (1 MB here: several passes); a
     * partition per pass and per round of hits. */
    const size_t budgets[] = {(size_t)1 << 40, 0, 1};
    size_t flushes[3] = {0};
    for (int run = 0; run < 12; run++) {
        const int threads = run / 3 == 3 ? 8 : run / 3 + 1;
        const size_t budget = budgets[run % 3];
        nd_adfs got;
        nd_u64_vec pairs = {0};
        nd_astats as;
        CHECK(nd_scan_anchor_pairs(c->docs.v, nd, max_df, min_passage,
                                   threads, budget, &got, &pairs,
                                   &as) == ND_OK);
        printf("%d threads, budget %zu: %zu passes, %zu rounds, %zu early "
               "local tests\n", threads, budget, as.passes, as.rounds,
               as.flushes);
        CHECK_EQ_INT(as.hits, hits.n);
        /* Deferred local tests run early when a partition holds more than
         * its share of the budget: never with one pass's budget, often
         * with the smallest; the same partitions at any thread count. */
        if (run < 3)
            flushes[run] = as.flushes;
        CHECK_EQ_INT(as.flushes, flushes[run % 3]);
        if (run % 3 == 0)
            CHECK_EQ_INT(as.flushes, 0);
        else if (run % 3 == 2)
            CHECK(as.flushes > 0);
        if (run % 3 == 0)
            CHECK(as.passes == 1 && as.rounds == 1);
        else if (run % 3 == 1)
            CHECK(as.passes > 1 && as.passes < 256 &&
                  (dense ? as.rounds > as.passes : as.rounds == as.passes));
        else
            CHECK(as.passes == 256 && as.rounds == as.passes);
        CHECK_EQ_INT(got.n, want.n);
        check_store(&got, want.v, nd, max_df);
        size_t n = pairs.n;
        CHECK_EQ_INT(nd_hash_set(pairs.v, pairs.n), n); /* each once */
        CHECK_EQ_INT(n, np);
        CHECK(memcmp(pairs.v, want_pairs.v, n * sizeof *pairs.v) == 0);
        nd_adfs_free(&got);
        nd_vec_free(&pairs);
    }
    nd_vec_free(&an);
    nd_vec_free(&want);
    nd_vec_free(&hits);
    nd_vec_free(&want_pairs);
}

static void add_doc(nd_corpus *c, int d, const uint32_t *text, int len)
{
    nd_buf b = {0};
    for (int i = 0; i < len; i++)
        CHECK(nd_buf_add_cp(&b, text[i]) == ND_OK);
    char name[32];
    snprintf(name, sizeof name, "d%03d.txt", d);
    CHECK(nd_corpus_add_memory(c, name, b.s, b.n) == ND_OK);
    nd_buf_free(&b);
}

int main(void)
{
    nd_settings s;
    nd_default_settings(&s);
    s.split = ND_SPLIT_NONE;
    nd_ctx *ctx;
    CHECK(nd_ctx_new(&ctx, &s) == ND_OK);
    nd_corpus *c;
    CHECK(nd_corpus_new(ctx, &c) == ND_OK);

    static uint32_t text[DOCS][LEN];
    static const uint32_t stock[] = {0x5404, 0x4F4D, 0x4EE3, 0x8868, 0x540C,
                                     0x5FD7, 0x4EEC, 0x5927, 0x5BB6, 0x597D,
                                     0x4ECA, 0x5929, 0x6211, 0x4EEC, 0x5728,
                                     0x8FD9, 0x91CC, 0x53EC, 0x5F00, 0x4F1A};
    for (int d = 0; d < DOCS; d++) {
        for (int i = 0; i < LEN; i++) /* 400 ideographs: chance anchors */
            text[d][i] = 0x4E00 + (uint32_t)(test_rand(&seed) % 400);
        if (d % 5 == 0) /* the stock sentence in 60 documents */
            memcpy(&text[d][100], stock, sizeof stock);
        if (d % 10 == 0) /* twice in some: a document once per bucket */
            memcpy(&text[d][500], stock, sizeof stock);
        if (d >= 1 && d % 7 == 0) { /* a passage of an earlier document */
            int from = (int)(test_rand(&seed) % (uint64_t)d);
            memcpy(&text[d][300], &text[from][200], 120 * sizeof **text);
            for (int k = 0; k < 6; k++) /* edited here and there */
                text[d][300 + test_rand(&seed) % 120] = 0x9000 + (uint32_t)k;
        }
        add_doc(c, d, text[d], LEN);
    }
    CHECK_EQ_INT(c->docs.n, DOCS);
    check_corpus(c, 0);
    nd_corpus_free(c);

    /* 200 documents of 24 phrases of 30 characters from 400 phrases. */
    enum { PHRASES = 400, PLEN = 30, PER_DOC = 24, PDOCS = 200 };
    static uint32_t phrase[PHRASES][PLEN], doc[PER_DOC * PLEN];
    for (int k = 0; k < PHRASES; k++)
        for (int i = 0; i < PLEN; i++)
            phrase[k][i] = 0x4E00 + (uint32_t)(test_rand(&seed) % 3000);
    CHECK(nd_corpus_new(ctx, &c) == ND_OK);
    for (int d = 0; d < PDOCS; d++) {
        for (int k = 0; k < PER_DOC; k++)
            memcpy(&doc[k * PLEN], phrase[test_rand(&seed) % PHRASES],
                   sizeof *phrase);
        add_doc(c, d, doc, PER_DOC * PLEN);
    }
    check_corpus(c, 1);
    nd_corpus_free(c);

    /* Steps too large for a byte (not from winnowing, but a store must
     * hold them) and empty documents. */
    enum { FAR = 300 };
    nd_adf far[FAR];
    uint32_t pos = 0;
    for (int i = 0; i < FAR; i++) {
        uint32_t d = (uint32_t)(i / 100) * 2; /* 1, 3, 5: no anchors */
        if (i % 100 == 0)
            pos = (uint32_t)(test_rand(&seed) % 3) * 40;
        else
            pos += 1 + (uint32_t)(test_rand(&seed) % 5 ? test_rand(&seed) % 6
                                  : 60 + test_rand(&seed) % 100000);
        nd_adf a = {d, pos, 1 + (uint32_t)(test_rand(&seed) % 30)};
        far[i] = a;
    }
    nd_adfs st;
    CHECK(nd_adfs_from(&st, far, FAR, 6, s.max_df) == ND_OK);
    printf("%zu anchors, %zu far steps\n", st.n, st.far.n);
    CHECK(st.far.n > 20);
    check_store(&st, far, 6, s.max_df);
    nd_adfs_free(&st);
    nd_ctx_free(ctx);
    return 0;
}
