/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Banded LSH over MinHash signatures: the band/row split for a threshold,
 * band keys (stored in indexes, so they are host-independent), and the
 * candidate pairs of a set of signatures.  Candidates come from sorting
 * (key, doc) entries band by band and walking the runs of equal keys; runs
 * longer than a cap become stars, so a bucket of thousands of identical
 * documents costs linear work, not quadratic.
 */
#include "lsh.h"

#include <math.h>
#include <string.h>

#include "minhash.h"
#include "shingle.h"
#include "util.h"


/* x^n for n >= 0 by squaring: exact powers are what the band split needs,
 * and pow() made nd_lsh_params a third of a check's CPU time. */
static double ipow(double x, int n)
{
    double r = 1.0;
    for (; n > 0; n >>= 1, x *= x)
        if (n & 1)
            r *= x;
    return r;
}

double nd_lsh_prob(double s, int bands, int rows)
{
    return 1.0 - ipow(1.0 - ipow(s, rows), bands);
}

/* Composite Simpson's rule on [lo, hi]; the integrands are smooth. */
#define SIMPSON_STEPS 512
static double area(double lo, double hi, int bands, int rows, int miss)
{
    double h = (hi - lo) / SIMPSON_STEPS, sum = 0;
    for (int i = 0; i <= SIMPSON_STEPS; i++) {
        double p = nd_lsh_prob(lo + i * h, bands, rows);
        double w = i == 0 || i == SIMPSON_STEPS ? 1 : i % 2 ? 4 : 2;
        sum += w * (miss ? 1 - p : p);
    }
    return sum * h / 3;
}

/*
 * Equal weights on false positives and false negatives, and the same search
 * order and tie rule (first minimum) as datasketch's _optimal_param, so the
 * two agree.  At t = 0.5, perm = 128 this gives 25 bands of 5 rows.
 */
void nd_lsh_search(double t, int perm, int *bands, int *rows)
{
    double best = INFINITY;
    *bands = 1;
    *rows = perm > 0 ? perm : 1;
    for (int b = 1; b <= perm; b++) {
        for (int r = 1; r <= perm / b; r++) {
            double err = area(0, t, b, r, 0) + area(t, 1, b, r, 1);
            if (err < best) {
                best = err;
                *bands = b;
                *rows = r;
            }
        }
    }
}

/* The splits nd_lsh_search gives for the default signature size and
 * thresholds of a tenth (test_lsh checks every one): the search takes
 * 4 ms, 5% of checking a draft with the command. */
static const struct {
    double t;
    int perm, bands, rows;
} known[] = {
    {0.1, 128, 64, 2}, {0.2, 128, 28, 2}, {0.3, 128, 37, 3},
    {0.4, 128, 32, 4}, {0.5, 128, 25, 5}, {0.6, 128, 18, 7},
    {0.7, 128, 14, 9}, {0.8, 128, 9, 13}, {0.9, 128, 5, 25},
};

void nd_lsh_params(double t, int perm, int *bands, int *rows)
{
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (known[i].t == t && known[i].perm == perm) {
            *bands = known[i].bands;
            *rows = known[i].rows;
            return;
        }
    nd_lsh_search(t, perm, bands, rows);
}

uint64_t nd_lsh_key(const uint32_t *sig, int band, int rows)
{
    return nd_hash_le32(sig + (size_t)band * (size_t)rows, (size_t)rows,
                        (uint64_t)band);
}

typedef nd_lsh_entry entry;

/*
 * Stable LSD radix sort by key, 8 bits per pass, skipping the passes whose
 * digit is the same for every entry.  Entries go in by ascending doc, so
 * they come out ordered by (key, doc).
 */
static void radix_sort(entry *e, entry *tmp, size_t n)
{
    size_t cnt[8][256];
    memset(cnt, 0, sizeof cnt);
    for (size_t i = 0; i < n; i++)
        for (int d = 0; d < 8; d++)
            cnt[d][(e[i].key >> (8 * d)) & 255]++;
    for (int d = 0; d < 8; d++) {
        size_t sum = 0;
        if (n == 0 || cnt[d][(e[0].key >> (8 * d)) & 255] == n)
            continue;
        for (int c = 0; c < 256; c++) {
            size_t k = cnt[d][c];
            cnt[d][c] = sum;
            sum += k;
        }
        for (size_t i = 0; i < n; i++)
            tmp[cnt[d][(e[i].key >> (8 * d)) & 255]++] = e[i];
        memcpy(e, tmp, n * sizeof *e);
    }
}

int nd_lsh_empty(const uint32_t *sig, int perm)
{
    for (int i = 0; i < perm; i++)
        if (sig[i] != ND_MINHASH_EMPTY)
            return 0;
    return 1;
}

int nd_lsh_bucket_pairs(const nd_lsh_entry *e, size_t n, size_t cap,
                        nd_u64_vec *out)
{
    for (size_t s = 0, t; s < n; s = t) {
        for (t = s + 1; t < n && e[t].key == e[s].key; t++)
            ;
        /* All pairs of a small bucket; a star from its lowest doc. */
        size_t last = t - s <= cap ? t - 1 : s + 1;
        for (size_t i = s; i < last; i++) {
            ND_TRY(nd_vec_reserve(out, out->n + (t - i - 1)));
            for (size_t j = i + 1; j < t; j++)
                out->v[out->n++] = (uint64_t)e[i].doc << 32 | e[j].doc;
        }
    }
    return ND_OK;
}

int nd_lsh_candidates(const uint32_t *sigs, size_t ndocs, int perm,
                      int bands, int rows, size_t cap, nd_docpair **pairs,
                      size_t *npairs)
{
    *pairs = NULL;
    *npairs = 0;
    if (bands < 1 || rows < 1 || perm < 1 || (int64_t)bands * rows > perm ||
        ndocs > UINT32_MAX)
        return ND_EINVAL;

    int rc = ND_ENOMEM;
    nd_u64_vec out = {0}; /* pairs as a << 32 | b */
    entry *e = nd_malloc((ndocs ? ndocs : 1) * sizeof *e);
    entry *tmp = nd_malloc((ndocs ? ndocs : 1) * sizeof *tmp);
    if (!e || !tmp)
        goto done;

    for (int band = 0; band < bands; band++) {
        size_t n = 0;
        for (size_t d = 0; d < ndocs; d++) {
            const uint32_t *sig = sigs + d * (size_t)perm;
            if (!nd_lsh_empty(sig, perm))
                e[n++] = (entry){nd_lsh_key(sig, band, rows), (uint32_t)d};
        }
        radix_sort(e, tmp, n);
        if (nd_lsh_bucket_pairs(e, n, cap, &out))
            goto done;
    }

    out.n = nd_hash_set(out.v, out.n);
    if (out.n) {
        nd_docpair *p = nd_malloc(out.n * sizeof *p);
        if (!p)
            goto done;
        for (size_t i = 0; i < out.n; i++)
            p[i] = (nd_docpair){(uint32_t)(out.v[i] >> 32),
                                (uint32_t)out.v[i]};
        *pairs = p;
        *npairs = out.n;
    }
    rc = ND_OK;
done:
    nd_vec_free(&out);
    nd_free(e);
    nd_free(tmp);
    return rc;
}
