/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * The whole scan through the public API, on corpora made here from random
 * ideographs: near-duplicate pairs with the right scores, planted passages
 * with exact byte spans, boilerplate reported once, clusters, degenerate
 * corpora, and deterministic output.
 */
#include "test.h"

#include <nd/nd.h>

#include "util.h"

static uint64_t seed = 7;

/* Append n random ideographs (3 UTF-8 bytes each) from a block of 3000
 * starting at base. */
static void rand_text(nd_buf *b, size_t n, uint32_t base)
{
    for (size_t i = 0; i < n; i++) {
        CHECK(nd_buf_add_cp(b, base + (uint32_t)(test_rand(&seed) % 3000)) ==
              ND_OK);
        if (i % 40 == 39)
            nd_buf_add(b, "\xE3\x80\x82", 3); /* 。 */
    }
}

/* Collected records. */
typedef struct result {
    size_t docs, pairs, near, passages, boiler, clusters;
    nd_pair pair[64];
    nd_passage pas[64];
    uint32_t boiler_df;
    size_t boiler_occ, cluster_size;
    nd_buf log; /* a text dump of every record, for determinism */
} result;

static int collect(void *user, const nd_record *r)
{
    result *R = user;
    switch (r->type) {
    case ND_REC_DOCUMENT:
        R->docs++;
        nd_buf_addf(&R->log, "D%u %llu %llu\n", r->u.document.id,
                    (unsigned long long)r->u.document.start,
                    (unsigned long long)r->u.document.end);
        break;
    case ND_REC_PAIR:
        if (R->pairs < 64)
            R->pair[R->pairs] = r->u.pair;
        R->pairs++;
        R->near += r->u.pair.near_duplicate != 0;
        nd_buf_addf(&R->log, "P%u %u %.6f\n", r->u.pair.a, r->u.pair.b,
                    r->u.pair.jaccard);
        break;
    case ND_REC_PASSAGE:
        if (R->passages < 64) {
            R->pas[R->passages] = r->u.passage;
            R->pas[R->passages].a_text = NULL;
            R->pas[R->passages].b_text = NULL;
        }
        R->passages++;
        nd_buf_addf(&R->log, "S%u %u %llu %llu %s\n", r->u.passage.a,
                    r->u.passage.b, (unsigned long long)r->u.passage.a_start,
                    (unsigned long long)r->u.passage.b_start,
                    r->u.passage.a_text);
        break;
    case ND_REC_BOILERPLATE:
        R->boiler++;
        R->boiler_df = r->u.boilerplate.df;
        R->boiler_occ = r->u.boilerplate.n;
        nd_buf_addf(&R->log, "B%u %zu\n", r->u.boilerplate.df,
                    r->u.boilerplate.n);
        break;
    case ND_REC_CLUSTER:
        R->clusters++;
        R->cluster_size = r->u.cluster.n;
        nd_buf_addf(&R->log, "C%zu\n", r->u.cluster.n);
        break;
    }
    return 0;
}

static nd_ctx *make_ctx(int split)
{
    nd_settings s;
    nd_default_settings(&s);
    s.split = split;
    nd_ctx *ctx;
    CHECK(nd_ctx_new(&ctx, &s) == ND_OK);
    return ctx;
}

static void run(nd_corpus *c, result *R)
{
    nd_buf_free(&R->log);
    memset(R, 0, sizeof *R);
    CHECK(nd_corpus_scan(c, collect, R, NULL) == ND_OK);
}

/* Edit a copy: substitute `rate` of the ideographs (each 3 bytes). */
static void edit(char *s, size_t n, double rate)
{
    for (size_t i = 0; i + 3 <= n; i += 3) {
        if ((unsigned char)s[i] < 0xE4 || (unsigned char)s[i] > 0xE9)
            continue; /* punctuation */
        if ((double)(test_rand(&seed) % 10000) < rate * 10000) {
            /* 鿀 (U+9FC0) region: never produced by rand_text bases */
            s[i] = (char)0xE9;
            s[i + 1] = (char)0xBF;
            s[i + 2] = (char)(0x80 + test_rand(&seed) % 0x3F);
        }
    }
}

static void test_near_duplicates(void)
{
    nd_ctx *ctx = make_ctx(ND_SPLIT_NONE);
    const double rates[] = {0.01, 0.05, 0.10, 0.20};
    for (int k = 0; k < 4; k++) {
        nd_corpus *c;
        CHECK(nd_corpus_new(ctx, &c) == ND_OK);
        nd_buf a = {0}, u = {0};
        rand_text(&a, 2000, 0x4E00);
        char *b = nd_strndup(a.s, a.n);
        edit(b, a.n, rates[k]);
        rand_text(&u, 2000, 0x6000); /* unrelated */
        CHECK(nd_corpus_add_memory(c, "a.txt", a.s, a.n) == ND_OK);
        CHECK(nd_corpus_add_memory(c, "b.txt", b, a.n) == ND_OK);
        CHECK(nd_corpus_add_memory(c, "u.txt", u.s, u.n) == ND_OK);
        result R = {0};
        run(c, &R);
        CHECK_EQ_INT(R.docs, 3);
        CHECK_EQ_INT(R.pairs, 1); /* the unrelated text pairs with none */
        CHECK_EQ_INT(R.pair[0].a, 0);
        CHECK_EQ_INT(R.pair[0].b, 1);
        /* A substitution kills the 5 shingles that cover it: the expected
         * Jaccard is s/(2-s) with s = (1-rate)^5 surviving. */
        double s = pow(1 - rates[k], 5), j = s / (2 - s);
        printf("edit %.0f%%: jaccard %.3f (expected about %.3f), estimate "
               "%.3f, %zu passages\n", rates[k] * 100, R.pair[0].jaccard, j,
               R.pair[0].jaccard_est, R.passages);
        CHECK_NEAR(R.pair[0].jaccard, j, 0.06);
        CHECK_NEAR(R.pair[0].jaccard_est, R.pair[0].jaccard, 0.15);
        CHECK_EQ_INT(R.pair[0].near_duplicate, j >= 0.5);
        CHECK_EQ_INT(R.clusters, j >= 0.5);
        CHECK(R.passages >= 1);
        printf("  reused %u of 2000\n", R.pair[0].reused_chars_a);
        CHECK(R.pair[0].reused_chars_a >= (rates[k] <= 0.10 ? 1800 : 1000));
        nd_buf_free(&R.log);
        nd_buf_free(&a);
        nd_buf_free(&u);
        nd_free(b);
        nd_corpus_free(c);
    }
    nd_ctx_free(ctx);
}

/* A Traditional-character copy is the same text after folding; a speech
 * pasted whole into a longer one is caught by containment. */
static void test_traditional_and_containment(void)
{
    nd_ctx *ctx = make_ctx(ND_SPLIT_NONE);
    nd_corpus *c;
    CHECK(nd_corpus_new(ctx, &c) == ND_OK);
    /* Written out: simplified and traditional forms of the same words. */
    const char *simp = "我们要坚持学习贯彻会议精神，加强经济发展与环境保护，"
                       "推进国家治理体系现代化，为实现长远目标团结奋斗。"
                       "这是关于机关单位业务学习的总结与汇报。";
    const char *trad = "我們要堅持學習貫徹會議精神，加強經濟發展與環境保護，"
                       "推進國家治理體系現代化，為實現長遠目標團結奮鬥。"
                       "這是關於機關單位業務學習的總結與匯報。";
    CHECK(nd_corpus_add_memory(c, "s.txt", simp, strlen(simp)) == ND_OK);
    CHECK(nd_corpus_add_memory(c, "t.txt", trad, strlen(trad)) == ND_OK);
    nd_buf big = {0}, small = {0};
    rand_text(&small, 600, 0x5000);
    rand_text(&big, 1500, 0x6000);
    nd_buf_add(&big, small.s, small.n);
    rand_text(&big, 1500, 0x7000);
    CHECK(nd_corpus_add_memory(c, "small.txt", small.s, small.n) == ND_OK);
    CHECK(nd_corpus_add_memory(c, "big.txt", big.s, big.n) == ND_OK);
    result R = {0};
    run(c, &R);
    CHECK_EQ_INT(R.pairs, 2);
    CHECK_EQ_INT(R.pair[0].a, 0);
    CHECK_EQ_INT(R.pair[0].b, 1);
    CHECK_NEAR(R.pair[0].jaccard, 1.0, 1e-9);
    CHECK_EQ_INT(R.pair[1].a, 2);
    CHECK_EQ_INT(R.pair[1].b, 3);
    CHECK(R.pair[1].jaccard < 0.3);
    CHECK_NEAR(R.pair[1].containment_a, 1.0, 1e-9);
    CHECK(R.pair[1].near_duplicate);
    /* The embedded speech is one passage whose b span is exactly where it
     * was pasted (bytes 1500 ideographs + full stops in). */
    int found = 0;
    for (size_t i = 0; i < R.passages && i < 64; i++)
        if (R.pas[i].a == 2 && R.pas[i].b == 3) {
            size_t pre = 1500 * 3 + (1500 / 40) * 3;
            CHECK_EQ_INT(R.pas[i].b_start, pre);
            CHECK_EQ_INT(R.pas[i].b_end, pre + small.n - 3);
            found = 1;
        }
    CHECK(found);
    nd_buf_free(&R.log);
    nd_buf_free(&big);
    nd_buf_free(&small);
    nd_corpus_free(c);
    nd_ctx_free(ctx);
}

/* A passage planted in two of many documents: exact byte spans. */
static void test_planted_passage(void)
{
    nd_ctx *ctx = make_ctx(ND_SPLIT_NONE);
    nd_corpus *c;
    CHECK(nd_corpus_new(ctx, &c) == ND_OK);
    nd_buf p = {0};
    rand_text(&p, 39, 0x8000); /* 39 ideographs: no full stop inside */
    size_t at_a = 0, at_b = 0;
    for (int d = 0; d < 20; d++) {
        nd_buf t = {0};
        rand_text(&t, 800, 0x4E00 + (uint32_t)d * 16);
        if (d == 3) {
            at_a = t.n;
            nd_buf_add(&t, p.s, p.n);
        }
        if (d == 17) {
            at_b = t.n;
            nd_buf_add(&t, p.s, p.n);
        }
        rand_text(&t, 300, 0x4E00 + (uint32_t)d * 16);
        char name[32];
        snprintf(name, sizeof name, "d%02d.txt", d);
        CHECK(nd_corpus_add_memory(c, name, t.s, t.n) == ND_OK);
        nd_buf_free(&t);
    }
    result R = {0};
    run(c, &R);
    CHECK_EQ_INT(R.passages, 1);
    CHECK_EQ_INT(R.pas[0].a, 3);
    CHECK_EQ_INT(R.pas[0].b, 17);
    CHECK_EQ_INT(R.pas[0].a_start, at_a);
    CHECK_EQ_INT(R.pas[0].a_end, at_a + p.n);
    CHECK_EQ_INT(R.pas[0].b_start, at_b);
    CHECK_EQ_INT(R.pas[0].b_end, at_b + p.n);
    CHECK_EQ_INT(R.pas[0].chars, 39);
    CHECK_EQ_INT(R.pas[0].df, 2);
    CHECK_EQ_INT(R.boiler, 0);
    CHECK_EQ_INT(R.pairs, 1);
    CHECK_EQ_INT(R.pair[0].passages, 1);
    CHECK_EQ_INT(R.pair[0].reused_chars_a, 39);
    nd_buf_free(&R.log);
    nd_buf_free(&p);
    nd_corpus_free(c);
    nd_ctx_free(ctx);
}

/* A footer in 500 documents: one boilerplate record with 500 occurrences,
 * no pair records; the work is linear (a star per anchor). */
static void test_boilerplate(void)
{
    nd_ctx *ctx = make_ctx(ND_SPLIT_NONE);
    nd_corpus *c;
    CHECK(nd_corpus_new(ctx, &c) == ND_OK);
    nd_buf foot = {0};
    rand_text(&foot, 80, 0x8000);
    for (int d = 0; d < 500; d++) {
        nd_buf t = {0};
        rand_text(&t, 300, 0x4E00);
        nd_buf_add(&t, "\n", 1);
        nd_buf_add(&t, foot.s, foot.n);
        char name[32];
        snprintf(name, sizeof name, "f%03d.txt", d);
        CHECK(nd_corpus_add_memory(c, name, t.s, t.n) == ND_OK);
        nd_buf_free(&t);
    }
    result R = {0};
    nd_buf_free(&R.log);
    nd_stats st;
    CHECK(nd_corpus_scan(c, collect, &R, &st) == ND_OK);
    /* Pairs compared: a star around the footer (499), not all 124,750. */
    CHECK(st.passage_candidates < 1000);
    CHECK_EQ_INT(R.docs, 500);
    CHECK_EQ_INT(R.boiler, 1);
    CHECK_EQ_INT(R.boiler_df, 500);
    CHECK_EQ_INT(R.boiler_occ, 500);
    CHECK_EQ_INT(R.passages, 0);
    CHECK_EQ_INT(R.pairs, 0);
    nd_buf_free(&R.log);
    nd_buf_free(&foot);
    nd_corpus_free(c);
    nd_ctx_free(ctx);
}

/* Thousands of identical documents: one cluster, linear work. */
static void test_identical(void)
{
    nd_ctx *ctx = make_ctx(ND_SPLIT_NONE);
    nd_corpus *c;
    CHECK(nd_corpus_new(ctx, &c) == ND_OK);
    nd_buf t = {0};
    rand_text(&t, 500, 0x4E00);
    for (int d = 0; d < 3000; d++) {
        char name[32];
        snprintf(name, sizeof name, "same%04d.txt", d);
        CHECK(nd_corpus_add_memory(c, name, t.s, t.n) == ND_OK);
    }
    result R = {0};
    run(c, &R);
    CHECK_EQ_INT(R.clusters, 1);
    CHECK_EQ_INT(R.cluster_size, 3000);
    CHECK_EQ_INT(R.pairs, 2999); /* a star, not 4.5 million pairs */
    CHECK_EQ_INT(R.near, 2999);
    CHECK_NEAR(R.pair[0].jaccard, 1.0, 1e-9);
    nd_buf_free(&R.log);
    nd_buf_free(&t);
    nd_corpus_free(c);
    nd_ctx_free(ctx);
}

static void test_degenerate_and_determinism(void)
{
    nd_ctx *ctx = make_ctx(ND_SPLIT_AUTO);
    nd_corpus *c;
    CHECK(nd_corpus_new(ctx, &c) == ND_OK);
    result R = {0};
    run(c, &R);
    CHECK_EQ_INT(R.docs + R.pairs + R.passages + R.clusters, 0);
    nd_buf t = {0};
    rand_text(&t, 700, 0x4E00);
    CHECK(nd_corpus_add_memory(c, "one.txt", t.s, t.n) == ND_OK);
    run(c, &R);
    CHECK_EQ_INT(R.docs, 1);
    CHECK_EQ_INT(R.pairs, 0);
    /* More documents with reuse; two scans give the same records. */
    for (int d = 0; d < 30; d++) {
        nd_buf u = {0};
        rand_text(&u, 400, 0x5000);
        nd_buf_add(&u, t.s + 300, 300);
        rand_text(&u, 400, 0x6000);
        char name[32];
        snprintf(name, sizeof name, "r%02d.txt", d);
        CHECK(nd_corpus_add_memory(c, name, u.s, u.n) == ND_OK);
        nd_buf_free(&u);
    }
    run(c, &R);
    char *first = nd_strndup(R.log.s, R.log.n);
    CHECK(R.boiler == 1); /* the shared 100 ideographs are in 31 docs */
    run(c, &R);
    CHECK_STR(first, R.log.s);
    nd_free(first);
    nd_buf_free(&R.log);
    nd_buf_free(&t);
    nd_corpus_free(c);
    nd_ctx_free(ctx);
}

/* Scan documents texts[0..n) (UTF-8, one file each) into R. */
static void scan_texts(const nd_buf *texts, int n, result *R)
{
    nd_ctx *ctx = make_ctx(ND_SPLIT_NONE);
    nd_corpus *c;
    CHECK(nd_corpus_new(ctx, &c) == ND_OK);
    for (int d = 0; d < n; d++) {
        char name[32];
        snprintf(name, sizeof name, "t%d.txt", d);
        CHECK(nd_corpus_add_memory(c, name, texts[d].s, texts[d].n) == ND_OK);
    }
    run(c, R);
    nd_corpus_free(c);
    nd_ctx_free(ctx);
}

/* Is there a passage between a and b with exactly these byte spans? */
static int has_passage(const result *R, uint32_t a, uint32_t b, size_t a0,
                       size_t a1, size_t b0, size_t b1)
{
    for (size_t i = 0; i < R->passages && i < 64; i++) {
        const nd_passage *p = &R->pas[i];
        if (p->a == a && p->b == b && p->a_start == a0 && p->a_end == a1 &&
            p->b_start == b0 && p->b_end == b1)
            return 1;
    }
    return 0;
}

/* A passage at the very start of one file and the very end of another. */
static void test_start_end(void)
{
    nd_buf p = {0}, t[2] = {{0}, {0}};
    rand_text(&p, 39, 0x8000);
    nd_buf_add(&t[0], p.s, p.n);
    nd_buf_add(&t[0], "\n", 1);
    rand_text(&t[0], 500, 0x5000);
    rand_text(&t[1], 500, 0x6000);
    size_t at = t[1].n;
    nd_buf_add(&t[1], p.s, p.n);
    result R = {0};
    scan_texts(t, 2, &R);
    CHECK_EQ_INT(R.passages, 1);
    CHECK(has_passage(&R, 0, 1, 0, p.n, at, t[1].n));
    nd_buf_free(&R.log);
    nd_buf_free(&p);
    nd_buf_free(&t[0]);
    nd_buf_free(&t[1]);
}

/* A passage that one document repeats: one passage per occurrence. */
static void test_repeated(void)
{
    nd_buf p = {0}, t[2] = {{0}, {0}};
    rand_text(&p, 39, 0x8000);
    rand_text(&t[0], 300, 0x5000);
    size_t a0 = t[0].n;
    nd_buf_add(&t[0], p.s, p.n);
    rand_text(&t[0], 300, 0x5000);
    rand_text(&t[1], 200, 0x6000);
    size_t b0 = t[1].n;
    nd_buf_add(&t[1], p.s, p.n);
    rand_text(&t[1], 200, 0x6000);
    size_t b1 = t[1].n;
    nd_buf_add(&t[1], p.s, p.n);
    rand_text(&t[1], 200, 0x6000);
    result R = {0};
    scan_texts(t, 2, &R);
    CHECK_EQ_INT(R.passages, 2);
    CHECK(has_passage(&R, 0, 1, a0, a0 + p.n, b0, b0 + p.n));
    CHECK(has_passage(&R, 0, 1, a0, a0 + p.n, b1, b1 + p.n));
    CHECK_EQ_INT(R.pair[0].reused_chars_a, 39);
    CHECK_EQ_INT(R.pair[0].reused_chars_b, 78);
    nd_buf_free(&R.log);
    nd_buf_free(&p);
    nd_buf_free(&t[0]);
    nd_buf_free(&t[1]);
}

/* Overlapping passages: b took the first 70 characters of a 120-character
 * stretch of a, c took the last 70.  Each pair has its own exact passage;
 * the two overlap in a and are different passages (df 2 each). */
static void test_overlapping(void)
{
    nd_buf x = {0}, t[3] = {{0}, {0}, {0}};
    for (int i = 0; i < 120; i++) /* no full stops: 3 bytes a character */
        nd_buf_add_cp(&x, 0x8000 + (uint32_t)(test_rand(&seed) % 3000));
    rand_text(&t[0], 300, 0x5000);
    size_t a0 = t[0].n;
    nd_buf_add(&t[0], x.s, x.n);
    rand_text(&t[0], 300, 0x5000);
    rand_text(&t[1], 300, 0x6000);
    size_t b0 = t[1].n;
    nd_buf_add(&t[1], x.s, 70 * 3);
    rand_text(&t[1], 300, 0x6000);
    rand_text(&t[2], 300, 0x7000);
    size_t c0 = t[2].n;
    nd_buf_add(&t[2], x.s + 50 * 3, 70 * 3);
    rand_text(&t[2], 300, 0x7000);
    result R = {0};
    scan_texts(t, 3, &R);
    CHECK(has_passage(&R, 0, 1, a0, a0 + 210, b0, b0 + 210));
    CHECK(has_passage(&R, 0, 2, a0 + 150, a0 + 360, c0, c0 + 210));
    /* b and c share the 20 characters in the middle: under min_passage,
     * so no passage and no pair record. */
    CHECK_EQ_INT(R.passages, 2);
    CHECK_EQ_INT(R.pairs, 2);
    CHECK_EQ_INT(R.pas[0].df, 2);
    CHECK_EQ_INT(R.pas[1].df, 2);
    nd_buf_free(&R.log);
    nd_buf_free(&x);
    for (int i = 0; i < 3; i++)
        nd_buf_free(&t[i]);
}

/* pairs_only: the near-duplicate pair with the same scores as a full scan,
 * no passage search (a passage shared by two otherwise unrelated texts is
 * not found, and no record is a passage). */
static void test_pairs_only(void)
{
    nd_buf a = {0}, p = {0}, x = {0}, y = {0};
    rand_text(&a, 2000, 0x4E00);
    char *b = nd_strndup(a.s, a.n);
    edit(b, a.n, 0.03);
    rand_text(&p, 200, 0x7000);        /* the passage */
    rand_text(&x, 1500, 0x6000);
    nd_buf_add(&x, p.s, p.n);
    rand_text(&y, 1500, 0x8000);
    nd_buf_add(&y, p.s, p.n);
    result R[2];
    memset(R, 0, sizeof R);
    for (int only = 0; only < 2; only++) {
        nd_settings s;
        nd_default_settings(&s);
        s.split = ND_SPLIT_NONE;
        s.pairs_only = only;
        nd_ctx *ctx;
        nd_corpus *c;
        CHECK(nd_ctx_new(&ctx, &s) == ND_OK);
        CHECK(nd_corpus_new(ctx, &c) == ND_OK);
        CHECK(nd_corpus_add_memory(c, "a.txt", a.s, a.n) == ND_OK);
        CHECK(nd_corpus_add_memory(c, "b.txt", b, a.n) == ND_OK);
        CHECK(nd_corpus_add_memory(c, "x.txt", x.s, x.n) == ND_OK);
        CHECK(nd_corpus_add_memory(c, "y.txt", y.s, y.n) == ND_OK);
        run(c, &R[only]);
        nd_corpus_free(c);
        nd_ctx_free(ctx);
    }
    CHECK_EQ_INT(R[0].pairs, 2); /* a~b near-duplicates, x-y a passage */
    CHECK(R[0].passages >= 2);
    CHECK_EQ_INT(R[1].pairs, 1);
    CHECK_EQ_INT(R[1].passages, 0);
    CHECK_EQ_INT(R[1].boiler, 0);
    CHECK_EQ_INT(R[1].clusters, 1);
    CHECK_EQ_INT(R[1].pair[0].a, 0);
    CHECK_EQ_INT(R[1].pair[0].b, 1);
    CHECK_EQ_INT(R[1].pair[0].near_duplicate, 1);
    CHECK_EQ_INT(R[1].pair[0].passages, 0);
    CHECK(R[0].pair[0].a == 0 && R[0].pair[0].b == 1);
    CHECK(R[1].pair[0].jaccard == R[0].pair[0].jaccard);
    CHECK(R[1].pair[0].jaccard_est == R[0].pair[0].jaccard_est);
    CHECK(R[1].pair[0].containment_a == R[0].pair[0].containment_a);
    for (int i = 0; i < 2; i++)
        nd_buf_free(&R[i].log);
    nd_buf_free(&a);
    nd_buf_free(&p);
    nd_buf_free(&x);
    nd_buf_free(&y);
    nd_free(b);
}

/* Append n random CJK Extension B ideographs (above U+FFFF: 4 UTF-8
 * bytes each, kept by normalization). */
static void rand_ext(nd_buf *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        CHECK(nd_buf_add_cp(b, 0x20000 + (uint32_t)(test_rand(&seed) % 3000))
              == ND_OK);
}

/* The code point that UTF-8 string @p s starts with (3 or 4 bytes). */
static uint32_t utf8_first(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] >= 0xF0)
        return (uint32_t)(u[0] & 7) << 18 | (uint32_t)(u[1] & 63) << 12 |
               (uint32_t)(u[2] & 63) << 6 | (uint32_t)(u[3] & 63);
    return (uint32_t)(u[0] & 15) << 12 | (uint32_t)(u[1] & 63) << 6 |
           (uint32_t)(u[2] & 63);
}

/* Passages in documents with characters above U+FFFF (kept in 32 bits a
 * character) and without (16 bits): a BMP passage shared by a 16-bit and
 * a 32-bit document both ways round, and a passage of BMP and Extension B
 * ideographs shared by two 32-bit documents, each after 4-byte characters
 * and an emoji (dropped by normalization) that shift the byte offsets.
 * The byte spans are where the passages were put; the texts lent out
 * (nd_corpus_text) are the code points written; 1 and 2 threads agree. */
static void test_non_bmp(void)
{
    nd_buf p[3] = {{0}, {0}, {0}};
    rand_text(&p[0], 39, 0x8000);
    rand_text(&p[1], 39, 0x8100);
    for (int i = 0; i < 39; i++) { /* every third above U+FFFF */
        if (i % 3)
            rand_text(&p[2], 1, 0x8200);
        else
            rand_ext(&p[2], 1);
    }
    /* Documents 0 and 3 are all BMP; 1, 2, 4 and 5 are not.  Passage
     * p[d / 2] is in documents d and d ^ 1. */
    nd_buf t[6] = {{0}, {0}, {0}, {0}, {0}, {0}};
    size_t at[6];
    for (int d = 0; d < 6; d++) {
        int wide = d != 0 && d != 3;
        nd_buf_add(&t[d], wide ? "\xF0\xA0\x80\x80" : "\xE4\xB8\xAD", wide ? 4
                                                                         : 3);
        if (wide) { /* U+20000 above, then 4-byte characters and 😀 */
            rand_ext(&t[d], 25);
            nd_buf_add(&t[d], "\xF0\x9F\x98\x80", 4);
        }
        rand_text(&t[d], 600, 0x4E00 + (uint32_t)d * 16);
        if (wide)
            rand_ext(&t[d], 10);
        at[d] = t[d].n;
        nd_buf_add(&t[d], p[d / 2].s, p[d / 2].n);
        rand_text(&t[d], 300, 0x4E00 + (uint32_t)d * 16);
        if (wide)
            rand_ext(&t[d], 10);
    }
    char *logs[2] = {NULL, NULL};
    for (int threads = 1; threads <= 2; threads++) {
        nd_settings s;
        nd_default_settings(&s);
        s.split = ND_SPLIT_NONE;
        s.threads = threads;
        nd_ctx *ctx;
        CHECK(nd_ctx_new(&ctx, &s) == ND_OK);
        nd_corpus *c;
        CHECK(nd_corpus_new(ctx, &c) == ND_OK);
        for (int d = 0; d < 6; d++) {
            char name[32];
            snprintf(name, sizeof name, "x%d.txt", d);
            CHECK(nd_corpus_add_memory(c, name, t[d].s, t[d].n) == ND_OK);
        }
        result R = {0};
        run(c, &R);
        CHECK_EQ_INT(R.passages, 3);
        for (int d = 0; d < 6; d += 2)
            CHECK(has_passage(&R, (uint32_t)d, (uint32_t)d + 1, at[d],
                              at[d] + p[d / 2].n, at[d + 1],
                              at[d + 1] + p[d / 2].n));
        for (size_t i = 0; i < R.passages; i++)
            CHECK_EQ_INT(R.pas[i].chars, 39);
        /* The first character and one of the passage's, as lent out. */
        for (uint32_t d = 0; d < 6; d++) {
            int wide = d != 0 && d != 3;
            nd_text x;
            CHECK_EQ_INT(nd_corpus_text(c, d, &x), ND_OK);
            CHECK_EQ_INT(x.n, 1 + (wide ? 25 + 20 : 0) + 600 + 39 + 300);
            CHECK_EQ_INT(x.cp[0], wide ? 0x20000 : 0x4E2D);
            CHECK_EQ_INT(x.start[0], 0);
            CHECK_EQ_INT(x.end[0], wide ? 4 : 3);
            size_t k = 1 + (wide ? 25 + 10 : 0) + 600; /* the passage's */
            CHECK_EQ_INT(x.start[k], at[d]);
            CHECK_EQ_INT(x.cp[k], utf8_first(p[d / 2].s));
            CHECK_EQ_INT(x.end[k] - x.start[k], d / 2 == 2 ? 4 : 3);
        }
        logs[threads - 1] = nd_strndup(R.log.s, R.log.n);
        nd_buf_free(&R.log);
        nd_corpus_free(c);
        nd_ctx_free(ctx);
    }
    CHECK_STR(logs[0], logs[1]);
    for (int i = 0; i < 2; i++)
        nd_free(logs[i]);
    for (int i = 0; i < 3; i++)
        nd_buf_free(&p[i]);
    for (int d = 0; d < 6; d++)
        nd_buf_free(&t[d]);
}

int main(void)
{
    test_near_duplicates();
    test_traditional_and_containment();
    test_planted_passage();
    test_boilerplate();
    test_identical();
    test_degenerate_and_determinism();
    test_start_end();
    test_repeated();
    test_overlapping();
    test_pairs_only();
    test_non_bmp();
    return 0;
}
