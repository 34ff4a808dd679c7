/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Private definitions shared by the library modules: the context, the
 * corpus and logging.  Not installed.
 */
#ifndef ND_INTERNAL_H
#define ND_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "nd/nd.h"
#include "util.h"

struct nd_normtab;

struct nd_ctx {
    nd_settings s;
    char *split_regex; /* owned copy */
    char *encoding;    /* owned copy */
    struct nd_normtab *norm;
    int bands, rows; /* LSH banding chosen for s.threshold and s.perm */
};

/* Report progress through the context's callback, if any. */
static inline void nd_progress(const nd_ctx *ctx, int stage, uint64_t done,
                               uint64_t total, uint64_t bytes)
{
    if (ctx && ctx->s.progress)
        ctx->s.progress(ctx->s.progress_user, stage, done, total, bytes);
}

/* Report a diagnostic through the context's log callback. */
void nd_log(const nd_ctx *ctx, int level, const char *file, const char *fmt,
            ...) __attribute__((format(printf, 4, 5)));

/* Which file a path named when it was read (stat), to tell whether it
 * is still the same when read again. */
typedef struct nd_fileid {
    uint64_t dev, ino, size;
    int64_t mtime_s, mtime_ns, ctime_s, ctime_ns;
} nd_fileid;

/* One input file.  Its raw bytes are kept in memory (data) unless it was
 * read from disk: then data is NULL, on_disk set and the bytes are read
 * again, when a report quotes them, from the file if it is unchanged (id). */
typedef struct nd_file {
    char *path;
    uint8_t *data; /* raw bytes as on disk, or NULL */
    size_t len;
    const char *encoding;
    int on_disk;   /* data NULL: read it from path */
    int gone;      /* the file changed since read (logged once) */
    nd_fileid id;
    /* Built by nd_corpus_locate on first use: off[i] is the first byte of
     * decoded character i (nchars + 1 entries), lines[j] the character
     * where line j + 1 starts. */
    uint32_t *off, *lines;
    size_t nchars, nlines;
} nd_file;

/*
 * One document: public description plus its normalized text (n code
 * points) and where each character came from in the file, bytes
 * [bs, be), kept compact: nd_doc_bytes and nd_doc_map read it.
 *
 * The text is kept in 16 bits a character (c16) when every character is
 * in the BMP, as nearly all Chinese, ASCII and punctuation is; a document
 * with any character above U+FFFF keeps 32 bits a character (cp) instead,
 * and c16 is NULL.  One of the two is set; nd_doc_at, nd_doc_chars,
 * nd_doc_text and nd_doc_widen read either.
 *
 * The map block (nd_doc_map_size bytes) holds, in this order,
 * ck[(n + 63) / 64]: bs of every 64th character (uint32);
 * exc[nexc][3]: index, bs, be of the escaped characters (uint32, by index);
 * code[n]: one byte a character, gap << 3 | width, where width is be - bs
 * (0 to 7) and gap is bs minus the previous character's be (0 to 30; the
 * document start for the first), or ND_MAP_ESC for any other character.
 * Chinese text takes about 1.1 bytes a character instead of 8.
 */
#define ND_MAP_ESC 0xFF
typedef struct nd_doc {
    nd_document pub;
    uint32_t file;
    uint32_t *cp;  /* normalized text, 32 bits, when c16 is NULL */
    uint16_t *c16; /* normalized text, 16 bits, when all in the BMP */
    uint32_t n;
    uint32_t nexc;
    uint8_t *map;
    /* Arrays lent out by nd_corpus_text: built on first use (text_cp
     * only for a 16-bit text). */
    uint32_t *text_bs, *text_be, *text_cp;
} nd_doc;

/* Take over normalized text @p cp (@p n code points, nd_malloc'ed) into
 * @p d: kept as 16 bits a character when all are in the BMP (@p cp is
 * freed), else as it is.  ND_OK or ND_ENOMEM (d unchanged, cp kept). */
int nd_doc_set_text(nd_doc *d, uint32_t *cp, uint32_t n);

/* Code point @p i < d->n of @p d. */
static inline uint32_t nd_doc_at(const nd_doc *d, size_t i)
{
    return d->c16 ? d->c16[i] : d->cp[i];
}

/* Address of character @p i of @p d's text, whichever width it has (for
 * prefetching). */
static inline const void *nd_doc_addr(const nd_doc *d, size_t i)
{
    return d->c16 ? (const void *)(d->c16 + i) : (const void *)(d->cp + i);
}

/* Code points [from, to) of @p d into @p out (to - from entries). */
static inline void nd_doc_widen(const nd_doc *d, size_t from, size_t to,
                                uint32_t *out)
{
    if (d->c16) {
        for (size_t i = from; i < to; i++)
            out[i - from] = d->c16[i];
    } else {
        for (size_t i = from; i < to; i++)
            out[i - from] = d->cp[i];
    }
}

/* Code points [from, from + n) of @p d: d->cp + from, or widened into
 * @p tmp (n entries).  For short runs; nd_doc_text for long ones. */
static inline const uint32_t *nd_doc_chars(const nd_doc *d, size_t from,
                                           size_t n, uint32_t *tmp)
{
    if (!d->c16)
        return d->cp + from;
    nd_doc_widen(d, from, from + n, tmp);
    return tmp;
}

/* A buffer for nd_doc_text, zeroed before first use (nd_vec_free). */
typedef ND_VEC(uint32_t) nd_cpbuf;

/* Code points [from, to) of @p d as 32-bit values: d->cp + from, or the
 * 16-bit text widened into @p buf (valid until buf's next use).  NULL
 * when out of memory. */
const uint32_t *nd_doc_text(const nd_doc *d, size_t from, size_t to,
                            nd_cpbuf *buf);

/* Bytes of the map block of @p n characters with @p nexc escapes. */
size_t nd_doc_map_size(uint32_t n, uint32_t nexc);

/* Set d->map and d->nexc from the byte ranges of d->n characters (d->n and
 * d->pub.start set).  ND_OK or ND_ENOMEM. */
int nd_doc_set_map(nd_doc *d, const uint32_t *bs, const uint32_t *be);

/* Bytes [*bs, *be) of character @p i < d->n (a walk of up to 63 codes). */
void nd_doc_bytes(const nd_doc *d, uint32_t i, uint32_t *bs, uint32_t *be);

/* Byte ranges of every character of @p d into bs[n] and be[n]. */
void nd_doc_map(const nd_doc *d, uint32_t *bs, uint32_t *be);

/* Files held open to quote them (nd_corpus_slice_from): a report's, so
 * that each is opened and checked once, not per passage.  Zero it before
 * use; nd_reader_close closes them. */
#define ND_READER_FILES 16
typedef struct nd_reader {
    uint32_t file[ND_READER_FILES];
    int fd[ND_READER_FILES];
    int n, next;
    int quiet; /* a file that cannot be read again: ND_EIO, not marked
                * gone nor logged (a worker thread's reader) */
} nd_reader;
void nd_reader_close(nd_reader *r);

/* nd_corpus_slice reading through @p r (NULL: open the file each time). */
int nd_corpus_slice_from(const nd_corpus *c, nd_reader *r, uint32_t id,
                         uint64_t start, uint64_t end, char **out);

/* UTF-8 of @p n code points, a new string (nd_free); NULL when out of
 * memory. */
char *nd_utf8_of(const uint32_t *cp, size_t n);

struct nd_corpus {
    nd_ctx *ctx;
    ND_VEC(nd_file) files;
    ND_VEC(nd_doc) docs;
    size_t skipped;
    double t_ingest, t_normalize; /* seconds, summed over files */
    /* Positions in files held elsewhere (neither data nor on_disk):
     * neardup-mpi's rank 0 answers nd_corpus_locate from what the owning
     * ranks sent. */
    int (*locate_hook)(void *user, uint32_t id, uint64_t byte,
                       nd_position *out);
    void *locate_user;
    int keep_data; /* keep every file's bytes in memory (neardup-mpi) */
};

#endif
