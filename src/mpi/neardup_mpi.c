/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * neardup-mpi: `neardup scan` over MPI ranks, writing the same bytes.
 *
 *   1. Rank 0 lists the inputs (nd_list_paths) and hands each rank a
 *      contiguous run of files, balanced by bytes, so that global document
 *      ids are rank 0's documents, then rank 1's, ... (input order).
 *   2. Every rank reads, decodes, segments, normalizes and signs its files
 *      (nd_scan_sign) and winnows their anchors (nd_scan_anchors).
 *   3. Document band keys and anchors go to owner ranks by hash
 *      (MPI_Alltoallv in bounded rounds); owners form the buckets with the
 *      same caps and star rule as the single-process scan
 *      (nd_lsh_bucket_pairs, nd_scan_buckets).
 *   4. Each candidate pair (LSH pair or anchor hit) goes to the rank a hash
 *      of the pair names; that rank fetches the documents it lacks from
 *      the ranks that read them (fetch_docs), filters the hits
 *      (nd_scan_hit_pairs), verifies and aligns (nd_scan_verify).
 *   5. Rank 0 gathers pairs and passages and puts them in the
 *      single-process order (sort_found), gathers the files and documents
 *      (the records quote original text), and runs nd_scan_report and the
 *      renderers.  This last stage is still centralised: see
 *      docs/mpi-status.md.
 *
 * Every stage output is a set that its consumer sorts, so the result does
 * not depend on the number of ranks.  MPI errors return (MPI_ERRORS_RETURN)
 * and end the job with a message and MPI_Abort instead of a hang.
 */
#include <errno.h>
#include <fcntl.h>
#include <mpi.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ingest.h"
#include "internal.h"
#include "lsh.h"
#include "pool.h"
#include "scan.h"
#include "shingle.h"

#include "cli.h"
#include "progress.h"
#include "render.h"

#define ROUND_ITEMS (1u << 20) /* items a rank sends per shuffle round */
#define CHUNK (1 << 30)        /* bytes per point-to-point message */
#define ROUND_MAX ((size_t)INT32_MAX / 64) /* items per round at most */

static int rank, nranks;
static size_t round_items = ROUND_ITEMS;

/* Shuffle volume of this rank, for --stats. */
static uint64_t sent_bytes, rounds_done, gathered_bytes;

/* Peak resident set size of this process, in bytes. */
static uint64_t peak_rss(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) ? 0 : (uint64_t)ru.ru_maxrss * 1024;
}

static void die(const char *what, const char *detail)
{
    fprintf(stderr, "%s: rank %d of %d: %s%s%s; stopping all ranks\n", prog,
            rank, nranks, what, detail ? ": " : "", detail ? detail : "");
    fflush(stderr);
    MPI_Abort(MPI_COMM_WORLD, EXIT_ERROR);
    exit(EXIT_ERROR);
}

static void mpi_check(int err, const char *call)
{
    if (err == MPI_SUCCESS)
        return;
    char msg[MPI_MAX_ERROR_STRING];
    int len = 0;
    if (MPI_Error_string(err, msg, &len) != MPI_SUCCESS)
        snprintf(msg, sizeof msg, "error %d", err);
    die(call, msg);
}
#define MPI_OK(call) mpi_check((call), #call)

static void nd_check(int rc, const char *what)
{
    if (rc)
        die(what, nd_strerror(rc));
}

/* ------------------------------------------------------------------ */
/* Byte buffers and big point-to-point transfers                       */

typedef ND_VEC(uint8_t) bytes;

static void put(bytes *b, const void *p, size_t n)
{
    nd_check(nd_vec_reserve(b, b->n + n), "packing");
    if (n)
        memcpy(b->v + b->n, p, n);
    b->n += n;
}

static void put_u64(bytes *b, uint64_t x) { put(b, &x, sizeof x); }

typedef struct reader {
    const uint8_t *p, *end;
} reader;

static void get(reader *r, void *p, size_t n)
{
    if ((size_t)(r->end - r->p) < n)
        die("unpacking", "message shorter than expected");
    if (n)
        memcpy(p, r->p, n);
    r->p += n;
}

static uint64_t get_u64(reader *r)
{
    uint64_t x;
    get(r, &x, sizeof x);
    return x;
}

/* A new nd_malloc'ed copy of the next @p n bytes (one extra zero byte). */
static void *get_new(reader *r, size_t n)
{
    uint8_t *p = nd_malloc(n + 1);
    if (!p)
        die("unpacking", nd_strerror(ND_ENOMEM));
    get(r, p, n);
    p[n] = 0;
    return p;
}

static void send_big(const uint8_t *p, uint64_t n, int to)
{
    MPI_OK(MPI_Send(&n, 1, MPI_UINT64_T, to, 1, MPI_COMM_WORLD));
    gathered_bytes += n;
    for (uint64_t off = 0; off < n; off += CHUNK) {
        int len = (int)ND_MIN((uint64_t)CHUNK, n - off);
        MPI_OK(MPI_Send(p + off, len, MPI_BYTE, to, 2, MPI_COMM_WORLD));
    }
}

static void recv_big(bytes *b, int from)
{
    uint64_t n;
    MPI_OK(MPI_Recv(&n, 1, MPI_UINT64_T, from, 1, MPI_COMM_WORLD,
                    MPI_STATUS_IGNORE));
    b->n = 0;
    nd_check(nd_vec_reserve(b, n + 1), "receiving");
    for (uint64_t off = 0; off < n; off += CHUNK) {
        int len = (int)ND_MIN((uint64_t)CHUNK, n - off);
        MPI_OK(MPI_Recv(b->v + off, len, MPI_BYTE, from, 2, MPI_COMM_WORLD,
                        MPI_STATUS_IGNORE));
    }
    b->n = n;
}

/* Rank 0 gets every rank's @p mine (its own included) through @p fn, in
 * rank order; the other ranks send theirs. */
static void gather(const bytes *mine, void (*fn)(void *, const bytes *, int),
                   void *user)
{
    if (rank) {
        send_big(mine->v, mine->n, 0);
        return;
    }
    fn(user, mine, 0);
    bytes b = {0};
    for (int r = 1; r < nranks; r++) {
        recv_big(&b, r);
        fn(user, &b, r);
    }
    nd_vec_free(&b);
}

/* gather() callback: append to the bytes at @p user. */
static void append(void *user, const bytes *b, int from)
{
    (void)from;
    put(user, b->v, b->n);
}

/* ------------------------------------------------------------------ */
/* The shuffle: items to their owner ranks, in bounded rounds           */

static int owner_of(uint64_t h)
{
    h ^= h >> 31;
    h *= UINT64_C(0x9e3779b97f4a7c15);
    return (int)((h >> 32) % (uint64_t)nranks);
}

/*
 * Send @p n items of @p elem bytes to ranks dest[i]; append what this rank
 * receives to @p out.  Each round a rank sends at most round_items items
 * (split evenly over the destinations), so send and receive buffers stay
 * bounded whatever the corpus size.
 */
static void shuffle(const void *items, size_t n, size_t elem,
                    const int *dest, bytes *out)
{
    const int R = nranks;
    size_t *cnt = calloc((size_t)R, sizeof *cnt);
    size_t *at = calloc((size_t)R + 1, sizeof *at);
    size_t *sent = calloc((size_t)R, sizeof *sent);
    int *scount = calloc((size_t)R, sizeof *scount);
    int *sdispl = calloc((size_t)R, sizeof *sdispl);
    int *rcount = calloc((size_t)R, sizeof *rcount);
    int *rdispl = calloc((size_t)R, sizeof *rdispl);
    uint8_t *sorted = malloc(n * elem + 1);
    if (!cnt || !at || !sent || !scount || !sdispl || !rcount || !rdispl ||
        !sorted)
        die("shuffle", nd_strerror(ND_ENOMEM));
    for (size_t i = 0; i < n; i++)
        cnt[dest[i]]++;
    for (int r = 0; r < R; r++)
        at[r + 1] = at[r] + cnt[r];
    for (size_t i = 0; i < n; i++) /* stable counting sort by owner */
        memcpy(sorted + (at[dest[i]] + sent[dest[i]]++) * elem,
               (const uint8_t *)items + i * elem, elem);
    memset(sent, 0, (size_t)R * sizeof *sent);
    size_t per = ND_MAX((size_t)1, round_items / (size_t)R);
    uint64_t mine = 0, rounds;
    for (int r = 0; r < R; r++)
        mine = ND_MAX(mine, (cnt[r] + per - 1) / per);
    MPI_OK(MPI_Allreduce(&mine, &rounds, 1, MPI_UINT64_T, MPI_MAX,
                         MPI_COMM_WORLD));
    bytes buf = {0}; /* this round's items, by destination */
    for (uint64_t round = 0; round < rounds; round++) {
        int off = 0;
        buf.n = 0;
        for (int r = 0; r < R; r++) {
            size_t k = ND_MIN(per, cnt[r] - sent[r]);
            scount[r] = (int)(k * elem);
            sdispl[r] = (int)buf.n;
            put(&buf, sorted + (at[r] + sent[r]) * elem, k * elem);
            sent[r] += k;
            sent_bytes += (uint64_t)k * elem;
        }
        MPI_OK(MPI_Alltoall(scount, 1, MPI_INT, rcount, 1, MPI_INT,
                            MPI_COMM_WORLD));
        for (int r = 0; r < R; r++) {
            rdispl[r] = off;
            off += rcount[r];
        }
        nd_check(nd_vec_reserve(out, out->n + (size_t)off + 1), "shuffle");
        MPI_OK(MPI_Alltoallv(buf.v, scount, sdispl, MPI_BYTE,
                             out->v + out->n, rcount, rdispl, MPI_BYTE,
                             MPI_COMM_WORLD));
        out->n += (size_t)off;
        rounds_done++;
    }
    nd_vec_free(&buf);
    free(cnt);
    free(at);
    free(sent);
    free(scount);
    free(sdispl);
    free(rcount);
    free(rdispl);
    free(sorted);
}

/*
 * Wait for every rank to arrive here without spinning: Open MPI polls in
 * blocking calls, and a rank polling while rank 0 works alone would take
 * a core from it.
 */
static void quiet_barrier(void)
{
    MPI_Request req;
    MPI_OK(MPI_Ibarrier(MPI_COMM_WORLD, &req));
    for (int done = 0;;) {
        MPI_OK(MPI_Test(&req, &done, MPI_STATUS_IGNORE));
        if (done)
            return;
        struct timespec ts = {0, 2000000}; /* 2 ms */
        nanosleep(&ts, NULL);
    }
}

/* ------------------------------------------------------------------ */
/* Inputs: listing and shards                                           */

/* Rank 0: list every operand; returns the files of each rank, packed as
 * NUL-terminated paths, in *shard (one buffer per rank). */
static void list_shards(nd_ctx *ctx, char **paths, int n, bytes *shard,
                        size_t *skipped)
{
    nd_pathlist all = {0};
    for (int k = 0; k < n; k++) {
        nd_pathlist l = {0};
        size_t sk = 0;
        int rc = nd_list_paths(ctx, paths[k], &l, &sk);
        if (rc == ND_ENOMEM)
            die("listing inputs", nd_strerror(rc));
        *skipped += sk;
        for (size_t i = 0; i < l.n; i++) {
            if (nd_grow((void **)&all.v, &all.cap, all.n + 1,
                        sizeof *all.v))
                die("listing inputs", nd_strerror(ND_ENOMEM));
            all.v[all.n++] = l.v[i];
            l.v[i] = NULL;
        }
        nd_pathlist_free(&l);
    }
    uint64_t *size = calloc(all.n + 1, sizeof *size), total = 0;
    if (!size)
        die("listing inputs", nd_strerror(ND_ENOMEM));
    for (size_t i = 0; i < all.n; i++) {
        struct stat st;
        size[i] = stat(all.v[i], &st) == 0 ? (uint64_t)st.st_size : 0;
        total += size[i];
    }
    /* File i goes to the rank whose share of the bytes holds its middle:
     * non-decreasing in i, so every shard is a contiguous run. */
    uint64_t before = 0;
    for (size_t i = 0; i < all.n; i++) {
        int r;
        if (total)
            r = (int)((long double)(before + size[i] / 2) * nranks / total);
        else
            r = (int)(i * (size_t)nranks / all.n);
        r = ND_MIN(r, nranks - 1);
        before += size[i];
        put(&shard[r], all.v[i], strlen(all.v[i]) + 1);
    }
    free(size);
    nd_pathlist_free(&all);
}

/* Hand the shards out: every rank gets its packed paths in *mine. */
static void scatter_shards(bytes *shard, bytes *mine)
{
    if (rank) {
        recv_big(mine, 0);
        return;
    }
    for (int r = 1; r < nranks; r++)
        send_big(shard[r].v, shard[r].n, r);
    put(mine, shard[0].v, shard[0].n);
}

/* ------------------------------------------------------------------ */
/* Local work: signatures, band keys, anchors                           */

typedef struct local {
    nd_corpus *c;
    uint32_t base;   /* global id of this rank's first document */
    uint64_t ntotal; /* documents of all ranks */
    uint64_t *ends;  /* per rank: one past its last document id */
    uint64_t **sets; /* per local document */
    size_t *nsets;
    uint32_t *sigs;
} local;

typedef struct band_item {
    uint64_t key;
    uint32_t doc, band;
} band_item;

static int cmp_band_item(const void *x, const void *y)
{
    const band_item *a = x, *b = y;
    if (a->band != b->band)
        return a->band < b->band ? -1 : 1;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return a->doc < b->doc ? -1 : a->doc > b->doc;
}

typedef struct signer {
    local *L;
    const nd_settings *set;
} signer;

/* Shingle set and signature of local document @p i (a pool task). */
static int sign_one(void *user, size_t i, int worker)
{
    signer *G = user;
    const nd_doc *d = &G->L->c->docs.v[i];
    (void)worker;
    return nd_scan_sign(G->set, d->cp, d->n,
                        G->L->sigs + i * (size_t)G->set->perm,
                        &G->L->sets[i], &G->L->nsets[i]);
}

/* Sign this rank's documents on --threads threads. */
static void sign_local(local *L, const nd_settings *set)
{
    size_t nd = L->c->docs.n, perm = (size_t)set->perm;
    L->sets = nd_calloc(nd + 1, sizeof *L->sets);
    L->nsets = nd_calloc(nd + 1, sizeof *L->nsets);
    L->sigs = nd_malloc((nd + 1) * perm * sizeof *L->sigs);
    if (!L->sets || !L->nsets || !L->sigs)
        die("signing", nd_strerror(ND_ENOMEM));
    signer G = {L, set};
    nd_check(nd_pool_run(nd_pool_threads(set->threads), nd, 16, sign_one,
                         &G), "signing");
}

/* The rank that read document @p id. */
static int owner_of_doc(const local *L, uint32_t id)
{
    int lo = 0, hi = nranks - 1; /* first rank whose range ends after id */
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (L->ends[mid] > id)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* Document LSH: band keys to their owners, buckets there; each pair goes
 * to the rank of its first document, once. */
static void lsh_pairs(local *L, const nd_ctx *ctx, nd_scan_input *in)
{
    const int perm = ctx->s.perm, bands = ctx->bands, rows = ctx->rows;
    size_t nd = L->c->docs.n;
    band_item *it = malloc((nd * (size_t)bands + 1) * sizeof *it);
    int *dest = malloc((nd * (size_t)bands + 1) * sizeof *dest);
    if (!it || !dest)
        die("band keys", nd_strerror(ND_ENOMEM));
    size_t n = 0;
    for (size_t i = 0; i < nd; i++) {
        const uint32_t *sig = L->sigs + i * (size_t)perm;
        if (nd_lsh_empty(sig, perm))
            continue;
        for (int b = 0; b < bands; b++) {
            band_item x = {nd_lsh_key(sig, b, rows), L->base + (uint32_t)i,
                           (uint32_t)b};
            it[n] = x;
            dest[n++] = owner_of(x.key);
        }
    }
    bytes got = {0};
    shuffle(it, n, sizeof *it, dest, &got);
    free(it);
    free(dest);
    band_item *g = (band_item *)got.v;
    size_t ng = got.n / sizeof *g;
    if (ng)
        qsort(g, ng, sizeof *g, cmp_band_item);
    nd_u64_vec pairs = {0};
    nd_lsh_entry *e = malloc((ng + 1) * sizeof *e);
    if (!e)
        die("document buckets", nd_strerror(ND_ENOMEM));
    for (size_t s = 0, t; s < ng; s = t) {
        for (t = s; t < ng && g[t].band == g[s].band; t++)
            e[t - s] = (nd_lsh_entry){g[t].key, g[t].doc};
        nd_check(nd_lsh_bucket_pairs(e, t - s, ND_SCAN_LSH_CAP, &pairs),
                 "document buckets");
    }
    free(e);
    nd_vec_free(&got);
    pairs.n = nd_hash_set(pairs.v, pairs.n);
    /* To the rank that verifies the pair: a hash of the pair, so that
     * the work is balanced whatever the document ids. */
    int *to = malloc((pairs.n + 1) * sizeof *to);
    if (!to)
        die("document pairs", nd_strerror(ND_ENOMEM));
    for (size_t i = 0; i < pairs.n; i++)
        to[i] = owner_of(pairs.v[i]);
    bytes mine = {0};
    shuffle(pairs.v, pairs.n, sizeof *pairs.v, to, &mine);
    free(to);
    nd_vec_free(&pairs);
    uint64_t *v = (uint64_t *)mine.v;
    size_t nv = nd_hash_set(v, mine.n / sizeof *v);
    in->lsh = nd_malloc((nv + 1) * sizeof *in->lsh);
    if (!in->lsh)
        die("document pairs", nd_strerror(ND_ENOMEM));
    for (size_t i = 0; i < nv; i++)
        in->lsh[i] = (nd_docpair){(uint32_t)(v[i] >> 32), (uint32_t)v[i]};
    in->nlsh = nv;
    nd_vec_free(&mine);
}

static int cmp_adf_doc(const void *x, const void *y)
{
    const nd_adf *a = x, *b = y;
    if (a->doc != b->doc)
        return a->doc < b->doc ? -1 : 1;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return a < b ? -1 : a > b;
}

static size_t sort_unique_u32(uint32_t *v, size_t n)
{
    if (n < 2)
        return n;
    qsort(v, n, sizeof *v, cmp_u32);
    size_t w = 1;
    for (size_t i = 1; i < n; i++)
        if (v[i] != v[w - 1])
            v[w++] = v[i];
    return w;
}

static int fits_int(size_t n) { return n <= (size_t)INT32_MAX; }

/* Documents of other ranks that this rank's pairs need: texts point into
 * store; shingle sets are nd_malloc'ed (taken over by verification). */
typedef struct remote {
    nd_doc *view;    /* ntotal entries: this rank's documents and fetched */
    uint64_t **sets; /* ntotal entries */
    size_t *nsets;
    uint32_t *sigs;  /* ntotal * perm */
    bytes store;
} remote;

/*
 * Fetch text, signature and shingle set of documents @p need (sorted,
 * unique, none of this rank's) from the ranks that read them: requests,
 * then replies, one MPI_Alltoallv each.
 */
static void fetch_docs(const local *L, int perm, const uint32_t *need,
                       size_t n, remote *M, nd_adf_vec *adfs)
{
    /* This rank's anchors by document, to answer with. */
    if (adfs->n)
        qsort(adfs->v, adfs->n, sizeof *adfs->v, cmp_adf_doc);
    size_t *first = calloc(L->c->docs.n + 1, sizeof *first);
    if (!first)
        die("fetching documents", nd_strerror(ND_ENOMEM));
    for (size_t i = 0, j = 0; i <= L->c->docs.n; i++) {
        while (j < adfs->n && adfs->v[j].doc < L->base + i)
            j++;
        first[i] = j;
    }
    const int R = nranks;
    int *cnt = calloc((size_t)R, sizeof *cnt);
    int *displ = calloc((size_t)R, sizeof *displ);
    int *rcnt = calloc((size_t)R, sizeof *rcnt);
    int *rdispl = calloc((size_t)R, sizeof *rdispl);
    if (!cnt || !displ || !rcnt || !rdispl || !fits_int(n))
        die("fetching documents", nd_strerror(ND_ENOMEM));
    for (size_t i = 0; i < n; i++) /* need is sorted: runs per owner */
        cnt[owner_of_doc(L, need[i])]++;
    for (int r = 1; r < R; r++)
        displ[r] = displ[r - 1] + cnt[r - 1];
    MPI_OK(MPI_Alltoall(cnt, 1, MPI_INT, rcnt, 1, MPI_INT, MPI_COMM_WORLD));
    size_t nreq = 0;
    for (int r = 0; r < R; r++) {
        rdispl[r] = (int)nreq;
        nreq += (size_t)rcnt[r];
    }
    uint32_t *req = malloc((nreq + 1) * sizeof *req);
    if (!req || !fits_int(nreq))
        die("fetching documents", nd_strerror(ND_ENOMEM));
    MPI_OK(MPI_Alltoallv(need, cnt, displ, MPI_UINT32_T, req, rcnt, rdispl,
                         MPI_UINT32_T, MPI_COMM_WORLD));
    /* Replies, in the order asked, grouped by requester: per document
     * n, nset, cp[n], sig[perm], set[nset]. */
    bytes out = {0};
    for (int r = 0, i = 0; r < R; r++) {
        size_t start = out.n;
        for (int k = 0; k < rcnt[r]; k++, i++) {
            size_t j = req[i] - L->base;
            const nd_doc *d = &L->c->docs.v[j];
            uint64_t hdr[2] = {d->n, L->nsets[j]};
            put(&out, hdr, sizeof hdr);
            put(&out, d->cp, (size_t)d->n * sizeof *d->cp);
            put(&out, L->sigs + j * (size_t)perm,
                (size_t)perm * sizeof *L->sigs);
            put(&out, L->sets[j], L->nsets[j] * sizeof *L->sets[j]);
            put_u64(&out, first[j + 1] - first[j]);
            put(&out, adfs->v + first[j],
                (first[j + 1] - first[j]) * sizeof *adfs->v);
        }
        if (!fits_int(out.n))
            die("fetching documents", "more than 2 GB in one exchange (to "
                                      "do: rounds)");
        rcnt[r] = (int)(out.n - start);
        rdispl[r] = (int)start;
    }
    free(req);
    MPI_OK(MPI_Alltoall(rcnt, 1, MPI_INT, cnt, 1, MPI_INT, MPI_COMM_WORLD));
    size_t total = 0;
    for (int r = 0; r < R; r++) {
        displ[r] = (int)total;
        total += (size_t)cnt[r];
        if (!fits_int(total))
            die("fetching documents", "more than 2 GB in one exchange (to "
                                      "do: rounds)");
    }
    bytes *st = &M->store;
    nd_check(nd_vec_reserve(st, total + 1), "fetching documents");
    MPI_OK(MPI_Alltoallv(out.v, rcnt, rdispl, MPI_BYTE, st->v, cnt, displ,
                         MPI_BYTE, MPI_COMM_WORLD));
    st->n = total;
    gathered_bytes += out.n;
    nd_vec_free(&out);
    reader rd = {st->v, st->v + st->n};
    for (size_t i = 0; i < n; i++) {
        uint64_t hdr[2];
        get(&rd, hdr, sizeof hdr);
        uint32_t id = need[i];
        if ((size_t)(rd.end - rd.p) < hdr[0] * 4)
            die("fetching documents", "reply shorter than expected");
        M->view[id].n = (uint32_t)hdr[0];
        M->view[id].cp = (uint32_t *)rd.p; /* 4-byte aligned */
        rd.p += hdr[0] * 4;
        get(&rd, M->sigs + (size_t)id * perm, (size_t)perm * sizeof *M->sigs);
        M->nsets[id] = hdr[1];
        M->sets[id] = get_new(&rd, hdr[1] * sizeof(uint64_t));
        uint64_t na = get_u64(&rd);
        nd_check(nd_vec_reserve(adfs, adfs->n + na), "fetching documents");
        get(&rd, adfs->v + adfs->n, na * sizeof *adfs->v);
        adfs->n += na;
    }
    free(first);
    free(cnt);
    free(displ);
    free(rcnt);
    free(rdispl);
}

/*
 * Passage anchors to their owners by hash; the owners' buckets give each
 * anchor's df (to rank 0 for the report, and to the rank of the anchor's
 * document for verification) and the hits (to the rank of their first
 * document, in *hits).
 */
static void anchor_stage(local *L, const nd_ctx *ctx, nd_adf_vec *all_adfs,
                         nd_scan_input *in, bytes *hits_out)
{
    nd_anchor_vec an = {0};
    for (size_t i = 0; i < L->c->docs.n; i++)
        nd_check(nd_scan_anchors(L->c->docs.v[i].cp, L->c->docs.v[i].n,
                                 L->base + (uint32_t)i, &an), "anchors");
    int *dest = malloc((an.n + 1) * sizeof *dest);
    if (!dest)
        die("anchors", nd_strerror(ND_ENOMEM));
    for (size_t i = 0; i < an.n; i++)
        dest[i] = owner_of(an.v[i].h);
    bytes got = {0};
    shuffle(an.v, an.n, sizeof *an.v, dest, &got);
    free(dest);
    nd_vec_free(&an);
    nd_anchor *g = (nd_anchor *)got.v;
    size_t ng = got.n / sizeof *g;
    if (ng)
        qsort(g, ng, sizeof *g, nd_anchor_cmp);
    nd_adf_vec adfs = {0};
    nd_hit_vec hits = {0};
    nd_check(nd_scan_buckets(g, ng, ctx->s.max_df, &adfs, &hits),
             "anchor buckets");
    nd_vec_free(&got);

    bytes mine = {(uint8_t *)adfs.v, adfs.n * sizeof *adfs.v, 0};
    bytes all = {0};
    gather(&mine, append, &all);
    if (!rank) {
        all_adfs->v = (nd_adf *)all.v;
        all_adfs->n = all.n / sizeof *all_adfs->v;
        all_adfs->cap = all.cap / sizeof *all_adfs->v;
    }
    dest = malloc((ND_MAX(adfs.n, hits.n) + 1) * sizeof *dest);
    if (!dest)
        die("anchors", nd_strerror(ND_ENOMEM));
    for (size_t i = 0; i < adfs.n; i++)
        dest[i] = owner_of_doc(L, adfs.v[i].doc);
    shuffle(adfs.v, adfs.n, sizeof *adfs.v, dest, &got);
    nd_vec_free(&adfs);
    in->adfs.v = (nd_adf *)got.v;
    in->adfs.n = got.n / sizeof *in->adfs.v;
    in->adfs.cap = got.cap / sizeof *in->adfs.v;
    for (size_t i = 0; i < hits.n; i++)
        dest[i] = owner_of(hits.v[i].pair);
    shuffle(hits.v, hits.n, sizeof *hits.v, dest, hits_out);
    free(dest);
    nd_vec_free(&hits);
}

/*
 * Verify this rank's candidates (pairs whose first document it read):
 * fetch the second documents from their ranks, filter the hits, verify
 * and align.  Takes @p in over.
 */
static void verify_local(local *L, nd_ctx *ctx, nd_scan_input *in,
                         bytes *hits, nd_scan_found *found)
{
    const int perm = ctx->s.perm;
    nd_hit *h = (nd_hit *)hits->v;
    size_t nh = hits->n / sizeof *h;
    ND_VEC(uint32_t) need = {0};
    for (size_t i = 0; i < 2 * (nh + in->nlsh); i++) {
        size_t k = i / 2;
        uint32_t d = k < nh ? (uint32_t)(i % 2 ? h[k].pair : h[k].pair >> 32)
                            : i % 2 ? in->lsh[k - nh].b : in->lsh[k - nh].a;
        if (d < L->base || d >= L->base + L->c->docs.n)
            nd_check(nd_vec_push(&need, d), "candidates");
    }
    need.n = sort_unique_u32(need.v, need.n);
    remote M = {0};
    M.view = nd_calloc(L->ntotal + 1, sizeof *M.view);
    M.sets = nd_calloc(L->ntotal + 1, sizeof *M.sets);
    M.nsets = nd_calloc(L->ntotal + 1, sizeof *M.nsets);
    M.sigs = nd_calloc((L->ntotal + 1) * (size_t)perm, sizeof *M.sigs);
    if (!M.view || !M.sets || !M.nsets || !M.sigs)
        die("candidates", nd_strerror(ND_ENOMEM));
    for (size_t i = 0; i < L->c->docs.n; i++) {
        M.view[L->base + i] = L->c->docs.v[i];
        M.sets[L->base + i] = L->sets[i];
        M.nsets[L->base + i] = L->nsets[i];
        memcpy(M.sigs + (L->base + i) * (size_t)perm,
               L->sigs + i * (size_t)perm, (size_t)perm * sizeof *M.sigs);
    }
    fetch_docs(L, perm, need.v, need.n, &M, &in->adfs);
    for (size_t i = 0; i < L->c->docs.n; i++) /* owned by M.sets now */
        L->sets[i] = NULL;
    nd_check(nd_scan_hit_pairs(M.view, ctx->s.min_passage, h, nh,
                               &in->hit_pairs), "hit filter");
    nd_vec_free(hits);
    in->sets = M.sets;
    in->nsets = M.nsets;
    in->sigs = M.sigs;
    nd_corpus part = {0}; /* the documents this rank can see */
    part.ctx = ctx;
    part.docs.v = M.view;
    part.docs.n = L->ntotal;
    double tv0 = MPI_Wtime();
    nd_check(nd_scan_verify(&part, in, found), "verification");
    if (getenv("ND_MPI_DEBUG"))
        fprintf(stderr, "rank %d: fetched %zu docs, hits %zu, verify %.3f s, "
                "%zu pairs\n", rank, need.n, nh, MPI_Wtime() - tv0,
                found->pairs.n);
    nd_free(M.view);
    nd_vec_free(&M.store);
    nd_vec_free(&need);
}

/* Rank 0 gets every rank's pairs and passages (each rank's in (a, b)
 * order; merged by sort_found). */
static void gather_found(void *user, const bytes *b, int from)
{
    nd_scan_found *all = user;
    reader r = {b->v, b->v + b->n};
    uint64_t n[4];
    get(&r, n, sizeof n);
    size_t first = all->pairs.n;
    nd_check(nd_vec_reserve(&all->pairs, all->pairs.n + n[0]), "results");
    get(&r, all->pairs.v + all->pairs.n, n[0] * sizeof *all->pairs.v);
    all->pairs.n += n[0];
    nd_check(nd_vec_reserve(&all->pas, all->pas.n + n[1]), "results");
    get(&r, all->pas.v + all->pas.n, n[1] * sizeof *all->pas.v);
    for (size_t i = 0; i < n[1]; i++)
        all->pas.v[all->pas.n + i].pair += (uint32_t)first;
    all->pas.n += n[1];
    all->doc_candidates += n[2];
    all->candidates += n[3];
    (void)from;
}

static const nd_pair *sort_base;

static int cmp_pair_at(const void *x, const void *y)
{
    const nd_pair *a = &sort_base[*(const uint32_t *)x];
    const nd_pair *b = &sort_base[*(const uint32_t *)y];
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return a->b < b->b ? -1 : a->b > b->b;
}

/* Put the gathered pairs in (a, b) order, each pair's passages after the
 * ones of the pairs before it, in their order (as one process has them). */
static void sort_found(nd_scan_found *f)
{
    size_t np = f->pairs.n;
    uint32_t *order = malloc((np + 1) * sizeof *order);
    size_t *first = calloc(np + 2, sizeof *first);
    nd_pair *pairs = nd_malloc((np + 1) * sizeof *pairs);
    nd_pres *pas = nd_malloc((f->pas.n + 1) * sizeof *pas);
    if (!order || !first || !pairs || !pas)
        die("merging results", nd_strerror(ND_ENOMEM));
    for (size_t i = 0; i < np; i++)
        order[i] = (uint32_t)i;
    sort_base = f->pairs.v;
    if (np)
        qsort(order, np, sizeof *order, cmp_pair_at);
    for (size_t i = 0; i < f->pas.n; i++) /* passages by pair index */
        first[f->pas.v[i].pair + 1]++;
    for (size_t i = 0; i < np; i++)
        first[i + 1] += first[i];
    size_t n = 0;
    for (size_t k = 0; k < np; k++) {
        uint32_t old = order[k];
        pairs[k] = f->pairs.v[old];
        for (size_t i = first[old]; i < first[old + 1]; i++) {
            pas[n] = f->pas.v[i];
            pas[n++].pair = (uint32_t)k;
        }
    }
    nd_free(f->pairs.v);
    nd_free(f->pas.v);
    f->pairs.v = pairs;
    f->pairs.cap = np + 1;
    f->pas.v = pas;
    f->pas.cap = f->pas.n + 1;
    free(order);
    free(first);
}

/* ------------------------------------------------------------------ */
/* The corpus at rank 0                                                 */

/* This rank's files and documents. */
static void pack_corpus(const local *L, bytes *b)
{
    const nd_corpus *c = L->c;
    put_u64(b, c->files.n);
    for (size_t i = 0; i < c->files.n; i++) {
        const nd_file *f = &c->files.v[i];
        put_u64(b, strlen(f->path));
        put(b, f->path, strlen(f->path));
        put_u64(b, strlen(f->encoding));
        put(b, f->encoding, strlen(f->encoding));
        put_u64(b, f->len);
        put(b, f->data, f->len);
    }
    put_u64(b, c->docs.n);
    for (size_t i = 0; i < c->docs.n; i++) {
        const nd_doc *d = &c->docs.v[i];
        uint64_t hdr[6] = {d->file, d->pub.ordinal, d->pub.start, d->pub.end,
                           d->pub.chars, d->n};
        put(b, hdr, sizeof hdr);
        put_u64(b, strlen(d->pub.title));
        put(b, d->pub.title, strlen(d->pub.title));
        put(b, d->cp, d->n * sizeof *d->cp);
        put_u64(b, d->nexc);
        put(b, d->map, nd_doc_map_size(d->n, d->nexc));
    }
    put_u64(b, c->skipped);
    put(b, &c->t_ingest, sizeof c->t_ingest);
    put(b, &c->t_normalize, sizeof c->t_normalize);
}

/* Rank 0's corpus receives the other ranks' files and documents. */
static void unpack_corpus(void *user, const bytes *b, int from)
{
    nd_corpus *c = user;
    if (from == 0) /* already here */
        return;
    reader r = {b->v, b->v + b->n};
    uint64_t nf = get_u64(&r);
    size_t f0 = c->files.n;
    for (uint64_t i = 0; i < nf; i++) {
        nd_file f = {0};
        f.path = get_new(&r, get_u64(&r));
        f.encoding = get_new(&r, get_u64(&r));
        f.len = get_u64(&r);
        f.data = get_new(&r, f.len);
        nd_check(nd_vec_push(&c->files, f), "assembling the corpus");
    }
    uint64_t ndocs = get_u64(&r);
    nd_check(nd_vec_reserve(&c->docs, c->docs.n + ndocs),
             "assembling the corpus");
    for (uint64_t i = 0; i < ndocs; i++) {
        uint64_t hdr[6];
        get(&r, hdr, sizeof hdr);
        nd_doc d = {0};
        d.file = (uint32_t)(f0 + hdr[0]);
        d.n = (uint32_t)hdr[5];
        d.pub.id = (uint32_t)c->docs.n;
        d.pub.file = c->files.v[d.file].path;
        d.pub.encoding = c->files.v[d.file].encoding;
        d.pub.ordinal = (uint32_t)hdr[1];
        d.pub.start = hdr[2];
        d.pub.end = hdr[3];
        d.pub.chars = (uint32_t)hdr[4];
        d.pub.title = get_new(&r, get_u64(&r));
        d.cp = get_new(&r, d.n * sizeof *d.cp);
        d.nexc = (uint32_t)get_u64(&r);
        d.map = get_new(&r, nd_doc_map_size(d.n, d.nexc));
        c->docs.v[c->docs.n++] = d;
    }
    c->skipped += get_u64(&r);
    double t;
    get(&r, &t, sizeof t);
    c->t_ingest += t;
    get(&r, &t, sizeof t);
    c->t_normalize += t;
}

/* ------------------------------------------------------------------ */

static void usage_mpi(FILE *f)
{
    fprintf(f,
"usage: mpirun [-np R] neardup-mpi scan [OPTIONS] PATH...\n"
"\n"
"`neardup scan` over MPI ranks: the same options (see neardup --help) and\n"
"the same output, byte for byte, for any number of ranks.  Standard input\n"
"(-) is not accepted.  ND_MPI_ROUND sets the items a rank sends per\n"
"shuffle round (default %u); ND_MPI_DEBUG=1 prints each rank's\n"
"verification figures.  Pass environment variables with mpirun -x.\n",
            ROUND_ITEMS);
}

static int scan_main(int argc, char **argv)
{
    double t0 = MPI_Wtime();
    opts o = {0};
    /* Every rank parses (the options are the same); only rank 0 talks. */
    int saved = -1;
    if (rank) {
        fflush(stderr);
        saved = dup(2);
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) {
            dup2(null, 2);
            close(null);
        }
    }
    int first = parse(argc, argv, &o);
    if (saved >= 0) {
        dup2(saved, 2);
        close(saved);
    }
    if (first == -2)
        return 0;
    if (first < 0)
        return EXIT_ERROR;
    if (first >= argc) {
        if (!rank)
            fprintf(stderr, "%s: no input given (a file or a directory)\n",
                    prog);
        return EXIT_ERROR;
    }
    for (int k = first; k < argc; k++)
        if (!strcmp(argv[k], "-")) {
            if (!rank)
                fprintf(stderr, "%s: standard input (-) cannot be shared "
                                "between ranks: give files\n", prog);
            return EXIT_ERROR;
        }
    if (o.format == FMT_PAN && !o.output) {
        if (!rank)
            fprintf(stderr, "%s: --format pan writes one file per pair: "
                            "give the directory with -o DIR\n", prog);
        return EXIT_ERROR;
    }
    quiet_log = o.quiet;
    o.s.log = log_stderr;
    o.s.log_user = &o.verbose;
    progress_enable(0);
    nd_ctx *ctx = NULL;
    int rc = nd_ctx_new(&ctx, &o.s);
    if (rc) {
        if (!rank)
            fprintf(stderr, "%s: %s\n", prog, nd_strerror(rc));
        return EXIT_ERROR;
    }
    FILE *out = stdout;
    int open_failed = 0;
    if (!rank && o.format == FMT_PAN)
        out = NULL;
    else if (!rank && o.output && !(out = fopen(o.output, "w"))) {
        fprintf(stderr, "%s: %s: cannot write: %s\n", prog, o.output,
                strerror(errno));
        open_failed = 1;
    }
    MPI_OK(MPI_Bcast(&open_failed, 1, MPI_INT, 0, MPI_COMM_WORLD));
    if (open_failed) {
        nd_ctx_free(ctx);
        return EXIT_ERROR;
    }

    /* 1. Shards. */
    bytes *shard = calloc((size_t)nranks, sizeof *shard);
    bytes mine = {0};
    size_t list_skipped = 0;
    if (!shard)
        die("listing inputs", nd_strerror(ND_ENOMEM));
    if (!rank)
        list_shards(ctx, argv + first, argc - first, shard, &list_skipped);
    scatter_shards(shard, &mine);
    for (int r = 0; r < nranks; r++)
        nd_vec_free(&shard[r]);
    free(shard);

    /* 2. Read, normalize and sign this rank's files. */
    local L = {0};
    nd_check(nd_corpus_new(ctx, &L.c), "corpus");
    L.c->keep_data = 1; /* rank 0 quotes every file: they travel */
    for (size_t at = 0; at < mine.n; at += strlen((char *)mine.v + at) + 1) {
        rc = nd_corpus_add_path(L.c, (const char *)mine.v + at);
        if (rc == ND_ENOMEM)
            die("reading inputs", nd_strerror(rc));
    }
    nd_vec_free(&mine);
    L.c->skipped += list_skipped;
    uint64_t nlocal = L.c->docs.n, base = 0, ntotal = 0;
    MPI_OK(MPI_Exscan(&nlocal, &base, 1, MPI_UINT64_T, MPI_SUM,
                      MPI_COMM_WORLD));
    MPI_OK(MPI_Allreduce(&nlocal, &ntotal, 1, MPI_UINT64_T, MPI_SUM,
                         MPI_COMM_WORLD));
    if (!rank)
        base = 0; /* MPI_Exscan leaves rank 0's result undefined */
    if (ntotal > UINT32_MAX)
        die("reading inputs", "more than 2^32 documents");
    L.base = (uint32_t)base;
    L.ntotal = ntotal;
    L.ends = calloc((size_t)nranks, sizeof *L.ends);
    if (!L.ends)
        die("reading inputs", nd_strerror(ND_ENOMEM));
    uint64_t end = base + nlocal;
    MPI_OK(MPI_Allgather(&end, 1, MPI_UINT64_T, L.ends, 1, MPI_UINT64_T,
                         MPI_COMM_WORLD));
    double t1 = MPI_Wtime();
    sign_local(&L, &ctx->s);
    double t2 = MPI_Wtime();

    /* Tests: this rank dies here, the others wait in the shuffle. */
    const char *fail = getenv("ND_MPI_TEST_KILL_RANK");
    if (fail && *fail && atoi(fail) == rank)
        raise(SIGKILL);

    /* 3. Band keys and anchors to their owners; buckets there. */
    nd_scan_input in = {0};
    lsh_pairs(&L, ctx, &in);
    nd_adf_vec all_adfs = {0};
    bytes hits = {0};
    anchor_stage(&L, ctx, &all_adfs, &in, &hits);
    double t3 = MPI_Wtime();

    /* 4. Verification on the rank of each pair's first document. */
    nd_scan_found found = {0};
    verify_local(&L, ctx, &in, &hits, &found);
    for (size_t i = 0; i < nlocal; i++) /* fetched ones: verification's */
        nd_free(L.sets[i]);
    nd_free(L.sets);
    nd_free(L.nsets);
    nd_free(L.sigs);
    bytes packed = {0};
    uint64_t counts[4] = {found.pairs.n, found.pas.n, found.doc_candidates,
                          found.candidates};
    put(&packed, counts, sizeof counts);
    put(&packed, found.pairs.v, found.pairs.n * sizeof *found.pairs.v);
    put(&packed, found.pas.v, found.pas.n * sizeof *found.pas.v);
    nd_vec_free(&found.pairs);
    nd_vec_free(&found.pas);
    found.doc_candidates = found.candidates = 0;
    quiet_barrier(); /* ranks done early sleep instead of polling */
    gather(&packed, gather_found, &found);
    nd_vec_free(&packed);
    if (!rank)
        sort_found(&found);
    double t4 = MPI_Wtime();

    /* 5. The report at rank 0, which needs every document and file. */
    if (rank)
        pack_corpus(&L, &packed);
    gather(&packed, unpack_corpus, L.c);
    nd_vec_free(&packed);

    uint64_t moved[2] = {sent_bytes, gathered_bytes}, total_moved[2] = {0};
    MPI_OK(MPI_Reduce(moved, total_moved, 2, MPI_UINT64_T, MPI_SUM, 0,
                      MPI_COMM_WORLD));
    uint64_t rss = rank ? peak_rss() : 0, rss_max = 0; /* other ranks */
    MPI_OK(MPI_Reduce(&rss, &rss_max, 1, MPI_UINT64_T, MPI_MAX, 0,
                      MPI_COMM_WORLD));
    int status = 0;
    if (!rank) {
        int color = o.color == COLOR_ALWAYS;
        renderer r = {render_ops_of(o.format), out, L.c, color, o.records,
                      o.output, {0}, 0, 0};
        char *cmd = command_line("neardup", argc, argv);
        nd_stats stats = {0};
        stats.t_sign = t2 - t1;
        stats.t_lsh = t3 - t2;
        stats.t_align = t4 - t3;
        rc = render_begin(&r) ? ND_EIO
                              : nd_scan_report(L.c, &all_adfs, &found,
                                               render_record, &r, &stats);
        nd_vec_free(&all_adfs); /* left only when render_begin failed */
        nd_vec_free(&found.pairs);
        nd_vec_free(&found.pas);
        if (rc) {
            if (rc == ND_EABORT || r.failed)
                fprintf(stderr, "%s: writing the results failed\n", prog);
            else
                fprintf(stderr, "%s: scan failed: %s\n", prog,
                        nd_strerror(rc));
            render_end(&r, NULL);
            status = EXIT_ERROR;
        } else {
            size_t files = 0;
            const char *last = NULL;
            for (uint32_t i = 0; i < nd_corpus_size(L.c); i++) {
                const char *f = nd_corpus_document(L.c, i)->file;
                files += !last || strcmp(f, last);
                last = f;
            }
            run_info info = {stats, MPI_Wtime() - t0, files,
                             nd_corpus_skipped(L.c), nd_ctx_settings(ctx),
                             cmd};
            if (render_end(&r, &info) || nd_corpus_skipped(L.c))
                status = EXIT_ERROR;
            if (o.stats)
                fprintf(stderr,
                        "{\"type\":\"mpi_stats\",\"ranks\":%d,"
                        "\"documents\":%llu,\"t_read\":%.3f,"
                        "\"t_sign\":%.3f,"
                        "\"t_shuffle\":%.3f,\"t_verify\":%.3f,"
                        "\"t_report\":%.3f,"
                        "\"rounds\":%llu,\"shuffled_bytes\":%llu,"
                        "\"gathered_bytes\":%llu,"
                        "\"t_total\":%.3f,\"peak_rss_rank0\":%llu,"
                        "\"peak_rss_other_ranks\":%llu}\n",
                        nranks, (unsigned long long)ntotal, t1 - t0, t2 - t1,
                        t3 - t2, t4 - t3, MPI_Wtime() - t4,
                        (unsigned long long)rounds_done,
                        (unsigned long long)total_moved[0],
                        (unsigned long long)total_moved[1],
                        MPI_Wtime() - t0, (unsigned long long)peak_rss(),
                        (unsigned long long)rss_max);
        }
        free(cmd);
        if (out && out != stdout) {
            if (fclose(out)) {
                fprintf(stderr, "%s: %s: write failed: %s\n", prog, o.output,
                        strerror(errno));
                status = EXIT_ERROR;
            }
        } else if (out && fflush(out)) {
            fprintf(stderr, "%s: write failed: %s\n", prog, strerror(errno));
            status = EXIT_ERROR;
        }
    }
    quiet_barrier(); /* the others sleep while rank 0 finishes */
    MPI_OK(MPI_Bcast(&status, 1, MPI_INT, 0, MPI_COMM_WORLD));
    nd_corpus_free(L.c);
    free(L.ends);
    nd_ctx_free(ctx);
    return status;
}

int main(int argc, char **argv)
{
    prog = "neardup-mpi";
    if (MPI_Init(&argc, &argv) != MPI_SUCCESS) {
        fprintf(stderr, "%s: MPI_Init failed\n", prog);
        return EXIT_ERROR;
    }
    MPI_OK(MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN));
    MPI_OK(MPI_Comm_rank(MPI_COMM_WORLD, &rank));
    MPI_OK(MPI_Comm_size(MPI_COMM_WORLD, &nranks));
    const char *env = getenv("ND_MPI_ROUND");
    if (env && atol(env) > 0)
        round_items = ND_MIN((size_t)atol(env), ROUND_MAX);
    int status;
    if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        if (!rank)
            usage_mpi(stdout);
        status = 0;
    } else if (argc < 2 || strcmp(argv[1], "scan")) {
        if (!rank)
            usage_mpi(stderr);
        status = EXIT_ERROR;
    } else {
        status = scan_main(argc - 1, argv + 1);
    }
    MPI_Finalize();
    return status;
}
