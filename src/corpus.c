/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Contexts and corpora: settings, logging, and the first three pipeline
 * stages run per file (read and decode, split into documents, normalize).
 * A corpus keeps each file's raw bytes (to quote original text) and each
 * document's normalized text with its byte map.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest.h"
#include "internal.h"
#include "lsh.h"
#include "normalize.h"
#include "pool.h"
#include "segment.h"

ND_API const char *nd_strerror(int code)
{
    switch (code) {
    case ND_OK: return "success";
    case ND_ENOMEM: return "out of memory";
    case ND_EINVAL: return "invalid argument";
    case ND_EIO: return "input/output error";
    case ND_EENCODING: return "unknown encoding or conversion failure";
    case ND_EBINARY: return "input looks binary";
    case ND_EICU: return "ICU service failed";
    case ND_ETOOBIG: return "input too large (4 GiB per file at most)";
    case ND_EABORT: return "stopped by the caller";
    case ND_ESTORE: return "index store failed";
    case ND_ENOTINDEX: return "not a neardup index, or a corrupt one";
    case ND_EVERSION: return "index written by a newer version";
    case ND_EPARAMS: return "settings differ from the index's";
    case ND_EBUSY: return "index locked by another process";
    }
    return "unknown error";
}

ND_API const char *nd_version(void) { return ND_VERSION_STRING; }

ND_API void nd_default_settings(nd_settings *s)
{
    memset(s, 0, sizeof *s);
    s->shingle = 5;
    s->perm = 128;
    s->threshold = 0.5;
    s->containment = 0.8;
    s->min_passage = 30;
    s->max_df = 10;
    s->split = ND_SPLIT_AUTO;
    s->fold_variants = 1;
}

void nd_log(const nd_ctx *ctx, int level, const char *file, const char *fmt,
            ...)
{
    if (!ctx || !ctx->s.log)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ctx->s.log(ctx->s.log_user, level, file, msg);
}

static int check_settings(const nd_settings *s, char *err, size_t n)
{
    if (s->shingle < 1 || s->shingle > 64)
        snprintf(err, n, "shingle size must be 1 to 64, not %d", s->shingle);
    else if (s->perm < 8 || s->perm > 1024 || s->perm % 8)
        snprintf(err, n, "signature size must be a multiple of 8 from 8 to "
                         "1024, not %d", s->perm);
    else if (!(s->threshold > 0 && s->threshold <= 1))
        snprintf(err, n, "threshold must be in (0, 1], not %g", s->threshold);
    else if (!(s->containment > 0 && s->containment <= 1))
        snprintf(err, n, "containment must be in (0, 1], not %g",
                 s->containment);
    else if (s->min_passage < 1)
        snprintf(err, n, "minimum passage must be positive, not %d",
                 s->min_passage);
    else if (s->max_df < 2)
        snprintf(err, n, "max-df must be at least 2, not %d", s->max_df);
    else if (s->split < ND_SPLIT_AUTO || s->split > ND_SPLIT_REGEX ||
             (s->split == ND_SPLIT_REGEX && !s->split_regex))
        snprintf(err, n, "invalid split mode");
    else if (s->threads < 0)
        snprintf(err, n, "threads must be 0 (all cores) or more");
    else
        return ND_OK;
    return ND_EINVAL;
}

ND_API int nd_ctx_new(nd_ctx **out, const nd_settings *s)
{
    *out = NULL;
    nd_settings def;
    if (!s) {
        nd_default_settings(&def);
        s = &def;
    }
    char err[256];
    int rc = check_settings(s, err, sizeof err);
    nd_ctx tmp = {.s = *s};
    if (rc) {
        nd_log(&tmp, ND_LOG_ERROR, NULL, "%s", err);
        return rc;
    }
    nd_ctx *c = nd_calloc(1, sizeof *c);
    if (!c)
        return ND_ENOMEM;
    c->s = *s;
    if ((s->split_regex && !(c->split_regex = nd_strdup(s->split_regex))) ||
        (s->encoding && !(c->encoding = nd_strdup(s->encoding)))) {
        nd_ctx_free(c);
        return ND_ENOMEM;
    }
    c->s.split_regex = c->split_regex;
    c->s.encoding = c->encoding;
    rc = nd_normtab_new(&c->norm, s->fold_variants, s->keep_punct, err,
                        sizeof err);
    if (rc) {
        nd_log(c, ND_LOG_ERROR, NULL, "%s", err);
        nd_ctx_free(c);
        return rc;
    }
    nd_lsh_params(s->threshold, s->perm, &c->bands, &c->rows);
    *out = c;
    return ND_OK;
}

ND_API void nd_ctx_free(nd_ctx *c)
{
    if (!c)
        return;
    nd_normtab_free(c->norm);
    nd_free(c->split_regex);
    nd_free(c->encoding);
    nd_free(c);
}

ND_API const nd_settings *nd_ctx_settings(const nd_ctx *c) { return &c->s; }

/* ------------------------------------------------------------------ */

ND_API int nd_corpus_new(nd_ctx *ctx, nd_corpus **out)
{
    *out = nd_calloc(1, sizeof **out);
    if (!*out)
        return ND_ENOMEM;
    (*out)->ctx = ctx;
    return ND_OK;
}

static void doc_free(nd_doc *d)
{
    nd_free((char *)d->pub.title);
    nd_free(d->cp);
    nd_free(d->c16);
    nd_free(d->map);
    nd_free(d->text_bs);
    nd_free(d->text_be);
    nd_free(d->text_cp);
}

ND_API void nd_corpus_free(nd_corpus *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->docs.n; i++)
        doc_free(&c->docs.v[i]);
    for (size_t i = 0; i < c->files.n; i++) {
        nd_free(c->files.v[i].path);
        nd_free(c->files.v[i].data);
        nd_free((char *)c->files.v[i].encoding);
        nd_free(c->files.v[i].off);
        nd_free(c->files.v[i].lines);
    }
    nd_vec_free(&c->docs);
    nd_vec_free(&c->files);
    nd_free(c);
}

char *nd_utf8_of(const uint32_t *cp, size_t n)
{
    /* Sized first, then written in place: a passage's text is made for
     * every record, and a call (and a copy) per character was most of
     * reading it.  U+0000, which would end the C string, is left out. */
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = cp[i];
        len += !c ? 0 : c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3
               : c < 0x110000 ? 4 : 3; /* U+FFFD */
    }
    char *s = nd_malloc(len + 1), *o = s;
    if (!s)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (cp[i])
            o += nd_utf8_put(cp[i], o);
    *o = 0;
    return s;
}

/* ------------------------------------------------------------------ */
/* Texts (internal.h)                                                   */

int nd_doc_set_text(nd_doc *d, uint32_t *cp, uint32_t n)
{
    uint16_t *h = nd_malloc(((size_t)n + 1) * sizeof *h);
    if (!h)
        return ND_ENOMEM;
    uint32_t wide = 0;
    for (uint32_t i = 0; i < n; i++) {
        wide |= cp[i];
        h[i] = (uint16_t)cp[i];
    }
    h[n] = 0;
    if (wide > 0xFFFF) { /* 32 bits, at its size (it grew by doubling) */
        nd_free(h);
        uint32_t *a = nd_realloc(cp, ((size_t)n + 1) * sizeof *a);
        d->cp = a ? a : cp;
        d->c16 = NULL;
    } else {
        nd_free(cp);
        d->c16 = h;
        d->cp = NULL;
    }
    d->n = n;
    return ND_OK;
}

const uint32_t *nd_doc_text(const nd_doc *d, size_t from, size_t to,
                            nd_cpbuf *buf)
{
    if (!d->c16)
        return d->cp + from;
    if (nd_vec_reserve(buf, to - from + 1))
        return NULL;
    nd_doc_widen(d, from, to, buf->v);
    return buf->v;
}

/* ------------------------------------------------------------------ */
/* Byte maps (internal.h)                                               */

size_t nd_doc_map_size(uint32_t n, uint32_t nexc)
{
    return (((size_t)n + 63) / 64 + 3 * (size_t)nexc) * sizeof(uint32_t) +
           n;
}

/* The code of a character @p gap bytes after the previous one's end and
 * @p w bytes wide, both modulo 2^32: NFKC expansions overlap (a negative
 * gap), and so does a wrap, escaped alike. */
static inline uint8_t map_code(uint32_t gap, uint32_t w)
{
    return gap <= 30 && w <= 7 ? (uint8_t)(gap << 3 | w) : ND_MAP_ESC;
}

/* Where the parts of map block @p m of @p n characters, @p nexc of them
 * escaped, are (internal.h). */
static void map_layout(uint8_t *m, uint32_t n, uint32_t nexc, uint32_t **ck,
                       uint32_t **exc, uint8_t **code)
{
    *ck = (uint32_t *)(void *)m;
    *exc = *ck + ((size_t)n + 63) / 64;
    *code = (uint8_t *)(*exc + 3 * (size_t)nexc);
}

int nd_doc_set_map(nd_doc *d, const uint32_t *bs, const uint32_t *be)
{
    const uint32_t n = d->n;
    /* The first character's gap is from the start (a start after it
     * cannot be coded). */
    const uint8_t c0 =
        !n ? 0
           : map_code(d->pub.start > bs[0] ? UINT32_MAX
                                           : bs[0] - (uint32_t)d->pub.start,
                      be[0] - bs[0]);
    uint32_t nexc = n && c0 == ND_MAP_ESC;
    for (uint32_t i = 1; i < n; i++)
        nexc += map_code(bs[i] - be[i - 1], be[i] - bs[i]) == ND_MAP_ESC;
    size_t size = nd_doc_map_size(n, nexc);
    uint8_t *m = nd_malloc(size);
    if (!m)
        return ND_ENOMEM;
    uint32_t *ck, *exc;
    uint8_t *code;
    map_layout(m, n, nexc, &ck, &exc, &code);
    for (uint32_t i = 0; i < n; i += 64)
        ck[i / 64] = bs[i];
    if (n)
        code[0] = c0;
    for (uint32_t i = 1; i < n; i++)
        code[i] = map_code(bs[i] - be[i - 1], be[i] - bs[i]);
    for (uint32_t i = 0, k = 0; k < nexc; i++)
        if (code[i] == ND_MAP_ESC) {
            exc[3 * k] = i;
            exc[3 * k + 1] = bs[i];
            exc[3 * k + 2] = be[i];
            k++;
        }
    nd_free(d->map);
    d->map = m;
    d->nexc = nexc;
    return ND_OK;
}

/* The parts of d->map. */
static void map_parts(const nd_doc *d, const uint32_t **ck,
                      const uint32_t **exc, const uint8_t **code)
{
    uint32_t *c, *e;
    uint8_t *k;
    map_layout(d->map, d->n, d->nexc, &c, &e, &k);
    *ck = c;
    *exc = e;
    *code = k;
}

/* Bytes of escaped character @p i. */
static void map_escaped(const uint32_t *exc, uint32_t nexc, uint32_t i,
                        uint32_t *bs, uint32_t *be)
{
    uint32_t lo = 0, hi = nexc;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (exc[3 * (size_t)mid] < i)
            lo = mid + 1;
        else
            hi = mid;
    }
    *bs = exc[3 * (size_t)lo + 1];
    *be = exc[3 * (size_t)lo + 2];
}

void nd_doc_bytes(const nd_doc *d, uint32_t i, uint32_t *bs, uint32_t *be)
{
    const uint32_t *ck, *exc;
    const uint8_t *code;
    map_parts(d, &ck, &exc, &code);
    uint32_t j = i & ~(uint32_t)63, s, e;
    if (code[j] == ND_MAP_ESC) {
        map_escaped(exc, d->nexc, j, &s, &e);
    } else {
        s = ck[j / 64];
        e = s + (code[j] & 7);
    }
    while (j++ < i) {
        uint8_t c = code[j];
        if (c == ND_MAP_ESC) {
            map_escaped(exc, d->nexc, j, &s, &e);
        } else {
            s = e + (c >> 3);
            e = s + (c & 7);
        }
    }
    *bs = s;
    *be = e;
}

void nd_doc_map(const nd_doc *d, uint32_t *bs, uint32_t *be)
{
    const uint32_t *ck, *exc;
    const uint8_t *code;
    map_parts(d, &ck, &exc, &code);
    uint32_t e = 0;
    for (uint32_t i = 0; i < d->n; i++) {
        uint8_t c = code[i];
        if (c == ND_MAP_ESC) {
            bs[i] = exc[1];
            be[i] = exc[2];
            exc += 3;
        } else {
            bs[i] = i % 64 ? e + (c >> 3) : ck[i / 64];
            be[i] = bs[i] + (c & 7);
        }
        e = be[i];
    }
}

/*
 * Loading runs in two steps so that files can be prepared on several
 * threads and still enter the corpus in path order: prepare (read, decode,
 * split, normalize: no logging, nothing shared is touched) and commit (log
 * what happened, append the file and its documents).
 */
typedef struct prep {
    const char *name;
    uint8_t *data; /* owned until committed */
    size_t len;
    int rc_read, err_no; /* nd_read_file's result and errno */
    int changed;         /* the file grew (1) or shrank (-1) while read */
    int from_disk;       /* read by path (not stdin, not memory) */
    nd_fileid id;        /* which file, when from_disk */
    int rc_decode;       /* nd_decode's result */
    char encoding[40];
    size_t bad;
    uint64_t first_bad;
    int rc_docs;         /* segmentation/normalization result */
    char err[256];       /* segmentation error message */
    ND_VEC(nd_doc) docs; /* ids, file and pub.file/encoding set on commit */
    double t_ingest, t_normalize;
} prep;

static void doc_free(nd_doc *d);

typedef struct fastbuf { /* doc_fast's scratch, kept from doc to doc */
    ND_VEC(uint8_t) code;
    ND_VEC(uint32_t) ck;
    ND_VEC(uint32_t) exc;
} fastbuf;

/*
 * Characters [from, to) of @p d as @p doc's text, 16 bits a character,
 * and byte map in one pass, when the table @p bmp normalizes every one
 * alone within the BMP (nearly all Chinese and ASCII text): what
 * nd_normalize, nd_doc_set_text and nd_doc_set_map make, without the
 * three 32-bit arrays between them.
 * 1 when done; 0 when a character needs nd_normalize (@p doc unchanged);
 * ND_ENOMEM.  doc->pub.start is set.
 */
static int doc_fast(const uint32_t *bmp, const nd_decoded *d, size_t from,
                    size_t to, nd_doc *doc, fastbuf *w)
{
    const size_t cap = to - from;
    if (nd_vec_reserve(&w->code, cap + 1) ||
        nd_vec_reserve(&w->ck, cap / 64 + 1))
        return ND_ENOMEM;
    uint16_t *h = nd_malloc((cap + 1) * sizeof *h);
    if (!h)
        return ND_ENOMEM;
    uint8_t *code = w->code.v;
    uint32_t *ck = w->ck.v, n = 0, last = (uint32_t)doc->pub.start;
    w->exc.n = 0;
    for (size_t i = from; i < to; i++) {
        uint32_t c = d->cp[i];
        uint32_t v = c < 0x10000 ? bmp[c] : ND_NORM_DROP + 1;
        if (v == ND_NORM_DROP)
            continue;
        if (v > 0xFFFF) {
            nd_free(h);
            return 0;
        }
        uint32_t bs = d->off[i], be = d->off[i + 1];
        if (!(n & 63))
            ck[n / 64] = bs;
        /* The first character's gap is from the document's start (one
         * before it wraps around: escaped, as nd_doc_set_map does). */
        code[n] = map_code(bs - last, be - bs);
        if (code[n] == ND_MAP_ESC) {
            if (nd_vec_reserve(&w->exc, w->exc.n + 3)) {
                nd_free(h);
                return ND_ENOMEM;
            }
            w->exc.v[w->exc.n++] = n;
            w->exc.v[w->exc.n++] = bs;
            w->exc.v[w->exc.n++] = be;
        }
        h[n++] = (uint16_t)v;
        last = be;
    }
    h[n] = 0;
    const uint32_t nexc = (uint32_t)(w->exc.n / 3);
    uint8_t *m = nd_malloc(nd_doc_map_size(n, nexc));
    if (!m) {
        nd_free(h);
        return ND_ENOMEM;
    }
    uint32_t *mck, *mexc;
    uint8_t *mcode;
    map_layout(m, n, nexc, &mck, &mexc, &mcode);
    memcpy(mck, ck, ((size_t)n + 63) / 64 * sizeof *ck);
    if (nexc)
        memcpy(mexc, w->exc.v, w->exc.n * sizeof *w->exc.v);
    memcpy(mcode, code, n);
    uint16_t *fit = n < cap ? nd_realloc(h, ((size_t)n + 1) * sizeof *h)
                            : NULL; /* characters dropped: give back */
    doc->c16 = fit ? fit : h;
    doc->cp = NULL;
    doc->n = n;
    doc->map = m;
    doc->nexc = nexc;
    return 1;
}

/* Split and normalize decoded file @p d into p->docs. */
static int prep_documents(const nd_ctx *ctx, prep *p, const nd_decoded *d)
{
    nd_segment *seg = NULL;
    size_t nseg = 0;
    int rc = nd_segment_split(d, ctx->s.split, ctx->s.split_regex, &seg,
                              &nseg, p->err, sizeof p->err);
    if (rc)
        return rc;
    const uint32_t *bmp = nd_normtab_bmp(ctx->norm);
    fastbuf w = {{0}, {0}, {0}};
    for (size_t i = 0; !rc && i < nseg; i++) {
        nd_doc doc = {0};
        doc.pub.ordinal = (uint32_t)i;
        doc.pub.start = d->off[seg[i].from];
        doc.pub.end = d->off[seg[i].to];
        int fast = doc_fast(bmp, d, seg[i].from, seg[i].to, &doc, &w);
        if (fast < 0)
            rc = fast;
        if (!fast) {
            nd_ntext t = {0};
            rc = nd_normalize(ctx->norm, d->cp, d->off, seg[i].from,
                              seg[i].to, &t);
            /* The text in 16 bits a character if it can be, the byte
             * map made compact. */
            if (!rc)
                rc = nd_doc_set_text(&doc, t.cp, (uint32_t)t.n);
            if (rc)
                nd_free(t.cp);
            if (!rc)
                rc = nd_doc_set_map(&doc, t.bs, t.be);
            nd_free(t.bs);
            nd_free(t.be);
        }
        doc.pub.chars = doc.n;
        doc.pub.title = nd_utf8_of(d->cp + seg[i].title_from,
                                seg[i].title_to - seg[i].title_from);
        if (!rc && !doc.pub.title)
            rc = ND_ENOMEM;
        if (!rc)
            rc = nd_vec_push(&p->docs, doc);
        if (rc)
            doc_free(&doc);
    }
    nd_vec_free(&w.code);
    nd_vec_free(&w.ck);
    nd_vec_free(&w.exc);
    nd_free(seg);
    return rc;
}

/* Decode, split and normalize p->data (thread-safe). */
static void prep_decode(const nd_ctx *ctx, prep *p)
{
    double t0 = nd_now();
    nd_decoded d;
    p->rc_decode = nd_decode(p->data, p->len, ctx->s.encoding, &d);
    if (p->rc_decode)
        return;
    memcpy(p->encoding, d.encoding, sizeof p->encoding);
    p->bad = d.bad;
    p->first_bad = d.first_bad;
    double t1 = nd_now();
    p->rc_docs = prep_documents(ctx, p, &d);
    nd_decoded_free(&d);
    p->t_ingest += t1 - t0;
    p->t_normalize += nd_now() - t1;
}

static void prep_free(prep *p)
{
    nd_free(p->data);
    for (size_t i = 0; i < p->docs.n; i++)
        doc_free(&p->docs.v[i]);
    nd_vec_free(&p->docs);
}

/* Log what preparing @p p found and append it; frees what it does not
 * keep.  Returns the file's result as add_file always did. */
static int commit(nd_corpus *c, prep *p)
{
    nd_ctx *ctx = c->ctx;
    const char *name = p->name;
    int rc = p->rc_decode;
    c->t_ingest += p->t_ingest;
    c->t_normalize += p->t_normalize;
    if (rc == ND_EBINARY || rc == ND_ETOOBIG || rc == ND_EENCODING) {
        if (rc == ND_EBINARY)
            nd_log(ctx, ND_LOG_WARN, name, "skipped: looks binary (NUL byte "
                   "at offset %zu)", (size_t)((uint8_t *)memchr(p->data, 0,
                                                                p->len)
                                               - p->data));
        else if (rc == ND_EENCODING)
            nd_log(ctx, ND_LOG_ERROR, name, "skipped: cannot decode as %s",
                   ctx->s.encoding ? ctx->s.encoding : "any known encoding");
        else
            nd_log(ctx, ND_LOG_ERROR, name, "skipped: %s", nd_strerror(rc));
        c->skipped++;
        prep_free(p);
        return rc;
    }
    if (rc) {
        prep_free(p);
        return rc;
    }
    if (p->bad) {
        nd_log(ctx, ND_LOG_WARN, name,
               "invalid %s at byte %llu (%zu invalid sequence%s replaced by "
               "U+FFFD)", p->encoding, (unsigned long long)p->first_bad,
               p->bad, p->bad == 1 ? "" : "s");
        c->skipped++;
    }
    nd_file f = {0};
    f.path = nd_strdup(name);
    f.data = p->data;
    f.len = p->len;
    f.encoding = nd_strdup(p->encoding);
    /* A file read from disk, unchanged while read, is read again for the
     * passages a report quotes: its bytes are not kept (as many bytes as
     * the corpus has characters, times 1 to 4). */
    f.on_disk = p->from_disk && !p->changed && !c->keep_data &&
                p->id.size == p->len;
    f.id = p->id;
    if (f.on_disk)
        f.data = NULL;
    if (!f.path || !f.encoding || nd_vec_push(&c->files, f)) {
        nd_free(f.path);
        nd_free((char *)f.encoding);
        prep_free(p);
        return ND_ENOMEM;
    }
    if (f.on_disk)
        nd_free(p->data);
    p->data = NULL; /* the corpus owns it now */
    uint32_t fi = (uint32_t)(c->files.n - 1);
    rc = nd_vec_reserve(&c->docs, c->docs.n + p->docs.n);
    for (size_t i = 0; !rc && i < p->docs.n; i++) {
        nd_doc *d = &p->docs.v[i];
        d->file = fi;
        d->pub.id = (uint32_t)c->docs.n;
        d->pub.file = c->files.v[fi].path;
        d->pub.encoding = c->files.v[fi].encoding;
        c->docs.v[c->docs.n++] = *d;
    }
    if (!rc) {
        p->docs.n = 0; /* moved */
        rc = p->rc_docs;
        if (rc && p->err[0])
            nd_log(ctx, ND_LOG_ERROR, name, "%s", p->err);
    }
    prep_free(p);
    return rc;
}

/* Take ownership of @p data (freed on failure too). */
static int add_file(nd_corpus *c, const char *name, uint8_t *data, size_t len)
{
    prep p = {.name = name, .data = data, .len = len};
    prep_decode(c->ctx, &p);
    return commit(c, &p);
}

ND_API int nd_corpus_add_memory(nd_corpus *c, const char *name,
                                const void *data, size_t len)
{
    uint8_t *copy = nd_malloc(len + 1);
    if (!copy)
        return ND_ENOMEM;
    if (len)
        memcpy(copy, data, len);
    return add_file(c, name, copy, len);
}

#define LOAD_BATCH 256 /* files prepared at a time (bounds memory in flight) */

typedef struct loader {
    const nd_ctx *ctx;
    prep *p;
} loader;

/* Read and prepare one file (a pool task). */
static int load_one(void *user, size_t i, int worker)
{
    loader *L = user;
    prep *p = &L->p[i];
    double t0 = nd_now();
    p->rc_read = nd_read_file_id(p->name, &p->data, &p->len, &p->changed,
                                 &p->id);
    p->from_disk = strcmp(p->name, "-") != 0;
    p->err_no = errno;
    p->t_ingest = nd_now() - t0;
    if (!p->rc_read)
        prep_decode(L->ctx, p);
    return ND_OK;
}

ND_API int nd_corpus_add_path(nd_corpus *c, const char *path)
{
    nd_pathlist paths = {0};
    size_t skipped = 0;
    int rc = nd_list_paths(c->ctx, path, &paths, &skipped);
    c->skipped += skipped;
    int first = ND_OK;
    /* Standard input is read by the calling thread alone. */
    int threads = strcmp(path, "-") ? nd_pool_threads(c->ctx->s.threads) : 1;
    prep *batch = rc ? NULL : nd_calloc(LOAD_BATCH, sizeof *batch);
    if (!rc && !batch)
        rc = ND_ENOMEM;
    uint64_t bytes = 0;
    for (size_t s = 0; !rc && s < paths.n; s += LOAD_BATCH) {
        size_t n = ND_MIN(LOAD_BATCH, paths.n - s);
        nd_progress(c->ctx, ND_STAGE_READ, s, paths.n, bytes);
        memset(batch, 0, n * sizeof *batch);
        for (size_t i = 0; i < n; i++)
            batch[i].name = paths.v[s + i];
        loader L = {c->ctx, batch};
        nd_pool_run(threads, n, 1, load_one, &L);
        for (size_t i = 0; i < n; i++) {
            prep *p = &batch[i];
            int r = p->rc_read;
            if (rc || r == ND_ENOMEM) {
                if (!rc)
                    rc = r;
                prep_free(p);
                continue;
            }
            if (r) {
                nd_log(c->ctx, ND_LOG_ERROR, p->name, "skipped: %s",
                       r == ND_EIO ? strerror(p->err_no) : nd_strerror(r));
                c->skipped++;
                if (!first)
                    first = r;
                prep_free(p);
                continue;
            }
            if (p->changed) { /* results are for the bytes read */
                nd_log(c->ctx, ND_LOG_WARN, p->name, "changed while being "
                       "read (%s); offsets refer to the %zu bytes read",
                       p->changed > 0 ? "it grew" : "it shrank", p->len);
                c->skipped++;
            }
            bytes += p->len;
            r = commit(c, p);
            if (r == ND_ENOMEM)
                rc = r;
            else if (r && !first)
                first = r;
        }
    }
    if (!rc)
        nd_progress(c->ctx, ND_STAGE_READ, paths.n, paths.n, bytes);
    nd_free(batch);
    nd_pathlist_free(&paths);
    /* A file that failed is an error for the caller; a directory with some
     * bad entries is not (they were logged and counted). */
    struct stat st;
    int is_dir = strcmp(path, "-") && stat(path, &st) == 0 &&
                 S_ISDIR(st.st_mode);
    if (!rc && !is_dir) {
        if (first)
            rc = first;
        else if (skipped)
            rc = ND_EIO; /* missing, dangling link, loop */
    }
    return rc;
}

ND_API size_t nd_corpus_size(const nd_corpus *c) { return c->docs.n; }

ND_API size_t nd_corpus_skipped(const nd_corpus *c) { return c->skipped; }

ND_API const nd_document *nd_corpus_document(const nd_corpus *c, uint32_t id)
{
    return id < c->docs.n ? &c->docs.v[id].pub : NULL;
}

ND_API int nd_corpus_text(const nd_corpus *c, uint32_t id, nd_text *out)
{
    if (id >= c->docs.n)
        return ND_EINVAL;
    nd_doc *d = &c->docs.v[id]; /* only its lent arrays change */
    if (d->n && !d->text_bs) {
        uint32_t *bs = nd_malloc(d->n * sizeof *bs);
        uint32_t *be = nd_malloc(d->n * sizeof *be);
        uint32_t *cp = d->c16 ? nd_malloc(d->n * sizeof *cp) : NULL;
        if (!bs || !be || (d->c16 && !cp)) {
            nd_free(bs);
            nd_free(be);
            nd_free(cp);
            return ND_ENOMEM;
        }
        nd_doc_map(d, bs, be);
        if (cp)
            nd_doc_widen(d, 0, d->n, cp);
        d->text_bs = bs;
        d->text_be = be;
        d->text_cp = cp;
    }
    out->n = d->n;
    out->cp = d->text_cp ? d->text_cp : d->cp;
    out->start = d->text_bs;
    out->end = d->text_be;
    return ND_OK;
}

ND_API void nd_corpus_text_release(const nd_corpus *c, uint32_t id)
{
    if (id >= c->docs.n)
        return;
    nd_doc *d = &c->docs.v[id]; /* only its lent arrays change */
    nd_free(d->text_bs);
    nd_free(d->text_be);
    nd_free(d->text_cp);
    d->text_bs = d->text_be = d->text_cp = NULL;
}

/* Log once that file @p f changed since it was read: its texts are left
 * out from now on. */
static void file_gone(const nd_corpus *c, nd_file *f)
{
    if (!__atomic_exchange_n(&f->gone, 1, __ATOMIC_RELAXED))
        nd_log(c->ctx, ND_LOG_WARN, f->path, "changed or removed since it "
               "was read: its original text is left out of the results");
}

void nd_reader_close(nd_reader *r)
{
    for (int i = 0; i < r->n; i++)
        close(r->fd[i]);
    r->n = r->next = 0;
}

/* Bytes [from, to) of file @p fi (on disk) into @p buf, through @p r. */
static int reread(const nd_corpus *c, nd_reader *r, uint32_t fi,
                  size_t from, size_t to, uint8_t *buf)
{
    const nd_file *f = &c->files.v[fi];
    if (!r)
        return nd_file_pread(f->path, &f->id, from, to, buf);
    int k = 0;
    while (k < r->n && r->file[k] != fi)
        k++;
    if (k == r->n) {
        int fd = nd_file_open(f->path, &f->id);
        if (fd < 0)
            return ND_EIO;
        if (r->n < ND_READER_FILES) {
            k = r->n++;
        } else { /* the oldest goes */
            k = r->next;
            r->next = (r->next + 1) % ND_READER_FILES;
            close(r->fd[k]);
        }
        r->file[k] = fi;
        r->fd[k] = fd;
    }
    return nd_fd_pread(r->fd[k], from, to, buf);
}

ND_API int nd_corpus_slice(const nd_corpus *c, uint32_t id, uint64_t start,
                           uint64_t end, char **out)
{
    return nd_corpus_slice_from(c, NULL, id, start, end, out);
}

int nd_corpus_slice_from(const nd_corpus *c, nd_reader *r, uint32_t id,
                         uint64_t start, uint64_t end, char **out)
{
    *out = NULL;
    if (id >= c->docs.n)
        return ND_EINVAL;
    const uint32_t fi = c->docs.v[id].file;
    nd_file *f = &c->files.v[fi];
    if (!f->data && (!f->on_disk || f->gone)) { /* an indexed file no
                                                   longer on disk */
        *out = nd_strdup("");
        return *out ? ND_OK : ND_ENOMEM;
    }
    if (start > end || end > f->len)
        return ND_EINVAL;
    nd_decoded d;
    int rc;
    const size_t n = (size_t)(end - start);
    if (f->data) {
        /* Already UTF-8: the bytes themselves (a report reads the text
         * of every passage). */
        if (nd_range_is_utf8(f->encoding, (size_t)start, f->data + start,
                             n)) {
            if (!(*out = nd_malloc(n + 1)))
                return ND_ENOMEM;
            memcpy(*out, f->data + start, n);
            (*out)[n] = 0;
            return ND_OK;
        }
        rc = nd_decode_range(f->data, f->len, (size_t)start, (size_t)end,
                             f->encoding, &d);
    } else {
        size_t from, to;
        nd_decode_range_window(f->len, (size_t)start, (size_t)end,
                               f->encoding, &from, &to);
        uint8_t *win = nd_malloc(to - from + 1);
        if (!win)
            return ND_ENOMEM;
        rc = reread(c, r, fi, from, to, win);
        if (rc == ND_EIO && r && r->quiet) {
            nd_free(win);
            return ND_EIO;
        }
        if (rc == ND_EIO) {
            nd_free(win);
            file_gone(c, f);
            *out = nd_strdup("");
            return *out ? ND_OK : ND_ENOMEM;
        }
        if (!rc && from == start &&
            nd_range_is_utf8(f->encoding, (size_t)start, win, n)) {
            win[n] = 0; /* the window is the text (and a few bytes more) */
            *out = (char *)win;
            return ND_OK;
        }
        rc = nd_decode_range_in(win, f->len, (size_t)start, (size_t)end,
                                f->encoding, &d);
        nd_free(win);
    }
    if (rc)
        return rc;
    *out = nd_utf8_of(d.cp, d.n);
    nd_decoded_free(&d);
    return *out ? ND_OK : ND_ENOMEM;
}

/* Decode file @p f once more and keep where characters and lines start. */
static int build_positions(const nd_corpus *c, nd_file *f)
{
    nd_decoded d;
    int rc;
    if (f->data || !f->on_disk) {
        rc = nd_decode(f->data, f->len, f->encoding, &d);
    } else if (f->gone) {
        return ND_EIO;
    } else {
        uint8_t *data = nd_malloc(f->len + 1);
        if (!data)
            return ND_ENOMEM;
        rc = nd_file_pread(f->path, &f->id, 0, f->len, data);
        if (rc == ND_EIO)
            file_gone(c, f);
        if (!rc)
            rc = nd_decode(data, f->len, f->encoding, &d);
        nd_free(data);
    }
    if (rc)
        return rc;
    size_t nl = 1;
    for (size_t i = 0; i < d.n; i++)
        nl += d.cp[i] == '\n';
    uint32_t *lines = nd_malloc(nl * sizeof *lines);
    if (!lines) {
        nd_decoded_free(&d);
        return ND_ENOMEM;
    }
    lines[0] = 0;
    for (size_t i = 0, j = 1; i < d.n; i++)
        if (d.cp[i] == '\n')
            lines[j++] = (uint32_t)(i + 1);
    f->lines = lines;
    f->nlines = nl;
    f->off = d.off; /* taken over */
    f->nchars = d.n;
    d.off = NULL;
    nd_decoded_free(&d);
    return ND_OK;
}

/* Number of entries of sorted @p v[0..n) that are <= @p x. */
static size_t count_le(const uint32_t *v, size_t n, uint64_t x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] <= x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

ND_API int nd_corpus_locate(nd_corpus *c, uint32_t id, uint64_t byte,
                            nd_position *out)
{
    if (id >= c->docs.n)
        return ND_EINVAL;
    nd_file *f = &c->files.v[c->docs.v[id].file];
    if (!f->data && !f->on_disk && c->locate_hook)
        return c->locate_hook(c->locate_user, id, byte, out);
    if (byte > f->len)
        return ND_EINVAL;
    if (!f->off) {
        int rc = build_positions(c, f);
        if (rc)
            return rc;
    }
    /* Character k holds the byte: off[k] <= byte < off[k + 1]. */
    size_t k = count_le(f->off, f->nchars, byte);
    k = k ? k - 1 : 0;
    if (byte >= f->off[f->nchars])
        k = f->nchars;
    size_t line = count_le(f->lines, f->nlines, k);
    out->line = line;
    out->column = k - f->lines[line - 1] + 1;
    out->offset = k;
    return ND_OK;
}
