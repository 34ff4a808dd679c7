/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Alignment of two normalized texts into shared passages.
 *
 * 1. Seeds: every min_run-gram of b goes into a hash table (gram hash ->
 *    positions); each min_run-gram of a looks its matches up.  Grams that
 *    occur more than max_occ times in b (runs of one character, tables)
 *    are skipped, which bounds the work at O(na * max_occ).
 * 2. Runs: matches on the same diagonal (j - i) at consecutive i form an
 *    exact common run.  last[] per diagonal makes this one pass over a.
 * 3. Chains: runs sorted by their start in a are chained greedily when the
 *    next run starts at most max_gap characters after the previous one
 *    ends on both sides (a small overlap, from a repeated character, is
 *    trimmed).  Gaps hold the edited characters of a modified copy.
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

void nd_align_default_params(nd_align_params *p, int min_passage)
{
    p->min_run = 5;
    p->core_run = 12;
    p->max_gap = 8;
    p->min_passage = min_passage;
    p->max_occ = 32;
    p->fuzzy_len = min_passage + min_passage / 6;
    p->fuzzy_sim = 0.8;
}

typedef struct slot {
    uint64_t key;
    int32_t head; /* first position in b, -1 when the slot is empty */
    int32_t count;
} slot;

typedef struct run {
    uint32_t a0, b0, len;
} run;

typedef struct chain {
    uint32_t a0, b0, a1, b1; /* span so far */
    uint32_t matched, core; /* core: characters in runs >= core_run */
} chain;

struct nd_aligner {
    ND_VEC(uint64_t) ha, hb;
    ND_VEC(slot) table;
    ND_VEC(int32_t) next;
    ND_VEC(int32_t) last, start; /* per diagonal */
    ND_VEC(run) runs;
    ND_VEC(chain) chains;
};

int nd_aligner_new(nd_aligner **out)
{
    *out = nd_calloc(1, sizeof **out);
    return *out ? ND_OK : ND_ENOMEM;
}

void nd_aligner_free(nd_aligner *al)
{
    if (!al)
        return;
    nd_vec_free(&al->ha);
    nd_vec_free(&al->hb);
    nd_vec_free(&al->table);
    nd_vec_free(&al->next);
    nd_vec_free(&al->last);
    nd_vec_free(&al->start);
    nd_vec_free(&al->runs);
    nd_vec_free(&al->chains);
    nd_free(al);
}

static int cmp_run(const void *x, const void *y)
{
    const run *a = x, *b = y;
    if (a->a0 != b->a0)
        return a->a0 < b->a0 ? -1 : 1;
    if (a->b0 != b->b0)
        return a->b0 < b->b0 ? -1 : 1;
    return 0;
}

/* Gram hashes of text t (n code points) into v; returns their count. */
static int gram_hashes(const uint32_t *t, size_t n, int k, void *vec)
{
    ND_VEC(uint64_t) *v = vec;
    size_t m = n >= (size_t)k ? n - (size_t)k + 1 : 0;
    ND_TRY(nd_vec_reserve(v, m + 1));
    if (m)
        nd_shingle_hashes(t, n, k, v->v);
    v->n = m;
    return ND_OK;
}

/*
 * Extend a chain's ends character by character through the edits that
 * seeds cannot see (a substitution a few characters from the end leaves a
 * run shorter than min_run): X-drop, +1 per match, -2 per mismatch, stop
 * 4 below the best score, keep the best.
 */
static void extend_chain(chain *c, const uint32_t *a, size_t na,
                         const uint32_t *b, size_t nb, int limit)
{
    int score = 0, best = 0, bestk = 0, bestm = 0, m = 0;
    for (int k = 1; k <= limit && (size_t)k <= c->a0 && (size_t)k <= c->b0;
         k++) {
        int eq = a[c->a0 - k] == b[c->b0 - k];
        score += eq ? 1 : -2;
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
    for (int k = 0; k < limit && c->a1 + k < na && c->b1 + k < nb; k++) {
        int eq = a[c->a1 + k] == b[c->b1 + k];
        score += eq ? 1 : -2;
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

static int emit_chain(const chain *c, const nd_align_params *p,
                      nd_span_vec *out)
{
    uint32_t span = ND_MAX(c->a1 - c->a0, c->b1 - c->b0);
    int core_ok = c->core >= (uint32_t)p->min_passage;
    int fuzzy_ok = p->fuzzy_len > 0 && span >= (uint32_t)p->fuzzy_len &&
                   c->matched >= p->fuzzy_sim * span;
    if (!core_ok && !fuzzy_ok)
        return ND_OK;
    nd_span s = {c->a0, c->a1, c->b0, c->b1, c->matched, !core_ok};
    return nd_vec_push(out, s);
}

int nd_align(nd_aligner *al, const nd_align_params *p, const uint32_t *a,
             size_t na, const uint32_t *b, size_t nb, nd_span_vec *out)
{
    const int k = p->min_run;
    ND_TRY(gram_hashes(a, na, k, &al->ha));
    ND_TRY(gram_hashes(b, nb, k, &al->hb));
    size_t ma = al->ha.n, mb = al->hb.n;
    if (!ma || !mb)
        return ND_OK;

    /* 1. Table of b's grams. */
    size_t cap = 16;
    while (cap < 2 * mb)
        cap *= 2;
    ND_TRY(nd_vec_reserve(&al->table, cap));
    ND_TRY(nd_vec_reserve(&al->next, mb));
    slot *tab = al->table.v;
    for (size_t i = 0; i < cap; i++)
        tab[i].head = -1;
    /* Insert from the end so that chains list positions in order. */
    for (size_t j = mb; j-- > 0;) {
        uint64_t h = al->hb.v[j];
        size_t s = (size_t)(h ^ h >> 29) & (cap - 1);
        while (tab[s].head >= 0 && tab[s].key != h)
            s = (s + 1) & (cap - 1);
        if (tab[s].head < 0) {
            tab[s].key = h;
            tab[s].count = 0;
            al->next.v[j] = -1;
        } else {
            al->next.v[j] = tab[s].head;
        }
        tab[s].head = (int32_t)j;
        tab[s].count++;
    }

    /* 2. Runs along diagonals d = j - i + ma. */
    size_t nd = ma + mb;
    ND_TRY(nd_vec_reserve(&al->last, nd));
    ND_TRY(nd_vec_reserve(&al->start, nd));
    int32_t *last = al->last.v, *start = al->start.v;
    for (size_t d = 0; d < nd; d++)
        last[d] = -2;
    al->runs.n = 0;
    for (size_t i = 0; i < ma; i++) {
        uint64_t h = al->ha.v[i];
        size_t s = (size_t)(h ^ h >> 29) & (cap - 1);
        while (tab[s].head >= 0 && tab[s].key != h)
            s = (s + 1) & (cap - 1);
        if (tab[s].head < 0 || tab[s].count > p->max_occ)
            continue;
        for (int32_t j = tab[s].head; j >= 0; j = al->next.v[j]) {
            size_t d = (size_t)j + ma - i;
            if (last[d] == (int32_t)i - 1) {
                last[d] = (int32_t)i;
                continue;
            }
            if (last[d] >= 0) {
                run r = {(uint32_t)start[d], (uint32_t)(start[d] + (int32_t)d
                         - (int32_t)ma), (uint32_t)(last[d] - start[d] + k)};
                ND_TRY(nd_vec_push(&al->runs, r));
            }
            last[d] = start[d] = (int32_t)i;
        }
    }
    for (size_t d = 0; d < nd; d++)
        if (last[d] >= 0) {
            run r = {(uint32_t)start[d],
                     (uint32_t)(start[d] + (int32_t)d - (int32_t)ma),
                     (uint32_t)(last[d] - start[d] + k)};
            ND_TRY(nd_vec_push(&al->runs, r));
        }
    if (!al->runs.n)
        return ND_OK;
    qsort(al->runs.v, al->runs.n, sizeof *al->runs.v, cmp_run);

    /* 3. Chains.  Active chains are those that a later run could still
     * extend; the others are finished and emitted in order. */
    const int64_t gap = p->max_gap, overlap = k - 1;
    al->chains.n = 0;
    size_t first_out = out->n;
    for (size_t r = 0; r < al->runs.n; r++) {
        run x = al->runs.v[r];
        /* Retire chains that ended too far before this run. */
        size_t w = 0;
        for (size_t c = 0; c < al->chains.n; c++) {
            chain *ch = &al->chains.v[c];
            if ((int64_t)ch->a1 + gap < (int64_t)x.a0) {
                extend_chain(ch, a, na, b, nb, 2 * p->max_gap);
                ND_TRY(emit_chain(ch, p, out));
            }
            else
                al->chains.v[w++] = *ch;
        }
        al->chains.n = w;
        chain *best = NULL;
        int64_t best_cost = 0;
        for (size_t c = 0; c < al->chains.n; c++) {
            chain *ch = &al->chains.v[c];
            int64_t ga = (int64_t)x.a0 - ch->a1, gb = (int64_t)x.b0 - ch->b1;
            if (ga < -overlap || gb < -overlap || ga > gap || gb > gap)
                continue;
            if (x.a0 + x.len <= ch->a1 || x.b0 + x.len <= ch->b1)
                continue; /* nothing new */
            int64_t cost = (ga > gb ? ga - gb : gb - ga) + ga + gb;
            if (!best || cost < best_cost) {
                best = ch;
                best_cost = cost;
            }
        }
        if (best) {
            int64_t ga = (int64_t)x.a0 - best->a1;
            int64_t gb = (int64_t)x.b0 - best->b1;
            uint32_t trim = (uint32_t)ND_MAX(0, ND_MAX(-ga, -gb));
            uint32_t len = x.len - trim;
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
        extend_chain(&al->chains.v[c], a, na, b, nb, 2 * p->max_gap);
        ND_TRY(emit_chain(&al->chains.v[c], p, out));
    }
    /* Chains finish out of order; callers want spans by a0. */
    size_t n = out->n - first_out;
    if (n > 1) {
        nd_span *s = out->v + first_out;
        for (size_t i = 1; i < n; i++) { /* few spans: insertion sort */
            nd_span t = s[i];
            size_t j = i;
            while (j > 0 && (s[j - 1].a0 > t.a0 ||
                             (s[j - 1].a0 == t.a0 && s[j - 1].b0 > t.b0))) {
                s[j] = s[j - 1];
                j--;
            }
            s[j] = t;
        }
    }
    return ND_OK;
}

size_t nd_winnow(const uint64_t *h, size_t n, int w, uint32_t *pos)
{
    if (!n)
        return 0;
    size_t win = (size_t)w < n ? (size_t)w : n, out = 0, mi = 0;
    size_t last = SIZE_MAX;
    /* Running minimum; rescanned only when it leaves the window, which is
     * O(w) at most once per w steps on random hashes. */
    for (size_t i = 0; i + win <= n; i++) {
        size_t end = i + win;
        if (i == 0 || mi < i) {
            mi = i;
            for (size_t j = i; j < end; j++)
                if (h[j] <= h[mi])
                    mi = j;
        } else if (h[end - 1] <= h[mi]) {
            mi = end - 1;
        }
        if (mi != last) {
            pos[out++] = (uint32_t)mi;
            last = mi;
        }
    }
    return out;
}

size_t nd_anchors(const uint32_t *cp, size_t n, uint64_t *h, uint32_t *pos)
{
    if (n < ND_ANCHOR_LEN)
        return 0;
    size_t m = n - ND_ANCHOR_LEN + 1;
    nd_shingle_hashes(cp, n, ND_ANCHOR_LEN, h);
    return nd_winnow(h, m, ND_ANCHOR_WIN, pos);
}
