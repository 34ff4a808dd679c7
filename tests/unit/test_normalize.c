/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Tests for normalize: the folds users rely on (full-width and half-width
 * forms, case, Traditional to Simplified, punctuation and symbols dropped
 * or kept, combining marks, emoji, ligatures, long expansions), each with
 * the byte range every output character maps to.  Two properties back the
 * examples: the precomputed table agrees with ICU for every BMP code point,
 * and normalizing random strings in chunks gives what ICU gives for the
 * whole string, with every output character reproduced by normalizing its
 * own source range again.
 */
#include "test.h"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/utf16.h>

#include "nd/nd.h"
#include "src/ingest.h"
#include "src/internal.h"
#include "src/normalize.h"

#define MAXN 4096

/* Decode the test's own (valid) UTF-8 literals: code points and the byte
 * offset of each, n + 1 entries. */
static size_t utf8_cps(const char *s, uint32_t *cp, uint32_t *off)
{
    const uint8_t *p = (const uint8_t *)s;
    size_t i = 0, n = 0;
    while (p[i]) {
        CHECK(n < MAXN);
        uint32_t c = p[i];
        size_t l = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (l > 1)
            c &= 0x3F >> (l - 1);
        for (size_t k = 1; k < l; k++)
            c = c << 6 | (p[i + k] & 0x3F);
        off[n] = (uint32_t)i;
        cp[n++] = c;
        i += l;
    }
    off[n] = (uint32_t)i;
    return n;
}

static void print_cps(const char *what, const uint32_t *cp, size_t n)
{
    fprintf(stderr, "%s:", what);
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, " %04X", cp[i]);
    fprintf(stderr, "\n");
}

/* Normalize UTF-8 @p in with @p t; the result must be UTF-8 @p want.
 * Returns the output (caller frees) for range checks. */
static nd_ntext norm_eq(const nd_normtab *t, const char *in, const char *want)
{
    static uint32_t cp[MAXN + 1], off[MAXN + 1], wcp[MAXN + 1],
        woff[MAXN + 1];
    size_t n = utf8_cps(in, cp, off);
    size_t wn = utf8_cps(want, wcp, woff);
    nd_ntext o = {0};
    CHECK_EQ_INT(nd_normalize(t, cp, off, 0, n, &o), ND_OK);
    int same = o.n == wn;
    for (size_t i = 0; same && i < wn; i++)
        same = o.cp[i] == wcp[i];
    if (!same) {
        fprintf(stderr, "normalizing \"%s\"\n", in);
        print_cps("got ", o.cp, o.n);
        print_cps("want", wcp, wn);
    }
    CHECK(same);
    /* Ranges are inside the input and never go backwards. */
    for (size_t i = 0; i < o.n; i++) {
        CHECK(o.bs[i] < o.be[i]);
        CHECK(o.be[i] <= off[n]);
        if (i) {
            CHECK(o.bs[i] >= o.bs[i - 1]);
            CHECK(o.be[i] >= o.be[i - 1]);
        }
    }
    return o;
}

static void check_range(const nd_ntext *o, size_t i, uint32_t bs,
                        uint32_t be)
{
    CHECK(i < o->n);
    if (o->bs[i] != bs || o->be[i] != be)
        fprintf(stderr, "char %zu (U+%04X): [%u, %u), want [%u, %u)\n", i,
                o->cp[i], o->bs[i], o->be[i], bs, be);
    CHECK_EQ_INT(o->bs[i], bs);
    CHECK_EQ_INT(o->be[i], be);
}

/* Normalize and only compare the text. */
static void eq(const nd_normtab *t, const char *in, const char *want)
{
    nd_ntext o = norm_eq(t, in, want);
    nd_ntext_free(&o);
}

static nd_normtab *tab(int fold, int keep_punct)
{
    nd_normtab *t = NULL;
    char err[256] = "";
    int rc = nd_normtab_new(&t, fold, keep_punct, err, sizeof err);
    if (rc)
        fprintf(stderr, "nd_normtab_new: %s\n", err);
    CHECK_EQ_INT(rc, ND_OK);
    CHECK(t != NULL);
    return t;
}

/* ------------------------------------------------------------------ */
/* Examples                                                             */

static void test_width(const nd_normtab *t)
{
    nd_ntext o = norm_eq(t, "Ａ１", "a1");
    check_range(&o, 0, 0, 3);
    check_range(&o, 1, 3, 6);
    nd_ntext_free(&o);

    eq(t, "ＡＢＣ１２３ａｂｃ", "abc123abc");
    o = norm_eq(t, "ｱｲｳ", "アイウ");
    check_range(&o, 2, 6, 9);
    nd_ntext_free(&o);
    /* A half-width voiced mark composes with the kana before it: one
     * character for both code points. */
    o = norm_eq(t, "xｶﾞ", "xガ");
    check_range(&o, 1, 1, 7);
    nd_ntext_free(&o);
    /* Circled and squared forms expand. */
    eq(t, "①㍿", "1株式会社");
}

static void test_case(const nd_normtab *t)
{
    eq(t, "HeLLo WORLD", "helloworld");
    eq(t, "ΣΟΦΙΑ σοφιας", "σοφιασοφιασ");
    /* ß folds to two characters, both from its two bytes. */
    nd_ntext o = norm_eq(t, "Straße", "strasse");
    check_range(&o, 3, 3, 4);
    check_range(&o, 4, 4, 6);
    check_range(&o, 5, 4, 6);
    check_range(&o, 6, 6, 7);
    nd_ntext_free(&o);
    eq(t, "ＨＥＬＬＯ", "hello");
}

static void test_variants(void)
{
    nd_normtab *t = tab(1, 0);
    nd_ntext o = norm_eq(t, "學習", "学习");
    check_range(&o, 0, 0, 3);
    check_range(&o, 1, 3, 6);
    nd_ntext_free(&o);
    eq(t, "國", "国");
    eq(t, "這是他在會上說的話", "这是他在会上说的话");
    /* Simplified text is left alone. */
    eq(t, "学习国家这是他在会上说的话", "学习国家这是他在会上说的话");
    /* A compatibility ideograph is first made the unified one (豈), which
     * is then folded to Simplified. */
    eq(t, "\xEF\xA4\x80", "岂");
    uint32_t out[4];
    CHECK_EQ_INT(nd_normalize_cp(t, 0x5B78, out), 1); /* 學 */
    CHECK_EQ_INT(out[0], 0x5B66);                     /* 学 */
    nd_normtab_free(t);

    /* Without folding, Traditional stays. */
    t = tab(0, 0);
    eq(t, "學習國", "學習國");
    CHECK_EQ_INT(nd_normalize_cp(t, 0x5B78, out), 1);
    CHECK_EQ_INT(out[0], 0x5B78);
    nd_normtab_free(t);
}

static void test_punct(void)
{
    static const char in[] =
        "你好，世界！ (a-b) ©®+<=>$\t\u3000“引号”《书名》、。\x01"
        "\u200B\u00AD\u2028x";
    nd_normtab *t = tab(1, 0);
    nd_ntext o = norm_eq(t, in, "你好世界ab引号书名x");
    check_range(&o, 2, 9, 12);
    nd_ntext_free(&o);
    uint32_t out[4];
    CHECK_EQ_INT(nd_normalize_cp(t, 0xFF0C, out), 0); /* ， */
    CHECK_EQ_INT(nd_normalize_cp(t, 0x3000, out), 0);
    nd_normtab_free(t);

    /* keep_punct keeps P and S (in their NFKC forms), never Z or C. */
    t = tab(1, 1);
    eq(t, in, "你好,世界!(a-b)©®+<=>$“引号”《书名》、。x");
    CHECK_EQ_INT(nd_normalize_cp(t, 0xFF0C, out), 1);
    CHECK_EQ_INT(out[0], ',');
    CHECK_EQ_INT(nd_normalize_cp(t, 0x3000, out), 0);
    nd_normtab_free(t);
}

static void test_marks(const nd_normtab *t)
{
    /* e + COMBINING ACUTE is one é over both code points' bytes. */
    nd_ntext o = norm_eq(t, "cafe\xCC\x81!", "café");
    check_range(&o, 3, 3, 6);
    nd_ntext_free(&o);
    /* The precomposed spelling gives the same text. */
    o = norm_eq(t, "café!", "café");
    check_range(&o, 3, 3, 5);
    nd_ntext_free(&o);
    /* Several marks, in non-canonical order: reordered, composed. */
    eq(t, "Ạ\xCC\x82", "ậ");               /* NFC input */
    eq(t, "A\xCC\x82\xCC\xA3", "ậ");       /* marks out of order */
    eq(t, "a\xCC\xA3\xCC\x82", "ậ");       /* NFD */
    o = norm_eq(t, "x\x41\xCC\x82\xCC\xA3y", "xậy");
    check_range(&o, 1, 1, 6);
    check_range(&o, 2, 6, 7);
    nd_ntext_free(&o);
    /* Hangul jamo compose to a syllable. */
    o = norm_eq(t, "\xE1\x84\x80\xE1\x85\xA1\xE1\x86\xA8", "각");
    check_range(&o, 0, 0, 9);
    nd_ntext_free(&o);
}

static void test_emoji(const nd_normtab *t)
{
    /* Emoji (So), a skin tone (Sk), ZWJ sequences, variation selectors
     * and flags all go; the text around them keeps its bytes. */
    static const char in[] = "好😀👍🏽❤️🇨🇳👨‍👩‍👧好";
    nd_ntext o = norm_eq(t, in, "好好");
    check_range(&o, 0, 0, 3);
    check_range(&o, 1, (uint32_t)strlen(in) - 3, (uint32_t)strlen(in));
    nd_ntext_free(&o);
}

static void test_expansions(const nd_normtab *t)
{
    /* The ligature fi is two letters, both from the ligature's 3 bytes. */
    nd_ntext o = norm_eq(t, "ﬁx", "fix");
    check_range(&o, 0, 0, 3);
    check_range(&o, 1, 0, 3);
    check_range(&o, 2, 3, 4);
    nd_ntext_free(&o);

    /* U+FDFA expands to 18 code points, 3 of them spaces (dropped). */
    static const char fdfa[] =
        "\xD8\xA7\xEF\xB7\xBA\xD8\xA7"; /* alef, U+FDFA, alef */
    o = norm_eq(t, fdfa,
                "ا" "صلى" "الله" "عليه" "وسلم" "ا");
    CHECK_EQ_INT(o.n, 17);
    for (size_t i = 1; i <= 15; i++)
        check_range(&o, i, 2, 5);
    check_range(&o, 16, 5, 7);
    nd_ntext_free(&o);
    /* Many of them in a row (more output than the chunk buffer). */
    char many[3 * 200 + 1];
    for (int i = 0; i < 200; i++)
        memcpy(many + 3 * i, "\xEF\xB7\xBA", 3);
    many[600] = 0;
    uint32_t cp[MAXN + 1], off[MAXN + 1];
    size_t n = utf8_cps(many, cp, off);
    o = (nd_ntext){0};
    CHECK_EQ_INT(nd_normalize(t, cp, off, 0, n, &o), ND_OK);
    CHECK_EQ_INT(o.n, 200 * 15);
    CHECK_EQ_INT(o.cp[15], 0x635);
    check_range(&o, 200 * 15 - 1, 597, 600);
    nd_ntext_free(&o);

    uint32_t out[4];
    CHECK_EQ_INT(nd_normalize_cp(t, 0xFDFA, out), 4); /* truncated to 4 */
    CHECK_EQ_INT(out[0], 0x635);
    CHECK_EQ_INT(nd_normalize_cp(t, 0xFB01, out), 2);
    CHECK_EQ_INT(out[0], 'f');
    CHECK_EQ_INT(out[1], 'i');
}

static void test_subrange(const nd_normtab *t)
{
    /* Only code points [from, to) are normalized; output is appended. */
    uint32_t cp[16], off[17];
    size_t n = utf8_cps("甲ＡＢ乙丙", cp, off);
    nd_ntext o = {0};
    CHECK_EQ_INT(nd_normalize(t, cp, off, 1, 3, &o), ND_OK);
    CHECK_EQ_INT(nd_normalize(t, cp, off, 4, n, &o), ND_OK);
    CHECK_EQ_INT(o.n, 3);
    CHECK_EQ_INT(o.cp[0], 'a');
    CHECK_EQ_INT(o.cp[1], 'b');
    CHECK_EQ_INT(o.cp[2], 0x4E19);
    check_range(&o, 2, 12, 15);
    nd_ntext_free(&o);
    /* An empty range gives nothing. */
    CHECK_EQ_INT(nd_normalize(t, cp, off, 2, 2, &o), ND_OK);
    CHECK_EQ_INT(o.n, 0);
    nd_ntext_free(&o);
}

/* ------------------------------------------------------------------ */
/* Properties against ICU                                               */

static int ref_dropped(UChar32 c, int keep_punct)
{
    uint32_t drop = U_GC_Z_MASK | U_GC_C_MASK;
    if (!keep_punct)
        drop |= U_GC_P_MASK | U_GC_S_MASK;
    return (U_GET_GC_MASK(c) & drop) != 0;
}

/* The reference: ICU's NFKC_Casefold of the whole string, then the
 * category filter (no variant folding). */
static size_t reference(const uint32_t *cp, size_t n, int keep_punct,
                        uint32_t *out, size_t cap)
{
    static UChar in[2 * MAXN], o[40 * MAXN];
    int32_t k = 0;
    for (size_t i = 0; i < n; i++)
        U16_APPEND_UNSAFE(in, k, cp[i]);
    UErrorCode e = U_ZERO_ERROR;
    const UNormalizer2 *nf = unorm2_getNFKCCasefoldInstance(&e);
    int32_t m = unorm2_normalize(nf, in, k, o, 40 * MAXN, &e);
    CHECK(U_SUCCESS(e));
    size_t r = 0;
    for (int32_t i = 0; i < m;) {
        UChar32 c;
        U16_NEXT(o, i, m, c);
        if (!ref_dropped(c, keep_punct)) {
            CHECK(r < cap);
            out[r++] = (uint32_t)c;
        }
    }
    return r;
}

/* Every BMP code point alone gives what ICU gives. */
static void test_table_vs_icu(int keep_punct)
{
    nd_normtab *t = tab(0, keep_punct);
    uint32_t ref[64], off[2] = {0, 3};
    size_t bad = 0;
    for (uint32_t c = 0; c < 0x10000; c++) {
        if (c >= 0xD800 && c < 0xE000)
            continue;
        size_t rn = reference(&c, 1, keep_punct, ref, 64);
        nd_ntext o = {0};
        CHECK_EQ_INT(nd_normalize(t, &c, off, 0, 1, &o), ND_OK);
        int same = o.n == rn;
        for (size_t i = 0; same && i < rn; i++)
            same = o.cp[i] == ref[i] && o.bs[i] == 0 && o.be[i] == 3;
        if (!same && bad++ < 10) {
            fprintf(stderr, "U+%04X (keep_punct %d):\n", c, keep_punct);
            print_cps("  got ", o.cp, o.n);
            print_cps("  want", ref, rn);
        }
        nd_ntext_free(&o);
    }
    CHECK_EQ_INT(bad, 0);
    nd_normtab_free(t);
}

/* Pieces random strings are made of: letters that compose, combining
 * marks, jamo, CJK, compatibility forms, punctuation, emoji. */
static const uint32_t pool[] = {
    'a', 'e', 'A', 'o', 'S', 0x0301, 0x0308, 0x0323, 0x0302, 0x0327,
    0x1100, 0x1161, 0x11A8, 0xAC00, 0x4E2D, 0x5B78, 0x6587, 0xFB01, 0x00DF,
    0x03A3, 0x03C2, ' ', 0xFF0C, 0x3002, 0x1F600, 0xFE0F, 0x200D, 0xFDFA,
    0xFF76, 0xFF9E, 0x3099, 0x304B, 0x2460, 0x337F, 0x00E9, 0x0130, 0x212B,
    0x1E9B, 0x0344, 0x0F73, '\n', 0xFF21, 0x0CCB, 0x0CC6, 0x0CD5,
};

static void test_random_vs_icu(void)
{
    nd_normtab *t = tab(0, 0);
    uint64_t seed = 20260601;
    static uint32_t cp[256], off[257], ref[MAXN], sub[MAXN];
    for (int round = 0; round < 3000; round++) {
        size_t n = 1 + test_rand(&seed) % 40;
        off[0] = 0;
        for (size_t i = 0; i < n; i++) {
            cp[i] = pool[test_rand(&seed) % (sizeof pool / sizeof *pool)];
            off[i + 1] = off[i] + (cp[i] < 0x80 ? 1 : cp[i] < 0x800 ? 2
                                   : cp[i] < 0x10000 ? 3 : 4);
        }
        size_t rn = reference(cp, n, 0, ref, MAXN);
        nd_ntext o = {0};
        CHECK_EQ_INT(nd_normalize(t, cp, off, 0, n, &o), ND_OK);
        int same = o.n == rn;
        for (size_t i = 0; same && i < rn; i++)
            same = o.cp[i] == ref[i];
        if (!same) {
            print_cps("input", cp, n);
            print_cps("got  ", o.cp, o.n);
            print_cps("want ", ref, rn);
        }
        CHECK(same);
        /* Every output character's source range, normalized again on its
         * own, contains that character. */
        for (size_t i = 0; i < o.n; i++) {
            size_t a = 0, z = 0;
            while (a < n && off[a] < o.bs[i])
                a++;
            while (z < n && off[z] < o.be[i])
                z++;
            CHECK_EQ_INT(off[a], o.bs[i]);
            CHECK_EQ_INT(off[z], o.be[i]);
            CHECK(a < z);
            if (i) {
                CHECK(o.bs[i] >= o.bs[i - 1]);
                CHECK(o.be[i] >= o.be[i - 1]);
            }
            size_t sn = reference(cp + a, z - a, 0, sub, MAXN), k = 0;
            while (k < sn && sub[k] != o.cp[i])
                k++;
            if (k == sn) {
                print_cps("input", cp, n);
                fprintf(stderr, "U+%04X from code points [%zu, %zu)\n",
                        o.cp[i], a, z);
            }
            CHECK(k < sn);
        }
        nd_ntext_free(&o);
    }
    nd_normtab_free(t);
}

/*
 * A corpus keeps each document's text and byte map as nd_normalize makes
 * them, whether it took its one-pass way (every character one-to-one in
 * the table, within the BMP) or nd_normalize: random files, most of them
 * Chinese, digits and punctuation, runs of spaces (gaps the map escapes),
 * Traditional and full-width characters; some with a character only ICU
 * normalizes (a letter that composes with a following mark, a combining
 * mark, an expansion, one beyond the BMP).
 */
static void test_corpus_texts(void)
{
    static const uint32_t plain[] = {0x4E2D, 0x6587, 0x5B78, 0x570B, '7',
                                     0xFF17, ' ', 0xFF0C, 0x3002, '\n',
                                     0x3000, 0x2460};
    static const uint32_t odd[] = {0x0301, 0xFDFA, 0x1F600, 0x1100, 0x212B,
                                   0x00DF, 0x00E9, 'a', 0xFF21};
    nd_settings set;
    nd_default_settings(&set);
    set.split = ND_SPLIT_NONE;
    nd_ctx *ctx;
    nd_corpus *c;
    CHECK_EQ_INT(nd_ctx_new(&ctx, &set), ND_OK);
    CHECK_EQ_INT(nd_corpus_new(ctx, &c), ND_OK);
    uint64_t seed = 99;
    size_t files = 400, with_odd = 0, one_pass = 0;
    const uint32_t *bmp = nd_normtab_bmp(ctx->norm);
    for (size_t f = 0; f < files; f++) {
        char buf[4096], name[32];
        size_t len = 0, n = 10 + test_rand(&seed) % 300;
        int has_odd = f % 4 == 3;
        with_odd += (size_t)has_odd;
        for (size_t i = 0; i < n; i++) {
            uint32_t cp = plain[test_rand(&seed) % (sizeof plain /
                                                    sizeof *plain)];
            if (has_odd && test_rand(&seed) % 50 == 0)
                cp = odd[test_rand(&seed) % (sizeof odd / sizeof *odd)];
            if (cp == ' ' && test_rand(&seed) % 8 == 0) { /* a long gap */
                memset(buf + len, ' ', 40);
                len += 40;
            }
            len += nd_utf8_put(cp, buf + len);
        }
        snprintf(name, sizeof name, "f%zu.txt", f);
        CHECK_EQ_INT(nd_corpus_add_memory(c, name, buf, len), ND_OK);
        /* What nd_normalize makes of the document's characters. */
        nd_decoded d;
        CHECK_EQ_INT(nd_decode((const uint8_t *)buf, len, NULL, &d), ND_OK);
        uint32_t id = (uint32_t)(nd_corpus_size(c) - 1);
        const nd_document *doc = nd_corpus_document(c, id);
        size_t from = 0, to = 0;
        while (from < d.n && d.off[from] < doc->start)
            from++;
        while (to < d.n && d.off[to] < doc->end)
            to++;
        nd_ntext want = {0};
        CHECK_EQ_INT(nd_normalize(ctx->norm, d.cp, d.off, from, to, &want),
                     ND_OK);
        int alone = 1; /* every character one-to-one in the table */
        for (size_t i = from; i < to; i++)
            alone &= d.cp[i] < 0x10000 && (bmp[d.cp[i]] <= 0xFFFF ||
                                           bmp[d.cp[i]] == ND_NORM_DROP);
        one_pass += (size_t)alone;
        nd_text got;
        CHECK_EQ_INT(nd_corpus_text(c, id, &got), ND_OK);
        CHECK_EQ_INT(got.n, want.n);
        int same = got.n == want.n;
        for (size_t i = 0; same && i < got.n; i++)
            same = got.cp[i] == want.cp[i] && got.start[i] == want.bs[i] &&
                   got.end[i] == want.be[i];
        if (!same)
            fprintf(stderr, "file %zu: text or byte ranges differ\n", f);
        CHECK(same);
        nd_ntext_free(&want);
        nd_decoded_free(&d);
    }
    CHECK_EQ_INT(nd_corpus_size(c), files);
    printf("%zu corpus texts as nd_normalize makes them (%zu of them all "
           "one-to-one in the table; %zu with characters only ICU "
           "normalizes)\n", files, one_pass, with_odd);
    CHECK(one_pass >= files / 2);
    CHECK(files - one_pass >= files / 8);
    nd_corpus_free(c);
    nd_ctx_free(ctx);
}

int main(void)
{
    test_corpus_texts();
    nd_normtab *t = tab(1, 0);
    test_width(t);
    test_case(t);
    test_marks(t);
    test_emoji(t);
    test_expansions(t);
    test_subrange(t);
    nd_normtab_free(t);
    test_variants();
    test_punct();
    test_table_vs_icu(0);
    test_table_vs_icu(1);
    test_random_vs_icu();
    printf("normalize: all tests passed\n");
    return 0;
}
