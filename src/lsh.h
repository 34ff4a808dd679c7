/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Locality-sensitive hashing by banding MinHash signatures.
 */
#ifndef ND_LSH_H
#define ND_LSH_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/*
 * Choose b bands of r rows (b * r <= perm) for Jaccard threshold @p t by
 * minimizing the false-positive area (integral of P over [0, t]) plus the
 * false-negative area (integral of 1 - P over [t, 1]), P(s) = 1-(1-s^r)^b.
 */
void nd_lsh_params(double t, int perm, int *bands, int *rows);
/* The search itself (nd_lsh_params knows the common settings' result). */
void nd_lsh_search(double t, int perm, int *bands, int *rows);

/* Probability that a pair at similarity @p s shares a bucket. */
double nd_lsh_prob(double s, int bands, int rows);

/* Key of band @p band (rows values starting at sig[band * rows]). */
uint64_t nd_lsh_key(const uint32_t *sig, int band, int rows);

typedef struct nd_docpair {
    uint32_t a, b; /* a < b */
} nd_docpair;

/*
 * Candidate pairs of @p ndocs signatures (sigs[i * perm ...]): documents
 * that share a key in any band.  Documents whose signature is all
 * ND_MINHASH_EMPTY take no part.  A bucket of more than @p cap documents is
 * not expanded into all pairs: its first document (lowest id) is paired
 * with each other one (a star), so identical documents still link up in
 * linear work.  *pairs is sorted by (a, b) without repeats; free with
 * nd_free.  Returns ND_OK, ND_ENOMEM, or ND_EINVAL (bands * rows > perm,
 * or more than 2^32 documents).
 */
int nd_lsh_candidates(const uint32_t *sigs, size_t ndocs, int perm,
                      int bands, int rows, size_t cap, nd_docpair **pairs,
                      size_t *npairs);

/* A band key and its document; runs of equal keys are buckets. */
typedef struct nd_lsh_entry {
    uint64_t key;
    uint32_t doc;
} nd_lsh_entry;

/* Does signature @p sig (perm values) have no value (an empty text)? */
int nd_lsh_empty(const uint32_t *sig, int perm);

/*
 * Append to @p out (a << 32 | b) the pairs of the buckets of @p e, @p n
 * entries of one band sorted by (key, doc): all pairs of a bucket of at
 * most @p cap documents, its first document with each other one above.
 */
typedef ND_VEC(uint64_t) nd_u64_vec;
int nd_lsh_bucket_pairs(const nd_lsh_entry *e, size_t n, size_t cap,
                        nd_u64_vec *out);

#endif
