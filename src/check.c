/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Checking a draft against an index: how much of it is copied, and from
 * where.
 *
 * The draft is decoded and normalized as one document.  Its winnowed
 * anchors are looked up in the index's anchor table: an anchor's row
 * count is its document frequency, and documents sharing at least
 * MIN_SHARED anchors with the draft within 2 * min_match characters of the
 * draft (a 30-character passage holds at least three) are candidates.
 * An anchor in more than max(max_df, STAR_CAP) documents proposes only its
 * first document (the scan's star rule), and
 * documents sharing an LSH band key with the draft are candidates too
 * (heavily edited near-copies).  Each candidate's stored normalized text
 * is aligned against the draft (nd_align), and the passages found give the
 * coverage: a draft character is copied when a passage covers it and it is
 * neither quoted (with exclude_quotes) nor shared with the template.  A
 * passage's df is the smallest df of the draft anchors inside it (the df
 * of a frequent anchor is counted only when a passage has no other).
 *
 * The lookups (blocks of distinct hashes) and the alignments (blocks of
 * candidates) run on the context's threads, each on its own read-only
 * connection in a read transaction that sees the index as ix->db's does;
 * every task writes its own slots, read back in order, so the records
 * are the same for any thread count.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "align.h"
#include "index.h"
#include "ingest.h"
#include "lsh.h"
#include "minhash.h"
#include "normalize.h"
#include "pool.h"
#include "segment.h"
#include "shingle.h"

#define MIN_SHARED 2    /* anchors a candidate shares with the draft */
#define STAR_CAP 50     /* anchors in more documents propose only one */
#define MAX_CANDIDATES 2000 /* most shared anchors first */
#define BAND_CAP 100    /* documents read per band key at most */
#define MAX_HEADING 40  /* characters of a section heading line at most */
#define LOOK_BLOCK 32   /* distinct draft hashes per lookup task */
#define ALIGN_BLOCK 4   /* candidates per align task */

typedef struct cpass { /* a passage between the draft and a source */
    nd_span s;
    uint32_t src;      /* index in sources */
    uint32_t df;
    int boiler;
    uint64_t b_start, b_end;
} cpass;

typedef struct csrc {
    nd_source pub;
    char *file, *title, *encoding;
    int64_t hash;
} csrc;

typedef struct dcount {
    uint32_t doc, n;
    int forced;
} dcount;

typedef ND_VEC(uint32_t) u32_vec;

typedef struct reader reader;

typedef struct check {
    nd_index *ix;
    const nd_check_opts *o;
    int min_match;
    nd_decoded dec;     /* the draft, decoded */
    nd_ntext t;         /* normalized */
    /* draft anchors in text order, with the df of their hash */
    u32_vec apos;
    u32_vec adf;        /* cap + 1 for a frequent one: counted when a
                         * passage's df needs it (exact_df) */
    u32_vec ag;         /* the distinct hash of each */
    uint64_t *gh;       /* distinct hashes */
    uint32_t *gdf;      /* their exact df once counted, else 0 */
    uint32_t cap;       /* anchors in more documents are frequent */
    ND_VEC(dcount) cands;
    ND_VEC(cpass) pas;
    ND_VEC(csrc) src;
    uint8_t *quoted, *templ;
    reader *rd;         /* a connection per thread; rd[0] on ix->db */
    int nrd;
} check;

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return a < b ? -1 : a > b;
}

typedef struct hpos {
    uint64_t h;
    uint32_t pos;
} hpos;

static int cmp_hpos(const void *x, const void *y)
{
    const hpos *a = x, *b = y;
    if (a->h != b->h)
        return a->h < b->h ? -1 : 1;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static int cmp_cand(const void *x, const void *y)
{
    const dcount *a = x, *b = y;
    if (a->forced != b->forced)
        return a->forced > b->forced ? -1 : 1;
    if (a->n != b->n)
        return a->n > b->n ? -1 : 1;
    return a->doc < b->doc ? -1 : a->doc > b->doc;
}

static int cmp_cand_doc(const void *x, const void *y)
{
    const dcount *a = x, *b = y;
    return a->doc < b->doc ? -1 : a->doc > b->doc;
}

/* One statement per @p kind table (the base one, then each segment's):
 * @p fmt with the table's name for its %s. */
typedef struct tstmts {
    sqlite3_stmt **st;
    size_t n;
} tstmts;

static void tstmts_free(tstmts *t)
{
    for (size_t i = 0; t->st && i < t->n; i++)
        sqlite3_finalize(t->st[i]);
    nd_free(t->st);
    t->st = NULL;
    t->n = 0;
}

/* One thread's connection (reader 0 is ix->db) and what it prepared on
 * it, when first needed.  Its thread does not log: the first error is
 * kept, and logged by the check's thread (reader_log). */
struct reader {
    sqlite3 *db;
    tstmts q, qc, qb;   /* anchors' documents, their count; band keys' */
    size_t *each;       /* rows of the current key in each table */
    sqlite3_stmt *doc;  /* a document's text and file */
    nd_aligner *al;
    nd_span_vec spans;
    int err;            /* SQLite's code of the first error, or 0 */
    const char *what;
    char msg[256];
    uint32_t corrupt;   /* the first document whose text is corrupt + 1 */
};

/* Keep SQLite error @p rc of r->db about @p what; its ND_E* code. */
static int reader_err(reader *r, int rc, const char *what)
{
    if (!r->err) {
        r->err = rc;
        r->what = what;
        snprintf(r->msg, sizeof r->msg, "%s", sqlite3_errmsg(r->db));
    }
    return nd_index_errcode(rc);
}

/* Log what the readers' threads kept. */
static void reader_log(check *C)
{
    for (int i = 0; i < C->nrd; i++) {
        reader *r = &C->rd[i];
        if (r->err)
            nd_index_errlog(C->ix, r->err, r->what, r->msg);
        if (r->corrupt)
            nd_log(C->ix->ctx, ND_LOG_ERROR, C->ix->path, "document %u: "
                   "stored text is corrupt", r->corrupt - 1);
        r->err = 0;
        r->corrupt = 0;
    }
}

/* Rows of a one-column query for @p key, at most @p limit, into @p out;
 * returns their count in *n.  @p st is a statement of @p r. */
static int lookup(reader *r, sqlite3_stmt *st, int64_t key, int limit,
                  u32_vec *out, size_t *n)
{
    sqlite3_bind_int64(st, 1, key);
    sqlite3_bind_int(st, 2, limit);
    int rc, e = ND_OK;
    *n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && !e) {
        e = nd_vec_push(out, (uint32_t)sqlite3_column_int64(st, 0));
        (*n)++;
    }
    sqlite3_reset(st);
    if (!e && rc != SQLITE_DONE && rc != SQLITE_ROW)
        e = reader_err(r, rc, "look up anchors");
    return e;
}

static int tstmts_prepare(nd_index *ix, reader *r, const char *kind,
                          const char *fmt, tstmts *t)
{
    t->n = ix->nseg + 1;
    if (!(t->st = nd_calloc(t->n, sizeof *t->st)))
        return ND_ENOMEM;
    const char *at = strstr(fmt, "%s");
    int rc = ND_OK;
    for (size_t i = 0; !rc && i < t->n; i++) {
        char name[64];
        nd_index_table(ix, i, kind, name, sizeof name);
        nd_buf b = {0};
        rc = nd_buf_add(&b, fmt, (size_t)(at - fmt));
        if (!rc)
            rc = nd_buf_add(&b, name, strlen(name));
        if (!rc)
            rc = nd_buf_add(&b, at + 2, strlen(at + 2));
        int sr = rc ? SQLITE_OK : sqlite3_prepare_v2(r->db, b.s, -1,
                                                     &t->st[i], NULL);
        if (sr != SQLITE_OK)
            rc = reader_err(r, sr, "prepare");
        nd_buf_free(&b);
    }
    return rc;
}

static void reader_free(reader *r)
{
    tstmts_free(&r->q);
    tstmts_free(&r->qc);
    tstmts_free(&r->qb);
    nd_free(r->each);
    r->each = NULL;
    sqlite3_finalize(r->doc);
    r->doc = NULL;
    nd_aligner_free(r->al);
    r->al = NULL;
    nd_vec_free(&r->spans);
}

static int reader_lookups(nd_index *ix, reader *r)
{
    if (r->each)
        return ND_OK;
    /* Every table of the anchors and of the band keys: the base one and
     * each segment's.  Each gives a key's documents in document order. */
    int rc = tstmts_prepare(ix, r, "anchors", "SELECT doc FROM %s "
                            "WHERE h=?1 LIMIT ?2", &r->q);
    if (!rc)
        rc = tstmts_prepare(ix, r, "anchors", "SELECT count(*) FROM %s "
                            "WHERE h=?1", &r->qc);
    if (!rc)
        rc = tstmts_prepare(ix, r, "bands", "SELECT doc FROM %s WHERE "
                            "key=?1 LIMIT ?2", &r->qb);
    if (!rc && !(r->each = nd_malloc((ix->nseg + 1) * sizeof *r->each)))
        rc = ND_ENOMEM;
    return rc;
}

/* The lookups of find_candidates, as tasks for the readers' threads:
 * task i < nblock looks up the distinct hashes of block i, task nblock
 * the band keys.  Each writes its own slots only; find_candidates reads
 * them in hash order, so the result is the same for any thread count. */
typedef struct look {
    check *C;
    size_t cap;
    const hpos *hp;   /* the draft's anchors, by hash */
    const size_t *gs; /* distinct hash g: hp[gs[g]] .. hp[gs[g + 1] - 1] */
    size_t ng, nblock;
    u32_vec *docs;    /* per block: the documents of its hashes in turn */
    uint32_t *nd;     /* per hash: its documents in its block's docs */
    uint32_t *df;     /* per hash */
    uint32_t *first;  /* per hash: its first document when frequent, else
                       * UINT32_MAX */
    const int64_t *bkey;
    int nb;
    u32_vec bdocs;    /* documents of the band keys */
} look;

static int look_bands(look *L, reader *r)
{
    int rc = ND_OK;
    for (int b = 0; !rc && b < L->nb; b++) {
        /* the BAND_CAP smallest documents of the key */
        size_t start = L->bdocs.n, got;
        for (size_t t = 0; !rc && t < r->qb.n; t++)
            rc = lookup(r, r->qb.st[t], L->bkey[b], BAND_CAP, &L->bdocs,
                        &got);
        if (!rc && L->bdocs.n - start > BAND_CAP) {
            qsort(L->bdocs.v + start, L->bdocs.n - start,
                  sizeof *L->bdocs.v, cmp_u32);
            L->bdocs.n = start + BAND_CAP;
        }
    }
    return rc;
}

static int look_task(void *user, size_t i, int worker)
{
    look *L = user;
    reader *r = &L->C->rd[worker];
    nd_index *ix = L->C->ix;
    int rc = reader_lookups(ix, r);
    if (rc || i == L->nblock)
        return rc ? rc : look_bands(L, r);
    u32_vec *docs = &L->docs[i];
    const size_t cap = L->cap, g1 = ND_MIN(L->ng, (i + 1) * LOOK_BLOCK);
    for (size_t g = i * LOOK_BLOCK; !rc && g < g1; g++) {
        int64_t key = (int64_t)L->hp[L->gs[g]].h;
        size_t start = docs->n, got = 0;
        for (size_t t = 0; !rc && t < r->q.n; t++) {
            /* Past cap + 1 rows only each table's first document counts */
            int limit = got > cap ? 1 : (int)(cap + 1 - got);
            rc = lookup(r, r->q.st[t], key, limit, docs, &r->each[t]);
            got += r->each[t];
        }
        L->df[g] = (uint32_t)got;
        L->first[g] = UINT32_MAX;
        if (!rc && got > cap) {
            /* Frequent: only its first document; its df is counted when
             * a passage needs it (few do: any other anchor in a passage
             * has a smaller df). */
            for (size_t y = start; y < docs->n; y++)
                L->first[g] = ND_MIN(L->first[g], docs->v[y]);
            docs->n = start;
            L->df[g] = (uint32_t)cap + 1;
        }
        L->nd[g] = (uint32_t)(docs->n - start);
    }
    return rc;
}

/* Threads for @p tasks of at least two blocks, one per reader. */
static int task_threads(const check *C, size_t tasks)
{
    return tasks >= 2 ? C->nrd : 1;
}

/* Anchors of the draft, their df, and the candidate documents. */
static int find_candidates(check *C)
{
    nd_index *ix = C->ix;
    const size_t n = C->t.n;
    const size_t cap = ND_MAX((size_t)ix->ctx->s.max_df, STAR_CAP);
    uint64_t *h = nd_malloc((n + 1) * sizeof *h);
    uint32_t *pos = nd_malloc((n + 1) * sizeof *pos);
    hpos *hp = NULL;
    u32_vec docs = {0}, forced = {0};
    ND_VEC(uint64_t) dp = {0};
    ND_VEC(size_t) gs = {0};
    look L = {0};
    int64_t *bkey = NULL;
    int rc = h && pos ? ND_OK : ND_ENOMEM;
    size_t na = rc ? 0 : nd_anchors(C->t.cp, n, h, pos);
    if (!rc && !(hp = nd_malloc((na + 1) * sizeof *hp)))
        rc = ND_ENOMEM;
    if (!rc)
        rc = nd_vec_reserve(&C->apos, na + 1);
    if (!rc)
        rc = nd_vec_reserve(&C->adf, na + 1);
    if (!rc)
        rc = nd_vec_reserve(&C->ag, na + 1);
    for (size_t j = 0; !rc && j < na; j++) {
        hp[j].h = h[pos[j]];
        hp[j].pos = pos[j];
        C->apos.v[j] = pos[j];
    }
    C->apos.n = C->adf.n = C->ag.n = na;
    if (!rc && na)
        qsort(hp, na, sizeof *hp, cmp_hpos);
    /* One query per distinct hash; df goes back to every position. */
    for (size_t g = 0; !rc && g < na; g++)
        if (!g || hp[g].h != hp[g - 1].h)
            rc = nd_vec_push(&gs, g);
    if (!rc)
        rc = nd_vec_push(&gs, na);
    L.C = C;
    L.cap = cap;
    L.hp = hp;
    L.gs = gs.v;
    L.ng = gs.n ? gs.n - 1 : 0;
    L.nblock = (L.ng + LOOK_BLOCK - 1) / LOOK_BLOCK;
    C->cap = (uint32_t)cap;
    if (!rc && (!(C->gh = nd_malloc((L.ng + 1) * sizeof *C->gh)) ||
                !(C->gdf = nd_calloc(L.ng + 1, sizeof *C->gdf)) ||
                !(L.docs = nd_calloc(L.nblock + 1, sizeof *L.docs)) ||
                !(L.nd = nd_malloc((L.ng + 1) * sizeof *L.nd)) ||
                !(L.df = nd_malloc((L.ng + 1) * sizeof *L.df)) ||
                !(L.first = nd_malloc((L.ng + 1) * sizeof *L.first))))
        rc = ND_ENOMEM;
    /* Band keys: near-duplicates whose copies are too edited to share
     * anchors. */
    if (!rc && n) {
        const int perm = ix->stored.perm, k = ix->stored.shingle;
        size_t m = nd_shingle_count(n, k);
        uint64_t *sh = nd_malloc((m + 1) * sizeof *sh);
        uint32_t *sig = nd_malloc((size_t)perm * sizeof *sig);
        bkey = nd_malloc(((size_t)ix->bands + 1) * sizeof *bkey);
        if (!sh || !sig || !bkey)
            rc = ND_ENOMEM;
        if (!rc) {
            nd_shingle_hashes(C->t.cp, n, k, sh);
            nd_minhash(sh, m, perm, sig);
            L.nb = ix->bands;
            for (int b = 0; b < L.nb; b++)
                bkey[b] = (int64_t)nd_lsh_key(sig, b, ix->rows);
            L.bkey = bkey;
        }
        nd_free(sh);
        nd_free(sig);
    }
    if (!rc) {
        rc = nd_pool_run(task_threads(C, L.nblock), L.nblock + 1, 1,
                         look_task, &L);
        reader_log(C);
    }
    for (size_t g = 0, b = 0, at = 0; !rc && g < L.ng; g++) {
        if (g && g % LOOK_BLOCK == 0) {
            b++;
            at = 0;
        }
        const uint32_t *d = L.docs[b].n ? L.docs[b].v + at : NULL;
        size_t nd = L.nd[g];
        at += nd;
        if (L.first[g] != UINT32_MAX)
            rc = nd_vec_push(&forced, L.first[g]);
        /* (document, draft position) of every occurrence */
        size_t x0 = gs.v[g], x1 = gs.v[g + 1];
        if (!rc)
            rc = nd_vec_reserve(&dp, dp.n + nd * (x1 - x0));
        for (size_t x = x0; !rc && x < x1; x++)
            for (size_t y = 0; y < nd; y++)
                dp.v[dp.n++] = (uint64_t)d[y] << 32 | hp[x].pos;
        for (size_t x = x0; !rc && x < x1; x++) {
            /* positions are in text order in C->apos: find by search */
            uint32_t *p = bsearch(&hp[x].pos, C->apos.v, na,
                                  sizeof *C->apos.v, cmp_u32);
            C->adf.v[p - C->apos.v] = L.df[g];
            C->ag.v[p - C->apos.v] = (uint32_t)g;
        }
        C->gh[g] = hp[x0].h;
    }
    for (size_t i = 0; !rc && i < L.bdocs.n; i++)
        rc = nd_vec_push(&forced, L.bdocs.v[i]);
    /* A candidate shares MIN_SHARED anchors with the draft within
     * NEAR_SPAN characters of the draft: a passage, not two stock phrases
     * far apart (a passage of min_match characters holds at least three
     * anchors of every copy of it). */
    if (!rc && dp.n)
        qsort(dp.v, dp.n, sizeof *dp.v, cmp_u64);
    if (!rc && forced.n)
        qsort(forced.v, forced.n, sizeof *forced.v, cmp_u32);
    const uint32_t near = (uint32_t)(2 * C->min_match);
    size_t f = 0;
    docs.n = 0; /* now: the documents counted */
    for (size_t i = 0; !rc && i < dp.n;) {
        uint32_t doc = (uint32_t)(dp.v[i] >> 32);
        size_t j = i + 1, close = 0;
        while (j < dp.n && (uint32_t)(dp.v[j] >> 32) == doc) {
            uint32_t p0 = (uint32_t)dp.v[j - MIN_SHARED + 1 > i
                                         ? j - MIN_SHARED + 1 : i];
            if (j - i + 1 >= MIN_SHARED && (uint32_t)dp.v[j] - p0 <= near)
                close = 1;
            j++;
        }
        while (f < forced.n && forced.v[f] < doc)
            f++;
        int isf = f < forced.n && forced.v[f] == doc;
        if (close || isf) {
            dcount d = {doc, (uint32_t)(j - i), isf};
            rc = nd_vec_push(&C->cands, d);
        }
        if (!rc)
            rc = nd_vec_push(&docs, doc);
        i = j;
    }
    /* Forced documents sharing no counted anchor. */
    for (size_t i = 0; !rc && i < forced.n; i++) {
        if (i && forced.v[i] == forced.v[i - 1])
            continue;
        uint32_t *at = docs.n ? bsearch(&forced.v[i], docs.v, docs.n,
                                        sizeof *docs.v, cmp_u32) : NULL;
        if (!at) {
            dcount d = {forced.v[i], 0, 1};
            rc = nd_vec_push(&C->cands, d);
        }
    }
    if (!rc && C->cands.n) {
        qsort(C->cands.v, C->cands.n, sizeof *C->cands.v, cmp_cand);
        if (C->cands.n > MAX_CANDIDATES) {
            nd_log(ix->ctx, ND_LOG_INFO, NULL, "%zu candidate documents, "
                   "aligning the %d sharing most anchors", C->cands.n,
                   MAX_CANDIDATES);
            C->cands.n = MAX_CANDIDATES;
        }
        qsort(C->cands.v, C->cands.n, sizeof *C->cands.v, cmp_cand_doc);
    }
    for (size_t b = 0; L.docs && b < L.nblock; b++)
        nd_vec_free(&L.docs[b]);
    nd_free(L.docs);
    nd_free(L.nd);
    nd_free(L.df);
    nd_free(L.first);
    nd_vec_free(&L.bdocs);
    nd_free(bkey);
    nd_vec_free(&gs);
    nd_vec_free(&docs);
    nd_vec_free(&dp);
    nd_vec_free(&forced);
    nd_free(h);
    nd_free(pos);
    nd_free(hp);
    return rc;
}

/* First draft anchor at or after character @p s. */
static size_t first_anchor(const check *C, uint32_t s)
{
    size_t lo = 0, hi = C->apos.n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (C->apos.v[mid] < s)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* df of draft span [s, e): the smallest df of its anchors found in the
 * index (1 without);
 * *rare: most of its anchors occur in no other indexed document. */
static uint32_t span_df(const check *C, uint32_t s, uint32_t e, int *rare)
{
    uint32_t df = UINT32_MAX;
    size_t all = 0, few = 0;
    for (size_t j = first_anchor(C, s);
         j < C->apos.n && C->apos.v[j] + ND_ANCHOR_LEN <= e; j++) {
        /* Anchors near the span's ends may be selected in the draft's
         * context only (winnowing looks past the copy): not in the index. */
        if (!C->adf.v[j])
            continue;
        df = ND_MIN(df, C->adf.v[j]);
        all++;
        few += C->adf.v[j] <= 1;
    }
    *rare = 2 * few >= all;
    return df == UINT32_MAX ? 1 : df;
}

/* The exact df of distinct hash @p g: its rows in every table. */
static int count_df(check *C, reader *r, uint32_t g, uint32_t *df)
{
    if (C->gdf[g]) {
        *df = C->gdf[g];
        return ND_OK;
    }
    int rc = reader_lookups(C->ix, r);
    uint64_t n = 0;
    for (size_t t = 0; !rc && t < r->qc.n; t++) {
        sqlite3_stmt *c = r->qc.st[t];
        sqlite3_bind_int64(c, 1, (int64_t)C->gh[g]);
        int sr = sqlite3_step(c);
        if (sr == SQLITE_ROW)
            n += (uint64_t)sqlite3_column_int64(c, 0);
        else
            rc = reader_err(r, sr, "count anchors");
        sqlite3_reset(c);
    }
    *df = C->gdf[g] = (uint32_t)ND_MIN(n, UINT32_MAX - 1);
    return rc;
}

/* The df of a passage whose anchors are all frequent (span_df gave
 * cap + 1): the smallest exact df of them, counted on @p r. */
static int exact_df(check *C, reader *r, const nd_span *s, uint32_t *df)
{
    uint32_t best = UINT32_MAX;
    int rc = ND_OK;
    for (size_t j = first_anchor(C, s->a0); !rc && j < C->apos.n &&
         C->apos.v[j] + ND_ANCHOR_LEN <= s->a1; j++) {
        uint32_t d = C->adf.v[j];
        if (!d)
            continue;
        if (d > C->cap)
            rc = count_df(C, r, C->ag.v[j], &d);
        best = ND_MIN(best, d);
    }
    *df = best == UINT32_MAX ? 1 : best;
    return rc;
}

/* What aligning one candidate kept: its passages (src not set yet) and,
 * when there are some, the source. */
typedef struct aligned {
    ND_VEC(cpass) pas;
    csrc src;
} aligned;

typedef struct aligning {
    check *C;
    nd_align_params ap;
    aligned *out; /* per candidate */
} aligning;

static int align_task(void *user, size_t c, int worker)
{
    aligning *A = user;
    check *C = A->C;
    nd_index *ix = C->ix;
    const nd_settings *set = &ix->ctx->s;
    reader *r = &C->rd[worker];
    aligned *out = &A->out[c];
    int rc = ND_OK;
    if (!r->al)
        rc = nd_aligner_new(&r->al);
    int sr = SQLITE_OK;
    if (!rc && !r->doc)
        sr = sqlite3_prepare_v2(r->db,
            "SELECT d.ordinal, d.start, d.end, d.title, d.text, f.path, "
            "f.hash, f.encoding FROM docs d JOIN files f ON f.id = d.file "
            "WHERE d.id = ?1", -1, &r->doc, NULL);
    if (sr != SQLITE_OK)
        rc = reader_err(r, sr, "prepare");
    if (rc)
        return rc;
    sqlite3_stmt *q = r->doc;
    uint32_t doc = C->cands.v[c].doc;
    sqlite3_bind_int64(q, 1, doc);
    sr = sqlite3_step(q);
    if (sr != SQLITE_ROW) {
        sqlite3_reset(q);
        if (sr == SQLITE_DONE) /* removed meanwhile */
            return ND_OK;
        return reader_err(r, sr, "read document");
    }
    uint64_t start = (uint64_t)sqlite3_column_int64(q, 1);
    nd_stext t;
    rc = nd_stext_decode(sqlite3_column_blob(q, 4),
                         (size_t)sqlite3_column_bytes(q, 4), start, &t);
    if (rc == ND_ENOTINDEX && !r->corrupt)
        r->corrupt = doc + 1;
    r->spans.n = 0;
    if (!rc)
        rc = nd_align(r->al, &A->ap, C->t.cp, C->t.n, t.cp, t.n, &r->spans);
    for (size_t i = 0; !rc && i < r->spans.n; i++) {
        nd_span s = r->spans.v[i];
        if (s.a1 - s.a0 < (uint32_t)C->min_match)
            continue;
        int rare;
        uint32_t df = span_df(C, s.a0, s.a1, &rare);
        if (s.fuzzy && !rare)
            continue;
        cpass p = {s, 0, df, df > (uint32_t)set->max_df, t.bs[s.b0],
                   t.be[s.b1 - 1]};
        rc = nd_vec_push(&out->pas, p);
    }
    if (!rc && out->pas.n) {
        csrc *s = &out->src;
        s->pub.doc = doc;
        s->pub.ordinal = (uint32_t)sqlite3_column_int64(q, 0);
        s->pub.start = start;
        s->pub.end = (uint64_t)sqlite3_column_int64(q, 2);
        s->title = nd_index_column_str(q, 3);
        s->file = nd_index_column_str(q, 5);
        s->hash = sqlite3_column_int64(q, 6);
        s->encoding = nd_index_column_str(q, 7);
        if (!s->title || !s->file || !s->encoding)
            rc = ND_ENOMEM;
    }
    sqlite3_reset(q);
    nd_stext_free(&t);
    return rc;
}

/* Align the draft against every candidate; keep their passages, in
 * candidate order whatever the thread count. */
static int align_candidates(check *C)
{
    aligning A = {C, {0}, NULL};
    nd_align_default_params(&A.ap, C->min_match);
    if (!(A.out = nd_calloc(C->cands.n + 1, sizeof *A.out)))
        return ND_ENOMEM;
    int rc = nd_pool_run(task_threads(C, C->cands.n / ALIGN_BLOCK),
                         C->cands.n, ALIGN_BLOCK, align_task, &A);
    reader_log(C);
    for (size_t c = 0; c < C->cands.n; c++) {
        aligned *o = &A.out[c];
        if (!rc && o->pas.n) {
            uint32_t si = (uint32_t)C->src.n;
            rc = nd_vec_push(&C->src, o->src);
            if (!rc)
                o->src = (csrc){0}; /* C->src owns its strings */
            for (size_t i = 0; !rc && i < o->pas.n; i++) {
                o->pas.v[i].src = si;
                rc = nd_vec_push(&C->pas, o->pas.v[i]);
            }
        }
        nd_free(o->src.title);
        nd_free(o->src.file);
        nd_free(o->src.encoding);
        nd_vec_free(&o->pas);
    }
    nd_free(A.out);
    /* Passages of frequent anchors only: their exact df. */
    for (size_t i = 0; !rc && i < C->pas.n; i++)
        if (C->pas.v[i].df > C->cap)
            rc = exact_df(C, &C->rd[0], &C->pas.v[i].s, &C->pas.v[i].df);
    reader_log(C);
    return rc;
}

/* Mark the draft's characters inside quotation marks: “…” ‘…’ 「…」 『…』
 * and "…", closed before the end of the line. */
static void mark_quotes(check *C)
{
    static const uint32_t open[] = {0x201C, 0x2018, 0x300C, 0x300E, '"'};
    static const uint32_t close[] = {0x201D, 0x2019, 0x300D, 0x300F, '"'};
    const nd_decoded *d = &C->dec;
    size_t k = 0; /* normalized character cursor */
    for (size_t i = 0; i < d->n; i++) {
        int q = -1;
        for (int x = 0; x < 5; x++)
            if (d->cp[i] == open[x])
                q = x;
        if (q < 0)
            continue;
        size_t j = i + 1;
        while (j < d->n && d->cp[j] != close[q] && d->cp[j] != '\n' &&
               d->cp[j] != '\r')
            j++;
        if (j >= d->n || d->cp[j] != close[q])
            continue;
        uint32_t b0 = d->off[i], b1 = d->off[j + 1];
        while (k < C->t.n && C->t.bs[k] < b0)
            k++;
        for (; k < C->t.n && C->t.bs[k] < b1; k++)
            C->quoted[k] = 1;
        i = j;
    }
}

/* Mark the draft's characters shared with the template. */
static int mark_template(check *C)
{
    const nd_check_opts *o = C->o;
    nd_ctx *ctx = C->ix->ctx;
    nd_decoded d;
    int rc = nd_decode(o->template_data, o->template_len, ctx->s.encoding,
                       &d);
    if (rc) {
        nd_log(ctx, ND_LOG_ERROR, o->template_name, "cannot decode the "
               "template: %s", nd_strerror(rc));
        return rc;
    }
    nd_ntext t = {0};
    rc = nd_normalize(ctx->norm, d.cp, d.off, 0, d.n, &t);
    nd_align_params ap;
    nd_align_default_params(&ap, C->min_match);
    nd_aligner *al = NULL;
    nd_span_vec spans = {0};
    if (!rc)
        rc = nd_aligner_new(&al);
    if (!rc)
        rc = nd_align(al, &ap, C->t.cp, C->t.n, t.cp, t.n, &spans);
    for (size_t i = 0; !rc && i < spans.n; i++)
        memset(C->templ + spans.v[i].a0, 1, spans.v[i].a1 - spans.v[i].a0);
    nd_vec_free(&spans);
    nd_aligner_free(al);
    nd_ntext_free(&t);
    nd_decoded_free(&d);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Coverage and the report                                              */

typedef struct csec {
    nd_section pub;
    char *title;
    uint32_t c0, c1; /* normalized character range */
} csec;

typedef ND_VEC(csec) csec_vec;

/* Sections at numbered headings (一、 （一） 1. ...). */
static int find_sections(check *C, csec_vec *out)
{
    const nd_decoded *d = &C->dec;
    ND_VEC(size_t) heads = {0}; /* code point index of each heading line */
    ND_VEC(size_t) hend = {0};
    int rc = ND_OK;
    for (size_t i = 0; !rc && i < d->n;) {
        size_t e = i;
        while (e < d->n && d->cp[e] != '\n' && d->cp[e] != '\r' &&
               d->cp[e] != 0x2028 && d->cp[e] != 0x2029)
            e++;
        size_t a = i, b = e;
        while (a < b && (d->cp[a] == ' ' || d->cp[a] == '\t' ||
                         d->cp[a] == 0x3000 || d->cp[a] == 0xFEFF))
            a++;
        while (b > a && (d->cp[b - 1] == ' ' || d->cp[b - 1] == '\t' ||
                         d->cp[b - 1] == 0x3000))
            b--;
        /* A heading is a short line: 第一，… also opens paragraphs. */
        if (b > a && b - a <= MAX_HEADING &&
            nd_segment_is_heading(d->cp + a, b - a)) {
            if (!(rc = nd_vec_push(&heads, a)))
                rc = nd_vec_push(&hend, b);
        }
        i = e + 1;
    }
    for (size_t h = 0; !rc && h <= heads.n && heads.n; h++) {
        uint32_t b0 = h ? d->off[heads.v[h - 1]] : d->off[0];
        uint32_t b1 = h < heads.n ? d->off[heads.v[h]] : d->off[d->n];
        csec s = {0};
        s.pub.start = b0;
        s.pub.end = b1;
        for (s.c0 = 0; s.c0 < C->t.n && C->t.bs[s.c0] < b0; s.c0++)
            ;
        for (s.c1 = s.c0; s.c1 < C->t.n && C->t.bs[s.c1] < b1; s.c1++)
            ;
        if (!h && s.c1 == s.c0)
            continue; /* nothing before the first heading */
        size_t ta = h ? heads.v[h - 1] : 0, tb = h ? hend.v[h - 1] : 0;
        s.title = nd_utf8_of(d->cp + ta, tb - ta);
        if (!s.title || nd_vec_push(out, s)) {
            nd_free(s.title);
            rc = ND_ENOMEM;
        }
    }
    nd_vec_free(&heads);
    nd_vec_free(&hend);
    return rc;
}

typedef struct srank {
    uint32_t matched, doc, idx;
} srank;

static int cmp_srank(const void *x, const void *y)
{
    const srank *a = x, *b = y;
    if (a->matched != b->matched)
        return a->matched > b->matched ? -1 : 1;
    return a->doc < b->doc ? -1 : a->doc > b->doc;
}

static int cmp_src_matched(const void *x, const void *y)
{
    const csrc *a = x, *b = y;
    if (a->pub.matched != b->pub.matched)
        return a->pub.matched > b->pub.matched ? -1 : 1;
    return a->pub.doc < b->pub.doc ? -1 : a->pub.doc > b->pub.doc;
}

static int cmp_src_chars(const void *x, const void *y)
{
    const csrc *a = x, *b = y;
    if (a->pub.chars != b->pub.chars)
        return a->pub.chars > b->pub.chars ? -1 : 1;
    return cmp_src_matched(x, y);
}

static int cmp_pass(const void *x, const void *y)
{
    const cpass *a = x, *b = y;
    if (a->s.a0 != b->s.a0)
        return a->s.a0 < b->s.a0 ? -1 : 1;
    if (a->s.a1 != b->s.a1)
        return a->s.a1 > b->s.a1 ? -1 : 1;
    if (a->src != b->src)
        return a->src < b->src ? -1 : 1;
    return a->s.b0 < b->s.b0 ? -1 : a->s.b0 > b->s.b0;
}

static char *slice(const uint8_t *data, size_t len, uint64_t start,
                   uint64_t end, const char *encoding)
{
    if (start > end || end > len)
        return NULL;
    nd_decoded d;
    if (nd_decode(data + start, (size_t)(end - start), encoding, &d))
        return NULL;
    char *s = nd_utf8_of(d.cp, d.n);
    nd_decoded_free(&d);
    return s;
}

int nd_index_source(nd_index *ix, const char *path, int64_t hash,
                    uint8_t **data, size_t *len)
{
    /* Stored paths are absolute: another one ("-" would be standard
     * input) is a damaged index's. */
    int rc = path[0] == '/' ? nd_read_file(path, data, len, NULL) : ND_EIO;
    if (rc == ND_ENOMEM)
        return rc;
    if (rc) {
        nd_log(ix->ctx, ND_LOG_WARN, path, "source file cannot be read "
               "(texts left out)");
        return ND_EIO;
    }
    if (nd_index_hash(*data, *len) != hash) {
        nd_log(ix->ctx, ND_LOG_WARN, path, "source file changed since it "
               "was indexed (texts left out; run index add again)");
        nd_free(*data);
        *data = NULL;
        return ND_EIO;
    }
    return ND_OK;
}

static int report(check *C, const char *name, const uint8_t *draft,
                  size_t dlen, nd_record_fn fn, void *user)
{
    const uint32_t n = (uint32_t)C->t.n;
    const int xq = C->o->exclude_quotes;
    uint8_t *cov = nd_calloc((size_t)n + 1, 1);
    uint32_t *stamp = nd_malloc(((size_t)n + 1) * sizeof *stamp);
    nd_source *pub = nd_malloc((C->src.n + 1) * sizeof *pub);
    nd_section *secs = NULL;
    csec_vec sv = {0};
    int rc = cov && stamp && pub ? ND_OK : ND_ENOMEM;
    if (!rc)
        rc = find_sections(C, &sv);
    if (!rc && !(secs = nd_malloc((sv.n + 1) * sizeof *secs)))
        rc = ND_ENOMEM;
    nd_report r = {0};
    r.draft = name;
    r.chars = n;
    uint32_t quoted = 0, templ = 0;
    for (uint32_t i = 0; !rc && i < n; i++) {
        quoted += C->quoted[i];
        templ += C->templ[i];
        stamp[i] = UINT32_MAX;
    }
    /* Coverage: bit 1 any passage, bit 2 a passage not boilerplate. */
    for (size_t k = 0; !rc && k < C->pas.n; k++) {
        const cpass *p = &C->pas.v[k];
        for (uint32_t i = p->s.a0; i < p->s.a1; i++)
            cov[i] |= (uint8_t)(1 | (p->boiler ? 0 : 2));
    }
    uint32_t copied = 0, copied_nb = 0;
    for (uint32_t i = 0; !rc && i < n; i++) {
        if ((xq && C->quoted[i]) || C->templ[i])
            cov[i] = 0;
        copied += cov[i] & 1;
        copied_nb += (cov[i] >> 1) & 1;
    }
    /* Per source: the characters its passages cover; then each copied
     * character goes to the source that covers most, first. */
    for (size_t k = 0; !rc && k < C->pas.n; k++) {
        const cpass *p = &C->pas.v[k];
        csrc *s = &C->src.v[p->src];
        for (uint32_t i = p->s.a0; i < p->s.a1; i++)
            if (cov[i] && stamp[i] != p->src) {
                stamp[i] = p->src;
                s->pub.matched++;
            }
    }
    uint32_t *order = rc ? NULL : nd_malloc((C->src.n + 1) * sizeof *order);
    uint32_t *rank = rc ? NULL : nd_malloc((C->src.n + 1) * sizeof *rank);
    if (!rc && (!order || !rank))
        rc = ND_ENOMEM;
    if (!rc) {
        /* The claiming order: matched descending, then document. */
        srank *sr = nd_malloc((C->src.n + 1) * sizeof *sr);
        if (!sr) {
            rc = ND_ENOMEM;
        } else {
            for (size_t i = 0; i < C->src.n; i++) {
                srank x = {C->src.v[i].pub.matched, C->src.v[i].pub.doc,
                           (uint32_t)i};
                sr[i] = x;
            }
            qsort(sr, C->src.n, sizeof *sr, cmp_srank);
            for (size_t i = 0; i < C->src.n; i++)
                rank[sr[i].idx] = (uint32_t)i;
            nd_free(sr);
        }
    }
    for (uint32_t i = 0; !rc && i < n; i++)
        stamp[i] = UINT32_MAX; /* now: rank of the owner */
    for (size_t k = 0; !rc && k < C->pas.n; k++) {
        const cpass *p = &C->pas.v[k];
        for (uint32_t i = p->s.a0; i < p->s.a1; i++)
            if (cov[i] && (stamp[i] == UINT32_MAX ||
                           rank[p->src] < stamp[i]))
                stamp[i] = rank[p->src];
    }
    for (size_t i = 0; !rc && i < C->src.n; i++)
        order[rank[i]] = (uint32_t)i;
    for (uint32_t i = 0; !rc && i < n; i++)
        if (stamp[i] != UINT32_MAX)
            C->src.v[order[stamp[i]]].pub.chars++;
    /* Sources ranked; passages refer to sources by index, so map. */
    for (size_t i = 0; !rc && i < C->src.n; i++) {
        csrc *s = &C->src.v[i];
        s->pub.file = s->file;
        s->pub.title = s->title;
        s->pub.share = n ? (double)s->pub.chars / n : 0;
        double own = n ? (double)s->pub.matched / n : 0;
        if (own > r.largest_source_ratio)
            r.largest_source_ratio = own;
        order[i] = (uint32_t)i;
    }
    if (!rc) {
        csrc *sorted = nd_malloc((C->src.n + 1) * sizeof *sorted);
        if (!sorted) {
            rc = ND_ENOMEM;
        } else {
            for (size_t i = 0; i < C->src.n; i++)
                sorted[i] = C->src.v[i];
            qsort(sorted, C->src.n, sizeof *sorted, cmp_src_chars);
            for (size_t i = 0; i < C->src.n; i++)
                pub[i] = sorted[i].pub;
            nd_free(sorted);
        }
    }
    for (size_t i = 0; !rc && i < sv.n; i++) {
        csec *s = &sv.v[i];
        s->pub.title = s->title;
        s->pub.chars = s->c1 - s->c0;
        for (uint32_t k = s->c0; k < s->c1; k++)
            s->pub.copied += cov[k] & 1;
        s->pub.copy_ratio = s->pub.chars ? (double)s->pub.copied /
                                           s->pub.chars : 0;
        secs[i] = s->pub;
    }
    r.copied = copied;
    r.copy_ratio = n ? (double)copied / n : 0;
    r.copy_ratio_excluding_boilerplate = n ? (double)copied_nb / n : 0;
    r.quoted_ratio = n ? (double)quoted / n : 0;
    r.template_ratio = n ? (double)templ / n : 0;
    r.passages = (uint32_t)C->pas.n;
    r.nsources = C->src.n;
    r.sources = pub;
    r.nsections = sv.n;
    r.sections = secs;
    if (!rc) {
        nd_record rec = {.type = ND_REC_REPORT};
        rec.u.report = r;
        if (fn(user, &rec))
            rc = ND_EABORT;
    }
    /* Passages in draft order. */
    if (!rc && C->pas.n)
        qsort(C->pas.v, C->pas.n, sizeof *C->pas.v, cmp_pass);
    uint8_t *sdata = NULL;
    size_t slen = 0;
    uint32_t sloaded = UINT32_MAX;
    int sok = 0;
    for (size_t k = 0; !rc && k < C->pas.n; k++) {
        const cpass *p = &C->pas.v[k];
        const csrc *s = &C->src.v[p->src];
        if (sloaded != p->src) {
            /* a file may hold several sources: reuse the bytes */
            if (sloaded == UINT32_MAX ||
                strcmp(C->src.v[sloaded].file, s->file)) {
                nd_free(sdata);
                sdata = NULL;
                rc = nd_index_source(C->ix, s->file, s->hash, &sdata, &slen);
                sok = !rc;
                if (rc == ND_EIO)
                    rc = ND_OK;
            }
            sloaded = p->src;
        }
        nd_record rec = {.type = ND_REC_PASSAGE};
        nd_passage *ps = &rec.u.passage;
        ps->a = 0;
        ps->b = s->pub.doc;
        ps->a_start = C->t.bs[p->s.a0];
        ps->a_end = C->t.be[p->s.a1 - 1];
        ps->b_start = p->b_start;
        ps->b_end = p->b_end;
        ps->chars = p->s.a1 - p->s.a0;
        ps->matched = p->s.matched;
        uint32_t span = ND_MAX(p->s.a1 - p->s.a0, p->s.b1 - p->s.b0);
        ps->similarity = span ? (double)p->s.matched / span : 0;
        ps->df = p->df;
        ps->boilerplate = p->boiler;
        char *ta = slice(draft, dlen, ps->a_start, ps->a_end,
                         C->dec.encoding);
        char *tb = sok ? slice(sdata, slen, ps->b_start, ps->b_end,
                               s->encoding) : NULL;
        ps->a_text = ta;
        ps->b_text = tb;
        if (fn(user, &rec))
            rc = ND_EABORT;
        nd_free(ta);
        nd_free(tb);
    }
    nd_free(sdata);
    for (size_t i = 0; i < sv.n; i++)
        nd_free(sv.v[i].title);
    nd_vec_free(&sv);
    nd_free(secs);
    nd_free(order);
    nd_free(rank);
    nd_free(cov);
    nd_free(stamp);
    nd_free(pub);
    return rc;
}

static int check_exec(nd_index *ix, const char *sql)
{
    int rc = sqlite3_exec(ix->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? ND_OK : nd_index_sqlerr(ix, rc, sql);
}

/* The connections of the check's threads, each in a read transaction:
 * ix->db and, for an index opened to read with no transaction of the
 * caller's open, one more per thread allowed (ND_INDEX_READERS at most)
 * that sees the index as ix->db sees it (the same stamp; a writer may
 * commit between the transactions' starts: a connection that sees
 * another index is left out). */
static int readers_begin(check *C, int own)
{
    nd_index *ix = C->ix;
    int want = nd_pool_threads(ix->ctx->s.threads);
    want = ND_MIN(want, ND_INDEX_READERS + 1);
    if (ix->writable || !own)
        want = 1;
    if (!(C->rd = nd_calloc((size_t)want, sizeof *C->rd)))
        return ND_ENOMEM;
    C->rd[0].db = ix->db;
    C->nrd = 1;
    if (want == 1)
        return ND_OK;
    nd_buf a = {0}, b = {0};
    int rc = nd_index_stamp(ix, ix->db, 0, &a);
    if (ix->begun)
        ix->begun(ix->begun_user);
    int more = rc ? 0 : nd_index_readers(ix, want - 1);
    for (int i = 0; i < more; i++) {
        /* one that fails here only leaves its thread out */
        sqlite3 *db = ix->reader[i];
        int sr = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
        if (sr != SQLITE_OK)
            break;
        if (!nd_index_stamp(ix, db, 1, &b) && !strcmp(a.s, b.s)) {
            C->rd[C->nrd++].db = db;
            continue;
        }
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
        break;
    }
    nd_buf_free(&a);
    nd_buf_free(&b);
    return rc;
}

static void readers_end(check *C)
{
    for (int i = 0; C->rd && i < C->nrd; i++) {
        reader_free(&C->rd[i]);
        if (i && !sqlite3_get_autocommit(C->rd[i].db))
            sqlite3_exec(C->rd[i].db, "COMMIT", NULL, NULL, NULL);
    }
    nd_free(C->rd);
    C->rd = NULL;
    C->nrd = 0;
}

ND_API int nd_index_check(nd_index *ix, const char *name, const void *data,
                          size_t len, const nd_check_opts *o,
                          nd_record_fn fn, void *user)
{
    nd_check_opts def = {0};
    if (!o)
        o = &def;
    nd_ctx *ctx = ix->ctx;
    check C = {0};
    C.ix = ix;
    C.o = o;
    C.min_match = o->min_match > 0 ? o->min_match : ctx->s.min_passage;
    int rc = nd_decode(data, len, ctx->s.encoding, &C.dec);
    if (rc) {
        if (rc == ND_EBINARY)
            nd_log(ctx, ND_LOG_ERROR, name, "looks binary: not checked");
        else
            nd_log(ctx, ND_LOG_ERROR, name, "cannot decode: %s",
                   nd_strerror(rc));
        return rc;
    }
    if (C.dec.bad)
        nd_log(ctx, ND_LOG_WARN, name, "invalid %s at byte %llu (%zu "
               "invalid sequence%s replaced by U+FFFD)", C.dec.encoding,
               (unsigned long long)C.dec.first_bad, C.dec.bad,
               C.dec.bad == 1 ? "" : "s");
    rc = nd_normalize(ctx->norm, C.dec.cp, C.dec.off, 0, C.dec.n, &C.t);
    if (!rc && !(C.quoted = nd_calloc(C.t.n + 1, 1)))
        rc = ND_ENOMEM;
    if (!rc && !(C.templ = nd_calloc(C.t.n + 1, 1)))
        rc = ND_ENOMEM;
    if (!rc)
        mark_quotes(&C);
    if (!rc && o->template_data)
        rc = mark_template(&C);
    double t0 = nd_now();
    /* One read transaction: the segments stay as listed (a writer merging
     * replaces them) and the documents found stay readable. */
    int own = sqlite3_get_autocommit(ix->db);
    if (!rc && own && !ix->writable)
        rc = check_exec(ix, ND_INDEX_CHECK_PRAGMAS);
    if (!rc && own)
        rc = check_exec(ix, "BEGIN");
    if (!rc)
        rc = nd_index_load_segments(ix);
    if (!rc)
        rc = readers_begin(&C, own);
    if (!rc)
        rc = find_candidates(&C);
    double t1 = nd_now();
    if (!rc)
        rc = align_candidates(&C);
    int nrd = C.nrd;
    readers_end(&C);
    if (own && !sqlite3_get_autocommit(ix->db))
        check_exec(ix, "COMMIT");
    double t2 = nd_now();
    if (!rc)
        rc = report(&C, name, data, len, fn, user);
    nd_log(ctx, ND_LOG_INFO, name, "%zu anchors, %zu candidate documents, "
           "%zu sources, %d thread%s; seconds: lookup %.3f, align %.3f, "
           "report %.3f", C.apos.n, C.cands.n, C.src.n, nrd,
           nrd == 1 ? "" : "s", t1 - t0, t2 - t1, nd_now() - t2);
    for (size_t i = 0; i < C.src.n; i++) {
        nd_free(C.src.v[i].file);
        nd_free(C.src.v[i].title);
        nd_free(C.src.v[i].encoding);
    }
    nd_vec_free(&C.src);
    nd_vec_free(&C.pas);
    nd_vec_free(&C.cands);
    nd_vec_free(&C.apos);
    nd_vec_free(&C.adf);
    nd_vec_free(&C.ag);
    nd_free(C.gh);
    nd_free(C.gdf);
    nd_free(C.quoted);
    nd_free(C.templ);
    nd_ntext_free(&C.t);
    nd_decoded_free(&C.dec);
    return rc;
}
