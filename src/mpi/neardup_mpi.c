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
 *   4. Each candidate pair (LSH pair or anchor hit) goes to the rank that
 *      read one of its two documents (verifier_of); that rank fetches the
 *      other document from the rank that read it, in bounded rounds
 *      (fetch_docs), filters the hits (nd_scan_hit_pairs), verifies and
 *      aligns (nd_scan_verify).
 *   5. Rank 0 gathers pairs and passages and puts them in the
 *      single-process order (sort_found), gathers the documents' metadata
 *      and runs nd_scan_report and the renderers; what the records quote
 *      (bytes, text, line:column) and the trimming of boilerplate are
 *      asked of the ranks that read the documents (serve).  Text and HTML
 *      output still gather every document to rank 0: see
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
#define FETCH_BYTES (1u << 30) /* document bytes per fetch round, all ranks */

static int rank, nranks;
static size_t round_items = ROUND_ITEMS;
static uint64_t fetch_bytes = FETCH_BYTES;

/* Shuffle volume of this rank, for --stats. */
static uint64_t sent_bytes, rounds_done, gathered_bytes;

/* Peak resident set size of this process, in bytes. */
static uint64_t peak_rss(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) ? 0 : (uint64_t)ru.ru_maxrss * 1024;
}

/* CPU seconds (user and system) of this process so far. */
static double cpu_seconds(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru))
        return 0;
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* ND_MPI_DEBUG: this rank's peak memory after each stage. */
static void debug_rss(const char *stage)
{
    if (getenv("ND_MPI_DEBUG"))
        fprintf(stderr, "rank %d: peak RSS %.1f MB after %s\n", rank,
                (double)peak_rss() / 1e6, stage);
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

/* The text of @p d as 32-bit code points, whatever it is kept in. */
static void put_text(bytes *b, const nd_doc *d)
{
    uint32_t tmp[1024];
    for (size_t i = 0; i < d->n; i += 1024) {
        size_t e = ND_MIN((size_t)d->n, i + 1024);
        nd_doc_widen(d, i, e, tmp);
        put(b, tmp, (e - i) * sizeof *tmp);
    }
}

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

/* ------------------------------------------------------------------ */
/* The shuffle: items to their owner ranks, in bounded rounds           */

static int owner_of(uint64_t h)
{
    h ^= h >> 31;
    h *= UINT64_C(0x9e3779b97f4a7c15);
    return (int)((h >> 32) % (uint64_t)nranks);
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
    quiet_barrier(); /* ranks that finish the stage before sleep */
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
    size_t *nsets;   /* per local document: its shingle set's size */
    uint32_t *sigs;
    nd_adf_vec adfs;   /* this rank's anchors with their df, by document */
    size_t *adf_first; /* per local document: its first in adfs */
    nd_reader *rd;     /* this rank's files held open to quote them */
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

/* Signature and shingle set size of local document @p i (a pool task). */
static int sign_one(void *user, size_t i, int worker)
{
    signer *G = user;
    const nd_doc *d = &G->L->c->docs.v[i];
    nd_cpbuf buf = {0};
    const uint32_t *cp = nd_doc_text(d, 0, d->n, &buf);
    (void)worker;
    int rc = cp ? nd_scan_sign(G->set, cp, d->n,
                               G->L->sigs + i * (size_t)G->set->perm,
                               &G->L->nsets[i])
                : ND_ENOMEM;
    nd_vec_free(&buf);
    return rc;
}

/* Sign this rank's documents on --threads threads. */
static void sign_local(local *L, const nd_settings *set)
{
    size_t nd = L->c->docs.n, perm = (size_t)set->perm;
    L->nsets = nd_calloc(nd + 1, sizeof *L->nsets);
    L->sigs = nd_malloc((nd + 1) * perm * sizeof *L->sigs);
    if (!L->nsets || !L->sigs)
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

/*
 * The rank that verifies pair @p p (a << 32 | b): one of the two that read
 * a and b, chosen by a hash of the pair, so that it fetches one document
 * at most (none for a pair within its own shard) and the pairs between two
 * ranks are shared evenly.
 */
static int verifier_of(const local *L, uint64_t p)
{
    int ra = owner_of_doc(L, (uint32_t)(p >> 32));
    int rb = owner_of_doc(L, (uint32_t)p);
    uint64_t h = (p ^ (p >> 29)) * UINT64_C(0xbf58476d1ce4e5b9);
    return (h >> 63) ? rb : ra;
}

/* Document LSH: band keys to their owners, buckets there; each pair goes
 * to the rank that verifies it (verifier_of), once. */
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
    /* To the rank that verifies the pair. */
    int *to = malloc((pairs.n + 1) * sizeof *to);
    if (!to)
        die("document pairs", nd_strerror(ND_ENOMEM));
    for (size_t i = 0; i < pairs.n; i++)
        to[i] = verifier_of(L, pairs.v[i]);
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
 * the stores (one per fetch round). */
typedef struct remote {
    uint32_t *ids;   /* global ids of the documents this rank sees, sorted:
                        its own and the fetched ones */
    size_t nids;
    nd_doc *view;    /* nids entries, by local index (position in ids) */
    size_t *nsets;   /* nids entries */
    uint32_t *sigs;  /* nids * perm */
    ND_VEC(bytes) stores;
} remote;

/* Local index of global document @p id among the documents a rank sees.
 * The map is monotone, so local ids sort pairs as global ids do. */
static uint32_t local_of(const remote *M, uint32_t id)
{
    size_t lo = 0, hi = M->nids;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (M->ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == M->nids || M->ids[lo] != id)
        die("candidates", "a document neither read nor fetched");
    return (uint32_t)lo;
}

/* Bytes of the reply that carries local document @p j. */
static uint64_t reply_size(const local *L, int perm, size_t j)
{
    return 16 + (uint64_t)L->c->docs.v[j].n * 4 + (uint64_t)perm * 4 + 8 +
           (L->adf_first[j + 1] - L->adf_first[j]) * sizeof(nd_adf);
}

/* Reply for local document @p j: n, cp[n], sig[perm], shingle set size,
 * number of anchors, anchors.  Not the shingle set: verification counts
 * shared shingles from the two texts, as in one process. */
static void pack_reply(const local *L, int perm, size_t j, bytes *out)
{
    const nd_doc *d = &L->c->docs.v[j];
    size_t a0 = L->adf_first[j], a1 = L->adf_first[j + 1];
    put_u64(out, d->n);
    put_text(out, d);
    put(out, L->sigs + j * (size_t)perm, (size_t)perm * sizeof *L->sigs);
    put_u64(out, L->nsets[j]);
    put_u64(out, a1 - a0);
    put(out, L->adfs.v + a0, (a1 - a0) * sizeof *L->adfs.v);
}

/* Take in the reply for document @p id (pack_reply): its text stays in
 * the store that @p rd reads. */
static void unpack_reply(reader *rd, uint32_t gid, const nd_settings *set,
                         remote *M, nd_adf_vec *adfs)
{
    const int perm = set->perm;
    uint32_t id = local_of(M, gid);
    uint64_t n = get_u64(rd);
    if ((size_t)(rd->end - rd->p) < n * 4)
        die("fetching documents", "reply shorter than expected");
    M->view[id].n = (uint32_t)n;
    M->view[id].cp = (uint32_t *)rd->p; /* 4-byte aligned */
    rd->p += n * 4;
    get(rd, M->sigs + (size_t)id * perm, (size_t)perm * sizeof *M->sigs);
    M->nsets[id] = get_u64(rd);
    uint64_t na = get_u64(rd);
    nd_check(nd_vec_reserve(adfs, adfs->n + na), "fetching documents");
    get(rd, adfs->v + adfs->n, na * sizeof *adfs->v);
    adfs->n += na;
}

/* How many of the documents from @p at on (sizes @p size, @p n in all)
 * one round carries between two ranks: at most @p budget bytes, at least
 * one document.  Requester and owner compute the same plan. */
static size_t round_take(const uint64_t *size, size_t at, size_t n,
                         uint64_t budget)
{
    size_t k = 0;
    uint64_t sum = 0;
    while (at + k < n && (k == 0 || sum + size[at + k] <= budget))
        sum += size[at + k++];
    return k;
}

/*
 * Fetch text, signature and anchors of documents @p need
 * (sorted, unique, none of this rank's) from the ranks that read them.
 * One exchange of the requested ids and of the reply sizes, then rounds:
 * each round moves at most fetch_bytes / R bytes between any two ranks
 * (one document at least), so a round's buffers stay bounded.  Keeps this
 * rank's anchors by document in L->adfs (for the report's trimming).
 */
static void fetch_docs(local *L, const nd_settings *set,
                       const uint32_t *need, size_t n,
                       remote *M, nd_adf_vec *adfs)
{
    const int perm = set->perm;
    /* This rank's anchors by document, to answer with (and to keep). */
    if (adfs->n)
        qsort(adfs->v, adfs->n, sizeof *adfs->v, cmp_adf_doc);
    L->adf_first = calloc(L->c->docs.n + 2, sizeof *L->adf_first);
    if (!L->adf_first || nd_vec_reserve(&L->adfs, adfs->n + 1))
        die("fetching documents", nd_strerror(ND_ENOMEM));
    if (adfs->n)
        memcpy(L->adfs.v, adfs->v, adfs->n * sizeof *adfs->v);
    L->adfs.n = adfs->n;
    for (size_t i = 0, j = 0; i <= L->c->docs.n; i++) {
        while (j < adfs->n && adfs->v[j].doc < L->base + i)
            j++;
        L->adf_first[i] = j;
    }
    const int R = nranks;
    quiet_barrier();
    int *cnt = calloc((size_t)R, sizeof *cnt);
    int *displ = calloc((size_t)R, sizeof *displ);
    int *rcnt = calloc((size_t)R, sizeof *rcnt);
    int *rdispl = calloc((size_t)R, sizeof *rdispl);
    int *bcnt = calloc((size_t)R, sizeof *bcnt);
    int *bdispl = calloc((size_t)R, sizeof *bdispl);
    int *brcnt = calloc((size_t)R, sizeof *brcnt);
    int *brdispl = calloc((size_t)R, sizeof *brdispl);
    size_t *gave = calloc((size_t)R, sizeof *gave); /* per requester */
    size_t *got = calloc((size_t)R, sizeof *got);   /* per owner */
    size_t *take = calloc((size_t)R, sizeof *take); /* this round */
    if (!cnt || !displ || !rcnt || !rdispl || !bcnt || !bdispl || !brcnt ||
        !brdispl || !gave || !got || !take || !fits_int(n))
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
    uint64_t *rsize = malloc((nreq + 1) * sizeof *rsize); /* answered */
    uint64_t *size = malloc((n + 1) * sizeof *size);      /* to receive */
    if (!req || !rsize || !size || !fits_int(nreq))
        die("fetching documents", nd_strerror(ND_ENOMEM));
    MPI_OK(MPI_Alltoallv(need, cnt, displ, MPI_UINT32_T, req, rcnt, rdispl,
                         MPI_UINT32_T, MPI_COMM_WORLD));
    for (size_t i = 0; i < nreq; i++)
        rsize[i] = reply_size(L, perm, req[i] - L->base);
    MPI_OK(MPI_Alltoallv(rsize, rcnt, rdispl, MPI_UINT64_T, size, cnt, displ,
                         MPI_UINT64_T, MPI_COMM_WORLD));
    /* Rounds: the largest number any pair of ranks needs. */
    uint64_t budget = ND_MAX((uint64_t)1, fetch_bytes / (uint64_t)R);
    uint64_t mine = 0, rounds = 0;
    for (int r = 0; r < R; r++) {
        uint64_t k = 0;
        for (size_t at = 0; at < (size_t)cnt[r]; k++)
            at += round_take(size + displ[r], at, (size_t)cnt[r], budget);
        mine = ND_MAX(mine, k);
    }
    MPI_OK(MPI_Allreduce(&mine, &rounds, 1, MPI_UINT64_T, MPI_MAX,
                         MPI_COMM_WORLD));
    bytes out = {0};
    size_t done = 0; /* documents of need unpacked */
    for (uint64_t round = 0; round < rounds; round++) {
        out.n = 0;
        for (int r = 0; r < R; r++) { /* replies, by requester */
            size_t k = round_take(rsize + rdispl[r], gave[r],
                                  (size_t)rcnt[r], budget);
            size_t start = out.n;
            for (size_t x = 0; x < k; x++)
                pack_reply(L, perm, req[rdispl[r] + gave[r] + x] - L->base,
                           &out);
            gave[r] += k;
            if (!fits_int(out.n))
                die("fetching documents", "a round's replies exceed 2 GB "
                                          "(lower ND_MPI_FETCH_BYTES)");
            bcnt[r] = (int)(out.n - start);
            bdispl[r] = (int)start;
        }
        size_t total = 0;
        for (int r = 0; r < R; r++) { /* what arrives, by owner */
            size_t k = round_take(size + displ[r], got[r], (size_t)cnt[r],
                                  budget);
            uint64_t b = 0;
            for (size_t x = 0; x < k; x++)
                b += size[displ[r] + got[r] + x];
            take[r] = k;
            brdispl[r] = (int)total;
            total += b;
            if (!fits_int(total))
                die("fetching documents", "a round's replies exceed 2 GB "
                                          "(lower ND_MPI_FETCH_BYTES)");
            brcnt[r] = (int)b;
        }
        bytes st = {0};
        nd_check(nd_vec_reserve(&st, total + 1), "fetching documents");
        MPI_OK(MPI_Alltoallv(out.v, bcnt, bdispl, MPI_BYTE, st.v, brcnt,
                             brdispl, MPI_BYTE, MPI_COMM_WORLD));
        st.n = total;
        gathered_bytes += out.n;
        rounds_done++;
        /* Replies arrive by owner, each owner's in the order asked: the
         * next take[r] documents of owner r's run of need. */
        reader rd = {st.v, st.v + st.n};
        for (int r = 0; r < R; r++)
            for (size_t x = 0; x < take[r]; x++, done++)
                unpack_reply(&rd, need[(size_t)displ[r] + got[r]++], set,
                             M, adfs);
        if (rd.p != rd.end)
            die("fetching documents", "more replies than asked");
        nd_check(nd_vec_push(&M->stores, st), "fetching documents");
    }
    if (done != n)
        die("fetching documents", "fewer replies than asked");
    nd_vec_free(&out);
    free(req);
    free(rsize);
    free(size);
    free(cnt);
    free(displ);
    free(rcnt);
    free(rdispl);
    free(bcnt);
    free(bdispl);
    free(brcnt);
    free(brdispl);
    free(gave);
    free(got);
    free(take);
}

/*
 * Passage anchors to their owners by hash; the owners' buckets give each
 * anchor's df (to the rank of the anchor's document, for verification
 * and the report's trimming) and the hits (to the rank that verifies
 * their pair, in *hits).
 */
static void anchor_stage(local *L, const nd_ctx *ctx, nd_scan_input *in,
                         bytes *hits_out)
{
    nd_anchor_vec an = {0};
    nd_cpbuf buf = {0};
    for (size_t i = 0; i < L->c->docs.n; i++) {
        const nd_doc *d = &L->c->docs.v[i];
        const uint32_t *cp = nd_doc_text(d, 0, d->n, &buf);
        nd_check(cp ? nd_scan_anchors(cp, d->n, L->base + (uint32_t)i, &an)
                    : ND_ENOMEM, "anchors");
    }
    nd_vec_free(&buf);
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
        dest[i] = verifier_of(L, hits.v[i].pair);
    shuffle(hits.v, hits.n, sizeof *hits.v, dest, hits_out);
    free(dest);
    nd_vec_free(&hits);
}

/*
 * Verify this rank's candidates (pairs one of whose documents it read):
 * fetch the other documents from their ranks, filter the hits, verify
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
    /* Documents by local index (own and fetched, in global id order), so
     * that the arrays grow with the documents this rank sees, not with
     * the corpus. */
    const size_t nl = L->c->docs.n;
    remote M = {0};
    M.nids = nl + need.n;
    M.ids = malloc((M.nids + 1) * sizeof *M.ids);
    M.view = nd_calloc(M.nids + 1, sizeof *M.view);
    M.nsets = nd_calloc(M.nids + 1, sizeof *M.nsets);
    M.sigs = nd_calloc((M.nids + 1) * (size_t)perm, sizeof *M.sigs);
    if (!M.ids || !M.view || !M.nsets || !M.sigs)
        die("candidates", nd_strerror(ND_ENOMEM));
    size_t below = 0; /* fetched documents before this rank's */
    while (below < need.n && need.v[below] < L->base)
        below++;
    if (below) /* need.v is NULL when nothing is fetched */
        memcpy(M.ids, need.v, below * sizeof *M.ids);
    for (size_t i = 0; i < nl; i++) {
        size_t x = below + i;
        M.ids[x] = L->base + (uint32_t)i;
        M.view[x] = L->c->docs.v[i];
        M.nsets[x] = L->nsets[i];
        memcpy(M.sigs + x * (size_t)perm, L->sigs + i * (size_t)perm,
               (size_t)perm * sizeof *M.sigs);
    }
    if (need.n > below)
        memcpy(M.ids + below + nl, need.v + below,
               (need.n - below) * sizeof *M.ids);
    fetch_docs(L, &ctx->s, need.v, need.n, &M, &in->adfs);
    /* Candidates and anchors in local ids. */
    for (size_t k = 0; k < nh; k++)
        h[k].pair = (uint64_t)local_of(&M, (uint32_t)(h[k].pair >> 32))
                        << 32 |
                    local_of(&M, (uint32_t)h[k].pair);
    for (size_t i = 0; i < in->nlsh; i++) {
        in->lsh[i].a = local_of(&M, in->lsh[i].a);
        in->lsh[i].b = local_of(&M, in->lsh[i].b);
    }
    for (size_t i = 0; i < in->adfs.n; i++)
        in->adfs.v[i].doc = local_of(&M, in->adfs.v[i].doc);
    nd_check(nd_scan_hit_pairs(M.view, ctx->s.min_passage, h, nh,
                               &in->hit_pairs), "hit filter");
    nd_vec_free(hits);
    in->nsets = M.nsets;
    in->sigs = M.sigs;
    nd_corpus part = {0}; /* the documents this rank can see */
    part.ctx = ctx;
    part.docs.v = M.view;
    part.docs.n = M.nids;
    double tv0 = MPI_Wtime(), cv0 = cpu_seconds();
    nd_check(nd_scan_verify(&part, in, found), "verification");
    for (size_t i = 0; i < found->pairs.n; i++) { /* back to global ids */
        found->pairs.v[i].a = M.ids[found->pairs.v[i].a];
        found->pairs.v[i].b = M.ids[found->pairs.v[i].b];
    }
    for (size_t i = 0; i < found->pas.n; i++) {
        found->pas.v[i].a = M.ids[found->pas.v[i].a];
        found->pas.v[i].b = M.ids[found->pas.v[i].b];
    }
    if (getenv("ND_MPI_DEBUG"))
        fprintf(stderr, "rank %d: fetched %zu docs, hits %zu, verify %.3f s "
                "(%.3f s CPU), %zu pairs\n", rank, need.n, nh,
                MPI_Wtime() - tv0, cpu_seconds() - cv0, found->pairs.n);
    nd_free(M.view);
    for (size_t i = 0; i < M.stores.n; i++)
        nd_vec_free(&M.stores.v[i]);
    nd_vec_free(&M.stores);
    free(M.ids);
    nd_vec_free(&need);
}

/*
 * Leave out the pairs that no record shows: neither near-duplicates nor
 * with a passage (most candidates).  The report skips them, and clusters
 * join near-duplicates only, so rank 0 need not receive them.  Passages
 * are in pair order; their pair indexes are renumbered.
 */
static void drop_silent(nd_scan_found *f)
{
    size_t w = 0, k = 0;
    for (size_t x = 0; x < f->pairs.n; x++) {
        size_t k0 = k;
        while (k < f->pas.n && f->pas.v[k].pair == x)
            k++;
        if (!f->pairs.v[x].near_duplicate && k == k0)
            continue;
        for (size_t i = k0; i < k; i++)
            f->pas.v[i].pair = (uint32_t)w;
        f->pairs.v[w++] = f->pairs.v[x];
    }
    if (k != f->pas.n)
        die("merging results", "passages out of pair order");
    f->pairs.n = w;
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
/* The report: rank 0 asks, the ranks that read the documents answer    */

/*
 * Rank 0 runs nd_scan_report over a corpus that holds only the documents'
 * metadata (its own documents excepted).  What the records quote (byte
 * offsets, original text, line and column) and the trimming of
 * boilerplate passages (document a's anchors) are asked of the rank that
 * read the document, in rounds of at most round_items questions; the
 * other ranks answer in serve() until rank 0 says it is done.
 */
enum { OP_DONE, OP_TRIM, OP_SPANS };

/* Wait (sleeping, not polling) for a message from rank 0. */
static void wait_rank0(void)
{
    for (int flag = 0;;) {
        MPI_OK(MPI_Iprobe(0, 1, MPI_COMM_WORLD, &flag, MPI_STATUS_IGNORE));
        if (flag)
            return;
        struct timespec ts = {0, 500000}; /* 0.5 ms */
        nanosleep(&ts, NULL);
    }
}

static void answer_trim(const local *L, const nd_settings *set, nd_pres *r,
                        size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t j = r[i].a - L->base;
        if (r[i].a < L->base || j >= L->c->docs.n)
            die("trimming boilerplate", "a document of another rank");
        size_t a0 = L->adf_first[j], a1 = L->adf_first[j + 1];
        nd_scan_trim(set, L->adfs.v + a0, a1 - a0, &r[i]);
    }
}

static void answer_span(const local *L, nd_span_q *q)
{
    size_t j = q->doc - L->base;
    if (q->doc < L->base || j >= L->c->docs.n)
        die("quoting documents", "a document of another rank");
    nd_check(nd_scan_span(L->c, L->rd, (uint32_t)j, q), "quoting documents");
}

/* The questions of one span request, as sent. */
typedef struct span_ask {
    uint32_t doc, c0, c1, want;
} span_ask;

/* Answer one span: bytes, characters, text and positions as asked. */
static void pack_span(const nd_span_q *q, bytes *out)
{
    uint64_t h[4] = {q->start, q->end, q->chars,
                     q->text ? strlen(q->text) : 0};
    put(out, h, sizeof h);
    if (q->want & ND_SPAN_POS)
        put(out, q->pos, sizeof q->pos);
    if (q->text)
        put(out, q->text, h[3]);
}

static void unpack_span(reader *rd, nd_span_q *q, uint32_t want)
{
    uint64_t h[4];
    get(rd, h, sizeof h);
    q->start = h[0];
    q->end = h[1];
    q->chars = (uint32_t)h[2];
    if (want & ND_SPAN_POS)
        get(rd, q->pos, sizeof q->pos);
    q->text = NULL;
    if (want & ND_SPAN_TEXT)
        q->text = get_new(rd, h[3]);
}

/* The other ranks: answer rank 0's questions until it is done. */
static void serve(local *L, const nd_settings *set)
{
    bytes req = {0}, rep = {0};
    for (;;) {
        wait_rank0();
        recv_big(&req, 0);
        reader rd = {req.v, req.v + req.n};
        uint64_t op = get_u64(&rd);
        if (op == OP_DONE)
            break;
        uint64_t n = get_u64(&rd);
        rep.n = 0;
        if (op == OP_TRIM) {
            if ((uint64_t)(rd.end - rd.p) < n * sizeof(nd_pres))
                die("trimming boilerplate", "request shorter than said");
            nd_pres *r = (nd_pres *)get_new(&rd, n * sizeof *r);
            answer_trim(L, set, r, n);
            put(&rep, r, n * sizeof *r);
            nd_free(r);
        } else if (op == OP_SPANS) {
            for (uint64_t i = 0; i < n; i++) {
                span_ask a;
                get(&rd, &a, sizeof a);
                nd_span_q q = {a.doc, a.c0, a.c1, a.want, 0, 0, 0, NULL,
                               {{0, 0, 0}, {0, 0, 0}}};
                answer_span(L, &q);
                pack_span(&q, &rep);
                nd_free(q.text);
            }
        } else {
            die("answering rank 0", "unknown request");
        }
        send_big(rep.v, rep.n, 0);
    }
    nd_vec_free(&req);
    nd_vec_free(&rep);
}

/* Rank 0's side: what it asks and what it learnt. */
typedef struct asker {
    local *L;
    const nd_settings *set;
    uint32_t pos; /* ND_SPAN_POS when the renderer locates (csv, pan) */
    struct located {
        uint32_t doc;
        uint64_t byte;
        nd_position at;
    } *loc[2]; /* positions sent with this window's spans and the last's
                  (a passage's two sides may straddle windows), sorted */
    size_t nloc[2];
} asker;

static void tell_done(void)
{
    bytes b = {0};
    put_u64(&b, OP_DONE);
    for (int r = 1; r < nranks; r++)
        send_big(b.v, b.n, r);
    nd_vec_free(&b);
}

/*
 * Ask the owners about @p n items (of @p elem bytes at @p items; item i
 * belongs to the rank that read document doc_of(item)) in rounds of at
 * most round_items: @p pack writes a question, rank 0 answers its own
 * with @p mine, @p unpack reads the answers in the order asked.
 */
static void ask(asker *A, uint64_t op, void *items, size_t n, size_t elem,
                uint32_t (*doc_of)(const void *),
                void (*pack)(asker *, const void *, bytes *),
                void (*mine)(asker *, void *),
                void (*unpack)(asker *, reader *, void *))
{
    const int R = nranks;
    bytes *req = calloc((size_t)R, sizeof *req);
    bytes rep = {0};
    uint64_t *cnt = calloc((size_t)R, sizeof *cnt);
    int *owner = malloc((n + 1) * sizeof *owner);
    if (!req || !cnt || !owner)
        die("asking the ranks", nd_strerror(ND_ENOMEM));
    uint8_t *it = items;
    for (size_t i = 0; i < n; i++)
        owner[i] = owner_of_doc(A->L, doc_of(it + i * elem));
    for (size_t at = 0; at < n; at += round_items) {
        size_t end = ND_MIN(n, at + round_items);
        for (int r = 1; r < R; r++) {
            req[r].n = 0;
            cnt[r] = 0;
            put_u64(&req[r], op);
            put_u64(&req[r], 0); /* count, set below */
        }
        for (size_t i = at; i < end; i++)
            if (owner[i]) {
                pack(A, it + i * elem, &req[owner[i]]);
                cnt[owner[i]]++;
            }
        for (int r = 1; r < R; r++) {
            memcpy(req[r].v + 8, &cnt[r], 8);
            send_big(req[r].v, req[r].n, r);
        }
        for (size_t i = at; i < end; i++)
            if (!owner[i])
                mine(A, it + i * elem);
        for (int r = 1; r < R; r++) {
            recv_big(&rep, r);
            reader rd = {rep.v, rep.v + rep.n};
            for (size_t i = at; i < end; i++)
                if (owner[i] == r)
                    unpack(A, &rd, it + i * elem);
            if (rd.p != rd.end)
                die("asking the ranks", "answer longer than expected");
        }
        rounds_done++;
    }
    for (int r = 0; r < R; r++)
        nd_vec_free(&req[r]);
    free(req);
    free(cnt);
    free(owner);
    nd_vec_free(&rep);
}

static void trim_pack(asker *A, const void *x, bytes *b)
{
    (void)A;
    put(b, x, sizeof(nd_pres));
}

static void trim_mine(asker *A, void *x)
{
    answer_trim(A->L, A->set, x, 1);
}

static void trim_unpack(asker *A, reader *rd, void *x)
{
    (void)A;
    get(rd, x, sizeof(nd_pres));
}

static uint32_t trim_doc(const void *x) { return ((const nd_pres *)x)->a; }

/* nd_scan_src.trim: each passage by the rank that read its document a. */
static int src_trim(void *user, nd_pres *r, size_t n)
{
    ask(user, OP_TRIM, r, n, sizeof *r, trim_doc, trim_pack, trim_mine,
        trim_unpack);
    return ND_OK;
}

static void span_pack(asker *A, const void *x, bytes *b)
{
    const nd_span_q *q = x;
    span_ask a = {q->doc, q->c0, q->c1, q->want | A->pos};
    put(b, &a, sizeof a);
}

static void span_mine(asker *A, void *x)
{
    (void)A; /* rank 0 holds these files: nd_corpus_locate works */
    answer_span(A->L, x);
}

static void span_unpack(asker *A, reader *rd, void *x)
{
    nd_span_q *q = x;
    unpack_span(rd, q, q->want | A->pos);
    if (!A->pos)
        return;
    for (int k = 0; k < 2; k++) {
        struct located l = {q->doc, k ? q->end : q->start, q->pos[k]};
        A->loc[0][A->nloc[0]++] = l;
    }
}

static uint32_t span_doc(const void *x)
{
    return ((const nd_span_q *)x)->doc;
}

static int cmp_located(const void *x, const void *y)
{
    const struct located *a = x, *b = y;
    if (a->doc != b->doc)
        return a->doc < b->doc ? -1 : 1;
    return a->byte < b->byte ? -1 : a->byte > b->byte;
}

/* nd_scan_src.spans: each question by the rank that read the document. */
static int src_spans(void *user, nd_span_q *q, size_t n)
{
    asker *A = user;
    if (A->pos) {
        free(A->loc[1]);
        A->loc[1] = A->loc[0];
        A->nloc[1] = A->nloc[0];
        A->nloc[0] = 0;
        A->loc[0] = malloc((2 * n + 1) * sizeof *A->loc[0]);
        if (!A->loc[0])
            return ND_ENOMEM;
    }
    ask(A, OP_SPANS, q, n, sizeof *q, span_doc, span_pack, span_mine,
        span_unpack);
    if (A->nloc[0])
        qsort(A->loc[0], A->nloc[0], sizeof *A->loc[0], cmp_located);
    return ND_OK;
}

/* nd_corpus_locate of a file rank 0 does not hold: the positions the
 * owners sent with the spans. */
static int locate_sent(void *user, uint32_t id, uint64_t byte,
                       nd_position *out)
{
    asker *A = user;
    struct located k = {id, byte, {0, 0, 0}};
    for (int w = 0; w < 2; w++) {
        const struct located *l =
            A->nloc[w] ? bsearch(&k, A->loc[w], A->nloc[w], sizeof k,
                                 cmp_located)
                       : NULL;
        if (l) {
            *out = l->at;
            return ND_OK;
        }
    }
    return ND_EINVAL;
}

/* ------------------------------------------------------------------ */
/* Document metadata (or, for text and HTML, whole documents) at rank 0 */

/* This rank's files and documents; texts and raw bytes only if @p full. */
static void pack_corpus(const local *L, int full, bytes *b)
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
        put_u64(b, full && f->data);
        if (full && f->data)
            put(b, f->data, f->len);
    }
    put_u64(b, c->docs.n);
    put_u64(b, full);
    for (size_t i = 0; i < c->docs.n; i++) {
        const nd_doc *d = &c->docs.v[i];
        uint64_t hdr[6] = {d->file, d->pub.ordinal, d->pub.start, d->pub.end,
                           d->pub.chars, d->n};
        put(b, hdr, sizeof hdr);
        put_u64(b, strlen(d->pub.title));
        put(b, d->pub.title, strlen(d->pub.title));
        if (!full)
            continue;
        put_text(b, d);
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
        if (get_u64(&r))
            f.data = get_new(&r, f.len);
        nd_check(nd_vec_push(&c->files, f), "assembling the corpus");
    }
    uint64_t ndocs = get_u64(&r), full = get_u64(&r);
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
        if (full) {
            nd_check(nd_doc_set_text(&d, get_new(&r, d.n * sizeof(uint32_t)),
                                     d.n), "assembling the corpus");
            d.nexc = (uint32_t)get_u64(&r);
            d.map = get_new(&r, nd_doc_map_size(d.n, d.nexc));
        }
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
"shuffle round and rank 0 asks per report round (default %u);\n"
"ND_MPI_FETCH_BYTES the document bytes per fetch round, all ranks together\n"
"(default %u); ND_MPI_DEBUG=1 prints each rank's verification figures.\n"
"Pass environment variables with mpirun -x.\n",
            ROUND_ITEMS, FETCH_BYTES);
}

static int scan_main(int argc, char **argv)
{
    double t0 = MPI_Wtime(), c[6]; /* CPU seconds at t0 .. t5 */
    c[0] = cpu_seconds();
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
    nd_reader rd = {0};
    L.rd = &rd;
    nd_check(nd_corpus_new(ctx, &L.c), "corpus");
    /* Text and HTML reports gather every file's bytes to rank 0; the other
     * formats ask the owning rank, which quotes its files again. */
    L.c->keep_data = o.format == FMT_TEXT || o.format == FMT_HTML;
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
    debug_rss("read");
    c[1] = cpu_seconds();
    sign_local(&L, &ctx->s);
    double t2 = MPI_Wtime();
    debug_rss("sign");
    c[2] = cpu_seconds();

    /* Tests: this rank dies here, the others wait in the shuffle. */
    const char *fail = getenv("ND_MPI_TEST_KILL_RANK");
    if (fail && *fail && atoi(fail) == rank)
        raise(SIGKILL);

    /* 3. Band keys and anchors to their owners; buckets there. */
    nd_scan_input in = {0};
    lsh_pairs(&L, ctx, &in);
    bytes hits = {0};
    anchor_stage(&L, ctx, &in, &hits);
    double t3 = MPI_Wtime();
    debug_rss("shuffles");
    c[3] = cpu_seconds();

    /* 4. Verification on the rank of one of each pair's documents. */
    nd_scan_found found = {0};
    verify_local(&L, ctx, &in, &hits, &found);
    nd_free(L.nsets);
    nd_free(L.sigs);
    drop_silent(&found);
    if (getenv("ND_MPI_DEBUG"))
        fprintf(stderr, "rank %d: %zu pairs and %zu passages to rank 0\n",
                rank, found.pairs.n, found.pas.n);
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
    debug_rss("verify");
    c[4] = cpu_seconds();

    /* 5. The report at rank 0: document metadata here, quotes and
     * trimming asked of the ranks that read the documents (text and HTML
     * show whole documents and diffs: they still gather the corpus). */
    int full = o.format == FMT_TEXT || o.format == FMT_HTML;
    uint64_t g4 = gathered_bytes;
    if (rank)
        pack_corpus(&L, full, &packed);
    gather(&packed, unpack_corpus, L.c);
    nd_vec_free(&packed);

    int status = 0, stats_ok = 0;
    nd_stats stats = {0};
    if (!rank) {
        asker A = {&L, &ctx->s, 0, {NULL, NULL}, {0, 0}};
        if (o.format == FMT_CSV || o.format == FMT_PAN)
            A.pos = ND_SPAN_POS;
        nd_scan_src src = {src_trim, full ? NULL : src_spans, &A,
                           round_items};
        if (!full) {
            L.c->locate_hook = locate_sent;
            L.c->locate_user = &A;
        }
        int color = o.color == COLOR_ALWAYS;
        renderer r = {render_ops_of(o.format), out, L.c, color, o.records,
                      o.output, {0}, 0, 0, {{0}, 0}};
        char *cmd = command_line("neardup", argc, argv);
        stats.t_sign = t2 - t1;
        stats.t_lsh = t3 - t2;
        stats.t_align = t4 - t3;
        nd_adf_vec no_adfs = {0}; /* trimming is asked of the ranks */
        rc = render_begin(&r) ? ND_EIO
                              : nd_scan_report(L.c, &no_adfs, &found, &src,
                                               render_record, &r, &stats);
        tell_done();
        nd_vec_free(&found.pairs); /* left only when render_begin failed */
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
            size_t files = render_corpus_files(L.c);
            run_info info = {stats, MPI_Wtime() - t0, files,
                             nd_corpus_skipped(L.c), nd_ctx_settings(ctx),
                             cmd};
            if (render_end(&r, &info) || nd_corpus_skipped(L.c))
                status = EXIT_ERROR;
            stats_ok = o.stats;
        }
        free(cmd);
        free(A.loc[0]);
        free(A.loc[1]);
        L.c->locate_hook = NULL;
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
    } else {
        serve(&L, &ctx->s);
    }
    double t5 = MPI_Wtime();
    debug_rss("report");
    c[5] = cpu_seconds();

    uint64_t moved[3] = {sent_bytes, gathered_bytes, gathered_bytes - g4};
    uint64_t total_moved[3] = {0};
    MPI_OK(MPI_Reduce(moved, total_moved, 3, MPI_UINT64_T, MPI_SUM, 0,
                      MPI_COMM_WORLD));
    uint64_t rss = rank ? peak_rss() : 0, rss_max = 0; /* other ranks */
    MPI_OK(MPI_Reduce(&rss, &rss_max, 1, MPI_UINT64_T, MPI_MAX, 0,
                      MPI_COMM_WORLD));
    double cpu = cpu_seconds(), cpu_sum = 0, cpu_max = 0;
    MPI_OK(MPI_Reduce(&cpu, &cpu_sum, 1, MPI_DOUBLE, MPI_SUM, 0,
                      MPI_COMM_WORLD));
    MPI_OK(MPI_Reduce(&cpu, &cpu_max, 1, MPI_DOUBLE, MPI_MAX, 0,
                      MPI_COMM_WORLD));
    if (stats_ok)
        fprintf(stderr,
                "{\"type\":\"mpi_stats\",\"ranks\":%d,"
                "\"documents\":%llu,\"t_read\":%.3f,"
                "\"t_sign\":%.3f,"
                "\"t_shuffle\":%.3f,\"t_verify\":%.3f,"
                "\"t_report\":%.3f,"
                "\"rounds\":%llu,\"shuffled_bytes\":%llu,"
                "\"gathered_bytes\":%llu,\"report_bytes\":%llu,"
                "\"t_total\":%.3f,\"peak_rss_rank0\":%llu,"
                "\"peak_rss_other_ranks\":%llu,\"cpu_rank0\":%.3f,"
                "\"cpu_max\":%.3f,\"cpu_sum\":%.3f,\"c_read\":%.3f,"
                "\"c_sign\":%.3f,\"c_shuffle\":%.3f,\"c_verify\":%.3f,"
                "\"c_report\":%.3f}\n",
                nranks, (unsigned long long)ntotal, t1 - t0, t2 - t1,
                t3 - t2, t4 - t3, t5 - t4, (unsigned long long)rounds_done,
                (unsigned long long)total_moved[0],
                (unsigned long long)total_moved[1],
                (unsigned long long)total_moved[2], MPI_Wtime() - t0,
                (unsigned long long)peak_rss(), (unsigned long long)rss_max,
                cpu, cpu_max, cpu_sum, c[1] - c[0], c[2] - c[1], c[3] - c[2],
                c[4] - c[3], c[5] - c[4]);
    quiet_barrier(); /* the others sleep while rank 0 finishes */
    MPI_OK(MPI_Bcast(&status, 1, MPI_INT, 0, MPI_COMM_WORLD));
    nd_reader_close(&rd);
    nd_corpus_free(L.c);
    free(L.ends);
    nd_vec_free(&L.adfs);
    free(L.adf_first);
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
    env = getenv("ND_MPI_FETCH_BYTES");
    if (env && atol(env) > 0)
        fetch_bytes = (uint64_t)atol(env);
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
