/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Normalization with byte offsets.  ICU calls stay off the fast path: a
 * table of the whole BMP, built once per context, gives for each code point
 * the single code point it normalizes to (NFKC_Casefold, then Traditional
 * to Simplified, then the category filter), DROP, or SLOW.  SLOW code points
 * (those whose normalization depends on their neighbours, such as combining
 * marks, or that expand to several code points) and all supplementary ones
 * are normalized by ICU in chunks that run from one normalization boundary
 * to the next; every output of a chunk maps to the chunk's byte range.
 *
 * What ICU says of each BMP code point alone (its NFKC_Casefold, and the
 * one-to-one Traditional to Simplified mappings of ICU's Hant-Hans
 * transliterator) is asked at build time by gen_normtab.c: the tables are
 * filled from that data in well under a millisecond, where asking ICU took
 * 40-70 ms at every start.
 */
#include "normalize.h"

#include <stdio.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/utrans.h>
#include <unicode/ustring.h>

#include "util.h"

#include "normtab_data.h" /* nd_t2s, nd_nfkc: made by gen_normtab.c */

#define SLOW ND_NF_SLOW
#define DROP ND_NF_DROP
#define CHUNK_MAX 64 /* code points normalized in one ICU call, at most */

struct nd_normtab {
    const UNormalizer2 *nfkc_cf;
    int keep_punct;
    uint32_t *bmp;  /* 0x10000 entries: output code point, DROP or SLOW */
    uint16_t *t2s;  /* 0x10000 entries: simplified form, or 0 */
};

static int dropped(const nd_normtab *t, uint32_t c)
{
    uint32_t mask = U_GET_GC_MASK((UChar32)c);
    uint32_t drop = U_GC_Z_MASK | U_GC_C_MASK;
    if (!t->keep_punct)
        drop |= U_GC_P_MASK | U_GC_S_MASK;
    return (mask & drop) != 0;
}

static uint32_t fold(const nd_normtab *t, uint32_t c)
{
    if (t->t2s && c < 0x10000 && t->t2s[c])
        return t->t2s[c];
    return c;
}

int nd_normtab_new(nd_normtab **out, int fold_variants, int keep_punct,
                   char *err, size_t errlen)
{
    *out = NULL;
    nd_normtab *t = nd_calloc(1, sizeof *t);
    if (!t)
        return ND_ENOMEM;
    t->keep_punct = keep_punct;
    UErrorCode e = U_ZERO_ERROR;
    t->nfkc_cf = unorm2_getNFKCCasefoldInstance(&e);
    if (U_FAILURE(e)) {
        snprintf(err, errlen, "ICU NFKC_Casefold: %s", u_errorName(e));
        nd_free(t);
        return ND_EICU;
    }
    int rc = ND_OK;
    if (fold_variants && !(t->t2s = nd_calloc(0x10000, sizeof *t->t2s)))
        rc = ND_ENOMEM;
    for (size_t i = 0; !rc && t->t2s && i < sizeof nd_t2s / sizeof *nd_t2s;
         i++)
        t->t2s[nd_t2s[i][0]] = nd_t2s[i][1];
    if (!rc && !(t->bmp = nd_malloc(0x10000 * sizeof *t->bmp)))
        rc = ND_ENOMEM;
    for (uint32_t c = 0; !rc && c < 0x10000; c++)
        t->bmp[c] = c;
    for (size_t i = 0; !rc && i < sizeof nd_nfkc / sizeof *nd_nfkc; i++) {
        const struct nd_nfkc_range *r = &nd_nfkc[i];
        for (uint32_t c = r->first; c <= r->last; c++)
            t->bmp[c] = r->value;
    }
    for (uint32_t c = 0; !rc && c < 0x10000; c++) {
        uint32_t v = t->bmp[c];
        if (v != SLOW && v != DROP) {
            uint32_t f = fold(t, v);
            t->bmp[c] = dropped(t, f) ? DROP : f;
        }
    }
    if (rc) {
        nd_normtab_free(t);
        return rc;
    }
    *out = t;
    return ND_OK;
}

void nd_normtab_free(nd_normtab *t)
{
    if (!t)
        return;
    nd_free(t->bmp);
    nd_free(t->t2s);
    nd_free(t);
}

/* Room for @p cap characters in @p o. */
static int reserve(nd_ntext *o, size_t cap)
{
    uint32_t *a = nd_realloc(o->cp, cap * sizeof *a);
    if (!a)
        return ND_ENOMEM;
    o->cp = a;
    uint32_t *b = nd_realloc(o->bs, cap * sizeof *b);
    if (!b)
        return ND_ENOMEM;
    o->bs = b;
    uint32_t *d = nd_realloc(o->be, cap * sizeof *d);
    if (!d)
        return ND_ENOMEM;
    o->be = d;
    o->cap = cap;
    return ND_OK;
}

static int push(nd_ntext *o, uint32_t c, uint32_t bs, uint32_t be)
{
    if (o->n == o->cap)
        ND_TRY(reserve(o, o->cap ? o->cap * 2 : 256));
    o->cp[o->n] = c;
    o->bs[o->n] = bs;
    o->be[o->n] = be;
    o->n++;
    return ND_OK;
}

/* Normalize code points [i, j) with ICU; outputs map to their bytes. */
static int slow_chunk(const nd_normtab *t, const uint32_t *cp,
                      const uint32_t *off, size_t i, size_t j, nd_ntext *out)
{
    UChar in[2 * CHUNK_MAX], o[8 * CHUNK_MAX];
    int32_t n = 0;
    for (size_t k = i; k < j; k++)
        U16_APPEND_UNSAFE(in, n, cp[k]);
    UErrorCode e = U_ZERO_ERROR;
    UChar *res = o;
    int32_t m = unorm2_normalize(t->nfkc_cf, in, n, o, 8 * CHUNK_MAX, &e);
    if (e == U_BUFFER_OVERFLOW_ERROR) { /* e.g. U+FDFA: 18 code points */
        if (!(res = nd_malloc(((size_t)m + 1) * sizeof *res)))
            return ND_ENOMEM;
        e = U_ZERO_ERROR;
        m = unorm2_normalize(t->nfkc_cf, in, n, res, m + 1, &e);
    }
    int rc = U_FAILURE(e) ? ND_EICU : ND_OK;
    for (int32_t k = 0; !rc && k < m;) {
        UChar32 c;
        U16_NEXT(res, k, m, c);
        uint32_t f = fold(t, (uint32_t)c);
        if (!dropped(t, f))
            rc = push(out, f, off[i], off[j]);
    }
    if (res != o)
        nd_free(res);
    return rc;
}

int nd_normalize(const nd_normtab *t, const uint32_t *cp, const uint32_t *off,
                 size_t from, size_t to, nd_ntext *out)
{
    /* Room for a character per input character, what most give: growing
     * by doubling copied the arrays about twice over. */
    if (to > from && out->cap - out->n < to - from)
        ND_TRY(reserve(out, out->n + (to - from)));
    size_t i = from;
    while (i < to) {
        uint32_t c = cp[i];
        uint32_t v = c < 0x10000 ? t->bmp[c] : SLOW;
        if (v == DROP) {
            i++;
            continue;
        }
        if (v != SLOW) {
            ND_TRY(push(out, v, off[i], off[i + 1]));
            i++;
            continue;
        }
        /* A chunk ends before the next code point that starts a
         * normalization boundary (capped: pathological runs of combining
         * marks are cut, which only affects their own composition). */
        size_t j = i + 1;
        while (j < to && j - i < CHUNK_MAX &&
               !unorm2_hasBoundaryBefore(t->nfkc_cf, (UChar32)cp[j]))
            j++;
        ND_TRY(slow_chunk(t, cp, off, i, j, out));
        i = j;
    }
    return ND_OK;
}

_Static_assert(ND_NF_DROP == ND_NORM_DROP && ND_NF_SLOW > 0xFFFF,
               "the fast path's values (normalize.h)");

const uint32_t *nd_normtab_bmp(const nd_normtab *t) { return t->bmp; }

void nd_ntext_free(nd_ntext *t)
{
    nd_free(t->cp);
    nd_free(t->bs);
    nd_free(t->be);
    memset(t, 0, sizeof *t);
}

int nd_normalize_cp(const nd_normtab *t, uint32_t c, uint32_t out[4])
{
    if (c < 0x10000 && t->bmp[c] != SLOW) {
        if (t->bmp[c] == DROP)
            return 0;
        out[0] = t->bmp[c];
        return 1;
    }
    nd_ntext o = {0};
    uint32_t off[2] = {0, 1};
    int rc = slow_chunk(t, &c, off, 0, 1, &o);
    int n = 0;
    for (size_t k = 0; !rc && k < o.n && n < 4; k++)
        out[n++] = o.cp[k];
    nd_ntext_free(&o);
    return rc ? rc : n;
}
