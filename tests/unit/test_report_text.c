/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * The passages' original texts, which a scan reads again from the files
 * when it reports: with several threads it reads them a window ahead on
 * the workers.  On a chain of files, each sharing a passage with the next
 * (enough passages for several windows), the texts are the files' bytes
 * at the reported offsets; a file changed after it was read (one in 100,
 * spread over the windows and so over the threads) has its texts left
 * empty, with one warning naming it, logged on the calling thread;
 * and the records are the same bytes on 1, 2 and 3 threads.
 */
#include "test.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nd/nd.h>

#include "util.h"

#define NFILES 8300 /* 8299 passages, 16598 texts: two windows */
#define FILL 60     /* random characters around the passages */
#define SHARED 45   /* characters of a shared passage */
#define CHANGED(i) ((i) % 100 == 7) /* files changed after reading */
#define NCHANGED 83

static char root[256];
static uint64_t seed = 11;

/* The number of file @p path, whose name is path_of(number). */
static size_t number_of(const char *path)
{
    const char *n = strrchr(path, '/');
    CHECK(n && n[1] == 'f');
    return (size_t)strtoul(n + 2, NULL, 10);
}

static const char *path_of(size_t i)
{
    static char p[320];
    snprintf(p, sizeof p, "%s/f%04zu.txt", root, i);
    return p;
}

static void rand_text(nd_buf *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        CHECK(nd_buf_add_cp(b, 0x4E00 + (uint32_t)(test_rand(&seed) %
                                                     6000)) == ND_OK);
}

/* Passage i (shared by files i and i + 1). */
static nd_buf passage[NFILES];

static void write_files(void)
{
    for (size_t i = 0; i + 1 < NFILES; i++)
        rand_text(&passage[i], SHARED);
    for (size_t i = 0; i < NFILES; i++) {
        nd_buf b = {0};
        rand_text(&b, FILL);
        if (i)
            CHECK(nd_buf_add(&b, passage[i - 1].s, passage[i - 1].n) == 0);
        rand_text(&b, FILL);
        if (i + 1 < NFILES)
            CHECK(nd_buf_add(&b, passage[i].s, passage[i].n) == 0);
        rand_text(&b, FILL);
        FILE *f = fopen(path_of(i), "wb");
        CHECK(f && fwrite(b.s, 1, b.n, f) == b.n && fclose(f) == 0);
        nd_buf_free(&b);
    }
}

/* A file's bytes [start, end) as they are on disk. */
static char *bytes_of(const char *path, uint64_t start, uint64_t end)
{
    FILE *f = fopen(path, "rb");
    CHECK(f);
    char *s = calloc(1, (size_t)(end - start) + 1);
    CHECK(s && fseek(f, (long)start, SEEK_SET) == 0);
    CHECK(fread(s, 1, (size_t)(end - start), f) == end - start);
    fclose(f);
    return s;
}

typedef struct run {
    nd_buf dump;    /* every passage record */
    size_t passages, empty, warnings, other_thread;
    pthread_t caller;
    const nd_corpus *c;
} run;

static void on_log(void *user, int level, const char *file, const char *msg)
{
    run *r = user;
    if (!pthread_equal(pthread_self(), r->caller))
        r->other_thread++;
    if (level == ND_LOG_WARN && strstr(msg, "changed or removed")) {
        r->warnings++;
        CHECK(CHANGED(number_of(file)));
    }
}

static int collect(void *user, const nd_record *rec)
{
    run *r = user;
    if (rec->type != ND_REC_PASSAGE)
        return 0;
    const nd_passage *p = &rec->u.passage;
    const char *fa = nd_corpus_document(r->c, p->a)->file;
    const char *fb = nd_corpus_document(r->c, p->b)->file;
    r->passages++;
    CHECK(nd_buf_addf(&r->dump, "%s %llu %llu %s %llu %llu [%s] [%s]\n", fa,
                      (unsigned long long)p->a_start,
                      (unsigned long long)p->a_end, fb,
                      (unsigned long long)p->b_start,
                      (unsigned long long)p->b_end, p->a_text,
                      p->b_text) == ND_OK);
    /* Neighbours share one passage, whole (a random character next to
     * it may match too). */
    CHECK(p->chars >= SHARED && p->chars <= SHARED + 2);
    CHECK(p->a_end - p->a_start == 3 * (uint64_t)p->chars);
    int ca = CHANGED(number_of(fa)), cb = CHANGED(number_of(fb));
    int touched = ca || cb;
    if (touched) { /* left out, both sides: the pair's texts go together */
        r->empty++;
        CHECK(!strcmp(p->a_text, "") || !strcmp(p->b_text, ""));
    }
    if (!ca) {
        char *want = bytes_of(fa, p->a_start, p->a_end);
        CHECK_STR(p->a_text, want);
        free(want);
    }
    if (!cb) {
        char *want = bytes_of(fb, p->b_start, p->b_end);
        CHECK_STR(p->b_text, want);
        free(want);
    }
    return 0;
}

static void scan_on(int threads, run *r)
{
    memset(r, 0, sizeof *r);
    r->caller = pthread_self();
    nd_settings s;
    nd_default_settings(&s);
    s.threads = threads;
    s.log = on_log;
    s.log_user = r;
    nd_ctx *ctx;
    nd_corpus *c;
    CHECK_EQ_INT(nd_ctx_new(&ctx, &s), ND_OK);
    CHECK_EQ_INT(nd_corpus_new(ctx, &c), ND_OK);
    r->c = c;
    write_files();
    CHECK_EQ_INT(nd_corpus_add_path(c, root), ND_OK);
    CHECK_EQ_INT(nd_corpus_size(c), NFILES);
    /* Changed after reading: one character more at the end. */
    for (size_t i = 0; i < NFILES; i++)
        if (CHANGED(i)) {
            FILE *f = fopen(path_of(i), "ab");
            CHECK(f && fputc('x', f) == 'x' && fclose(f) == 0);
        }
    nd_stats st;
    CHECK_EQ_INT(nd_corpus_scan(c, collect, r, &st), ND_OK);
    CHECK_EQ_INT(r->passages, NFILES - 1);
    CHECK_EQ_INT(r->empty, 2 * NCHANGED); /* (i - 1, i) and (i, i + 1) */
    CHECK_EQ_INT(r->warnings, NCHANGED);
    CHECK_EQ_INT(r->other_thread, 0);
    nd_corpus_free(c);
    nd_ctx_free(ctx);
}

int main(void)
{
    snprintf(root, sizeof root, "%s/nd_report.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    CHECK(mkdtemp(root));
    run one, two, three;
    scan_on(1, &one);
    seed = 11; /* the same files again */
    for (size_t i = 0; i < NFILES; i++)
        nd_buf_free(&passage[i]);
    scan_on(2, &two);
    seed = 11;
    for (size_t i = 0; i < NFILES; i++)
        nd_buf_free(&passage[i]);
    scan_on(3, &three);
    CHECK_EQ_INT(one.dump.n, two.dump.n);
    CHECK(!memcmp(one.dump.s, two.dump.s, one.dump.n));
    CHECK_EQ_INT(one.dump.n, three.dump.n);
    CHECK(!memcmp(one.dump.s, three.dump.s, one.dump.n));
    nd_buf_free(&one.dump);
    nd_buf_free(&two.dump);
    nd_buf_free(&three.dump);
    for (size_t i = 0; i < NFILES; i++) {
        nd_buf_free(&passage[i]);
        unlink(path_of(i));
    }
    rmdir(root);
    printf("report_text: all tests passed\n");
    return 0;
}
