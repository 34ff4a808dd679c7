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

size_t nd_shingle_count(size_t n, int k)
{
    size_t kk = k < 1 ? 1 : (size_t)k;
    if (n == 0)
        return 0;
    return n < kk ? 1 : n - kk + 1;
}

void nd_shingle_hashes(const uint32_t *cp, size_t n, int k, uint64_t *out)
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
    if (kk == 5) {
        for (size_t i = 0; i + 5 <= n; i++)
            out[i] = XXH3_64bits_withSeed(cp + i, 20, ND_SHINGLE_SEED);
        return;
    }
    if (kk == 8) {
        for (size_t i = 0; i + 8 <= n; i++)
            out[i] = XXH3_64bits_withSeed(cp + i, 32, ND_SHINGLE_SEED);
        return;
    }
#endif
    for (size_t i = 0; i + kk <= n; i++)
        out[i] = nd_hash_le32(cp + i, kk, ND_SHINGLE_SEED);
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
