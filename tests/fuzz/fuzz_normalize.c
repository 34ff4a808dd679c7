/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Fuzz target: normalization with byte offsets (nd_normalize) of decoded
 * input.  Byte 0 picks the encoding, byte 1 the settings variant (punctuation
 * kept, variants folded) and where a span starts and ends.
 * Properties: every output character is a kept Unicode scalar value whose
 * byte range lies inside the file, starts and ends never decrease; the
 * normalization of a range is the same run in pieces; and the normalized text
 * of any span, decoded again from its bytes alone and normalized, is exactly
 * the characters the span covers (spans widened to whole ICU chunks, since
 * a chunk's characters share its bytes).
 */
#include <string.h>

#include "fuzz.h"
#include "src/ingest.h"
#include "src/normalize.h"

/* [x, y): widen to the characters that share the end byte ranges. */
static void check_span(const nd_normtab *t, const uint8_t *s, size_t len,
                       const char *enc, const nd_ntext *o, size_t x, size_t y)
{
    while (x > 0 && o->bs[x - 1] == o->bs[x])
        x--;
    while (y < o->n && o->be[y] == o->be[y - 1])
        y++;
    uint32_t b0 = o->bs[x], b1 = o->be[y - 1];
    nd_decoded e;
    FUZZ_OK(nd_decode_range(s, len, b0, b1, enc, &e));
    nd_ntext p = {0};
    FUZZ_OK(nd_normalize(t, e.cp, e.off, 0, e.n, &p));
    if (p.n != y - x || memcmp(p.cp, o->cp + x, p.n * sizeof *p.cp)) {
        fprintf(stderr, "span [%zu, %zu) bytes [%u, %u): %zu chars again, "
                        "%zu before\n", x, y, b0, b1, p.n, y - x);
        FUZZ_CHECK(!"normalized span differs from its bytes' normalization");
    }
    for (size_t i = 0; i < p.n; i++) /* offsets move with the slice */
        FUZZ_CHECK(p.bs[i] + b0 == o->bs[x + i] &&
                   p.be[i] + b0 == o->be[x + i]);
    nd_ntext_free(&p);
    nd_decoded_free(&e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_in in = {data, size};
    const char *force = fuzz_encodings[fuzz_byte(&in) % FUZZ_NENC];
    unsigned pick = fuzz_byte(&in);
    nd_ctx *ctx = fuzz_ctx(pick);
    nd_decoded d;
    if (nd_decode(in.p, in.n, force, &d) != ND_OK)
        return 0;
    nd_ntext o = {0};
    FUZZ_OK(nd_normalize(ctx->norm, d.cp, d.off, 0, d.n, &o));
    for (size_t i = 0; i < o.n; i++) {
        FUZZ_CHECK(o.cp[i] < 0x110000 &&
                   (o.cp[i] < 0xD800 || o.cp[i] >= 0xE000));
        FUZZ_CHECK(o.bs[i] <= o.be[i] && o.be[i] <= in.n);
        FUZZ_CHECK(!i || (o.bs[i - 1] <= o.bs[i] && o.be[i - 1] <= o.be[i]));
    }
    /* Two pieces cut at a code point that starts a normalization chunk of
     * its own (ASCII letter) give the same text. */
    size_t cut = d.n ? (pick * 7919u) % d.n : 0;
    while (cut < d.n && !(d.cp[cut] < 0x80 && d.cp[cut] > 0x20))
        cut++;
    nd_ntext q = {0};
    FUZZ_OK(nd_normalize(ctx->norm, d.cp, d.off, 0, cut, &q));
    FUZZ_OK(nd_normalize(ctx->norm, d.cp, d.off, cut, d.n, &q));
    FUZZ_CHECK(q.n == o.n);
    FUZZ_CHECK(!o.n || (!memcmp(q.cp, o.cp, o.n * sizeof *o.cp) &&
                        !memcmp(q.bs, o.bs, o.n * sizeof *o.bs)));
    nd_ntext_free(&q);
    if (o.n) {
        check_span(ctx->norm, in.p, in.n, d.encoding, &o, 0, o.n);
        size_t x = (pick * 31u) % o.n, y = x + 1 + (o.n - x - 1) / 2;
        check_span(ctx->norm, in.p, in.n, d.encoding, &o, x, y);
    }
    nd_ntext_free(&o);
    nd_decoded_free(&d);
    return 0;
}
