/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * MinHash signatures by one-permutation hashing (OPH) filled in rounds, the
 * scheme of Dahlgaard, Knudsen and Thorup's "Fast Similarity Sketching"
 * (FOCS 2017).  Round 0 is plain OPH: each shingle hash is remixed once, its
 * high bits pick one of perm bins and its low 31 bits are the value whose
 * minimum the bin keeps.  While bins are left empty (sets smaller than about
 * perm * ln(perm)), another round remixes every element with a new salt
 * and fills only the bins still empty.  A slot therefore holds the minimum
 * of (round, value) over its set, it matches between two sets exactly when
 * that minimum over their union comes from the intersection (probability
 * J), and the signature depends only on the set: never on order, repeats
 * or the other document.  It takes about max(1, perm ln(perm) / n) rounds
 * of O(n + perm) work: one for document-sized sets.
 *
 * Chosen by measurement at perm = 128 (2000 pairs per J = 0.1, 0.2 .. 0.9
 * and size, |A| = |B|; MAE and mean signed error of the estimate; time per
 * signature of distinct random sets, gcc -O3, one core) against classic
 * MinHash (128 hash functions) and OPH with optimal densification
 * (Shrivastava, ICML 2017: an empty bin copies the first filled bin of a
 * fixed probe sequence):
 *
 *   |A|    rounds (ours)          OPH + densification    classic
 *          MAE    bias    time    MAE    bias    time    MAE    bias    time
 *   30     .0209  +.0001  1.6us   .0333  -.0004  1.7us   .0296  -.0000  1.6us
 *   50     .0215  -.0002  1.4us   .0313  -.0000  1.5us   .0299  -.0000  2.6us
 *   300    .0250  +.0001  1.3us   .0261  +.0002  0.7us   .0297  +.0001   16us
 *   3000   .0296  +.0004  4.2us   .0296  +.0004  5.0us   .0298  +.0004  158us
 *
 * All three are unbiased.  Densification beats classic only once few bins
 * are empty (bins copied from the same source are correlated): on
 * passage-sized sets its error is 5-12% above classic, while fresh rounds
 * spread the union evenly over the bins and cut it by a third.  On
 * documents both OPH variants are the same single pass.
 */
#include "minhash.h"

#define MH_SEED UINT64_C(0x6d696e6861736831) /* "minhash1" */
#define OPEN UINT32_C(0x80000000)

/* splitmix64's finalizer: a bijection with full avalanche. */
static inline uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* Map the high 32 bits of z uniformly onto [0, n). */
static inline uint32_t range32(uint64_t z, uint32_t n)
{
    return (uint32_t)(((z >> 32) * n) >> 32);
}

void nd_minhash(const uint64_t *h, size_t n, int perm, uint32_t *sig)
{
    uint32_t N = perm > 0 ? (uint32_t)perm : 0;
    for (uint32_t i = 0; i < N; i++)
        sig[i] = ND_MINHASH_EMPTY;
    if (n == 0 || N == 0)
        return;

    /*
     * Round r hashes every element again with its own salt.  A value keeps
     * 31 bits; while its round runs it carries the top bit, so it is larger
     * than every final value (bins filled in earlier rounds stay as they
     * are).  An offer of exactly ND_MINHASH_EMPTY is lost, the same way in
     * every set.  The update is branch-free: on small sets the branch would
     * be a coin toss.  After 32 * N rounds (reached with probability about
     * e^-32) each element walks the bins in turn, so none is missed.
     */
    for (uint64_t r = 0;; r++) {
        uint64_t salt = MH_SEED + r * UINT64_C(0x9e3779b97f4a7c15);
        int walk = r >= (uint64_t)N * 32;
        for (size_t i = 0; i < n; i++) {
            uint64_t z = mix64(h[i] ^ salt);
            uint32_t b = walk ? (uint32_t)((h[i] + r) % N) : range32(z, N);
            uint32_t v = (uint32_t)z | OPEN;
            sig[b] = v < sig[b] ? v : sig[b];
        }
        uint32_t empty = 0;
        for (uint32_t i = 0; i < N; i++) {
            uint32_t e = sig[i] == ND_MINHASH_EMPTY;
            empty += e;
            sig[i] &= ~OPEN | (0u - e);
        }
        if (!empty)
            return;
    }
}

double nd_minhash_estimate(const uint32_t *a, const uint32_t *b, int perm)
{
    if (perm <= 0 || a[0] == ND_MINHASH_EMPTY || b[0] == ND_MINHASH_EMPTY)
        return 0.0;
    int eq = 0;
    for (int i = 0; i < perm; i++)
        eq += a[i] == b[i];
    return (double)eq / perm;
}
