/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Shingles: every window of k consecutive normalized characters, hashed with
 * XXH3-64 (seed ND_SHINGLE_SEED) over the code points as little-endian
 * 32-bit integers.  A text shorter than k (but not empty) is one shingle.
 * These hashes are stored in indexes: changing them is a format change.
 */
#ifndef ND_SHINGLE_H
#define ND_SHINGLE_H

#include <stddef.h>
#include <stdint.h>

#define ND_SHINGLE_SEED UINT64_C(0x6e65617264757031) /* "neardup1" */

/* XXH3-64 of @p n 32-bit values laid out little-endian (host-independent). */
uint64_t nd_hash_le32(const uint32_t *v, size_t n, uint64_t seed);

/* Number of shingles of a text of @p n characters. */
size_t nd_shingle_count(size_t n, int k);

/* Write the nd_shingle_count(n, k) hashes, in text order, to @p out.
 * For k = 5 and 8, 8 at a time with AVX-512 when nd_use_avx512 allows. */
void nd_shingle_hashes(const uint32_t *cp, size_t n, int k, uint64_t *out);

/* nd_shingle_hashes with (@p simd 1) or without the AVX-512 kernel, for
 * tests and benchmarks: the same hashes.  simd needs nd_cpu_avx512()
 * (util.h). */
void nd_shingle_hashes_impl(int simd, const uint32_t *cp, size_t n, int k,
                            uint64_t *out);

/* Sort @p h (n values) ascending and drop repeats; returns the new count. */
size_t nd_hash_set(uint64_t *h, size_t n);

/* Drop repeats from @p h (n values) without sorting: the first occurrence
 * of each value stays, in order; returns the new count.  @p tab is scratch
 * for nd_hash_distinct_cap(n) values. */
size_t nd_hash_distinct_cap(size_t n);
size_t nd_hash_distinct(uint64_t *h, size_t n, uint64_t *tab);

/* |A and B| of two sorted sets. */
size_t nd_hash_intersect(const uint64_t *a, size_t na, const uint64_t *b,
                         size_t nb);

#endif
