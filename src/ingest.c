/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Ingestion: turn paths into sorted lists of regular files, read them, and
 * decode their bytes to code points that each remember the byte offset they
 * came from.  UTF-8 and UTF-16 are decoded here (they are the common case
 * and need exact offsets); every other encoding goes through an ICU
 * converter, whose offsets array gives the same byte mapping.  Detection:
 * a BOM wins; then bytes that are valid UTF-8 (or nearly so: a few broken
 * sequences in otherwise valid multi-byte text) are UTF-8; otherwise ICU's
 * charset detector picks the encoding.
 */
#include "ingest.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ucsdet.h>

#define BINARY_PROBE 8192 /* a NUL byte this early means binary */
#define MIN_CONFIDENCE 10 /* ICU detector confidence (0-100) */
#define RANGE_LOOKAHEAD 32 /* bytes decoded past a range's end */

/* ------------------------------------------------------------------ */
/* Decoding                                                            */

static int alloc_decoded(nd_decoded *d, size_t cap)
{
    d->cp = nd_malloc((cap + 1) * sizeof *d->cp);
    d->off = nd_malloc((cap + 1) * sizeof *d->off);
    if (!d->cp || !d->off) {
        nd_decoded_free(d);
        return ND_ENOMEM;
    }
    return ND_OK;
}

static void note_bad(nd_decoded *d, size_t at)
{
    if (!d->bad++)
        d->first_bad = at;
}

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid.
 * Inlined into both loops: a call a character made loading 5-7%
 * slower once nd_range_is_utf8 used it too. */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline size_t utf8_seq(const uint8_t *s, size_t n, uint32_t *out)
{
    uint8_t b = s[0];
    if (b < 0x80) {
        *out = b;
        return 1;
    }
    size_t len;
    uint32_t c, min;
    if (b >= 0xC2 && b <= 0xDF) {
        len = 2;
        c = b & 0x1F;
        min = 0x80;
    } else if (b >= 0xE0 && b <= 0xEF) {
        len = 3;
        c = b & 0x0F;
        min = 0x800;
    } else if (b >= 0xF0 && b <= 0xF4) {
        len = 4;
        c = b & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = c << 6 | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c < 0xE000))
        return 0;
    *out = c;
    return len;
}

/* Decodes UTF-8 from byte @p skip, one U+FFFD per maximal invalid run of
 * bytes that cannot start a sequence, as in the W3C/Unicode "substitution
 * of maximal subparts" practice (simplified: a lead byte and its following
 * continuation bytes).  If @p multi is given, it gets the number of valid
 * multi-byte sequences and *bad_bytes the number of bytes in invalid runs:
 * how much the input looks like UTF-8. */
static int decode_utf8_counted(const uint8_t *s, size_t n, size_t skip,
                               nd_decoded *d, size_t *multi,
                               size_t *bad_bytes)
{
    ND_TRY(alloc_decoded(d, n));
    size_t i = skip, k = 0, nmulti = 0, nbad = 0;
    uint32_t *cp = d->cp, *off = d->off;
    while (i < n) {
        off[k] = (uint32_t)i;
        if (s[i] < 0x80) {
            cp[k++] = s[i++];
            continue;
        }
        uint32_t c;
        size_t l = utf8_seq(s + i, n - i, &c);
        if (l) {
            cp[k++] = c;
            i += l;
            nmulti++;
            continue;
        }
        note_bad(d, i);
        size_t from = i++;
        while (i < n && (s[i] & 0xC0) == 0x80)
            i++;
        nbad += i - from;
        cp[k++] = 0xFFFD;
    }
    off[k] = (uint32_t)n;
    d->n = k;
    strcpy(d->encoding, "UTF-8");
    if (multi) {
        *multi = nmulti;
        *bad_bytes = nbad;
    }
    return ND_OK;
}

static int decode_utf8(const uint8_t *s, size_t n, size_t skip,
                       nd_decoded *d)
{
    return decode_utf8_counted(s, n, skip, d, NULL, NULL);
}

static int decode_utf16(const uint8_t *s, size_t n, size_t skip, int be,
                        nd_decoded *d)
{
    ND_TRY(alloc_decoded(d, n / 2 + 1));
    size_t i = skip, k = 0;
#define U16(p) (be ? (uint32_t)(s[p] << 8 | s[(p) + 1]) \
                   : (uint32_t)(s[(p) + 1] << 8 | s[p]))
    while (i + 1 < n) {
        uint32_t u = U16(i);
        d->off[k] = (uint32_t)i;
        if (u >= 0xD800 && u < 0xDC00 && i + 3 < n) {
            uint32_t v = U16(i + 2);
            if (v >= 0xDC00 && v < 0xE000) {
                d->cp[k++] = 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00);
                i += 4;
                continue;
            }
        }
        if (u >= 0xD800 && u < 0xE000) {
            note_bad(d, i);
            u = 0xFFFD;
        }
        d->cp[k++] = u;
        i += 2;
    }
#undef U16
    if (i < n) { /* odd trailing byte */
        d->off[k] = (uint32_t)i;
        note_bad(d, i);
        d->cp[k++] = 0xFFFD;
    }
    d->off[k] = (uint32_t)n;
    d->n = k;
    strcpy(d->encoding, be ? "UTF-16BE" : "UTF-16LE");
    return ND_OK;
}

/*
 * Does s look like UTF-16 without a BOM, and which byte order?  Text in
 * UTF-16 is almost all units from a few blocks (ASCII, CJK, CJK and
 * full-width punctuation); binary data and legacy multi-byte text read as
 * UTF-16 scatter over the whole range (GB18030 read as UTF-16 is Hangul
 * and private use).  Without NUL bytes (@p nul) the text must also have
 * line breaks or CJK punctuation: pairs of ASCII letters read as UTF-16
 * are CJK ideographs.  Returns 0 (LE), 1 (BE) or -1.
 */
static int guess_utf16(const uint8_t *s, size_t n, int nul)
{
    size_t m = ND_MIN(n, BINARY_PROBE) / 2;
    if (m < 4)
        return -1;
    double score[2];
    for (int be = 0; be < 2; be++) {
        size_t text = 0, marks = 0;
        for (size_t i = 0; i < m; i++) {
            uint32_t u = be ? (uint32_t)s[2 * i] << 8 | s[2 * i + 1]
                            : (uint32_t)s[2 * i + 1] << 8 | s[2 * i];
            int mark = u == 0x0A || u == 0x20 || u == 0x3001 ||
                       u == 0x3002 || u == 0xFF0C || u == 0xFF1A ||
                       u == 0xFF1B || u == 0xFF01 || u == 0xFF1F;
            marks += (size_t)mark;
            /* xx00 is an ASCII character read in the wrong byte order far
             * more often than a character like 一 (U+4E00). */
            text += (size_t)(mark || u == 0x09 || u == 0x0D ||
                             (u >= 0x20 && u < 0x7F) ||
                             (u >= 0xA0 && u < 0x250) ||
                             (u >= 0x2000 && u < 0x2070) ||
                             (u >= 0x3000 && u < 0x3100) ||
                             (u >= 0x3400 && u < 0xA000 && (u & 0xFF)) ||
                             (u >= 0xFF00 && u < 0xFFF0));
        }
        score[be] = nul || marks * 200 >= m ? (double)text / (double)m : 0;
    }
    int be = score[1] > score[0];
    return score[be] >= 0.9 && score[!be] < 0.8 ? be : -1;
}

/* ICU conversion callback: count the bad sequence, write U+FFFD. */
typedef struct cb_state {
    nd_decoded *d;
    const char *base;
} cb_state;

static void U_CALLCONV to_u_callback(const void *ctx,
                                     UConverterToUnicodeArgs *args,
                                     const char *units, int32_t len,
                                     UConverterCallbackReason reason,
                                     UErrorCode *err)
{
    const cb_state *st = ctx;
    if (reason > UCNV_IRREGULAR)
        return; /* reset, close, clone */
    note_bad(st->d, (size_t)(args->source - st->base) - (size_t)len);
    static const UChar fffd = 0xFFFD;
    *err = U_ZERO_ERROR;
    ucnv_cbToUWriteUChars(args, &fffd, 1, 0, err);
}

static int decode_icu(const uint8_t *s, size_t n, const char *name,
                      int keep_bom, nd_decoded *d)
{
    UErrorCode err = U_ZERO_ERROR;
    UConverter *cv = ucnv_open(name, &err);
    if (U_FAILURE(err))
        return ND_EENCODING;
    size_t cap = 2 * n + 2; /* UTF-16 units: at most 2 per byte */
    UChar *u = nd_malloc(cap * sizeof *u);
    int32_t *uo = nd_malloc(cap * sizeof *uo);
    int rc = ND_ENOMEM;
    if (!u || !uo)
        goto out;
    rc = alloc_decoded(d, cap);
    if (rc)
        goto out;
    cb_state st = {d, (const char *)s};
    ucnv_setToUCallBack(cv, to_u_callback, &st, NULL, NULL, &err);
    const char *src = (const char *)s;
    UChar *dst = u;
    ucnv_toUnicode(cv, &dst, u + cap, &src, (const char *)s + n, uo, 1, &err);
    if (U_FAILURE(err)) {
        nd_decoded_free(d);
        rc = ND_EENCODING;
        goto out;
    }
    size_t nu = (size_t)(dst - u), k = 0;
    for (size_t i = 0; i < nu; i++) {
        uint32_t c = u[i];
        if (c >= 0xD800 && c < 0xDC00 && i + 1 < nu && u[i + 1] >= 0xDC00 &&
            u[i + 1] < 0xE000) {
            c = 0x10000 + ((c - 0xD800) << 10) + (u[i + 1] - 0xDC00u);
            d->off[k] = (uint32_t)uo[i];
            d->cp[k++] = c;
            i++;
            continue;
        }
        if (c >= 0xD800 && c < 0xE000)
            c = 0xFFFD;
        /* Offsets are -1 for output not tied to input (rare); keep the
         * sequence monotonic. */
        d->off[k] = uo[i] >= 0 ? (uint32_t)uo[i] : (k ? d->off[k - 1] : 0);
        d->cp[k++] = c;
    }
    /* A BOM (U+FEFF at the start) is a signature, not text. */
    size_t drop = (!keep_bom && k && d->cp[0] == 0xFEFF) ? 1 : 0;
    if (drop) {
        memmove(d->cp, d->cp + 1, (k - 1) * sizeof *d->cp);
        memmove(d->off, d->off + 1, (k - 1) * sizeof *d->off);
        k--;
    }
    d->off[k] = (uint32_t)n;
    d->n = k;
    snprintf(d->encoding, sizeof d->encoding, "%s", name);
    rc = ND_OK;
out:
    nd_free(u);
    nd_free(uo);
    ucnv_close(cv);
    return rc;
}

/* Compare encoding names ignoring case and punctuation ("utf8" = "UTF-8"). */
static int same_name(const char *a, const char *b)
{
    UErrorCode err = U_ZERO_ERROR;
    (void)err;
    return ucnv_compareNames(a, b) == 0;
}

static int detect_icu(const uint8_t *s, size_t n, char *name, size_t cap)
{
    UErrorCode err = U_ZERO_ERROR;
    UCharsetDetector *det = ucsdet_open(&err);
    if (U_FAILURE(err))
        return ND_EICU;
    /* The detector looks at a prefix; 64 KiB is plenty and bounded. */
    ucsdet_setText(det, (const char *)s, (int32_t)ND_MIN(n, 65536), &err);
    const UCharsetMatch *m = ucsdet_detect(det, &err);
    int rc = ND_EENCODING;
    if (U_SUCCESS(err) && m) {
        int32_t conf = ucsdet_getConfidence(m, &err);
        const char *nm = ucsdet_getName(m, &err);
        if (U_SUCCESS(err) && nm && conf >= MIN_CONFIDENCE) {
            snprintf(name, cap, "%s", nm);
            rc = ND_OK;
        }
    }
    ucsdet_close(det);
    return rc;
}

/* The 100 most frequent characters of Simplified Chinese text, sorted.  In
 * Chinese prose they are a quarter to a third of the Han characters; in
 * Big5, EUC-KR, EUC-JP or Shift_JIS bytes read as GB18030 they are a few
 * percent at most (the bytes land on arbitrary characters). */
static const uint16_t common_hans[] = {
    0x4E00, 0x4E0A, 0x4E0B, 0x4E0D, 0x4E2A, 0x4E2D, 0x4E3A, 0x4E3B, 0x4E48,
    0x4E4B, 0x4E5F, 0x4E86, 0x4E8B, 0x4E8E, 0x4E9B, 0x4EBA, 0x4ECE, 0x4ED6,
    0x4EE5, 0x4EEC, 0x4F1A, 0x4F46, 0x4F5C, 0x4F60, 0x5176, 0x51FA, 0x5206,
    0x5230, 0x524D, 0x52A8, 0x53BB, 0x53D1, 0x53EA, 0x53EF, 0x540C, 0x540E,
    0x548C, 0x56E0, 0x56FD, 0x5728, 0x5730, 0x591A, 0x5927, 0x5929, 0x5979,
    0x597D, 0x5982, 0x5B50, 0x5B66, 0x5B9A, 0x5B9E, 0x5BB6, 0x5BF9, 0x5C0F,
    0x5C31, 0x5E74, 0x5F00, 0x5F53, 0x5F97, 0x5FC3, 0x60F3, 0x6210, 0x6211,
    0x6240, 0x65B9, 0x65F6, 0x662F, 0x6709, 0x672C, 0x6765, 0x6837, 0x6CA1,
    0x6CD5, 0x7136, 0x73B0, 0x7406, 0x751F, 0x7528, 0x7684, 0x770B, 0x7740,
    0x79CD, 0x7ECF, 0x800C, 0x80FD, 0x81EA, 0x884C, 0x8981, 0x8BF4, 0x8D77,
    0x8FC7, 0x8FD8, 0x8FD9, 0x8FDB, 0x9053, 0x90A3, 0x90E8, 0x90FD, 0x91CC,
    0x9762};

static int is_common_hans(uint32_t c)
{
    size_t lo = 0, hi = sizeof common_hans / sizeof *common_hans;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (common_hans[mid] == c)
            return 1;
        if (common_hans[mid] < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* Decoded text that reads as Simplified Chinese: at least 64 Han
 * characters, 15% or more of them among the most frequent 100. */
static int reads_as_chinese(const nd_decoded *d)
{
    size_t han = 0, common = 0;
    for (size_t i = 0; i < d->n; i++) {
        uint32_t c = d->cp[i];
        if (c >= 0x4E00 && c <= 0x9FFF) {
            han++;
            common += (size_t)is_common_hans(c);
        }
    }
    return han >= 64 && common * 100 >= han * 15;
}

/* An empty input may come as NULL (a file of an index that is gone). */
static const uint8_t no_bytes[1];

int nd_decode(const uint8_t *s, size_t n, const char *force, nd_decoded *d)
{
    memset(d, 0, sizeof *d);
    if (!s && n)
        return ND_EINVAL;
    if (!s)
        s = no_bytes;
    if (n >= UINT32_MAX)
        return ND_ETOOBIG;
    if (force && *force) {
        if (same_name(force, "UTF-8"))
            return decode_utf8(s, n, n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)
                                         ? 3 : 0, d);
        if (same_name(force, "UTF-16LE") || same_name(force, "UTF-16BE")) {
            int be = same_name(force, "UTF-16BE");
            size_t skip = n >= 2 && s[0] == (be ? 0xFE : 0xFF) &&
                          s[1] == (be ? 0xFF : 0xFE) ? 2 : 0;
            return decode_utf16(s, n, skip, be, d);
        }
        return decode_icu(s, n, force, 0, d);
    }
    if (n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
        return decode_utf8(s, n, 3, d);
    if (n >= 4 && (!memcmp(s, "\xFF\xFE\0\0", 4) ||
                   !memcmp(s, "\0\0\xFE\xFF", 4)))
        return decode_icu(s, n, s[0] ? "UTF-32LE" : "UTF-32BE", 0, d);
    if (n >= 2 && s[0] == 0xFF && s[1] == 0xFE)
        return decode_utf16(s, n, 2, 0, d);
    if (n >= 2 && s[0] == 0xFE && s[1] == 0xFF)
        return decode_utf16(s, n, 2, 1, d);
    int nul = memchr(s, 0, ND_MIN(n, BINARY_PROBE)) != NULL;
    size_t multi = 0, bad = 0;
    if (!nul) {
        /* Most input is UTF-8: decode it as such at once, keep it if it
         * is. */
        ND_TRY(decode_utf8_counted(s, n, 0, d, &multi, &bad));
        if (bad == 0)
            return ND_OK;
    }
    if (nul || bad) {
        int be = guess_utf16(s, n, nul);
        if (be >= 0) {
            nd_decoded_free(d);
            memset(d, 0, sizeof *d);
            return decode_utf16(s, n, 0, be, d);
        }
    }
    if (nul)
        return ND_EBINARY;
    /* UTF-8 with a few broken sequences among many good ones (a truncated
     * character, a stray byte): keep it as UTF-8 and report the bad
     * bytes.  Legacy multi-byte encodings produce many invalid sequences,
     * so they fail this test. */
    if (multi >= 8 && bad * 50 <= multi)
        return ND_OK;
    nd_decoded_free(d);
    memset(d, 0, sizeof *d);
    /* ICU's detector guesses from byte statistics and is unreliable on a
     * few characters (GB18030 read as Hangul UTF-16, or as Greek).  Trust
     * it when it names a CJK multi-byte encoding that decodes cleanly;
     * otherwise prefer GB18030, then Big5, when either decodes without a
     * single invalid sequence; only then a single-byte guess.  UTF-16
     * without a BOM was tried above; UTF-32 needs a BOM. */
    /* The common legacy case first: bytes that decode as GB18030 without
     * one invalid sequence into Chinese prose need no detector, which
     * costs about 0.4 us a byte (some 30 recognizers), 20 times the
     * decoding. */
    int rc = decode_icu(s, n, "GB18030", 0, d);
    if (rc == ND_ENOMEM || rc == ND_EICU)
        return rc;
    if (rc == ND_OK && d->bad == 0 && reads_as_chinese(d))
        return ND_OK;
    if (rc == ND_OK)
        nd_decoded_free(d);
    memset(d, 0, sizeof *d);
    char name[40];
    int have = detect_icu(s, n, name, sizeof name) == ND_OK &&
               !same_name(name, "UTF-8") && strncmp(name, "UTF-", 4);
    static const char *const cjk[] = {"GB18030", "Big5", "EUC-JP", "EUC-KR",
                                      "Shift_JIS", "ISO-2022-JP",
                                      "ISO-2022-KR", "ISO-2022-CN"};
    int is_cjk = 0;
    for (size_t i = 0; have && i < sizeof cjk / sizeof *cjk; i++)
        is_cjk |= same_name(name, cjk[i]);
    const char *tries[] = {is_cjk ? name : NULL, "GB18030", "Big5",
                           have ? name : NULL};
    for (size_t i = 0; i < sizeof tries / sizeof *tries; i++) {
        if (!tries[i])
            continue;
        rc = decode_icu(s, n, tries[i], 0, d);
        if (rc == ND_ENOMEM || rc == ND_EICU)
            return rc;
        if (rc == ND_OK && (d->bad == 0 || i == 3))
            return ND_OK;
        if (rc == ND_OK)
            nd_decoded_free(d);
        memset(d, 0, sizeof *d);
    }
    return decode_utf8(s, n, 0, d);
}

/* Stateful encodings (escape sequences, shift states) cannot be decoded
 * from the middle of a file. */
static int is_stateful(const char *name)
{
    /* The encodings of nearly every file, without opening a converter
     * (twice a passage's text in a report). */
    if (same_name(name, "UTF-8") || same_name(name, "GB18030") ||
        same_name(name, "UTF-16LE") || same_name(name, "UTF-16BE"))
        return 0;
    UErrorCode err = U_ZERO_ERROR;
    UConverter *cv = ucnv_open(name, &err);
    if (U_FAILURE(err))
        return 0;
    UConverterType t = ucnv_getType(cv);
    ucnv_close(cv);
    return t == UCNV_ISO_2022 || t == UCNV_HZ || t == UCNV_UTF7 ||
           t == UCNV_IMAP_MAILBOX || t == UCNV_SCSU || t == UCNV_BOCU1 ||
           t == UCNV_EBCDIC_STATEFUL;
}

int nd_range_is_utf8(const char *enc, size_t start, const uint8_t *s,
                     size_t n)
{
    if (!same_name(enc, "UTF-8") ||
        (start == 0 && n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)))
        return 0;
    for (size_t i = 0; i < n;) {
        uint32_t c;
        size_t l = !s[i] ? 0 : s[i] < 0x80 ? 1 : utf8_seq(s + i, n - i, &c);
        if (!l)
            return 0;
        i += l;
    }
    return 1;
}

void nd_decode_range_window(size_t len, size_t start, size_t end,
                            const char *enc, size_t *from, size_t *to)
{
    /* Decode a little past the end, as the whole file was: a converter
     * decides about a truncated sequence by the bytes that follow it. */
    *from = is_stateful(enc) ? 0 : start;
    *to = len - end > RANGE_LOOKAHEAD ? end + RANGE_LOOKAHEAD : len;
}

int nd_decode_range(const uint8_t *file, size_t len, size_t start,
                    size_t end, const char *enc, nd_decoded *d)
{
    size_t from = 0, to; /* a bad range: nd_decode_range_in says so */
    if (file && start <= end && end <= len)
        nd_decode_range_window(len, start, end, enc, &from, &to);
    return nd_decode_range_in(file ? file + from : NULL, len, start, end,
                              enc, d);
}

int nd_decode_range_in(const uint8_t *win, size_t len, size_t start,
                       size_t end, const char *enc, nd_decoded *d)
{
    memset(d, 0, sizeof *d);
    if (start > end || end > len || (!win && len))
        return ND_EINVAL;
    if (!win)
        win = no_bytes; /* an empty file given as NULL */
    size_t from, to;
    nd_decode_range_window(len, start, end, enc, &from, &to);
    int rc;
    if (from == 0) /* the way nd_decode read the file: BOM included */
        rc = nd_decode(win, to, enc, d);
    else if (same_name(enc, "UTF-8"))
        rc = decode_utf8(win, to - from, 0, d);
    else if (same_name(enc, "UTF-16LE") || same_name(enc, "UTF-16BE"))
        rc = decode_utf16(win, to - from, 0, same_name(enc, "UTF-16BE"), d);
    else
        rc = decode_icu(win, to - from, enc, 1, d);
    if (rc)
        return rc;
    size_t a = 0, z;
    while (a < d->n && d->off[a] + from < start)
        a++;
    for (z = a; z < d->n && d->off[z] + from < end; z++) {
        d->cp[z - a] = d->cp[z];
        d->off[z - a] = d->off[z] + (uint32_t)from - (uint32_t)start;
    }
    d->n = z - a;
    d->off[d->n] = (uint32_t)(end - start);
    return ND_OK;
}

void nd_decoded_free(nd_decoded *d)
{
    nd_free(d->cp);
    nd_free(d->off);
    d->cp = d->off = NULL;
    d->n = 0;
}

/* ------------------------------------------------------------------ */
/* Reading                                                              */

/* Read to the end of @p fd, or @p limit bytes and then one more to learn
 * whether there was more (*grew). */
static int read_fd(int fd, size_t limit, uint8_t **data, size_t *len,
                   int *grew)
{
    size_t cap = limit < SIZE_MAX ? limit + 1 : 1 << 16, n = 0;
    uint8_t *buf = nd_malloc(cap);
    if (!buf)
        return ND_ENOMEM;
    *grew = 0;
    for (;;) {
        if (n == cap) {
            if (nd_grow((void **)&buf, &cap, cap + 1, 1)) {
                nd_free(buf);
                return ND_ENOMEM;
            }
        }
        size_t want = cap - n;
        if (n >= limit)
            want = 1; /* a byte past the size the file had */
        ssize_t r = read(fd, buf + n, want);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            nd_free(buf);
            errno = e;
            return ND_EIO;
        }
        if (r == 0)
            break;
        if (n >= limit) {
            *grew = 1;
            break;
        }
        n += (size_t)r;
        if (n >= UINT32_MAX) {
            nd_free(buf);
            return ND_ETOOBIG;
        }
    }
    *data = buf;
    *len = n;
    return ND_OK;
}

static const char *kind_of(mode_t m)
{
    return S_ISFIFO(m) ? "a FIFO" : S_ISCHR(m) ? "a character device"
           : S_ISBLK(m) ? "a block device" : S_ISSOCK(m) ? "a socket"
           : "a special file";
}

static void file_id(const struct stat *st, nd_fileid *id)
{
    memset(id, 0, sizeof *id);
    id->dev = (uint64_t)st->st_dev;
    id->ino = (uint64_t)st->st_ino;
    id->size = (uint64_t)st->st_size;
    id->mtime_s = (int64_t)st->st_mtim.tv_sec;
    id->mtime_ns = (int64_t)st->st_mtim.tv_nsec;
    id->ctime_s = (int64_t)st->st_ctim.tv_sec;
    id->ctime_ns = (int64_t)st->st_ctim.tv_nsec;
}

static int same_id(const struct stat *st, const nd_fileid *id)
{
    nd_fileid now;
    file_id(st, &now);
    return !memcmp(&now, id, sizeof now);
}

int nd_file_same(const char *path, const nd_fileid *id)
{
    struct stat st;
    return stat(path, &st) == 0 && same_id(&st, id);
}

int nd_file_open(const char *path, const nd_fileid *id)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return -1;
    struct stat st;
    if (fstat(fd, &st) || !same_id(&st, id)) {
        close(fd);
        return -1;
    }
    return fd;
}

int nd_fd_pread(int fd, size_t from, size_t to, uint8_t *buf)
{
    for (size_t n = from; n < to;) {
        ssize_t r = pread(fd, buf + (n - from), to - n, (off_t)n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return ND_EIO;
        n += (size_t)r;
    }
    return ND_OK;
}

int nd_file_pread(const char *path, const nd_fileid *id, size_t from,
                  size_t to, uint8_t *buf)
{
    int fd = nd_file_open(path, id);
    if (fd < 0)
        return ND_EIO;
    int rc = nd_fd_pread(fd, from, to, buf);
    close(fd);
    return rc;
}

int nd_read_file(const char *path, uint8_t **data, size_t *len,
                 int *changed)
{
    return nd_read_file_id(path, data, len, changed, NULL);
}

int nd_read_file_id(const char *path, uint8_t **data, size_t *len,
                    int *changed, nd_fileid *id)
{
    int grew, dummy;
    nd_fileid id_dummy;
    if (!changed)
        changed = &dummy;
    if (!id)
        id = &id_dummy;
    *changed = 0;
    memset(id, 0, sizeof *id);
    if (!strcmp(path, "-"))
        return read_fd(0, SIZE_MAX, data, len, &grew);
    /* O_NONBLOCK: opening a FIFO without a writer must not block (it is
     * refused below, as by the listing). */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return ND_EIO;
    struct stat st;
    if (fstat(fd, &st)) {
        int e = errno;
        close(fd);
        errno = e;
        return ND_EIO;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        errno = S_ISDIR(st.st_mode) ? EISDIR : ENODEV;
        return ND_EIO;
    }
    file_id(&st, id);
    if ((uint64_t)st.st_size >= UINT32_MAX) { /* refused before reading */
        close(fd);
        return ND_ETOOBIG;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    /* A file written to while it is read: take the size it had when
     * opened, so that reading ends and offsets refer to one snapshot. */
    size_t size = st.st_size <= 0 ? SIZE_MAX /* unknown, as in /proc */
                                  : (size_t)st.st_size;
    int rc = read_fd(fd, size, data, len, &grew);
    int e = errno;
    close(fd);
    errno = e;
    if (rc == ND_OK)
        *changed = grew ? 1 : size < SIZE_MAX && *len < size ? -1 : 0;
    return rc;
}

/* ------------------------------------------------------------------ */
/* Listing                                                              */

typedef struct dir_id {
    dev_t dev;
    ino_t ino;
} dir_id;

typedef struct walk {
    const nd_ctx *ctx;
    nd_pathlist *out;
    size_t *skipped;
    ND_VEC(dir_id) stack; /* directories being walked: loop detection */
} walk;

static int push_path(nd_pathlist *l, const char *p)
{
    char *d = nd_strdup(p);
    if (!d || nd_grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v)) {
        nd_free(d);
        return ND_ENOMEM;
    }
    l->v[l->n++] = d;
    return ND_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct dentry { /* a directory entry: its path, and whether the */
    char *path;         /* directory says it is a regular file */
    int reg;
} dentry;

static int cmp_dentry(const void *a, const void *b)
{
    return strcmp(((const dentry *)a)->path, ((const dentry *)b)->path);
}

static int walk_path(walk *w, const char *path);

static int walk_dir(walk *w, const char *path, const struct stat *st)
{
    for (size_t i = 0; i < w->stack.n; i++) {
        if (w->stack.v[i].dev == st->st_dev &&
            w->stack.v[i].ino == st->st_ino) {
            nd_log(w->ctx, ND_LOG_WARN, path,
                   "skipped: directory loop (a symbolic link leads back to "
                   "a directory being read)");
            (*w->skipped)++;
            return ND_OK;
        }
    }
    DIR *dir = opendir(path);
    if (!dir) {
        nd_log(w->ctx, ND_LOG_WARN, path, "skipped: cannot open directory: %s",
               strerror(errno));
        (*w->skipped)++;
        return ND_OK;
    }
    dir_id id = {st->st_dev, st->st_ino};
    int rc = nd_vec_push(&w->stack, id);
    ND_VEC(dentry) names = {0};
    struct dirent *e;
    while (!rc && (e = readdir(dir))) {
        if (e->d_name[0] == '.') /* ., .., hidden files and folders */
            continue;
        size_t lp = strlen(path);
        dentry d = {nd_malloc(lp + strlen(e->d_name) + 2), 0};
        if (!d.path) {
            rc = ND_ENOMEM;
            break;
        }
        sprintf(d.path, "%s%s%s", path,
                lp && path[lp - 1] == '/' ? "" : "/", e->d_name);
#ifdef DT_REG
        d.reg = e->d_type == DT_REG;
#endif
        if ((rc = nd_vec_push(&names, d)))
            nd_free(d.path);
    }
    closedir(dir);
    if (names.n)
        qsort(names.v, names.n, sizeof *names.v, cmp_dentry);
    /* A regular file by its entry needs no stat of its own (a directory
     * of 90,751 files: 0.45 s, before the files are read in parallel);
     * links, directories and file systems that do not say go through
     * walk_path. */
    for (size_t i = 0; !rc && i < names.n; i++)
        rc = names.v[i].reg ? push_path(w->out, names.v[i].path)
                            : walk_path(w, names.v[i].path);
    for (size_t i = 0; i < names.n; i++)
        nd_free(names.v[i].path);
    nd_vec_free(&names);
    if (w->stack.n)
        w->stack.n--;
    return rc;
}

static int walk_path(walk *w, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        int e = errno;
        struct stat lst;
        if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
            nd_log(w->ctx, ND_LOG_WARN, path, "skipped: %s",
                   e == ELOOP ? "symbolic link loop"
                              : "dangling symbolic link");
        else
            nd_log(w->ctx, ND_LOG_WARN, path, "skipped: %s", strerror(e));
        (*w->skipped)++;
        return ND_OK;
    }
    if (S_ISDIR(st.st_mode))
        return walk_dir(w, path, &st);
    if (!S_ISREG(st.st_mode)) {
        /* Reading a FIFO or a device could block or never end; pipe
         * data through standard input ("-") instead. */
        nd_log(w->ctx, ND_LOG_WARN, path, "skipped: %s, not a regular file "
               "(use - to read standard input)", kind_of(st.st_mode));
        (*w->skipped)++;
        return ND_OK;
    }
    return push_path(w->out, path);
}

int nd_list_paths(const nd_ctx *ctx, const char *path, nd_pathlist *out,
                  size_t *skipped)
{
    if (!strcmp(path, "-"))
        return push_path(out, path);
    walk w = {ctx, out, skipped, {0}};
    size_t first = out->n;
    int rc = walk_path(&w, path);
    nd_vec_free(&w.stack);
    /* Sorted by whole path, not directory by directory ("a.txt" before
     * "a/x.txt"), so the order is plain bytewise path order. */
    if (!rc && out->n - first > 1)
        qsort(out->v + first, out->n - first, sizeof *out->v, cmp_str);
    return rc;
}

void nd_pathlist_free(nd_pathlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        nd_free(l->v[i]);
    nd_free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}
