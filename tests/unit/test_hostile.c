/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Files that change between listing and reading.  A folder's files are
 * listed first and read afterwards in path order; the progress callback
 * runs between the two (before the first batch is read), and there it
 * deletes b.txt and shortens c.txt.  The corpus must then name b.txt with
 * its reason, count it, keep going, and describe c.txt as it is when read
 * (offsets inside its new size).  a.txt holds an invalid byte (a warning,
 * counted too).
 */
#include "test.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nd/nd.h>

#include "util.h"

#define TEXT "清理河道的行动持续了三天，附近的居民都来帮忙。"
#define SHORT "三天。"

static char root[256];
static int acted;
static char logged[4096];

static const char *path_of(const char *rel)
{
    static char p[4][320];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", root, rel);
    return p[k];
}

static void put(const char *rel, const char *data, size_t n)
{
    FILE *f = fopen(path_of(rel), "wb");
    CHECK(f && fwrite(data, 1, n, f) == n && fclose(f) == 0);
}

static void on_log(void *user, int level, const char *file, const char *msg)
{
    (void)user;
    (void)level;
    size_t n = strlen(logged);
    snprintf(logged + n, sizeof logged - n, "%s: %s\n", file ? file : "-",
             msg);
}

static void on_progress(void *user, int stage, uint64_t done, uint64_t total,
                        uint64_t bytes)
{
    (void)user;
    (void)bytes;
    if (!acted && stage == ND_STAGE_READ && done == 0 && total == 4) {
        acted = 1;
        CHECK(unlink(path_of("b.txt")) == 0);
        put("c.txt", SHORT, strlen(SHORT));
    }
}

int main(void)
{
    snprintf(root, sizeof root, "%s/nd_hostile.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    CHECK(mkdtemp(root));
    put("a.txt", TEXT TEXT TEXT "\xff" TEXT, strlen(TEXT) * 4 + 1);
    put("b.txt", TEXT, strlen(TEXT));
    put("c.txt", TEXT TEXT TEXT, strlen(TEXT) * 3);
    put("d.txt", TEXT, strlen(TEXT));

    nd_settings s;
    nd_default_settings(&s);
    s.log = on_log;
    s.progress = on_progress;
    nd_ctx *ctx;
    nd_corpus *c;
    CHECK_EQ_INT(nd_ctx_new(&ctx, &s), ND_OK);
    CHECK_EQ_INT(nd_corpus_new(ctx, &c), ND_OK);
    CHECK_EQ_INT(nd_corpus_add_path(c, root), ND_OK); /* a folder */
    CHECK(acted);
    /* a.txt's invalid byte and the vanished b.txt */
    CHECK_EQ_INT(nd_corpus_skipped(c), 2);
    char want[400];
    snprintf(want, sizeof want, "%s: skipped: %s", path_of("b.txt"),
             strerror(ENOENT));
    if (!strstr(logged, want)) {
        fprintf(stderr, "log:\n%s\nwant: %s\n", logged, want);
        CHECK(!"the vanished file is named with its reason");
    }
    CHECK_EQ_INT(nd_corpus_size(c), 3);
    const nd_document *d = nd_corpus_document(c, 1);
    CHECK_STR(d->file, path_of("c.txt"));
    CHECK_EQ_INT(d->start, 0);
    CHECK_EQ_INT(d->end, strlen(SHORT));
    nd_text t;
    CHECK_EQ_INT(nd_corpus_text(c, 1, &t), ND_OK);
    CHECK_EQ_INT(t.n, 2); /* 三天 */
    CHECK(t.end[1] <= strlen(SHORT));
    CHECK_STR(nd_corpus_document(c, 2)->file, path_of("d.txt"));

    nd_corpus_free(c);
    nd_ctx_free(ctx);
    unlink(path_of("a.txt"));
    unlink(path_of("c.txt"));
    unlink(path_of("d.txt"));
    rmdir(root);
    return 0;
}
