/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * MinHash signatures of shingle-hash sets.  (The scheme and its measured
 * error are described in minhash.c.)
 */
#ifndef ND_MINHASH_H
#define ND_MINHASH_H

#include <stddef.h>
#include <stdint.h>

/* Value of every slot of the signature of an empty set. */
#define ND_MINHASH_EMPTY UINT32_MAX

/*
 * Signature of the set of shingle hashes @p h (n values, repeats allowed,
 * any order) into @p sig (perm values).  Deterministic for the same set.
 */
void nd_minhash(const uint64_t *h, size_t n, int perm, uint32_t *sig);

/*
 * Kernels of nd_minhash, for tests and benchmarks: all give the same
 * signatures.  ND_MINHASH_AUTO is the one nd_minhash uses, chosen once per
 * process: AVX2 when the CPU has it, unless the environment variable
 * ND_SIMD is "scalar".
 */
enum { ND_MINHASH_AUTO, ND_MINHASH_SCALAR, ND_MINHASH_AVX2 };

/* Can kernel @p impl run here (built in, and the CPU has what it needs)? */
int nd_minhash_has(int impl);

/* The kernel nd_minhash uses (ND_MINHASH_SCALAR or ND_MINHASH_AVX2). */
int nd_minhash_active(void);

/* nd_minhash with kernel @p impl, which nd_minhash_has must allow. */
void nd_minhash_impl(int impl, const uint64_t *h, size_t n, int perm,
                     uint32_t *sig);

/* Estimated Jaccard: share of equal slots (0 when either set is empty). */
double nd_minhash_estimate(const uint32_t *a, const uint32_t *b, int perm);

#endif
