/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Alignment of two normalized texts into shared passages.
 *
 * 1. Seeds: every min_run-gram of a goes into a hash table (kept while a
 *    stays the same from call to call), which lists its positions in a,
 *    and into a bloom filter.  The grams of b are hashed and tested
 *    against the filter without a branch; those that pass are looked up
 *    in the table, and the hits (b's grams that a has) kept in order of
 *    their position in b.  Grams that occur more than max_occ times in b
 *    (runs of one character, tables) are skipped, which bounds the work
 *    at O(na * max_occ).
 * 2. Runs: matches on the same diagonal (j - i) at consecutive j form an
 *    exact common run.  last[] per diagonal makes this one pass over the
 *    hits: the work is in the matches, not in the length of a.
 * 3. Chains: runs sorted by their start in a are chained greedily when the
 *    next run starts at most max_gap characters after the previous one
 *    ends on both sides (a small overlap, from a repeated character, is
 *    trimmed), or up to twice that on the same diagonal when at least half
 *    of the gap's characters are equal (a cluster of substitutions).  Gaps
 *    hold the edited characters of a modified copy; their characters in
 *    common (LCS) count as matched.  Chain ends are extended through edits
 *    near them, and chains that meet or nearly meet on both sides are
 *    joined (merge_gap).
 * 4. A chain is a passage when its runs of at least core_run characters
 *    match min_passage characters together (a passage is more than a
 *    string of common short phrases), or, for edited copies whose exact
 *    runs are short, when it matches fuzzy_len characters at a similarity
 *    of fuzzy_sim or more.
 *
 * This mirrors how the ground truth in ../shared/eval is defined (exact
 * seeds chained across small gaps), with shorter seeds so that edited
 * copies still chain.
 */
#include "align.h"

#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "shingle.h"

#if ND_HAVE_AVX512
#include <immintrin.h>
#endif

void nd_align_default_params(nd_align_params *p, int min_passage)
{
    p->min_run = 5;
    p->core_run = 12;
    p->max_gap = 8;
    p->min_passage = min_passage;
    p->max_occ = 32;
    p->fuzzy_len = min_passage + min_passage / 6;
    p->fuzzy_sim = 0.85;
    p->merge_gap = 2 * p->max_gap;
}

#define GAP_MAX 64 /* longest gap whose matches are counted */

typedef struct slot {
    uint64_t key;   /* a gram of a */
    int32_t ahead;  /* a position of it in a; the others follow in anext */
    uint16_t agen;  /* the slot holds a gram of a when agen == al->agen */
    uint8_t bcount; /* its positions in b (saturating) */
    uint8_t bgen;   /* bcount is for this b when bgen == al->bgen */
} slot;

typedef struct run {
    uint32_t a0, b0, len;
} run;

typedef struct chain {
    uint32_t a0, b0, a1, b1; /* span so far */
    uint32_t matched, core; /* core: characters in runs >= core_run */
} chain;

struct nd_aligner {
    ND_VEC(uint64_t) h;      /* gram hashes: a's, then b's that pass */
    ND_VEC(uint32_t) pos;    /* positions of b's grams that pass the bloom
                                filter, then of those a has (hits) */
    ND_VEC(uint32_t) hslot;  /* slot of each hit */
    ND_VEC(int32_t) anext;   /* next position of the same gram in a */
    /* The text whose grams the table holds, reused when the next call has
     * the same a (candidate pairs come sorted by a): named by the caller
     * (a_id), or a copy of it (a_copy, a_wide) to compare with. */
    ND_VEC(uint8_t) a_copy;
    uint64_t a_id;
    size_t a_n;
    int a_k, a_wide, a_ok;
    ND_VEC(slot) table;     /* a's grams; every allocated slot initialized */
    size_t cap;             /* slots in use (a power of two) */
    int shift;              /* slot of hash h: h >> shift */
    uint64_t *bloom;        /* 2^bloom_bits bits: the grams of a, so that
                               most grams of b that a lacks skip the table */
    int bloom_bits;
    uint16_t agen;
    uint8_t bgen;
    ND_VEC(int32_t) last, start; /* per diagonal; last.n: initialized */
    ND_VEC(uint32_t) touched;    /* diagonals with matches in this call */
    ND_VEC(run) runs, rtmp; /* rtmp: for sorting runs */
    ND_VEC(chain) chains;
    size_t shared; /* grams of b that a has, each once (last call) */
    int impl;      /* ND_ALIGN_SCALAR or ND_ALIGN_AVX512 (grams) */
};

int nd_align_has(int impl)
{
    switch (impl) {
    case ND_ALIGN_AUTO:
    case ND_ALIGN_SCALAR:
        return 1;
    case ND_ALIGN_AVX512:
        return nd_cpu_avx512();
    }
    return 0;
}

/* The kernels for new aligners: AVX-512 when the CPU has it, unless
 * ND_SIMD=scalar is set in the environment (nd_use_avx512). */
static int active(void)
{
    return nd_use_avx512() ? ND_ALIGN_AVX512 : ND_ALIGN_SCALAR;
}

int nd_aligner_new(nd_aligner **out)
{
    *out = nd_calloc(1, sizeof **out);
    if (*out)
        (*out)->impl = active();
    return *out ? ND_OK : ND_ENOMEM;
}

int nd_aligner_impl(const nd_aligner *al)
{
    return al->impl;
}

void nd_aligner_use(nd_aligner *al, int impl)
{
    al->impl = impl == ND_ALIGN_AUTO ? active() : impl;
}

void nd_aligner_free(nd_aligner *al)
{
    if (!al)
        return;
    nd_vec_free(&al->h);
    nd_vec_free(&al->pos);
    nd_vec_free(&al->hslot);
    nd_vec_free(&al->anext);
    nd_vec_free(&al->a_copy);
    nd_vec_free(&al->table);
    nd_free(al->bloom);
    nd_vec_free(&al->last);
    nd_vec_free(&al->start);
    nd_vec_free(&al->touched);
    nd_vec_free(&al->runs);
    nd_vec_free(&al->rtmp);
    nd_vec_free(&al->chains);
    nd_free(al);
}

/* Sort @p n elements of type T at @p v by (a0, b0), stable. */
#define INSERTION_SORT(T, v, n)                                            \
    do {                                                                   \
        T *v_ = (v);                                                       \
        for (size_t i_ = 1; i_ < (n); i_++) {                              \
            T t_ = v_[i_];                                                 \
            size_t j_ = i_;                                                \
            while (j_ > 0 && (v_[j_ - 1].a0 > t_.a0 ||                     \
                              (v_[j_ - 1].a0 == t_.a0 &&                   \
                               v_[j_ - 1].b0 > t_.b0))) {                  \
                v_[j_] = v_[j_ - 1];                                       \
                j_--;                                                      \
            }                                                              \
            v_[j_] = t_;                                                   \
        }                                                                  \
    } while (0)

/* Runs in order of (a0, b0) key: a0 above the bits of b0, @p bb. */
static inline uint64_t run_key(const run *r, int bb)
{
    return (uint64_t)r->a0 << bb | r->b0;
}

/*
 * Sort runs [0, n) by (a0, b0) (each pair once: the order is unique):
 * an insertion sort for a few, else a radix sort, a byte of the key a
 * pass, through @p tmp (n runs).  qsort's calls of a comparison took
 * more time than the rest of the chain stage.
 */
static void sort_runs(run *v, size_t n, run *tmp)
{
    if (n <= 32) {
        INSERTION_SORT(run, v, n);
        return;
    }
    uint32_t ma = 0, mb = 0;
    for (size_t i = 0; i < n; i++) {
        ma |= v[i].a0;
        mb |= v[i].b0;
    }
    int bb = 0, bits;
    while (bb < 32 && mb >> bb)
        bb++;
    for (bits = bb; bits < bb + 32 && ma >> (bits - bb); bits++)
        ;
    run *src = v, *dst = tmp;
    for (int shift = 0; shift < bits; shift += 8) {
        size_t cnt[257] = {0};
        for (size_t i = 0; i < n; i++)
            cnt[(run_key(&src[i], bb) >> shift & 0xFF) + 1]++;
        for (int d = 0; d < 256; d++)
            cnt[d + 1] += cnt[d];
        for (size_t i = 0; i < n; i++)
            dst[cnt[run_key(&src[i], bb) >> shift & 0xFF]++] = src[i];
        run *t = src;
        src = dst;
        dst = t;
    }
    if (src != v)
        memcpy(v, src, n * sizeof *v);
}

/*
 * Gram hashes.  They only key the seed table of one alignment (nothing
 * stores them), so a cheap hash does, as long as different grams collide
 * no more often than two random 64-bit values: the grams are packed
 * exactly into two words x and y, and h = x * C1 ^ y * C2 (odd C1, C2)
 * is one-to-one in x for each y.  The top bits of a product depend on
 * every bit of the factor, so the slot and the bloom filter's bit are
 * taken from the top of h (a mix of the low bits cost more than it
 * saved).  A gram of BMP characters packs 16 bits a character, four into
 * x (for 16-bit text, one load) and three more into y; a gram with a
 * character above U+FFFF packs 21 bits a character, three into x and
 * three into y, with other multipliers.  A text's width does not change
 * a gram's hash (a 32-bit text tests each gram), so texts of either
 * width can be aligned.  Longer grams fold the rest into y.  Every gram
 * is hashed on its own, so the loops run at the multiplier's throughput
 * rather than its latency (a rolling hash is one long chain of dependent
 * multiplications).
 */
#define HC1 UINT64_C(0x9E3779B97F4A7C15)
#define HC2 UINT64_C(0xC2B2AE3D27D4EB4F)
#define HC4 UINT64_C(0x165667B19E3779F9)
#define HC5 UINT64_C(0x27D4EB2F165667C5)
#define HFOLD UINT64_C(0xFF51AFD7ED558CCD)

/* Hash of a gram of k BMP characters c (16 or 32 bits each). */
#define GRAM_BMP(c, k)                                                     \
    uint64_t x = 0, y = 0;                                                 \
    int i = 0;                                                             \
    for (; i < (k) && i < 4; i++)                                          \
        x |= (uint64_t)(c)[i] << (16 * i);                                 \
    for (; i < (k) && i < 7; i++)                                          \
        y |= (uint64_t)(c)[i] << (16 * (i - 4));                           \
    for (; i < (k); i++) /* k > 7: not the default, fold the rest in */    \
        y = (y ^ (c)[i]) * HFOLD;                                          \
    return x * HC1 ^ y * HC2

static inline uint64_t gram_bmp16(const uint16_t *c, int k)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (k == 5) { /* the default min_run: four characters in one load */
        uint64_t x;
        memcpy(&x, c, sizeof x);
        return x * HC1 ^ (uint64_t)c[4] * HC2;
    }
#endif
    GRAM_BMP(c, k);
}

static inline uint64_t gram_bmp16_5(const uint16_t *c, int k)
{
    (void)k;
    return gram_bmp16(c, 5);
}

static inline uint64_t gram_bmp32(const uint32_t *c, int k)
{
    GRAM_BMP(c, k);
}

static inline uint64_t gram_hash32(const uint32_t *c, int k)
{
    uint32_t any = 0;
    for (int i = 0; i < k; i++)
        any |= c[i];
    if (any < 0x10000)
        return gram_bmp32(c, k);
    uint64_t x = 0, y = 0;
    int i = 0;
    for (; i < k && i < 3; i++)
        x |= (uint64_t)(c[i] & 0x1FFFFF) << (21 * i);
    for (; i < k && i < 6; i++)
        y |= (uint64_t)(c[i] & 0x1FFFFF) << (21 * (i - 3));
    for (; i < k; i++)
        y = (y ^ c[i]) * HFOLD;
    return x * HC4 ^ y * HC5;
}

#if ND_HAVE_AVX512
/*
 * gram_bmp16(c + j, 5) for 8 grams j0 .. j0 + 7 at once: the first four
 * characters of each gram are picked from one load of 16 characters
 * (vpermw), the fifth widened, and both multiplied in 64-bit lanes.
 * Reads c[j0 .. j0 + 15].
 */
ND_AVX512 static inline __m512i grams8(const uint16_t *c)
{
    const __m512i pick = _mm512_set_epi16(10, 9, 8, 7, 9, 8, 7, 6, 8, 7, 6,
                                          5, 7, 6, 5, 4, 6, 5, 4, 3, 5, 4,
                                          3, 2, 4, 3, 2, 1, 3, 2, 1, 0);
    __m512i t = _mm512_castsi256_si512(_mm256_loadu_si256((const void *)c));
    __m512i x = _mm512_permutexvar_epi16(pick, t);
    __m512i y = _mm512_cvtepu16_epi64(_mm_loadu_si128((const void *)(c + 4)));
    return _mm512_xor_si512(_mm512_mullo_epi64(x, _mm512_set1_epi64(HC1)),
                            _mm512_mullo_epi64(y, _mm512_set1_epi64(HC2)));
}

/* The grams of n characters c, 8 at a time while 16 characters remain to
 * be read; returns how many were hashed. */
ND_AVX512 static size_t gram_hashes16_5_avx512(const uint16_t *c,
                                               size_t n, uint64_t *h)
{
    size_t j = 0;
    for (; j + 16 <= n; j += 8)
        _mm512_storeu_si512((void *)(h + j), grams8(c + j));
    return j;
}
#endif

/* Hashes of the m grams of k characters of text t into h (@p impl: the
 * aligner's kernels). */
static void gram_hashes(const nd_atext *t, size_t m, int k, uint64_t *h,
                        int impl)
{
    if (t->c16 && k == 5) { /* the default min_run, unrolled */
        size_t i = 0;
#if ND_HAVE_AVX512
        if (impl == ND_ALIGN_AVX512)
            i = gram_hashes16_5_avx512(t->c16, t->n, h);
#endif
        for (; i < m; i++)
            h[i] = gram_bmp16(t->c16 + i, 5);
    } else if (t->c16) {
        for (size_t i = 0; i < m; i++)
            h[i] = gram_bmp16(t->c16 + i, k);
    } else if (k == 5) {
        for (size_t i = 0; i < m; i++)
            h[i] = gram_hash32(t->c32 + i, 5);
    } else {
        for (size_t i = 0; i < m; i++)
            h[i] = gram_hash32(t->c32 + i, k);
    }
}

#define SLOT(h, shift) ((size_t)((h) >> (shift)))
#define BLOOM_MAX 16 /* at most 2^16 bits (8 KB): stays in L1 */
#define BLOOM_BIT(h, bits) ((h) >> (64 - (bits)))
#define AHEAD 8 /* prefetch distance: the table is probed at random */

/*
 * The seed table holds the grams of a (@p ma of them, hashes in al->h)
 * and is built once for a run of calls with the same a (candidate pairs
 * come sorted by a), so it stays in cache while b changes; each slot
 * lists the positions of its gram in a.  Generations clear it in O(1).
 * At most a quarter of the slots are used: a probe that meets another
 * gram's slot is a branch mispredicted, and at half full (as before)
 * there were twice as many (100 MB corpus: 16.7 instead of 33.4 million
 * steps; verify stage, 1 thread, 0.66 -> 0.55 s).  The bloom filter
 * has about 16 bits a gram (up to 2^BLOOM_MAX bits), so that about 6% of
 * them are set.
 */
static int table_build(nd_aligner *al, size_t ma)
{
    size_t cap = 16;
    int shift = 60;
    while (cap < 4 * ma) {
        cap *= 2;
        shift--;
    }
    size_t old = al->table.cap;
    ND_TRY(nd_vec_reserve(&al->table, cap));
    ND_TRY(nd_vec_reserve(&al->anext, ma + 1));
    if (al->table.cap != old || al->agen == UINT16_MAX) {
        memset(al->table.v, 0, al->table.cap * sizeof *al->table.v);
        al->agen = 0;
        al->bgen = 0;
    }
    al->agen++;
    al->cap = cap;
    al->shift = shift;
    if (!al->bloom &&
        !(al->bloom = nd_malloc((UINT64_C(1) << BLOOM_MAX) / 8)))
        return ND_ENOMEM;
    int bits = 9;
    while (bits < BLOOM_MAX && (UINT64_C(1) << bits) < 16 * ma)
        bits++;
    al->bloom_bits = bits;
    memset(al->bloom, 0, (UINT64_C(1) << bits) / 8);
    slot *tab = al->table.v;
    const uint64_t *ha = al->h.v;
    for (size_t i = 0; i < ma; i++) {
        uint64_t h = ha[i], bit = BLOOM_BIT(h, bits);
        al->bloom[bit >> 6] |= UINT64_C(1) << (bit & 63);
        if (i + AHEAD < ma)
            __builtin_prefetch(&tab[SLOT(ha[i + AHEAD], shift)], 1);
        size_t s = SLOT(h, shift);
        while (tab[s].agen == al->agen && tab[s].key != h)
            s = (s + 1) & (cap - 1);
        if (tab[s].agen != al->agen) {
            tab[s].key = h;
            tab[s].agen = al->agen;
            tab[s].bgen = 0;
            al->anext.v[i] = -1;
        } else {
            al->anext.v[i] = tab[s].ahead;
        }
        tab[s].ahead = (int32_t)i;
    }
    return ND_OK;
}

/*
 * The grams of b that pass the bloom filter: their positions to al->pos,
 * their hashes to al->h, without a branch on the test (a gram of b is in
 * a or not at random, which a branch would mispredict).  Returns their
 * count.
 */
#define BLOOM_PASS(c, gram, from)                                          \
    for (size_t j = (from); j < mb; j++) {                                 \
        uint64_t h = gram((c) + j, k), bit = BLOOM_BIT(h, bits);           \
        hv[n] = h;                                                         \
        pv[n] = (uint32_t)j;                                               \
        n += bloom[bit >> 6] >> (bit & 63) & 1;                            \
    }

#if ND_HAVE_AVX512
/*
 * BLOOM_PASS of 16-bit text @p c (@p nb characters) for grams of 5, 8 at
 * a time while 16 characters remain to be read: the filter's words
 * gathered, the grams that pass compressed into @p hv and @p pv (8 lanes
 * written at n each time: both have room for 8 more than the grams).
 * Returns the grams that pass; *@p done: the grams tested.
 */
ND_AVX512 static size_t bloom_pass16_5_avx512(const uint16_t *c,
                                              size_t nb,
                                              const uint64_t *bloom, int bits,
                                              uint64_t *hv, uint32_t *pv,
                                              size_t *done)
{
    const __m128i shift = _mm_cvtsi32_si128(64 - bits);
    const __m512i low6 = _mm512_set1_epi64(63), one = _mm512_set1_epi64(1);
    __m256i pos = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256i eight = _mm256_set1_epi32(8);
    size_t n = 0, j = 0;
    for (; j + 16 <= nb; j += 8) {
        __m512i h = grams8(c + j), bit = _mm512_srl_epi64(h, shift);
        __m512i w = _mm512_i64gather_epi64(_mm512_srli_epi64(bit, 6),
                                           (const void *)bloom, 8);
        __mmask8 in = _mm512_test_epi64_mask(
            _mm512_srlv_epi64(w, _mm512_and_si512(bit, low6)), one);
        _mm512_storeu_si512((void *)(hv + n),
                            _mm512_maskz_compress_epi64(in, h));
        _mm256_storeu_si256((void *)(pv + n),
                            _mm256_maskz_compress_epi32(in, pos));
        n += (size_t)__builtin_popcount(in);
        pos = _mm256_add_epi32(pos, eight);
    }
    *done = j;
    return n;
}
#endif

static size_t bloom_pass(nd_aligner *al, const nd_atext *b, size_t mb, int k)
{
    const uint64_t *bloom = al->bloom;
    const int bits = al->bloom_bits;
    uint64_t *hv = al->h.v;
    uint32_t *pv = al->pos.v;
    size_t n = 0;
    if (b->c16 && k == 5) { /* the default min_run, unrolled */
        size_t j0 = 0;
#if ND_HAVE_AVX512
        if (al->impl == ND_ALIGN_AVX512)
            n = bloom_pass16_5_avx512(b->c16, b->n, bloom, bits, hv, pv, &j0);
#endif
        BLOOM_PASS(b->c16, gram_bmp16_5, j0)
    } else if (b->c16) {
        BLOOM_PASS(b->c16, gram_bmp16, 0)
    } else {
        BLOOM_PASS(b->c32, gram_hash32, 0)
    }
    return n;
}

/*
 * Look the @p n grams of b that passed the bloom filter (al->pos, al->h)
 * up in the table: those a has stay in al->pos, in order, with their
 * slots in al->hslot; each slot counts its positions in b, and al->shared
 * the grams of a that b has.  Returns the count of hits.
 */
static size_t find_hits(nd_aligner *al, size_t n)
{
    slot *tab = al->table.v;
    const size_t cap = al->cap;
    const int shift = al->shift;
    const uint8_t bgen = al->bgen;
    const uint16_t agen = al->agen;
    const uint64_t *hv = al->h.v;
    uint32_t *pv = al->pos.v, *sv = al->hslot.v;
    size_t shared = 0, m = 0;
    for (size_t t = 0; t < n; t++) {
        if (t + AHEAD < n)
            __builtin_prefetch(&tab[SLOT(hv[t + AHEAD], shift)]);
        uint64_t h = hv[t];
        size_t s = SLOT(h, shift);
        while (tab[s].agen == agen && tab[s].key != h)
            s = (s + 1) & (cap - 1);
        if (tab[s].agen != agen)
            continue; /* not a gram of a */
        if (tab[s].bgen != bgen) {
            tab[s].bgen = bgen;
            tab[s].bcount = 0;
            shared++;
        }
        tab[s].bcount += tab[s].bcount < UINT8_MAX;
        pv[m] = pv[t];
        sv[m++] = (uint32_t)s;
    }
    al->shared = shared;
    return m;
}
/* Character @p i of text @p t. */
static inline uint32_t at(const nd_atext *t, size_t i)
{
    return t->c16 ? t->c16[i] : t->c32[i];
}

/*
 * Extend a chain's ends character by character through the edits that
 * seeds cannot see (a substitution a few characters from the end leaves a
 * run shorter than min_run): X-drop, +1 per match, -1 per mismatch, stop
 * 4 below the best score, keep the best.  Two chance matches in a row are
 * rare, so an end grows through an edit only when the text goes on.
 */
/*
 * Do the 16-bit texts differ at each of the 5 characters from pa[0], pb[0]
 * on (pa[0..4], pb[0..4])?  Then an X-drop from there takes nothing: its
 * score falls 5 below the start at once.  Most chains are a chance
 * match of a few characters between unrelated texts, and this holds at
 * both of their ends.
 */
static inline int differ5(const uint16_t *pa, const uint16_t *pb)
{
    uint64_t x, y;
    memcpy(&x, pa, sizeof x);
    memcpy(&y, pb, sizeof y);
    x ^= y; /* a zero 16-bit lane: the same character */
    const uint64_t lo = UINT64_C(0x0001000100010001);
    return !((x - lo) & ~x & lo << 15) && pa[4] != pb[4];
}

static void extend_chain(chain *c, const nd_atext *a, const nd_atext *b,
                         int limit)
{
    const int both16 = a->c16 && b->c16 && limit >= 5;
    int score = 0, best = 0, bestk = 0, bestm = 0, m = 0, back = limit;
    if (both16 && c->a0 >= 5 && c->b0 >= 5 &&
        differ5(a->c16 + c->a0 - 5, b->c16 + c->b0 - 5))
        back = 0; /* nothing before */
    for (int k = 1; k <= back && (size_t)k <= c->a0 && (size_t)k <= c->b0;
         k++) {
        int eq = at(a, c->a0 - k) == at(b, c->b0 - k);
        score += eq ? 1 : -1;
        m += eq;
        if (score > best) {
            best = score;
            bestk = k;
            bestm = m;
        } else if (score < best - 4) {
            break;
        }
    }
    c->a0 -= (uint32_t)bestk;
    c->b0 -= (uint32_t)bestk;
    c->matched += (uint32_t)bestm;
    score = best = bestk = bestm = m = 0;
    if (both16 && c->a1 + 5 <= a->n && c->b1 + 5 <= b->n &&
        differ5(a->c16 + c->a1, b->c16 + c->b1))
        limit = 0; /* nothing after */
    for (int k = 0; k < limit && c->a1 + k < a->n && c->b1 + k < b->n;
         k++) {
        int eq = at(a, c->a1 + k) == at(b, c->b1 + k);
        score += eq ? 1 : -1;
        m += eq;
        if (score > best) {
            best = score;
            bestk = k + 1;
            bestm = m;
        } else if (score < best - 4) {
            break;
        }
    }
    c->a1 += (uint32_t)bestk;
    c->b1 += (uint32_t)bestk;
    c->matched += (uint32_t)bestm;
}

/*
 * Characters that still match inside a gap between two runs, a's from
 * @p ia and b's from @p ib (na and nb long, at most max_gap): the longest
 * common subsequence, so that a similarity counts the unedited characters
 * between nearby edits too.
 */
static uint32_t gap_matches(const nd_atext *a, size_t ia, size_t na,
                            const nd_atext *b, size_t ib, size_t nb)
{
    uint8_t row[GAP_MAX + 1] = {0};
    uint32_t bc[GAP_MAX];
    if (na > GAP_MAX || nb > GAP_MAX)
        return 0;
    for (size_t j = 0; j < nb; j++)
        bc[j] = at(b, ib + j);
    for (size_t i = 0; i < na; i++) {
        const uint32_t ac = at(a, ia + i);
        uint8_t diag = 0;
        for (size_t j = 0; j < nb; j++) {
            uint8_t up = row[j + 1];
            row[j + 1] = ac == bc[j] ? (uint8_t)(diag + 1)
                                     : ND_MAX(up, row[j]);
            diag = up;
        }
    }
    return row[nb];
}

/* Positions where a from @p ia and b from @p ib (n characters each) hold
 * the same character. */
static size_t same_chars(const nd_atext *a, size_t ia, const nd_atext *b,
                         size_t ib, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += at(a, ia + i) == at(b, ib + i);
    return k;
}

static int emit_chain(const chain *c, const nd_align_params *p,
                      nd_span_vec *out)
{
    uint32_t span = ND_MAX(c->a1 - c->a0, c->b1 - c->b0);
    /* Matched characters lie on both sides. */
    uint32_t matched = ND_MIN(c->matched, ND_MIN(c->a1 - c->a0,
                                                 c->b1 - c->b0));
    int core_ok = c->core >= (uint32_t)p->min_passage;
    int fuzzy_ok = p->fuzzy_len > 0 && span >= (uint32_t)p->fuzzy_len &&
                   matched >= p->fuzzy_sim * span;
    if (!core_ok && !fuzzy_ok)
        return ND_OK;
    nd_span s = {c->a0, c->a1, c->b0, c->b1, matched, !core_ok};
    return nd_vec_push(out, s);
}

/*
 * Join passages that follow each other on both sides across a gap of at
 * most @p gap characters, or overlap along the same diagonal (an end
 * extension reaches into the next chain): a copy with a cluster of edits
 * is one passage, not two.  Spans [first, n) are sorted by a0.
 */
static void merge_spans(nd_span_vec *v, size_t first,
                        const nd_align_params *p)
{
    const int64_t gap = p->merge_gap;
    if (v->n - first < 2)
        return;
    size_t w = first;
    for (size_t i = first + 1; i < v->n; i++) {
        nd_span *s = &v->v[w], t = v->v[i];
        int64_t ga = (int64_t)t.a0 - s->a1, gb = (int64_t)t.b0 - s->b1;
        int64_t shift = ga > gb ? ga - gb : gb - ga;
        if (ga <= gap && gb <= gap && shift <= gap && t.b0 >= s->b0) {
            /* Characters in the overlap were counted by both. */
            nd_span m = *s;
            m.a1 = ND_MAX(s->a1, t.a1);
            m.b1 = ND_MAX(s->b1, t.b1);
            int64_t k = (int64_t)s->matched + t.matched -
                        ND_MAX(0, -ND_MIN(ga, gb));
            k = ND_MAX(k, (int64_t)ND_MAX(s->matched, t.matched));
            m.matched = (uint32_t)ND_MIN(k, (int64_t)ND_MIN(m.a1 - m.a0,
                                                            m.b1 - m.b0));
            m.fuzzy = s->fuzzy && t.fuzzy;
            /* The joined passage must be one by the edited-copy rule
             * too: two edited pieces with a rewritten clause between
             * them stay two. */
            uint32_t span = ND_MAX(m.a1 - m.a0, m.b1 - m.b0);
            if (!m.fuzzy || m.matched >= p->fuzzy_sim * span) {
                *s = m;
                continue;
            }
        }
        v->v[++w] = t;
    }
    v->n = w + 1;
}

size_t nd_aligner_shared(const nd_aligner *al)
{
    return al->shared;
}

/* Is @p a the text whose grams of @p k characters the table holds? */
static int same_a(const nd_aligner *al, const nd_atext *a, int k)
{
    if (!al->a_ok || k != al->a_k || a->n != al->a_n ||
        a->id != al->a_id || (!a->c16) != al->a_wide)
        return 0;
    if (a->id || !a->n)
        return 1;
    return !memcmp(a->c16 ? (const void *)a->c16 : (const void *)a->c32,
                   al->a_copy.v, a->n * (a->c16 ? 2 : 4));
}

/* The table of a's grams, unless it holds them already (same_a). */
static int set_a(nd_aligner *al, const nd_atext *a, int k, size_t ma)
{
    if (same_a(al, a, k))
        return ND_OK;
    al->a_ok = 0;
    ND_TRY(nd_vec_reserve(&al->h, ma + 1));
    gram_hashes(a, ma, k, al->h.v, al->impl);
    ND_TRY(table_build(al, ma));
    if (!a->id && a->n) {
        size_t bytes = a->n * (a->c16 ? 2 : 4);
        ND_TRY(nd_vec_reserve(&al->a_copy, bytes));
        memcpy(al->a_copy.v, a->c16 ? (const void *)a->c16
                                    : (const void *)a->c32, bytes);
    }
    al->a_id = a->id;
    al->a_n = a->n;
    al->a_k = k;
    al->a_wide = !a->c16;
    al->a_ok = 1;
    return ND_OK;
}

int nd_align(nd_aligner *al, const nd_align_params *p, const uint32_t *a,
             size_t na, const uint32_t *b, size_t nb, nd_span_vec *out)
{
    nd_atext ta = {NULL, a, na, 0}, tb = {NULL, b, nb, 0};
    return nd_align_text(al, p, &ta, &tb, out);
}

int nd_align_text(nd_aligner *al, const nd_align_params *p,
                  const nd_atext *a, const nd_atext *b, nd_span_vec *out)
{
    const int k = p->min_run;
    const size_t na = a->n, nb = b->n;
    size_t ma = na >= (size_t)k ? na - (size_t)k + 1 : 0;
    size_t mb = nb >= (size_t)k ? nb - (size_t)k + 1 : 0;
    ND_TRY(set_a(al, a, k, ma));
    al->shared = 0;
    if (!ma || !mb)
        return ND_OK;

    /* 1. b's grams that a has (hits), in order, each with its slot (8
     * more: bloom_pass16_5_avx512 writes 8 lanes at a time). */
    ND_TRY(nd_vec_reserve(&al->h, mb + 8));
    ND_TRY(nd_vec_reserve(&al->pos, mb + 8));
    ND_TRY(nd_vec_reserve(&al->hslot, mb));
    if (al->bgen == UINT8_MAX) {
        for (size_t i = 0; i < al->table.cap; i++)
            al->table.v[i].bgen = 0;
        al->bgen = 0;
    }
    al->bgen++;
    size_t nhit = find_hits(al, bloom_pass(al, b, mb, k));
    const slot *tab = al->table.v;
    const uint32_t *hpos = al->pos.v, *hslot = al->hslot.v;
    const int32_t *anext = al->anext.v;
    /* bcount saturates: a max_occ of 255 or more means no limit. */
    const int max_occ = p->max_occ;

    /* 2. Runs along diagonals d = j - i + ma, b's hits in order: a match
     * (i, j) continues the run on its diagonal that ended at j - 1.
     * last[] stays -2 between calls except on the diagonals this call
     * touches (listed), so the work is in the matches, not in the length
     * of the texts. */
    size_t nd = ma + mb;
    ND_TRY(nd_vec_reserve(&al->last, nd));
    ND_TRY(nd_vec_reserve(&al->start, nd));
    int32_t *last = al->last.v, *start = al->start.v;
    for (; al->last.n < al->last.cap; al->last.n++)
        last[al->last.n] = -2;
    al->runs.n = 0;
    al->touched.n = 0;
    int rc = ND_OK;
    for (size_t t = 0; !rc && t < nhit; t++) {
        const slot *sl = &tab[hslot[t]];
        if (sl->bcount > max_occ && max_occ < 255)
            continue;
        const int32_t j = (int32_t)hpos[t];
        for (int32_t i = sl->ahead; !rc && i >= 0; i = anext[i]) {
            size_t d = (size_t)j + ma - (size_t)i;
            if (last[d] == j - 1) {
                last[d] = j;
                continue;
            }
            if (last[d] >= 0) {
                run r = {(uint32_t)(start[d] + (int32_t)ma - (int32_t)d),
                         (uint32_t)start[d],
                         (uint32_t)(last[d] - start[d] + k)};
                rc = nd_vec_push(&al->runs, r);
            } else if ((rc = nd_vec_push(&al->touched, (uint32_t)d))) {
                break;
            }
            last[d] = start[d] = j;
        }
    }
    for (size_t t = 0; t < al->touched.n; t++) {
        size_t d = al->touched.v[t];
        if (!rc && last[d] >= 0) {
            run r = {(uint32_t)(start[d] + (int32_t)ma - (int32_t)d),
                     (uint32_t)start[d],
                     (uint32_t)(last[d] - start[d] + k)};
            rc = nd_vec_push(&al->runs, r);
        }
        last[d] = -2;
    }
    if (rc)
        return rc;
    if (!al->runs.n)
        return ND_OK;
    ND_TRY(nd_vec_reserve(&al->rtmp, al->runs.n));
    sort_runs(al->runs.v, al->runs.n, al->rtmp.v);

    /* 3. Chains.  Active chains are those that a later run could still
     * extend; the others are finished and emitted in order. */
    const int64_t gap = p->max_gap, overlap = k - 1;
    const int64_t sgap = 2 * p->max_gap; /* same diagonal, mostly equal */
    al->chains.n = 0;
    size_t first_out = out->n;
    for (size_t r = 0; r < al->runs.n; r++) {
        run x = al->runs.v[r];
        /* Retire chains that ended too far before this run (none of
         * them could take it), and find the chain that takes it best. */
        size_t w = 0;
        chain *best = NULL;
        int64_t best_cost = 0;
        for (size_t c = 0; c < al->chains.n; c++) {
            chain *ch = &al->chains.v[c];
            if ((int64_t)ch->a1 + ND_MAX(gap, sgap) < (int64_t)x.a0) {
                extend_chain(ch, a, b, 2 * p->max_gap);
                ND_TRY(emit_chain(ch, p, out));
                continue;
            }
            if (w != c)
                al->chains.v[w] = *ch;
            ch = &al->chains.v[w++];
            int64_t ga = (int64_t)x.a0 - ch->a1, gb = (int64_t)x.b0 - ch->b1;
            if (ga < -overlap || gb < -overlap)
                continue;
            if ((ga > gap || gb > gap) &&
                (ga != gb || ga > sgap ||
                 2 * same_chars(a, ch->a1, b, ch->b1, (size_t)ga) <
                     (size_t)ga))
                continue; /* a longer gap: substitutions only */
            if (x.a0 + x.len <= ch->a1 || x.b0 + x.len <= ch->b1)
                continue; /* nothing new */
            int64_t cost = (ga > gb ? ga - gb : gb - ga) + ga + gb;
            if (!best || cost < best_cost) {
                best = ch;
                best_cost = cost;
            }
        }
        al->chains.n = w;
        if (best) {
            int64_t ga = (int64_t)x.a0 - best->a1;
            int64_t gb = (int64_t)x.b0 - best->b1;
            uint32_t trim = (uint32_t)ND_MAX(0, ND_MAX(-ga, -gb));
            uint32_t len = x.len - trim;
            if (ga > 0 && gb > 0)
                best->matched += gap_matches(a, best->a1, (size_t)ga,
                                             b, best->b1, (size_t)gb);
            best->a1 = x.a0 + x.len;
            best->b1 = x.b0 + x.len;
            best->matched += len;
            if (len >= (uint32_t)p->core_run)
                best->core += len;
            continue;
        }
        chain nc = {x.a0, x.b0, x.a0 + x.len, x.b0 + x.len, x.len,
                    x.len >= (uint32_t)p->core_run ? x.len : 0};
        ND_TRY(nd_vec_push(&al->chains, nc));
    }
    for (size_t c = 0; c < al->chains.n; c++) {
        extend_chain(&al->chains.v[c], a, b, 2 * p->max_gap);
        ND_TRY(emit_chain(&al->chains.v[c], p, out));
    }
    /* Chains finish out of order; callers want spans by a0. */
    size_t n = out->n - first_out;
    if (n > 1) /* few spans */
        INSERTION_SORT(nd_span, out->v + first_out, n);
    merge_spans(out, first_out, p);
    return ND_OK;
}

#if ND_HAVE_AVX512
/*
 * The windows of @p win hashes starting at 0, 1, ... of h (n hashes), 8
 * at a time while the 8 windows lie in h: the minimum of each (vpminuq
 * over its hashes), its rightmost position (the last hash equal to it),
 * and the positions that differ from the one before (@p *last, then the
 * lane before) compressed into @p pos.  Returns the positions written;
 * *@p done: the windows done.
 */
ND_AVX512 static size_t winnow_avx512(const uint64_t *h, size_t n,
                                      size_t win, uint32_t *pos,
                                      size_t *last, size_t *done)
{
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256i rot = _mm256_setr_epi32(7, 0, 1, 2, 3, 4, 5, 6);
    size_t out = 0, i = 0;
    uint32_t prev = *last == SIZE_MAX ? UINT32_MAX : (uint32_t)*last;
    for (; i + 8 + win - 1 <= n; i += 8) {
        __m512i m = _mm512_loadu_si512((const void *)(h + i));
        for (size_t o = 1; o < win; o++)
            m = _mm512_min_epu64(
                m, _mm512_loadu_si512((const void *)(h + i + o)));
        __m256i at = _mm256_add_epi32(lane, _mm256_set1_epi32((int)i));
        __m256i p = at;
        for (size_t o = 1; o < win; o++) {
            __mmask8 eq = _mm512_cmpeq_epi64_mask(
                _mm512_loadu_si512((const void *)(h + i + o)), m);
            p = _mm256_mask_mov_epi32(
                p, eq, _mm256_add_epi32(at, _mm256_set1_epi32((int)o)));
        }
        /* Each lane's predecessor: the lane before, prev for lane 0. */
        __m256i before = _mm256_mask_mov_epi32(
            _mm256_permutexvar_epi32(rot, p), 1,
            _mm256_set1_epi32((int)prev));
        __mmask8 fresh = _mm256_cmpneq_epi32_mask(p, before);
        _mm256_storeu_si256((void *)(pos + out),
                            _mm256_maskz_compress_epi32(fresh, p));
        out += (size_t)__builtin_popcount(fresh);
        prev = (uint32_t)_mm256_extract_epi32(p, 7);
    }
    if (i)
        *last = prev;
    *done = i;
    return out;
}
#endif

size_t nd_winnow_impl(int impl, const uint64_t *h, size_t n, int w,
                      uint32_t *pos)
{
    if (!n)
        return 0;
    size_t win = (size_t)w < n ? (size_t)w : n, out = 0, mi = 0;
    size_t last = SIZE_MAX, i0 = 0;
    uint64_t m = 0; /* h[mi] */
#if ND_HAVE_AVX512
    if (impl == ND_ALIGN_AVX512 && win > 1) {
        out = winnow_avx512(h, n, win, pos, &last, &i0);
        mi = last; /* the next window rescans unless it holds it */
        m = i0 ? h[mi] : 0;
    }
#endif
    (void)impl;
    /* Running minimum; rescanned only when it leaves the window, which is
     * O(w) at most once per w steps on random hashes.  Which hash is the
     * smaller is a coin toss: selects, not branches (a third less time on
     * random hashes), and every position written, kept when new. */
    for (size_t i = i0; i + win <= n; i++) {
        size_t end = i + win;
        if (i == 0 || mi < i) {
            mi = i;
            m = h[i];
            for (size_t j = i + 1; j < end; j++) {
                int le = h[j] <= m;
                mi = le ? j : mi;
                m = le ? h[j] : m;
            }
        } else {
            int le = h[end - 1] <= m;
            mi = le ? end - 1 : mi;
            m = le ? h[end - 1] : m;
        }
        pos[out] = (uint32_t)mi;
        out += mi != last;
        last = mi;
    }
    return out;
}

size_t nd_winnow(const uint64_t *h, size_t n, int w, uint32_t *pos)
{
    return nd_winnow_impl(active(), h, n, w, pos);
}

size_t nd_anchors(const uint32_t *cp, size_t n, uint64_t *h, uint32_t *pos)
{
    if (n < ND_ANCHOR_LEN)
        return 0;
    size_t m = n - ND_ANCHOR_LEN + 1;
    nd_shingle_hashes(cp, n, ND_ANCHOR_LEN, h);
    return nd_winnow(h, m, ND_ANCHOR_WIN, pos);
}
