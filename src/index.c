/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * The index store: a corpus kept in one SQLite file (WAL mode), added to
 * incrementally.
 *
 *   meta(key, value)          settings the index was built with, counters
 *   files(id, path, size, mtime, hash, encoding)
 *   docs(id, file, ordinal, start, end, title, chars, sig, text)
 *   anchors(h, doc)           passage anchors (WITHOUT ROWID, by h)
 *   bands(key, doc)           LSH band keys of the signatures (by key)
 *   segments(id, anchors, bands)
 *   anchors_ID(h, doc), bands_ID(key, doc)   one pair per segment
 *
 * Anchors and band keys are stored like an LSM tree: hashes are random,
 * so adding rows to one big B-tree touches pages all over it, and once
 * the tree outgrows the page cache every batch rewrites most of it.
 * Instead each batch's rows are sorted and written as a new segment (two
 * fresh tables, built in key order: appends only), and segments of about
 * the same size are merged, SEG_FAN at a time, by one sorted merge into a
 * fresh segment (one transaction: a crash leaves the old ones).  A lookup
 * reads the base tables and every segment's.  The base tables anchors and
 * bands hold what indexes of format 1 stored (new ones leave them empty);
 * a format 1 index gets the segments table when opened for writing.
 *
 * A document's normalized text and its byte map are stored compactly in
 * docs.text (see nd_stext_encode), so a draft can be aligned against it
 * without reading the source file.  Removing a document recomputes its
 * anchors and band keys from the stored text and signature to delete
 * exactly its rows, so no reverse index is needed.
 *
 * Opening an existing file checks it read-only first (application_id,
 * user_version, the meta table): anything that is not one of our indexes,
 * or is newer, is refused before a writable connection exists.  Files are
 * added in batches of one transaction each; a process killed mid-batch
 * leaves the last committed state, and the next run redoes the rest
 * (files already committed are unchanged by size and time, so skipped).
 */
#include "index.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xxhash.h>

#include "align.h"
#include "ingest.h"
#include "lsh.h"
#include "minhash.h"
#include "shingle.h"

/* A batch's anchors are sorted and inserted in one sweep; as hashes are
 * random, a sweep touches most leaf pages of the anchor table once the
 * batch has about as many rows as the table has pages, so big batches keep
 * the cost per row low (small ones rewrite the whole table each time). */
#define BATCH_FILES 8192           /* files per transaction at most */
#define BATCH_BYTES (48u << 20)    /* bytes read per transaction at most */
#define BUSY_MS 10000              /* wait this long for a lock */
#define AGAIN 1                    /* create_schema: someone else did */
#define UNBORN 2                   /* an SQLite file without any table */

/* Segment levels: below SEG_UNIT * SEG_FAN rows level 0, then one level
 * per factor SEG_FAN; SEG_FAN segments of one level are merged into one,
 * and segments of SEG_FINAL rows' level are not merged again (a merge is
 * one transaction: its output goes through the write-ahead log, so its
 * size is bounded by what the disk can hold twice). */
#define SEG_UNIT ((int64_t)1 << 20)
#define SEG_FAN 4
#define SEG_FINAL 4

static const char seg_anchors_sql[] =
    "CREATE TABLE anchors_%lld(h INTEGER NOT NULL, doc INTEGER NOT NULL,"
    " PRIMARY KEY(h, doc)) WITHOUT ROWID";
static const char seg_bands_sql[] =
    "CREATE TABLE bands_%lld(key INTEGER NOT NULL, doc INTEGER NOT NULL,"
    " PRIMARY KEY(key, doc)) WITHOUT ROWID";

int64_t nd_index_hash(const void *data, size_t len)
{
    return (int64_t)XXH3_64bits(data, len);
}

/* ------------------------------------------------------------------ */
/* Compact normalized text: per character varint(cp), then
 * varint(zigzag(gap) << 3 | min(width, 7)) and, for widths of 7 or more,
 * varint(width - 7); gap is bs[i] minus the previous character's end (the
 * document start for the first), width is be[i] - bs[i].  Chinese text
 * takes about 4 bytes a character.                                      */

static size_t put_varint(uint8_t *p, uint64_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        p[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (uint8_t)v;
    return n;
}

static int get_varint(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
    uint64_t x = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (*p >= end)
            return ND_ENOTINDEX;
        uint8_t b = *(*p)++;
        x |= (uint64_t)(b & 0x7F) << shift;
        if (!(b & 0x80)) {
            *v = x;
            return ND_OK;
        }
    }
    return ND_ENOTINDEX;
}

int nd_stext_encode(const uint32_t *cp, const uint32_t *bs,
                    const uint32_t *be, uint32_t n, uint64_t start,
                    uint8_t **out, size_t *len)
{
    uint8_t *p = nd_malloc((size_t)n * 25 + 10);
    if (!p)
        return ND_ENOMEM;
    size_t k = put_varint(p, n);
    int64_t prev = (int64_t)start;
    for (uint32_t i = 0; i < n; i++) {
        int64_t gap = (int64_t)bs[i] - prev;
        uint64_t zz = gap < 0 ? ((uint64_t)(-gap) << 1) - 1
                              : (uint64_t)gap << 1;
        uint32_t w = be[i] - bs[i];
        k += put_varint(p + k, cp[i]);
        k += put_varint(p + k, zz << 3 | (w < 7 ? w : 7));
        if (w >= 7)
            k += put_varint(p + k, w - 7);
        prev = be[i];
    }
    *out = p;
    *len = k;
    return ND_OK;
}

void nd_stext_free(nd_stext *t)
{
    nd_free(t->cp);
    nd_free(t->bs);
    nd_free(t->be);
    memset(t, 0, sizeof *t);
}

int nd_stext_decode(const uint8_t *p, size_t len, uint64_t start,
                    nd_stext *out)
{
    memset(out, 0, sizeof *out);
    if (!p) /* NULL or empty: even an empty text stores its length */
        return ND_ENOTINDEX;
    const uint8_t *end = p + len;
    uint64_t n;
    if (get_varint(&p, end, &n) || n > len)
        return ND_ENOTINDEX;
    out->cp = nd_malloc((n + 1) * sizeof *out->cp);
    out->bs = nd_malloc((n + 1) * sizeof *out->bs);
    out->be = nd_malloc((n + 1) * sizeof *out->be);
    if (!out->cp || !out->bs || !out->be) {
        nd_stext_free(out);
        return ND_ENOMEM;
    }
    int64_t prev = (int64_t)start;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t c, gw, w;
        if (get_varint(&p, end, &c) || get_varint(&p, end, &gw)) {
            nd_stext_free(out);
            return ND_ENOTINDEX;
        }
        uint64_t zz = gw >> 3;
        w = gw & 7;
        if (w == 7 && get_varint(&p, end, &w)) {
            nd_stext_free(out);
            return ND_ENOTINDEX;
        } else if ((gw & 7) == 7) {
            w += 7;
        }
        int64_t gap = (zz & 1) ? -(int64_t)((zz + 1) >> 1) : (int64_t)(zz >> 1);
        int64_t bs = prev + gap;
        /* Byte ranges of a normalized text never go backwards (a damaged
         * file's could, and give passages ending before they start). */
        if (bs < 0 || bs + (int64_t)w > UINT32_MAX || c > 0x10FFFF ||
            (i && (bs < out->bs[i - 1] || bs + (int64_t)w < prev))) {
            nd_stext_free(out);
            return ND_ENOTINDEX;
        }
        out->cp[i] = (uint32_t)c;
        out->bs[i] = (uint32_t)bs;
        out->be[i] = (uint32_t)(bs + (int64_t)w);
        prev = out->be[i];
    }
    out->n = (uint32_t)n;
    return ND_OK;
}

/* ------------------------------------------------------------------ */
/* SQLite helpers                                                       */

int nd_index_sqlerr(const nd_index *ix, int rc, const char *what)
{
    return nd_index_dberr(ix, ix->db, rc, what);
}

int nd_index_dberr(const nd_index *ix, sqlite3 *db, int rc, const char *what)
{
    return nd_index_errlog(ix, rc, what,
                           db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
}

int nd_index_errcode(int rc)
{
    int base = rc & 0xFF;
    if (base == SQLITE_BUSY || base == SQLITE_LOCKED)
        return ND_EBUSY;
    if (base == SQLITE_CORRUPT || base == SQLITE_NOTADB)
        return ND_ENOTINDEX;
    return base == SQLITE_NOMEM ? ND_ENOMEM : ND_ESTORE;
}

int nd_index_errlog(const nd_index *ix, int rc, const char *what,
                    const char *msg)
{
    int e = nd_index_errcode(rc);
    if (e == ND_EBUSY)
        nd_log(ix->ctx, ND_LOG_ERROR, ix->path,
               "%s: the index is locked by another process (%s)", what, msg);
    else if (e == ND_ENOTINDEX)
        nd_log(ix->ctx, ND_LOG_ERROR, ix->path,
               "%s: the index is corrupt (%s)", what, msg);
    else if (e == ND_ESTORE)
        nd_log(ix->ctx, ND_LOG_ERROR, ix->path, "%s: %s", what, msg);
    return e;
}

char *nd_index_column_str(sqlite3_stmt *st, int col)
{
    const char *s = (const char *)sqlite3_column_text(st, col);
    return nd_strdup(s ? s : "");
}

int nd_index_prepare(nd_index *ix, const char *sql, sqlite3_stmt **st)
{
    return nd_index_prepare_on(ix, ix->db, sql, st);
}

int nd_index_prepare_on(nd_index *ix, sqlite3 *db, const char *sql,
                        sqlite3_stmt **st)
{
    int rc = sqlite3_prepare_v2(db, sql, -1, st, NULL);
    return rc == SQLITE_OK ? ND_OK : nd_index_dberr(ix, db, rc, "prepare");
}

static int exec(nd_index *ix, const char *sql)
{
    int rc = sqlite3_exec(ix->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? ND_OK : nd_index_sqlerr(ix, rc, sql);
}

/* One integer from a single-row query; *out = 0 when there is no row. */
static int query_int(nd_index *ix, const char *sql, int64_t *out)
{
    sqlite3_stmt *st;
    *out = 0;
    int rc = sqlite3_prepare_v2(ix->db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            *out = sqlite3_column_int64(st, 0);
        rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
    sqlite3_finalize(st);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Meta                                                                 */

static int meta_set(nd_index *ix, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int meta_set(nd_index *ix, const char *key, const char *fmt, ...)
{
    char v[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v, sizeof v, fmt, ap);
    va_end(ap);
    sqlite3_stmt *st;
    ND_TRY(nd_index_prepare(ix, "INSERT OR REPLACE INTO meta(key, value) "
                                "VALUES (?1, ?2)", &st));
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, v, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? ND_OK : nd_index_sqlerr(ix, rc, "write meta");
}

typedef struct counters {
    int64_t files, documents, chars, anchors;
} counters;

/* Read the stored settings (and counters) into ix->stored. */
static int meta_read(nd_index *ix, counters *cnt)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(ix->db, "SELECT key, value FROM meta", -1,
                                &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    nd_settings *s = &ix->stored;
    nd_default_settings(s);
    int seen = 0;
    memset(cnt, 0, sizeof *cnt);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        const char *v = (const char *)sqlite3_column_text(st, 1);
        if (!k || !v)
            continue;
        long long x = strtoll(v, NULL, 10);
        if (!strcmp(k, "shingle"))
            s->shingle = (int)x, seen |= 1;
        else if (!strcmp(k, "perm"))
            s->perm = (int)x, seen |= 2;
        else if (!strcmp(k, "threshold"))
            s->threshold = strtod(v, NULL), seen |= 4;
        else if (!strcmp(k, "fold_variants"))
            s->fold_variants = (int)x, seen |= 8;
        else if (!strcmp(k, "keep_punct"))
            s->keep_punct = (int)x, seen |= 16;
        else if (!strcmp(k, "split"))
            s->split = (int)x;
        else if (!strcmp(k, "split_regex") && *v) {
            nd_free(ix->stored_regex);
            ix->stored_regex = nd_strdup(v);
        } else if (!strcmp(k, "encoding") && *v) {
            nd_free(ix->stored_encoding);
            ix->stored_encoding = nd_strdup(v);
        } else if (!strcmp(k, "bands"))
            ix->bands = (int)x;
        else if (!strcmp(k, "rows"))
            ix->rows = (int)x;
        else if (!strcmp(k, "files"))
            cnt->files = x;
        else if (!strcmp(k, "documents"))
            cnt->documents = x;
        else if (!strcmp(k, "chars"))
            cnt->chars = x;
        else if (!strcmp(k, "anchors"))
            cnt->anchors = x;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return rc;
    s->split_regex = ix->stored_regex;
    s->encoding = ix->stored_encoding;
    if (seen != 31 || s->shingle < 1 || s->perm < 8 || ix->bands < 1 ||
        ix->rows < 1 || (int64_t)ix->bands * ix->rows > s->perm)
        return SQLITE_CORRUPT;
    return SQLITE_OK;
}

static int meta_write_counters(nd_index *ix, const counters *c)
{
    ND_TRY(meta_set(ix, "files", "%lld", (long long)c->files));
    ND_TRY(meta_set(ix, "documents", "%lld", (long long)c->documents));
    ND_TRY(meta_set(ix, "chars", "%lld", (long long)c->chars));
    return meta_set(ix, "anchors", "%lld", (long long)c->anchors);
}

static const char schema[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
    "CREATE TABLE files(id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE,"
    " size INTEGER NOT NULL, mtime INTEGER NOT NULL, hash INTEGER NOT NULL,"
    " encoding TEXT NOT NULL);"
    "CREATE TABLE docs(id INTEGER PRIMARY KEY, file INTEGER NOT NULL,"
    " ordinal INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,"
    " title TEXT NOT NULL, chars INTEGER NOT NULL, sig BLOB, text BLOB);"
    "CREATE INDEX docs_file ON docs(file);"
    "CREATE TABLE anchors(h INTEGER NOT NULL, doc INTEGER NOT NULL,"
    " PRIMARY KEY(h, doc)) WITHOUT ROWID;"
    "CREATE TABLE bands(key INTEGER NOT NULL, doc INTEGER NOT NULL,"
    " PRIMARY KEY(key, doc)) WITHOUT ROWID;";
/* Added by format 2. */
static const char schema2[] =
    "CREATE TABLE segments(id INTEGER PRIMARY KEY, anchors INTEGER NOT NULL,"
    " bands INTEGER NOT NULL);";

static int create_schema(nd_index *ix)
{
    const nd_settings *s = &ix->ctx->s;
    int bands, rows;
    nd_lsh_params(s->threshold, s->perm, &bands, &rows);
    ND_TRY(exec(ix, "BEGIN IMMEDIATE"));
    int64_t ntables = 0;
    int rc = query_int(ix, "SELECT count(*) FROM sqlite_master", &ntables);
    if (rc != SQLITE_OK) {
        exec(ix, "ROLLBACK");
        return nd_index_sqlerr(ix, rc, "create");
    }
    if (ntables) { /* another process created it meanwhile */
        exec(ix, "ROLLBACK");
        return AGAIN;
    }
    char pragmas[128];
    snprintf(pragmas, sizeof pragmas,
             "PRAGMA application_id=%d; PRAGMA user_version=%d;",
             ND_INDEX_APP_ID, ND_INDEX_VERSION);
    rc = exec(ix, schema);
    if (!rc)
        rc = exec(ix, schema2);
    if (!rc)
        rc = exec(ix, pragmas);
    if (!rc)
        rc = meta_set(ix, "format", "%d", ND_INDEX_VERSION);
    if (!rc)
        rc = meta_set(ix, "created_by", "neardup %s", ND_VERSION_STRING);
    if (!rc)
        rc = meta_set(ix, "shingle", "%d", s->shingle);
    if (!rc)
        rc = meta_set(ix, "perm", "%d", s->perm);
    if (!rc)
        rc = meta_set(ix, "threshold", "%.17g", s->threshold);
    if (!rc)
        rc = meta_set(ix, "bands", "%d", bands);
    if (!rc)
        rc = meta_set(ix, "rows", "%d", rows);
    if (!rc)
        rc = meta_set(ix, "fold_variants", "%d", s->fold_variants);
    if (!rc)
        rc = meta_set(ix, "keep_punct", "%d", s->keep_punct);
    if (!rc)
        rc = meta_set(ix, "split", "%d", s->split);
    if (!rc)
        rc = meta_set(ix, "split_regex", "%s",
                      s->split_regex ? s->split_regex : "");
    if (!rc)
        rc = meta_set(ix, "encoding", "%s", s->encoding ? s->encoding : "");
    if (!rc)
        rc = meta_set(ix, "anchor", "%d:%d", ND_ANCHOR_LEN, ND_ANCHOR_WIN);
    if (!rc) {
        counters zero = {0};
        rc = meta_write_counters(ix, &zero);
    }
    if (!rc)
        rc = exec(ix, "COMMIT");
    if (rc)
        exec(ix, "ROLLBACK");
    return rc;
}

/* ------------------------------------------------------------------ */
/* Opening                                                              */

static void close_db(nd_index *ix)
{
    if (ix->db)
        sqlite3_close_v2(ix->db);
    ix->db = NULL;
    for (int i = 0; i < ix->nreader; i++)
        sqlite3_close_v2(ix->reader[i]);
    ix->nreader = 0;
}

/* Does sqlite_master hold @p sql (n bytes) exactly once?  *total gets
 * the count of statements. */
static int has_sql(sqlite3_stmt *st, const char *sql, int n, int *ok,
                   int64_t *total)
{
    sqlite3_bind_text(st, 1, sql, n, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *total = sqlite3_column_int64(st, 0);
        *ok = sqlite3_column_int64(st, 1) == 1;
        rc = SQLITE_OK;
    }
    sqlite3_reset(st);
    return rc;
}

/* Every statement of @p text (each ends in ';') present exactly once. */
static int has_all(sqlite3_stmt *st, const char *text, int *ok,
                   int64_t *want, int64_t *total)
{
    int rc = SQLITE_OK;
    for (const char *p = text; *p && *ok && rc == SQLITE_OK; (*want)++) {
        const char *e = strchr(p, ';');
        rc = has_sql(st, p, (int)(e - p), ok, total);
        p = e + 1;
    }
    return rc;
}

/* Are the tables and indexes exactly those of schema[] (and schema2[] and
 * two tables per segment from format 2), statement for statement?  A
 * column that is no longer the row id (a damaged "INTEGER PRIMARY KEY")
 * would make every file's id NULL and removals silently remove nothing. */
static int check_schema(nd_index *ix)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(ix->db, "SELECT count(*), "
                                "ifnull(sum(sql = ?1), 0) FROM sqlite_master "
                                "WHERE sql NOT NULL", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return nd_index_sqlerr(ix, rc, "open");
    int64_t want = 0, total = 0;
    int ok = 1;
    rc = has_all(st, schema, &ok, &want, &total);
    if (rc == SQLITE_OK && ok && ix->version >= 2)
        rc = has_all(st, schema2, &ok, &want, &total);
    if (rc == SQLITE_OK && ok && ix->version >= 2) {
        int r = nd_index_load_segments(ix);
        if (r) {
            sqlite3_finalize(st);
            return r;
        }
        char sql[sizeof seg_anchors_sql + 32];
        for (size_t i = 0; i < ix->nseg && ok && rc == SQLITE_OK; i++) {
            long long id = (long long)ix->seg[i];
            snprintf(sql, sizeof sql, seg_anchors_sql, id);
            rc = has_sql(st, sql, -1, &ok, &total);
            snprintf(sql, sizeof sql, seg_bands_sql, id);
            if (rc == SQLITE_OK && ok)
                rc = has_sql(st, sql, -1, &ok, &total);
            ok = ok && id > 0;
            want += 2;
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_OK)
        return nd_index_sqlerr(ix, rc, "open");
    if (!ok || total != want) {
        nd_log(ix->ctx, ND_LOG_ERROR, ix->path,
               "not a neardup index, or a damaged one (its tables are not "
               "the index's); left untouched");
        return ND_ENOTINDEX;
    }
    return ND_OK;
}

int nd_index_load_segments(nd_index *ix)
{
    ix->nseg = 0;
    if (ix->version < 2)
        return ND_OK;
    sqlite3_stmt *st;
    size_t cap = 0;
    int rc = nd_index_prepare(ix, "SELECT id FROM segments ORDER BY id", &st);
    int sr = SQLITE_DONE;
    while (!rc && (sr = sqlite3_step(st)) == SQLITE_ROW) {
        if (nd_grow((void **)&ix->seg, &cap, ix->nseg + 1, sizeof *ix->seg))
            rc = ND_ENOMEM;
        else
            ix->seg[ix->nseg++] = sqlite3_column_int64(st, 0);
    }
    if (!rc && sr != SQLITE_DONE)
        rc = nd_index_sqlerr(ix, sr, "read segments");
    sqlite3_finalize(st);
    return rc;
}

void nd_index_table(const nd_index *ix, size_t i, const char *kind,
                    char *name, size_t n)
{
    if (i)
        snprintf(name, n, "%s_%lld", kind, (long long)ix->seg[i - 1]);
    else
        snprintf(name, n, "%s", kind);
}

/* Is the open database one of our indexes?  Reads only.  Fills
 * ix->stored and *cnt. */
static int validate_in(nd_index *ix, counters *cnt)
{
    int64_t app = 0, ver = 0;
    int rc = query_int(ix, "PRAGMA application_id", &app);
    if (rc == SQLITE_OK)
        rc = query_int(ix, "PRAGMA user_version", &ver);
    if (rc != SQLITE_OK) {
        if ((rc & 0xFF) == SQLITE_NOTADB) {
            nd_log(ix->ctx, ND_LOG_ERROR, ix->path,
                   "not a neardup index (not an SQLite database); left "
                   "untouched");
            return ND_ENOTINDEX;
        }
        return nd_index_sqlerr(ix, rc, "open");
    }
    if (!app && !ver) {
        /* No mark and no table at all: the file of an index whose
         * creation was interrupted (killed between creating the file and
         * committing the schema).  It holds nothing to lose. */
        int64_t ntables = 1;
        if (query_int(ix, "SELECT count(*) FROM sqlite_master", &ntables) ==
                SQLITE_OK && ntables == 0)
            return UNBORN;
    }
    if (app != ND_INDEX_APP_ID) {
        nd_log(ix->ctx, ND_LOG_ERROR, ix->path,
               "not a neardup index (%s); left untouched",
               app ? "another application's SQLite database"
                   : "an SQLite database without the neardup mark");
        return ND_ENOTINDEX;
    }
    if (ver > ND_INDEX_VERSION) {
        nd_log(ix->ctx, ND_LOG_ERROR, ix->path,
               "index format %lld is newer than this neardup reads (%d): "
               "upgrade neardup; left untouched", (long long)ver,
               ND_INDEX_VERSION);
        return ND_EVERSION;
    }
    if (ver < 1) {
        nd_log(ix->ctx, ND_LOG_ERROR, ix->path,
               "index has no format version: corrupt; left untouched");
        return ND_ENOTINDEX;
    }
    ix->version = (int)ver;
    rc = check_schema(ix);
    if (rc)
        return rc;
    rc = meta_read(ix, cnt);
    if (rc != SQLITE_OK) {
        if ((rc & 0xFF) == SQLITE_CORRUPT || (rc & 0xFF) == SQLITE_ERROR) {
            nd_log(ix->ctx, ND_LOG_ERROR, ix->path,
                   "the index is corrupt (its settings cannot be read: %s); "
                   "left untouched", sqlite3_errmsg(ix->db));
            return ND_ENOTINDEX;
        }
        return nd_index_sqlerr(ix, rc, "open");
    }
    return ND_OK;
}

/* validate_in in one read transaction: an `index add` committing a new
 * segment between its statements would make the segment list and the
 * tables it checks disagree ("a damaged index"). */
static int validate(nd_index *ix, counters *cnt)
{
    int rc = sqlite3_exec(ix->db, "BEGIN", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return nd_index_sqlerr(ix, rc, "open");
    int r = validate_in(ix, cnt);
    /* It only read: ending it cannot lose anything. */
    sqlite3_exec(ix->db, "COMMIT", NULL, NULL, NULL);
    return r;
}

/* A connection to the index file in *db (NULL on failure, logged unless
 * @p quiet). */
static int open_conn(nd_index *ix, int flags, int quiet, sqlite3 **db)
{
    int rc = sqlite3_open_v2(ix->path, db, flags | SQLITE_OPEN_NOMUTEX,
                             NULL);
    if (rc != SQLITE_OK) {
        if (!quiet)
            nd_log(ix->ctx, ND_LOG_ERROR, ix->path, "cannot open the index: "
                   "%s", *db ? sqlite3_errmsg(*db) : sqlite3_errstr(rc));
        if (*db)
            sqlite3_close_v2(*db);
        *db = NULL;
        return (rc & 0xFF) == SQLITE_CANTOPEN ? ND_EIO : ND_ESTORE;
    }
    sqlite3_busy_timeout(*db, BUSY_MS);
    sqlite3_extended_result_codes(*db, 1);
    /* Any file may be given as an index: nothing in it runs (triggers,
     * views, functions in its schema), and its schema cannot be written
     * behind SQLite's back (SQLite's advice for untrusted databases). */
    sqlite3_db_config(*db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
    sqlite3_db_config(*db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, NULL);
    sqlite3_db_config(*db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    sqlite3_db_config(*db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    return ND_OK;
}

static int open_db(nd_index *ix, int flags)
{
    int rc = open_conn(ix, flags, 0, &ix->db);
    if (rc)
        close_db(ix);
    return rc;
}

int nd_index_readers(nd_index *ix, int n)
{
    n = ND_MIN(n, ND_INDEX_READERS);
    while (ix->nreader < n) {
        sqlite3 *db = NULL;
        if (open_conn(ix, SQLITE_OPEN_READONLY, 1, &db))
            break;
        if (sqlite3_exec(db, ND_INDEX_CHECK_PRAGMAS, NULL, NULL, NULL) !=
                SQLITE_OK) {
            sqlite3_close_v2(db);
            break;
        }
        ix->reader[ix->nreader++] = db;
    }
    return ND_MIN(n, ix->nreader);
}

int nd_index_stamp(nd_index *ix, sqlite3 *db, int quiet, nd_buf *out)
{
    const char *sql = ix->version < 2
        ? "SELECT group_concat(value, ' ') FROM (SELECT value FROM meta "
          "WHERE key IN ('files', 'documents', 'chars', 'anchors') ORDER "
          "BY key)"
        : "SELECT group_concat(value, ' ') FROM (SELECT * FROM (SELECT "
          "value FROM meta WHERE key IN ('files', 'documents', 'chars', "
          "'anchors') ORDER BY key) UNION ALL SELECT * FROM (SELECT id "
          "FROM segments ORDER BY id))";
    sqlite3_stmt *st = NULL;
    int sr = sqlite3_prepare_v2(db, sql, -1, &st, NULL), rc = ND_OK;
    if (sr == SQLITE_OK)
        sr = sqlite3_step(st);
    out->n = 0;
    if (sr == SQLITE_ROW) {
        const char *s = (const char *)sqlite3_column_text(st, 0);
        rc = nd_buf_add(out, s ? s : "", s ? strlen(s) + 1 : 1);
    } else {
        rc = quiet ? nd_index_errcode(sr)
                   : nd_index_dberr(ix, db, sr, "read the index's counters");
    }
    sqlite3_finalize(st);
    return rc;
}

/* Open read-only and validate; the file is not written. */
static int probe(nd_index *ix, counters *cnt)
{
    ND_TRY(open_db(ix, SQLITE_OPEN_READONLY));
    int rc = validate(ix, cnt);
    close_db(ix);
    return rc;
}

/* Settings of ctx that differ from the stored ones are refused. */
static int compare_settings(nd_index *ix)
{
    const nd_settings *a = &ix->ctx->s, *b = &ix->stored;
    char what[256] = "";
    if (a->shingle != b->shingle)
        snprintf(what, sizeof what, "--shingle %d, not %d", b->shingle,
                 a->shingle);
    else if (a->perm != b->perm)
        snprintf(what, sizeof what, "--perm %d, not %d", b->perm, a->perm);
    else if (a->threshold != b->threshold)
        snprintf(what, sizeof what, "--threshold %g, not %g", b->threshold,
                 a->threshold);
    else if (a->fold_variants != b->fold_variants)
        snprintf(what, sizeof what, "%s", b->fold_variants
                 ? "Traditional folded to Simplified, not --no-fold-variants"
                 : "--no-fold-variants");
    else if (a->keep_punct != b->keep_punct)
        snprintf(what, sizeof what, "%s", b->keep_punct
                 ? "--keep-punct" : "punctuation dropped, not --keep-punct");
    else if (ix->writable && a->split != b->split)
        snprintf(what, sizeof what, "another --split mode");
    else if (ix->writable && a->split == ND_SPLIT_REGEX &&
             strcmp(a->split_regex ? a->split_regex : "",
                    b->split_regex ? b->split_regex : ""))
        snprintf(what, sizeof what, "--split regex:%s", b->split_regex);
    else if (ix->writable && strcmp(a->encoding ? a->encoding : "",
                                    b->encoding ? b->encoding : ""))
        snprintf(what, sizeof what, "--encoding %s",
                 b->encoding ? b->encoding : "detected per file");
    else
        return ND_OK;
    nd_log(ix->ctx, ND_LOG_ERROR, ix->path,
           "the index was built with %s: use the index's settings or "
           "build another index", what);
    return ND_EPARAMS;
}

static void free_index(nd_index *ix)
{
    close_db(ix);
    nd_free(ix->path);
    nd_free(ix->stored_regex);
    nd_free(ix->stored_encoding);
    nd_free(ix->seg);
    nd_free(ix);
}

ND_API int nd_index_settings(const char *path, nd_settings *s,
                             char **strings)
{
    *strings = NULL;
    nd_ctx tmp = {.s = *s};
    nd_index ix = {.ctx = &tmp};
    struct stat sb;
    if (stat(path, &sb)) {
        nd_log(&tmp, ND_LOG_ERROR, path, "cannot open the index: %s",
               strerror(errno));
        return ND_EIO;
    }
    if (!(ix.path = nd_strdup(path)))
        return ND_ENOMEM;
    counters cnt;
    int rc = probe(&ix, &cnt);
    if (rc == UNBORN) { /* no settings stored yet: @p s stays as given */
        nd_free(ix.path);
        return ND_OK;
    }
    if (!rc) {
        const char *re = ix.stored_regex ? ix.stored_regex : "";
        const char *en = ix.stored_encoding ? ix.stored_encoding : "";
        size_t nre = strlen(re) + 1, nen = strlen(en) + 1;
        char *buf = nd_malloc(nre + nen);
        if (!buf) {
            rc = ND_ENOMEM;
        } else {
            memcpy(buf, re, nre);
            memcpy(buf + nre, en, nen);
            *strings = buf;
            s->shingle = ix.stored.shingle;
            s->perm = ix.stored.perm;
            s->threshold = ix.stored.threshold;
            s->fold_variants = ix.stored.fold_variants;
            s->keep_punct = ix.stored.keep_punct;
            s->split = ix.stored.split;
            s->split_regex = ix.stored_regex ? buf : NULL;
            s->encoding = ix.stored_encoding ? buf + nre : NULL;
        }
    }
    nd_free(ix.path);
    nd_free(ix.stored_regex);
    nd_free(ix.stored_encoding);
    nd_free(ix.seg);
    return rc;
}

/* Create (or complete) the index file: WAL mode, then the schema in one
 * transaction.  AGAIN when another process created it meanwhile (the
 * database is closed then). */
static int create_db(nd_index *ix, counters *cnt)
{
    int rc = open_db(ix, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (!rc)
        rc = exec(ix, "PRAGMA journal_mode=WAL");
    if (!rc)
        rc = create_schema(ix);
    if (rc == AGAIN) {
        close_db(ix);
        return AGAIN;
    }
    if (!rc)
        rc = validate(ix, cnt);
    return rc;
}

/* A format 1 index opened for writing gets the segments table (its
 * anchors and band keys stay in the base tables). */
static int upgrade(nd_index *ix)
{
    ND_TRY(exec(ix, "BEGIN IMMEDIATE"));
    int64_t ver = 0;
    int rc = query_int(ix, "PRAGMA user_version", &ver);
    rc = rc == SQLITE_OK ? ND_OK : nd_index_sqlerr(ix, rc, "upgrade");
    if (!rc && ver == 1) { /* not upgraded by another process meanwhile */
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d",
                 ND_INDEX_VERSION);
        rc = exec(ix, schema2);
        if (!rc)
            rc = exec(ix, pragma);
        if (!rc)
            rc = meta_set(ix, "format", "%d", ND_INDEX_VERSION);
    }
    if (!rc)
        rc = exec(ix, "COMMIT");
    if (rc) {
        exec(ix, "ROLLBACK");
        return rc;
    }
    ix->version = ND_INDEX_VERSION;
    return nd_index_load_segments(ix);
}

ND_API int nd_index_open(nd_ctx *ctx, const char *path, int mode,
                         nd_index **out)
{
    *out = NULL;
    nd_index *ix = nd_calloc(1, sizeof *ix);
    if (!ix)
        return ND_ENOMEM;
    ix->ctx = ctx;
    ix->writable = mode == ND_INDEX_WRITE;
    if (!(ix->path = nd_strdup(path))) {
        free_index(ix);
        return ND_ENOMEM;
    }
    counters cnt;
    int rc = ND_OK;
    for (int attempt = 0; attempt < 3; attempt++) {
        struct stat sb;
        if (stat(path, &sb) == 0) {
            if (!S_ISREG(sb.st_mode)) {
                nd_log(ctx, ND_LOG_ERROR, path, "not a neardup index (not "
                       "a regular file)");
                rc = ND_ENOTINDEX;
            } else {
                rc = probe(ix, &cnt);
            }
            if (rc == UNBORN && ix->writable) {
                nd_log(ctx, ND_LOG_WARN, path, "the index was never "
                       "completed (its creation was interrupted); creating "
                       "it now");
                rc = create_db(ix, &cnt);
                if (rc == AGAIN)
                    continue;
                break;
            }
            if (rc == UNBORN) {
                nd_log(ctx, ND_LOG_ERROR, path, "empty index (its creation "
                       "was interrupted): run `neardup index add` to create "
                       "it");
                rc = ND_ENOTINDEX;
            }
            if (!rc)
                rc = compare_settings(ix);
            if (!rc)
                rc = open_db(ix, ix->writable ? SQLITE_OPEN_READWRITE
                                              : SQLITE_OPEN_READONLY);
            if (!rc) /* validate again: the file may have been replaced */
                rc = validate(ix, &cnt);
            break;
        }
        if (errno != ENOENT || !ix->writable) {
            nd_log(ctx, ND_LOG_ERROR, path, "cannot open the index: %s",
                   strerror(errno));
            rc = ND_EIO;
            break;
        }
        rc = create_db(ix, &cnt);
        if (rc == AGAIN)
            continue;
        break;
    }
    if (!rc && ix->writable && ix->version < ND_INDEX_VERSION)
        rc = upgrade(ix);
    if (!rc && ix->writable)
        /* A merge's pages pass through the write-ahead log: truncate it
         * after the checkpoint instead of keeping the space.  Temporary
         * files on disk: dropping a merged segment's table journals in
         * proportion to its size (2 GB of memory for a merge of 280M
         * rows with temp_store=MEMORY).  Deleted content is zeroed only
         * on pages written anyway (secure_delete FAST): Debian's SQLite
         * zeroes every freed page by default, which wrote each merged
         * segment's dropped tables to the log once more (twice the
         * merge's writes). */
        rc = exec(ix, "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-262144;"
                      "PRAGMA temp_store=FILE; PRAGMA secure_delete=FAST;"
                      "PRAGMA journal_size_limit=67108864");
    if (!rc && !ix->writable)
        rc = exec(ix, "PRAGMA cache_size=-8192; PRAGMA mmap_size=1073741824");
    if (rc) {
        free_index(ix);
        return rc;
    }
    *out = ix;
    return ND_OK;
}

ND_API void nd_index_close(nd_index *ix)
{
    if (ix)
        free_index(ix);
}

/* ------------------------------------------------------------------ */
/* Writing                                                              */

typedef struct writer {
    nd_index *ix;
    counters cnt;
    sqlite3_stmt *find_file, *touch_file, *ins_file, *ins_doc, *doc_rows,
        *del_docs, *del_file;
    ND_VEC(uint64_t) h;
    ND_VEC(uint32_t) pos;
    ND_VEC(uint64_t) sh;  /* shingle hashes */
    uint32_t *sig;
    ND_VEC(int64_t) rows;  /* (h, doc) pairs to insert, flattened */
    ND_VEC(int64_t) brows; /* (key, doc) pairs of band keys */
    nd_cpbuf cp;           /* a 16-bit document text widened */
} writer;

static const struct {
    size_t off;
    const char *sql;
} writer_sql[] = {
#define W(f) offsetof(writer, f)
    {W(find_file), "SELECT id, size, mtime, hash FROM files WHERE path=?1"},
    {W(touch_file), "UPDATE files SET size=?2, mtime=?3 WHERE id=?1"},
    {W(ins_file), "INSERT INTO files(path, size, mtime, hash, encoding) "
                  "VALUES (?1, ?2, ?3, ?4, ?5)"},
    {W(ins_doc), "INSERT INTO docs(file, ordinal, start, end, title, chars, "
                 "sig, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"},
    {W(doc_rows), "SELECT id, start, sig, text FROM docs WHERE file=?1"},
    {W(del_docs), "DELETE FROM docs WHERE file=?1"},
    {W(del_file), "DELETE FROM files WHERE id=?1"},
#undef W
};

#define NSTMT (sizeof writer_sql / sizeof *writer_sql)

static sqlite3_stmt **stmt_at(writer *w, size_t i)
{
    return (sqlite3_stmt **)((char *)w + writer_sql[i].off);
}

static void writer_free(writer *w)
{
    for (size_t i = 0; i < NSTMT; i++)
        sqlite3_finalize(*stmt_at(w, i));
    nd_vec_free(&w->h);
    nd_vec_free(&w->pos);
    nd_vec_free(&w->sh);
    nd_vec_free(&w->rows);
    nd_vec_free(&w->brows);
    nd_vec_free(&w->cp);
    nd_free(w->sig);
}

static int read_counters(nd_index *ix, counters *c)
{
    int rc = meta_read(ix, c);
    return rc == SQLITE_OK ? ND_OK : nd_index_sqlerr(ix, rc, "read meta");
}

static int writer_init(writer *w, nd_index *ix)
{
    memset(w, 0, sizeof *w);
    w->ix = ix;
    if (!ix->writable) {
        nd_log(ix->ctx, ND_LOG_ERROR, ix->path, "index opened read-only");
        return ND_EINVAL;
    }
    for (size_t i = 0; i < NSTMT; i++)
        ND_TRY(nd_index_prepare(ix, writer_sql[i].sql, stmt_at(w, i)));
    w->sig = nd_malloc((size_t)ix->stored.perm * sizeof *w->sig);
    return w->sig ? ND_OK : ND_ENOMEM;
}

/* Run a prepared statement to completion (no rows wanted). */
static int step_done(writer *w, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? ND_OK : nd_index_sqlerr(w->ix, rc, what);
}

/* Anchors of a text into w->h / w->pos; returns their count. */
static int text_anchors(writer *w, const uint32_t *cp, size_t n, size_t *na)
{
    *na = 0;
    if (n < ND_ANCHOR_LEN)
        return ND_OK;
    ND_TRY(nd_vec_reserve(&w->h, n));
    ND_TRY(nd_vec_reserve(&w->pos, n));
    *na = nd_anchors(cp, n, w->h.v, w->pos.v);
    return ND_OK;
}

static int text_signature(writer *w, const uint32_t *cp, size_t n)
{
    int k = w->ix->stored.shingle, perm = w->ix->stored.perm;
    size_t m = nd_shingle_count(n, k);
    ND_TRY(nd_vec_reserve(&w->sh, m + 1));
    nd_shingle_hashes(cp, n, k, w->sh.v);
    nd_minhash(w->sh.v, m, perm, w->sig);
    return ND_OK;
}

static int sig_empty(const uint32_t *sig, int perm)
{
    for (int i = 0; i < perm; i++)
        if (sig[i] != ND_MINHASH_EMPTY)
            return 0;
    return 1;
}

/* Delete the rows (keys[j], doc) from every @p kind table (the base one
 * and each segment's); *deleted counts them. */
static int delete_rows(writer *w, const char *kind, const char *col,
                       const uint64_t *keys, size_t n, int64_t doc,
                       int64_t *deleted)
{
    nd_index *ix = w->ix;
    int rc = ND_OK;
    for (size_t t = 0; !rc && n && t <= ix->nseg; t++) {
        char name[64], sql[128];
        nd_index_table(ix, t, kind, name, sizeof name);
        snprintf(sql, sizeof sql, "DELETE FROM %s WHERE %s=?1 AND doc=?2",
                 name, col);
        sqlite3_stmt *st;
        rc = nd_index_prepare(ix, sql, &st);
        for (size_t j = 0; !rc && j < n; j++) {
            sqlite3_bind_int64(st, 1, (int64_t)keys[j]);
            sqlite3_bind_int64(st, 2, doc);
            rc = step_done(w, st, "remove anchors and band keys");
            *deleted += sqlite3_changes(ix->db);
        }
        sqlite3_finalize(st);
    }
    return rc;
}

/* Delete file @p id with its documents, anchors and band keys. */
static int delete_file(writer *w, int64_t id)
{
    nd_index *ix = w->ix;
    const int perm = ix->stored.perm;
    sqlite3_stmt *st = w->doc_rows;
    sqlite3_bind_int64(st, 1, id);
    int rc = ND_OK, sr;
    while (!rc && (sr = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t doc = sqlite3_column_int64(st, 0);
        uint64_t start = (uint64_t)sqlite3_column_int64(st, 1);
        const void *sig = sqlite3_column_blob(st, 2);
        int nsig = sqlite3_column_bytes(st, 2);
        nd_stext t;
        rc = nd_stext_decode(sqlite3_column_blob(st, 3),
                             (size_t)sqlite3_column_bytes(st, 3), start, &t);
        if (rc == ND_ENOTINDEX)
            nd_log(ix->ctx, ND_LOG_ERROR, ix->path, "document %lld: stored "
                   "text is corrupt", (long long)doc);
        size_t na = 0;
        if (!rc)
            rc = text_anchors(w, t.cp, t.n, &na);
        /* In key order (the table's order), each hash once: the deletes
         * walk the B-tree forward instead of jumping around it. */
        for (size_t j = 0; j < na; j++)
            w->h.v[j] = w->h.v[w->pos.v[j]];
        na = na ? nd_hash_set(w->h.v, na) : 0;
        int64_t gone = 0, bgone = 0;
        if (!rc)
            rc = delete_rows(w, "anchors", "h", w->h.v, na, doc, &gone);
        w->cnt.anchors -= gone;
        if (!rc && sig && nsig == perm * 4) {
            memcpy(w->sig, sig, (size_t)nsig);
            size_t nb = 0;
            rc = nd_vec_reserve(&w->h, (size_t)ix->bands);
            for (int b = 0; !sig_empty(w->sig, perm) && b < ix->bands; b++)
                w->h.v[nb++] = nd_lsh_key(w->sig, b, ix->rows);
            if (!rc)
                rc = delete_rows(w, "bands", "key", w->h.v, nb, doc, &bgone);
        }
        w->cnt.documents--;
        w->cnt.chars -= t.n;
        nd_stext_free(&t);
    }
    if (!rc && sr != SQLITE_DONE)
        rc = nd_index_sqlerr(ix, sr, "read documents");
    sqlite3_reset(st);
    if (!rc) {
        sqlite3_bind_int64(w->del_docs, 1, id);
        rc = step_done(w, w->del_docs, "remove documents");
    }
    if (!rc) {
        sqlite3_bind_int64(w->del_file, 1, id);
        rc = step_done(w, w->del_file, "remove file");
        w->cnt.files--;
    }
    return rc;
}

static int cmp_i64pair(const void *x, const void *y)
{
    const int64_t *a = x, *b = y;
    if (a[0] != b[0])
        return a[0] < b[0] ? -1 : 1;
    return a[1] < b[1] ? -1 : a[1] > b[1];
}

/* Write one document; its anchors go to w->rows. */
static int write_doc(writer *w, int64_t file, const nd_doc *d)
{
    nd_index *ix = w->ix;
    const int perm = ix->stored.perm;
    const uint32_t *cp = nd_doc_text(d, 0, d->n, &w->cp);
    if (!cp)
        return ND_ENOMEM;
    ND_TRY(text_signature(w, cp, d->n));
    uint8_t *blob;
    size_t len;
    uint32_t *bs = nd_malloc(((size_t)d->n + 1) * sizeof *bs);
    uint32_t *be = nd_malloc(((size_t)d->n + 1) * sizeof *be);
    int r = bs && be ? ND_OK : ND_ENOMEM;
    if (!r) {
        nd_doc_map(d, bs, be);
        r = nd_stext_encode(cp, bs, be, d->n, d->pub.start, &blob, &len);
    }
    nd_free(bs);
    nd_free(be);
    ND_TRY(r);
    sqlite3_stmt *st = w->ins_doc;
    sqlite3_bind_int64(st, 1, file);
    sqlite3_bind_int64(st, 2, d->pub.ordinal);
    sqlite3_bind_int64(st, 3, (int64_t)d->pub.start);
    sqlite3_bind_int64(st, 4, (int64_t)d->pub.end);
    sqlite3_bind_text(st, 5, d->pub.title, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, d->n);
    sqlite3_bind_blob(st, 7, w->sig, perm * 4, SQLITE_STATIC);
    sqlite3_bind_blob(st, 8, blob, (int)len, SQLITE_STATIC);
    int rc = step_done(w, st, "write document");
    nd_free(blob);
    if (rc)
        return rc;
    int64_t doc = sqlite3_last_insert_rowid(ix->db);
    w->cnt.documents++;
    w->cnt.chars += d->n;
    rc = nd_vec_reserve(&w->brows, w->brows.n + 2 * (size_t)ix->bands);
    for (int b = 0; !rc && !sig_empty(w->sig, perm) && b < ix->bands; b++) {
        w->brows.v[w->brows.n++] = (int64_t)nd_lsh_key(w->sig, b, ix->rows);
        w->brows.v[w->brows.n++] = doc;
    }
    size_t na = 0;
    if (!rc)
        rc = text_anchors(w, cp, d->n, &na);
    if (!rc)
        rc = nd_vec_reserve(&w->rows, w->rows.n + 2 * na);
    for (size_t j = 0; !rc && j < na; j++) {
        w->rows.v[w->rows.n++] = (int64_t)w->h.v[w->pos.v[j]];
        w->rows.v[w->rows.n++] = doc;
    }
    return rc;
}

/* Sort the (key, doc) pairs of @p v (n pairs) by key (as signed
 * integers), keeping the order of equal keys: a least significant digit
 * radix sort, a byte a pass (passes where every key has the same byte are
 * skipped).  A batch's rows come in document order, so this sorts them by
 * (key, doc) several times faster than qsort. */
static int radix_pairs(int64_t *v, size_t n)
{
    int64_t *tmp = nd_malloc(n * 2 * sizeof *tmp);
    if (!tmp)
        return ND_ENOMEM;
    const uint64_t sign = (uint64_t)1 << 63;
    int64_t *src = v, *dst = tmp;
    for (int shift = 0; shift < 64; shift += 8) {
        size_t cnt[256] = {0};
        for (size_t i = 0; i < n; i++)
            cnt[(((uint64_t)src[2 * i] ^ sign) >> shift) & 255]++;
        if (cnt[(((uint64_t)src[0] ^ sign) >> shift) & 255] == n)
            continue;
        size_t sum = 0;
        for (int b = 0; b < 256; b++) {
            size_t c = cnt[b];
            cnt[b] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++) {
            size_t at = cnt[(((uint64_t)src[2 * i] ^ sign) >> shift) & 255]++;
            dst[2 * at] = src[2 * i];
            dst[2 * at + 1] = src[2 * i + 1];
        }
        int64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != v)
        memcpy(v, src, n * 2 * sizeof *v);
    nd_free(tmp);
    return ND_OK;
}

/* Sort the (key, doc) pairs of @p v (n pairs) and drop repeated ones;
 * *left gets how many are left. */
static int sort_pairs(int64_t *v, size_t n, size_t *left)
{
    *left = 0;
    if (!n)
        return ND_OK;
    ND_TRY(radix_pairs(v, n));
    for (size_t i = 1; i < n; i++)
        if (v[2 * i] == v[2 * i - 2] && v[2 * i + 1] < v[2 * i - 1]) {
            /* documents out of order: sort by both */
            qsort(v, n, 2 * sizeof *v, cmp_i64pair);
            break;
        }
    size_t k = 1;
    for (size_t i = 1; i < n; i++) {
        if (v[2 * i] == v[2 * k - 2] && v[2 * i + 1] == v[2 * k - 1])
            continue;
        v[2 * k] = v[2 * i];
        v[2 * k + 1] = v[2 * i + 1];
        k++;
    }
    *left = k;
    return ND_OK;
}

/* A new, empty segment (its row in segments and its two tables). */
static int new_segment(nd_index *ix, int64_t *id)
{
    ND_TRY(exec(ix, "INSERT INTO segments(anchors, bands) VALUES (0, 0)"));
    *id = sqlite3_last_insert_rowid(ix->db);
    char sql[sizeof seg_anchors_sql + 32];
    snprintf(sql, sizeof sql, seg_anchors_sql, (long long)*id);
    ND_TRY(exec(ix, sql));
    snprintf(sql, sizeof sql, seg_bands_sql, (long long)*id);
    return exec(ix, sql);
}

static int set_segment_rows(nd_index *ix, int64_t id, int64_t anchors,
                            int64_t bands)
{
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE segments SET anchors=%lld, bands=%lld "
             "WHERE id=%lld", (long long)anchors, (long long)bands,
             (long long)id);
    return exec(ix, sql);
}

/* Insert the sorted pairs @p v (n) into table @p kind of segment @p id. */
static int insert_pairs(writer *w, const char *kind, int64_t id,
                        const int64_t *v, size_t n)
{
    char sql[96];
    snprintf(sql, sizeof sql, "INSERT INTO %s_%lld VALUES (?1, ?2)", kind,
             (long long)id);
    sqlite3_stmt *st;
    ND_TRY(nd_index_prepare(w->ix, sql, &st));
    int rc = ND_OK;
    for (size_t i = 0; !rc && i < n; i++) {
        sqlite3_bind_int64(st, 1, v[2 * i]);
        sqlite3_bind_int64(st, 2, v[2 * i + 1]);
        rc = step_done(w, st, "write anchors and band keys");
    }
    sqlite3_finalize(st);
    return rc;
}

/* The anchors and band keys of a batch as a new segment, each table
 * written in key order. */
static int flush_segment(writer *w)
{
    nd_index *ix = w->ix;
    size_t na, nb;
    int rc = sort_pairs(w->rows.v, w->rows.n / 2, &na);
    if (!rc)
        rc = sort_pairs(w->brows.v, w->brows.n / 2, &nb);
    w->rows.n = w->brows.n = 0;
    if (rc || (!na && !nb))
        return rc;
    int64_t id;
    rc = new_segment(ix, &id);
    if (!rc)
        rc = insert_pairs(w, "anchors", id, w->rows.v, na);
    if (!rc)
        rc = insert_pairs(w, "bands", id, w->brows.v, nb);
    if (!rc)
        rc = set_segment_rows(ix, id, (int64_t)na, (int64_t)nb);
    w->cnt.anchors += (int64_t)na;
    return rc;
}

static int seg_level(const nd_index *ix, int64_t rows)
{
    int l = 0;
    int64_t unit = ix->seg_unit ? ix->seg_unit : SEG_UNIT;
    for (int64_t u = unit * SEG_FAN; rows >= u && l < SEG_FINAL;
         u *= SEG_FAN)
        l++;
    return l;
}

typedef ND_VEC(int64_t) i64_vec;

typedef struct segrow {
    int64_t id, rows;
} segrow;

/* Segments to merge now: the lowest level below SEG_FINAL with SEG_FAN
 * segments or more, all of them, into @p pick (ids ascending). */
static int pick_merge(nd_index *ix, i64_vec *pick)
{
    pick->n = 0;
    sqlite3_stmt *st;
    ND_TRY(nd_index_prepare(ix, "SELECT id, anchors + bands FROM segments "
                                "ORDER BY id", &st));
    ND_VEC(segrow) all = {0};
    int rc = ND_OK, sr;
    while (!rc && (sr = sqlite3_step(st)) == SQLITE_ROW) {
        segrow r = {sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1)};
        rc = nd_vec_push(&all, r);
    }
    if (!rc && sr != SQLITE_DONE)
        rc = nd_index_sqlerr(ix, sr, "read segments");
    sqlite3_finalize(st);
    for (int l = 0; !rc && l < SEG_FINAL && pick->n < SEG_FAN; l++) {
        pick->n = 0;
        for (size_t i = 0; !rc && i < all.n; i++)
            if (seg_level(ix, all.v[i].rows) == l)
                rc = nd_vec_push(pick, all.v[i].id);
    }
    if (pick->n < SEG_FAN)
        pick->n = 0;
    nd_vec_free(&all);
    return rc;
}

/* Merge the segments @p ids (n) into a new one: a sorted merge of their
 * tables (SQLite merges the ordered scans), the old tables dropped. */
static int merge_segments(writer *w, const int64_t *ids, size_t n)
{
    nd_index *ix = w->ix;
    static const struct {
        const char *kind, *col;
    } kinds[] = {{"anchors", "h"}, {"bands", "key"}};
    int64_t id, rows[2] = {0, 0};
    int rc = new_segment(ix, &id);
    for (size_t k = 0; !rc && k < 2; k++) {
        nd_buf b = {0};
        rc = nd_buf_addf(&b, "INSERT INTO %s_%lld ", kinds[k].kind,
                         (long long)id);
        for (size_t i = 0; !rc && i < n; i++)
            rc = nd_buf_addf(&b, "%sSELECT %s, doc FROM %s_%lld",
                             i ? " UNION ALL " : "", kinds[k].col,
                             kinds[k].kind, (long long)ids[i]);
        if (!rc)
            rc = nd_buf_addf(&b, " ORDER BY 1, 2");
        if (!rc)
            rc = exec(ix, b.s);
        rows[k] = sqlite3_changes64(ix->db);
        nd_buf_free(&b);
        for (size_t i = 0; !rc && i < n; i++) {
            char sql[96];
            snprintf(sql, sizeof sql, "DROP TABLE %s_%lld", kinds[k].kind,
                     (long long)ids[i]);
            rc = exec(ix, sql);
        }
    }
    for (size_t i = 0; !rc && i < n; i++) {
        char sql[96];
        snprintf(sql, sizeof sql, "DELETE FROM segments WHERE id=%lld",
                 (long long)ids[i]);
        rc = exec(ix, sql);
    }
    if (!rc)
        rc = set_segment_rows(ix, id, rows[0], rows[1]);
    return rc;
}

/* Absolute form of a path: its real path, or for a path that no longer
 * exists its directory's real path and its name. */
static char *abs_path(const char *path)
{
    char buf[PATH_MAX];
    if (realpath(path, buf))
        return nd_strdup(buf);
    const char *slash = strrchr(path, '/');
    char dir[PATH_MAX];
    const char *name = path;
    if (slash) {
        size_t n = (size_t)(slash - path);
        if (n >= sizeof dir)
            return NULL;
        memcpy(dir, path, n);
        dir[n] = 0;
        if (!n)
            strcpy(dir, "/");
        name = slash + 1;
    } else {
        strcpy(dir, ".");
    }
    if (!realpath(dir, buf))
        return NULL;
    nd_buf b = {0};
    if (nd_buf_addf(&b, "%s%s%s", buf, strcmp(buf, "/") ? "/" : "", name)) {
        nd_buf_free(&b);
        return NULL;
    }
    return b.s;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct pending {
    char *path;
    int64_t size, mtime, hash;
    uint32_t cfile; /* index in the batch corpus */
} pending;

typedef ND_VEC(pending) pending_vec;

static int64_t mtime_ns(const struct stat *sb)
{
    return (int64_t)sb->st_mtim.tv_sec * 1000000000 + sb->st_mtim.tv_nsec;
}

/* Look at one file: unchanged (skip), or read it into the batch corpus,
 * deleting the version it replaces. */
static int stage_file(writer *w, nd_corpus *c, const char *path,
                      pending_vec *pend, nd_index_stats *st,
                      uint64_t *bytes)
{
    nd_index *ix = w->ix;
    struct stat sb;
    int bad = stat(path, &sb);
    if (bad || !S_ISREG(sb.st_mode)) {
        nd_log(ix->ctx, ND_LOG_ERROR, path, "skipped: %s",
               bad ? strerror(errno) : "not a regular file");
        st->failed++;
        return ND_OK;
    }
    sqlite3_stmt *q = w->find_file;
    sqlite3_bind_text(q, 1, path, -1, SQLITE_STATIC);
    int64_t old = 0, osize = -1, omtime = -1, ohash = 0;
    int sr = sqlite3_step(q);
    if (sr == SQLITE_ROW) {
        old = sqlite3_column_int64(q, 0);
        osize = sqlite3_column_int64(q, 1);
        omtime = sqlite3_column_int64(q, 2);
        ohash = sqlite3_column_int64(q, 3);
    }
    sqlite3_reset(q);
    if (sr != SQLITE_ROW && sr != SQLITE_DONE)
        return nd_index_sqlerr(ix, sr, "look up file");
    if (old && osize == (int64_t)sb.st_size && omtime == mtime_ns(&sb)) {
        st->unchanged++;
        return ND_OK;
    }
    uint8_t *data;
    size_t len;
    int rc = nd_read_file(path, &data, &len, NULL);
    if (rc == ND_ENOMEM)
        return rc;
    if (rc) {
        nd_log(ix->ctx, ND_LOG_ERROR, path, "skipped: %s",
               rc == ND_EIO ? strerror(errno) : nd_strerror(rc));
        st->failed++;
        return ND_OK;
    }
    *bytes += len;
    st->bytes += len;
    int64_t hash = nd_index_hash(data, len);
    if (old && hash == ohash) { /* touched, same content */
        nd_free(data);
        sqlite3_stmt *t = w->touch_file;
        sqlite3_bind_int64(t, 1, old);
        sqlite3_bind_int64(t, 2, (int64_t)len);
        sqlite3_bind_int64(t, 3, mtime_ns(&sb));
        st->unchanged++;
        return step_done(w, t, "update file");
    }
    if (old) {
        rc = delete_file(w, old);
        if (rc) {
            nd_free(data);
            return rc;
        }
    }
    size_t nfiles = c->files.n;
    rc = nd_corpus_add_memory(c, path, data, len);
    nd_free(data);
    if (rc == ND_ENOMEM)
        return rc;
    if (c->files.n == nfiles) { /* not decodable: logged by the corpus */
        st->failed++;
        return ND_OK;
    }
    pending p = {nd_strdup(path), (int64_t)len, mtime_ns(&sb), hash,
                 (uint32_t)nfiles};
    if (!p.path || nd_vec_push(pend, p)) {
        nd_free(p.path);
        return ND_ENOMEM;
    }
    if (old)
        st->replaced++;
    else
        st->added++;
    return ND_OK;
}

/* Write the staged files of a batch. */
static int write_batch(writer *w, const nd_corpus *c, pending *p, size_t n,
                       nd_index_stats *st)
{
    int rc = ND_OK;
    size_t d = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        sqlite3_stmt *q = w->ins_file;
        sqlite3_bind_text(q, 1, p[i].path, -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 2, p[i].size);
        sqlite3_bind_int64(q, 3, p[i].mtime);
        sqlite3_bind_int64(q, 4, p[i].hash);
        sqlite3_bind_text(q, 5, c->files.v[p[i].cfile].encoding, -1,
                          SQLITE_STATIC);
        rc = step_done(w, q, "write file");
        if (rc)
            break;
        int64_t id = sqlite3_last_insert_rowid(w->ix->db);
        w->cnt.files++;
        while (d < c->docs.n && c->docs.v[d].file < p[i].cfile)
            d++;
        for (; !rc && d < c->docs.n && c->docs.v[d].file == p[i].cfile; d++) {
            rc = write_doc(w, id, &c->docs.v[d]);
            st->documents++;
        }
    }
    if (!rc)
        rc = flush_segment(w);
    return rc;
}

/* Is @p path the index file at @p self, or its -wal, -shm or -journal? */
static int is_own_file(const char *self, const char *path)
{
    size_t n = strlen(self);
    if (strncmp(self, path, n))
        return 0;
    return !path[n] || !strcmp(path + n, "-wal") ||
           !strcmp(path + n, "-shm") || !strcmp(path + n, "-journal");
}

static int list_inputs(nd_index *ix, const char *const *paths, size_t n,
                       nd_pathlist *out, nd_index_stats *st)
{
    int rc = ND_OK;
    char *self = abs_path(ix->path);
    for (size_t i = 0; !rc && i < n; i++) {
        if (!strcmp(paths[i], "-")) {
            nd_log(ix->ctx, ND_LOG_ERROR, NULL, "standard input cannot be "
                   "indexed: give files or directories");
            st->failed++;
            continue;
        }
        nd_pathlist l = {0};
        size_t skipped = 0;
        rc = nd_list_paths(ix->ctx, paths[i], &l, &skipped);
        st->failed += skipped;
        for (size_t j = 0; !rc && j < l.n; j++) {
            char *a = abs_path(l.v[j]);
            if (!a) {
                nd_log(ix->ctx, ND_LOG_ERROR, l.v[j], "skipped: %s",
                       strerror(errno));
                st->failed++;
                continue;
            }
            if (self && is_own_file(self, a)) { /* the index itself */
                nd_free(a);
                continue;
            }
            if (nd_grow((void **)&out->v, &out->cap, out->n + 1,
                        sizeof *out->v)) {
                nd_free(a);
                rc = ND_ENOMEM;
            } else {
                out->v[out->n++] = a;
            }
        }
        nd_pathlist_free(&l);
    }
    if (!rc && out->n) {
        qsort(out->v, out->n, sizeof *out->v, cmp_str);
        size_t k = 0;
        for (size_t i = 0; i < out->n; i++) {
            if (k && !strcmp(out->v[k - 1], out->v[i]))
                nd_free(out->v[i]);
            else
                out->v[k++] = out->v[i];
        }
        out->n = k;
    }
    nd_free(self);
    return rc;
}

static int begin(nd_index *ix, writer *w)
{
    ND_TRY(exec(ix, "BEGIN IMMEDIATE"));
    /* Counters as committed (another writer may have run meanwhile). */
    int rc = read_counters(ix, &w->cnt);
    if (!rc) /* and the segments as committed */
        rc = nd_index_load_segments(ix);
    if (rc)
        exec(ix, "ROLLBACK");
    return rc;
}

static int commit(nd_index *ix, writer *w)
{
    int rc = meta_write_counters(ix, &w->cnt);
    if (!rc)
        rc = exec(ix, "COMMIT");
    if (rc)
        exec(ix, "ROLLBACK");
    return rc;
}

/* Merge segments while some level has SEG_FAN of them, one transaction
 * per merge. */
static int merge_all(nd_index *ix, writer *w)
{
    i64_vec pick = {0};
    int rc = ND_OK;
    for (;;) {
        rc = begin(ix, w);
        if (rc)
            break;
        rc = pick_merge(ix, &pick);
        if (!rc && !pick.n) {
            exec(ix, "ROLLBACK");
            break;
        }
        if (!rc)
            rc = merge_segments(w, pick.v, pick.n);
        if (!rc)
            rc = commit(ix, w);
        else
            exec(ix, "ROLLBACK");
        if (rc)
            break;
    }
    nd_vec_free(&pick);
    /* the segments as they are now */
    return rc ? rc : nd_index_load_segments(ix);
}

ND_API int nd_index_add(nd_index *ix, const char *const *paths, size_t n,
                        nd_progress_fn progress, void *user,
                        nd_index_stats *stats)
{
    nd_index_stats st = {0};
    writer w;
    nd_pathlist list = {0};
    int rc = writer_init(&w, ix);
    if (!rc)
        rc = list_inputs(ix, paths, n, &list, &st);
    pending_vec pend = {0};
    size_t done = 0;
    if (progress && !rc)
        progress(user, ND_STAGE_READ, 0, list.n, 0);
    while (!rc && done < list.n) {
        nd_corpus *c = NULL;
        rc = nd_corpus_new(ix->ctx, &c);
        if (!rc)
            rc = begin(ix, &w);
        if (rc) {
            nd_corpus_free(c);
            break;
        }
        uint64_t bytes = 0;
        size_t i = done;
        for (; !rc && i < list.n &&
               i - done < (ix->batch ? ix->batch : BATCH_FILES) &&
               bytes < BATCH_BYTES; i++) {
            rc = stage_file(&w, c, list.v[i], &pend, &st, &bytes);
            if (progress && !rc && (i + 1) % 64 == 0)
                progress(user, ND_STAGE_READ, i + 1, list.n, st.bytes + bytes);
        }
        if (!rc)
            rc = write_batch(&w, c, pend.v, pend.n, &st);
        if (!rc)
            rc = commit(ix, &w);
        else
            exec(ix, "ROLLBACK");
        if (!rc)
            rc = merge_all(ix, &w);
        for (size_t k = 0; k < pend.n; k++)
            nd_free(pend.v[k].path);
        pend.n = 0;
        nd_corpus_free(c);
        done = i;
        if (progress && !rc)
            progress(user, ND_STAGE_READ, done, list.n, st.bytes);
    }
    nd_vec_free(&pend);
    nd_pathlist_free(&list);
    writer_free(&w);
    if (stats)
        *stats = st;
    return rc;
}

ND_API void nd_index_set_batch(nd_index *ix, size_t files)
{
    ix->batch = files;
}

ND_API int nd_index_remove(nd_index *ix, const char *path, size_t *removed)
{
    *removed = 0;
    writer w;
    int rc = writer_init(&w, ix);
    char *a = rc ? NULL : abs_path(path);
    if (!rc && !a) {
        nd_log(ix->ctx, ND_LOG_ERROR, path, "cannot resolve: %s",
               strerror(errno));
        rc = ND_EIO;
    }
    sqlite3_stmt *q = NULL;
    ND_VEC(int64_t) ids = {0};
    if (!rc)
        rc = nd_index_prepare(ix, "SELECT id FROM files WHERE path=?1 OR "
                              "(path > ?1 || '/' AND path < ?1 || '0') "
                              "ORDER BY path", &q);
    if (!rc)
        rc = begin(ix, &w);
    if (!rc) {
        /* "/" lists everything: the prefix test above would need "//". */
        sqlite3_bind_text(q, 1, strcmp(a, "/") ? a : "", -1, SQLITE_STATIC);
        int sr;
        while (!rc && (sr = sqlite3_step(q)) == SQLITE_ROW)
            rc = nd_vec_push(&ids, sqlite3_column_int64(q, 0));
        if (!rc && sr != SQLITE_DONE)
            rc = nd_index_sqlerr(ix, sr, "look up files");
        sqlite3_reset(q);
        for (size_t i = 0; !rc && i < ids.n; i++)
            rc = delete_file(&w, ids.v[i]);
        if (!rc)
            rc = commit(ix, &w);
        else
            exec(ix, "ROLLBACK");
        if (!rc)
            *removed = ids.n;
    }
    sqlite3_finalize(q);
    nd_vec_free(&ids);
    nd_free(a);
    writer_free(&w);
    return rc;
}

ND_API int nd_index_info_get(nd_index *ix, nd_index_info *out)
{
    memset(out, 0, sizeof *out);
    counters c;
    ND_TRY(read_counters(ix, &c));
    ND_TRY(nd_index_load_segments(ix));
    out->version = (uint32_t)ix->version;
    out->segments = (uint32_t)ix->nseg;
    out->files = (uint64_t)c.files;
    out->documents = (uint64_t)c.documents;
    out->chars = (uint64_t)c.chars;
    out->anchors = (uint64_t)c.anchors;
    out->bands = ix->bands;
    out->rows = ix->rows;
    out->settings = ix->stored;
    struct stat sb;
    if (!stat(ix->path, &sb))
        out->bytes += (uint64_t)sb.st_size;
    nd_buf wal = {0};
    if (!nd_buf_addf(&wal, "%s-wal", ix->path) && !stat(wal.s, &sb))
        out->bytes += (uint64_t)sb.st_size;
    nd_buf_free(&wal);
    return ND_OK;
}

/* ------------------------------------------------------------------ */
/* Scan from the index                                                  */

/* Load every indexed document into @p c, files in path order. */
static int load_corpus(nd_index *ix, nd_corpus *c)
{
    sqlite3_stmt *qf = NULL, *qd = NULL;
    int rc = nd_index_prepare(ix, "SELECT id, path, hash, encoding FROM "
                                  "files ORDER BY path", &qf);
    if (!rc)
        rc = nd_index_prepare(ix, "SELECT ordinal, start, end, title, text "
                                  "FROM docs WHERE file=?1 ORDER BY ordinal",
                              &qd);
    int sr;
    while (!rc && (sr = sqlite3_step(qf)) == SQLITE_ROW) {
        nd_file f = {0};
        f.path = nd_index_column_str(qf, 1);
        f.encoding = nd_index_column_str(qf, 3);
        if (!f.path || !f.encoding || nd_vec_push(&c->files, f)) {
            nd_free(f.path);
            nd_free((char *)f.encoding);
            rc = ND_ENOMEM;
            break;
        }
        nd_file *fp = &c->files.v[c->files.n - 1];
        rc = nd_index_source(ix, fp->path, sqlite3_column_int64(qf, 2),
                             &fp->data, &fp->len);
        if (rc == ND_EIO) {
            fp->data = NULL;
            fp->len = 0;
            rc = ND_OK;
        }
        sqlite3_bind_int64(qd, 1, sqlite3_column_int64(qf, 0));
        while (!rc && (sr = sqlite3_step(qd)) == SQLITE_ROW) {
            nd_doc d = {0};
            nd_stext t;
            uint64_t start = (uint64_t)sqlite3_column_int64(qd, 1);
            rc = nd_stext_decode(sqlite3_column_blob(qd, 4),
                                 (size_t)sqlite3_column_bytes(qd, 4), start,
                                 &t);
            if (rc == ND_ENOTINDEX)
                nd_log(ix->ctx, ND_LOG_ERROR, ix->path, "%s: stored text "
                       "is corrupt", fp->path);
            if (rc)
                break;
            d.file = (uint32_t)(c->files.n - 1);
            if (nd_doc_set_text(&d, t.cp, t.n)) {
                nd_stext_free(&t);
                rc = ND_ENOMEM;
                break;
            }
            d.pub.id = (uint32_t)c->docs.n;
            d.pub.ordinal = (uint32_t)sqlite3_column_int64(qd, 0);
            d.pub.start = start;
            d.pub.end = (uint64_t)sqlite3_column_int64(qd, 2);
            d.pub.chars = t.n;
            d.pub.title = nd_index_column_str(qd, 3);
            int r = nd_doc_set_map(&d, t.bs, t.be);
            nd_free(t.bs);
            nd_free(t.be);
            if (r || !d.pub.title || nd_vec_push(&c->docs, d)) {
                nd_free((char *)d.pub.title);
                nd_free(d.cp);
                nd_free(d.c16);
                nd_free(d.map);
                rc = ND_ENOMEM;
            }
        }
        if (!rc && sr != SQLITE_DONE)
            rc = nd_index_sqlerr(ix, sr, "read documents");
        sqlite3_reset(qd);
    }
    if (!rc && sr != SQLITE_DONE)
        rc = nd_index_sqlerr(ix, sr, "read files");
    sqlite3_finalize(qf);
    sqlite3_finalize(qd);
    for (size_t i = 0; i < c->docs.n; i++) {
        c->docs.v[i].pub.file = c->files.v[c->docs.v[i].file].path;
        c->docs.v[i].pub.encoding = c->files.v[c->docs.v[i].file].encoding;
    }
    return rc;
}

ND_API int nd_index_corpus(nd_index *ix, nd_corpus **out)
{
    *out = NULL;
    nd_corpus *c;
    ND_TRY(nd_corpus_new(ix->ctx, &c));
    /* One read transaction: a consistent snapshot while others add. */
    int rc = exec(ix, "BEGIN");
    if (!rc) {
        rc = load_corpus(ix, c);
        exec(ix, "COMMIT");
    }
    if (rc)
        nd_corpus_free(c);
    else
        *out = c;
    return rc;
}
