/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * The index store and the draft check: the compact text codec round trip,
 * add (incremental, a file deleted between listing and reading), remove,
 * check ratios and spans, refusals (other settings, not an index) that
 * leave the file unchanged, allocation failures during a check, a disk
 * that fills up during add, and the segments of anchors and band keys:
 * merged, removed from, upgraded from format 1, and a merge that fails;
 * checks on several threads (one connection each) against one on one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "index.h"
#include "test.h"

static char dir[256];

static void path_of(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", dir, name);
}

static void write_file(const char *name, const char *text)
{
    char p[512];
    path_of(p, sizeof p, name);
    FILE *f = fopen(p, "wb");
    CHECK(f);
    fputs(text, f);
    fclose(f);
}

/* Random Chinese text of n characters (from 2,000 code points: pieces of
 * different texts share no 8-gram by chance). */
static char *random_text(uint64_t *seed, size_t n)
{
    char *s = malloc(n * 3 + 1), *p = s;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = 0x4E00 + (uint32_t)(test_rand(seed) % 2000);
        *p++ = (char)(0xE0 | c >> 12);
        *p++ = (char)(0x80 | (c >> 6 & 0x3F));
        *p++ = (char)(0x80 | (c & 0x3F));
    }
    *p = 0;
    return s;
}

static void test_codec(void)
{
    uint64_t seed = 1;
    enum { N = 500 };
    uint32_t cp[N], bs[N], be[N];
    uint32_t at = 100;
    for (int i = 0; i < N; i++) {
        cp[i] = (uint32_t)(test_rand(&seed) % 0x10FFFF);
        uint32_t r = (uint32_t)(test_rand(&seed) % 10);
        if (r == 0 && i) { /* an expansion: same range as the previous */
            bs[i] = bs[i - 1];
            be[i] = be[i - 1];
            continue;
        }
        bs[i] = at + (r == 1 ? 7 : 0);
        be[i] = bs[i] + (r == 2 ? 40 : 1 + r % 4);
        at = be[i];
    }
    uint8_t *blob;
    size_t len;
    CHECK_EQ_INT(nd_stext_encode(cp, bs, be, N, 100, &blob, &len), ND_OK);
    nd_stext t;
    CHECK_EQ_INT(nd_stext_decode(blob, len, 100, &t), ND_OK);
    CHECK_EQ_INT(t.n, N);
    for (int i = 0; i < N; i++) {
        CHECK_EQ_INT(t.cp[i], cp[i]);
        CHECK_EQ_INT(t.bs[i], bs[i]);
        CHECK_EQ_INT(t.be[i], be[i]);
    }
    nd_stext_free(&t);
    /* A truncated blob is refused, never read past its end. */
    CHECK_EQ_INT(nd_stext_decode(blob, len - 1, 100, &t), ND_ENOTINDEX);
    CHECK_EQ_INT(nd_stext_decode(blob, 0, 100, &t), ND_ENOTINDEX);
    nd_free(blob);
}

typedef struct result {
    nd_report rep;
    int reports, passages;
    uint64_t a_start[64], a_end[64];
    uint32_t b[64];
} result;

static int collect(void *user, const nd_record *rec)
{
    result *r = user;
    if (rec->type == ND_REC_REPORT) {
        r->rep = rec->u.report;
        r->rep.sources = NULL; /* not valid after the callback */
        r->rep.sections = NULL;
        r->reports++;
    } else if (rec->type == ND_REC_PASSAGE && r->passages < 64) {
        r->a_start[r->passages] = rec->u.passage.a_start;
        r->a_end[r->passages] = rec->u.passage.a_end;
        r->b[r->passages] = rec->u.passage.b;
        r->passages++;
    }
    return 0;
}

typedef struct deleter {
    char path[512];
    int done;
} deleter;

/* Progress at 0 files: delete one listed file before it is read. */
static void delete_one(void *user, int stage, uint64_t done, uint64_t total,
                       uint64_t bytes)
{
    deleter *d = user;
    (void)stage;
    (void)total;
    (void)bytes;
    if (!done && !d->done) {
        CHECK(unlink(d->path) == 0);
        d->done = 1;
    }
}

static void test_index(void)
{
    uint64_t seed = 42;
    char *t[6];
    for (int i = 0; i < 6; i++)
        t[i] = random_text(&seed, 600);
    char name[64];
    for (int i = 0; i < 6; i++) {
        snprintf(name, sizeof name, "src/f%d.txt", i);
        write_file(name, t[i]);
    }
    char ixpath[512], srcdir[512];
    path_of(ixpath, sizeof ixpath, "ix.db");
    path_of(srcdir, sizeof srcdir, "src");
    nd_ctx *ctx;
    CHECK_EQ_INT(nd_ctx_new(&ctx, NULL), ND_OK);
    nd_index *ix;
    CHECK_EQ_INT(nd_index_open(ctx, ixpath, ND_INDEX_READ, &ix), ND_EIO);
    CHECK(!ix);
    CHECK_EQ_INT(nd_index_open(ctx, ixpath, ND_INDEX_WRITE, &ix), ND_OK);

    deleter del;
    path_of(del.path, sizeof del.path, "src/f5.txt");
    del.done = 0;
    const char *paths[] = {srcdir};
    nd_index_stats st;
    CHECK_EQ_INT(nd_index_add(ix, paths, 1, delete_one, &del, &st), ND_OK);
    CHECK_EQ_INT(st.added, 5);
    CHECK_EQ_INT(st.failed, 1); /* f5 vanished after listing */
    CHECK_EQ_INT(st.documents, 5);
    CHECK_EQ_INT(nd_index_add(ix, paths, 1, NULL, NULL, &st), ND_OK);
    CHECK_EQ_INT(st.unchanged, 5);
    CHECK_EQ_INT(st.added + st.replaced + st.failed, 0);

    nd_index_info in;
    CHECK_EQ_INT(nd_index_info_get(ix, &in), ND_OK);
    CHECK_EQ_INT(in.files, 5);
    CHECK_EQ_INT(in.documents, 5);
    CHECK_EQ_INT(in.chars, 5 * 600);
    CHECK(in.anchors > 5 * 100);

    /* Draft: 200 chars of f1, 400 of its own, 200 of f3.  Bytes: each
     * character is 3 bytes in both. */
    char *own = random_text(&seed, 400);
    nd_buf d = {0};
    CHECK_EQ_INT(nd_buf_add(&d, t[1] + 3 * 100, 3 * 200), ND_OK);
    CHECK_EQ_INT(nd_buf_add(&d, own, strlen(own)), ND_OK);
    CHECK_EQ_INT(nd_buf_add(&d, t[3] + 3 * 300, 3 * 200), ND_OK);
    result r = {0};
    CHECK_EQ_INT(nd_index_check(ix, "draft", d.s, d.n, NULL, collect, &r),
                 ND_OK);
    CHECK_EQ_INT(r.reports, 1);
    CHECK_EQ_INT(r.rep.chars, 800);
    CHECK_EQ_INT(r.rep.copied, 400);
    CHECK_NEAR(r.rep.copy_ratio, 0.5, 1e-9);
    CHECK_NEAR(r.rep.largest_source_ratio, 0.25, 1e-9);
    CHECK_EQ_INT(r.rep.nsources, 2);
    CHECK_EQ_INT(r.passages, 2);
    CHECK_EQ_INT(r.a_start[0], 0);
    CHECK_EQ_INT(r.a_end[0], 600);
    CHECK_EQ_INT(r.a_start[1], 1800);
    CHECK_EQ_INT(r.a_end[1], 2400);
    CHECK(r.b[0] != r.b[1]);

    /* Allocation failures: an error, never a crash or a leak. */
    for (long n = 0; n < 400; n += 7) {
        result q = {0};
        nd_alloc_fail_after(n);
        int rc = nd_index_check(ix, "draft", d.s, d.n, NULL, collect, &q);
        nd_alloc_fail_after(-1);
        CHECK(rc == ND_OK || rc == ND_ENOMEM);
    }

    /* Remove f1: its passage is gone. */
    char f1[512];
    path_of(f1, sizeof f1, "src/f1.txt");
    size_t removed;
    CHECK_EQ_INT(nd_index_remove(ix, f1, &removed), ND_OK);
    CHECK_EQ_INT(removed, 1);
    CHECK_EQ_INT(nd_index_remove(ix, f1, &removed), ND_OK);
    CHECK_EQ_INT(removed, 0);
    memset(&r, 0, sizeof r);
    CHECK_EQ_INT(nd_index_check(ix, "draft", d.s, d.n, NULL, collect, &r),
                 ND_OK);
    CHECK_EQ_INT(r.rep.copied, 200);
    CHECK_EQ_INT(nd_index_info_get(ix, &in), ND_OK);
    CHECK_EQ_INT(in.files, 4);
    CHECK_EQ_INT(in.documents, 4);
    /* Removing a directory removes everything under it. */
    CHECK_EQ_INT(nd_index_remove(ix, srcdir, &removed), ND_OK);
    CHECK_EQ_INT(removed, 4);
    CHECK_EQ_INT(nd_index_info_get(ix, &in), ND_OK);
    CHECK_EQ_INT(in.files + in.documents + in.chars + in.anchors, 0);
    nd_index_close(ix);

    /* Other settings are refused. */
    nd_settings s;
    nd_default_settings(&s);
    s.shingle = 7;
    nd_ctx *ctx7;
    CHECK_EQ_INT(nd_ctx_new(&ctx7, &s), ND_OK);
    CHECK_EQ_INT(nd_index_open(ctx7, ixpath, ND_INDEX_READ, &ix),
                 ND_EPARAMS);
    nd_ctx_free(ctx7);
    char *strings;
    nd_default_settings(&s);
    s.keep_punct = 1;
    CHECK_EQ_INT(nd_index_settings(ixpath, &s, &strings), ND_OK);
    CHECK_EQ_INT(s.keep_punct, 0);
    CHECK_EQ_INT(s.shingle, 5);
    nd_free(strings);

    /* Not an index: refused, unchanged. */
    write_file("plain.txt", "not an index at all\n");
    char plain[512];
    path_of(plain, sizeof plain, "plain.txt");
    CHECK_EQ_INT(nd_index_open(ctx, plain, ND_INDEX_WRITE, &ix),
                 ND_ENOTINDEX);
    FILE *f = fopen(plain, "rb");
    char buf[64] = "";
    CHECK(f && fgets(buf, sizeof buf, f));
    fclose(f);
    CHECK_STR(buf, "not an index at all\n");
    struct stat sb;
    char side[600];
    snprintf(side, sizeof side, "%s-wal", plain);
    CHECK(stat(side, &sb) != 0);

    nd_buf_free(&d);
    free(own);
    for (int i = 0; i < 6; i++)
        free(t[i]);
    nd_ctx_free(ctx);
}

/* A passage in more than max_df documents is boilerplate: it counts in
 * copy_ratio, not in copy_ratio_excluding_boilerplate. */
static void test_boilerplate(void)
{
    uint64_t seed = 7;
    char *stock = random_text(&seed, 100);
    char name[64];
    for (int i = 0; i < 12; i++) {
        char *own = random_text(&seed, 300);
        nd_buf b = {0};
        CHECK_EQ_INT(nd_buf_add(&b, own, strlen(own)), ND_OK);
        CHECK_EQ_INT(nd_buf_add(&b, stock, strlen(stock)), ND_OK);
        snprintf(name, sizeof name, "bp/f%02d.txt", i);
        write_file(name, b.s);
        nd_buf_free(&b);
        free(own);
    }
    char ixpath[512], srcdir[512];
    path_of(ixpath, sizeof ixpath, "bp.db");
    path_of(srcdir, sizeof srcdir, "bp");
    nd_ctx *ctx;
    CHECK_EQ_INT(nd_ctx_new(&ctx, NULL), ND_OK);
    nd_index *ix;
    CHECK_EQ_INT(nd_index_open(ctx, ixpath, ND_INDEX_WRITE, &ix), ND_OK);
    const char *paths[] = {srcdir};
    nd_index_stats st;
    CHECK_EQ_INT(nd_index_add(ix, paths, 1, NULL, NULL, &st), ND_OK);
    CHECK_EQ_INT(st.added, 12);
    char *own = random_text(&seed, 100);
    nd_buf d = {0};
    CHECK_EQ_INT(nd_buf_add(&d, stock, strlen(stock)), ND_OK);
    CHECK_EQ_INT(nd_buf_add(&d, own, strlen(own)), ND_OK);
    result r = {0};
    CHECK_EQ_INT(nd_index_check(ix, "draft", d.s, d.n, NULL, collect, &r),
                 ND_OK);
    CHECK_EQ_INT(r.rep.chars, 200);
    CHECK_NEAR(r.rep.copy_ratio, 0.5, 1e-9);
    CHECK_NEAR(r.rep.copy_ratio_excluding_boilerplate, 0, 1e-9);
    CHECK(r.passages >= 1);
    nd_index_close(ix);
    nd_ctx_free(ctx);
    nd_buf_free(&d);
    free(own);
    free(stock);
}

/* Rows of @p sql (one integer) in the index file, read with SQLite
 * directly; also checks the file's integrity. */
static int64_t count_rows(const char *path, const char *sql)
{
    sqlite3 *db;
    CHECK(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) ==
          SQLITE_OK);
    sqlite3_stmt *st;
    CHECK(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) ==
          SQLITE_OK);
    CHECK(sqlite3_step(st) == SQLITE_ROW);
    CHECK_STR((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
    CHECK(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK);
    CHECK(sqlite3_step(st) == SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

/*
 * Disk full during add (issue 8): the index may grow by a few batches only
 * (SQLite's max_page_count, what a full disk looks like to it).  The add
 * fails with a store error; the index then passes its integrity check and
 * holds the batches that committed, whole; an add without the limit
 * completes it.
 */
static void test_disk_full(void)
{
    uint64_t seed = 9;
    char name[64], srcdir[512], ixpath[512];
    path_of(srcdir, sizeof srcdir, "full");
    CHECK(mkdir(srcdir, 0755) == 0);
    for (int i = 0; i < 60; i++) {
        char *t = random_text(&seed, 2000);
        snprintf(name, sizeof name, "full/g%02d.txt", i);
        write_file(name, t);
        free(t);
    }
    path_of(ixpath, sizeof ixpath, "full.db");
    nd_ctx *ctx;
    CHECK_EQ_INT(nd_ctx_new(&ctx, NULL), ND_OK);
    nd_index *ix;
    CHECK_EQ_INT(nd_index_open(ctx, ixpath, ND_INDEX_WRITE, &ix), ND_OK);
    nd_index_set_batch(ix, 5);
    /* Room for a few batches beyond the empty index. */
    CHECK(sqlite3_exec(ix->db, "PRAGMA max_page_count = 120", NULL, NULL,
                       NULL) == SQLITE_OK);
    const char *paths[] = {srcdir};
    nd_index_stats st;
    int rc = nd_index_add(ix, paths, 1, NULL, NULL, &st);
    CHECK(rc == ND_ESTORE);
    nd_index_close(ix);
    int64_t files = count_rows(ixpath, "SELECT count(*) FROM files");
    int64_t docs = count_rows(ixpath, "SELECT count(*) FROM docs");
    CHECK(files > 0 && files < 60);
    CHECK_EQ_INT(files % 5, 0); /* whole batches */
    CHECK_EQ_INT(docs, files);
    printf("disk full: %lld of 60 files committed (whole batches of 5)\n",
           (long long)files);
    /* The committed files are readable through the API, and a new add
     * without the limit completes the index. */
    CHECK_EQ_INT(nd_index_open(ctx, ixpath, ND_INDEX_WRITE, &ix), ND_OK);
    CHECK_EQ_INT(nd_index_add(ix, paths, 1, NULL, NULL, &st), ND_OK);
    CHECK_EQ_INT(st.unchanged, files);
    CHECK_EQ_INT(st.added, 60 - files);
    nd_index_close(ix);
    CHECK_EQ_INT(count_rows(ixpath, "SELECT count(*) FROM files"), 60);
    nd_ctx_free(ctx);
}

/*
 * A damaged index's stored path is not read as given: "-" named a file
 * that was standard input to nd_read_file.  Standard input here holds the
 * very bytes indexed (their hash matches), yet the document's text stays
 * empty, as for a missing file, and nothing is read from it.
 */
static void test_stored_path(void)
{
    uint64_t seed = 11;
    char *t = random_text(&seed, 300);
    write_file("stdin.txt", t);
    char src[512], ixpath[512];
    path_of(src, sizeof src, "stdin.txt");
    path_of(ixpath, sizeof ixpath, "stdin.db");
    nd_ctx *ctx;
    CHECK_EQ_INT(nd_ctx_new(&ctx, NULL), ND_OK);
    nd_index *ix;
    CHECK_EQ_INT(nd_index_open(ctx, ixpath, ND_INDEX_WRITE, &ix), ND_OK);
    const char *paths[] = {src};
    nd_index_stats st;
    CHECK_EQ_INT(nd_index_add(ix, paths, 1, NULL, NULL, &st), ND_OK);
    CHECK(sqlite3_exec(ix->db, "UPDATE files SET path = '-'", NULL, NULL,
                       NULL) == SQLITE_OK);
    nd_index_close(ix);
    int fds[2], saved = dup(0);
    CHECK(saved >= 0 && pipe(fds) == 0);
    size_t n = strlen(t);
    CHECK(write(fds[1], t, n) == (ssize_t)n);
    close(fds[1]);
    CHECK(dup2(fds[0], 0) == 0);
    close(fds[0]);
    CHECK_EQ_INT(nd_index_open(ctx, ixpath, ND_INDEX_READ, &ix), ND_OK);
    nd_corpus *c;
    CHECK_EQ_INT(nd_index_corpus(ix, &c), ND_OK);
    CHECK_EQ_INT(nd_corpus_size(c), 1);
    const nd_document *d = nd_corpus_document(c, 0);
    char *text;
    CHECK_EQ_INT(nd_corpus_slice(c, 0, d->start, d->end, &text), ND_OK);
    CHECK_STR(text, "");
    nd_free(text);
    char buf[16];
    CHECK(read(0, buf, sizeof buf) == (ssize_t)sizeof buf); /* untouched */
    CHECK(dup2(saved, 0) == 0);
    close(saved);
    nd_corpus_free(c);
    nd_index_close(ix);
    nd_ctx_free(ctx);
    free(t);
}


/* ------------------------------------------------------------------ */
/* Segments                                                             */

/* One integer from @p sql on an open database. */
static int64_t db_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    CHECK(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK);
    CHECK(sqlite3_step(st) == SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* Invariants of a committed index, read with SQLite directly: it passes
 * the integrity check, its anchors counter is the rows of every anchor
 * table, no anchor or band row names a document that is gone, every
 * document of 100 characters or more has anchors and band keys, and
 * segments lists each segment's rows.  Returns the number of segments. */
static int64_t check_store(const char *path)
{
    sqlite3 *db;
    CHECK(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) ==
          SQLITE_OK);
    CHECK_EQ_INT(db_int(db, "SELECT count(*) FROM pragma_integrity_check "
                            "WHERE integrity_check != 'ok'"), 0);
    int64_t ver = db_int(db, "PRAGMA user_version");
    ND_VEC(int64_t) ids = {0};
    if (ver >= 2) {
        sqlite3_stmt *st;
        CHECK(sqlite3_prepare_v2(db, "SELECT id FROM segments", -1, &st,
                                 NULL) == SQLITE_OK);
        while (sqlite3_step(st) == SQLITE_ROW)
            CHECK_EQ_INT(nd_vec_push(&ids, sqlite3_column_int64(st, 0)),
                         ND_OK);
        sqlite3_finalize(st);
    }
    int64_t anchors = 0;
    char sql[256];
    nd_buf a = {0}, b = {0}; /* every anchor / band table as one */
    CHECK_EQ_INT(nd_buf_addf(&a, "SELECT doc FROM anchors"), ND_OK);
    CHECK_EQ_INT(nd_buf_addf(&b, "SELECT doc FROM bands"), ND_OK);
    anchors += db_int(db, "SELECT count(*) FROM anchors");
    for (size_t i = 0; i < ids.n; i++) {
        long long id = (long long)ids.v[i];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM anchors_%lld", id);
        int64_t na = db_int(db, sql);
        anchors += na;
        snprintf(sql, sizeof sql, "SELECT anchors FROM segments WHERE "
                 "id=%lld", id);
        int64_t listed = db_int(db, sql);
        CHECK(listed >= na); /* removals do not update it */
        CHECK_EQ_INT(nd_buf_addf(&a, " UNION ALL SELECT doc FROM "
                                 "anchors_%lld", id), ND_OK);
        CHECK_EQ_INT(nd_buf_addf(&b, " UNION ALL SELECT doc FROM "
                                 "bands_%lld", id), ND_OK);
    }
    CHECK_EQ_INT(db_int(db, "SELECT value FROM meta WHERE key='anchors'"),
                 anchors);
    for (int k = 0; k < 2; k++) {
        nd_buf q = {0};
        CHECK_EQ_INT(nd_buf_addf(&q, "SELECT count(*) FROM (%s) WHERE doc "
                                 "NOT IN (SELECT id FROM docs)",
                                 k ? b.s : a.s), ND_OK);
        CHECK_EQ_INT(db_int(db, q.s), 0);
        nd_buf_free(&q);
    }
    nd_buf big = {0};
    CHECK_EQ_INT(nd_buf_addf(&big, "SELECT count(*) FROM docs WHERE chars "
                             ">= 100 AND (id NOT IN (%s) OR id NOT IN (%s))",
                             a.s, b.s), ND_OK);
    CHECK_EQ_INT(db_int(db, big.s), 0);
    nd_buf_free(&big);
    nd_buf_free(&a);
    nd_buf_free(&b);
    sqlite3_close(db);
    int64_t n = (int64_t)ids.n;
    nd_vec_free(&ids);
    return n;
}

/* The records of a check, flattened to compare two indexes. */
static void check_text(nd_index *ix, const char *draft, result *r)
{
    memset(r, 0, sizeof *r);
    CHECK_EQ_INT(nd_index_check(ix, "draft", draft, strlen(draft), NULL,
                                collect, r), ND_OK);
    CHECK_EQ_INT(r->reports, 1);
}

static void same_result(const result *x, const result *y)
{
    CHECK_EQ_INT(x->rep.chars, y->rep.chars);
    CHECK_EQ_INT(x->rep.copied, y->rep.copied);
    CHECK_EQ_INT(x->rep.nsources, y->rep.nsources);
    CHECK_EQ_INT(x->passages, y->passages);
    for (int i = 0; i < x->passages && i < 64; i++) {
        CHECK_EQ_INT(x->a_start[i], y->a_start[i]);
        CHECK_EQ_INT(x->a_end[i], y->a_end[i]);
    }
}

enum { SEG_FILES = 24, SEG_CHARS = 1500 };

/* Add the directory @p src to a new index at @p path, @p batch files per
 * transaction, level-0 segments below 4 * @p unit rows (0: default). */
static int build(nd_ctx *ctx, const char *path, const char *src,
                 size_t batch, int64_t unit, nd_index **out)
{
    nd_index *ix;
    CHECK_EQ_INT(nd_index_open(ctx, path, ND_INDEX_WRITE, &ix), ND_OK);
    nd_index_set_batch(ix, batch);
    ix->seg_unit = unit;
    const char *paths[] = {src};
    nd_index_stats st;
    int rc = nd_index_add(ix, paths, 1, NULL, NULL, &st);
    *out = ix;
    return rc;
}

/* Drafts: whole files, pieces of several files, and text of none. */
static void make_drafts(char *const *t, uint64_t *seed, char **drafts)
{
    drafts[0] = strdup(t[3]);
    nd_buf d = {0};
    for (int i = 0; i < 6; i++)
        CHECK_EQ_INT(nd_buf_add(&d, t[i * 4 + 1] + 3 * 200, 3 * 150),
                     ND_OK);
    drafts[1] = d.s;
    drafts[2] = random_text(seed, 800);
    d = (nd_buf){0};
    CHECK_EQ_INT(nd_buf_add(&d, t[20], strlen(t[20])), ND_OK);
    CHECK_EQ_INT(nd_buf_add(&d, drafts[2], strlen(drafts[2])), ND_OK);
    drafts[3] = d.s;
}

static void test_segments(void)
{
    uint64_t seed = 77;
    char *t[SEG_FILES], name[64], src[512], one[512], many[512];
    path_of(src, sizeof src, "seg");
    CHECK(mkdir(src, 0755) == 0);
    for (int i = 0; i < SEG_FILES; i++) {
        t[i] = random_text(&seed, SEG_CHARS);
        snprintf(name, sizeof name, "seg/s%02d.txt", i);
        write_file(name, t[i]);
    }
    char *drafts[4];
    make_drafts(t, &seed, drafts);
    nd_ctx *ctx;
    CHECK_EQ_INT(nd_ctx_new(&ctx, NULL), ND_OK);

    /* One batch: one segment. */
    path_of(one, sizeof one, "one.db");
    nd_index *a, *b;
    CHECK_EQ_INT(build(ctx, one, src, 1000, 0, &a), ND_OK);
    CHECK_EQ_INT(a->nseg, 1);
    CHECK_EQ_INT(check_store(one), 1);

    /* Batches of two files (12 segments of about 900 rows), level 0
     * below 2,000 rows: every four are merged (3,600 rows, level 1), so
     * three are left, none of them a batch's. */
    path_of(many, sizeof many, "many.db");
    CHECK_EQ_INT(build(ctx, many, src, 2, 500, &b), ND_OK);
    CHECK_EQ_INT(b->nseg, 3);
    CHECK_EQ_INT(check_store(many), 3);
    CHECK(count_rows(many, "SELECT min(anchors) FROM segments") >
          4 * 2 * SEG_CHARS / 6);
    nd_index_info ia, ib;
    CHECK_EQ_INT(nd_index_info_get(a, &ia), ND_OK);
    CHECK_EQ_INT(nd_index_info_get(b, &ib), ND_OK);
    CHECK_EQ_INT(ia.anchors, ib.anchors);
    CHECK_EQ_INT(ia.segments, 1);
    CHECK_EQ_INT(ib.segments, 3);
    CHECK(ia.anchors > SEG_FILES * 300);
    result x, y;
    for (int i = 0; i < 4; i++) {
        check_text(a, drafts[i], &x);
        check_text(b, drafts[i], &y);
        same_result(&x, &y);
    }
    check_text(b, drafts[1], &y);
    CHECK_EQ_INT(y.rep.nsources, 6);
    CHECK_EQ_INT(y.rep.copied, 6 * 150);

    /* Remove a file and change another: their rows go from every
     * segment, the new text is found, the old one is not. */
    char path[512];
    size_t removed;
    path_of(path, sizeof path, "seg/s05.txt");
    CHECK_EQ_INT(nd_index_remove(b, path, &removed), ND_OK);
    CHECK_EQ_INT(removed, 1);
    char *fresh = random_text(&seed, SEG_CHARS);
    write_file("seg/s09.txt", fresh);
    const char *paths[] = {src};
    nd_index_stats st;
    CHECK_EQ_INT(nd_index_add(b, paths, 1, NULL, NULL, &st), ND_OK);
    CHECK_EQ_INT(st.replaced, 1);
    CHECK_EQ_INT(st.added, 1); /* s05 again */
    CHECK_EQ_INT(nd_index_remove(b, path, &removed), ND_OK);
    /* two batches (of two listed files) wrote one new file each */
    CHECK_EQ_INT(check_store(many), 5);
    check_text(b, drafts[1], &y); /* s05 and s09 were two of its six */
    CHECK_EQ_INT(y.rep.nsources, 4);
    CHECK_EQ_INT(y.rep.copied, 4 * 150);
    check_text(b, fresh, &y);
    CHECK_EQ_INT(y.rep.copied, SEG_CHARS);
    CHECK_EQ_INT(nd_index_remove(b, src, &removed), ND_OK);
    CHECK_EQ_INT(removed, SEG_FILES - 1);
    CHECK_EQ_INT(check_store(many), 5);
    CHECK_EQ_INT(nd_index_info_get(b, &ib), ND_OK);
    CHECK_EQ_INT(ib.anchors + ib.documents, 0);
    nd_index_close(b);
    write_file("seg/s09.txt", t[9]);
    free(fresh);

    /* Format 1: the same index with every row in the base tables and no
     * segments table.  Read as it is (unchanged), upgraded when opened
     * for writing, its base rows then removed like any others. */
    nd_index_close(a);
    char old[512];
    path_of(old, sizeof old, "old.db");
    CHECK_EQ_INT(build(ctx, old, src, 1000, 0, &a), ND_OK);
    nd_index_close(a);
    sqlite3 *db;
    CHECK(sqlite3_open(old, &db) == SQLITE_OK);
    char sql[512];
    snprintf(sql, sizeof sql, "INSERT INTO anchors SELECT * FROM anchors_1;"
             "INSERT INTO bands SELECT * FROM bands_1;"
             "DROP TABLE anchors_1; DROP TABLE bands_1; DROP TABLE segments;"
             "UPDATE meta SET value='1' WHERE key='format';"
             "PRAGMA user_version=1");
    CHECK(sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
    CHECK_EQ_INT(check_store(old), 0);
    CHECK_EQ_INT(nd_index_open(ctx, old, ND_INDEX_READ, &a), ND_OK);
    CHECK_EQ_INT(nd_index_open(ctx, one, ND_INDEX_READ, &b), ND_OK);
    CHECK_EQ_INT(a->nseg, 0);
    for (int i = 0; i < 4; i++) {
        check_text(a, drafts[i], &x);
        check_text(b, drafts[i], &y);
        same_result(&x, &y);
    }
    nd_index_close(a);
    CHECK_EQ_INT(count_rows(old, "PRAGMA user_version"), 1);
    CHECK_EQ_INT(nd_index_open(ctx, old, ND_INDEX_WRITE, &a), ND_OK);
    CHECK_EQ_INT(count_rows(old, "PRAGMA user_version"), 2);
    write_file("seg/new.txt", drafts[2]);
    CHECK_EQ_INT(nd_index_add(a, paths, 1, NULL, NULL, &st), ND_OK);
    CHECK_EQ_INT(st.added, 1);
    CHECK_EQ_INT(a->nseg, 1);
    CHECK_EQ_INT(check_store(old), 1);
    check_text(a, drafts[3], &x); /* s20 in the base, new.txt in a segment */
    CHECK_EQ_INT(x.rep.copied, SEG_CHARS + 800);
    CHECK_EQ_INT(x.rep.nsources, 2);
    path_of(path, sizeof path, "seg/s20.txt");
    CHECK_EQ_INT(nd_index_remove(a, path, &removed), ND_OK);
    CHECK_EQ_INT(removed, 1);
    check_text(a, drafts[3], &x);
    CHECK_EQ_INT(x.rep.copied, 800);
    CHECK_EQ_INT(check_store(old), 1);
    nd_index_close(a);
    path_of(path, sizeof path, "seg/new.txt");
    CHECK(unlink(path) == 0);

    /* A merge (or batch) that fails for want of room leaves a valid
     * index holding whole batches; adding again completes it, with the
     * same results as the index built in one go. */
    int failed = 0, merge_failed = 0;
    for (int limit = 60; limit <= 168; limit += 12) {
        char full[512];
        snprintf(name, sizeof name, "full%d.db", limit);
        path_of(full, sizeof full, name);
        CHECK_EQ_INT(nd_index_open(ctx, full, ND_INDEX_WRITE, &a), ND_OK);
        nd_index_set_batch(a, 2);
        a->seg_unit = 500;
        snprintf(sql, sizeof sql, "PRAGMA max_page_count = %d", limit);
        CHECK(sqlite3_exec(a->db, sql, NULL, NULL, NULL) == SQLITE_OK);
        int rc = nd_index_add(a, paths, 1, NULL, NULL, &st);
        CHECK(rc == ND_OK || rc == ND_ESTORE);
        failed += rc != ND_OK;
        nd_index_close(a);
        int64_t nseg = check_store(full);
        int64_t nf = count_rows(full, "SELECT count(*) FROM files");
        CHECK_EQ_INT(nf % 2, 0);
        /* four segments left: their merge is what failed */
        merge_failed += rc != ND_OK && nseg >= 4;
        CHECK_EQ_INT(build(ctx, full, src, 2, 500, &a), ND_OK);
        for (int i = 0; i < 4; i++) {
            check_text(a, drafts[i], &x);
            check_text(b, drafts[i], &y);
            same_result(&x, &y);
        }
        nd_index_close(a);
    }
    CHECK(failed > 5 && failed < 10); /* the last ones have room */
    CHECK(merge_failed > 0);
    nd_index_close(b);
    for (int i = 0; i < SEG_FILES; i++)
        free(t[i]);
    for (int i = 0; i < 4; i++)
        free(drafts[i]);
    nd_ctx_free(ctx);
}

/* Every record of a check, flattened to text (all fields). */
static int digest(void *user, const nd_record *rec)
{
    nd_buf *b = user;
    if (rec->type == ND_REC_REPORT) {
        const nd_report *r = &rec->u.report;
        CHECK_EQ_INT(nd_buf_addf(b, "report %u %u %.17g %.17g %.17g %u %zu\n",
                                 r->chars, r->copied, r->copy_ratio,
                                 r->copy_ratio_excluding_boilerplate,
                                 r->largest_source_ratio, r->passages,
                                 r->nsources), ND_OK);
        for (size_t i = 0; i < r->nsources; i++) {
            const nd_source *s = &r->sources[i];
            CHECK_EQ_INT(nd_buf_addf(b, "source %u %s %u %llu %llu %u %u\n",
                                     s->doc, s->file, s->ordinal,
                                     (unsigned long long)s->start,
                                     (unsigned long long)s->end, s->chars,
                                     s->matched), ND_OK);
        }
    } else if (rec->type == ND_REC_PASSAGE) {
        const nd_passage *p = &rec->u.passage;
        CHECK_EQ_INT(nd_buf_addf(b, "passage %u %llu %llu %llu %llu %u %u "
                                 "%.17g %u %d %s %s\n", p->b,
                                 (unsigned long long)p->a_start,
                                 (unsigned long long)p->a_end,
                                 (unsigned long long)p->b_start,
                                 (unsigned long long)p->b_end, p->chars,
                                 p->matched, p->similarity, p->df,
                                 p->boilerplate, p->a_text ? p->a_text : "-",
                                 p->b_text ? p->b_text : "-"), ND_OK);
    }
    return 0;
}

/* The last info message (the check's own: anchors, threads, seconds). */
static char last_info[512];

static void keep_info(void *user, int level, const char *file,
                      const char *msg)
{
    if (level == ND_LOG_INFO)
        snprintf(last_info, sizeof last_info, "%s", msg);
}

static char *check_digest(nd_index *ix, const char *draft)
{
    nd_buf b = {0};
    CHECK_EQ_INT(nd_index_check(ix, "draft", draft, strlen(draft), NULL,
                                digest, &b), ND_OK);
    CHECK(b.s != NULL);
    return b.s;
}

enum { PAR_FILES = 64, PAR_CHARS = 600 };

/* A writer that adds a file while a check starts its transactions. */
typedef struct midway {
    nd_index *w;
    const char *name, *text, *src;
    int done;
} midway;

static void add_midway(void *user)
{
    midway *m = user;
    if (m->done++)
        return;
    write_file(m->name, m->text);
    const char *paths[] = {m->src};
    nd_index_stats st;
    CHECK_EQ_INT(nd_index_add(m->w, paths, 1, NULL, NULL, &st), ND_OK);
    CHECK_EQ_INT(st.added, 1);
}

/* Lookups and alignments on several threads (a connection each) give
 * the same records as on one, with several segments and anchors frequent
 * enough to be counted; the connections see one state of the index (its
 * stamp); a read-only index file is checked on several threads too. */
static void test_threads(void)
{
    uint64_t seed = 99;
    char src[512], ixp[512], name[64];
    path_of(src, sizeof src, "par");
    CHECK(mkdir(src, 0755) == 0);
    char *common = random_text(&seed, 120); /* in every file: df 64 */
    char *t[PAR_FILES];
    for (int i = 0; i < PAR_FILES; i++) {
        char *a = random_text(&seed, PAR_CHARS - 320);
        char *b = random_text(&seed, 200);
        nd_buf f = {0};
        CHECK_EQ_INT(nd_buf_addf(&f, "%s%s%s", a, common, b), ND_OK);
        t[i] = f.s;
        snprintf(name, sizeof name, "par/p%02d.txt", i);
        write_file(name, t[i]);
        free(a);
        free(b);
    }
    /* pieces of 16 files and the common text; a whole file; none */
    char *drafts[3];
    nd_buf d = {0};
    for (int i = 0; i < 16; i++)
        CHECK_EQ_INT(nd_buf_add(&d, t[i * 4 + 1] + 3 * 20, 3 * 100), ND_OK);
    CHECK_EQ_INT(nd_buf_add(&d, common, strlen(common)), ND_OK);
    drafts[0] = d.s;
    drafts[1] = strdup(t[7]);
    drafts[2] = random_text(&seed, 900);

    nd_ctx *ctx;
    CHECK_EQ_INT(nd_ctx_new(&ctx, NULL), ND_OK);
    nd_index *w;
    path_of(ixp, sizeof ixp, "par.db");
    CHECK_EQ_INT(build(ctx, ixp, src, 3, 500, &w), ND_OK);
    CHECK(w->nseg >= 3);

    /* A read transaction's stamp stays while a writer commits; the next
     * one sees the new index. */
    sqlite3 *db;
    CHECK(sqlite3_open_v2(ixp, &db, SQLITE_OPEN_READONLY, NULL) ==
          SQLITE_OK);
    nd_buf s0 = {0}, s1 = {0}, s2 = {0};
    CHECK(sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK);
    CHECK_EQ_INT(nd_index_stamp(w, db, 0, &s0), ND_OK);
    write_file("par/extra.txt", drafts[2]);
    const char *paths[] = {src};
    nd_index_stats st;
    CHECK_EQ_INT(nd_index_add(w, paths, 1, NULL, NULL, &st), ND_OK);
    CHECK_EQ_INT(st.added, 1);
    CHECK_EQ_INT(nd_index_stamp(w, db, 0, &s1), ND_OK);
    CHECK(!strcmp(s0.s, s1.s));
    CHECK(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK);
    CHECK_EQ_INT(nd_index_stamp(w, db, 0, &s1), ND_OK);
    CHECK(strcmp(s0.s, s1.s) != 0);
    char path[512];
    size_t removed;
    path_of(path, sizeof path, "par/extra.txt");
    CHECK(unlink(path) == 0);
    CHECK_EQ_INT(nd_index_remove(w, path, &removed), ND_OK);
    CHECK_EQ_INT(removed, 1);
    CHECK_EQ_INT(nd_index_stamp(w, db, 0, &s2), ND_OK);
    CHECK(strcmp(s1.s, s2.s) != 0);
    sqlite3_close(db);
    nd_buf_free(&s0);
    nd_buf_free(&s1);
    nd_buf_free(&s2);

    /* A writer's handle checks on one thread: the reference. */
    char *ref[3];
    for (int i = 0; i < 3; i++)
        ref[i] = check_digest(w, drafts[i]);
    CHECK(strstr(ref[0], "source") != NULL);
    CHECK(strstr(ref[1], "passage") != NULL);
    CHECK(strstr(ref[2], "passage") == NULL);
    CHECK(strstr(ref[0], " 64 1 ") != NULL); /* the common passage: df 64,
                                                 boilerplate */
    nd_index_close(w);

    for (int pass = 0; pass < 2; pass++) {
        if (pass) /* a read-only file (no write-ahead log left) */
            CHECK(chmod(ixp, 0444) == 0);
        for (int threads = 1; threads <= 5; threads += 1) {
            nd_settings s;
            nd_default_settings(&s);
            s.threads = threads;
            s.log = keep_info;
            nd_ctx *c2;
            CHECK_EQ_INT(nd_ctx_new(&c2, &s), ND_OK);
            nd_index *r;
            CHECK_EQ_INT(nd_index_open(c2, ixp, ND_INDEX_READ, &r), ND_OK);
            for (int i = 0; i < 3; i++) {
                char *got = check_digest(r, drafts[i]);
                CHECK(!strcmp(got, ref[i]));
                free(got);
                char want[32];
                int used = threads < ND_INDEX_READERS + 1
                    ? threads : ND_INDEX_READERS + 1;
                snprintf(want, sizeof want, ", %d thread%s;", used,
                         used == 1 ? "" : "s");
                CHECK(strstr(last_info, want) != NULL);
            }
            /* again on the connections opened */
            char *got = check_digest(r, drafts[0]);
            CHECK(!strcmp(got, ref[0]));
            free(got);
            nd_index_close(r);
            nd_ctx_free(c2);
        }
    }
    CHECK(chmod(ixp, 0644) == 0);

    /* A file added between the check's first transaction and the others':
     * they see another index and are left out; the check sees the index
     * as it was, on one thread.  The next check sees the file, on two. */
    nd_settings s;
    nd_default_settings(&s);
    s.threads = 2;
    s.log = keep_info;
    nd_ctx *c2;
    CHECK_EQ_INT(nd_ctx_new(&c2, &s), ND_OK);
    nd_index *r;
    CHECK_EQ_INT(nd_index_open(c2, ixp, ND_INDEX_READ, &r), ND_OK);
    CHECK_EQ_INT(nd_index_open(ctx, ixp, ND_INDEX_WRITE, &w), ND_OK);
    midway m = {w, "par/late.txt", drafts[2], src, 0};
    r->begun = add_midway;
    r->begun_user = &m;
    char *got = check_digest(r, drafts[2]);
    CHECK_EQ_INT(m.done, 1);
    CHECK(!strcmp(got, ref[2])); /* no passage: not in the index yet */
    CHECK(strstr(last_info, ", 1 thread;") != NULL);
    free(got);
    got = check_digest(r, drafts[2]);
    CHECK(strstr(got, "passage") != NULL);
    CHECK(strstr(last_info, ", 2 threads;") != NULL);
    free(got);
    nd_index_close(r);
    nd_index_close(w);
    nd_ctx_free(c2);
    for (int i = 0; i < 3; i++) {
        free(ref[i]);
        free(drafts[i]);
    }
    for (int i = 0; i < PAR_FILES; i++)
        free(t[i]);
    free(common);
    nd_ctx_free(ctx);
}

int main(void)
{
    snprintf(dir, sizeof dir, "%s/nd_index.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    CHECK(mkdtemp(dir));
    char src[512];
    path_of(src, sizeof src, "src");
    CHECK(mkdir(src, 0755) == 0);
    path_of(src, sizeof src, "bp");
    CHECK(mkdir(src, 0755) == 0);
    test_codec();
    test_index();
    test_boilerplate();
    test_disk_full();
    test_stored_path();
    test_segments();
    test_threads();
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
    return 0;
}
