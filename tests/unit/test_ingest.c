/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Tests for ingest: nd_decode on every encoding path (UTF-8 with and
 * without BOM, UTF-16 with BOMs and surrogate pairs, GB18030 and Big5
 * found by ICU's detector, broken UTF-8, empty, CRLF, binary, forced
 * encodings) with the byte offset of every code point checked exactly;
 * nd_range_is_utf8 against decoding every range of random texts;
 * nd_read_file; and nd_list_paths on a temporary tree with hidden entries,
 * symbolic link loops and a dangling link.  The GB18030 and Big5 inputs
 * are made here with ICU from texts written for the test, so the expected
 * bytes of every character are known independently of the decoder.
 */
#include "test.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <unicode/ucnv.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include "src/ingest.h"
#include "src/internal.h"
#include "texts.h"

/* About 300 characters; the Traditional text with CRLF line ends. */
#define HANS HANS1 HANS2 "\n" HANS3 "\n"
#define HANT HANT1 HANT2 "\r\n" HANT3 "\r\n"

/* ------------------------------------------------------------------ */
/* Helpers                                                              */

/* Decode valid UTF-8 (the test's own literals) into code points and the
 * byte offset of each; returns the count.  off gets n + 1 entries. */
static size_t utf8_cps(const char *s, uint32_t *cp, uint32_t *off,
                       size_t cap)
{
    const uint8_t *p = (const uint8_t *)s;
    size_t i = 0, n = 0;
    while (p[i]) {
        CHECK(n < cap);
        uint32_t c = p[i];
        size_t l = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (l > 1)
            c &= 0x3F >> (l - 1);
        for (size_t k = 1; k < l; k++)
            c = c << 6 | (p[i + k] & 0x3F);
        if (off)
            off[n] = (uint32_t)i;
        cp[n++] = c;
        i += l;
    }
    if (off)
        off[n] = (uint32_t)i;
    return n;
}

/* The decoded text must be exactly the @p n code points @p cp, code point
 * i at byte off[i], the last ending at off[n]. */
static void check_cps(const nd_decoded *d, const uint32_t *cp,
                      const uint32_t *off, size_t n)
{
    CHECK_EQ_INT(d->n, n);
    for (size_t i = 0; i < n; i++) {
        if (d->cp[i] != cp[i] || d->off[i] != off[i]) {
            fprintf(stderr, "at %zu: got U+%04X @%u, want U+%04X @%u\n", i,
                    d->cp[i], d->off[i], cp[i], off[i]);
            CHECK(0);
        }
    }
    CHECK_EQ_INT(d->off[n], off[n]);
}

/* Offsets of a UTF-8 literal decoded from a buffer where it starts at
 * byte @p base. */
static void check_utf8(const nd_decoded *d, const char *text, uint32_t base)
{
    size_t cap = strlen(text) + 1;
    uint32_t *cp = malloc(cap * sizeof *cp), *off = malloc(cap * sizeof *off);
    CHECK(cp && off);
    size_t n = utf8_cps(text, cp, off, cap);
    for (size_t i = 0; i <= n; i++)
        off[i] += base;
    check_cps(d, cp, off, n);
    free(cp);
    free(off);
}

/* Encode UTF-8 @p text as UTF-16 (little or big endian) with a BOM. */
static uint8_t *utf16_bytes(const char *text, int be, size_t *len)
{
    size_t cap = strlen(text) + 1;
    uint32_t *cp = malloc(cap * sizeof *cp);
    uint8_t *b = malloc(4 * cap + 2);
    CHECK(cp && b);
    size_t n = utf8_cps(text, cp, NULL, cap), k = 0;
    uint16_t units[2];
    b[k++] = be ? 0xFE : 0xFF;
    b[k++] = be ? 0xFF : 0xFE;
    for (size_t i = 0; i < n; i++) {
        int nu = 1;
        units[0] = (uint16_t)cp[i];
        if (cp[i] >= 0x10000) {
            units[0] = (uint16_t)(0xD800 + ((cp[i] - 0x10000) >> 10));
            units[1] = (uint16_t)(0xDC00 + ((cp[i] - 0x10000) & 0x3FF));
            nu = 2;
        }
        for (int u = 0; u < nu; u++) {
            b[k++] = (uint8_t)(be ? units[u] >> 8 : units[u] & 0xFF);
            b[k++] = (uint8_t)(be ? units[u] & 0xFF : units[u] >> 8);
        }
    }
    free(cp);
    *len = k;
    return b;
}

/* Convert UTF-8 @p text to @p charset with ICU, failing on any character
 * the charset cannot represent (so the test text is known to round-trip). */
static uint8_t *icu_encode(const char *charset, const UChar *u, int32_t nu,
                           size_t *len)
{
    UErrorCode e = U_ZERO_ERROR;
    UConverter *cv = ucnv_open(charset, &e);
    CHECK(U_SUCCESS(e));
    ucnv_setFromUCallBack(cv, UCNV_FROM_U_CALLBACK_STOP, NULL, NULL, NULL,
                          &e);
    CHECK(U_SUCCESS(e));
    int32_t cap = 4 * nu + 8;
    char *b = malloc((size_t)cap);
    CHECK(b);
    int32_t n = ucnv_fromUChars(cv, b, cap, u, nu, &e);
    if (U_FAILURE(e))
        fprintf(stderr, "%s: %s\n", charset, u_errorName(e));
    CHECK(U_SUCCESS(e));
    ucnv_close(cv);
    *len = (size_t)n;
    return (uint8_t *)b;
}

static UChar *to_uchars(const char *text, int32_t *nu)
{
    UErrorCode e = U_ZERO_ERROR;
    int32_t cap = (int32_t)strlen(text) + 1;
    UChar *u = malloc((size_t)cap * sizeof *u);
    CHECK(u);
    u_strFromUTF8(u, cap, nu, text, -1, &e);
    CHECK(U_SUCCESS(e));
    return u;
}

static int same_charset(const char *a, const char *b)
{
    return ucnv_compareNames(a, b) == 0;
}

/* Decode a legacy-encoded buffer of @p text (detected, or @p force) and
 * check the text and that the bytes of every code point are exactly that
 * code point's encoding in @p charset. */
static void check_legacy(const char *charset, const char *text,
                         const char *force)
{
    int32_t nu;
    UChar *u = to_uchars(text, &nu);
    size_t len;
    uint8_t *b = icu_encode(charset, u, nu, &len);

    nd_decoded d;
    CHECK_EQ_INT(nd_decode(b, len, force, &d), ND_OK);
    if (!same_charset(d.encoding, charset))
        fprintf(stderr, "detected %s, want %s\n", d.encoding, charset);
    CHECK(same_charset(d.encoding, charset));
    CHECK_EQ_INT(d.bad, 0);

    size_t cap = strlen(text) + 1;
    uint32_t *cp = malloc(cap * sizeof *cp);
    CHECK(cp);
    size_t n = utf8_cps(text, cp, NULL, cap);
    CHECK_EQ_INT(d.n, n);
    CHECK_EQ_INT(d.off[0], 0);
    CHECK_EQ_INT(d.off[n], len);
    for (size_t i = 0; i < n; i++) {
        CHECK_EQ_INT(d.cp[i], cp[i]);
        CHECK(d.off[i] < d.off[i + 1]);
        /* The bytes of character i are its encoding alone. */
        UChar one[2];
        int32_t k = 0;
        U16_APPEND_UNSAFE(one, k, cp[i]);
        size_t l1;
        uint8_t *b1 = icu_encode(charset, one, k, &l1);
        if (l1 != d.off[i + 1] - d.off[i] ||
            memcmp(b1, b + d.off[i], l1) != 0) {
            fprintf(stderr, "%s: U+%04X at %zu: bytes [%u, %u) wrong\n",
                    charset, cp[i], i, d.off[i], d.off[i + 1]);
            CHECK(0);
        }
        free(b1);
    }
    free(cp);
    nd_decoded_free(&d);
    free(b);
    free(u);
}

/* ------------------------------------------------------------------ */
/* Decoding                                                             */

static void test_utf8(void)
{
    static const char text[] = "在会上的讲话\n同志们：今年€5, ok😀。";
    nd_decoded d;
    CHECK_EQ_INT(nd_decode((const uint8_t *)text, strlen(text), NULL, &d),
                 ND_OK);
    CHECK_STR(d.encoding, "UTF-8");
    CHECK_EQ_INT(d.bad, 0);
    check_utf8(&d, text, 0);
    CHECK_EQ_INT(d.cp[0], 0x5728);
    CHECK_EQ_INT(d.off[1], 3);
    nd_decoded_free(&d);

    /* With a BOM: not in the text, first offset 3, last the file size. */
    char bom[sizeof text + 3];
    memcpy(bom, "\xEF\xBB\xBF", 3);
    memcpy(bom + 3, text, sizeof text);
    CHECK_EQ_INT(nd_decode((const uint8_t *)bom, strlen(bom), NULL, &d),
                 ND_OK);
    CHECK_STR(d.encoding, "UTF-8");
    CHECK_EQ_INT(d.off[0], 3);
    CHECK(d.cp[0] != 0xFEFF);
    check_utf8(&d, text, 3);
    CHECK_EQ_INT(d.off[d.n], strlen(bom));
    nd_decoded_free(&d);

    /* A file that is only a BOM is empty text. */
    CHECK_EQ_INT(nd_decode((const uint8_t *)"\xEF\xBB\xBF", 3, NULL, &d),
                 ND_OK);
    CHECK_EQ_INT(d.n, 0);
    CHECK_EQ_INT(d.off[0], 3);
    nd_decoded_free(&d);

    /* A long text is UTF-8 too (not sent to the charset detector). */
    CHECK_EQ_INT(nd_decode((const uint8_t *)HANS, strlen(HANS), NULL, &d),
                 ND_OK);
    CHECK_STR(d.encoding, "UTF-8");
    check_utf8(&d, HANS, 0);
    nd_decoded_free(&d);
}

static void test_utf16(void)
{
    /* BMP characters, an emoji (a surrogate pair) and ASCII. */
    static const char text[] = "讲话😀ab\n學";
    for (int be = 0; be <= 1; be++) {
        size_t len;
        uint8_t *b = utf16_bytes(text, be, &len);
        nd_decoded d;
        CHECK_EQ_INT(nd_decode(b, len, NULL, &d), ND_OK);
        CHECK_STR(d.encoding, be ? "UTF-16BE" : "UTF-16LE");
        CHECK_EQ_INT(d.bad, 0);
        static const uint32_t cp[] = {0x8BB2, 0x8BDD, 0x1F600, 'a', 'b',
                                      '\n', 0x5B78};
        static const uint32_t off[] = {2, 4, 6, 10, 12, 14, 16, 18};
        check_cps(&d, cp, off, 7);
        CHECK_EQ_INT(len, 18);
        nd_decoded_free(&d);
        free(b);
    }

    /* Broken UTF-16LE: a lone high surrogate before a BMP character, a
     * lone low surrogate, an odd trailing byte. */
    static const uint8_t bad[] = {0xFF, 0xFE, 0x2D, 0x4E, 0x3D, 0xD8,
                                  0x87, 0x65, 0x00, 0xDE, 'x',  0x00,
                                  0x41};
    nd_decoded d;
    CHECK_EQ_INT(nd_decode(bad, sizeof bad, NULL, &d), ND_OK);
    CHECK_STR(d.encoding, "UTF-16LE");
    static const uint32_t cp[] = {0x4E2D, 0xFFFD, 0x6587, 0xFFFD, 'x',
                                  0xFFFD};
    static const uint32_t off[] = {2, 4, 6, 8, 10, 12, 13};
    check_cps(&d, cp, off, 6);
    CHECK_EQ_INT(d.bad, 3);
    CHECK_EQ_INT(d.first_bad, 4);
    nd_decoded_free(&d);

    /* A file that is only a BOM. */
    CHECK_EQ_INT(nd_decode((const uint8_t *)"\xFE\xFF", 2, NULL, &d), ND_OK);
    CHECK_STR(d.encoding, "UTF-16BE");
    CHECK_EQ_INT(d.n, 0);
    CHECK_EQ_INT(d.off[0], 2);
    nd_decoded_free(&d);
}

/* UTF-32 is recognized by its BOM, which is not text. */
static void test_utf32(void)
{
    static const uint8_t le[] = {0xFF, 0xFE, 0, 0, 0xB2, 0x8B, 0, 0,
                                 0x00, 0xF6, 0x01, 0, 'a', 0, 0, 0};
    static const uint8_t be[] = {0, 0, 0xFE, 0xFF, 0, 0, 0x8B, 0xB2,
                                 0, 0x01, 0xF6, 0x00, 0, 0, 0, 'a'};
    static const uint32_t cp[] = {0x8BB2, 0x1F600, 'a'};
    static const uint32_t off[] = {4, 8, 12, 16};
    nd_decoded d;
    CHECK_EQ_INT(nd_decode(le, sizeof le, NULL, &d), ND_OK);
    CHECK(same_charset(d.encoding, "UTF-32LE"));
    check_cps(&d, cp, off, 3);
    nd_decoded_free(&d);
    CHECK_EQ_INT(nd_decode(be, sizeof be, NULL, &d), ND_OK);
    CHECK(same_charset(d.encoding, "UTF-32BE"));
    check_cps(&d, cp, off, 3);
    nd_decoded_free(&d);
}

static void test_gb18030(void)
{
    /* Detected: the encoding named, the text equal, every offset right. */
    check_legacy("GB18030", HANS, NULL);
    /* Four-byte sequences (an Extension A ideograph, an emoji, a Latin
     * letter) and a two-byte euro sign after the text. */
    check_legacy("GB18030", HANS "㐀字😀é€\n", NULL);
    /* Forced, on a short text the detector would not be sure of. */
    check_legacy("GB18030", "中文", "GB18030");
    check_legacy("GB18030", "中文", "gb18030");

    /* A BOM written in GB18030 (84 31 95 33) is a signature, not text. */
    static const uint8_t bom[] = {0x84, 0x31, 0x95, 0x33, 0xD6, 0xD0, 'a'};
    nd_decoded d;
    CHECK_EQ_INT(nd_decode(bom, sizeof bom, "GB18030", &d), ND_OK);
    static const uint32_t cp[] = {0x4E2D, 'a'};
    static const uint32_t off[] = {4, 6, 7};
    check_cps(&d, cp, off, 2);
    nd_decoded_free(&d);
}

static void test_big5(void)
{
    check_legacy("Big5", HANT, NULL);
    check_legacy("Big5", "學習", "Big5");
}

/* Legacy bytes that also decode cleanly as GB18030 into Han characters
 * (Korean and Japanese in their multi-byte encodings, Traditional Chinese
 * in Big5) are not taken for GB18030 Chinese prose by the decoder's
 * shortcut past the charset detector; Simplified Chinese in GB18030 is. */
static void test_legacy_cjk(void)
{
    static const char ko[] =
        "우리는 오늘 이 자리에서 지난 한 해 동안 이룬 성과를 돌아보고, "
        "다가오는 새해의 계획을 함께 세우고자 합니다. 모든 직원의 노고에 "
        "깊이 감사드리며, 앞으로도 서로 돕고 배우는 조직이 되기를 바랍니다. "
        "특히 현장에서 묵묵히 일해 온 분들의 이야기를 더 많이 듣겠습니다.\n";
    static const char ja[] =
        "本日は新しい年度の計画について皆様と話し合うために集まりました。"
        "昨年度は多くの困難がありましたが、現場の努力によって目標を達成する"
        "ことができました。今年度も地域の皆様の声に耳を傾け、安全で住みやす"
        "い町づくりを進めてまいります。引き続きご協力をお願い申し上げます。\n";
    check_legacy("EUC-KR", ko, NULL);
    check_legacy("EUC-JP", ja, NULL);
    check_legacy("Shift_JIS", ja, NULL);
    check_legacy("Big5", HANT HANT, NULL);
    check_legacy("GB18030", HANS HANS, NULL);
}

/* GB18030 bytes are not mistaken for slightly broken UTF-8 (the decoder
 * lets a few bad sequences through as UTF-8). */
static void test_legacy_not_utf8(void)
{
    int32_t nu;
    UChar *u = to_uchars(HANS, &nu);
    size_t len;
    uint8_t *b = icu_encode("GB18030", u, nu, &len);
    nd_decoded d;
    /* Forcing UTF-8 on GB18030 bytes is allowed, and counts the damage. */
    CHECK_EQ_INT(nd_decode(b, len, NULL, &d), ND_OK);
    CHECK_STR(d.encoding, "GB18030");
    nd_decoded_free(&d);
    CHECK_EQ_INT(nd_decode(b, len, "UTF-8", &d), ND_OK);
    CHECK_STR(d.encoding, "UTF-8");
    CHECK(d.bad > 100);
    CHECK_EQ_INT(d.first_bad, 0);
    nd_decoded_free(&d);
    free(b);
    free(u);
}

static void test_utf8_invalid(void)
{
    /* A truncated three-byte sequence (E5 AD, the start of 学) in the middle
     * of a long valid text, and later a stray continuation byte. */
    size_t la = strlen(HANS1), lb = strlen(HANS2), lc = strlen(HANS3);
    size_t len = la + 2 + lb + 1 + lc;
    uint8_t *b = malloc(len);
    CHECK(b);
    memcpy(b, HANS1, la);
    memcpy(b + la, "\xE5\xAD", 2);
    memcpy(b + la + 2, HANS2, lb);
    b[la + 2 + lb] = 0x80;
    memcpy(b + la + 3 + lb, HANS3, lc);

    nd_decoded d;
    CHECK_EQ_INT(nd_decode(b, len, NULL, &d), ND_OK);
    CHECK_STR(d.encoding, "UTF-8");
    CHECK_EQ_INT(d.bad, 2);
    CHECK_EQ_INT(d.first_bad, la);

    uint32_t cp[1024], off[1024];
    size_t na = utf8_cps(HANS1, cp, off, 1024);
    size_t nb = utf8_cps(HANS2, cp + na + 1, off + na + 1, 1024 - na - 1);
    size_t nc = utf8_cps(HANS3, cp + na + nb + 2, off + na + nb + 2,
                         1024 - na - nb - 2);
    cp[na] = 0xFFFD;
    off[na] = (uint32_t)la;
    for (size_t i = na + 1; i <= na + nb + 1; i++)
        off[i] += (uint32_t)la + 2;
    cp[na + nb + 1] = 0xFFFD;
    CHECK_EQ_INT(off[na + nb + 1], la + 2 + lb);
    for (size_t i = na + nb + 2; i <= na + nb + nc + 2; i++)
        off[i] += (uint32_t)(la + 3 + lb);
    check_cps(&d, cp, off, na + nb + nc + 2);
    /* The replacement characters cover exactly the bad bytes. */
    CHECK_EQ_INT(d.off[na + 1] - d.off[na], 2);
    CHECK_EQ_INT(d.off[na + nb + 2] - d.off[na + nb + 1], 1);
    nd_decoded_free(&d);

    /* Forced UTF-8 on a short text with a bad byte at the start. */
    CHECK_EQ_INT(nd_decode((const uint8_t *)"\xFF" "ab", 3, "UTF-8", &d),
                 ND_OK);
    CHECK_EQ_INT(d.n, 3);
    CHECK_EQ_INT(d.cp[0], 0xFFFD);
    CHECK_EQ_INT(d.bad, 1);
    CHECK_EQ_INT(d.first_bad, 0);
    CHECK_EQ_INT(d.off[1], 1);
    nd_decoded_free(&d);

    /* A truncated sequence at the very end. */
    CHECK_EQ_INT(nd_decode((const uint8_t *)"\xE4\xB8\xAD\xE4\xB8", 5,
                           "UTF-8", &d), ND_OK);
    CHECK_EQ_INT(d.n, 2);
    CHECK_EQ_INT(d.cp[0], 0x4E2D);
    CHECK_EQ_INT(d.cp[1], 0xFFFD);
    CHECK_EQ_INT(d.first_bad, 3);
    CHECK_EQ_INT(d.off[2], 5);
    nd_decoded_free(&d);
    free(b);
}

static void test_small_files(void)
{
    nd_decoded d;
    /* Empty. */
    CHECK_EQ_INT(nd_decode((const uint8_t *)"", 0, NULL, &d), ND_OK);
    CHECK_EQ_INT(d.n, 0);
    CHECK_EQ_INT(d.off[0], 0);
    CHECK_EQ_INT(d.bad, 0);
    CHECK_STR(d.encoding, "UTF-8");
    nd_decoded_free(&d);

    /* No final newline: the last character ends at the end of the file. */
    static const char last[] = "第一行\n最后一行没有换行";
    CHECK_EQ_INT(nd_decode((const uint8_t *)last, strlen(last), NULL, &d),
                 ND_OK);
    check_utf8(&d, last, 0);
    CHECK_EQ_INT(d.cp[d.n - 1], 0x884C);
    CHECK_EQ_INT(d.off[d.n - 1], strlen(last) - 3);
    nd_decoded_free(&d);

    /* CRLF line ends are text: both characters kept with their bytes. */
    static const char crlf[] = "甲方\r\n乙方\r\n";
    CHECK_EQ_INT(nd_decode((const uint8_t *)crlf, strlen(crlf), NULL, &d),
                 ND_OK);
    static const uint32_t cp[] = {0x7532, 0x65B9, '\r', '\n', 0x4E59, 0x65B9,
                                  '\r', '\n'};
    static const uint32_t off[] = {0, 3, 6, 7, 8, 11, 14, 15, 16};
    check_cps(&d, cp, off, 8);
    nd_decoded_free(&d);
}

static void test_binary(void)
{
    nd_decoded d;
    static const uint8_t zip[] = {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0};
    CHECK_EQ_INT(nd_decode(zip, sizeof zip, NULL, &d), ND_EBINARY);
    CHECK(d.cp == NULL);
    nd_decoded_free(&d);

    /* Text with a NUL byte well inside the probed prefix. */
    size_t len = 8192;
    uint8_t *b = malloc(len);
    CHECK(b);
    for (size_t i = 0; i < len; i++)
        b[i] = (uint8_t)('a' + i % 26);
    b[8191] = 0;
    CHECK_EQ_INT(nd_decode(b, len, NULL, &d), ND_EBINARY);
    b[8191] = 'z';
    b[100] = 0;
    CHECK_EQ_INT(nd_decode(b, len, NULL, &d), ND_EBINARY);
    /* Without the NUL it is text. */
    b[100] = 'x';
    CHECK_EQ_INT(nd_decode(b, len, NULL, &d), ND_OK);
    CHECK_EQ_INT(d.n, len);
    nd_decoded_free(&d);
    free(b);

    /* UTF-16 with a BOM has NUL bytes and is not binary. */
    size_t l16;
    uint8_t *u16 = utf16_bytes("abc", 0, &l16);
    CHECK_EQ_INT(nd_decode(u16, l16, NULL, &d), ND_OK);
    CHECK_EQ_INT(d.n, 3);
    nd_decoded_free(&d);
    /* Forcing an encoding decodes NUL bytes as text. */
    CHECK_EQ_INT(nd_decode(u16 + 2, l16 - 2, "UTF-16LE", &d), ND_OK);
    CHECK_EQ_INT(d.n, 3);
    CHECK_EQ_INT(d.cp[2], 'c');
    CHECK_EQ_INT(d.off[0], 0);
    nd_decoded_free(&d);
    free(u16);
}

/*
 * UTF-16 without a BOM (what some converters write): Chinese text with its
 * punctuation, ASCII text (NUL bytes every other byte) and Chinese without
 * punctuation but with NUL bytes (一 is U+4E00) are read as UTF-16 in the
 * right byte order; Latin-1 text with pairs of letters, which read as
 * UTF-16 would be ideographs, and random bytes are not.
 */
static void test_utf16_no_bom(void)
{
    static const char *const texts[] = {
        "在全市经济工作会议上的讲话\n同志们：今年以来，我们坚持稳中求进，"
        "经济运行总体平稳。",
        "Report of the committee\nThe meeting was held on 3 May.\n",
        "一丁七万丈三上下不与丐丑专且丕世丘丙业丛东丝丞丢两严丧个",
    };
    for (size_t t = 0; t < sizeof texts / sizeof *texts; t++)
        for (int be = 0; be <= 1; be++) {
            size_t len;
            uint8_t *b = utf16_bytes(texts[t], be, &len);
            nd_decoded d;
            CHECK_EQ_INT(nd_decode(b + 2, len - 2, NULL, &d), ND_OK);
            CHECK_STR(d.encoding, be ? "UTF-16BE" : "UTF-16LE");
            CHECK_EQ_INT(d.bad, 0);
            CHECK_EQ_INT(d.off[0], 0);
            CHECK_EQ_INT(d.off[d.n], len - 2);
            nd_decoded_free(&d);
            free(b);
        }
    /* Latin-1 (not valid UTF-8): letters stay letters. */
    static const char latin1[] = "Caf\xE9 cr\xE8me et th\xE9 pour "
                                 "l'\xE9t\xE9, disait-il \xE0 Jos\xE9.";
    nd_decoded d;
    CHECK_EQ_INT(nd_decode((const uint8_t *)latin1, sizeof latin1 - 1, NULL,
                           &d), ND_OK);
    CHECK(strncmp(d.encoding, "UTF-16", 6) != 0);
    CHECK_EQ_INT(d.cp[0], 'C');
    CHECK_EQ_INT(d.cp[3], 0xE9);
    nd_decoded_free(&d);
    /* Random bytes with NULs stay binary. */
    uint8_t junk[4096];
    uint64_t r = 99;
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (uint8_t)test_rand(&r);
    junk[17] = 0;
    CHECK_EQ_INT(nd_decode(junk, sizeof junk, NULL, &d), ND_EBINARY);
}

static void test_forced(void)
{
    nd_decoded d;
    /* Unknown name. */
    CHECK_EQ_INT(nd_decode((const uint8_t *)"abc", 3, "no-such-charset-42",
                           &d), ND_EENCODING);
    CHECK(d.cp == NULL);
    nd_decoded_free(&d);

    /* Latin-1 forced on UTF-8 bytes: one character per byte. */
    CHECK_EQ_INT(nd_decode((const uint8_t *)"\xC3\xA9!", 3, "ISO-8859-1",
                           &d), ND_OK);
    static const uint32_t cp[] = {0xC3, 0xA9, '!'};
    static const uint32_t off[] = {0, 1, 2, 3};
    check_cps(&d, cp, off, 3);
    CHECK(same_charset(d.encoding, "ISO-8859-1"));
    nd_decoded_free(&d);

    /* Forced UTF-8 (any spelling) still skips a BOM. */
    static const char bom[] = "\xEF\xBB\xBF讲话";
    CHECK_EQ_INT(nd_decode((const uint8_t *)bom, strlen(bom), "utf8", &d),
                 ND_OK);
    CHECK_STR(d.encoding, "UTF-8");
    check_utf8(&d, "讲话", 3);
    nd_decoded_free(&d);

    /* Forced UTF-16BE with and without its BOM. */
    size_t len;
    uint8_t *b = utf16_bytes("讲😀", 1, &len);
    CHECK_EQ_INT(nd_decode(b, len, "UTF-16BE", &d), ND_OK);
    static const uint32_t cp16[] = {0x8BB2, 0x1F600};
    static const uint32_t off16[] = {2, 4, 8};
    check_cps(&d, cp16, off16, 2);
    nd_decoded_free(&d);
    CHECK_EQ_INT(nd_decode(b + 2, len - 2, "utf-16be", &d), ND_OK);
    static const uint32_t off16b[] = {0, 2, 6};
    check_cps(&d, cp16, off16b, 2);
    CHECK_STR(d.encoding, "UTF-16BE");
    nd_decoded_free(&d);
    /* ICU's generic UTF-16 reads the BOM itself; the offsets hold. */
    CHECK_EQ_INT(nd_decode(b, len, "UTF-16", &d), ND_OK);
    check_cps(&d, cp16, off16, 2);
    nd_decoded_free(&d);
    free(b);

    /* GB18030 forced, with an invalid byte (FF) in the middle: one U+FFFD
     * at exactly that byte, the text around it intact. */
    int32_t nu;
    UChar *u = to_uchars("中文", &nu);
    size_t lg;
    uint8_t *g = icu_encode("GB18030", u, nu, &lg);
    CHECK_EQ_INT(lg, 4);
    uint8_t gb[7] = {g[0], g[1], 0xFF, 'a', g[2], g[3], '\n'};
    CHECK_EQ_INT(nd_decode(gb, sizeof gb, "GB18030", &d), ND_OK);
    static const uint32_t cpg[] = {0x4E2D, 0xFFFD, 'a', 0x6587, '\n'};
    static const uint32_t offg[] = {0, 2, 3, 4, 6, 7};
    check_cps(&d, cpg, offg, 5);
    CHECK_EQ_INT(d.bad, 1);
    CHECK_EQ_INT(d.first_bad, 2);
    nd_decoded_free(&d);
    free(g);
    free(u);
}

/*
 * Short legacy files (a title, a note of a few characters) give the
 * charset detector little to go on.  Bytes that are valid GB18030 text
 * must still decode to that text: not to Hangul through UTF-16 (which
 * needs a BOM here: without one, NUL bytes make it binary), not to U+FFFD
 * through UTF-8, not to Latin-1 letters.  Returns the number of failures,
 * each described on stderr, so that main can check it last.
 */
static int test_short_legacy(void)
{
    static const char *const gb[] = {
        "春天\n", "春天来\n", "春天来了，\n", "春天来了，村里的\n",
        "会议纪要", "学习体会",
        "Meeting notes 2026-03-01, room 301. Attendees: Zhang, Li, Wang. "
        "Meeting notes 2026-03-01, room 301. Attendees: Zhang, Li, Wang. "
        "Meeting notes 2026-03-01, room 301. Attendees: Zhang, Li, Wang. "
        "会议纪要：通过。\n",
    };
    static const char *const big5[] = {"春天\n", "學習體會",
                                       "春天來了，村裡的\n"};
    int failures = 0;
    for (size_t k = 0; k < sizeof gb / sizeof *gb + sizeof big5 / sizeof
         *big5; k++) {
        int is_gb = k < sizeof gb / sizeof *gb;
        const char *text = is_gb ? gb[k] : big5[k - sizeof gb / sizeof *gb];
        int32_t nu;
        UChar *u = to_uchars(text, &nu);
        size_t len;
        uint8_t *b = icu_encode(is_gb ? "GB18030" : "Big5", u, nu, &len);
        uint32_t cp[512];
        size_t n = utf8_cps(text, cp, NULL, 512);
        nd_decoded d;
        CHECK_EQ_INT(nd_decode(b, len, NULL, &d), ND_OK);
        int ok = !strstr(d.encoding, "UTF-16") && d.bad == 0;
        /* GB18030 text must come back exactly; a few Big5 characters are
         * often valid GB18030 too, so Big5 only must not be mangled. */
        if (ok && is_gb) {
            ok = d.n == n;
            for (size_t i = 0; ok && i < n; i++)
                ok = d.cp[i] == cp[i];
        }
        if (!ok) {
            char shown[512];
            size_t m = 0;
            for (const char *p = text; *p && m + 3 < sizeof shown; p++) {
                if (*p == '\n') {
                    shown[m++] = '\\';
                    shown[m++] = 'n';
                } else {
                    shown[m++] = *p;
                }
            }
            shown[m] = 0;
            fprintf(stderr, "short %s text \"%s\" (%zu bytes): decoded as "
                    "%s, %zu invalid, first code points", is_gb ? "GB18030"
                    : "Big5", shown, len, d.encoding, d.bad);
            for (size_t i = 0; i < d.n && i < 4; i++)
                fprintf(stderr, " U+%04X", d.cp[i]);
            fprintf(stderr, "\n");
            failures++;
        }
        nd_decoded_free(&d);
        free(b);
        free(u);
    }
    return failures;
}

/* ------------------------------------------------------------------ */
/* Reading and listing                                                  */

static char tmp_root[256];

static void write_file(const char *rel, const void *data, size_t len)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", tmp_root, rel);
    FILE *f = fopen(p, "wb");
    CHECK(f);
    CHECK(fwrite(data, 1, len, f) == len);
    CHECK(fclose(f) == 0);
}

static void make_dir(const char *rel)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", tmp_root, rel);
    CHECK(mkdir(p, 0700) == 0);
}

static void make_link(const char *target, const char *rel)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", tmp_root, rel);
    CHECK(symlink(target, p) == 0);
}

static char *path_of(const char *rel)
{
    static char p[8][512];
    static int k;
    k = (k + 1) % 8;
    snprintf(p[k], sizeof p[k], "%s/%s", tmp_root, rel);
    return p[k];
}

typedef struct log_entry {
    int level;
    char file[512];
    char msg[512];
} log_entry;

static log_entry logs[32];
static size_t nlogs;

static void capture_log(void *user, int level, const char *file,
                        const char *msg)
{
    (void)user;
    CHECK(nlogs < sizeof logs / sizeof *logs);
    logs[nlogs].level = level;
    snprintf(logs[nlogs].file, sizeof logs[nlogs].file, "%s",
             file ? file : "");
    snprintf(logs[nlogs].msg, sizeof logs[nlogs].msg, "%s", msg);
    nlogs++;
}

/* The log entry about @p file, which must exist and contain @p word. */
static const log_entry *log_about(const char *file, const char *word)
{
    for (size_t i = 0; i < nlogs; i++)
        if (!strcmp(logs[i].file, file)) {
            if (!strstr(logs[i].msg, word))
                fprintf(stderr, "log for %s: %s\n", file, logs[i].msg);
            CHECK(strstr(logs[i].msg, word) != NULL);
            return &logs[i];
        }
    fprintf(stderr, "no log entry for %s\n", file);
    CHECK(0);
    return NULL;
}

/* Remove the temporary tree, also when a check fails (atexit). */
static void rm_tmp(void)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp_root);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmp_root);
}

static void test_read_file(void)
{
    write_file("r.txt", HANS, strlen(HANS));
    uint8_t *data = NULL;
    size_t len = 0;
    CHECK_EQ_INT(nd_read_file(path_of("r.txt"), &data, &len, NULL), ND_OK);
    CHECK_EQ_INT(len, strlen(HANS));
    CHECK(memcmp(data, HANS, len) == 0);
    nd_free(data);

    write_file("empty.txt", "", 0);
    CHECK_EQ_INT(nd_read_file(path_of("empty.txt"), &data, &len, NULL), ND_OK);
    CHECK_EQ_INT(len, 0);
    nd_free(data);

    CHECK_EQ_INT(nd_read_file(path_of("missing.txt"), &data, &len, NULL), ND_EIO);
    CHECK_EQ_INT(errno, ENOENT);
    CHECK_EQ_INT(nd_read_file(tmp_root, &data, &len, NULL), ND_EIO);
    CHECK_EQ_INT(errno, EISDIR);
    unlink(path_of("r.txt"));
    unlink(path_of("empty.txt"));
}

static void test_list_paths(void)
{
    /*
     * root/
     *   B.txt  a/{y/{x.txt, up -> ../..}, z.txt}  b.txt  c.txt
     *   d/{e.txt, f/g.txt}  中.txt
     *   .hidden.txt  .git/f.txt            hidden: never listed
     *   dangling -> nowhere                reported, skipped
     *   loop -> .                          directory loop, skipped
     *   self -> self                       symbolic link loop, skipped
     */
    make_dir("a");
    make_dir("a/y");
    make_dir(".git");
    make_dir("d");
    make_dir("d/f");
    write_file("d/e.txt", "e", 1);
    write_file("d/f/g.txt", "g", 1);
    write_file("a/y/x.txt", "x", 1);
    write_file("a/z.txt", "z", 1);
    write_file("b.txt", "b", 1);
    write_file("B.txt", "B", 1);
    write_file("c.txt", "c", 1);
    write_file("中.txt", "zh", 2);
    write_file(".hidden.txt", "h", 1);
    write_file(".git/f.txt", "g", 1);
    make_link("../..", "a/y/up");
    make_link("nowhere", "dangling");
    make_link(".", "loop");
    make_link("self", "self");

    nd_settings s;
    nd_default_settings(&s);
    s.log = capture_log;
    nd_ctx *ctx;
    CHECK_EQ_INT(nd_ctx_new(&ctx, &s), ND_OK);

    nlogs = 0;
    nd_pathlist l = {0};
    size_t skipped = 0;
    CHECK_EQ_INT(nd_list_paths(ctx, tmp_root, &l, &skipped), ND_OK);
    const char *want[] = {"B.txt", "a/y/x.txt", "a/z.txt", "b.txt", "c.txt",
                          "d/e.txt", "d/f/g.txt", "中.txt"};
    size_t nwant = sizeof want / sizeof *want;
    int same = l.n == nwant;
    for (size_t i = 0; same && i < nwant; i++)
        same = !strcmp(l.v[i], path_of(want[i]));
    for (size_t i = 0; !same && i < l.n; i++)
        fprintf(stderr, "listed: %s\n", l.v[i]);
    CHECK(same);
    CHECK_EQ_INT(skipped, 4);
    CHECK_EQ_INT(nlogs, 4);
    CHECK_EQ_INT(log_about(path_of("dangling"), "dangling")->level,
                 ND_LOG_WARN);
    CHECK_EQ_INT(log_about(path_of("self"), "loop")->level, ND_LOG_WARN);
    CHECK_EQ_INT(log_about(path_of("loop"), "loop")->level, ND_LOG_WARN);
    CHECK_EQ_INT(log_about(path_of("a/y/up"), "loop")->level, ND_LOG_WARN);
    nd_pathlist_free(&l);

    /* The same call twice gives the same list: deterministic. */
    CHECK_EQ_INT(nd_list_paths(ctx, tmp_root, &l, &skipped), ND_OK);
    CHECK_EQ_INT(l.n, nwant);
    CHECK_EQ_INT(skipped, 8); /* the counter is added to */
    nd_pathlist_free(&l);

    /* A trailing slash is not doubled in the paths. */
    char slash[600];
    snprintf(slash, sizeof slash, "%s/d/", tmp_root);
    skipped = 0;
    nlogs = 0;
    CHECK_EQ_INT(nd_list_paths(ctx, slash, &l, &skipped), ND_OK);
    CHECK_EQ_INT(l.n, 2);
    CHECK_STR(l.v[0], path_of("d/e.txt"));
    CHECK_STR(l.v[1], path_of("d/f/g.txt"));
    CHECK_EQ_INT(skipped, 0);
    CHECK_EQ_INT(nlogs, 0);
    nd_pathlist_free(&l);

    /* A single file is listed as given, even a hidden one; a missing one
     * is reported and counted. */
    skipped = 0;
    nlogs = 0;
    CHECK_EQ_INT(nd_list_paths(ctx, path_of(".hidden.txt"), &l, &skipped),
                 ND_OK);
    CHECK_EQ_INT(l.n, 1);
    CHECK_STR(l.v[0], path_of(".hidden.txt"));
    CHECK_EQ_INT(skipped, 0);
    nd_pathlist_free(&l);
    CHECK_EQ_INT(nd_list_paths(ctx, path_of("missing"), &l, &skipped),
                 ND_OK);
    CHECK_EQ_INT(l.n, 0);
    CHECK_EQ_INT(skipped, 1);
    log_about(path_of("missing"), "No such file");
    /* "-" is standard input, listed as is. */
    CHECK_EQ_INT(nd_list_paths(ctx, "-", &l, &skipped), ND_OK);
    CHECK_EQ_INT(l.n, 1);
    CHECK_STR(l.v[0], "-");
    nd_pathlist_free(&l);
    nd_ctx_free(ctx);
}

/*
 * ingest.h promises paths "sorted bytewise" (nd.h: "sorted by path"): the
 * whole list, as `LC_ALL=C sort` would order it, so a directory's files do
 * not come before a sibling whose name sorts lower only because '/' is
 * compared with '-', '.' or ' '.  Returns 1 on failure, checked last.
 */
static int test_list_sorted(void)
{
    make_dir("s");
    make_dir("s/a");
    write_file("s/a/x.txt", "x", 1);
    write_file("s/a-b.txt", "-", 1);
    write_file("s/a.txt", ".", 1);
    write_file("s/a b.txt", " ", 1);
    const char *want[] = {"s/a b.txt", "s/a-b.txt", "s/a.txt", "s/a/x.txt"};
    nd_pathlist l = {0};
    size_t skipped = 0;
    CHECK_EQ_INT(nd_list_paths(NULL, path_of("s"), &l, &skipped), ND_OK);
    CHECK_EQ_INT(l.n, 4);
    CHECK_EQ_INT(skipped, 0);
    int failed = 0;
    for (size_t i = 0; i < 4; i++)
        if (strcmp(l.v[i], path_of(want[i])))
            failed = 1;
    for (size_t i = 0; failed && i < 4; i++)
        fprintf(stderr, "nd_list_paths order: %s (sorted: %s)\n", l.v[i],
                path_of(want[i]));
    nd_pathlist_free(&l);
    return failed;
}

/*
 * nd_range_is_utf8 says a range is its own UTF-8 exactly when decoding
 * it (nd_decode_range) and writing it as UTF-8 again gives the same
 * bytes: random texts of valid and broken pieces, every range of them.
 */
static void test_range_is_utf8(void)
{
    static const char *const piece[] = {
        "a", " ", "\n", "\xE4\xB8\xAD", "\xE6\x96\x87", "\xC3\xA9",
        "\xF0\x9F\x98\x80",                 /* U+1F600 */
        "\xEF\xBB\xBF",                     /* U+FEFF */
        "\xE4\xB8", "\x80", "\xC0\x80",       /* truncated, stray, overlong */
        "\xED\xA0\x80", "\xF5\x80\x80\x80", /* surrogate, too high */
        "\xFF", "",                         /* and U+0000 (length 1 below) */
    };
    const size_t np = sizeof piece / sizeof *piece;
    uint64_t seed = 7;
    size_t yes = 0, no = 0;
    for (int round = 0; round < 300; round++) {
        uint8_t b[64];
        size_t len = 0;
        if (round % 5 == 0) { /* a byte order mark first */
            memcpy(b, "\xEF\xBB\xBF", 3);
            len = 3;
        }
        int broken = round % 2; /* half of them valid throughout */
        while (len < 40) {
            size_t k = (size_t)(test_rand(&seed) % (broken ? np : 8));
            size_t l = piece[k][0] ? strlen(piece[k]) : 1;
            memcpy(b + len, piece[k], l);
            len += l;
        }
        for (size_t s0 = 0; s0 <= len; s0++)
            for (size_t e = s0; e <= len; e++) {
                int fast = nd_range_is_utf8("UTF-8", s0, b + s0, e - s0);
                CHECK(!nd_range_is_utf8("GB18030", s0, b + s0, e - s0));
                nd_decoded d;
                CHECK_EQ_INT(nd_decode_range(b, len, s0, e, "UTF-8", &d),
                             ND_OK);
                char *u = nd_utf8_of(d.cp, d.n);
                CHECK(u);
                int same = strlen(u) == e - s0 && !memcmp(u, b + s0, e - s0);
                CHECK_EQ_INT(fast, same);
                yes += fast;
                no += !fast;
                free(u);
                nd_decoded_free(&d);
            }
    }
    /* Exactly the ranges whose bytes come back the same are taken, and
     * the test saw both kinds. */
    printf("ranges taken as UTF-8: %zu, not: %zu\n", yes, no);
    CHECK(yes > 10000);
    CHECK(no > 10000);
}

int main(void)
{
    const char *t = getenv("TMPDIR");
    snprintf(tmp_root, sizeof tmp_root, "%s/nd_ingest_XXXXXX",
             t && *t ? t : "/tmp");
    CHECK(mkdtemp(tmp_root) != NULL);
    atexit(rm_tmp);

    test_utf8();
    test_utf16();
    test_utf32();
    test_gb18030();
    test_big5();
    test_legacy_cjk();
    test_legacy_not_utf8();
    test_utf8_invalid();
    test_range_is_utf8();
    test_small_files();
    test_binary();
    test_utf16_no_bom();
    test_forced();
    test_read_file();
    test_list_paths();
    int short_failures = test_short_legacy();
    int unsorted = test_list_sorted();
    CHECK_EQ_INT(short_failures, 0);
    CHECK_EQ_INT(unsorted, 0);

    printf("ingest: all tests passed\n");
    return 0;
}
