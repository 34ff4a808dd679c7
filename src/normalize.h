/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Normalization: NFKC with case folding (ICU's NFKC_Casefold), Traditional
 * to Simplified folding (a one-to-one table built once from ICU's Hant-Hans
 * transliterator), and dropping characters of categories Z, P, S and C
 * (P and S kept with keep_punct).  Every output character keeps the byte
 * range of the input it came from; a character produced from several input
 * code points (composition) maps to their whole range.
 */
#ifndef ND_NORMALIZE_H
#define ND_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

typedef struct nd_normtab nd_normtab;

int nd_normtab_new(nd_normtab **out, int fold_variants, int keep_punct,
                   char *err, size_t errlen);
void nd_normtab_free(nd_normtab *t);

/* Normalized text: cp[i] came from bytes [bs[i], be[i]). */
typedef struct nd_ntext {
    uint32_t *cp, *bs, *be;
    size_t n, cap;
} nd_ntext;

/*
 * Append the normalization of code points [from, to) of @p cp (byte offsets
 * @p off, n + 1 entries as in nd_decoded) to @p out.
 * Returns ND_OK, ND_ENOMEM or ND_EICU.
 */
int nd_normalize(const nd_normtab *t, const uint32_t *cp, const uint32_t *off,
                 size_t from, size_t to, nd_ntext *out);
void nd_ntext_free(nd_ntext *t);

/*
 * The table nd_normalize reads first, for a caller's own fast path: for
 * each BMP code point, what it normalizes to when that is one BMP code
 * point whatever its neighbours; ND_NORM_DROP when it is dropped; any
 * other value above 0xFFFF when only nd_normalize can tell (ICU, or a
 * result beyond the BMP).
 */
#define ND_NORM_DROP 0xFFFFFFFEu
const uint32_t *nd_normtab_bmp(const nd_normtab *t);

/* Fold one code point alone (tests, the scanner of quotes): returns the
 * number of code points written to out[4] (0 when dropped). */
int nd_normalize_cp(const nd_normtab *t, uint32_t c, uint32_t out[4]);

#endif
