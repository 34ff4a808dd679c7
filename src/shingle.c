/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Character k-gram shingles of normalized text, hashed with XXH3-64 over the
 * code points as little-endian 32-bit integers (so the hashes are the same
 * on every host and can be stored), plus the sorted-set helpers used to
 * verify candidate pairs exactly.
 */
#include "shingle.h"

#include <string.h>

#include "util.h"

/* XXH3 inlined: a shingle is 20 or 32 bytes, and a call into the shared
 * library per shingle cost more than the hash (same values: XXH3's output
 * is fixed since xxHash 0.8.0). */
#define XXH_INLINE_ALL
#include <xxhash.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ND_LITTLE_ENDIAN 1
#else
#define ND_LITTLE_ENDIAN 0
#endif

uint64_t nd_hash_le32(const uint32_t *cp, size_t n, uint64_t seed)
{
#if ND_LITTLE_ENDIAN
    return XXH3_64bits_withSeed(cp, n * 4, seed);
#else
    /* Streaming gives the same value as one-shot; convert in chunks. */
    XXH3_state_t st;
    uint8_t buf[256];
    XXH3_64bits_reset_withSeed(&st, seed);
    while (n) {
        size_t m = n < sizeof buf / 4 ? n : sizeof buf / 4;
        for (size_t i = 0; i < m; i++) {
            buf[4 * i] = (uint8_t)cp[i];
            buf[4 * i + 1] = (uint8_t)(cp[i] >> 8);
            buf[4 * i + 2] = (uint8_t)(cp[i] >> 16);
            buf[4 * i + 3] = (uint8_t)(cp[i] >> 24);
        }
        XXH3_64bits_update(&st, buf, m * 4);
        cp += m;
        n -= m;
    }
    return XXH3_64bits_digest(&st);
#endif
}

#if ND_HAVE_AVX512 /* x86-64: little-endian */
#include <immintrin.h>

/* XXH3's mul128_fold64 in each 64-bit lane: the low and high halves of
 * the 128-bit product of a and b, xored, from four 32 x 32 -> 64
 * products. */
ND_AVX512 static inline __m512i fold128(__m512i a, __m512i b)
{
    const __m512i m32 = _mm512_set1_epi64(0xFFFFFFFF);
    __m512i a1 = _mm512_srli_epi64(a, 32), b1 = _mm512_srli_epi64(b, 32);
    __m512i p00 = _mm512_mul_epu32(a, b), p01 = _mm512_mul_epu32(a, b1);
    __m512i p10 = _mm512_mul_epu32(a1, b), p11 = _mm512_mul_epu32(a1, b1);
    __m512i mid = _mm512_add_epi64(
        _mm512_srli_epi64(p00, 32),
        _mm512_add_epi64(_mm512_and_si512(p01, m32),
                         _mm512_and_si512(p10, m32)));
    __m512i lo = _mm512_or_si512(_mm512_slli_epi64(mid, 32),
                                 _mm512_and_si512(p00, m32));
    __m512i hi = _mm512_add_epi64(
        _mm512_add_epi64(p11, _mm512_srli_epi64(mid, 32)),
        _mm512_add_epi64(_mm512_srli_epi64(p01, 32),
                         _mm512_srli_epi64(p10, 32)));
    return _mm512_xor_si512(lo, hi);
}

/* Lanes j = 0..7 of characters c[j + o], c[j + o + 1] from the 16 at c. */
ND_AVX512 static inline __m512i pair_at(__m512i c, int o)
{
    const __m512i idx = _mm512_set_epi32(
        o + 8, o + 7, o + 7, o + 6, o + 6, o + 5, o + 5, o + 4, o + 4, o + 3,
        o + 3, o + 2, o + 2, o + 1, o + 1, o);
    return _mm512_permutexvar_epi32(idx, c);
}

/*
 * XXH3_64bits_withSeed(cp + i, 4 k, ND_SHINGLE_SEED) for k = 5 or 8, 8
 * shingles at a time while 16 characters remain to be read: XXH3 of 17
 * to 32 bytes is len * PRIME64_1 plus two mix16B (a 128-bit product
 * folded) of the first and last 16 bytes against the secret and seed,
 * avalanched.  Returns the shingles done (test_shingle: the same values
 * as XXH3's).
 */
ND_AVX512 static size_t shingles_avx512(const uint32_t *cp, size_t n,
                                        int k, uint64_t *out)
{
    const uint8_t *sec = XXH3_kSecret;
    const uint64_t seed = ND_SHINGLE_SEED;
    const __m512i s0 =
        _mm512_set1_epi64((long long)(XXH_readLE64(sec) + seed));
    const __m512i s1 =
        _mm512_set1_epi64((long long)(XXH_readLE64(sec + 8) - seed));
    const __m512i s2 =
        _mm512_set1_epi64((long long)(XXH_readLE64(sec + 16) + seed));
    const __m512i s3 =
        _mm512_set1_epi64((long long)(XXH_readLE64(sec + 24) - seed));
    const __m512i len = _mm512_set1_epi64(
        (long long)((uint64_t)(4 * k) * XXH_PRIME64_1));
    const __m512i mul = _mm512_set1_epi64(0x165667919E3779F9LL);
    const int o2 = k == 5 ? 1 : 4; /* the last 16 bytes: characters */
    size_t i = 0;
    for (; i + 16 <= n; i += 8) {
        __m512i c = _mm512_loadu_si512((const void *)(cp + i));
        __m512i acc = _mm512_add_epi64(
            len, fold128(_mm512_xor_si512(pair_at(c, 0), s0),
                         _mm512_xor_si512(pair_at(c, 2), s1)));
        acc = _mm512_add_epi64(
            acc, fold128(_mm512_xor_si512(pair_at(c, o2), s2),
                         _mm512_xor_si512(pair_at(c, o2 + 2), s3)));
        acc = _mm512_xor_si512(acc, _mm512_srli_epi64(acc, 37));
        acc = _mm512_mullo_epi64(acc, mul);
        acc = _mm512_xor_si512(acc, _mm512_srli_epi64(acc, 32));
        _mm512_storeu_si512((void *)(out + i), acc);
    }
    return i;
}
#endif

size_t nd_shingle_count(size_t n, int k)
{
    size_t kk = k < 1 ? 1 : (size_t)k;
    if (n == 0)
        return 0;
    return n < kk ? 1 : n - kk + 1;
}

void nd_shingle_hashes_impl(int simd, const uint32_t *cp, size_t n, int k,
                            uint64_t *out)
{
    size_t kk = k < 1 ? 1 : (size_t)k;
    if (n == 0)
        return;
    if (n < kk) {
        out[0] = nd_hash_le32(cp, n, ND_SHINGLE_SEED);
        return;
    }
#if ND_LITTLE_ENDIAN
    /* The common lengths with a constant size, so that XXH3's branches on
     * the length fold away: k = 5 (shingles) and 8 (anchors). */
    size_t i = 0;
#if ND_HAVE_AVX512
    if (simd && (kk == 5 || kk == 8))
        i = shingles_avx512(cp, n, (int)kk, out);
#endif
    (void)simd;
    if (kk == 5) {
        for (; i + 5 <= n; i++)
            out[i] = XXH3_64bits_withSeed(cp + i, 20, ND_SHINGLE_SEED);
        return;
    }
    if (kk == 8) {
        for (; i + 8 <= n; i++)
            out[i] = XXH3_64bits_withSeed(cp + i, 32, ND_SHINGLE_SEED);
        return;
    }
#else
    (void)simd;
#endif
    for (size_t j = 0; j + kk <= n; j++)
        out[j] = nd_hash_le32(cp + j, kk, ND_SHINGLE_SEED);
}

void nd_shingle_hashes(const uint32_t *cp, size_t n, int k, uint64_t *out)
{
    /* The kernel takes 16 characters at least: a single gram (the anchor
     * stage hashes 89 million at 1 GB) does not ask which to use. */
    nd_shingle_hashes_impl(n >= 16 && nd_use_avx512(), cp, n, k, out);
}

/*
 * Introsort on uint64: quicksort with a median-of-three pivot, insertion
 * sort for short ranges and heapsort once the depth budget is spent.  It is
 * several times faster than qsort() with a comparator callback.
 */
static void insertion_sort(uint64_t *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint64_t x = a[i];
        size_t j = i;
        for (; j > 0 && a[j - 1] > x; j--)
            a[j] = a[j - 1];
        a[j] = x;
    }
}

static void sift_down(uint64_t *a, size_t i, size_t n)
{
    uint64_t x = a[i];
    for (size_t c; (c = 2 * i + 1) < n; i = c) {
        if (c + 1 < n && a[c + 1] > a[c])
            c++;
        if (a[c] <= x)
            break;
        a[i] = a[c];
    }
    a[i] = x;
}

static void heap_sort(uint64_t *a, size_t n)
{
    for (size_t i = n / 2; i-- > 0;)
        sift_down(a, i, n);
    for (size_t i = n; i-- > 1;) {
        uint64_t t = a[0];
        a[0] = a[i];
        a[i] = t;
        sift_down(a, 0, i);
    }
}

static void intro_sort(uint64_t *a, size_t n, int depth)
{
    while (n > 16) {
        if (depth-- == 0) {
            heap_sort(a, n);
            return;
        }
        uint64_t x = a[0], y = a[n / 2], z = a[n - 1];
        uint64_t p = x < y ? (y < z ? y : (x < z ? z : x))
                           : (x < z ? x : (y < z ? z : y));
        size_t i = 0, j = n - 1;
        for (;;) {
            while (a[i] < p)
                i++;
            while (a[j] > p)
                j--;
            if (i >= j)
                break;
            uint64_t t = a[i];
            a[i++] = a[j];
            a[j--] = t;
        }
        /* [0, j] <= p <= [j + 1, n): recurse into the smaller side. */
        size_t left = j + 1;
        if (left < n - left) {
            intro_sort(a, left, depth);
            a += left;
            n -= left;
        } else {
            intro_sort(a + left, n - left, depth);
            n = left;
        }
    }
    insertion_sort(a, n);
}

size_t nd_hash_set(uint64_t *h, size_t n)
{
    if (n < 2)
        return n;
    int depth = 0;
    for (size_t m = n; m; m >>= 1)
        depth += 2;
    intro_sort(h, n, depth);
    size_t w = 1;
    for (size_t i = 1; i < n; i++)
        if (h[i] != h[w - 1])
            h[w++] = h[i];
    return w;
}

size_t nd_hash_distinct_cap(size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    return cap;
}

size_t nd_hash_distinct(uint64_t *h, size_t n, uint64_t *tab)
{
    /* Open addressing, linear probing, 0 for an empty slot (the value 0
     * itself is a flag).  The slot is from the top bits of a multiply, so
     * keys that are not random (small integers) spread too.  A document's
     * few thousand shingles fit in L2: this is a third of a sort's cost. */
    const size_t cap = nd_hash_distinct_cap(n);
    int bits = 0;
    while ((size_t)1 << bits < cap)
        bits++;
    memset(tab, 0, cap * sizeof *tab);
    size_t w = 0;
    int zero = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t x = h[i];
        if (!x) {
            if (!zero)
                h[w++] = 0;
            zero = 1;
            continue;
        }
        size_t s = (size_t)((x * UINT64_C(0x9E3779B97F4A7C15)) >> (64 - bits));
        while (tab[s] && tab[s] != x)
            s = (s + 1) & (cap - 1);
        if (!tab[s]) {
            tab[s] = x;
            h[w++] = x;
        }
    }
    return w;
}

size_t nd_hash_intersect(const uint64_t *a, size_t na, const uint64_t *b,
                         size_t nb)
{
    /* Branch-free merge: which side advances is a coin toss on random
     * hashes, so branches would mispredict half the time. */
    size_t i = 0, j = 0, c = 0;
    while (i < na && j < nb) {
        uint64_t x = a[i], y = b[j];
        c += x == y;
        i += x <= y;
        j += y <= x;
    }
    return c;
}
