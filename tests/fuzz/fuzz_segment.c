/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Fuzz target: segmentation (nd_segment_split) of decoded input.  Byte 0
 * picks the encoding, byte 1 the mode (auto, none, blank, or one of a few
 * fixed patterns: a fuzzed ICU pattern would mostly test ICU's regex
 * engine and its backtracking).
 * Properties: at least one segment; segments are contiguous, cover the
 * file, and each starts at the start of a line; the title lies inside its
 * segment, holds no line break and no surrounding white space; ND_SPLIT_NONE
 * gives exactly one segment.
 */
#include "fuzz.h"
#include "src/ingest.h"
#include "src/segment.h"

static const char *const patterns[] = {
    "^第", "^\\s*$", "讲话$", "^(a|b)+c", "^#", "[。！]$",
};

static int is_break(uint32_t c)
{
    return c == '\n' || c == '\r' || c == 0x85 || c == 0x2028 ||
           c == 0x2029;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_in in = {data, size};
    const char *force = fuzz_encodings[fuzz_byte(&in) % FUZZ_NENC];
    unsigned m = fuzz_byte(&in);
    int mode = (int)(m & 3);
    const char *re = patterns[(m >> 2) % (sizeof patterns / sizeof *patterns)];
    nd_decoded d;
    if (nd_decode(in.p, in.n, force, &d) != ND_OK)
        return 0;
    nd_segment *seg;
    size_t n;
    char err[256];
    FUZZ_OK(nd_segment_split(&d, mode, re, &seg, &n, err, sizeof err));
    FUZZ_CHECK(n >= 1);
    FUZZ_CHECK(mode != ND_SPLIT_NONE || n == 1);
    FUZZ_CHECK(seg[0].from == 0 && seg[n - 1].to == d.n);
    for (size_t i = 0; i < n; i++) {
        const nd_segment *s = &seg[i];
        FUZZ_CHECK(s->from <= s->to);
        FUZZ_CHECK(i + 1 == n || s->to == seg[i + 1].from);
        FUZZ_CHECK(i == 0 || (s->from < d.n && s->from > 0 &&
                              is_break(d.cp[s->from - 1])));
        /* Only the first segment may be empty. */
        FUZZ_CHECK(i == 0 || s->from < s->to);
        FUZZ_CHECK(s->from <= s->title_from && s->title_from <= s->title_to &&
                   s->title_to <= s->to);
        for (size_t k = s->title_from; k < s->title_to; k++)
            FUZZ_CHECK(!is_break(d.cp[k]));
        if (s->title_from < s->title_to)
            FUZZ_CHECK(d.cp[s->title_from] != ' ' &&
                       d.cp[s->title_to - 1] != ' ');
    }
    nd_free(seg);
    nd_decoded_free(&d);
    return 0;
}
