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

/* One input file kept in memory. */
typedef struct nd_file {
    char *path;
    uint8_t *data; /* raw bytes as on disk */
    size_t len;
    const char *encoding;
    /* Built by nd_corpus_locate on first use: off[i] is the first byte of
     * decoded character i (nchars + 1 entries), lines[j] the character
     * where line j + 1 starts. */
    uint32_t *off, *lines;
    size_t nchars, nlines;
} nd_file;

/* One document: public description plus its normalized text. */
typedef struct nd_doc {
    nd_document pub;
    uint32_t file;
    uint32_t *cp, *bs, *be; /* normalized text, byte ranges in the file */
    uint32_t n;
} nd_doc;

/* UTF-8 of @p n code points, a new string (nd_free); NULL when out of
 * memory. */
char *nd_utf8_of(const uint32_t *cp, size_t n);

struct nd_corpus {
    nd_ctx *ctx;
    ND_VEC(nd_file) files;
    ND_VEC(nd_doc) docs;
    size_t skipped;
    double t_ingest, t_normalize; /* seconds, summed over files */
    /* Positions in files held elsewhere (data NULL): neardup-mpi's rank 0
     * answers nd_corpus_locate from what the owning ranks sent. */
    int (*locate_hook)(void *user, uint32_t id, uint64_t byte,
                       nd_position *out);
    void *locate_user;
};

#endif
