/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Segmentation: split a decoded file into documents (speeches).  The file
 * is cut into lines (ending at LF, CRLF, CR, NEL, U+2028 or U+2029); a
 * document always starts at the beginning of a line, so documents are
 * contiguous and cover the file.  NONE keeps one document, BLANK starts one
 * at the first non-blank line after blank lines, REGEX at every line the
 * user's ICU pattern finds a match in.
 *
 * AUTO (the default) looks for title lines.  A line starts a document when
 *   1. it is title-shaped: 4 to 50 characters once trimmed, not ending in
 *      sentence punctuation (。！？；：，、… and ASCII forms, looking through
 *      closing quotes and brackets), and not a numbered heading (一、 （一）
 *      (1) 第一， 一是 1. ①), a salutation, a closing line (谢谢 完毕 批评指正
 *      我就讲这些) or a marker (##paidbegin##, 公众号 and 微信 adverts);
 *   2. its evidence adds up to at least 2:
 *      +2 a genre word (发言 讲话 材料 汇报 党课 讲稿 体会 …) is the head of
 *         the title: last, as in 在……会上的讲话, or just before a subtitle or
 *         a note (专题党课：……, ……的发言（摘要）); +1 a genre word elsewhere;
 *      +1 a blank line or a closing line comes before it.  In a file that
 *         puts blank lines between most paragraphs one blank line says
 *         nothing, and two are needed;
 *      +1 the next text line is a salutation (同志们： 尊敬的各位领导：);
 *   3. at least MIN_BODY characters of text (white space excluded) lie both
 *      before it in the file and between it and the next start or the end of
 *      the file: a speech is more than a few lines.  Candidates are taken
 *      from the end of the file backwards, so of two candidates close
 *      together the later one wins and the earlier one (a signature, a
 *      date) stays with the previous document.
 */
#include "segment.h"

#include <stdio.h>
#include <uchar.h>

#include <unicode/uchar.h>
#include <unicode/uregex.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#define TITLE_MIN 4   /* title length in characters, trimmed */
#define TITLE_MAX 50
#define SHORT_LINE 40 /* longest salutation or closing line */
#define MIN_BODY 200  /* text characters a new document needs */

typedef struct line {
    size_t from, to; /* text, without the line break */
    size_t tf, tt;   /* text trimmed of white space; tf == tt: blank */
    size_t ink;      /* characters other than white space */
} line;

typedef ND_VEC(line) line_vec;
typedef ND_VEC(size_t) index_vec;

static int is_space(uint32_t c)
{
    /* ASCII and the run from U+3001 (CJK punctuation, kana, Han, Hangul)
     * to U+FEFE hold no white space: answered without a call to ICU. */
    if (c < 0x80)
        return c == ' ' || (c >= 0x09 && c <= 0x0D);
    if (c > 0x3000 && c < 0xFEFF)
        return 0;
    return u_isUWhiteSpace((UChar32)c) || c == 0xFEFF || c == 0x200B;
}

static int is_break(uint32_t c)
{
    return c == '\n' || c == '\r' || c == 0x85 || c == 0x2028 ||
           c == 0x2029;
}

static int split_lines(const nd_decoded *d, line_vec *out)
{
    size_t i = 0;
    do {
        line l = {.from = i};
        while (i < d->n && !is_break(d->cp[i]))
            i++;
        l.to = i;
        if (i < d->n)
            i += (d->cp[i] == '\r' && i + 1 < d->n && d->cp[i + 1] == '\n')
                     ? 2 : 1;
        l.tf = l.from;
        l.tt = l.to;
        while (l.tf < l.tt && is_space(d->cp[l.tf]))
            l.tf++;
        while (l.tt > l.tf && is_space(d->cp[l.tt - 1]))
            l.tt--;
        for (size_t k = l.tf; k < l.tt; k++)
            l.ink += !is_space(d->cp[k]);
        if (nd_vec_push(out, l))
            return ND_ENOMEM;
    } while (i < d->n);
    return ND_OK;
}

/* ------------------------------------------------------------------ */
/* Line classes for AUTO                                               */

/* A trimmed line as a string of code points. */
typedef struct text {
    const uint32_t *s;
    size_t n;
} text;

static text text_of(const nd_decoded *d, const line *l)
{
    return (text){d->cp + l->tf, l->tt - l->tf};
}

static size_t word_len(const char32_t *w)
{
    size_t n = 0;
    while (w[n])
        n++;
    return n;
}

static int match_at(text t, size_t i, const char32_t *w, size_t wn)
{
    if (i + wn > t.n)
        return 0;
    for (size_t k = 0; k < wn; k++)
        if (t.s[i + k] != w[k])
            return 0;
    return 1;
}

static int contains(text t, const char32_t *w)
{
    size_t wn = word_len(w);
    for (size_t i = 0; i + wn <= t.n; i++)
        if (match_at(t, i, w, wn))
            return 1;
    return 0;
}

static int contains_any(text t, const char32_t *const *words)
{
    for (; *words; words++)
        if (contains(t, *words))
            return 1;
    return 0;
}

static int is_one_of(uint32_t c, const char32_t *set)
{
    for (; *set; set++)
        if (c == *set)
            return 1;
    return 0;
}

static const char32_t *const genre_words[] = {
    U"发言", U"讲话", U"材料", U"汇报", U"党课", U"讲稿", U"体会", U"报告",
    U"心得", U"总结", U"致辞", U"研讨", U"感悟", U"述职", U"演讲", U"讲义",
    U"主持词", NULL,
};
static const char32_t *const addressee_words[] = {
    U"同志", U"各位", U"领导", U"朋友", U"来宾", U"嘉宾", U"代表", U"老师",
    U"同学", NULL,
};
static const char32_t *const closing_words[] = {
    U"谢谢", U"完毕", U"批评指正", U"讲这些", U"讲这么多", NULL,
};
static const char32_t *const marker_words[] = {
    U"##", U"公众号", U"微信", NULL,
};

static const char32_t numerals[] = U"〇零一二三四五六七八九十百千两"
                                   U"0123456789０１２３４５６７８９";

/* Last character, looking through closing quotes and brackets. */
static uint32_t last_char(text t)
{
    size_t n = t.n;
    while (n > 1 && is_one_of(t.s[n - 1], U"”’\"')）】」』》"))
        n--;
    return n ? t.s[n - 1] : 0;
}

static int ends_sentence(text t)
{
    return is_one_of(last_char(t), U"。．.！!？?；;：:，,、…");
}

/* 一、 （一） (1) 1. 第一， 第二部分 一是 二要 ① ⑴ ⒈ */
static int is_numbered(text t)
{
    if (!t.n)
        return 0;
    if (t.s[0] >= 0x2460 && t.s[0] <= 0x249B) /* ① ⑴ ⒈ */
        return 1;
    int paren = is_one_of(t.s[0], U"(（");
    int ordinal = t.s[0] == U'第';
    size_t i = paren || ordinal, digits = i;
    while (i < t.n && is_one_of(t.s[i], numerals))
        i++;
    if (i == digits || i == t.n)
        return 0;
    if (paren)
        return is_one_of(t.s[i], U")）");
    if (ordinal && (t.s[i] == U'章' || t.s[i] == U'节' ||
                    (t.s[i] == U'部' && i + 1 < t.n && t.s[i + 1] == U'分')))
        return 1;
    return is_one_of(t.s[i], ordinal ? U"、，,．.：: " : U"、，,．.：:)）是要");
}

int nd_segment_is_heading(const uint32_t *s, size_t n)
{
    return is_numbered((text){s, n});
}

/* 1 when t contains a genre word, 2 when the word is the head of the title:
 * last, or followed by a subtitle or a note (……的讲话：…, ……的发言（摘要）). */
static int genre_score(text t)
{
    int score = 0;
    for (const char32_t *const *w = genre_words; *w; w++) {
        size_t wn = word_len(*w);
        for (size_t i = 0; i + wn <= t.n; i++) {
            if (!match_at(t, i, *w, wn))
                continue;
            if (i + wn == t.n || is_one_of(t.s[i + wn], U"：:—-(（"))
                return 2;
            score = 1;
        }
    }
    return score;
}

static int is_salutation(text t)
{
    return t.n <= SHORT_LINE && is_one_of(last_char(t), U"：:") &&
           contains_any(t, addressee_words);
}

static int is_closing(text t)
{
    return t.n <= SHORT_LINE && contains_any(t, closing_words);
}

static int is_title_shaped(text t)
{
    return t.n >= TITLE_MIN && t.n <= TITLE_MAX && !ends_sentence(t) &&
           !is_numbered(t) && !is_salutation(t) && !is_closing(t) &&
           !contains_any(t, marker_words);
}

/* Does line i look like a title? */
static int is_title(const nd_decoded *d, const line *l, size_t nl, size_t i,
                    int blank_is_rare)
{
    text t = text_of(d, &l[i]);
    if (!is_title_shaped(t))
        return 0;

    size_t prev = i, blanks = 0;
    while (prev > 0 && l[prev - 1].tf == l[prev - 1].tt) {
        prev--;
        blanks++;
    }
    int closing_before = prev > 0 && is_closing(text_of(d, &l[prev - 1]));
    size_t next = i + 1;
    while (next < nl && l[next].tf == l[next].tt)
        next++;

    int blank = blanks >= (blank_is_rare ? 1u : 2u) || closing_before;
    int salute = next < nl && is_salutation(text_of(d, &l[next]));
    return genre_score(t) + blank + salute >= 2;
}

static int auto_starts(const nd_decoded *d, const line *l, size_t nl,
                       index_vec *starts)
{
    size_t text_lines = 0, after_blank = 0, total = 0;
    for (size_t i = 0; i < nl; i++) {
        total += l[i].ink;
        if (l[i].tf == l[i].tt)
            continue;
        text_lines++;
        after_blank += i > 0 && l[i - 1].tf == l[i - 1].tt;
    }
    int blank_is_rare = after_blank * 2 < text_lines;

    /* Backwards, so that body counts the text up to the next start. */
    size_t body = 0, after = 0, base = starts->n;
    for (size_t i = nl; i-- > 1;) {
        size_t before = total - after - l[i].ink;
        if (body >= MIN_BODY && before >= MIN_BODY &&
            is_title(d, l, nl, i, blank_is_rare)) {
            if (nd_vec_push(starts, i))
                return ND_ENOMEM;
            body = 0;
        } else {
            body += l[i].ink;
        }
        after += l[i].ink;
    }
    for (size_t a = base, z = starts->n; a + 1 < z; a++, z--) {
        size_t tmp = starts->v[a];
        starts->v[a] = starts->v[z - 1];
        starts->v[z - 1] = tmp;
    }
    return ND_OK;
}

/* ------------------------------------------------------------------ */
/* The other modes                                                     */

static int blank_starts(const line *l, size_t nl, index_vec *starts)
{
    int seen_text = 0;
    for (size_t i = 0; i < nl; i++) {
        if (l[i].tf == l[i].tt)
            continue;
        if (seen_text && l[i - 1].tf == l[i - 1].tt &&
            nd_vec_push(starts, i))
            return ND_ENOMEM;
        seen_text = 1;
    }
    return ND_OK;
}

static int regex_starts(const nd_decoded *d, const line *l, size_t nl,
                        const char *pattern, index_vec *starts, char *err,
                        size_t errlen)
{
    if (!pattern) {
        if (errlen)
            snprintf(err, errlen, "split regex: no pattern given");
        return ND_EINVAL;
    }
    UParseError pe = {0};
    UErrorCode st = U_ZERO_ERROR;
    int32_t plen = 0;
    u_strFromUTF8(NULL, 0, &plen, pattern, -1, &st);
    UChar *upat = nd_malloc(((size_t)plen + 1) * sizeof *upat);
    if (!upat)
        return ND_ENOMEM;
    st = U_ZERO_ERROR;
    u_strFromUTF8(upat, plen + 1, NULL, pattern, -1, &st);
    URegularExpression *re = NULL;
    if (U_SUCCESS(st))
        re = uregex_open(upat, plen, 0, &pe, &st);
    nd_free(upat);
    if (U_FAILURE(st)) {
        if (errlen)
            snprintf(err, errlen, "split regex: %s at offset %d",
                     u_errorName(st), (int)pe.offset);
        return ND_EINVAL;
    }

    int rc = ND_OK;
    ND_VEC(UChar) buf = {0};
    for (size_t i = 1; i < nl && rc == ND_OK; i++) {
        size_t len = l[i].to - l[i].from;
        if (len > INT32_MAX / 2 || nd_vec_reserve(&buf, 2 * len + 1)) {
            rc = ND_ENOMEM;
            break;
        }
        int32_t u = 0;
        for (size_t k = l[i].from; k < l[i].to; k++)
            U16_APPEND_UNSAFE(buf.v, u, (UChar32)d->cp[k]);
        uregex_setText(re, buf.v, u, &st);
        int hit = uregex_find(re, 0, &st);
        if (U_FAILURE(st)) {
            if (errlen)
                snprintf(err, errlen, "split regex: %s", u_errorName(st));
            rc = ND_EINVAL;
        } else if (hit) {
            rc = nd_vec_push(starts, i);
        }
    }
    nd_vec_free(&buf);
    uregex_close(re);
    return rc;
}

/* ------------------------------------------------------------------ */

int nd_segment_split(const nd_decoded *d, int mode, const char *regex,
                     nd_segment **out, size_t *n, char *err, size_t errlen)
{
    *out = NULL;
    *n = 0;
    if (err && errlen)
        err[0] = '\0';
    else
        errlen = 0;

    line_vec lines = {0};
    index_vec starts = {0};
    int rc = split_lines(d, &lines);
    /* Line 0 always starts the first document. */
    if (rc == ND_OK)
        rc = nd_vec_push(&starts, (size_t)0);
    if (rc == ND_OK) {
        switch (mode) {
        case ND_SPLIT_NONE:
            break;
        case ND_SPLIT_BLANK:
            rc = blank_starts(lines.v, lines.n, &starts);
            break;
        case ND_SPLIT_REGEX:
            rc = regex_starts(d, lines.v, lines.n, regex, &starts, err,
                              errlen);
            break;
        case ND_SPLIT_AUTO:
            rc = auto_starts(d, lines.v, lines.n, &starts);
            break;
        default:
            if (errlen)
                snprintf(err, errlen, "unknown split mode %d", mode);
            rc = ND_EINVAL;
        }
    }

    nd_segment *seg = NULL;
    if (rc == ND_OK && !(seg = nd_malloc(starts.n * sizeof *seg)))
        rc = ND_ENOMEM;
    for (size_t k = 0; rc == ND_OK && k < starts.n; k++) {
        size_t a = starts.v[k];
        size_t z = k + 1 < starts.n ? starts.v[k + 1] : lines.n;
        seg[k].from = lines.v[a].from;
        seg[k].to = z < lines.n ? lines.v[z].from : d->n;
        seg[k].title_from = seg[k].title_to = seg[k].from;
        for (size_t i = a; i < z; i++) {
            if (lines.v[i].tf != lines.v[i].tt) {
                seg[k].title_from = lines.v[i].tf;
                seg[k].title_to = lines.v[i].tt;
                break;
            }
        }
    }
    if (rc == ND_OK) {
        *out = seg;
        *n = starts.n;
    } else {
        nd_free(seg);
    }
    nd_vec_free(&lines);
    nd_vec_free(&starts);
    return rc;
}
