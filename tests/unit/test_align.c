/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Alignment: planted passages in random texts must come back with exact
 * spans when copied verbatim and mostly covered when edited; nothing comes
 * back from unrelated or degenerate texts.  Texts of 16 and 32 bits give
 * the same results, the shared grams are counted exactly, and a's table
 * is kept between calls only while a is the same.
 */
#include "test.h"

#include "align.h"

static uint64_t seed = 42;

/* Random "Chinese" text: code points from a block of 3000 ideographs,
 * starting at @p base so that fillers of different texts never match. */
static void fill(uint32_t *t, size_t n, uint32_t base)
{
    for (size_t i = 0; i < n; i++)
        t[i] = base + (uint32_t)(test_rand(&seed) % 3000);
}

static nd_aligner *al;
static nd_align_params P;

static size_t align(const uint32_t *a, size_t na, const uint32_t *b,
                    size_t nb, nd_span_vec *out)
{
    out->n = 0;
    CHECK(nd_align(al, &P, a, na, b, nb, out) == ND_OK);
    return out->n;
}

/* Verbatim copies: exact spans, wherever the passage sits. */
static void test_verbatim(void)
{
    static uint32_t a[2000], b[2000], p[300];
    nd_span_vec s = {0};
    const size_t lens[] = {30, 40, 120, 300};
    for (size_t li = 0; li < 4; li++) {
        size_t L = lens[li];
        fill(p, L, 0x8000);
        /* placements: middle, start of both, end of both */
        const size_t at_a[] = {500, 0, 2000 - L}, at_b[] = {900, 0, 1500 - L};
        for (int k = 0; k < 3; k++) {
            fill(a, 2000, 0x4E00);
            fill(b, 1500, 0x5E00);
            memcpy(a + at_a[k], p, L * sizeof *p);
            memcpy(b + at_b[k], p, L * sizeof *p);
            CHECK_EQ_INT(align(a, 2000, b, 1500, &s), 1);
            CHECK_EQ_INT(s.v[0].a0, at_a[k]);
            CHECK_EQ_INT(s.v[0].a1, at_a[k] + L);
            CHECK_EQ_INT(s.v[0].b0, at_b[k]);
            CHECK_EQ_INT(s.v[0].b1, at_b[k] + L);
            CHECK_EQ_INT(s.v[0].matched, L);
        }
    }
    /* Shorter than min_passage: nothing. */
    fill(a, 2000, 0x4E00);
    fill(b, 1500, 0x5E00);
    fill(p, 29, 0x8000);
    memcpy(a + 100, p, 29 * sizeof *p);
    memcpy(b + 100, p, 29 * sizeof *p);
    CHECK_EQ_INT(align(a, 2000, b, 1500, &s), 0);
    nd_vec_free(&s);
}

/* A passage copied twice into a is found twice; two different passages
 * are two spans in order. */
static void test_repeated(void)
{
    static uint32_t a[3000], b[2000], p[100], q[80];
    nd_span_vec s = {0};
    fill(a, 3000, 0x4E00);
    fill(b, 2000, 0x5E00);
    fill(p, 100, 0x8000);
    fill(q, 80, 0x8000);
    memcpy(a + 200, p, sizeof p);
    memcpy(a + 2500, p, sizeof p);
    memcpy(b + 700, p, sizeof p);
    memcpy(a + 1200, q, sizeof q);
    memcpy(b + 100, q, sizeof q);
    CHECK_EQ_INT(align(a, 3000, b, 2000, &s), 3);
    CHECK_EQ_INT(s.v[0].a0, 200);
    CHECK_EQ_INT(s.v[0].b0, 700);
    CHECK_EQ_INT(s.v[1].a0, 1200);
    CHECK_EQ_INT(s.v[1].b0, 100);
    CHECK_EQ_INT(s.v[2].a0, 2500);
    CHECK_EQ_INT(s.v[2].b0, 700);
    nd_vec_free(&s);
}

/* Share of [lo, hi) covered by spans on one side. */
static double coverage(const nd_span_vec *s, int side_b, size_t lo, size_t hi)
{
    size_t cov = 0;
    for (size_t x = lo; x < hi; x++)
        for (size_t i = 0; i < s->n; i++) {
            uint32_t s0 = side_b ? s->v[i].b0 : s->v[i].a0;
            uint32_t s1 = side_b ? s->v[i].b1 : s->v[i].a1;
            if (x >= s0 && x < s1) {
                cov++;
                break;
            }
        }
    return (double)cov / (double)(hi - lo);
}

/* 10% of the copy's characters substituted: at least 90% of the span
 * covered on both sides, for passages of 40 to 300 characters; the share
 * of trials that succeed is reported and must be high. */
static void test_edited(void)
{
    static uint32_t a[2000], b[2000], p[300];
    nd_span_vec s = {0};
    const size_t lens[] = {40, 60, 100, 200, 300};
    for (size_t li = 0; li < 5; li++) {
        size_t L = lens[li], ok = 0, trials = 200;
        double sum = 0;
        for (size_t t = 0; t < trials; t++) {
            fill(a, 2000, 0x4E00);
            fill(b, 2000, 0x5E00);
            fill(p, L, 0x8000);
            memcpy(a + 600, p, L * sizeof *p);
            memcpy(b + 800, p, L * sizeof *p);
            /* substitute exactly 10% of the copy's characters, at random
             * distinct positions */
            size_t subs = L / 10;
            for (size_t k = 0; k < subs;) {
                size_t at = 800 + (size_t)(test_rand(&seed) % L);
                if (b[at] >= 0x9000)
                    continue;
                b[at] = 0x9000 + (uint32_t)k;
                k++;
            }
            align(a, 2000, b, 2000, &s);
            double ca = coverage(&s, 0, 600, 600 + L);
            double cb = coverage(&s, 1, 800, 800 + L);
            double c = ca < cb ? ca : cb;
            sum += c;
            ok += c >= 0.9;
        }
        printf("edited 10%%, %zu chars: %.0f%% of trials >= 90%% covered, "
               "mean coverage %.3f\n", L, 100.0 * ok / trials, sum / trials);
        /* A 40-character copy with 4 substitutions keeps runs of about 8
         * characters: some fall below the seed length.  Longer copies must
         * be found essentially always. */
        CHECK(sum / trials >= (L >= 60 ? 0.9 : 0.8));
        CHECK(ok >= trials * (L >= 100 ? 0.85 : 0.75));
    }
    nd_vec_free(&s);
}

/* Unrelated texts, empty texts, and texts of one repeated character. */
static void test_degenerate(void)
{
    static uint32_t a[5000], b[5000];
    nd_span_vec s = {0};
    fill(a, 5000, 0x4E00);
    fill(b, 5000, 0x5E00);
    CHECK_EQ_INT(align(a, 5000, b, 5000, &s), 0);
    CHECK_EQ_INT(align(a, 0, b, 5000, &s), 0);
    CHECK_EQ_INT(align(a, 5, b, 5, &s), 0);
    for (size_t i = 0; i < 5000; i++)
        a[i] = b[i] = 0x4E00;
    /* Every seed repeats thousands of times: skipped, so the work stays
     * linear and nothing is claimed. */
    CHECK_EQ_INT(align(a, 5000, b, 5000, &s), 0);
    nd_vec_free(&s);
}

static void test_winnow(void)
{
    uint64_t h[100];
    uint32_t pos[100];
    /* Random hashes, then hashes of 2 and 5 values (ties everywhere). */
    for (int range = 0; range < 3; range++) {
        for (size_t i = 0; i < 100; i++)
            h[i] = range ? test_rand(&seed) % (range == 1 ? 2 : 5)
                         : test_rand(&seed);
        size_t n = nd_winnow(h, 100, 6, pos);
        CHECK(range || n > 100 / 6);
        for (size_t i = 1; i < n; i++)
            CHECK(pos[i] > pos[i - 1]);
        /* The selected positions are exactly the windows' minima (the
         * rightmost on ties). */
        uint8_t sel[100] = {0};
        for (size_t w = 0; w + 6 <= 100; w++) {
            size_t mi = w;
            for (size_t j = w; j < w + 6; j++)
                if (h[j] <= h[mi])
                    mi = j;
            sel[mi] = 1;
        }
        size_t k = 0;
        for (size_t i = 0; i < 100; i++)
            if (sel[i]) {
                CHECK(k < n);
                CHECK_EQ_INT(pos[k], i);
                k++;
            }
        CHECK_EQ_INT(k, n);
    }
    CHECK_EQ_INT(nd_winnow(h, 0, 6, pos), 0);
    CHECK_EQ_INT(nd_winnow(h, 3, 6, pos), 1);
}

/* ---- Texts of either width ---------------------------------------- */

static nd_atext text32(const uint32_t *t, size_t n, uint64_t id)
{
    nd_atext x = {NULL, t, n, id};
    return x;
}

static nd_atext text16(const uint16_t *t, size_t n, uint64_t id)
{
    nd_atext x = {t, NULL, n, id};
    return x;
}

static void narrow(const uint32_t *t, size_t n, uint16_t *out)
{
    for (size_t i = 0; i < n; i++)
        out[i] = (uint16_t)t[i];
}

static int same_spans(const nd_span_vec *x, const nd_span_vec *y)
{
    if (x->n != y->n)
        return 0;
    for (size_t i = 0; i < x->n; i++) {
        const nd_span *s = &x->v[i], *t = &y->v[i];
        if (s->a0 != t->a0 || s->a1 != t->a1 || s->b0 != t->b0 ||
            s->b1 != t->b1 || s->matched != t->matched || s->fuzzy != t->fuzzy)
            return 0;
    }
    return 1;
}

/* Spans and shared grams of a and b from a new aligner (nothing kept from
 * earlier calls). */
static size_t fresh_align(const nd_atext *a, const nd_atext *b,
                          nd_span_vec *out)
{
    nd_aligner *f = NULL;
    CHECK(nd_aligner_new(&f) == ND_OK);
    out->n = 0;
    CHECK(nd_align_text(f, &P, a, b, out) == ND_OK);
    size_t shared = nd_aligner_shared(f);
    nd_aligner_free(f);
    return shared;
}

/* Distinct k-grams that a and b share, by sorting and merging them. */
static const uint32_t *gram_text;
static int gram_k;

static int cmp_gram(const void *x, const void *y)
{
    const uint32_t *p = gram_text + *(const uint32_t *)x;
    const uint32_t *q = gram_text + *(const uint32_t *)y;
    for (int i = 0; i < gram_k; i++)
        if (p[i] != q[i])
            return p[i] < q[i] ? -1 : 1;
    return 0;
}

static size_t distinct_grams(const uint32_t *t, size_t n, int k,
                             uint32_t *pos)
{
    size_t m = n >= (size_t)k ? n - (size_t)k + 1 : 0, w = 0;
    for (size_t i = 0; i < m; i++)
        pos[i] = (uint32_t)i;
    gram_text = t;
    gram_k = k;
    qsort(pos, m, sizeof *pos, cmp_gram);
    for (size_t i = 0; i < m; i++)
        if (!w || cmp_gram(&pos[w - 1], &pos[i]))
            pos[w++] = pos[i];
    return w;
}

static size_t naive_shared(const uint32_t *a, size_t na, const uint32_t *b,
                           size_t nb, int k)
{
    /* both texts in one buffer, so that one comparison reads either */
    static uint32_t t[4200], pa[4200], pb[4200];
    memcpy(t, a, na * sizeof *a);
    memcpy(t + na, b, nb * sizeof *b);
    size_t ma = distinct_grams(t, na, k, pa);
    size_t mb = distinct_grams(t + na, nb, k, pb);
    for (size_t i = 0; i < mb; i++)
        pb[i] += (uint32_t)na;
    gram_text = t;
    size_t i = 0, j = 0, shared = 0;
    while (i < ma && j < mb) {
        int c = cmp_gram(&pa[i], &pb[j]);
        shared += c == 0;
        i += c <= 0;
        j += c >= 0;
    }
    return shared;
}

/* Random text of characters from @p alpha (na of them); a passage of b
 * is planted in a, with a few substitutions. */
static void random_pair(uint32_t *a, size_t na, uint32_t *b, size_t nb,
                        const uint32_t *alpha, size_t nalpha)
{
    for (size_t i = 0; i < na; i++)
        a[i] = alpha[test_rand(&seed) % nalpha];
    for (size_t i = 0; i < nb; i++)
        b[i] = alpha[test_rand(&seed) % nalpha];
    if (na < 100 || nb < 100)
        return;
    size_t len = 40 + test_rand(&seed) % 60;
    size_t at_a = test_rand(&seed) % (na - len);
    size_t at_b = test_rand(&seed) % (nb - len);
    memcpy(a + at_a, b + at_b, len * sizeof *a);
    for (int e = 0; e < 3; e++)
        a[at_a + test_rand(&seed) % len] = alpha[test_rand(&seed) % nalpha];
}

/*
 * 16-bit and 32-bit texts of the same BMP characters give the same spans
 * and shared grams in all four combinations, named or not, and the count
 * of shared grams is the exact one; over alphabets from 4 characters
 * (grams repeated past max_occ) to 3000.
 */
static void test_widths(void)
{
    static uint32_t a[2100], b[2100], alpha[3000];
    static uint16_t a16[2100], b16[2100];
    nd_span_vec ref = {0}, s = {0};
    const size_t sizes[] = {4, 30, 3000};
    for (int trial = 0; trial < 90; trial++) {
        size_t nalpha = sizes[trial % 3];
        for (size_t i = 0; i < nalpha; i++)
            alpha[i] = 0x4E00 + (uint32_t)i * 3 +
                       (uint32_t)(trial & 1) * 0x5000; /* in the BMP */
        size_t na = test_rand(&seed) % 2100, nb = test_rand(&seed) % 2100;
        if (trial % 10 == 0)
            na = test_rand(&seed) % 8; /* around a gram's length */
        random_pair(a, na, b, nb, alpha, nalpha);
        narrow(a, na, a16);
        narrow(b, nb, b16);
        nd_atext ta = text32(a, na, 0), tb = text32(b, nb, 0);
        size_t shared = fresh_align(&ta, &tb, &ref);
        CHECK_EQ_INT(shared, naive_shared(a, na, b, nb, P.min_run));
        const nd_atext as[] = {text32(a, na, 0), text16(a16, na, 0),
                               text16(a16, na, (uint64_t)trial + 1)};
        const nd_atext bs[] = {text32(b, nb, 0), text16(b16, nb, 0)};
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 2; j++) {
                s.n = 0;
                CHECK(nd_align_text(al, &P, &as[i], &bs[j], &s) == ND_OK);
                CHECK(same_spans(&s, &ref));
                CHECK_EQ_INT(nd_aligner_shared(al), shared);
            }
        if (nalpha == 3000 && na >= 100 && nb >= 100)
            CHECK(ref.n >= 1); /* the planted passage */
    }
    nd_vec_free(&ref);
    nd_vec_free(&s);
}

/*
 * Characters above U+FFFF: grams that hold them are told apart from BMP
 * grams with the same low 16 bits (exact shared counts), a planted
 * passage of them is found with its exact span, and a 32-bit text with
 * them aligns with a 16-bit one as with its 32-bit copy.
 */
static void test_astral(void)
{
    static uint32_t a[2000], b[2000], alpha[64];
    static uint16_t b16[2000];
    nd_span_vec ref = {0}, s = {0};
    for (int trial = 0; trial < 40; trial++) {
        /* ideographs and their twins 0x20000 above: same low bits */
        for (size_t i = 0; i < 32; i++) {
            alpha[2 * i] = 0x4E00 + (uint32_t)i;
            alpha[2 * i + 1] = 0x24E00 + (uint32_t)i;
        }
        size_t na = 200 + test_rand(&seed) % 1800;
        size_t nb = 200 + test_rand(&seed) % 1800;
        random_pair(a, na, b, nb, alpha, trial & 1 ? 64 : 4);
        nd_atext ta = text32(a, na, 0), tb = text32(b, nb, 0);
        size_t shared = fresh_align(&ta, &tb, &ref);
        CHECK_EQ_INT(shared, naive_shared(a, na, b, nb, P.min_run));

        /* a verbatim passage of astral characters */
        size_t len = 50, at_a = na / 3, at_b = nb / 2;
        fill(a, na, 0x4E00);
        fill(b, nb, 0x5E00);
        for (size_t i = 0; i < len; i++)
            a[at_a + i] = b[at_b + i] =
                0x20000 + (uint32_t)(test_rand(&seed) % 3000);
        CHECK_EQ_INT(fresh_align(&ta, &tb, &ref), len - P.min_run + 1);
        CHECK_EQ_INT(ref.n, 1);
        CHECK_EQ_INT(ref.v[0].a0, at_a);
        CHECK_EQ_INT(ref.v[0].a1, at_a + len);
        CHECK_EQ_INT(ref.v[0].b0, at_b);
        CHECK_EQ_INT(ref.v[0].b1, at_b + len);

        /* b of BMP characters only, in 16 bits, against a with astral
         * ones: as against b's 32-bit copy */
        for (size_t i = 0; i < 32; i++)
            alpha[i] = 0x4E00 + (uint32_t)i;
        random_pair(a, na, b, nb, alpha, 32);
        for (size_t i = 0; i < na; i += 7)
            a[i] += 0x20000;
        narrow(b, nb, b16);
        nd_atext t16 = text16(b16, nb, 0);
        shared = fresh_align(&ta, &tb, &ref);
        s.n = 0;
        CHECK(nd_align_text(al, &P, &ta, &t16, &s) == ND_OK);
        CHECK(same_spans(&s, &ref));
        CHECK_EQ_INT(nd_aligner_shared(al), shared);
    }
    nd_vec_free(&ref);
    nd_vec_free(&s);
}

/*
 * The table of a is kept from call to call: for a named text (id) while
 * the id stays, else while the text compares equal.  A text changed in
 * place, or another with another id, gets a new one: the same spans as
 * a new aligner's every time.
 */
static void test_reuse(void)
{
    static uint32_t a[1500], b[1500];
    static uint16_t a16[1500];
    nd_span_vec ref = {0}, s = {0};
    fill(a, 1500, 0x4E00);
    for (int trial = 0; trial < 60; trial++) {
        int kind = trial % 3; /* 0: same a, 1: changed in place, 2: new */
        if (kind == 1)
            a[(size_t)trial * 23 % 1500] ^= 1; /* one character */
        else if (kind == 2)
            fill(a, 1500, 0x4E00);
        fill(b, 1500, 0x5E00);
        /* a passage of a around the changes, and another */
        memcpy(b + 300, a + (size_t)trial * 23 % 1400, 90 * sizeof *a);
        memcpy(b + 900, a + 1000, 60 * sizeof *a);
        narrow(a, 1500, a16);
        uint64_t id = kind == 2 ? (uint64_t)trial : 0;
        nd_atext ta = text16(a16, 1500, id), tb = text32(b, 1500, 0);
        fresh_align(&ta, &tb, &ref);
        CHECK(ref.n >= 2);
        s.n = 0;
        CHECK(nd_align_text(al, &P, &ta, &tb, &s) == ND_OK);
        CHECK(same_spans(&s, &ref));
    }
    nd_vec_free(&ref);
    nd_vec_free(&s);
}

int main(void)
{
    CHECK(nd_aligner_new(&al) == ND_OK);
    nd_align_default_params(&P, 30);
    test_verbatim();
    test_repeated();
    test_edited();
    test_degenerate();
    test_winnow();
    test_widths();
    test_astral();
    test_reuse();
    nd_aligner_free(al);
    return 0;
}
