/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Tests for the compact byte map of a document's characters (internal.h:
 * nd_doc_set_map, nd_doc_bytes, nd_doc_map): every range given comes back,
 * one at a time and all at once, for lengths around the 64-character
 * checkpoints and for every kind of character the one-byte code cannot
 * hold (gaps above 30 bytes, negative gaps of NFKC expansions, widths of
 * 8 bytes or more, a first character before the document start), in
 * random mixtures with ordinary ones.
 */
#include "test.h"

#include "internal.h"

static uint64_t rng = 0x9E3779B97F4A7C15u;

static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

/* Map @p n ranges and read them back both ways. */
static void round_trip(const uint32_t *bs, const uint32_t *be, uint32_t n,
                       uint64_t start)
{
    nd_doc d = {0};
    d.n = n;
    d.pub.start = start;
    CHECK_EQ_INT(nd_doc_set_map(&d, bs, be), ND_OK);
    uint32_t *xs = malloc((n + 1) * sizeof *xs);
    uint32_t *xe = malloc((n + 1) * sizeof *xe);
    CHECK(xs && xe);
    nd_doc_map(&d, xs, xe);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t s, e;
        nd_doc_bytes(&d, i, &s, &e);
        if (s != bs[i] || e != be[i] || xs[i] != bs[i] || xe[i] != be[i]) {
            fprintf(stderr, "n %u char %u: want [%u, %u), got [%u, %u) "
                    "and [%u, %u)\n", n, i, bs[i], be[i], s, e, xs[i],
                    xe[i]);
            CHECK(0);
        }
    }
    /* The size the block says: checkpoints, escapes, one byte each. */
    CHECK(nd_doc_map_size(n, d.nexc) >= n);
    free(xs);
    free(xe);
    nd_free(d.map);
}

/* Ranges of text where a share @p odd of the characters is unusual. */
static void random_text(uint32_t n, int odd, uint64_t start)
{
    uint32_t *bs = malloc((n + 1) * sizeof *bs);
    uint32_t *be = malloc((n + 1) * sizeof *be);
    CHECK(bs && be);
    uint32_t at = (uint32_t)start;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t gap = rnd(4) ? 0 : rnd(8), w = 3;
        if ((int)rnd(100) < odd) {
            switch (rnd(5)) {
            case 0: gap = 30 + rnd(3); break;         /* 30 fits, 31 not */
            case 1: gap = 1000 + rnd(100000); break;  /* a long gap */
            case 2: w = 7 + rnd(3); break;            /* 7 fits, 8 not */
            case 3: w = 0; break;
            default: /* NFKC expansion: the previous character's bytes */
                if (i) {
                    bs[i] = bs[i - 1];
                    be[i] = be[i - 1];
                    continue;
                }
            }
        }
        bs[i] = at + gap;
        be[i] = bs[i] + w;
        at = be[i];
    }
    round_trip(bs, be, n, start);
    free(bs);
    free(be);
}

int main(void)
{
    static const uint32_t lens[] = {0, 1, 2, 63, 64, 65, 127, 128, 129,
                                    1000, 4097};
    for (size_t k = 0; k < sizeof lens / sizeof *lens; k++)
        for (int odd = 0; odd <= 100; odd += 25) {
            random_text(lens[k], odd, 0);
            random_text(lens[k], odd, 12345);
        }
    /* Every character escaped, including a block's first one. */
    uint32_t bs[130], be[130];
    for (uint32_t i = 0; i < 130; i++) {
        bs[i] = 100 * i;
        be[i] = bs[i] + 50;
    }
    round_trip(bs, be, 130, 0);
    /* The first character before the start given (a gap below zero). */
    bs[0] = 5;
    be[0] = 8;
    round_trip(bs, be, 1, 10);
    /* Near the top of the 32-bit range. */
    for (uint32_t i = 0; i < 130; i++) {
        bs[i] = UINT32_MAX - 1000 + 4 * i;
        be[i] = bs[i] + 3;
    }
    round_trip(bs, be, 130, UINT32_MAX - 1000);
    printf("bytemap: all tests passed\n");
    return 0;
}
