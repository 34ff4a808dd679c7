/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Fuzz target: an arbitrary file opened as an index, the way the CLI does
 * it (src/cli/index_cmd.c): its stored settings are read
 * (nd_index_settings), a context is made from them, the index is opened
 * read-only, described (nd_index_info_get), a small draft is checked
 * against it (nd_index_check) and, with byte 0 bit 0, the corpus-wide
 * scan of its stored documents runs (nd_index_corpus, nd_corpus_scan),
 * its records rendered as text or, with bit 3, as the HTML report.
 * With bit 1 it is then opened for writing and a small document is added
 * (nd_index_add) and, with bit 2, removed again (nd_index_remove); with
 * bit 5 every file is removed (nd_index_remove of "/").
 *
 * FUZZ_VERBOSE=1 in the environment prints what each call returned.
 *
 * Input: byte 0 the flags above, the rest the index file's bytes; with
 * bit 4, two bytes (little-endian) give the file's length and what follows
 * it is its write-ahead log (-wal), as left by a process that stopped
 * before a checkpoint.  They are written to a directory of this process
 * under /dev/shm (or /tmp), removed with the -wal, -shm and -journal files
 * before each input.
 *
 * Properties: every call returns ND_OK or one of its documented ND_E*
 * codes, and a failure other than ND_ENOMEM was reported through the log
 * with an error message (never an abort, a crash or a hang); the records
 * of a check are well formed (one report first, passages inside the draft,
 * source spans not reversed, ratios in [0, 1]); the scan's report is clean
 * UTF-8 text or a well formed page with valid JSON (html_check.h); an add
 * or remove on a file passing SQLite's integrity check leaves it passing,
 * opening again, and holding the added file (none of its files once all
 * are removed).
 */
#include <math.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "html_check.h"
#include "json_check.h"
#include "src/cli/render.h"

/* A draft sharing a sentence with the seed indexes' documents
 * (make_seeds.py), so that checks reach alignment. */
static const char draft[] =
    "关于河道管理的几点意见\n"
    "专家建议，今后要建立长效管理机制，明确每一段河道的责任人，定期巡查，"
    "及时处理发现的问题。此外，还要加强宣传，让群众自觉爱护河岸绿化。\n";

static char dir[64], ixpath[96], docpath[96];

static void cleanup(void)
{
    static const char *const sfx[] = {"", "-wal", "-shm", "-journal"};
    char p[128];
    for (size_t i = 0; i < sizeof sfx / sizeof *sfx; i++) {
        snprintf(p, sizeof p, "%s%s", ixpath, sfx[i]);
        unlink(p);
    }
}

static void cleanup_all(void)
{
    cleanup();
    unlink(docpath);
    rmdir(dir);
}

static void put_file(const char *path, const uint8_t *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    FUZZ_CHECK(f);
    FUZZ_CHECK(fwrite(p, 1, n, f) == n);
    FUZZ_CHECK(fclose(f) == 0);
}

static void setup(void)
{
    if (dir[0])
        return;
    struct stat sb; /* in memory when there is /dev/shm: SQLite syncs */
    snprintf(dir, sizeof dir, "%s/nd-fuzz-index.XXXXXX",
             !stat("/dev/shm", &sb) && S_ISDIR(sb.st_mode) &&
             !access("/dev/shm", W_OK) ? "/dev/shm" : "/tmp");
    FUZZ_CHECK(mkdtemp(dir));
    snprintf(ixpath, sizeof ixpath, "%s/index", dir);
    snprintf(docpath, sizeof docpath, "%s/doc.txt", dir);
    put_file(docpath, (const uint8_t *)draft, sizeof draft - 1);
    atexit(cleanup_all);
}

/* Errors logged since the last reset. */
static int nerrors;

static void fuzz_log(void *user, int level, const char *file,
                     const char *msg)
{
    (void)user;
    (void)file;
    FUZZ_CHECK(msg && *msg);
    if (level == ND_LOG_ERROR)
        nerrors++;
}

/* @p rc is ND_OK or one of @p allowed (0-terminated), and a failure
 * other than ND_ENOMEM was logged as an error. */
static int check_rc(int rc, const int *allowed, const char *what)
{
    static int verbose = -1;
    if (verbose < 0)
        verbose = getenv("FUZZ_VERBOSE") != NULL;
    if (verbose)
        fprintf(stderr, "%s: %s\n", what, nd_strerror(rc));
    if (rc == ND_OK)
        return 0;
    int ok = 0;
    for (const int *a = allowed; *a; a++)
        ok |= rc == *a;
    if (!ok) {
        fprintf(stderr, "%s returned %d (%s)\n", what, rc, nd_strerror(rc));
        FUZZ_CHECK(!"the return code is a documented one");
    }
    if (rc != ND_ENOMEM && !nerrors) {
        fprintf(stderr, "%s returned %d (%s) without a message\n", what, rc,
                nd_strerror(rc));
        FUZZ_CHECK(!"a failure is reported with a message");
    }
    return 1;
}

/* Contexts by stored settings: a few, reused (each builds tables). */
typedef struct cached {
    nd_ctx *ctx;
    nd_settings s;
    char regex[256], enc[64];
} cached;

static int same_str(const char *a, const char *b)
{
    return !strcmp(a ? a : "", b ? b : "");
}

static int ctx_for(const nd_settings *s, nd_ctx **out)
{
    static cached cache[4];
    static unsigned next;
    for (size_t i = 0; i < 4; i++) {
        const nd_settings *c = &cache[i].s;
        if (cache[i].ctx && c->shingle == s->shingle && c->perm == s->perm &&
            c->threshold == s->threshold &&
            c->fold_variants == s->fold_variants &&
            c->keep_punct == s->keep_punct && c->split == s->split &&
            same_str(c->split_regex, s->split_regex) &&
            same_str(c->encoding, s->encoding)) {
            *out = cache[i].ctx;
            return ND_OK;
        }
    }
    if ((s->split_regex && strlen(s->split_regex) >= 256) ||
        (s->encoding && strlen(s->encoding) >= 64))
        return ND_EINVAL; /* not cached: not worth a finding */
    cached *c = &cache[next++ % 4];
    nd_ctx_free(c->ctx);
    c->ctx = NULL;
    int rc = nd_ctx_new(&c->ctx, s);
    if (rc)
        return rc;
    c->s = *s;
    c->s.split_regex = s->split_regex ? strcpy(c->regex, s->split_regex)
                                      : NULL;
    c->s.encoding = s->encoding ? strcpy(c->enc, s->encoding) : NULL;
    *out = c->ctx;
    return ND_OK;
}

/* SQLite's own integrity check of the file (read-only). */
static int intact(void)
{
    sqlite3 *db;
    int ok = 0;
    if (sqlite3_open_v2(ixpath, &db, SQLITE_OPEN_READONLY, NULL) ==
        SQLITE_OK) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st,
                               NULL) == SQLITE_OK) {
            ok = sqlite3_step(st) == SQLITE_ROW &&
                 !strcmp((const char *)sqlite3_column_text(st, 0), "ok") &&
                 sqlite3_step(st) == SQLITE_DONE;
        }
        sqlite3_finalize(st);
    }
    sqlite3_close_v2(db);
    return ok;
}

/* Rows of files matching @p where (?1 is @p arg); -1 when unreadable. */
static int64_t count_files(const char *where, const char *arg)
{
    sqlite3 *db;
    int64_t n = -1;
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM files WHERE %s", where);
    if (sqlite3_open_v2(ixpath, &db, SQLITE_OPEN_READONLY, NULL) ==
        SQLITE_OK) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
            sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
            if (sqlite3_step(st) == SQLITE_ROW)
                n = sqlite3_column_int64(st, 0);
        }
        sqlite3_finalize(st);
    }
    sqlite3_close_v2(db);
    return n;
}

static int ratio(double x)
{
    return x >= 0 && x <= 1;
}

typedef struct seen {
    size_t records, nsources;
    const nd_source *sources;
} seen;

static int on_check(void *user, const nd_record *r)
{
    seen *s = user;
    if (!s->records++) {
        FUZZ_CHECK(r->type == ND_REC_REPORT);
        const nd_report *p = &r->u.report;
        FUZZ_CHECK(p->copied <= p->chars);
        FUZZ_CHECK(ratio(p->copy_ratio) &&
                   ratio(p->copy_ratio_excluding_boilerplate) &&
                   ratio(p->quoted_ratio) && ratio(p->template_ratio) &&
                   ratio(p->largest_source_ratio));
        for (size_t i = 0; i < p->nsources; i++)
            FUZZ_CHECK(p->sources[i].chars <= p->chars &&
                       ratio(p->sources[i].share));
        s->nsources = p->nsources;
        return 0;
    }
    FUZZ_CHECK(r->type == ND_REC_PASSAGE);
    const nd_passage *p = &r->u.passage;
    FUZZ_CHECK(p->a == 0);
    FUZZ_CHECK(p->a_start < p->a_end && p->a_end <= sizeof draft - 1);
    FUZZ_CHECK(p->b_start <= p->b_end);
    FUZZ_CHECK(p->chars > 0 && ratio(p->similarity));
    FUZZ_CHECK(p->a_text);
    return 0;
}

/* The scan's records go through the CLI's renderer, as in `neardup index
 * scan`; the pairs are checked on the way. */
static int on_scan(void *user, const nd_record *r)
{
    if (r->type == ND_REC_PAIR)
        FUZZ_CHECK(r->u.pair.a != r->u.pair.b);
    return render_record(user, r);
}

static void read_side(nd_ctx *ctx, unsigned flags)
{
    static const int open_rc[] = {ND_EIO, ND_ENOTINDEX, ND_EVERSION,
                                  ND_EPARAMS, ND_EBUSY, ND_ESTORE, ND_ENOMEM,
                                  0};
    static const int info_rc[] = {ND_ESTORE, ND_ENOTINDEX, ND_EBUSY,
                                  ND_ENOMEM, 0};
    static const int check_rc_[] = {ND_EBINARY, ND_EENCODING, ND_ETOOBIG,
                                    ND_ESTORE, ND_ENOTINDEX, ND_EBUSY,
                                    ND_ENOMEM, ND_EICU, 0};
    nd_index *ix;
    nerrors = 0;
    if (check_rc(nd_index_open(ctx, ixpath, ND_INDEX_READ, &ix), open_rc,
                 "nd_index_open(read)"))
        return;
    nd_index_info in;
    nerrors = 0;
    if (!check_rc(nd_index_info_get(ix, &in), info_rc, "nd_index_info_get"))
        FUZZ_CHECK(in.bands >= 1 && in.rows >= 1 &&
                   in.bands * in.rows <= in.settings.perm);
    seen s = {0};
    nerrors = 0;
    if (!check_rc(nd_index_check(ix, "draft.txt", draft, sizeof draft - 1,
                                 NULL, on_check, &s),
                  check_rc_, "nd_index_check"))
        FUZZ_CHECK(s.records >= 1);
    if (flags & 1) {
        nd_corpus *c = NULL;
        nerrors = 0;
        if (!check_rc(nd_index_corpus(ix, &c), check_rc_,
                      "nd_index_corpus")) {
            nd_stats st;
            static const int scan_rc[] = {ND_ENOMEM, 0};
            char *buf = NULL;
            size_t len = 0;
            renderer r = {0};
            r.out = open_memstream(&buf, &len);
            FUZZ_CHECK(r.out);
            r.ops = render_ops_of(flags & 8 ? FMT_HTML : FMT_TEXT);
            r.corpus = c;
            FUZZ_CHECK(render_begin(&r) == 0);
            nerrors = 0;
            int rc = nd_corpus_scan(c, on_scan, &r, &st);
            check_rc(rc, scan_rc, "nd_corpus_scan");
            run_info info = {st, 0, 0, 0, nd_ctx_settings(ctx), "scan"};
            FUZZ_CHECK(render_end(&r, rc ? NULL : &info) == 0);
            fclose(r.out);
            html_doc d;
            if (rc) {
                /* nothing to check */
            } else if (flags & 8) {
                FUZZ_CHECK(html_parse(buf, len, &d));
                FUZZ_CHECK(d.nscripts_json == 1 &&
                           json_valid(d.json, d.njson));
                free(d.text);
            } else {
                FUZZ_CHECK(text_clean(buf, len));
            }
            free(buf);
        }
        nd_corpus_free(c);
    }
    nd_index_close(ix);
}

static void write_side(nd_ctx *ctx, unsigned flags)
{
    static const int open_rc[] = {ND_EIO, ND_ENOTINDEX, ND_EVERSION,
                                  ND_EPARAMS, ND_EBUSY, ND_ESTORE, ND_ENOMEM,
                                  0};
    static const int add_rc[] = {ND_ESTORE, ND_ENOTINDEX, ND_EBUSY,
                                 ND_ENOMEM, 0};
    int was_intact = intact();
    nd_index *ix;
    nerrors = 0;
    if (check_rc(nd_index_open(ctx, ixpath, ND_INDEX_WRITE, &ix), open_rc,
                 "nd_index_open(write)"))
        return;
    const char *paths[] = {docpath};
    nd_index_stats st;
    nerrors = 0;
    int rc = nd_index_add(ix, paths, 1, NULL, NULL, &st);
    check_rc(rc, add_rc, "nd_index_add");
    int removed = 0, emptied = 0;
    size_t n;
    if (!rc && (flags & 4)) {
        nerrors = 0;
        removed = !check_rc(nd_index_remove(ix, docpath, &n), add_rc,
                            "nd_index_remove");
    }
    if (flags & 32) { /* every file: each stored document is deleted */
        nerrors = 0;
        emptied = !check_rc(nd_index_remove(ix, "/", &n), add_rc,
                            "nd_index_remove(/)");
    }
    nd_index_close(ix);
    if (!was_intact)
        return;
    /* A sound file stays sound, and holds what was committed. */
    FUZZ_CHECK(intact());
    if (emptied)
        FUZZ_CHECK(count_files("substr(path, 1, 1) = '/'", NULL) == 0);
    if (rc)
        return;
    /* A file that could not be read or decoded (the index's forced
     * encoding may be no encoding at all) is logged and counted, not
     * stored. */
    if (st.failed)
        FUZZ_CHECK(count_files("path = ?1", docpath) <= 1);
    else
        FUZZ_CHECK(count_files("path = ?1", docpath) ==
                   !(removed || emptied));
    nerrors = 0;
    FUZZ_OK(nd_index_open(ctx, ixpath, ND_INDEX_READ, &ix));
    nd_index_close(ix);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size)
        return 0;
    setup();
    unsigned flags = data[0];
    cleanup();
    const uint8_t *db = data + 1, *wal = NULL;
    size_t ndb = size - 1, nwal = 0;
    if ((flags & 16) && ndb >= 2) { /* the file's length, then its -wal */
        size_t n = (size_t)db[0] | (size_t)db[1] << 8;
        db += 2;
        ndb -= 2;
        if (n < ndb) {
            wal = db + n;
            nwal = ndb - n;
            ndb = n;
        }
    }
    put_file(ixpath, db, ndb);
    if (wal) {
        char p[128];
        snprintf(p, sizeof p, "%s-wal", ixpath);
        put_file(p, wal, nwal);
    }

    static const int settings_rc[] = {ND_EIO, ND_ENOTINDEX, ND_EVERSION,
                                      ND_ESTORE, ND_EBUSY, ND_ENOMEM, 0};
    static const int ctx_rc[] = {ND_EINVAL, ND_EICU, ND_ENOMEM, 0};
    nd_settings s;
    nd_default_settings(&s);
    s.threads = 1;
    s.log = fuzz_log;
    char *strings = NULL;
    nerrors = 0;
    if (check_rc(nd_index_settings(ixpath, &s, &strings), settings_rc,
                 "nd_index_settings")) {
        nd_free(strings);
        cleanup();
        return 0;
    }
    nd_ctx *ctx = NULL;
    nerrors = 0;
    int rc = ctx_for(&s, &ctx);
    nd_free(strings);
    if (rc == ND_EINVAL && !nerrors) /* a name too long for the cache */
        nerrors = 1;
    if (!check_rc(rc, ctx_rc, "nd_ctx_new")) {
        read_side(ctx, flags);
        if (flags & 2)
            write_side(ctx, flags);
    }
    cleanup();
    return 0;
}
