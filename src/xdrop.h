/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Matches along a diagonal of two texts, through edits (X-drop): the test
 * the anchor stage puts to every hit (scan.c, diag_matches).
 *
 * nd_xdrop_* walk texts @p p and @p q one way (@p step 1 or -1), comparing
 * p[k * step] with q[k * step] for k in [first, last]: +1 a match, -1 a
 * mismatch, stop once the score is more than ND_XDROP below the best; the
 * result is the matches up to the best score.  @p have matches are
 * counted already: the walk stops as soon as have + its matches reach
 * @p need (they only grow).  One for each pair of text widths (nd_doc: 16
 * or 32 bits).
 *
 * nd_xdrop_hh, the one nearly every hit takes (both texts 16 bits a
 * character), compares 16 characters at a time (SSE2) and walks the runs
 * of matches and mismatches of the mask a run at a time: a phrase two
 * speeches share is a run or two, and the mismatches after it end the
 * walk, where a character at a time paid an unpredictable branch each.
 * It returns what nd_xdrop_hh_scalar does (tests/unit/test_xdrop.c).
 */
#ifndef ND_XDROP_H
#define ND_XDROP_H

#include <stdint.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define ND_XDROP 6 /* drop below the best score that ends a walk */

#define ND_XDROP_SCALAR(name, TP, TQ)                                      \
    static inline uint32_t name(const TP *p, const TQ *q, int64_t first,   \
                                int64_t last, int64_t step, uint32_t have, \
                                uint32_t need)                             \
    {                                                                      \
        int score = 0, best = 0, m = 0, bestm = 0;                         \
        for (int64_t k = first; k <= last; k++) {                          \
            int eq = p[k * step] == q[k * step];                           \
            score += eq ? 1 : -1;                                          \
            m += eq;                                                       \
            if (score > best) {                                            \
                best = score;                                              \
                bestm = m;                                                 \
                if (have + (uint32_t)bestm >= need)                        \
                    break;                                                 \
            } else if (score < best - ND_XDROP) {                          \
                break;                                                     \
            }                                                              \
        }                                                                  \
        return (uint32_t)bestm;                                            \
    }
ND_XDROP_SCALAR(nd_xdrop_hh_scalar, uint16_t, uint16_t)
ND_XDROP_SCALAR(nd_xdrop_hw, uint16_t, uint32_t)
ND_XDROP_SCALAR(nd_xdrop_wh, uint32_t, uint16_t)
ND_XDROP_SCALAR(nd_xdrop_ww, uint32_t, uint32_t)
#undef ND_XDROP_SCALAR

#if defined(__SSE2__)
/* Reverse the eight 16-bit lanes of @p x. */
static inline __m128i nd_xdrop_rev16(__m128i x)
{
    x = _mm_shufflelo_epi16(x, 0x1B);
    x = _mm_shufflehi_epi16(x, 0x1B);
    return _mm_shuffle_epi32(x, 0x4E);
}

/* Bit j: p[(k + j) * step] == q[(k + j) * step], j < 16. */
static inline uint32_t nd_xdrop_mask16(const uint16_t *p, const uint16_t *q,
                                       int64_t k, int64_t step)
{
    __m128i lo, hi;
    if (step > 0) {
        const __m128i *a = (const __m128i *)(p + k);
        const __m128i *b = (const __m128i *)(q + k);
        lo = _mm_cmpeq_epi16(_mm_loadu_si128(a), _mm_loadu_si128(b));
        hi = _mm_cmpeq_epi16(_mm_loadu_si128(a + 1), _mm_loadu_si128(b + 1));
    } else { /* steps k .. k + 15 are p[-k - 15] .. p[-k], reversed */
        const __m128i *a = (const __m128i *)(p - k - 15);
        const __m128i *b = (const __m128i *)(q - k - 15);
        hi = nd_xdrop_rev16(
            _mm_cmpeq_epi16(_mm_loadu_si128(a), _mm_loadu_si128(b)));
        lo = nd_xdrop_rev16(
            _mm_cmpeq_epi16(_mm_loadu_si128(a + 1), _mm_loadu_si128(b + 1)));
    }
    return (uint32_t)_mm_movemask_epi8(_mm_packs_epi16(lo, hi));
}
#endif

static inline uint32_t nd_xdrop_hh(const uint16_t *p, const uint16_t *q,
                                   int64_t first, int64_t last, int64_t step,
                                   uint32_t have, uint32_t need)
{
#if defined(__SSE2__)
    int64_t score = 0, best = 0, m = 0, bestm = 0;
    const int64_t want = (int64_t)need - (int64_t)have; /* matches wanted */
    for (int64_t k = first; k <= last;) {
        uint32_t mask;
        unsigned len;
        if (last - k >= 15) {
            mask = nd_xdrop_mask16(p, q, k, step);
            len = 16;
        } else {
            len = (unsigned)(last - k + 1);
            mask = 0;
            for (unsigned j = 0; j < len; j++)
                mask |= (uint32_t)(p[(k + j) * step] == q[(k + j) * step])
                        << j;
        }
        for (unsigned i = 0; i < len;) {
            uint32_t rest = mask >> i; /* bits past len are 0 */
            if (rest & 1) { /* r matches: the score climbs r steps */
                unsigned r = (unsigned)__builtin_ctz(~rest);
                r = r < len - i ? r : len - i;
                /* Steps t of the run beat the best from t1 on, and reach
                 * what is wanted from t2 on. */
                int64_t t1 = best - score + 1, t2 = want - m;
                t1 = t1 > 1 ? t1 : 1;
                int64_t t = t1 > t2 ? t1 : t2;
                if (t <= (int64_t)r)
                    return (uint32_t)(m + t);
                score += r;
                m += r;
                if (score > best) {
                    best = score;
                    bestm = m;
                }
                i += r;
            } else { /* z mismatches: the walk ends once the drop passes */
                unsigned z = rest ? (unsigned)__builtin_ctz(rest) : len - i;
                z = z < len - i ? z : len - i;
                score -= z;
                if (score < best - ND_XDROP)
                    return (uint32_t)bestm;
                i += z;
            }
        }
        k += len;
    }
    return (uint32_t)bestm;
#else
    return nd_xdrop_hh_scalar(p, q, first, last, step, have, need);
#endif
}

#endif
