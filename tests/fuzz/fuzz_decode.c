/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Fuzz target: decoding and charset detection (nd_decode).  The first
 * byte picks detection or a forced encoding; the rest is the file.
 * Properties: the call fails only with a documented code; code points are
 * Unicode scalar values; offsets start inside the file, never decrease,
 * stay below its length and end at it; and any range of whole code points
 * decodes again, alone, to the same code points (what nd_corpus_slice
 * relies on to quote a passage).
 */
#include <string.h>

#include "fuzz.h"
#include "src/ingest.h"

/* Decode bytes [off[i], off[j]) alone and compare with cp[i..j). */
static void check_slice(const uint8_t *s, size_t len, const nd_decoded *d,
                        size_t i, size_t j)
{
    nd_decoded e;
    int rc = nd_decode_range(s, len, d->off[i], d->off[j], d->encoding, &e);
    FUZZ_CHECK(rc == ND_OK);
    FUZZ_CHECK(e.n == j - i);
    FUZZ_CHECK(!memcmp(e.cp, d->cp + i, e.n * sizeof *e.cp));
    nd_decoded_free(&e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_in in = {data, size};
    const char *force = fuzz_encodings[fuzz_byte(&in) % FUZZ_NENC];
    nd_decoded d;
    int rc = nd_decode(in.p, in.n, force, &d);
    if (rc == ND_EBINARY) {
        FUZZ_CHECK(!force && memchr(in.p, 0, in.n));
        return 0;
    }
    FUZZ_CHECK(rc == ND_OK);
    FUZZ_CHECK(d.encoding[0]);
    FUZZ_CHECK(d.off[d.n] == in.n);
    for (size_t i = 0; i < d.n; i++) {
        FUZZ_CHECK(d.cp[i] < 0x110000 &&
                   (d.cp[i] < 0xD800 || d.cp[i] >= 0xE000));
        FUZZ_CHECK(d.off[i] <= d.off[i + 1]);
        FUZZ_CHECK(d.off[i] < in.n);
    }
    FUZZ_CHECK(!d.bad || d.first_bad < in.n);
    if (d.n) {
        /* Whole-file and a few inner ranges, chosen from the data. */
        check_slice(in.p, in.n, &d, 0, d.n);
        size_t i = in.n ? in.p[0] % d.n : 0, j = i + (d.n - i) / 2;
        if (j > i)
            check_slice(in.p, in.n, &d, i, j);
        check_slice(in.p, in.n, &d, d.n / 3, d.n);
    }
    nd_decoded_free(&d);
    return 0;
}
