/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * The hit filter (nd_scan_hit_pairs) on hits made here: a pair whose only
 * hits are on a shared phrase shorter than a passage is no candidate, even
 * though the phrase passes the diagonal test; a copied passage, verbatim
 * or edited, is one; a pair with three hits or more is aligned whole
 * whatever the text around them.
 */
#include "test.h"

#include <nd/nd.h>

#include "internal.h"
#include "scan.h"
#include "util.h"

#define DOCS 8
#define LEN 600

static uint64_t seed = 5;

static nd_hit hit(uint32_t a, uint32_t b, uint32_t pa, uint32_t pb)
{
    nd_hit h = {(uint64_t)a << 32 | b, pa, pb};
    return h;
}

/* Is (a, b) among the @p n pairs @p v? */
static int has_pair(const nd_u64_vec *v, uint32_t a, uint32_t b)
{
    for (size_t i = 0; i < v->n; i++)
        if (v->v[i] == ((uint64_t)a << 32 | b))
            return 1;
    return 0;
}

/* Document "d<d>.txt" of text @p t into @p c. */
static void add_doc(nd_corpus *c, int d, const uint32_t *t)
{
    nd_buf b = {0};
    for (int i = 0; i < LEN; i++)
        CHECK(nd_buf_add_cp(&b, t[i]) == ND_OK);
    char name[32];
    snprintf(name, sizeof name, "d%d.txt", d);
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
    const int min_passage = ctx->s.min_passage;
    CHECK_EQ_INT(min_passage, 30); /* the lengths below are chosen for it */

    /* Ideographs from 3,000 (a few become others when normalized, one
     * character for one): texts share nothing by chance. */
    static uint32_t text[DOCS][LEN];
    for (int d = 0; d < DOCS; d++)
        for (int i = 0; i < LEN; i++)
            text[d][i] = 0x4E00 + (uint32_t)(test_rand(&seed) % 3000);
    /* 0, 1 and 4, 5: a phrase of 20 characters (2/3 of a passage). */
    memcpy(&text[1][300], &text[0][100], 20 * sizeof **text);
    memcpy(&text[5][300], &text[4][100], 20 * sizeof **text);
    /* 2, 3: a passage of 40 characters. */
    memcpy(&text[3][200], &text[2][50], 40 * sizeof **text);
    /* 6, 7: a passage of 60 characters, every tenth one replaced. */
    memcpy(&text[7][400], &text[6][300], 60 * sizeof **text);
    for (int k = 5; k < 60; k += 10)
        text[7][400 + k] = 0x9F00 + (uint32_t)k;
    for (int d = 0; d < DOCS; d++)
        add_doc(c, d, text[d]);
    CHECK_EQ_INT(c->docs.n, DOCS);
    for (int d = 0; d < DOCS; d++) /* normalized one for one */
        CHECK_EQ_INT(c->docs.v[d].n, LEN);

    nd_hit h[] = {
        hit(0, 1, 100, 300),                  /* the phrase, one hit */
        hit(0, 1, 104, 304),                  /* and a second */
        hit(2, 3, 60, 210),                   /* the passage */
        hit(4, 5, 100, 300),                  /* the phrase, three hits */
        hit(4, 5, 105, 305),
        hit(4, 5, 110, 310),
        hit(6, 7, 320, 420),                  /* the edited passage */
        hit(0, 7, 10, 10),                    /* texts that differ */
    };
    nd_u64_vec pairs = {0};
    CHECK(nd_scan_hit_pairs(c->docs.v, min_passage, h,
                            sizeof h / sizeof *h, &pairs) == ND_OK);
    CHECK(!has_pair(&pairs, 0, 1));
    CHECK(has_pair(&pairs, 2, 3));
    CHECK(has_pair(&pairs, 4, 5));
    CHECK(has_pair(&pairs, 6, 7));
    CHECK(!has_pair(&pairs, 0, 7));
    CHECK_EQ_INT(pairs.n, 3);

    /* The phrase grown to a passage is a candidate with one hit. */
    nd_corpus_free(c);
    CHECK(nd_corpus_new(ctx, &c) == ND_OK);
    memcpy(&text[1][300], &text[0][100], 32 * sizeof **text);
    for (int d = 0; d < 2; d++)
        add_doc(c, d, text[d]);
    nd_hit one = hit(0, 1, 100, 300);
    pairs.n = 0;
    CHECK(nd_scan_hit_pairs(c->docs.v, min_passage, &one, 1, &pairs) ==
          ND_OK);
    CHECK(has_pair(&pairs, 0, 1));

    nd_vec_free(&pairs);
    nd_corpus_free(c);
    nd_ctx_free(ctx);
    return 0;
}
