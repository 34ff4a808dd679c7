/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * UTF-8 of code points (nd_utf8_of, made in one allocation) against the
 * same characters added one at a time with nd_buf_add_cp, and against
 * known encodings: ASCII, CJK,
 * characters above U+FFFF, U+0000 (left out), lone surrogates and values
 * past U+10FFFF (both U+FFFD), texts of every length up to 300.
 */
#include "test.h"

#include "internal.h"
#include "util.h"

static uint64_t seed = 3;

static uint32_t rnd(uint32_t n)
{
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(seed >> 33) % n;
}

static uint32_t any_cp(void)
{
    switch (rnd(8)) {
    case 0: return rnd(0x80);              /* ASCII, U+0000 too */
    case 1: return 0x80 + rnd(0x780);      /* two bytes */
    case 2: return 0xD800 + rnd(0x800);    /* lone surrogates */
    case 3: return 0x10000 + rnd(0x100000); /* four bytes */
    case 4: return 0x110000 + rnd(1000);   /* not a code point */
    case 5: return 0xFFF0 + rnd(0x20);     /* around U+FFFF */
    default: return 0x4E00 + rnd(0x5200);  /* CJK */
    }
}

int main(void)
{
    uint32_t cp[300];
    size_t nonempty = 0;
    for (int round = 0; round < 3000; round++) {
        size_t n = rnd(301);
        for (size_t i = 0; i < n; i++)
            cp[i] = any_cp();
        nd_buf want = {0};
        CHECK(nd_buf_add(&want, "", 0) == ND_OK);
        for (size_t i = 0; i < n; i++)
            if (cp[i])
                CHECK(nd_buf_add_cp(&want, cp[i]) == ND_OK);
        char *got = nd_utf8_of(cp, n);
        CHECK(got != NULL);
        CHECK_STR(got, want.s);
        nonempty += want.n > 0;
        nd_free(got);
        nd_buf_free(&want);
    }
    CHECK(nonempty > 2900);
    /* Both use nd_utf8_put: known encodings, so that the pair cannot
     * agree on a wrong one. */
    const uint32_t known[] = {0x41, 0xE9, 0x4E2D, 0x1F600, 0xD800, 0x110000,
                              0};
    char *k = nd_utf8_of(known, sizeof known / sizeof *known);
    CHECK_STR(k, "A\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80"
                 "\xEF\xBF\xBD\xEF\xBF\xBD");
    nd_free(k);
    char *empty = nd_utf8_of(cp, 0);
    CHECK(empty && !*empty);
    nd_free(empty);
    printf("util: all tests passed\n");
    return 0;
}
