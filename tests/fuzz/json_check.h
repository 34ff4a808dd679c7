/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * A strict JSON checker (RFC 8259) for the writer targets: one value,
 * strings of valid UTF-8 with no raw control characters, escapes that
 * exist (\u surrogates paired), numbers in JSON's grammar.  Header-only.
 */
#ifndef ND_JSON_CHECK_H
#define ND_JSON_CHECK_H

#include <stddef.h>
#include <stdint.h>

typedef struct jcur {
    const unsigned char *p, *end;
    int depth;
} jcur;

static int j_value(jcur *c);

static void j_ws(jcur *c)
{
    while (c->p < c->end &&
           (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
        c->p++;
}

static int j_hex4(jcur *c, unsigned *v)
{
    *v = 0;
    for (int i = 0; i < 4; i++, c->p++) {
        if (c->p >= c->end)
            return 0;
        unsigned h = *c->p;
        if (h >= '0' && h <= '9')
            h -= '0';
        else if ((h | 0x20) >= 'a' && (h | 0x20) <= 'f')
            h = (h | 0x20) - 'a' + 10;
        else
            return 0;
        *v = *v << 4 | h;
    }
    return 1;
}

/* One UTF-8 sequence at c->p (not ASCII); 0 if invalid. */
static int j_utf8(jcur *c)
{
    unsigned b = *c->p, len, cp;
    if (b >= 0xC2 && b <= 0xDF)
        len = 2, cp = b & 0x1F;
    else if (b >= 0xE0 && b <= 0xEF)
        len = 3, cp = b & 0x0F;
    else if (b >= 0xF0 && b <= 0xF4)
        len = 4, cp = b & 0x07;
    else
        return 0;
    if ((size_t)(c->end - c->p) < len)
        return 0;
    for (unsigned i = 1; i < len; i++) {
        if ((c->p[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (c->p[i] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000))
        return 0;
    c->p += len;
    return 1;
}

static int j_string(jcur *c)
{
    if (c->p >= c->end || *c->p != '"')
        return 0;
    c->p++;
    while (c->p < c->end) {
        unsigned b = *c->p;
        if (b == '"') {
            c->p++;
            return 1;
        }
        if (b < 0x20)
            return 0;
        if (b == '\\') {
            if (++c->p >= c->end)
                return 0;
            unsigned e = *c->p++, v, w;
            if (e == 'u') {
                if (!j_hex4(c, &v))
                    return 0;
                if (v >= 0xDC00 && v < 0xE000)
                    return 0;
                if (v >= 0xD800 && v < 0xDC00) {
                    if (c->end - c->p < 6 || c->p[0] != '\\' ||
                        c->p[1] != 'u')
                        return 0;
                    c->p += 2;
                    if (!j_hex4(c, &w) || w < 0xDC00 || w >= 0xE000)
                        return 0;
                }
            } else if (!(e == '"' || e == '\\' || e == '/' || e == 'b' ||
                         e == 'f' || e == 'n' || e == 'r' || e == 't')) {
                return 0;
            }
            continue;
        }
        if (b < 0x80)
            c->p++;
        else if (!j_utf8(c))
            return 0;
    }
    return 0;
}

static int j_digits(jcur *c)
{
    const unsigned char *s = c->p;
    while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
        c->p++;
    return c->p > s;
}

static int j_number(jcur *c)
{
    if (c->p < c->end && *c->p == '-')
        c->p++;
    if (c->p < c->end && *c->p == '0')
        c->p++;
    else if (!j_digits(c))
        return 0;
    if (c->p < c->end && *c->p == '.') {
        c->p++;
        if (!j_digits(c))
            return 0;
    }
    if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
        c->p++;
        if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
            c->p++;
        if (!j_digits(c))
            return 0;
    }
    return 1;
}

static int j_word(jcur *c, const char *w)
{
    for (; *w; w++, c->p++)
        if (c->p >= c->end || *c->p != (unsigned char)*w)
            return 0;
    return 1;
}

static int j_seq(jcur *c, int object)
{
    c->p++;
    if (++c->depth > 64)
        return 0;
    j_ws(c);
    if (c->p < c->end && *c->p == (object ? '}' : ']')) {
        c->p++;
        c->depth--;
        return 1;
    }
    for (;;) {
        j_ws(c);
        if (object) {
            if (!j_string(c))
                return 0;
            j_ws(c);
            if (c->p >= c->end || *c->p++ != ':')
                return 0;
            j_ws(c);
        }
        if (!j_value(c))
            return 0;
        j_ws(c);
        if (c->p >= c->end)
            return 0;
        if (*c->p == ',') {
            c->p++;
            continue;
        }
        if (*c->p++ != (object ? '}' : ']'))
            return 0;
        c->depth--;
        return 1;
    }
}

static int j_value(jcur *c)
{
    if (c->p >= c->end)
        return 0;
    switch (*c->p) {
    case '{': return j_seq(c, 1);
    case '[': return j_seq(c, 0);
    case '"': return j_string(c);
    case 't': return j_word(c, "true");
    case 'f': return j_word(c, "false");
    case 'n': return j_word(c, "null");
    default: return j_number(c);
    }
}

/* 1 when s[0..n) is exactly one JSON value (surrounding white space
 * allowed). */
static inline int json_valid(const char *s, size_t n)
{
    jcur c = {(const unsigned char *)s, (const unsigned char *)s + n, 0};
    j_ws(&c);
    if (!j_value(&c))
        return 0;
    j_ws(&c);
    return c.p == c.end;
}

/* 1 when s[0..n) is valid UTF-8. */
static inline int utf8_valid(const char *s, size_t n)
{
    jcur c = {(const unsigned char *)s, (const unsigned char *)s + n, 0};
    while (c.p < c.end)
        if (*c.p < 0x80)
            c.p++;
        else if (!j_utf8(&c))
            return 0;
    return 1;
}

/* 1 when s[0..n) holds only valid UTF-8 and no control character other
 * than newline (the text format's promise for escaped names). */
static inline int text_clean(const char *s, size_t n)
{
    jcur c = {(const unsigned char *)s, (const unsigned char *)s + n, 0};
    while (c.p < c.end) {
        unsigned b = *c.p;
        if (b == '\n' || (b >= 0x20 && b < 0x7F)) {
            c.p++;
            continue;
        }
        if (b < 0x80 || !j_utf8(&c))
            return 0;
    }
    return 1;
}

#endif
