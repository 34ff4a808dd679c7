/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * A strict reader of the HTML report's markup for the writer target.  The
 * page must be valid UTF-8 and made only of: the doctype; tags of the
 * report's own vocabulary (html_tags) with its own attributes
 * (html_attrs), double-quoted values, properly nested; text in which
 * every '&' begins an entity (&amp; &lt; &gt; &quot; &#39; or &#N;) and no
 * '<', '>', quote or control character (C0 but newline and tab, DEL, C1)
 * appears raw (attribute values may hold an apostrophe);
 * and <script> and <style> elements, whose raw text runs to the first
 * "</script" or "</style" in any case, as an HTML parser reads it.  The
 * content of the <script type="application/json"> element comes back for
 * the caller to check; text outside tags comes back with its entities
 * decoded.  Header-only (uses json_check.h's UTF-8 check).
 */
#ifndef ND_HTML_CHECK_H
#define ND_HTML_CHECK_H

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "json_check.h"

typedef struct html_doc {
    char *text;          /* text outside tags, entities decoded (free) */
    size_t ntext;
    const char *json;    /* content of the JSON script element */
    size_t njson;
    int nscripts_json;   /* how many such elements there were */
} html_doc;

static const char *const html_tags[] = {
    "html", "head", "meta", "title", "script", "style", "body", "header",
    "h1", "div", "main", "noscript", NULL};
static const char *const html_attrs[] = {
    "lang", "charset", "name", "content", "http-equiv", "type", "id",
    "class", NULL};

static int h_in(const char *const *list, const char *s, size_t n)
{
    for (; *list; list++)
        if (strlen(*list) == n && !memcmp(*list, s, n))
            return 1;
    return 0;
}

/* An entity at s[i] ('&'): its length, and its character into out. */
static size_t h_entity(const char *s, size_t n, size_t i, char *out,
                       size_t *k)
{
    static const struct {
        const char *e, *c;
    } named[] = {{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"},
                 {"&quot;", "\""}, {"&#39;", "'"}};
    for (size_t x = 0; x < sizeof named / sizeof *named; x++) {
        size_t l = strlen(named[x].e);
        if (n - i >= l && !memcmp(s + i, named[x].e, l)) {
            out[(*k)++] = named[x].c[0];
            return l;
        }
    }
    size_t j = i + 1;
    if (j < n && s[j] == '#') {
        unsigned long v = 0;
        size_t d = 0;
        for (j++; j < n && s[j] >= '0' && s[j] <= '9' && d < 7; j++, d++)
            v = v * 10 + (unsigned long)(s[j] - '0');
        if (d && j < n && s[j] == ';' && v && v < 0x80) {
            out[(*k)++] = (char)v;
            return j + 1 - i;
        }
        if (d && j < n && s[j] == ';' && v >= 0x80 && v <= 0x10FFFF &&
            !(v >= 0xD800 && v < 0xE000)) {
            out[(*k)++] = '?'; /* a character: its value is not checked */
            return j + 1 - i;
        }
    }
    return 0;
}

/* Text or an attribute value s[i..e): entities valid, nothing raw (in
 * text not even quotes, which the report's writers escape). */
static int h_text(const char *s, size_t i, size_t e, char *out, size_t *k,
                  int text)
{
    while (i < e) {
        unsigned char b = (unsigned char)s[i];
        if (b == '&') {
            size_t l = h_entity(s, e, i, out, k);
            if (!l)
                return 0;
            i += l;
        } else if (b == '<' || b == '>' || b == 0x7F ||
                   (text && (b == '"' || b == '\'')) ||
                   (b < 0x20 && b != '\n' && b != '\t') ||
                   (b == 0xC2 && i + 1 < e &&
                    (unsigned char)s[i + 1] < 0xA0)) { /* C1 */
            return 0;
        } else {
            out[(*k)++] = (char)b;
            i++;
        }
    }
    return 1;
}

static const char *h_find_end(const char *s, size_t n, size_t i,
                              const char *end)
{
    size_t l = strlen(end);
    for (; i + l <= n; i++)
        if (!strncasecmp(s + i, end, l))
            return s + i;
    return NULL;
}

/* Parse s[0..n) into @p d (free d->text either way); 1 when valid. */
static inline int html_parse(const char *s, size_t n, html_doc *d)
{
    memset(d, 0, sizeof *d);
    if (!utf8_valid(s, n))
        return 0;
    if (!(d->text = malloc(n + 1)))
        return 0;
    char *scratch = malloc(n + 1);
    if (!scratch)
        return 0;
    const char *stack[32];
    size_t lens[32], depth = 0;
    static const char doctype[] = "<!DOCTYPE html>";
    size_t i = 0;
    int ok = 0;
    if (n >= sizeof doctype - 1 && !memcmp(s, doctype, sizeof doctype - 1))
        i = sizeof doctype - 1;
    while (i < n) {
        if (s[i] != '<') {
            size_t e = i;
            while (e < n && s[e] != '<')
                e++;
            if (!h_text(s, i, e, d->text, &d->ntext, 1))
                goto out;
            i = e;
            continue;
        }
        /* a tag */
        int closing = i + 1 < n && s[i + 1] == '/';
        size_t j = i + 1 + (size_t)closing, name = j;
        while (j < n && ((s[j] >= 'a' && s[j] <= 'z') ||
                         (s[j] >= '0' && s[j] <= '9')))
            j++;
        size_t nlen = j - name;
        if (!h_in(html_tags, s + name, nlen))
            goto out;
        int json = 0;
        for (;;) { /* attributes */
            size_t w = j;
            while (j < n && (s[j] == ' ' || s[j] == '\n' || s[j] == '\t'))
                j++;
            if (j < n && s[j] == '>')
                break;
            if (j == w || closing)
                goto out;
            size_t a = j;
            while (j < n && ((s[j] >= 'a' && s[j] <= 'z') || s[j] == '-'))
                j++;
            size_t alen = j - a;
            if (!h_in(html_attrs, s + a, alen))
                goto out;
            if (j < n && s[j] == '=') {
                if (++j >= n || s[j] != '"')
                    goto out;
                size_t v = ++j;
                while (j < n && s[j] != '"')
                    j++;
                if (j >= n)
                    goto out;
                size_t k = 0;
                if (!h_text(s, v, j, scratch, &k, 0))
                    goto out;
                json |= alen == 4 && !memcmp(s + a, "type", 4) &&
                        j - v == 16 && !memcmp(s + v, "application/json", 16);
                j++;
            }
        }
        j++; /* '>' */
        int isvoid = nlen == 4 && !memcmp(s + name, "meta", 4);
        if (closing) {
            if (!depth || lens[depth - 1] != nlen ||
                memcmp(stack[depth - 1], s + name, nlen))
                goto out;
            depth--;
        } else if (!isvoid) {
            if (depth == 32)
                goto out;
            stack[depth] = s + name;
            lens[depth++] = nlen;
        }
        i = j;
        int script = nlen == 6 && !memcmp(s + name, "script", 6);
        int style = nlen == 5 && !memcmp(s + name, "style", 5);
        if (!closing && (script || style)) {
            const char *e = h_find_end(s, n, i, script ? "</script"
                                                       : "</style");
            if (!e)
                goto out;
            if (json) {
                d->json = s + i;
                d->njson = (size_t)(e - (s + i));
                d->nscripts_json++;
            }
            i = (size_t)(e - s);
        }
    }
    ok = depth == 0;
out:
    free(scratch);
    d->text[d->ntext] = 0;
    return ok;
}

#endif
