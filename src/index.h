/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * The index store, private side: the nd_index handle shared by index.c
 * (SQLite file, adding and removing files) and check.c (auditing a draft),
 * and the compact form of a document's normalized text.  Only index.c and
 * check.c include sqlite3.h.
 */
#ifndef ND_INDEX_H
#define ND_INDEX_H

#include <sqlite3.h>

#include "internal.h"

/* Format version (PRAGMA user_version); bump on any change of the schema
 * or of what is hashed (shingles, anchors, band keys). */
#define ND_INDEX_VERSION 2
/* PRAGMA application_id: "ndIX". */
#define ND_INDEX_APP_ID 0x6e644958

/* Connections check opens besides ix->db, for its threads, at most. */
#define ND_INDEX_READERS 3
/* Settings of a connection that checks: a small page cache (each check
 * reads mostly pages it has not read before: a large cache is only
 * memory to fault in) and reads by pread (the file is larger than
 * SQLite maps). */
#define ND_INDEX_CHECK_PRAGMAS "PRAGMA cache_size=-1024; PRAGMA mmap_size=0"

struct nd_index {
    nd_ctx *ctx;
    sqlite3 *db;
    char *path;
    int writable;
    int bands, rows;
    size_t batch; /* files per transaction */
    nd_settings stored; /* as read from meta (strings owned below) */
    char *stored_regex, *stored_encoding;
    int version;  /* user_version as opened (1: no segments table yet) */
    int64_t *seg; /* ids of the anchor/band segments, ascending */
    size_t nseg;
    int64_t seg_unit; /* rows of a level-0 segment's unit (0: default);
                       * tests set it small to see merges */
    /* more read-only connections, for the threads of check (opened by
     * nd_index_readers, closed with the index) */
    sqlite3 *reader[ND_INDEX_READERS];
    int nreader;
    /* tests: called by check once its read transaction on ix->db has
     * begun, before the other connections begin theirs */
    void (*begun)(void *user);
    void *begun_user;
};

/* A document's normalized text decoded from the store. */
typedef struct nd_stext {
    uint32_t *cp, *bs, *be;
    uint32_t n;
} nd_stext;

/* Encode a normalized text (n characters, byte ranges from @p start) into
 * a new buffer *out of *len bytes (nd_free). */
int nd_stext_encode(const uint32_t *cp, const uint32_t *bs,
                    const uint32_t *be, uint32_t n, uint64_t start,
                    uint8_t **out, size_t *len);
/* Decode a blob of nd_stext_encode; ND_ENOTINDEX when malformed. */
int nd_stext_decode(const uint8_t *p, size_t len, uint64_t start,
                    nd_stext *out);
void nd_stext_free(nd_stext *t);

/* Log the SQLite error of @p db and map @p rc to an ND_E* code. */
int nd_index_sqlerr(const nd_index *ix, int rc, const char *what);

/* A copy (nd_free) of text column @p col of the current row of @p st;
 * "" for NULL, which a damaged file may hold in a NOT NULL column. */
char *nd_index_column_str(sqlite3_stmt *st, int col);

/* The same for connection @p db of the index. */
int nd_index_dberr(const nd_index *ix, sqlite3 *db, int rc,
                   const char *what);
/* The same in two steps, for other threads than the caller's (which
 * must not log): the ND_E* code of SQLite's @p rc, and logging SQLite's
 * message @p msg about @p what (returns the code). */
int nd_index_errcode(int rc);
int nd_index_errlog(const nd_index *ix, int rc, const char *what,
                    const char *msg);

/* Prepare @p sql or log and return an error. */
int nd_index_prepare(nd_index *ix, const char *sql, sqlite3_stmt **st);
/* The same on connection @p db of the index. */
int nd_index_prepare_on(nd_index *ix, sqlite3 *db, const char *sql,
                        sqlite3_stmt **st);

/* Open read-only connections (ND_INDEX_CHECK_PRAGMAS) until
 * ix->reader holds min(@p n, ND_INDEX_READERS); returns how many of
 * them are open (fewer when one cannot be opened: nothing is logged, the
 * caller does with fewer). */
int nd_index_readers(nd_index *ix, int n);

/* What a read transaction on @p db sees of the index's content, as a
 * string in @p out: the counters (files, documents, characters, anchors)
 * and the segments.  A batch, a merge or a removal changes them (unless
 * it replaced files by ones of exactly as many documents, characters and
 * anchors): two connections with the same stamp see the same index.
 * Errors are logged unless @p quiet. */
int nd_index_stamp(nd_index *ix, sqlite3 *db, int quiet, nd_buf *out);

/* Read a whole source file and compare its content hash with the stored
 * one: ND_OK with the bytes (nd_free), or ND_EIO when it is missing or
 * changed since indexing (logged once by the caller). */
int nd_index_source(nd_index *ix, const char *path, int64_t hash,
                    uint8_t **data, size_t *len);

/* Reload ix->seg from the segments table (call inside a transaction:
 * merges replace segments). */
int nd_index_load_segments(nd_index *ix);

/* Name of table @p i of @p kind ("anchors" or "bands"): 0 the base
 * table, i the one of segment ix->seg[i - 1]. */
void nd_index_table(const nd_index *ix, size_t i, const char *kind,
                    char *name, size_t n);

/* Content hash of a file's bytes as stored in the index. */
int64_t nd_index_hash(const void *data, size_t len);

#endif
