/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * The corpus-wide scan: sign every document, gather candidate pairs from
 * document-level LSH and from passage anchors, verify and align each pair,
 * tell boilerplate from copying by document frequency, and report.
 *
 * Passage candidates.  Each document's anchor-length grams are winnowed
 * into anchors (content-defined, so a copy starting mid-sentence selects
 * the same anchors).  Anchors are bucketed by hash: a bucket's size is the
 * anchor's document frequency.  Buckets of at most max_df documents pair
 * all their documents; a larger bucket pairs only its first document with
 * each other one (a star), so a passage in 10,000 documents costs 9,999
 * alignments, not 50 million, and still finds every occurrence.
 *
 * Boilerplate.  A passage's df is the smallest df of the anchors inside it
 * (no document can hold the passage without all of its anchors).  Passages
 * above max_df are grouped across pairs by their overlapping occurrences
 * and reported once, with every occurrence.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#if defined(__GLIBC__)
#include <malloc.h> /* malloc_trim */
#endif

#include "align.h"
#include "internal.h"
#include "lsh.h"
#include "minhash.h"
#include "pool.h"
#include "scan.h"
#include "shingle.h"
#include "xdrop.h"

#define ANCHOR_LEN ND_ANCHOR_LEN /* characters per anchor gram */
#define ANCHOR_WIN ND_ANCHOR_WIN /* winnowing window, in grams */
#define LSH_CAP ND_SCAN_LSH_CAP
#define PAIR_CAP ND_SCAN_PAIR_CAP

typedef nd_anchor anchor;
typedef nd_hit hit;
typedef nd_adf adf;

typedef nd_pres pres;

typedef struct occ { /* one side of a passage */
    uint32_t doc, s, e; /* character range */
    uint32_t node;      /* union-find node, then group rank */
} occ;

typedef struct scan {
    nd_corpus *c;
    const nd_settings *set;
    int threads;
    size_t nd;
    size_t *nsets;   /* shingle set sizes per document */
    uint32_t *sigs;
    nd_adf_vec adfs;        /* anchors with their df, until indexed */
    nd_adfs st;             /* anchors, by (doc, pos) */
    ND_VEC(uint64_t) cands; /* (a << 32 | b) candidate pairs */
    ND_VEC(uint64_t) lsh;   /* those from document LSH, sorted */
    ND_VEC(pres) pas;
    ND_VEC(nd_pair) pairs;  /* every verified candidate */
    ND_VEC(occ) occ;        /* passage sides, by (group, doc, start) */
    uint32_t ngroups;
    const nd_scan_src *src; /* the report's texts and trimming, or NULL */
    int asking;             /* report pass that only collects spans */
    ND_VEC(nd_span_q) spans; /* the records' questions, in record order */
    nd_reader rd;           /* the files quoted, held open */
    int ahead;              /* texts read a window ahead on the threads */
    nd_reader *rds;         /* ... with a reader each (threads of them) */
    pthread_t rtid;         /* reading the window after this one ... */
    int rbusy, rrc;         /* ... while rbusy; its outcome */
    size_t r0, r1;          /* ... which is spans [r0, r1) */
    size_t next, win0, win1; /* next one to use; window being answered */
} scan;

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

int nd_anchor_cmp(const void *x, const void *y)
{
    const anchor *a = x, *b = y;
    if (a->h != b->h)
        return a->h < b->h ? -1 : 1;
    if (a->doc != b->doc)
        return a->doc < b->doc ? -1 : 1;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static int cmp_adf(const void *x, const void *y)
{
    const adf *a = x, *b = y;
    if (a->doc != b->doc)
        return a->doc < b->doc ? -1 : 1;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

int nd_scan_sign(const nd_settings *set, const uint32_t *cp, uint32_t n,
                 uint32_t *sig, size_t *nset)
{
    size_t m = nd_shingle_count(n, set->shingle);
    size_t cap = nd_hash_distinct_cap(m);
    uint64_t *h = nd_malloc((m + 1 + cap) * sizeof *h);
    *nset = 0;
    if (!h)
        return ND_ENOMEM;
    /* The set first: the signature depends only on it, and rounds over
     * repeats cost rounds x length (one repeated character: ~700 rounds
     * over every shingle). */
    nd_shingle_hashes(cp, n, set->shingle, h);
    *nset = nd_hash_distinct(h, m, h + m + 1);
    nd_minhash(h, *nset, set->perm, sig);
    nd_free(h);
    return ND_OK;
}

/* MinHash signature and shingle count of document @p i (a pool task).
 * Its shingle set is not kept: 8 bytes a character for every document,
 * when verification needs a few at a time (pair_shared). */
static int sign_doc(void *user, size_t i, int worker)
{
    scan *S = user;
    const nd_doc *d = &S->c->docs.v[i];
    nd_cpbuf buf = {0};
    const uint32_t *cp = nd_doc_text(d, 0, d->n, &buf);
    int rc = cp ? nd_scan_sign(S->set, cp, d->n,
                               S->sigs + i * (size_t)S->set->perm,
                               &S->nsets[i])
                : ND_ENOMEM;
    nd_vec_free(&buf);
    return rc;
}

/* MinHash signatures of every document, in parallel. */
static int sign_all(scan *S)
{
    const int perm = S->set->perm;
    S->nsets = nd_calloc(S->nd + 1, sizeof *S->nsets);
    S->sigs = nd_malloc((S->nd + 1) * (size_t)perm * sizeof *S->sigs);
    if (!S->nsets || !S->sigs)
        return ND_ENOMEM;
    nd_progress(S->c->ctx, ND_STAGE_SIGN, 0, S->nd, 0);
    int rc = nd_pool_run(S->threads, S->nd, 16, sign_doc, S);
    nd_progress(S->c->ctx, ND_STAGE_SIGN, S->nd, S->nd, 0);
    return rc;
}

static int push_pair(scan *S, uint32_t a, uint32_t b)
{
    if (a == b)
        return ND_OK;
    uint64_t key = a < b ? (uint64_t)a << 32 | b : (uint64_t)b << 32 | a;
    return nd_vec_push(&S->cands, key);
}

static int push_hit(nd_hit_vec *v, const anchor *x, const anchor *y)
{
    if (x->doc == y->doc)
        return ND_OK;
    const anchor *a = x->doc < y->doc ? x : y, *b = a == x ? y : x;
    hit h = {(uint64_t)a->doc << 32 | b->doc, a->pos, b->pos};
    return nd_vec_push(v, h);
}

static int cmp_hit(const void *x, const void *y)
{
    const hit *a = x, *b = y;
    if (a->pair != b->pair)
        return a->pair < b->pair ? -1 : 1;
    if (a->pa != b->pa)
        return a->pa < b->pa ? -1 : 1;
    return a->pb < b->pb ? -1 : a->pb > b->pb;
}

/* Back from the character before p and q (at most @p back), then on from
 * them (up to @p on) unless @p need is met: X-drop with @p xd. */
#define XDROP_BOTH(xd, p, q)                                               \
    (total = xd(p, q, 1, back, -1, 0, need),                               \
     total < need ? total + xd(p, q, 0, on, 1, total, need) : total)

/*
 * Characters that match along the diagonal of a hit on both sides of its
 * anchor, through edits (X-drop: +1 a match, -1 a mismatch, stop 6 below
 * the best), at most 4 min_passage each way: what a copy around the anchor
 * keeps, substitutions or not.  A phrase two speeches happen to share ends
 * a few characters after its anchor.  Counting stops at @p need: the
 * result is the count, or at least need once that is reached.
 */
/*
 * A document's text as the hit test reads it: 16 bytes each, where an
 * nd_doc is 128 (1.4 MB for the 90,751 documents of the 1 GB corpus,
 * which stay in the caches, instead of 11.6 MB).
 */
typedef struct tref {
    const void *t; /* d->c16 or d->cp */
    uint32_t n;
    uint32_t wide; /* t is d->cp */
} tref;

/* The trefs of @p n documents @p docs (nd_free them). */
static tref *trefs_new(const nd_doc *docs, size_t n)
{
    tref *tr = nd_malloc((n + 1) * sizeof *tr);
    for (size_t i = 0; tr && i < n; i++) {
        tr[i].t = nd_doc_addr(&docs[i], 0);
        tr[i].n = docs[i].n;
        tr[i].wide = !docs[i].c16;
    }
    return tr;
}

static inline const void *tref_addr(const tref *r, size_t i)
{
    return (const char *)r->t + (i << (r->wide ? 2 : 1));
}

/* Matches the diagonal test asks for. */
static inline uint32_t diag_need(int min_passage)
{
    return (uint32_t)min_passage * 3 / 5;
}

/* pa and pb of a hit whose diagonal test failed (no anchor starts there:
 * a text has at most UINT32_MAX characters and an anchor several). */
#define HIT_FAILS UINT32_MAX

static uint32_t diag_matches(const tref *tr, int min_passage, const hit *x,
                             uint32_t need)
{
    const tref *ra = &tr[x->pair >> 32], *rb = &tr[(uint32_t)x->pair];
    const int64_t limit = 4 * (int64_t)min_passage;
    /* Back from the character before the anchor, then on from it. */
    int64_t back = ND_MIN(limit, (int64_t)ND_MIN(x->pa, x->pb));
    int64_t on = ND_MIN(limit, (int64_t)ND_MIN(ra->n - x->pa,
                                              rb->n - x->pb) - 1);
    uint32_t total;
    const uint16_t *ha = ra->wide ? NULL : (const uint16_t *)ra->t + x->pa;
    const uint16_t *hb = rb->wide ? NULL : (const uint16_t *)rb->t + x->pb;
    const uint32_t *wa = ra->wide ? (const uint32_t *)ra->t + x->pa : NULL;
    const uint32_t *wb = rb->wide ? (const uint32_t *)rb->t + x->pb : NULL;
    if (ha && hb)
        return XDROP_BOTH(nd_xdrop_hh, ha, hb);
    if (ha)
        return XDROP_BOTH(nd_xdrop_hw, ha, wb);
    if (hb)
        return XDROP_BOTH(nd_xdrop_wh, wa, hb);
    return XDROP_BOTH(nd_xdrop_ww, wa, wb);
}

/*
 * Candidates from shared anchors.  One shared anchor is what two speeches
 * on the same subject often share by chance (a stock phrase of eight
 * characters); a copied passage keeps most of its characters on the
 * anchor's diagonal, edited or not.  A pair is a candidate when along the
 * diagonal of one of its hits at least 3/5 of min_passage characters
 * match.  This is O(min_passage) per hit instead of an alignment of two
 * whole documents per pair.  On a generated 5 MB corpus (452 speeches):
 * 25,366 candidates became 7,566 at 1/2, the same passages found.  On the
 * generated 100 MB corpus, 3/5 instead of 1/2 cuts the candidates from
 * 294,020 to 98,955 and alignment time by about 60% for 6 fewer passages
 * of 16,827 (10 MB corpus: recall .792 -> .791; ../shared/seeds, the
 * gov-reports corpus and corpus/sample score the same); 2/3 loses recall
 * on real speeches whose copies are edited (seeds: 1.00 -> .975), and 4/5
 * more (.89).
 *
 * Most pairs that pass share one or two anchors, a stock phrase of 18 to
 * 29 characters that is no passage.  Such a pair (fewer than LOCAL_HITS
 * hits) is a candidate only when the alignment of the texts around a
 * passing hit (4 min_passage each way, what the diagonal test reads)
 * holds a passage.  Pairs with more hits are aligned whole, as before:
 * documents that share several phrases are where edited copies without
 * an anchor of their own turn up (../shared/seeds: 5 of 73 passages are
 * found that way, in pairs of 3 to 17 hits).  Generated corpora: 100 MB,
 * 98,955 -> 35,671 candidates, 1 GB, 2,460,287 -> 444,489, for the same
 * planted passages (a few chance matches of 30 to 55 characters differ,
 * and boilerplate groups shift by a pair); ../shared/seeds, the
 * gov-reports corpus and corpus/sample give the same bytes.
 */
#define LOCAL_HITS 3

/* Per call of pass_pairs: what the local test needs. */
typedef struct localtest {
    nd_align_params ap;
    nd_aligner *al; /* made on first use */
    nd_span_vec sp;
} localtest;

/* Does the alignment of the texts around hit @p x hold a passage?  The
 * text of the first document around x->pa is named (nd_atext.id), so
 * that tests in a row around the same anchor build its table once. */
static int local_passage(const nd_doc *docs, localtest *L, const hit *x,
                         int *ok)
{
    const nd_doc *da = &docs[x->pair >> 32];
    const nd_doc *db = &docs[(uint32_t)x->pair];
    const uint32_t w = 4 * (uint32_t)L->ap.min_passage;
    uint32_t a0 = x->pa > w ? x->pa - w : 0, b0 = x->pb > w ? x->pb - w : 0;
    uint32_t a1 = ND_MIN(da->n, x->pa + ANCHOR_LEN + w);
    uint32_t b1 = ND_MIN(db->n, x->pb + ANCHOR_LEN + w);
    if (!L->al)
        ND_TRY(nd_aligner_new(&L->al));
    L->sp.n = 0;
    nd_atext ta = nd_doc_atext(da, a0, a1,
                               ((x->pair >> 32) << 32 | x->pa) + 1);
    nd_atext tb = nd_doc_atext(db, b0, b1, 0);
    ND_TRY(nd_align_text(L->al, &L->ap, &ta, &tb, &L->sp));
    *ok = L->sp.n > 0;
    return ND_OK;
}

static void localtest_free(localtest *L)
{
    nd_aligner_free(L->al);
    nd_vec_free(&L->sp);
}

typedef struct hcounts { /* a hit partition's counters (hit_count) */
    uint8_t *c;    /* 2 bits each */
    uint32_t size; /* counters */
    int zeroed;    /* c is zeroed (on first use: part_counts) */
} hcounts;

static inline unsigned hit_counted(const hcounts *c, uint64_t pair);

/*
 * Pairs of hits sorted by pair that pass, to @p out: a hit passes the
 * diagonal test (done before: a hit that fails it has HIT_FAILS), and the
 * pair has LOCAL_HITS hits or the texts around a passing hit hold a
 * passage (local_passage).  The anchor stage gives a pair's hits in
 * several rounds, so its count is not known here: a pair with a passing
 * hit that fails only for want of hits waits, and the stage decides at
 * the end from a count of every pair's hits (hit_count).  @p old: the
 * pairs waiting (sorted); @p next receives those still waiting after
 * these hits, @p old's included.  With @p defer, a pair with fewer than
 * LOCAL_HITS hits here is not tested locally but waits, and its passing
 * hits go to @p defer for a later test (test_waiting).  With the hit
 * counts so far (@p cnt2, the sketch of hit_count, every hit of these
 * pairs up to this round counted), a pair whose count reaches LOCAL_HITS
 * passes now: counts only grow, so it would pass at the end (the
 * partition's counters are its own: no other worker changes them).  NULL
 * @p next, @p defer and @p cnt2: the hits are all of their pairs'
 * (nd_scan_hit_pairs), and the count is exact.
 */
static int pass_pairs(const nd_doc *docs, int min_passage, const hit *h,
                      size_t n, const uint64_t *old, size_t nold,
                      nd_u64_vec *next, nd_hit_vec *defer,
                      const hcounts *cnt2, nd_u64_vec *out)
{
    localtest L = {0};
    nd_align_default_params(&L.ap, min_passage);
    int rc = ND_OK;
    size_t k = 0; /* in old */
    for (size_t i = 0, j; !rc && i < n; i = j) {
        for (j = i + 1; j < n && h[j].pair == h[i].pair; j++)
            ;
        for (; !rc && k < nold && old[k] < h[i].pair; k++)
            rc = nd_vec_push(next, old[k]);
        int waits = k < nold && old[k] == h[i].pair;
        k += (size_t)waits;
        int ok = 0;
        for (size_t x = i; !rc && !ok && x < j; x++) {
            if (h[x].pa == HIT_FAILS)
                continue;
            waits = 1;
            ok = j - i >= LOCAL_HITS ||
                 (cnt2 && hit_counted(cnt2, h[i].pair) >= LOCAL_HITS);
            if (!ok && defer)
                rc = nd_vec_push(defer, h[x]); /* test_waiting tries it */
            else if (!ok)
                rc = local_passage(docs, &L, &h[x], &ok);
        }
        if (!rc && ok)
            rc = nd_vec_push(out, h[i].pair);
        else if (!rc && waits && next)
            rc = nd_vec_push(next, h[i].pair);
    }
    for (; !rc && next && k < nold; k++)
        rc = nd_vec_push(next, old[k]);
    localtest_free(&L);
    return rc;
}

#define HIT_AHEAD 8 /* hits whose texts are prefetched ahead of the test */

int nd_scan_hit_pairs(const nd_doc *docs, int min_passage, nd_hit *h,
                      size_t n, nd_u64_vec *out)
{
    size_t nd = 0; /* documents: one past the highest in a hit */
    for (size_t i = 0; i < n; i++)
        nd = ND_MAX(nd, (size_t)(uint32_t)h[i].pair + 1);
    tref *tr = trefs_new(docs, nd);
    if (!tr)
        return ND_ENOMEM;
    if (n)
        qsort(h, n, sizeof *h, cmp_hit);
    /* The diagonal test of every hit, as walk_buckets does it, the texts
     * prefetched HIT_AHEAD hits ahead (the hits are at random places). */
    const uint32_t need = diag_need(min_passage);
    for (size_t x = 0; x < n; x++) {
        if (x + HIT_AHEAD < n) {
            const hit *y = &h[x + HIT_AHEAD];
            __builtin_prefetch(tref_addr(&tr[y->pair >> 32], y->pa));
            __builtin_prefetch(tref_addr(&tr[(uint32_t)y->pair], y->pb));
        }
        if (diag_matches(tr, min_passage, &h[x], need) < need)
            h[x].pa = h[x].pb = HIT_FAILS;
    }
    nd_free(tr);
    return pass_pairs(docs, min_passage, h, n, NULL, 0, NULL, NULL, NULL,
                      out);
}

int nd_scan_anchors(const uint32_t *cp, uint32_t n, uint32_t doc,
                    nd_anchor_vec *out)
{
    if (n < ANCHOR_LEN)
        return ND_OK;
    size_t m = n - ANCHOR_LEN + 1;
    uint64_t *h = nd_malloc(m * sizeof *h);
    uint32_t *pos = nd_malloc(m * sizeof *pos);
    int rc = h && pos ? ND_OK : ND_ENOMEM;
    if (!rc) {
        nd_shingle_hashes(cp, n, ANCHOR_LEN, h);
        size_t np = nd_winnow(h, m, ANCHOR_WIN, pos);
        rc = nd_vec_reserve(out, out->n + np);
        for (size_t j = 0; !rc && j < np; j++) {
            anchor x = {h[pos[j]], doc, pos[j]};
            out->v[out->n++] = x;
        }
    }
    nd_free(h);
    nd_free(pos);
    return rc;
}

int nd_scan_buckets(const nd_anchor *an, size_t n, int max_df,
                    nd_adf_vec *adfs, nd_hit_vec *hits)
{
    int rc = nd_vec_reserve(adfs, adfs->n + n);
    ND_VEC(uint32_t) docs = {0};
    ND_VEC(uint32_t) docs_at = {0}; /* each doc's first entry in the run */
    const size_t cap = ND_MAX((size_t)max_df, PAIR_CAP);
    for (size_t g = 0; !rc && g < n;) {
        size_t e = g;
        docs.n = 0;
        docs_at.n = 0;
        while (e < n && an[e].h == an[g].h) {
            if (!docs.n || docs.v[docs.n - 1] != an[e].doc)
                if ((rc = nd_vec_push(&docs, an[e].doc)) ||
                    (rc = nd_vec_push(&docs_at, (uint32_t)(e - g))))
                    break;
            e++;
        }
        for (size_t x = g; !rc && x < e; x++) {
            adf a = {an[x].doc, an[x].pos, (uint32_t)docs.n};
            adfs->v[adfs->n++] = a;
        }
        if (docs.n >= 2 && docs.n <= cap) {
            for (size_t x = 0; !rc && x < docs.n; x++)
                for (size_t y = x + 1; !rc && y < docs.n; y++)
                    rc = push_hit(hits, &an[g + docs_at.v[x]],
                                  &an[g + docs_at.v[y]]);
        } else if (docs.n > cap) {
            for (size_t y = 1; !rc && y < docs.n; y++)
                rc = push_hit(hits, &an[g + docs_at.v[0]],
                              &an[g + docs_at.v[y]]);
        }
        g = e;
    }
    nd_vec_free(&docs);
    nd_vec_free(&docs_at);
    return rc;
}

/* Anchors of every document: their df and the hits they propose. */
static int anchor_hits(scan *S, nd_adf_vec *adfs, nd_hit_vec *hits)
{
    nd_anchor_vec an = {0};
    nd_cpbuf buf = {0};
    int rc = ND_OK;
    for (size_t i = 0; !rc && i < S->nd; i++) {
        const nd_doc *d = &S->c->docs.v[i];
        const uint32_t *cp = nd_doc_text(d, 0, d->n, &buf);
        rc = cp ? nd_scan_anchors(cp, d->n, (uint32_t)i, &an) : ND_ENOMEM;
    }
    nd_vec_free(&buf);
    if (!rc && an.n)
        qsort(an.v, an.n, sizeof *an.v, nd_anchor_cmp);
    if (!rc)
        rc = nd_scan_buckets(an.v, an.n, S->set->max_df, adfs, hits);
    nd_vec_free(&an);
    return rc;
}

/* The first of @p st's far steps at or after anchor @p i. */
static size_t adfs_far_at(const nd_adfs *st, size_t i)
{
    size_t a = 0, z = st->far.n;
    while (a < z) {
        size_t mid = a + (z - a) / 2;
        if (st->far.v[mid].i < i)
            a = mid + 1;
        else
            z = mid;
    }
    return a;
}

/* ------------------------------------------------------------------ */
/* The anchor stage in partitions and passes, in parallel               */

/*
 * The same anchors, dfs, hits and hit pairs as nd_scan_anchors,
 * nd_scan_buckets and nd_scan_hit_pairs give (anchor_hits), computed on
 * several threads in bounded memory.
 *
 * Every document's anchors are winnowed once, in chunks of documents on
 * the threads: their positions go to the store of anchors by (doc, pos)
 * (nd_adfs), and the low PART_BITS bits of their hash, their partition,
 * to a byte each (not the top bits: winnowing keeps the smallest hashes,
 * so the top bits of anchors are skewed, 6 times as many in partition 0
 * as on average, while the low bits are even).  Every bucket lies in one
 * partition.  Then passes, each over a contiguous range of partitions:
 * the anchors of its partitions get their hash again (one gram hash
 * each, not a winnowing of the texts) and go to their partitions; each
 * partition is sorted and its buckets walked (the anchors' df flags, and
 * a count of the hits).  The hits are written in rounds over the pass's
 * partitions, into partitions by their pair's first document (ranges of
 * documents, hit_part), and each hit partition is sorted, counted
 * (hit_count) and filtered (pass_pairs).  A pair whose hits
 * fall in several rounds is accepted when one of its hits passes, in the
 * round that holds it (pass_pairs takes a pair when ANY hit passes): the
 * union of the rounds' pairs, sorted and each once, is that of all hits
 * at once.  A pair accepted in an earlier round is not tried again.
 *
 * Memory.  A pass holds its anchors (sizeof (panchor) each) and a round
 * its hits (sizeof (nd_hit) each); passes and rounds are cut so that
 * each holds at most half the budget, by default a byte a character of
 * the texts (half the 2 bytes a character of the normalized texts, which
 * the stage needs anyway), or 1 MB when that is more (a pass for every
 * few partitions of a tiny corpus would cost more than it saves).  A partition is never split: a pass or round holds one at
 * least.  The hits whose local test waits for the counts (test_waiting)
 * take at most an eighth of the hits' half over the partitions; past it,
 * a partition's are tested at once.  Besides, the stage holds about a
 * byte an anchor (its output, nd_adfs) and a byte an anchor (its
 * partition).  On the generated 1 GB corpus (312 M characters, 89 M
 * anchors, 81 M hits): 14 passes, where one pass took 3.8 GB; each pass
 * reads every anchor's partition and step and hashes its own anchors
 * again, so fewer passes cost less (bench/bench_anchors, 1 thread:
 * 29 passes 24.2 s CPU, 14 passes 22.7 s, 7 passes 22.2 s).
 *
 * Every partition is filled in a fixed order (chunks of documents, then
 * anchor partitions, by index), so nothing depends on the thread count or
 * the budget.
 */
#define PART_BITS 8
#define ANCHOR_PARTS (1u << PART_BITS)
#define ANCHOR_DOCS 64 /* documents per chunk of the anchor pass */

typedef struct panchor { /* an anchor in its partition */
    uint64_t h;
    uint32_t idx, doc, pos; /* idx: its place in (doc, pos) order */
    uint32_t pairs;         /* 1: it pairs (walk_buckets' pass 0) */
} panchor;

typedef ND_VEC(uint8_t) byte_vec;
typedef ND_VEC(uint32_t) u32_vec;

typedef struct achunk { /* a chunk's anchors, until placed */
    uint8_t *b;    /* steps, as in nd_adfs */
    uint8_t *part;
    ND_VEC(nd_adf_far) far; /* by anchor of the chunk */
} achunk;

typedef struct ltest ltest;
typedef ND_VEC(ltest) ltest_vec;

typedef struct astage {
    const nd_doc *docs;
    tref *tr;              /* the documents' texts, for pass_pairs */
    size_t nd;             /* documents */
    int min_passage, max_df;
    size_t cap;            /* max(max_df, PAIR_CAP) */
    size_t nchunk;
    achunk *chunk;         /* per chunk: its anchors, by (doc, pos) */
    nd_anchor_vec *wan;    /* per worker: a chunk's anchors */
    size_t *cnt;           /* [chunk][part]: anchors */
    size_t *at;            /* [chunk][part]: where the pass puts the next */
    nd_adfs *st;           /* the output */
    size_t *first;         /* st->first: per doc, anchors; then its
                              first's idx */
    uint8_t *part;         /* per anchor, by idx: its partition */
    size_t p0, p1, r0;     /* the pass's partitions; the round's first */
    size_t *hcnt;          /* [anchor part][hit part]: hits; then where */
    size_t qpart[ANCHOR_PARTS + 1], hpart[ANCHOR_PARTS + 1];
    size_t qcap, hcap;     /* bytes at q and at hits (kept from pass to
                              pass and round to round) */
    panchor *q;            /* the pass's anchors by partition, then
                              (h, idx) */
    hit *hits;             /* the round's, by hit partition */
    byte_vec *tmp;         /* per worker: sort buffer */
    u32_vec *firsts;       /* per worker: a bucket's first per doc */
    nd_u64_vec *pairs;     /* per hit partition: the pairs it passes,
                              sorted */
    nd_u64_vec *fresh;     /* per worker: a round's new pairs */
    nd_u64_vec *wait;      /* per hit partition: pairs waiting for their
                              count of hits (pass_pairs), sorted */
    nd_u64_vec *wnext;     /* per worker: the next waiting list */
    nd_hit_vec *defer;     /* per hit partition: the passing hits of pairs
                              with fewer than LOCAL_HITS hits in their
                              round, for local_passage (test_waiting) */
    size_t defer_cap;      /* deferred hits a partition holds at most */
    ltest_vec *ltests;     /* per worker: test_waiting's tests */
    size_t *flushes;       /* per hit partition: early test_waiting runs */
    uint8_t *cnt2;         /* hits per pair (hit_count), a part of it */
    hcounts hc[ANCHOR_PARTS]; /* ... for each hit partition */
    uint64_t pmul;         /* 2^40 / nd: first document to hit partition */
} astage;

static inline uint32_t anchor_part(uint64_t h)
{
    return (uint32_t)(h & (ANCHOR_PARTS - 1));
}

/*
 * The hit partition of @p pair: a range of about nd / ANCHOR_PARTS first
 * documents, so that the local tests of a partition's pairs (test_waiting)
 * read the texts of a few hundred first documents over and over (in the
 * cache) and only the second document's at random.  A hash of the pair
 * spread the first documents over the whole corpus: twice the misses when
 * pass_pairs read the texts of every hit, and still 5-10% more CPU in the
 * anchor stage at 1 GB once the diagonal test moved to walk_buckets.
 * The partitions are uneven (a pair's first document is the lower one),
 * which only changes how the part_pairs tasks fall on the threads.  Which
 * hits meet in pass_pairs does not depend on it: a pair's hits are in
 * one partition whatever the function.
 */
static inline uint32_t hit_part(const astage *A, uint64_t pair)
{
    return (uint32_t)(((pair >> 32) * A->pmul) >> 32);
}

/*
 * Stable LSD radix sort of @p n @p R-byte records by the uint64 at their
 * start, 8 bits a pass, skipping digits equal in every record; @p tmp
 * holds n records.  radix_sort_from sorts by the key's digits from
 * @p first on (bits 8 first and up).
 */
static inline void radix_sort_from(void *v, void *tmp, size_t n, size_t R,
                                   int first)
{
    size_t cnt[8][256];
    unsigned char *a = v, *b = tmp;
    uint64_t k, k0;
    if (n < 64) { /* insertion sort, stable too: no counts to clear */
        for (size_t i = 1; i < n; i++) {
            memcpy(&k, a + R * i, 8);
            memcpy(b, a + R * i, R);
            size_t j = i;
            for (; j > 0 && (memcpy(&k0, a + R * (j - 1), 8), k0 > k); j--)
                memcpy(a + R * j, a + R * (j - 1), R);
            memcpy(a + R * j, b, R);
        }
        return;
    }
    memset(cnt, 0, sizeof cnt);
    memcpy(&k0, a, 8);
    for (size_t i = 0; i < n; i++) {
        memcpy(&k, a + R * i, 8);
        for (int d = 0; d < 8; d++)
            cnt[d][(k >> (8 * d)) & 255]++;
    }
    for (int d = first; d < 8; d++) {
        if (cnt[d][(k0 >> (8 * d)) & 255] == n)
            continue;
        for (size_t c = 0, sum = 0; c < 256; c++) {
            size_t x = cnt[d][c];
            cnt[d][c] = sum;
            sum += x;
        }
        for (size_t i = 0; i < n; i++) {
            memcpy(&k, a + R * i, 8);
            memcpy(b + R * cnt[d][(k >> (8 * d)) & 255]++, a + R * i, R);
        }
        unsigned char *t = a;
        a = b;
        b = t;
    }
    if (a != v)
        memcpy(v, a, n * R);
}

static inline void radix_sort(void *v, void *tmp, size_t n, size_t R)
{
    radix_sort_from(v, tmp, n, R, 0);
}

/* Sort @p n records at @p v (hits or anchors, radix_sort) with worker
 * @p w's buffer. */
static int sort_hits(astage *A, int w, hit *v, size_t n)
{
    if (nd_vec_reserve(&A->tmp[w], n * sizeof *v))
        return ND_ENOMEM;
    radix_sort(v, A->tmp[w].v, n, sizeof *v);
    return ND_OK;
}

/*
 * Anchors by (h, idx): by the top 32 bits of h (4 passes of radix_sort,
 * not 7: a partition's anchors share the low 8 bits, not the next 24),
 * then the runs whose top bits are equal but not all their hashes (rare:
 * different grams of a partition whose hashes agree in 40 bits) by the
 * whole hash.
 * Both sorts are stable, so this is the order of one sort by h
 * (bench_anchors, 1 GB: 18.1 -> 16.9 s CPU, median of 3; the 7 passes
 * were about 1.1 s of a 2-thread run).
 */
static int sort_anchors(astage *A, int w, panchor *v, size_t n)
{
    if (nd_vec_reserve(&A->tmp[w], n * sizeof *v))
        return ND_ENOMEM;
    radix_sort_from(v, A->tmp[w].v, n, sizeof *v, 4);
    for (size_t i = 0, e; i < n; i = e) {
        int mixed = 0;
        for (e = i + 1; e < n && v[e].h >> 32 == v[i].h >> 32; e++)
            mixed |= v[e].h != v[i].h;
        if (mixed)
            radix_sort(v + i, A->tmp[w].v, e - i, sizeof *v);
    }
    return ND_OK;
}

/* The anchors of chunk @p i of documents: steps and partitions, counted
 * by document and by partition. */
static int chunk_anchors(void *user, size_t i, int worker)
{
    astage *A = user;
    achunk *ch = &A->chunk[i];
    nd_anchor_vec *an = &A->wan[worker];
    size_t *cnt = A->cnt + i * ANCHOR_PARTS;
    size_t end = ND_MIN(A->nd, (i + 1) * ANCHOR_DOCS);
    const uint8_t one = nd_adf_flags(1, A->max_df); /* df of most */
    nd_cpbuf buf = {0};
    int rc = ND_OK;
    an->n = 0;
    for (size_t d = i * ANCHOR_DOCS; !rc && d < end; d++) {
        size_t before = an->n;
        const uint32_t *cp = nd_doc_text(&A->docs[d], 0, A->docs[d].n, &buf);
        rc = cp ? nd_scan_anchors(cp, A->docs[d].n, (uint32_t)d, an)
                : ND_ENOMEM;
        A->first[d] = an->n - before;
    }
    nd_vec_free(&buf);
    ND_TRY(rc);
    ch->b = nd_malloc(an->n + 1);
    ch->part = nd_malloc(an->n + 1);
    if (!ch->b || !ch->part)
        return ND_ENOMEM;
    for (size_t k = 0; k < an->n; k++) {
        const anchor *x = &an->v[k];
        uint32_t p = anchor_part(x->h);
        uint32_t prev = k && x[-1].doc == x->doc ? x[-1].pos : 0;
        if (x->pos - prev >= ND_ADF_STEP) {
            nd_adf_far f = {k, x->pos};
            ND_TRY(nd_vec_push(&ch->far, f));
            ch->b[k] = ND_ADF_STEP;
        } else {
            ch->b[k] = (uint8_t)(x->pos - prev);
        }
        ch->b[k] |= one; /* until its bucket says otherwise */
        ch->part[k] = (uint8_t)p;
        cnt[p]++;
    }
    return ND_OK;
}

/* Chunk @p i's anchors to their places by (doc, pos), and their
 * checkpoints. */
static int chunk_place(void *user, size_t i, int worker)
{
    astage *A = user;
    achunk *ch = &A->chunk[i];
    size_t end = ND_MIN(A->nd, (i + 1) * ANCHOR_DOCS);
    const size_t base = A->first[i * ANCHOR_DOCS];
    (void)worker;
    memcpy(A->st->b + base, ch->b, A->first[end] - base);
    memcpy(A->part + base, ch->part, A->first[end] - base);
    for (size_t d = i * ANCHOR_DOCS, j = 0; d < end; d++) {
        uint32_t pos = 0;
        for (size_t x = A->first[d]; x < A->first[d + 1]; x++) {
            uint8_t step = ch->b[x - base] & ND_ADF_STEP;
            pos = step == ND_ADF_STEP ? ch->far.v[j++].pos : pos + step;
            if (x % ND_ADF_CK == 0)
                A->st->ck[x / ND_ADF_CK] = pos;
        }
    }
    nd_free(ch->b);
    nd_free(ch->part);
    ch->b = NULL;
    ch->part = NULL;
    return ND_OK;
}

#define FILL_AHEAD 32 /* picked anchors whose text is prefetched ahead */

/* The anchors of chunk @p i in the pass's partitions, hashed again, to
 * their places in the partitions.  Every pass reads every anchor's
 * partition and step, so that loop only picks, without a call or a
 * branch: each anchor is written and kept when it is the pass's (a
 * branch taken for one anchor in 15 at random mispredicted: 17.6 s CPU
 * of the stage at 1 GB, bench_anchors, 17.2 s without); the picked ones
 * are hashed after. */
static int chunk_fill(void *user, size_t i, int worker)
{
    astage *A = user;
    size_t *at = A->at + i * ANCHOR_PARTS;
    const size_t end = ND_MIN(A->nd, (i + 1) * ANCHOR_DOCS);
    const uint8_t *part = A->part, *b = A->st->b;
    const nd_adf_far *far = A->st->far.v;
    const unsigned p0 = (unsigned)A->p0, w = (unsigned)(A->p1 - A->p0);
    const size_t x0 = A->first[i * ANCHOR_DOCS], x1 = A->first[end];
    nd_anchor_vec *pick = &A->wan[worker]; /* h: the anchor's index */
    size_t j = adfs_far_at(A->st, x0), np = 0;
    ND_TRY(nd_vec_reserve(pick, x1 - x0 + 1));
    anchor *v = pick->v;
    for (size_t d = i * ANCHOR_DOCS; d < end; d++) {
        uint32_t pos = 0;
        for (size_t x = A->first[d], xe = A->first[d + 1]; x < xe; x++) {
            unsigned step = b[x] & ND_ADF_STEP;
            pos = step == ND_ADF_STEP ? far[j++].pos : pos + step;
            anchor e = {x, (uint32_t)d, pos};
            v[np] = e; /* kept if this pass's: no branch */
            np += (unsigned)part[x] - p0 < w;
        }
    }
    for (size_t k = 0; k < np; k++) {
        uint64_t h;
        if (k + FILL_AHEAD < np)
            __builtin_prefetch(tref_addr(&A->tr[v[k + FILL_AHEAD].doc],
                                         v[k + FILL_AHEAD].pos));
        uint32_t tmp[ANCHOR_LEN];
        const tref *r = &A->tr[v[k].doc];
        if (r->wide) {
            memcpy(tmp, (const uint32_t *)r->t + v[k].pos, sizeof tmp);
        } else {
            const uint16_t *t = (const uint16_t *)r->t + v[k].pos;
            for (int c = 0; c < ANCHOR_LEN; c++)
                tmp[c] = t[c];
        }
        nd_shingle_hashes(tmp, ANCHOR_LEN, ANCHOR_LEN, &h);
        panchor e = {h, (uint32_t)v[k].h, v[k].doc, v[k].pos, 0};
        A->q[at[anchor_part(h)]++] = e;
    }
    return ND_OK;
}

/*
 * Hits per pair, for the pairs that wait (pass_pairs): 2-bit counters
 * that stop at 3, a pair counted at COUNT_WAYS places and its count the
 * smallest (a count-min sketch).  Pairs that share both counters add up, so a
 * count can be too high, never too low: a waiting pair is then a
 * candidate that the exact count would have left out, never the other
 * way round.  The counters do not depend on the order of the hits, nor on
 * the passes.  On the 1 GB corpus, one counter per worker at one place
 * took 362,000 waiting pairs wrongly (806,023 candidates instead of
 * 444,489).  The hits are counted where a hit partition has them sorted
 * (part_pairs, before the pairs accepted already are dropped: their
 * counts are shared by others), a pair's hits of a round at once: adding
 * k to a counter that stops at 3 is k single counts.
 *
 * Each hit partition has counters of its own, which only the worker that
 * has the partition reads and writes: no atomics, and a few hundred KB
 * (in the cache) instead of random places of one table of 64 MB for all
 * (an atomic update per pair took 6% of the anchor stage at 1 GB).  The
 * partitions are uneven (the first documents take the stars of frequent
 * anchors: partition 0 of the 1 GB corpus has 22 times the average), so
 * each has counters in proportion to its hits in anchor partition 0
 * (count_parts), a sample of 1/256 of the buckets that every budget's
 * first pass holds: the sizes depend on neither the threads nor the
 * budget.  The pairs of the stage on the 1 GB corpus (bench_anchors;
 * the exact count gives 444,489): one table for all, 64 MB, two places a
 * pair, 538,493; a table per partition, four counters a sampled hit and
 * two an anchor (125 MB), three places a pair, 471,947 (two places and
 * fewer counters: 516,769).  100 MB corpus: 36,275 then, 36,396 now.
 */
#define COUNT_WAYS 3 /* places a pair is counted at */

static inline uint32_t hit_slot(const hcounts *c, uint64_t pair, int k)
{
    static const uint64_t mul[COUNT_WAYS] = {UINT64_C(0x9E3779B97F4A7C15),
                                             UINT64_C(0xC2B2AE3D27D4EB4F),
                                             UINT64_C(0xD6E8FEB86659FD93)};
    const uint64_t m = mul[k];
    return (uint32_t)((((pair ^ (pair >> 29)) * m >> 32) * c->size) >> 32);
}

/* Count @p hits hits of @p pair (saturating: as many single counts). */
static inline void hit_count(hcounts *c, uint64_t pair, unsigned hits)
{
    for (int k = 0; k < COUNT_WAYS; k++) {
        uint32_t i = hit_slot(c, pair, k);
        unsigned sh = (i & 3) * 2, v = (unsigned)c->c[i >> 2] >> sh & 3;
        unsigned nv = v + hits < 3 ? v + hits : 3;
        c->c[i >> 2] = (uint8_t)((c->c[i >> 2] & ~(3u << sh)) | nv << sh);
    }
}

/* Count the hits @p h (sorted by pair) of a hit partition in its
 * counters @p c, a pair at a time, those of the hit COUNT_AHEAD on loaded
 * ahead (a large partition's are larger than the cache). */
#define COUNT_AHEAD 16
static void count_hits(hcounts *c, const hit *h, size_t n)
{
    for (size_t i = 0, j; i < n; i = j) {
        for (j = i + 1; j < n && h[j].pair == h[i].pair; j++)
            ;
        if (j + COUNT_AHEAD < n)
            for (int k = 0; k < COUNT_WAYS; k++)
                __builtin_prefetch(
                    &c->c[hit_slot(c, h[j + COUNT_AHEAD].pair, k) >> 2], 1);
        hit_count(c, h[i].pair, (unsigned)ND_MIN(j - i, (size_t)3));
    }
}

static inline unsigned hit_counted(const hcounts *c, uint64_t pair)
{
    unsigned n = 3;
    for (int k = 0; k < COUNT_WAYS; k++) {
        uint32_t i = hit_slot(c, pair, k);
        unsigned v = (unsigned)c->c[i >> 2] >> ((i & 3) * 2) & 3;
        n = v < n ? v : n;
    }
    return n;
}

/*
 * The counters of the hit partitions, from the hits that anchor partition
 * 0 gives each (@p sample, 1/256 of all): four counters a hit, and two an
 * anchor and 4,096 more each (the partitions the sample misses or
 * underrates; tiny corpora).  A pair is counted once a round whatever its
 * hits.
 */
static int count_parts(astage *A, const size_t *sample, size_t anchors)
{
    size_t at[ANCHOR_PARTS + 1], bytes = 0;
    for (size_t p = 0; p < ANCHOR_PARTS; p++) {
        size_t k = ND_MIN(4 * ANCHOR_PARTS * sample[p] + anchors / 128 +
                              4096,
                          (size_t)UINT32_MAX);
        k &= ~(size_t)3; /* whole bytes: no byte shared by partitions */
        A->hc[p].size = (uint32_t)k;
        at[p] = bytes;
        bytes += k / 4;
    }
    /* Zeroed by part_counts, not by calloc: calloc's fresh pages are the
     * zero page until written, and a counter is read before it is
     * written, so each page faulted twice (0.85 s of kernel time at 1
     * GB). */
    if (!(A->cnt2 = nd_malloc(bytes + 1)))
        return ND_ENOMEM;
    for (size_t p = 0; p < ANCHOR_PARTS; p++) {
        A->hc[p].c = A->cnt2 + at[p];
        A->hc[p].zeroed = 0;
    }
    return ND_OK;
}

/* The counters of hit partition @p p, zeroed on first use by the worker
 * that has the partition: in parallel, where one memset of them all was
 * 0.4 s of the stage on one thread at 1 GB (faulting their pages in). */
static hcounts *part_counts(astage *A, size_t p)
{
    hcounts *c = &A->hc[p];
    if (!c->zeroed) {
        memset(c->c, 0, c->size / 4);
        c->zeroed = 1;
    }
    return c;
}

/* Pairs @p v (sorted, none in @p acc) merged into @p acc (sorted). */
static int merge_pairs(nd_u64_vec *acc, const uint64_t *v, size_t m)
{
    ND_TRY(nd_vec_reserve(acc, acc->n + m));
    size_t i = acc->n, j = m, k = acc->n + m;
    while (j) /* merge from the end */
        acc->v[--k] = i && acc->v[i - 1] > v[j - 1] ? acc->v[--i] : v[--j];
    acc->n += m;
    return ND_OK;
}

/* A local test to run (test_waiting): a passing hit of waiting pair w,
 * keyed by where it is in the first document. */
typedef struct ltest {
    uint64_t key; /* first document << 32 | pa */
    uint32_t pb, w;
} ltest;

/*
 * The waiting pairs of hit partition @p p that pass, moved into its
 * pairs: those whose hits reach LOCAL_HITS, and those where the texts
 * around one of their passing hits hold a passage (local_passage).  The
 * rounds leave the local test to here (A->defer): a pair tested in an
 * early round often reaches LOCAL_HITS hits in later ones (100 MB corpus:
 * 50,761 of 133,126 tests were for such pairs), and the test is an
 * alignment.  At the end (@p last) with the final counts; before, when a
 * partition's deferred hits pass A->defer_cap (part_pairs), with the
 * counts so far, and the hits tested are dropped (a hit whose texts hold
 * no passage never will).  The pairs are those of testing in the rounds:
 * a pair passes iff one of its hits passes the diagonal test and it has
 * LOCAL_HITS hits in a round, or in all (the count), or a passing hit
 * holds a passage; when each is seen does not matter.
 *
 * The tests run in order of the first document's anchor position, not of
 * pair: a stock phrase of one document meets many others, and tests in
 * a row around one anchor align the same text of it, whose table the
 * aligner keeps (1 GB corpus: 2.2 million tables for 2.7 million tests
 * in pair order, 1.0 million in this order).  A pair's other hits are
 * skipped once one passes.
 */
static int test_waiting(astage *A, size_t p, int worker, int last)
{
    nd_u64_vec *wait = &A->wait[p], *pass = &A->fresh[worker];
    nd_hit_vec *dv = &A->defer[p];
    ltest_vec *lt = &A->ltests[worker];
    localtest L = {0};
    nd_align_default_params(&L.ap, A->min_passage);
    int rc = sort_hits(A, worker, dv->v, dv->n); /* by pair, stable */
    /* Pairs that pass by their count (ok 1), the others' hits to test. */
    uint8_t *ok = wait->n ? nd_calloc(wait->n, 1) : NULL;
    if (!rc && wait->n && !ok)
        rc = ND_ENOMEM;
    lt->n = 0;
    for (size_t i = 0, k = 0; !rc && i < wait->n; i++) {
        uint64_t pair = wait->v[i];
        ok[i] = hit_counted(part_counts(A, p), pair) >= LOCAL_HITS;
        while (k < dv->n && dv->v[k].pair < pair)
            k++;
        for (; !rc && !ok[i] && k < dv->n && dv->v[k].pair == pair; k++) {
            ltest t = {(pair >> 32) << 32 | dv->v[k].pa, dv->v[k].pb,
                       (uint32_t)i};
            rc = nd_vec_push(lt, t);
        }
    }
    if (!rc && nd_vec_reserve(&A->tmp[worker], lt->n * sizeof *lt->v))
        rc = ND_ENOMEM;
    if (!rc) /* by position in the first document, then as pushed */
        radix_sort(lt->v, A->tmp[worker].v, lt->n, sizeof *lt->v);
    for (size_t x = 0; !rc && x < lt->n; x++) {
        const ltest *t = &lt->v[x];
        if (ok[t->w])
            continue;
        hit h = {wait->v[t->w], (uint32_t)t->key, t->pb};
        int pass_ = 0;
        rc = local_passage(A->docs, &L, &h, &pass_);
        ok[t->w] = (uint8_t)pass_;
    }
    size_t w = 0;
    pass->n = 0;
    for (size_t i = 0; !rc && i < wait->n; i++) {
        if (ok[i])
            rc = nd_vec_push(pass, wait->v[i]);
        else
            wait->v[w++] = wait->v[i];
    }
    nd_free(ok);
    localtest_free(&L);
    dv->n = 0;
    if (!rc)
        wait->n = w;
    if (!rc)
        rc = merge_pairs(&A->pairs[p], pass->v, pass->n);
    if (last) {
        nd_vec_free(dv);
        nd_vec_free(wait);
    }
    return rc;
}

static int take_waiting(void *user, size_t p, int worker)
{
    return test_waiting(user, p, worker, 1);
}

#define FLAG_AHEAD 32 /* anchors whose df byte is prefetched ahead */
#define TEXT_AHEAD 64 /* anchors whose text is prefetched ahead, if they
                         pair */

/*
 * Walk the buckets of anchor partition @p p (sorted by (h, idx), so a
 * document's anchors in a bucket are together, lowest position first).
 * Pass 0 sets the dfs of anchors in several documents (the others,
 * most of them, were flagged as in one when winnowed: no write at a
 * random place for each) and counts the hits by hit partition; pass 1 writes the hits, as
 * nd_scan_buckets proposes them, with the outcome of their diagonal test
 * (HIT_FAILS).  The test reads the texts of both documents around the
 * anchor; here a bucket's documents are read once for all the pairs they
 * make (a bucket of 20 makes 190), where pass_pairs, taking the hits by
 * pair, read the second document's text again for each, at a random place
 * of texts larger than the caches (1 GB corpus: 76.7 million tests of 81
 * million hits, 4.3% passing).
 */
static int walk_buckets(astage *A, size_t p, int worker, int pass)
{
    panchor *q = A->q;
    uint8_t *b = A->st->b;
    size_t *hc = A->hcnt + p * ANCHOR_PARTS;
    u32_vec *first = &A->firsts[worker];
    const uint32_t need = diag_need(A->min_passage);
    size_t pf = A->qpart[p]; /* df bytes (pass 0) or texts (pass 1)
                                prefetched for anchors before pf */
    for (size_t g = A->qpart[p], e, end = A->qpart[p + 1]; g < end; g = e) {
        for (e = g + 1; e < end && q[e].h == q[g].h; e++)
            ;
        for (; pass == 0 && pf + 1 < end && pf < e + FLAG_AHEAD; pf++)
            if (q[pf].h == q[pf + 1].h) /* in a bucket of several */
                __builtin_prefetch(&b[q[pf].idx], 1),
                    __builtin_prefetch(&b[q[pf + 1].idx], 1);
        for (; pass == 1 && pf < end && pf < e + TEXT_AHEAD; pf++)
            if (q[pf].pairs) { /* the walk reads both ways */
                uintptr_t t = (uintptr_t)tref_addr(&A->tr[q[pf].doc],
                                                   q[pf].pos);
                __builtin_prefetch((const void *)(t - 32));
                __builtin_prefetch((const void *)(t + 32));
            }
        if (e - g == 1) /* most anchors: in one document, flagged so */
            continue;
        first->n = 0;
        for (size_t x = g; x < e; x++)
            if (x == g || q[x].doc != q[x - 1].doc)
                ND_TRY(nd_vec_push(first, (uint32_t)x));
        size_t nd = first->n;
        if (nd < 2)
            continue;
        if (pass == 0) {
            const uint8_t f = nd_adf_flags((uint32_t)nd, A->max_df);
            for (size_t x = g; x < e; x++)
                b[q[x].idx] = (uint8_t)((b[q[x].idx] & ND_ADF_STEP) | f);
        }
        if (pass == 0)
            for (size_t x = 0; x < nd; x++)
                q[first->v[x]].pairs = 1;
        size_t last = nd <= A->cap ? nd - 1 : 1; /* a star above cap */
        for (size_t x = 0; x < last; x++) {
            const panchor *a = &q[first->v[x]];
            for (size_t y = x + 1; y < nd; y++) {
                const panchor *c = &q[first->v[y]];
                uint64_t pair = (uint64_t)a->doc << 32 | c->doc;
                if (pass == 0) {
                    hc[hit_part(A, pair)]++;
                } else {
                    hit h = {pair, a->pos, c->pos};
                    if (diag_matches(A->tr, A->min_passage, &h, need) < need)
                        h.pa = h.pb = HIT_FAILS;
                    A->hits[hc[hit_part(A, pair)]++] = h;
                }
            }
        }
    }
    return ND_OK;
}

static int part_buckets(void *user, size_t i, int worker)
{
    astage *A = user;
    size_t p = A->p0 + i;
    ND_TRY(sort_anchors(A, worker, A->q + A->qpart[p],
                        A->qpart[p + 1] - A->qpart[p]));
    return walk_buckets(A, p, worker, 0);
}

static int part_hits(void *user, size_t i, int worker)
{
    astage *A = user;
    return walk_buckets(A, A->r0 + i, worker, 1);
}

/*
 * Hit partition @p p: its hits by pair, and the pairs that pass, merged
 * into those earlier rounds passed (sorted, each once).  The hits of a
 * pair that passed already are not tried again.
 */
static int part_pairs(void *user, size_t p, int worker)
{
    astage *A = user;
    hit *h = A->hits + A->hpart[p];
    size_t n = A->hpart[p + 1] - A->hpart[p];
    nd_u64_vec *acc = &A->pairs[p], *fresh = &A->fresh[worker];
    /* By pair only: whether a pair passes does not depend on the order
     * its hits are tried in. */
    ND_TRY(sort_hits(A, worker, h, n));
    count_hits(part_counts(A, p), h, n);
    if (acc->n) {
        size_t w = 0;
        for (size_t i = 0, j = 0; i < n; i++) {
            while (j < acc->n && acc->v[j] < h[i].pair)
                j++;
            if (j == acc->n || acc->v[j] != h[i].pair)
                h[w++] = h[i];
        }
        n = w;
    }
    fresh->n = 0;
    nd_u64_vec *wait = &A->wait[p], *next = &A->wnext[worker];
    next->n = 0;
    ND_TRY(pass_pairs(A->docs, A->min_passage, h, n, wait->v, wait->n, next,
                      &A->defer[p], part_counts(A, p), fresh));
    nd_u64_vec t = *wait; /* next becomes the partition's waiting list */
    *wait = *next;
    *next = t;
    nd_hit_vec *dv = &A->defer[p];
    if (fresh->n && dv->n) { /* no local test for pairs that passed */
        size_t w = 0;
        for (size_t i = 0; i < dv->n; i++)
            if (!bsearch(&dv->v[i].pair, fresh->v, fresh->n,
                         sizeof *fresh->v, cmp_u64))
                dv->v[w++] = dv->v[i];
        dv->n = w;
    }
    ND_TRY(merge_pairs(acc, fresh->v, fresh->n));
    if (dv->n > A->defer_cap) { /* test them now: memory */
        A->flushes[p]++;
        return test_waiting(A, p, worker, 0);
    }
    return ND_OK;
}

/* Prefix sums of columns [p0, p1) of a [rows][ANCHOR_PARTS] count matrix
 * @p cnt, partition-major, into @p at (may be cnt): where each row's
 * items of each partition start; @p start gets where each partition
 * starts (entries p0 .. p1).  Returns the items. */
static size_t place(const size_t *cnt, size_t *at, size_t rows, size_t p0,
                    size_t p1, size_t *start)
{
    size_t sum = 0;
    for (size_t p = p0; p < p1; p++) {
        start[p] = sum;
        for (size_t r = 0; r < rows; r++) {
            size_t k = cnt[r * ANCHOR_PARTS + p];
            at[r * ANCHOR_PARTS + p] = sum;
            sum += k;
        }
    }
    start[p1] = sum;
    return sum;
}

static void astage_free(astage *A, int threads)
{
    for (size_t i = 0; A->chunk && i < A->nchunk; i++) {
        nd_free(A->chunk[i].b);
        nd_free(A->chunk[i].part);
        nd_vec_free(&A->chunk[i].far);
    }
    for (int w = 0; A->tmp && w < threads; w++)
        nd_vec_free(&A->tmp[w]);
    for (int w = 0; A->firsts && w < threads; w++)
        nd_vec_free(&A->firsts[w]);
    for (int w = 0; A->wan && w < threads; w++)
        nd_vec_free(&A->wan[w]);
    for (int w = 0; A->fresh && w < threads; w++)
        nd_vec_free(&A->fresh[w]);
    for (int w = 0; A->wnext && w < threads; w++)
        nd_vec_free(&A->wnext[w]);
    for (int w = 0; A->ltests && w < threads; w++)
        nd_vec_free(&A->ltests[w]);
    for (size_t p = 0; A->wait && p < ANCHOR_PARTS; p++)
        nd_vec_free(&A->wait[p]);
    for (size_t p = 0; A->defer && p < ANCHOR_PARTS; p++)
        nd_vec_free(&A->defer[p]);
    nd_free(A->cnt2);
    for (size_t p = 0; A->pairs && p < ANCHOR_PARTS; p++)
        nd_vec_free(&A->pairs[p]);
    nd_free(A->chunk);
    nd_free(A->wan);
    nd_free(A->cnt);
    nd_free(A->at);
    nd_free(A->part);
    nd_free(A->hcnt);
    nd_free(A->q);
    nd_free(A->hits);
    nd_free(A->tmp);
    nd_free(A->firsts);
    nd_free(A->pairs);
    nd_free(A->fresh);
    nd_free(A->wait);
    nd_free(A->wnext);
    nd_free(A->ltests);
    nd_free(A->defer);
    nd_free(A->flushes);
    nd_free(A->tr);
}

/*
 * At least @p bytes at *@p p (*@p cap of them now; the contents go).  The
 * anchors of a pass and the hits of a round take a few hundred MB at 1
 * GB: allocated anew each time, their pages were faulted in and zeroed by
 * the kernel again, 2.3 GB each over the passes.  Grown to just what was
 * asked, the anchors of the 1 GB corpus still grew four times by under 2%
 * and the hits once: 660,000 page faults in the scan, 486,000 with a
 * quarter more (sys 3.2 -> 2.5 s).  Pages never written are never faulted
 * in, so the room costs no memory.
 */
static int grow_buf(void **p, size_t *cap, size_t bytes)
{
    if (bytes <= *cap)
        return ND_OK;
    nd_free(*p);
    *cap = 0;
    bytes += bytes / 4;
    if (!(*p = nd_malloc(bytes)))
        return ND_ENOMEM;
    *cap = bytes;
    return ND_OK;
}

/* Partitions from @p p0 on that one pass or round takes: at least one,
 * and while their items (@p items per partition, @p size bytes each)
 * stay within @p budget bytes. */
static size_t take_parts(const size_t *items, size_t p0, size_t p1,
                         size_t size, size_t budget)
{
    size_t e = p0 + 1, bytes = items[p0] * size;
    while (e < p1 && bytes + items[e] * size <= budget)
        bytes += items[e++] * size;
    return e;
}

/* The hits of anchor partitions [p0, p1) of the pass: written, filtered
 * and their pairs kept, in rounds within @p budget bytes. */
static int pass_rounds(astage *A, int T, size_t budget, nd_astats *st)
{
    size_t hrow[ANCHOR_PARTS];
    for (size_t p = A->p0; p < A->p1; p++) {
        hrow[p] = 0;
        for (size_t k = 0; k < ANCHOR_PARTS; k++)
            hrow[p] += A->hcnt[p * ANCHOR_PARTS + k];
    }
    for (size_t r0 = A->p0, r1; r0 < A->p1; r0 = r1) {
        r1 = take_parts(hrow, r0, A->p1, sizeof *A->hits, budget);
        size_t *hc = A->hcnt + r0 * ANCHOR_PARTS;
        size_t nh = place(hc, hc, r1 - r0, 0, ANCHOR_PARTS, A->hpart);
        ND_TRY(grow_buf((void **)&A->hits, &A->hcap,
                        (nh + 1) * sizeof *A->hits));
        A->r0 = r0;
        ND_TRY(nd_pool_run(T, r1 - r0, 1, part_hits, A));
        ND_TRY(nd_pool_run(T, ANCHOR_PARTS, 1, part_pairs, A));
        st->hits += nh;
        st->rounds++;
    }
    return ND_OK;
}

int nd_scan_anchor_pairs(const nd_doc *docs, size_t nd, int max_df,
                         int min_passage, int threads, size_t budget,
                         nd_adfs *adfs, nd_u64_vec *pairs, nd_astats *st)
{
    astage A = {0};
    const int T = nd_pool_threads(threads);
    memset(st, 0, sizeof *st);
    memset(adfs, 0, sizeof *adfs);
    if (nd > UINT32_MAX)
        return ND_ETOOBIG;
    A.docs = docs;
    A.nd = nd;
    A.min_passage = min_passage;
    A.max_df = max_df;
    A.cap = ND_MAX((size_t)max_df, PAIR_CAP);
    A.pmul = ((uint64_t)1 << 40) / ND_MAX(nd, (size_t)1);
    A.st = adfs;
    A.nchunk = (nd + ANCHOR_DOCS - 1) / ANCHOR_DOCS;
    A.chunk = nd_calloc(A.nchunk + 1, sizeof *A.chunk);
    A.wan = nd_calloc((size_t)T, sizeof *A.wan);
    A.cnt = nd_calloc((A.nchunk + 1) * ANCHOR_PARTS, sizeof *A.cnt);
    A.at = nd_calloc((A.nchunk + 1) * ANCHOR_PARTS, sizeof *A.at);
    A.first = adfs->first = nd_calloc(nd + 1, sizeof *A.first);
    A.hcnt = nd_calloc((size_t)ANCHOR_PARTS * ANCHOR_PARTS, sizeof *A.hcnt);
    A.tmp = nd_calloc((size_t)T, sizeof *A.tmp);
    A.firsts = nd_calloc((size_t)T, sizeof *A.firsts);
    A.pairs = nd_calloc(ANCHOR_PARTS, sizeof *A.pairs);
    A.fresh = nd_calloc((size_t)T, sizeof *A.fresh);
    A.wait = nd_calloc(ANCHOR_PARTS, sizeof *A.wait);
    A.wnext = nd_calloc((size_t)T, sizeof *A.wnext);
    A.ltests = nd_calloc((size_t)T, sizeof *A.ltests);
    A.defer = nd_calloc(ANCHOR_PARTS, sizeof *A.defer);
    A.flushes = nd_calloc(ANCHOR_PARTS, sizeof *A.flushes);
    A.tr = trefs_new(docs, nd);
    int rc = ND_ENOMEM;
    if (!A.tr || !A.chunk || !A.wan || !A.cnt || !A.at || !A.first || !A.hcnt ||
        !A.tmp || !A.firsts || !A.pairs || !A.fresh || !A.wait || !A.wnext ||
        !A.ltests || !A.defer || !A.flushes)
        goto done;
    double t0 = nd_now();
    if ((rc = nd_pool_run(T, A.nchunk, 1, chunk_anchors, &A)))
        goto done;
    size_t n = 0, chars = 0, nfar = 0;
    for (size_t d = 0; d <= nd; d++) { /* counts to where each starts */
        size_t k = A.first[d];
        A.first[d] = n;
        n += k;
        chars += d < nd ? docs[d].n : 0;
    }
    rc = ND_ETOOBIG;
    if (n > UINT32_MAX)
        goto done;
    rc = ND_ENOMEM;
    adfs->n = n;
    adfs->nd = nd;
    A.part = nd_malloc(n + 1);
    adfs->b = nd_malloc(n + 1);
    adfs->ck = nd_malloc((n / ND_ADF_CK + 1) * sizeof *adfs->ck);
    for (size_t i = 0; i < A.nchunk; i++)
        nfar += A.chunk[i].far.n;
    if (!A.part || !adfs->b || !adfs->ck ||
        nd_vec_reserve(&adfs->far, nfar))
        goto done;
    for (size_t i = 0; i < A.nchunk; i++) /* the far steps, by anchor */
        for (size_t k = 0; k < A.chunk[i].far.n; k++) {
            nd_adf_far f = A.chunk[i].far.v[k];
            f.i += A.first[i * ANCHOR_DOCS];
            adfs->far.v[adfs->far.n++] = f;
        }
    if ((rc = nd_pool_run(T, A.nchunk, 1, chunk_place, &A)))
        goto done;
#if defined(__GLIBC__)
    /* The chunks were blocks of up to a few hundred KB, which glibc keeps
     * once freed (its mmap threshold grows): give them back before the
     * passes. */
    malloc_trim(0);
#endif
    st->t_winnow = nd_now() - t0;
    if (!budget) /* a byte a character, 1 MB at least */
        budget = ND_MAX(chars, (size_t)1 << 20);
    budget = ND_MAX(budget / 2, (size_t)1); /* for anchors, then hits */
    /* Deferred hits: an eighth of that at most, over the partitions (100
     * MB corpus, anchor stage CPU: a quarter 1.75 s, an eighth 1.78 s, a
     * sixteenth 1.78-1.89 s, a partition's tested each round 1.95-2.09
     * s; load 6). */
    A.defer_cap = ND_MAX(budget / 8 / ANCHOR_PARTS / sizeof(hit), 1);
    size_t items[ANCHOR_PARTS] = {0};
    for (size_t c = 0; c < A.nchunk; c++)
        for (size_t p = 0; p < ANCHOR_PARTS; p++)
            items[p] += A.cnt[c * ANCHOR_PARTS + p];
    for (size_t p0 = 0, p1; p0 < ANCHOR_PARTS; p0 = p1) {
        p1 = take_parts(items, p0, ANCHOR_PARTS, sizeof *A.q, budget);
        A.p0 = p0;
        A.p1 = p1;
        size_t nq = place(A.cnt, A.at, A.nchunk, p0, p1, A.qpart);
        if ((rc = grow_buf((void **)&A.q, &A.qcap, (nq + 1) * sizeof *A.q)) ||
            (rc = nd_pool_run(T, A.nchunk, 1, chunk_fill, &A)) ||
            (rc = nd_pool_run(T, p1 - p0, 1, part_buckets, &A)) ||
            (p0 == 0 && (rc = count_parts(&A, A.hcnt, n))) || /* row 0 */
            (rc = pass_rounds(&A, T, budget, st)))
            goto done;
        st->passes++;
    }
    if ((rc = nd_pool_run(T, ANCHOR_PARTS, 1, take_waiting, &A)))
        goto done;
    for (size_t p = 0; p < ANCHOR_PARTS; p++)
        st->flushes += A.flushes[p];
    size_t np = 0;
    for (size_t p = 0; p < ANCHOR_PARTS; p++)
        np += A.pairs[p].n;
    if ((rc = nd_vec_reserve(pairs, pairs->n + np)))
        goto done;
    for (size_t p = 0; p < ANCHOR_PARTS; p++) {
        if (A.pairs[p].n)
            memcpy(pairs->v + pairs->n, A.pairs[p].v,
                   A.pairs[p].n * sizeof *A.pairs[p].v);
        pairs->n += A.pairs[p].n;
    }
done:
    astage_free(&A, T);
    if (rc)
        nd_adfs_free(adfs);
    return rc;
}

/* ------------------------------------------------------------------ */
/* The anchors by document, a byte each (nd_adfs)                      */

void nd_adfs_free(nd_adfs *st)
{
    nd_free(st->b);
    nd_free(st->first);
    nd_free(st->ck);
    nd_vec_free(&st->far);
    memset(st, 0, sizeof *st);
}

int nd_adfs_from(nd_adfs *st, nd_adf *v, size_t n, size_t nd, int max_df)
{
    size_t sorted = 1;
    memset(st, 0, sizeof *st);
    while (sorted < n && cmp_adf(&v[sorted - 1], &v[sorted]) <= 0)
        sorted++;
    if (sorted < n)
        qsort(v, n, sizeof *v, cmp_adf);
    while (n && v[n - 1].doc >= nd) /* none: documents below nd only */
        n--;
    st->n = n;
    st->nd = nd;
    st->b = nd_malloc(n + 1);
    st->first = nd_malloc((nd + 1) * sizeof *st->first);
    st->ck = nd_malloc((n / ND_ADF_CK + 1) * sizeof *st->ck);
    if (!st->b || !st->first || !st->ck) {
        nd_adfs_free(st);
        return ND_ENOMEM;
    }
    for (size_t d = 0, j = 0; d <= nd; d++) {
        while (j < n && v[j].doc < d)
            j++;
        st->first[d] = j;
    }
    for (size_t i = 0; i < n; i++) {
        uint32_t prev = i && v[i - 1].doc == v[i].doc ? v[i - 1].pos : 0;
        uint8_t b = nd_adf_flags(v[i].df, max_df);
        if (v[i].pos - prev >= ND_ADF_STEP) {
            nd_adf_far f = {i, v[i].pos};
            if (nd_vec_push(&st->far, f)) {
                nd_adfs_free(st);
                return ND_ENOMEM;
            }
            b |= ND_ADF_STEP;
        } else {
            b |= (uint8_t)(v[i].pos - prev);
        }
        st->b[i] = b;
        if (i % ND_ADF_CK == 0)
            st->ck[i / ND_ADF_CK] = v[i].pos;
    }
    return ND_OK;
}

/* Position of anchor it->i, the anchor before it being at @p prev (0:
 * the document's first). */
static uint32_t adfs_decode(nd_adfs_it *it, uint32_t prev)
{
    const nd_adfs *st = it->st;
    uint8_t step = st->b[it->i] & ND_ADF_STEP;
    if (step != ND_ADF_STEP)
        return prev + step;
    while (it->far + 1 < st->far.n && st->far.v[it->far].i < it->i)
        it->far++;
    return st->far.v[it->far].pos;
}

void nd_adfs_seek(const nd_adfs *st, uint32_t doc, uint32_t from,
                  nd_adfs_it *it)
{
    const size_t f0 = st->first[doc], f1 = st->first[doc + 1];
    /* The document's checkpoints: the last before @p from. */
    const size_t k0 = (f0 + ND_ADF_CK - 1) / ND_ADF_CK;
    size_t lo = k0, hi = (f1 + ND_ADF_CK - 1) / ND_ADF_CK;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (st->ck[mid] < from)
            lo = mid + 1;
        else
            hi = mid;
    }
    it->st = st;
    it->end = f1;
    it->i = lo > k0 ? (lo - 1) * ND_ADF_CK : f0;
    it->far = adfs_far_at(st, it->i);
    if (it->i >= f1)
        return;
    it->next = lo > k0 ? st->ck[lo - 1] : adfs_decode(it, 0);
    while (it->next < from && ++it->i < f1)
        it->next = adfs_decode(it, it->next);
}

int nd_adfs_next(nd_adfs_it *it)
{
    if (it->i >= it->end)
        return 0;
    it->pos = it->next;
    it->flags = it->st->b[it->i] & (ND_ADF_RARE | ND_ADF_FREQ);
    if (++it->i < it->end)
        it->next = adfs_decode(it, it->next);
    return 1;
}

/* The anchors by document: as the anchor stage gave them, or from the
 * list with dfs (freed). */
static int index_adfs(scan *S)
{
    if (S->st.first) /* nd_scan_anchor_pairs's */
        return ND_OK;
    int rc = nd_adfs_from(&S->st, S->adfs.v, S->adfs.n, S->nd,
                          S->set->max_df);
    nd_vec_free(&S->adfs);
    return rc;
}

/*
 * Is chars [s, e) of doc rare?  Most of its anchors (the median) occur in
 * no other document than the pair.  Edited short matches are evidence of
 * copying only when the words are rare: variants of a stock formula are
 * what every author writes.
 */
static int span_rare(const scan *S, uint32_t doc, uint32_t s, uint32_t e)
{
    size_t rare = 0, all = 0;
    nd_adfs_it it;
    nd_adfs_seek(&S->st, doc, s, &it);
    while (nd_adfs_next(&it) && it.pos + ANCHOR_LEN <= e) {
        all++;
        rare += (it.flags & ND_ADF_RARE) != 0;
    }
    return 2 * rare >= all;
}

/*
 * Cut a boilerplate passage to the stretch its frequent anchors cover: an
 * end where the anchors are rare is text that only this pair shares around
 * the formula.  Ends without anchors are kept (winnowing leaves gaps).  b's
 * side moves by the same amounts (the passage is nearly diagonal).  The
 * anchors of a inside the passage are given one by one, in order
 * (trim_see), then trim_cut cuts.
 */
typedef struct trim {
    uint32_t lo, hi;
    int rare_before, rare_after;
} trim;

static void trim_see(trim *t, uint32_t pos, int frequent)
{
    if (frequent) {
        t->lo = ND_MIN(t->lo, pos);
        t->hi = pos + ANCHOR_LEN;
        t->rare_after = 0;
    } else {
        t->rare_before |= t->lo == UINT32_MAX;
        t->rare_after = 1;
    }
}

static void trim_cut(const trim *t, nd_pres *r)
{
    uint32_t lo = t->lo, hi = t->hi;
    if (lo == UINT32_MAX)
        return;
    if (!t->rare_before)
        lo = r->s.a0;
    if (!t->rare_after)
        hi = r->s.a1;
    uint32_t cut0 = lo - r->s.a0, cut1 = r->s.a1 - hi;
    if (cut0 + cut1 >= r->s.b1 - r->s.b0)
        return;
    r->s.a0 = lo;
    r->s.a1 = hi;
    r->s.b0 += cut0;
    r->s.b1 -= cut1;
}

void nd_scan_trim(const nd_settings *set, const nd_adf *adfs, size_t n,
                  nd_pres *r)
{
    const uint32_t max_df = (uint32_t)set->max_df;
    trim t = {UINT32_MAX, 0, 0, 0};
    size_t i = 0, end = n;
    while (i < end) { /* binary search: first anchor at or after a0 */
        size_t mid = i + (end - i) / 2;
        if (adfs[mid].pos < r->s.a0)
            i = mid + 1;
        else
            end = mid;
    }
    for (; i < n && adfs[i].pos + ANCHOR_LEN <= r->s.a1; i++)
        trim_see(&t, adfs[i].pos, adfs[i].df > max_df);
    trim_cut(&t, r);
}

static void trim_boiler(const scan *S, pres *r)
{
    trim t = {UINT32_MAX, 0, 0, 0};
    nd_adfs_it it;
    nd_adfs_seek(&S->st, r->a, r->s.a0, &it);
    while (nd_adfs_next(&it) && it.pos + ANCHOR_LEN <= r->s.a1)
        trim_see(&t, it.pos, (it.flags & ND_ADF_FREQ) != 0);
    trim_cut(&t, r);
}

/* The boilerplate passages trimmed by the caller's source (all at once,
 * so that a distributed source can batch them). */
static int trim_by_src(scan *S)
{
    size_t nb = 0, k = 0;
    for (size_t i = 0; i < S->pas.n; i++)
        nb += S->pas.v[i].boiler != 0;
    pres *b = nd_malloc((nb + 1) * sizeof *b);
    if (!b)
        return ND_ENOMEM;
    for (size_t i = 0; i < S->pas.n; i++)
        if (S->pas.v[i].boiler)
            b[k++] = S->pas.v[i];
    int rc = S->src->trim(S->src->user, b, nb);
    for (size_t i = 0, j = 0; !rc && i < S->pas.n; i++)
        if (S->pas.v[i].boiler)
            S->pas.v[i] = b[j++];
    nd_free(b);
    return rc;
}

typedef struct ival {
    uint32_t s, e;
} ival;

static int cmp_ival(const void *x, const void *y)
{
    const ival *a = x, *b = y;
    return a->s < b->s ? -1 : a->s > b->s;
}

/* Characters covered by the union of intervals (sorted in place). */
static uint32_t covered(ival *v, size_t n)
{
    if (!n)
        return 0;
    qsort(v, n, sizeof *v, cmp_ival);
    uint32_t total = 0, s = v[0].s, e = v[0].e;
    for (size_t i = 1; i < n; i++) {
        if (v[i].s > e) {
            total += e - s;
            s = v[i].s;
            e = v[i].e;
        } else if (v[i].e > e) {
            e = v[i].e;
        }
    }
    return total + (e - s);
}

#define VERIFY_BLOCK 32 /* candidates per task of the verification pool */

typedef ND_VEC(pres) pres_vec;

/*
 * A document's shingle set for exact Jaccard: open addressing, linear
 * probing, 0 for an empty slot (the hash 0 itself is a flag).  A tag per
 * element marks the elements another document was found to share (tag ==
 * epoch), so that each shared element counts once.
 */
typedef struct hashset {
    uint64_t *t;
    uint32_t *tag;
    size_t cap;   /* a power of two, at least twice the elements */
    size_t alloc; /* slots allocated */
    uint32_t epoch, tag0;
    int has0;
} hashset;

/* @p s as the set of the @p m hashes @p h. */
static int hashset_build(hashset *s, const uint64_t *h, size_t m)
{
    size_t cap = 16;
    while (cap < 2 * m)
        cap *= 2;
    if (cap > s->alloc) {
        uint64_t *t = nd_realloc(s->t, cap * sizeof *t);
        if (t)
            s->t = t;
        uint32_t *tag = t ? nd_realloc(s->tag, cap * sizeof *tag) : NULL;
        if (tag)
            s->tag = tag;
        if (!t || !tag)
            return ND_ENOMEM;
        s->alloc = cap;
    }
    s->cap = cap;
    const size_t mask = cap - 1;
    memset(s->t, 0, cap * sizeof *s->t);
    memset(s->tag, 0, cap * sizeof *s->tag);
    s->epoch = 0;
    s->tag0 = 0;
    s->has0 = 0;
    for (size_t k = 0; k < m; k++) {
        uint64_t x = h[k];
        if (!x) {
            s->has0 = 1;
            continue;
        }
        size_t i = (size_t)x & mask;
        while (s->t[i] && s->t[i] != x)
            i = (i + 1) & mask;
        s->t[i] = x;
    }
    return ND_OK;
}

/* Elements of @p s among the @p m hashes @p h (repeats count once). */
static size_t hashset_shared(hashset *s, const uint64_t *h, size_t m)
{
    if (++s->epoch == 0) { /* wrapped: old tags would look current */
        memset(s->tag, 0, s->cap * sizeof *s->tag);
        s->tag0 = 0;
        s->epoch = 1;
    }
    const size_t mask = s->cap - 1;
    const uint32_t ep = s->epoch;
    size_t shared = 0;
    for (size_t k = 0; k < m; k++) {
        uint64_t x = h[k];
        if (!x) {
            if (s->has0 && s->tag0 != ep) {
                s->tag0 = ep;
                shared++;
            }
            continue;
        }
        for (size_t i = (size_t)x & mask; s->t[i]; i = (i + 1) & mask)
            if (s->t[i] == x) {
                if (s->tag[i] != ep) {
                    s->tag[i] = ep;
                    shared++;
                }
                break;
            }
    }
    return shared;
}

/* A worker's shingle sets: that of the last candidate's first document
 * (the candidates are sorted, so it repeats). */
typedef struct setcache {
    nd_u64_vec h; /* shingle hashes of one document */
    nd_cpbuf t;   /* its text, when 16-bit, widened */
    hashset a;
    uint32_t a_doc; /* document in a, when a_ok */
    int a_ok;
} setcache;

typedef struct verifier {
    scan *S;
    nd_align_params ap;
    nd_aligner **al;    /* per worker */
    nd_span_vec *spans; /* per worker */
    setcache *sb;         /* per worker */
    pres_vec *out;      /* per block of VERIFY_BLOCK candidates */
    ND_VEC(nd_pair) *pout; /* per block: its pairs worth reporting (out's
                              .pair index them) */
} verifier;

/*
 * Keys of the shingles of document @p doc into sb->h (text order, repeats
 * kept): a rolling polynomial hash of each k-gram (mod 2^64), mixed.  The
 * XXH3 shingle hashes are what indexes store; these only tell grams apart
 * and cost a few instructions a character, so counts are those of the
 * XXH3 sets but for collisions of either 64-bit hash (odds ~10^-11 with
 * 10^4 shingles a document).
 */
static int doc_hashes(const scan *S, uint32_t doc, setcache *sb)
{
    const uint64_t B = UINT64_C(0x9E3779B97F4A7C15);
    const nd_doc *d = &S->c->docs.v[doc];
    const size_t k = (size_t)S->set->shingle;
    size_t m = nd_shingle_count(d->n, (int)k);
    ND_TRY(nd_vec_reserve(&sb->h, m + 1));
    const uint32_t *cp = nd_doc_text(d, 0, d->n, &sb->t);
    if (!cp)
        return ND_ENOMEM;
    const size_t len = d->n < k ? d->n : k;
    uint64_t h = 0, top = 1; /* top: B^(len - 1) */
    for (size_t j = 0; j < len; j++) {
        h = h * B + cp[j] + 1;
        if (j)
            top *= B;
    }
    for (size_t i = 0; i < m; i++) {
        if (i) /* drop cp[i - 1], add cp[i + len - 1] */
            h = (h - (cp[i - 1] + UINT64_C(1)) * top) * B +
                cp[i + len - 1] + 1;
        uint64_t x = h ^ (h >> 31); /* the low bits pick the slot */
        x *= UINT64_C(0xD6E8FEB86659FD93);
        sb->h.v[i] = x ^ (x >> 32);
    }
    sb->h.n = m;
    return ND_OK;
}

/*
 * The shingles candidate (a, b) shares.  When the aligner's grams are the
 * shingles (@p al_grams: min_run is the shingle size, and both texts have
 * a full one), the aligner @p al counted them while it looked b's grams up
 * in a's table for the pair (nd_aligner_shared): nothing more to do.
 * Else from the texts: a's set in a hash table, kept while a repeats, b's
 * shingles looked up in it.
 */
static int pair_shared(const scan *S, setcache *sb, const nd_aligner *al,
                       int al_grams, uint32_t a, uint32_t b, size_t *inter)
{
    const uint32_t k = (uint32_t)S->set->shingle;
    if (al_grams && S->c->docs.v[a].n >= k && S->c->docs.v[b].n >= k) {
        *inter = nd_aligner_shared(al);
        return ND_OK;
    }
    if (!sb->a_ok || sb->a_doc != a) {
        sb->a_ok = 0;
        ND_TRY(doc_hashes(S, a, sb));
        ND_TRY(hashset_build(&sb->a, sb->h.v, sb->h.n));
        sb->a_ok = 1;
        sb->a_doc = a;
    }
    ND_TRY(doc_hashes(S, b, sb));
    *inter = hashset_shared(&sb->a, sb->h.v, sb->h.n);
    return ND_OK;
}

/* Align documents @p a and @p b whole, into @p spans, on worker @p worker
 * (candidates come sorted: a repeats, and the aligner keeps its table
 * while a's id, the document's, stays the same). */
static int align_pair(verifier *V, int worker, uint32_t a, uint32_t b,
                      nd_span_vec *spans)
{
    const nd_doc *da = &V->S->c->docs.v[a], *db = &V->S->c->docs.v[b];
    nd_atext ta = nd_doc_atext(da, 0, da->n, (uint64_t)a + 1);
    nd_atext tb = nd_doc_atext(db, 0, db->n, 0);
    return nd_align_text(V->al[worker], &V->ap, &ta, &tb, spans);
}

/* Document @p d's text into L2, a line at a time: the next candidate's
 * b, which is at a random place (its a is mostly the same). */
static void prefetch_text(const nd_doc *d)
{
    const char *t = nd_doc_addr(d, 0);
    size_t bytes = (size_t)d->n << (d->c16 ? 1 : 2);
    for (size_t i = 0; t && i < bytes; i += 64)
        __builtin_prefetch(t + i, 0, 2);
}

/* Verify and align candidates [blk * VERIFY_BLOCK, ...) (a pool task). */
static int verify_block(void *user, size_t blk, int worker)
{
    verifier *V = user;
    scan *S = V->S;
    const nd_settings *set = S->set;
    nd_span_vec *spans = &V->spans[worker];
    size_t end = ND_MIN(S->cands.n, (blk + 1) * VERIFY_BLOCK);
    for (size_t x = blk * VERIFY_BLOCK; x < end; x++) {
        uint32_t a = (uint32_t)(S->cands.v[x] >> 32);
        uint32_t b = (uint32_t)S->cands.v[x];
        nd_pair p = {0};
        p.a = a;
        p.b = b;
        const uint32_t at = (uint32_t)V->pout[blk].n; /* p's index, if kept */
        spans->n = 0;
        if (x + 1 < end && !set->pairs_only) /* the next b, into L2 */
            prefetch_text(&S->c->docs.v[(uint32_t)S->cands.v[x + 1]]);
        if (!set->pairs_only)
            ND_TRY(align_pair(V, worker, a, b, spans));
        size_t first = V->out[blk].n;
        for (size_t i = 0; i < spans->n; i++) {
            pres r = {a, b, spans->v[i], at, 0, 0, 0};
            if (!r.s.fuzzy || span_rare(S, a, r.s.a0, r.s.a1))
                ND_TRY(nd_vec_push(&V->out[blk], r));
        }
        /* A pair with nothing shared is not reported: verify and keep
         * only pairs with passages and those document LSH proposed (most
         * candidates are neither: 8 million of them on a 1 GB corpus). */
        if (V->out[blk].n == first &&
            (!S->lsh.n || !bsearch(&S->cands.v[x], S->lsh.v, S->lsh.n,
                                   sizeof *S->lsh.v, cmp_u64)))
            continue;
        size_t na = S->nsets[a], nb = S->nsets[b], inter;
        ND_TRY(pair_shared(S, &V->sb[worker], V->al[worker],
                           V->ap.min_run == set->shingle && !set->pairs_only,
                           a, b, &inter));
        size_t uni = na + nb - inter;
        p.jaccard = uni ? (double)inter / (double)uni : 0;
        p.jaccard_est = nd_minhash_estimate(S->sigs + a * (size_t)set->perm,
                                            S->sigs + b * (size_t)set->perm,
                                            set->perm);
        p.containment_a = na ? (double)inter / na : 0;
        p.containment_b = nb ? (double)inter / nb : 0;
        p.near_duplicate = uni && (p.jaccard >= set->threshold ||
                                   p.containment_a >= set->containment ||
                                   p.containment_b >= set->containment);
        ND_TRY(nd_vec_push(&V->pout[blk], p));
    }
    return ND_OK;
}

/* Verify every candidate exactly and align it, in parallel; the passages
 * are gathered in candidate order, whatever the thread count. */
static int verify_pairs(scan *S)
{
    verifier V = {S, {0}, NULL, NULL, NULL, NULL, NULL};
    nd_align_default_params(&V.ap, S->set->min_passage);
    size_t nblk = (S->cands.n + VERIFY_BLOCK - 1) / VERIFY_BLOCK;
    int rc = ND_OK;
    V.al = nd_calloc((size_t)S->threads, sizeof *V.al);
    V.spans = nd_calloc((size_t)S->threads, sizeof *V.spans);
    V.sb = nd_calloc((size_t)S->threads, sizeof *V.sb);
    V.out = nd_calloc(nblk + 1, sizeof *V.out);
    V.pout = nd_calloc(nblk + 1, sizeof *V.pout);
    if (!V.al || !V.spans || !V.sb || !V.out || !V.pout)
        rc = ND_ENOMEM;
    for (int t = 0; !rc && t < S->threads; t++)
        rc = nd_aligner_new(&V.al[t]);
    nd_progress(S->c->ctx, ND_STAGE_ALIGN, 0, S->cands.n, 0);
    if (!rc)
        rc = nd_pool_run(S->threads, nblk, 1, verify_block, &V);
    nd_progress(S->c->ctx, ND_STAGE_ALIGN, S->cands.n, S->cands.n, 0);
    size_t total = 0, npairs = 0;
    for (size_t b = 0; V.out && V.pout && b < nblk; b++) {
        total += V.out[b].n;
        npairs += V.pout[b].n;
    }
    if (!rc)
        rc = nd_vec_reserve(&S->pas, total);
    if (!rc)
        rc = nd_vec_reserve(&S->pairs, npairs);
    for (size_t b = 0; V.out && V.pout && b < nblk; b++) {
        if (!rc) { /* an empty block has no arrays */
            for (size_t i = 0; i < V.out[b].n; i++) {
                S->pas.v[S->pas.n] = V.out[b].v[i];
                S->pas.v[S->pas.n++].pair += (uint32_t)S->pairs.n;
            }
            if (V.pout[b].n)
                memcpy(S->pairs.v + S->pairs.n, V.pout[b].v,
                       V.pout[b].n * sizeof *V.pout[b].v);
            S->pairs.n += V.pout[b].n;
        }
        nd_vec_free(&V.out[b]);
        nd_vec_free(&V.pout[b]);
    }
    for (int t = 0; V.al && t < S->threads; t++)
        nd_aligner_free(V.al[t]);
    for (int t = 0; V.spans && t < S->threads; t++)
        nd_vec_free(&V.spans[t]);
    for (int t = 0; V.sb && t < S->threads; t++) {
        nd_vec_free(&V.sb[t].h);
        nd_vec_free(&V.sb[t].t);
        nd_free(V.sb[t].a.t);
        nd_free(V.sb[t].a.tag);
    }
    nd_free(V.al);
    nd_free(V.spans);
    nd_free(V.sb);
    nd_free(V.out);
    nd_free(V.pout);
    return rc;
}

static uint32_t uf_find(uint32_t *p, uint32_t x);
static void uf_union(uint32_t *p, uint32_t x, uint32_t y);

/*
 * Stable LSD radix sort of @p n occurrences by the uint32 fields at byte
 * offsets @p key[0..nk) (the first the most significant), 8 bits a pass,
 * skipping digits equal in all of them; @p tmp holds n.  The sorts of
 * group_passages, 330,000 occurrences at 1 GB, took 0.2 s with qsort (a
 * call a comparison) while the other threads waited.
 */
static void sort_occ(occ *v, occ *tmp, size_t n, const size_t *key,
                     int nk)
{
    occ *a = v, *b = tmp;
    for (int k = nk - 1; k >= 0; k--)
        for (unsigned sh = 0; sh < 32; sh += 8) {
            size_t cnt[256] = {0};
            uint32_t f;
            for (size_t i = 0; i < n; i++) {
                memcpy(&f, (const char *)&a[i] + key[k], sizeof f);
                cnt[f >> sh & 0xFF]++;
            }
            memcpy(&f, (const char *)&a[0] + key[k], sizeof f);
            if (cnt[f >> sh & 0xFF] == n)
                continue; /* the same digit in all */
            for (size_t d = 0, at = 0; d < 256; d++) {
                size_t c = cnt[d];
                cnt[d] = at;
                at += c;
            }
            for (size_t i = 0; i < n; i++) {
                memcpy(&f, (const char *)&a[i] + key[k], sizeof f);
                b[cnt[f >> sh & 0xFF]++] = a[i];
            }
            occ *t = a;
            a = b;
            b = t;
        }
    if (a != v)
        memcpy(v, a, n * sizeof *v);
}

/*
 * Group passages that are the same text in different documents: a passage
 * links its two sides, and two sides in one document that overlap by at
 * least half of the shorter, the longer not reaching min_passage
 * characters beyond the overlap, are one occurrence.  A group's document count
 * is the df of its passages; groups above max_df are boilerplate.  Groups
 * are numbered by their first occurrence in document order.
 */
static int group_passages(scan *S)
{
    size_t np = S->pas.n;
    if (!np)
        return ND_OK;
    ND_TRY(nd_vec_reserve(&S->occ, 2 * np));
    uint32_t *uf = nd_malloc(2 * np * sizeof *uf);
    uint32_t *rank = nd_malloc(2 * np * sizeof *rank);
    uint32_t *df = nd_calloc(2 * np, sizeof *df);
    occ *tmp = nd_malloc(2 * np * sizeof *tmp);
    if (!uf || !rank || !df || !tmp) {
        nd_free(uf);
        nd_free(rank);
        nd_free(df);
        nd_free(tmp);
        return ND_ENOMEM;
    }
    static const size_t by_place[] = {offsetof(occ, doc), offsetof(occ, s),
                                      offsetof(occ, e)};
    static const size_t by_group[] = {offsetof(occ, node),
                                      offsetof(occ, doc), offsetof(occ, s),
                                      offsetof(occ, e)};
    for (size_t i = 0; i < np; i++) {
        const pres *r = &S->pas.v[i];
        occ x = {r->a, r->s.a0, r->s.a1, (uint32_t)(2 * i)};
        occ y = {r->b, r->s.b0, r->s.b1, (uint32_t)(2 * i + 1)};
        S->occ.v[2 * i] = x;
        S->occ.v[2 * i + 1] = y;
        uf[2 * i] = (uint32_t)(2 * i);
        uf[2 * i + 1] = (uint32_t)(2 * i + 1);
        uf_union(uf, (uint32_t)(2 * i), (uint32_t)(2 * i + 1));
    }
    S->occ.n = 2 * np;
    occ *o = S->occ.v;
    sort_occ(o, tmp, S->occ.n, by_place, 3);
    /* Text beyond the overlap that is a passage in its own right makes a
     * different passage: a whole copied speech that contains a stock
     * formula is not the formula. */
    const uint32_t min_rest = (uint32_t)S->set->min_passage;
    for (size_t i = 0; i < S->occ.n;) {
        /* One document: merge strong overlaps with the running extent. */
        size_t j = i + 1, rep = i;
        uint32_t cs = o[i].s, ce = o[i].e;
        for (; j < S->occ.n && o[j].doc == o[i].doc; j++) {
            uint32_t ov = o[j].s < ce ? ND_MIN(ce, o[j].e) - o[j].s : 0;
            uint32_t lx = ce - cs, ly = o[j].e - o[j].s;
            uint32_t shorter = ND_MIN(lx, ly), rest = ND_MAX(lx, ly) - ov;
            if (shorter && 2 * ov >= shorter && rest < min_rest) {
                uf_union(uf, o[rep].node, o[j].node);
                ce = ND_MAX(ce, o[j].e);
            } else {
                rep = j;
                cs = o[j].s;
                ce = o[j].e;
            }
        }
        i = j;
    }
    /* Number groups by first occurrence; count their documents (occ is in
     * document order, so a document is new to a group when it differs
     * from the last one counted). */
    uint32_t ng = 0;
    for (size_t i = 0; i < 2 * np; i++)
        rank[i] = UINT32_MAX;
    for (size_t i = 0; i < S->occ.n; i++) {
        uint32_t root = uf_find(uf, o[i].node);
        if (rank[root] == UINT32_MAX)
            rank[root] = ng++;
    }
    uint32_t *seen = nd_malloc(((size_t)ng + 1) * sizeof *seen);
    if (!seen) {
        nd_free(uf);
        nd_free(rank);
        nd_free(df);
        nd_free(tmp);
        return ND_ENOMEM;
    }
    for (uint32_t g = 0; g < ng; g++)
        seen[g] = UINT32_MAX;
    for (size_t i = 0; i < S->occ.n; i++) {
        uint32_t g = rank[uf_find(uf, o[i].node)];
        if (seen[g] != o[i].doc) {
            seen[g] = o[i].doc;
            df[g]++;
        }
    }
    for (size_t i = 0; i < np; i++) {
        pres *r = &S->pas.v[i];
        r->comp = rank[uf_find(uf, (uint32_t)(2 * i))];
        r->df = df[r->comp];
        r->boiler = r->df > (uint32_t)S->set->max_df;
    }
    /* The occurrences reported are the boilerplate passages' sides after
     * trimming, labelled by group. */
    int by_src = S->src && S->src->trim, trc;
    if (by_src && (trc = trim_by_src(S))) {
        nd_free(seen);
        nd_free(uf);
        nd_free(rank);
        nd_free(df);
        nd_free(tmp);
        return trc;
    }
    for (size_t i = 0; i < np; i++) {
        pres *r = &S->pas.v[i];
        if (r->boiler && !by_src)
            trim_boiler(S, r);
        occ x = {r->a, r->s.a0, r->s.a1, r->comp};
        occ y = {r->b, r->s.b0, r->s.b1, r->comp};
        o[2 * i] = x;
        o[2 * i + 1] = y;
    }
    sort_occ(o, tmp, S->occ.n, by_group, 4);
    S->ngroups = ng;
    nd_free(tmp);
    nd_free(seen);
    nd_free(uf);
    nd_free(rank);
    nd_free(df);
    return ND_OK;
}

/* Pair summaries from the classified passages. */
static int summarize_pairs(scan *S)
{
    ND_VEC(ival) ia = {0}, ib = {0};
    int rc = ND_OK;
    size_t k = 0;
    for (size_t x = 0; !rc && x < S->pairs.n; x++) {
        nd_pair *p = &S->pairs.v[x];
        ia.n = ib.n = 0;
        for (; !rc && k < S->pas.n && S->pas.v[k].pair == x; k++) {
            const pres *r = &S->pas.v[k];
            if (r->boiler) {
                p->boilerplate++;
                continue;
            }
            p->passages++;
            ival u = {r->s.a0, r->s.a1}, v = {r->s.b0, r->s.b1};
            if (!(rc = nd_vec_push(&ia, u)))
                rc = nd_vec_push(&ib, v);
        }
        p->reused_chars_a = covered(ia.v, ia.n);
        p->reused_chars_b = covered(ib.v, ib.n);
    }
    nd_vec_free(&ia);
    nd_vec_free(&ib);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Union-find                                                           */

static uint32_t uf_find(uint32_t *p, uint32_t x)
{
    while (p[x] != x) {
        p[x] = p[p[x]];
        x = p[x];
    }
    return x;
}

static void uf_union(uint32_t *p, uint32_t x, uint32_t y)
{
    x = uf_find(p, x);
    y = uf_find(p, y);
    if (x != y) /* the smaller root wins: components named by first node */
        p[x > y ? x : y] = x < y ? x : y;
}

/* ------------------------------------------------------------------ */
/* Output                                                               */

typedef struct emit {
    scan *S;
    nd_record_fn fn;
    void *user;
} emit;

static int send(emit *E, const nd_record *r)
{
    if (E->S->asking) /* only collecting the spans the records need */
        return ND_OK;
    return E->fn(E->user, r) ? ND_EABORT : ND_OK;
}

static uint64_t byte_start(const nd_doc *d, uint32_t i)
{
    uint32_t bs, be;
    if (i >= d->n)
        return d->pub.end;
    nd_doc_bytes(d, i, &bs, &be);
    return bs;
}

static uint64_t byte_end(const nd_doc *d, uint32_t i)
{
    uint32_t bs, be;
    if (!i)
        return d->pub.start;
    nd_doc_bytes(d, i - 1, &bs, &be);
    return be;
}

int nd_scan_span(nd_corpus *c, nd_reader *rd, uint32_t id, nd_span_q *q)
{
    const nd_doc *d = &c->docs.v[id];
    q->start = byte_start(d, q->c0);
    q->end = byte_end(d, q->c1);
    q->text = NULL;
    q->chars = 0;
    int rc = ND_OK;
    if (q->want & ND_SPAN_TEXT)
        rc = nd_corpus_slice_from(c, rd, id, q->start, q->end, &q->text);
    if (!rc && (q->want & ND_SPAN_CHARS)) {
        /* Characters inside the bytes: starts and ends never decrease, so
         * two binary searches. */
        uint32_t lo = 0, hi = d->n, k, bs, be;
        while (lo < hi) { /* first character starting at or after start */
            uint32_t mid = lo + (hi - lo) / 2;
            nd_doc_bytes(d, mid, &bs, &be);
            if (bs < q->start)
                lo = mid + 1;
            else
                hi = mid;
        }
        k = lo;
        for (lo = k, hi = d->n; lo < hi;) { /* first ending after end */
            uint32_t mid = lo + (hi - lo) / 2;
            nd_doc_bytes(d, mid, &bs, &be);
            if (be <= q->end)
                lo = mid + 1;
            else
                hi = mid;
        }
        q->chars = lo - k;
    }
    if (!rc && (q->want & ND_SPAN_POS)) {
        rc = nd_corpus_locate(c, id, q->start, &q->pos[0]);
        if (!rc)
            rc = nd_corpus_locate(c, id, q->end, &q->pos[1]);
    }
    return rc;
}

/* Spans a window holds when the report reads them ahead itself, and a
 * pool task's share. */
#define SPAN_WINDOW 16384
#define SPAN_BLOCK 64
#define SPAN_AGAIN 0x100 /* a span's file could not be read on a worker */

typedef struct spanjob {
    scan *S;
    nd_span_q *q;
    size_t n;
    uint64_t *order; /* file << 32 | index of q, sorted; or NULL */
} spanjob;

static int span_task(void *user, size_t i, int worker)
{
    spanjob *J = user;
    nd_span_q *q = &J->q[J->order ? (uint32_t)J->order[i] : i];
    int rc = nd_scan_span(J->S->c, &J->S->rds[worker], q->doc, q);
    if (rc == ND_EIO) { /* for the calling thread, which may log */
        q->want |= SPAN_AGAIN;
        rc = ND_OK;
    }
    return rc;
}

/* Spans [r0, r1) read on the threads, each with its own reader (a
 * thread of its own: read_ahead). */
static void *read_spans(void *arg)
{
    scan *S = arg;
    spanjob J = {S, S->spans.v + S->r0, S->r1 - S->r0, NULL};
    /* By file: a task's spans are mostly of a few files, each opened
     * once (a reader keeps ND_READER_FILES open), where in record order
     * nearly every span opened and checked its file again (1 GB corpus:
     * 330,000 spans of 90,751 files). */
    J.order = nd_malloc((J.n + 1) * sizeof *J.order);
    for (size_t i = 0; J.order && i < J.n; i++)
        J.order[i] = (uint64_t)S->c->docs.v[J.q[i].doc].file << 32 | i;
    if (J.order)
        qsort(J.order, J.n, sizeof *J.order, cmp_u64);
    S->rrc = nd_pool_run(S->threads, J.n, SPAN_BLOCK, span_task, &J);
    nd_free(J.order);
    return NULL;
}

/* Start reading spans [r0, r1) on a thread of their own, so that the
 * texts of the next window come in while the records of this one are
 * made and written (on the calling thread, which did nothing else
 * before: 1 GB corpus, report 1.9 -> 1.3 s). */
static int read_ahead(scan *S, size_t r0, size_t r1)
{
    S->r0 = r0;
    S->r1 = r1;
    S->rrc = ND_OK;
    if (pthread_create(&S->rtid, NULL, read_spans, S)) {
        read_spans(S); /* no thread: read them now */
        return S->rrc;
    }
    S->rbusy = 1;
    return ND_OK;
}

/* Spans [r0, r1), once read: a file that could not be read again on a
 * worker (quiet) is read once more here, on the calling thread, which
 * marks it gone and logs it as the serial report does. */
static int read_done(scan *S)
{
    if (S->rbusy) {
        pthread_join(S->rtid, NULL);
        S->rbusy = 0;
    }
    int rc = S->rrc;
    for (size_t i = S->r0; !rc && i < S->r1; i++) {
        nd_span_q *q = &S->spans.v[i];
        if (q->want & SPAN_AGAIN) {
            q->want &= ~(uint32_t)SPAN_AGAIN;
            rc = nd_scan_span(S->c, &S->rd, q->doc, q);
        }
    }
    return rc;
}

/* The next window of questions answered by the source (or read ahead);
 * the texts of the window before (all used) freed. */
static int next_window(scan *S)
{
    for (size_t i = S->win0; i < S->win1; i++) {
        nd_free(S->spans.v[i].text);
        S->spans.v[i].text = NULL;
    }
    size_t w = !S->src ? SPAN_WINDOW
               : S->src->window ? S->src->window : S->spans.n;
    S->win0 = S->win1;
    S->win1 = S->win0 + ND_MIN(w, S->spans.n - S->win0);
    if (S->src)
        return S->src->spans(S->src->user, S->spans.v + S->win0,
                             S->win1 - S->win0);
    int rc = S->rbusy || S->r1 == S->win1 ? ND_OK
             : read_ahead(S, S->win0, S->win1); /* the first window */
    if (!rc)
        rc = read_done(S);
    if (!rc && S->win1 < S->spans.n)
        rc = read_ahead(S, S->win1,
                        S->win1 + ND_MIN(w, S->spans.n - S->win1));
    return rc;
}

/*
 * Characters [c0, c1) of @p doc as the record needs them (@p want):
 * from the corpus, or (with a span source) listed in the asking pass and
 * taken from the answers, in the same order, in the next.  q->text is a
 * new string or NULL (nd_free).
 */
static int span_get(scan *S, uint32_t doc, uint32_t c0, uint32_t c1,
                    uint32_t want, nd_span_q *q)
{
    nd_span_q k = {doc, c0, c1, want, 0, 0, 0, NULL, {{0, 0, 0}, {0, 0, 0}}};
    *q = k;
    if (!S->ahead && (!S->src || !S->src->spans))
        return nd_scan_span(S->c, &S->rd, doc, q);
    if (S->asking)
        return nd_vec_push(&S->spans, k);
    int rc;
    if (S->next == S->win1 && S->next < S->spans.n && (rc = next_window(S)))
        return rc;
    if (S->next >= S->win1)
        return ND_EINVAL;
    nd_span_q *a = &S->spans.v[S->next++];
    if (a->doc != doc || a->c0 != c0 || a->c1 != c1 || a->want != want)
        return ND_EINVAL; /* the two passes asked different questions */
    *q = *a;
    a->text = NULL; /* the caller's now */
    if ((want & ND_SPAN_TEXT) && !q->text && !(q->text = nd_strdup("")))
        return ND_ENOMEM;
    return ND_OK;
}

static int emit_passage(emit *E, const pres *r)
{
    nd_record rec = {.type = ND_REC_PASSAGE};
    nd_passage *p = &rec.u.passage;
    nd_span_q qa, qb;
    int rc = span_get(E->S, r->a, r->s.a0, r->s.a1, ND_SPAN_TEXT, &qa);
    if (rc)
        return rc;
    if ((rc = span_get(E->S, r->b, r->s.b0, r->s.b1, ND_SPAN_TEXT, &qb))) {
        nd_free(qa.text);
        return rc;
    }
    p->a = r->a;
    p->b = r->b;
    p->a_start = qa.start;
    p->a_end = qa.end;
    p->b_start = qb.start;
    p->b_end = qb.end;
    p->chars = r->s.a1 - r->s.a0;
    p->matched = r->s.matched;
    uint32_t span = ND_MAX(r->s.a1 - r->s.a0, r->s.b1 - r->s.b0);
    p->similarity = span ? (double)r->s.matched / span : 0;
    p->df = r->df;
    p->boilerplate = r->boiler;
    p->a_text = qa.text;
    p->b_text = qb.text;
    rc = send(E, &rec);
    nd_free(qa.text);
    nd_free(qb.text);
    return rc;
}

/* One record per boilerplate group: its occurrences, overlapping ones in
 * a document merged, in document order. */
static int emit_boilerplate(emit *E, size_t *count)
{
    scan *S = E->S;
    const occ *o = S->occ.v;
    nd_occurrence *out = nd_malloc((S->occ.n + 1) * sizeof *out);
    uint8_t *boiler = nd_calloc((size_t)S->ngroups + 1, 1);
    ND_VEC(uint64_t) ev = {0}; /* position << 1 | starts */
    uint32_t first[2] = {0, 0}; /* characters of the first occurrence */
    int rc = (!out || !boiler) ? ND_ENOMEM : ND_OK;
    for (size_t i = 0; !rc && i < S->pas.n; i++)
        boiler[S->pas.v[i].comp] = (uint8_t)S->pas.v[i].boiler;
    for (size_t i = 0; !rc && i < S->occ.n;) {
        size_t j = i, n = 0;
        uint32_t df = 0;
        while (!rc && j < S->occ.n && o[j].node == o[i].node) {
            /* One document's sides in this group: keep what at least half
             * of them cover, so that words a single pair shares around
             * the stock text are left out. */
            size_t e = j;
            while (e < S->occ.n && o[e].node == o[i].node &&
                   o[e].doc == o[j].doc)
                e++;
            size_t need = (e - j + 1) / 2;
            df++;
            /* Sweep the sides' ends: coverage changes only there. */
            ev.n = 0;
            for (size_t x = j; !rc && x < e; x++) {
                if (!(rc = nd_vec_push(&ev, (uint64_t)o[x].s << 1 | 1)))
                    rc = nd_vec_push(&ev, (uint64_t)o[x].e << 1);
            }
            if (rc)
                break;
            qsort(ev.v, ev.n, sizeof *ev.v, cmp_u64);
            size_t cover = 0;
            uint32_t start = 0;
            for (size_t x = 0; x < ev.n;) {
                uint32_t pos = (uint32_t)(ev.v[x] >> 1);
                size_t before = cover;
                for (; x < ev.n && (uint32_t)(ev.v[x] >> 1) == pos; x++)
                    cover += (ev.v[x] & 1) ? 1 : (size_t)-1;
                if (before < need && cover >= need) {
                    start = pos;
                } else if (before >= need && cover < need) {
                    nd_span_q q = {0}; /* bytes: only groups reported */
                    if (boiler[o[i].node] &&
                        (rc = span_get(S, o[j].doc, start, pos, 0, &q)))
                        break;
                    if (!n) {
                        first[0] = start;
                        first[1] = pos;
                    }
                    nd_occurrence oc = {o[j].doc, q.start, q.end};
                    out[n++] = oc;
                }
            }
            j = e;
        }
        if (rc)
            break;
        if (!boiler[o[i].node] || !n) {
            i = j;
            continue;
        }
        nd_record rec = {.type = ND_REC_BOILERPLATE};
        nd_boilerplate *bp = &rec.u.boilerplate;
        nd_span_q q;
        rc = span_get(S, out[0].doc, first[0], first[1],
                      ND_SPAN_TEXT | ND_SPAN_CHARS, &q);
        char *text = q.text;
        bp->text = text;
        bp->chars = q.chars;
        bp->df = df;
        bp->n = n;
        bp->occ = out;
        if (!rc)
            rc = send(E, &rec);
        nd_free(text);
        (*count)++;
        i = j;
    }
    nd_free(out);
    nd_free(boiler);
    nd_vec_free(&ev);
    return rc;
}

static int emit_clusters(emit *E, size_t *count)
{
    scan *S = E->S;
    uint32_t *uf = nd_malloc((S->nd + 1) * sizeof *uf);
    uint32_t *docs = nd_malloc((S->nd + 1) * sizeof *docs);
    uint32_t *size = nd_calloc(S->nd + 1, sizeof *size);
    uint32_t *end = nd_malloc((S->nd + 1) * sizeof *end);
    int rc = (!uf || !docs || !size || !end) ? ND_ENOMEM : ND_OK;
    for (uint32_t i = 0; !rc && i < S->nd; i++)
        uf[i] = i;
    for (size_t i = 0; !rc && i < S->pairs.n; i++)
        if (S->pairs.v[i].near_duplicate)
            uf_union(uf, S->pairs.v[i].a, S->pairs.v[i].b);
    for (uint32_t i = 0; !rc && i < S->nd; i++) {
        uf[i] = uf_find(uf, i); /* every entry now names its root */
        size[uf[i]]++;
    }
    /* Members grouped by root in one pass (a counting sort), so that many
     * small clusters cost O(documents), not O(documents x clusters). */
    uint32_t at = 0;
    for (uint32_t r = 0; !rc && r < S->nd; r++) {
        end[r] = at;
        at += size[r];
    }
    for (uint32_t i = 0; !rc && i < S->nd; i++)
        docs[end[uf[i]]++] = i;
    /* Roots are the smallest member; walking roots in order gives
     * clusters ordered by their first document. */
    uint32_t id = 0;
    for (uint32_t r = 0; !rc && r < S->nd; r++) {
        if (uf[r] != r || size[r] < 2)
            continue;
        nd_record rec = {.type = ND_REC_CLUSTER};
        rec.u.cluster.id = id++;
        rec.u.cluster.n = size[r];
        rec.u.cluster.docs = docs + end[r] - size[r];
        rc = send(E, &rec);
    }
    *count = id;
    nd_free(uf);
    nd_free(docs);
    nd_free(size);
    nd_free(end);
    return rc;
}

static int report_pass(emit *E, nd_stats *st);

/* The records; with a span source, a first pass lists the spans they
 * need and the second sends them, asking the source a window at a
 * time. */
static int report(scan *S, nd_record_fn fn, void *user, nd_stats *st)
{
    emit E = {S, fn, user};
    int rc;
    /* Without a source, the texts come from the files: on several
     * threads, read ahead a window at a time (re-reading the passages'
     * bytes was most of the report's time on one thread). */
    if (!S->src && S->threads > 1) {
        S->rds = nd_calloc((size_t)S->threads, sizeof *S->rds);
        if (!S->rds)
            return ND_ENOMEM;
        for (int i = 0; i < S->threads; i++)
            S->rds[i].quiet = 1;
        S->ahead = 1;
    }
    if (!S->ahead && (!S->src || !S->src->spans)) {
        rc = report_pass(&E, st);
    } else {
        nd_stats scratch = *st;
        S->asking = 1;
        rc = report_pass(&E, &scratch);
        S->asking = 0;
        S->next = S->win0 = S->win1 = S->r0 = S->r1 = 0;
        if (!rc)
            rc = report_pass(&E, st);
    }
    if (S->rbusy) { /* an error left the next window being read */
        pthread_join(S->rtid, NULL);
        S->rbusy = 0;
    }
    nd_reader_close(&S->rd);
    for (int i = 0; S->rds && i < S->threads; i++)
        nd_reader_close(&S->rds[i]);
    nd_free(S->rds);
    S->rds = NULL;
    S->ahead = 0;
    return rc;
}

static int report_pass(emit *E, nd_stats *st)
{
    scan *S = E->S;
    for (size_t i = 0; i < S->nd; i++) {
        nd_record rec = {.type = ND_REC_DOCUMENT};
        rec.u.document = S->c->docs.v[i].pub;
        ND_TRY(send(E, &rec));
    }
    /* Pairs are in (a, b) order already (candidates were sorted), and
     * passages follow their pair, by a0. */
    size_t k = 0;
    for (size_t i = 0; i < S->pairs.n; i++) {
        const nd_pair *p = &S->pairs.v[i];
        if (!p->near_duplicate && !p->passages)
            continue;
        nd_record rec = {.type = ND_REC_PAIR};
        rec.u.pair = *p;
        ND_TRY(send(E, &rec));
        st->pairs++;
        while (k < S->pas.n && S->pas.v[k].pair < i)
            k++;
        for (; k < S->pas.n && S->pas.v[k].pair == i; k++)
            if (!S->pas.v[k].boiler) {
                ND_TRY(emit_passage(E, &S->pas.v[k]));
                st->passages++;
            }
    }
    size_t nb = 0, nc = 0;
    ND_TRY(emit_boilerplate(E, &nb));
    ND_TRY(emit_clusters(E, &nc));
    st->boilerplate = nb;
    st->clusters = nc;
    return ND_OK;
}

/* What only verification needs: freed once it is done. */
static void free_verify_inputs(scan *S)
{
    nd_free(S->nsets);
    nd_free(S->sigs);
    S->nsets = NULL;
    S->sigs = NULL;
    nd_vec_free(&S->cands);
    nd_vec_free(&S->lsh);
}

/* The anchors: freed once the passages are grouped (trim_boiler). */
static void free_anchors(scan *S)
{
    nd_vec_free(&S->adfs);
    nd_adfs_free(&S->st);
}

static void scan_free(scan *S)
{
    free_verify_inputs(S);
    free_anchors(S);
    nd_vec_free(&S->occ);
    for (size_t i = 0; i < S->spans.n; i++)
        nd_free(S->spans.v[i].text);
    nd_vec_free(&S->spans);
    nd_vec_free(&S->pas);
    nd_vec_free(&S->pairs);
    nd_reader_close(&S->rd);
}

/* A scan of corpus @p c starting from @p in (taken over). */
static void scan_init(scan *S, nd_corpus *c, nd_scan_input *in)
{
    memset(S, 0, sizeof *S);
    S->c = c;
    S->set = &c->ctx->s;
    S->threads = nd_pool_threads(S->set->threads);
    S->nd = c->docs.n;
    S->nsets = in->nsets;
    S->sigs = in->sigs;
    S->adfs.v = in->adfs.v;
    S->adfs.n = in->adfs.n;
    S->adfs.cap = in->adfs.cap;
    S->st = in->store;
}

/* The candidates: document LSH pairs and the hits' pairs, sorted, each
 * once; the anchors indexed by document.  Frees what is left of @p in. */
static int candidates(scan *S, nd_scan_input *in, nd_stats *st)
{
    nd_docpair *dp = in->lsh;
    size_t ndp = in->nlsh;
    int rc = !S->nsets || !S->sigs ? ND_ENOMEM : ND_OK;
    for (size_t i = 0; !rc && i < ndp; i++)
        rc = push_pair(S, dp[i].a, dp[i].b);
    nd_free(dp);
    if (!rc && S->cands.n &&
        (rc = nd_vec_reserve(&S->lsh, S->cands.n)) == ND_OK) {
        memcpy(S->lsh.v, S->cands.v, S->cands.n * sizeof *S->cands.v);
        S->lsh.n = S->cands.n;
        qsort(S->lsh.v, S->lsh.n, sizeof *S->lsh.v, cmp_u64);
    }
    st->doc_candidates = ndp;
    if (S->set->pairs_only) /* index scan, MPI: their anchors' pairs */
        in->hit_pairs.n = 0;
    if (!rc && in->hit_pairs.n &&
        (rc = nd_vec_reserve(&S->cands, S->cands.n + in->hit_pairs.n)) ==
            0) {
        memcpy(S->cands.v + S->cands.n, in->hit_pairs.v,
               in->hit_pairs.n * sizeof *in->hit_pairs.v);
        S->cands.n += in->hit_pairs.n;
    }
    nd_vec_free(&in->hit_pairs);
    if (!rc)
        rc = index_adfs(S);
    if (!rc && S->cands.n) {
        qsort(S->cands.v, S->cands.n, sizeof *S->cands.v, cmp_u64);
        size_t w = 0;
        for (size_t i = 0; i < S->cands.n; i++)
            if (!w || S->cands.v[w - 1] != S->cands.v[i])
                S->cands.v[w++] = S->cands.v[i];
        S->cands.n = w;
    }
    st->passage_candidates = S->cands.n;
    memset(in, 0, sizeof *in);
    return rc;
}

/* Groups, pair summaries and the records; fills the counts of @p st. */
static int finish(scan *S, nd_record_fn fn, void *user, nd_stats *st)
{
    nd_corpus *c = S->c;
    for (size_t i = 0; i < c->files.n; i++)
        st->bytes += c->files.v[i].len;
    st->documents = S->nd;
    for (size_t i = 0; i < S->nd; i++)
        st->chars += c->docs.v[i].n;
    double t2 = nd_now();
    int rc = group_passages(S);
    free_anchors(S);
    if (!rc)
        rc = summarize_pairs(S);
    double t3 = nd_now();
    if (!rc)
        rc = report(S, fn, user, st);
    st->t_align += t3 - t2;
    st->t_report = nd_now() - t3;
    st->t_ingest = c->t_ingest;
    st->t_normalize = c->t_normalize;
    st->threads = S->threads;
    return rc;
}

int nd_scan_finish(nd_corpus *c, nd_scan_input *in, nd_record_fn fn,
                   void *user, nd_stats *stats)
{
    nd_stats st = {0};
    scan S;
    scan_init(&S, c, in);
    st.t_sign = in->t_sign;
    double t1 = nd_now(), t_lsh = in->t_lsh;
    int rc = candidates(&S, in, &st);
    double t2 = nd_now();
    st.t_lsh = t_lsh + (t2 - t1);
    nd_log(c->ctx, ND_LOG_INFO, NULL,
           "lsh stage: candidates and anchors by document %.3f s", t2 - t1);
    if (!rc)
        rc = verify_pairs(&S);
    free_verify_inputs(&S);
    st.t_align = nd_now() - t2;
    if (!rc)
        rc = finish(&S, fn, user, &st);
    scan_free(&S);
    if (stats)
        *stats = st;
    return rc;
}

int nd_scan_verify(nd_corpus *c, nd_scan_input *in, nd_scan_found *out)
{
    nd_stats st = {0};
    scan S;
    scan_init(&S, c, in);
    int rc = candidates(&S, in, &st);
    if (!rc)
        rc = verify_pairs(&S);
    out->doc_candidates = st.doc_candidates;
    out->candidates = st.passage_candidates;
    if (!rc) {
        out->pairs.v = S.pairs.v;
        out->pairs.n = S.pairs.n;
        out->pairs.cap = S.pairs.cap;
        out->pas.v = S.pas.v;
        out->pas.n = S.pas.n;
        out->pas.cap = S.pas.cap;
        memset(&S.pairs, 0, sizeof S.pairs);
        memset(&S.pas, 0, sizeof S.pas);
    }
    scan_free(&S);
    return rc;
}

int nd_scan_report(nd_corpus *c, nd_adf_vec *adfs, nd_scan_found *found,
                   const nd_scan_src *src, nd_record_fn fn, void *user,
                   nd_stats *st)
{
    nd_scan_input in = {0};
    in.adfs = *adfs;
    memset(adfs, 0, sizeof *adfs);
    scan S;
    scan_init(&S, c, &in);
    S.src = src;
    S.pairs.v = found->pairs.v;
    S.pairs.n = found->pairs.n;
    S.pairs.cap = found->pairs.cap;
    S.pas.v = found->pas.v;
    S.pas.n = found->pas.n;
    S.pas.cap = found->pas.cap;
    memset(&found->pairs, 0, sizeof found->pairs);
    memset(&found->pas, 0, sizeof found->pas);
    st->doc_candidates = found->doc_candidates;
    st->passage_candidates = found->candidates;
    int rc = index_adfs(&S);
    if (!rc)
        rc = finish(&S, fn, user, st);
    scan_free(&S);
    return rc;
}

ND_API int nd_corpus_scan(nd_corpus *c, nd_record_fn fn, void *user,
                          nd_stats *stats)
{
    scan S = {0};
    S.c = c;
    S.set = &c->ctx->s;
    S.threads = nd_pool_threads(S.set->threads);
    S.nd = c->docs.n;
    nd_scan_input in = {0};
    double t0 = nd_now();
    int rc = sign_all(&S);
    double t1 = nd_now();
    in.nsets = S.nsets;
    in.sigs = S.sigs;
    if (!rc)
        rc = nd_lsh_candidates(S.sigs, S.nd, S.set->perm, c->ctx->bands,
                               c->ctx->rows, LSH_CAP, &in.lsh, &in.nlsh);
    double tb = nd_now();
    nd_astats as = {0};
    if (!rc && !S.set->pairs_only) {
        rc = nd_scan_anchor_pairs(c->docs.v, S.nd, S.set->max_df,
                                  S.set->min_passage, S.threads, 0,
                                  &in.store, &in.hit_pairs, &as);
        if (rc == ND_ETOOBIG) { /* more anchors than 32-bit indices */
            nd_hit_vec hits = {0};
            in.adfs.n = in.hit_pairs.n = 0;
            rc = anchor_hits(&S, &in.adfs, &hits);
            if (!rc)
                rc = nd_scan_hit_pairs(c->docs.v, S.set->min_passage, hits.v,
                                       hits.n, &in.hit_pairs);
            as.hits = hits.n;
            nd_vec_free(&hits);
        }
    }
    nd_log(c->ctx, ND_LOG_INFO, NULL,
           "lsh stage: document bands %.3f s (%zu pairs), anchors and hit "
           "pairs %.3f s (%zu anchors, %zu hits, %zu pairs; winnowing "
           "%.3f s, %zu passes, %zu rounds of hits, %zu early local "
           "tests)",
           tb - t1, in.nlsh, nd_now() - tb, in.store.n + in.adfs.n, as.hits,
           in.hit_pairs.n, as.t_winnow, as.passes, as.rounds, as.flushes);
    in.t_sign = t1 - t0;
    in.t_lsh = nd_now() - t1;
    if (rc) {
        nd_free(in.nsets);
        nd_free(in.sigs);
        nd_free(in.lsh);
        nd_vec_free(&in.adfs);
        nd_adfs_free(&in.store);
        nd_vec_free(&in.hit_pairs);
        return rc;
    }
    rc = nd_scan_finish(c, &in, fn, user, stats);
    /* With CPU time the thread scaling shows on a busy machine too. */
    struct timespec ts;
    double all, busiest, even;
    nd_pool_cpu(&all, &busiest, &even);
    if (!clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)) {
        double cpu = (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
        nd_log(c->ctx, ND_LOG_INFO, NULL,
               "CPU seconds since the start: %.2f, %.2f of them in parallel "
               "tasks; with a core per thread the run takes %.2f s (tasks "
               "split evenly) to %.2f s (split as in this run)", cpu, all,
               cpu - all + even, cpu - all + busiest);
    }
    return rc;
}
