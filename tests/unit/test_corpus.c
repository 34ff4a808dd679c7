/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Tests for the corpus through the public API only (nd/nd.h).  The main
 * one is the round-trip property of byte offsets: for a directory of files
 * in every encoding and shape the ingester handles (BOMs, UTF-16, GB18030,
 * Big5, broken UTF-8, empty, no final newline, CRLF, full-width,
 * Traditional, combining marks, emoji), every normalized character of
 * every document has a byte range inside its document, ranges never go
 * backwards, and the original bytes of that range, decoded and normalized
 * again on their own, give that character.  Also: binary and missing
 * inputs are logged and counted, results are deterministic, and the same
 * text in GB18030, Big5 and UTF-8 normalizes alike.
 */
#include "test.h"

#include <sys/stat.h>
#include <unistd.h>

#include <unicode/ucnv.h>
#include <unicode/ustring.h>

#include "nd/nd.h"
#include "texts.h"

#define HANS HANS1 HANS2 "\n" HANS3 "\n"
#define HANT HANT1 HANT2 "\n" HANT3 "\n"

/* A file of two speeches, each a title line, a salutation and a body;
 * with full-width letters, an emoji and a decomposed é inside. */
static const char two_speeches[] =
    "在全县春季农业生产工作会议上的讲话\n"
    "同志们：\n"
    HANS1 "今年第１季度，ＡＢＣ合作社的产值增长了１５％😀。\n"
    HANS2 "\n"
    "\n"
    "在青年干部座谈会上的发言\n"
    "尊敬的各位领导，同志们：\n"
    HANS3 "我们去了一家cafe\xCC\x81，也读了一篇résumé。\n" HANS1 "\n";

/* ------------------------------------------------------------------ */
/* Helpers                                                              */

static char tmp_root[256];

/* Remove the temporary tree, also when a check fails (atexit). */
static void rm_tmp(void)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp_root);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmp_root);
}

static char *path_of(const char *rel)
{
    static char p[8][512];
    static int k;
    k = (k + 1) % 8;
    snprintf(p[k], sizeof p[k], "%s/%s", tmp_root, rel);
    return p[k];
}

static void write_file(const char *rel, const void *data, size_t len)
{
    FILE *f = fopen(path_of(rel), "wb");
    CHECK(f);
    CHECK(fwrite(data, 1, len, f) == len);
    CHECK(fclose(f) == 0);
}

static void write_str(const char *rel, const char *s)
{
    write_file(rel, s, strlen(s));
}

/* Write UTF-8 @p text as UTF-16 with a BOM. */
static void write_utf16(const char *rel, const char *text, int be)
{
    UErrorCode e = U_ZERO_ERROR;
    int32_t cap = (int32_t)strlen(text) + 1, nu;
    UChar *u = malloc((size_t)cap * sizeof *u);
    uint8_t *b = malloc(2 * (size_t)cap + 2);
    CHECK(u && b);
    u_strFromUTF8(u, cap, &nu, text, -1, &e);
    CHECK(U_SUCCESS(e));
    b[0] = be ? 0xFE : 0xFF;
    b[1] = be ? 0xFF : 0xFE;
    for (int32_t i = 0; i < nu; i++) {
        b[2 + 2 * i + (be ? 1 : 0)] = (uint8_t)(u[i] & 0xFF);
        b[2 + 2 * i + (be ? 0 : 1)] = (uint8_t)(u[i] >> 8);
    }
    write_file(rel, b, 2 + 2 * (size_t)nu);
    free(u);
    free(b);
}

/* Write UTF-8 @p text in @p charset (every character representable). */
static void write_charset(const char *rel, const char *text,
                          const char *charset)
{
    UErrorCode e = U_ZERO_ERROR;
    int32_t cap = (int32_t)strlen(text) + 1, nu;
    UChar *u = malloc((size_t)cap * sizeof *u);
    CHECK(u);
    u_strFromUTF8(u, cap, &nu, text, -1, &e);
    CHECK(U_SUCCESS(e));
    UConverter *cv = ucnv_open(charset, &e);
    CHECK(U_SUCCESS(e));
    ucnv_setFromUCallBack(cv, UCNV_FROM_U_CALLBACK_STOP, NULL, NULL, NULL,
                          &e);
    char *b = malloc(4 * (size_t)nu + 8);
    CHECK(b);
    int32_t n = ucnv_fromUChars(cv, b, 4 * nu + 8, u, nu, &e);
    CHECK(U_SUCCESS(e));
    ucnv_close(cv);
    write_file(rel, b, (size_t)n);
    free(b);
    free(u);
}

static uint8_t *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    CHECK(f);
    CHECK(fseek(f, 0, SEEK_END) == 0);
    long n = ftell(f);
    CHECK(n >= 0);
    rewind(f);
    uint8_t *b = malloc((size_t)n + 1);
    CHECK(b);
    CHECK(fread(b, 1, (size_t)n, f) == (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return b;
}

typedef struct log_entry {
    int level;
    char file[512];
    char msg[512];
} log_entry;

static log_entry logs[64];
static size_t nlogs;

static void capture_log(void *user, int level, const char *file,
                        const char *msg)
{
    (void)user;
    if (nlogs == sizeof logs / sizeof *logs)
        return;
    logs[nlogs].level = level;
    snprintf(logs[nlogs].file, sizeof logs[nlogs].file, "%s",
             file ? file : "");
    snprintf(logs[nlogs].msg, sizeof logs[nlogs].msg, "%s", msg);
    nlogs++;
}

/* The log entry about @p file, which must exist and contain @p word. */
static const log_entry *log_about(const char *file, const char *word)
{
    for (size_t i = 0; i < nlogs; i++)
        if (!strcmp(logs[i].file, file) && strstr(logs[i].msg, word))
            return &logs[i];
    fprintf(stderr, "no log entry for %s containing \"%s\"; got:\n", file,
            word);
    for (size_t i = 0; i < nlogs; i++)
        fprintf(stderr, "  %s: %s\n", logs[i].file, logs[i].msg);
    CHECK(0);
    return NULL;
}

static nd_ctx *make_ctx2(int split, const char *encoding, int keep_punct)
{
    nd_settings s;
    nd_default_settings(&s);
    s.split = split;
    s.keep_punct = keep_punct;
    s.encoding = encoding;
    s.log = capture_log;
    nd_ctx *ctx;
    CHECK_EQ_INT(nd_ctx_new(&ctx, &s), ND_OK);
    return ctx;
}

static nd_ctx *make_ctx(int split, const char *encoding)
{
    return make_ctx2(split, encoding, 0);
}

/* Contexts that decode with a forced encoding, one per name and
 * keep_punct setting, to normalize raw byte ranges again. */
static struct {
    char name[64];
    int keep_punct;
    nd_ctx *ctx;
} forced[16];

static nd_ctx *forced_ctx(const char *encoding, int keep_punct)
{
    size_t i = 0;
    for (; i < 16 && forced[i].ctx; i++)
        if (!strcmp(forced[i].name, encoding) &&
            forced[i].keep_punct == keep_punct)
            return forced[i].ctx;
    CHECK(i < 16);
    snprintf(forced[i].name, sizeof forced[i].name, "%s", encoding);
    forced[i].keep_punct = keep_punct;
    forced[i].ctx = make_ctx2(ND_SPLIT_NONE, encoding, keep_punct);
    return forced[i].ctx;
}

/* Normalize @p len bytes as one document of a fresh corpus of @p ctx and
 * say whether code point @p c is in the result. */
static int renormalized_has(nd_ctx *ctx, const void *data, size_t len,
                            uint32_t c)
{
    nd_corpus *k;
    CHECK_EQ_INT(nd_corpus_new(ctx, &k), ND_OK);
    CHECK_EQ_INT(nd_corpus_add_memory(k, "piece", data, len), ND_OK);
    CHECK_EQ_INT(nd_corpus_size(k), 1);
    nd_text t;
    CHECK_EQ_INT(nd_corpus_text(k, 0, &t), ND_OK);
    int found = 0;
    for (size_t i = 0; i < t.n && !found; i++)
        found = t.cp[i] == c;
    nd_corpus_free(k);
    return found;
}

/* Copy a corpus' text of document @p id into a UTF-32 string. */
static size_t text_of(const nd_corpus *c, uint32_t id, uint32_t *out,
                      size_t cap)
{
    nd_text t;
    CHECK_EQ_INT(nd_corpus_text(c, id, &t), ND_OK);
    CHECK(t.n <= cap);
    memcpy(out, t.cp, t.n * sizeof *out);
    return t.n;
}

/* The document whose file path ends in @p name (the first, or ordinal). */
static uint32_t doc_of(const nd_corpus *c, const char *name, uint32_t ord)
{
    for (uint32_t i = 0; i < nd_corpus_size(c); i++) {
        const nd_document *d = nd_corpus_document(c, i);
        size_t lf = strlen(d->file), ln = strlen(name);
        if (lf >= ln && !strcmp(d->file + lf - ln, name) && d->ordinal == ord)
            return i;
    }
    fprintf(stderr, "no document %s#%u\n", name, ord);
    CHECK(0);
    return 0;
}

/* ------------------------------------------------------------------ */
/* The test files                                                       */

static void make_files(void)
{
    write_str("01_plain.txt", two_speeches);
    char bom[4096];
    snprintf(bom, sizeof bom, "\xEF\xBB\xBF%s", HANS);
    write_str("02_bom.txt", bom);
    write_utf16("03_utf16le.txt",
                "标题😀\n正文：Ａ１，學習。résumé👍🏽\n" HANS1 "\n", 0);
    write_utf16("04_utf16be.txt",
                "标题😀\n正文：Ａ１，學習。re\xCC\x81sume\xCC\x81\n" HANS2,
                1);
    write_charset("05_gb18030.txt", HANS "㐀字€😀\n", "GB18030");
    write_charset("06_big5.txt", HANT, "Big5");
    /* Broken UTF-8 in the middle: a truncated sequence, a stray byte. */
    char bad[4096];
    int n = snprintf(bad, sizeof bad, "%s\xE5\xAD%s\x80%s", HANS1, HANS2,
                     HANS3);
    write_file("07_bad_utf8.txt", bad, (size_t)n);
    write_str("08_empty.txt", "");
    write_str("09_no_newline.txt", "没有换行的最后一行，Ｅｎｄ");
    write_str("10_crlf.txt", "第一行的内容\r\n第二行，ＣＲＬＦ\r\n"
                             "最后一行\r\n");
    write_str("11_fullwidth.txt",
              "ＡＢＣ公司２０２６年第１季度ｱｲｳﾞ报告，ｶﾞｽ费用①㍿\n");
    write_str("12_traditional.txt", "學習貫徹會議精神，這是我們的責任。\n"
                                    "臺灣同胞與大陸同胞\n");
    write_str("13_marks.txt", "Cafe\xCC\x81 re\xCC\x81sume\xCC\x81 "
                              "A\xCC\x8Angstro\xCC\x88m Ångström "
                              "a\xCC\xA3\xCC\x82 ﬁne Straße\n");
    write_str("14_emoji.txt", "大家好😀！今天👍🏽天气❤️不错🇨🇳。"
                              "👨‍👩‍👧一家人\n");
    write_str("15_hans.txt", HANS);
    static const uint8_t png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A,
                                  '\n', 0, 0, 0, '\r', 'I', 'H', 'D', 'R',
                                  0, 0, 1, 0};
    write_file("16_binary.png", png, sizeof png);
}

/* ------------------------------------------------------------------ */
/* Tests                                                                */

/* The round-trip property for every character of every document. */
static void check_round_trip(const nd_corpus *c, int keep_punct)
{
    nd_ctx *utf8 = forced_ctx("UTF-8", keep_punct);
    size_t checked = 0;
    for (uint32_t id = 0; id < nd_corpus_size(c); id++) {
        const nd_document *d = nd_corpus_document(c, id);
        CHECK(d != NULL);
        CHECK_EQ_INT(d->id, id);
        CHECK(d->start <= d->end);
        size_t flen;
        uint8_t *raw = read_all(d->file, &flen);
        CHECK(d->end <= flen);
        nd_text t;
        CHECK_EQ_INT(nd_corpus_text(c, id, &t), ND_OK);
        CHECK_EQ_INT(t.n, d->chars);
        for (size_t i = 0; i < t.n; i++) {
            uint32_t s = t.start[i], e = t.end[i];
            if (!(d->start <= s && s < e && e <= d->end)) {
                fprintf(stderr, "%s#%u char %zu U+%04X: [%u, %u) outside "
                        "[%llu, %llu)\n", d->file, d->ordinal, i, t.cp[i],
                        s, e, (unsigned long long)d->start,
                        (unsigned long long)d->end);
                CHECK(0);
            }
            if (i) {
                CHECK(s >= t.start[i - 1]);
                CHECK(e >= t.end[i - 1]);
            }
            /* The original text of the range, normalized alone. */
            char *orig = NULL;
            CHECK_EQ_INT(nd_corpus_slice(c, id, s, e, &orig), ND_OK);
            int ok = renormalized_has(utf8, orig, strlen(orig), t.cp[i]);
            /* The raw bytes of the range, decoded as the file was. */
            int ok_raw = renormalized_has(forced_ctx(d->encoding,
                                                     keep_punct), raw + s,
                                          e - s, t.cp[i]);
            if (!ok || !ok_raw)
                fprintf(stderr, "%s (%s) char %zu U+%04X from [%u, %u) = "
                        "\"%s\": slice %d, raw bytes %d\n", d->file,
                        d->encoding, i, t.cp[i], s, e, orig, ok, ok_raw);
            CHECK(ok && ok_raw);
            nd_free(orig);
            checked++;
        }
        free(raw);
    }
    CHECK(checked > 1000);
}

/* Documents of one file are contiguous and cover the file (after a
 * BOM); titles carry no line break. */
static void check_documents(const nd_corpus *c)
{
    for (uint32_t id = 0; id < nd_corpus_size(c); id++) {
        const nd_document *d = nd_corpus_document(c, id);
        const nd_document *p = id ? nd_corpus_document(c, id - 1) : NULL;
        size_t flen;
        uint8_t *raw = read_all(d->file, &flen);
        if (!p || strcmp(p->file, d->file)) {
            CHECK_EQ_INT(d->ordinal, 0);
            size_t skip = flen >= 3 && !memcmp(raw, "\xEF\xBB\xBF", 3) ? 3
                          : flen >= 2 && (!memcmp(raw, "\xFF\xFE", 2) ||
                                          !memcmp(raw, "\xFE\xFF", 2)) ? 2
                          : 0;
            CHECK_EQ_INT(d->start, skip);
        } else {
            CHECK_EQ_INT(d->ordinal, p->ordinal + 1);
            CHECK_EQ_INT(d->start, p->end);
        }
        const nd_document *nx = nd_corpus_document(c, id + 1);
        if (!nx || strcmp(nx->file, d->file))
            CHECK_EQ_INT(d->end, flen);
        CHECK(d->title != NULL);
        CHECK(strchr(d->title, '\r') == NULL);
        CHECK(strchr(d->title, '\n') == NULL);
        free(raw);
    }
}

/* Returns what nd_corpus_add_path said for the directory, checked last. */
static int test_directory(void)
{
    nd_ctx *ctx = make_ctx(ND_SPLIT_AUTO, NULL);
    nd_corpus *c;
    CHECK_EQ_INT(nd_corpus_new(ctx, &c), ND_OK);
    nlogs = 0;
    /* Checked last, so that a failure here does not hide the rest. */
    int add_rc = nd_corpus_add_path(c, tmp_root);

    /* The binary file is skipped with a warning naming it; the broken
     * UTF-8 file is read, warned about and counted. */
    const log_entry *l = log_about(path_of("16_binary.png"), "binary");
    CHECK_EQ_INT(l->level, ND_LOG_WARN);
    l = log_about(path_of("07_bad_utf8.txt"), "UTF-8");
    CHECK_EQ_INT(l->level, ND_LOG_WARN);
    char at[64];
    snprintf(at, sizeof at, "byte %zu", strlen(HANS1));
    log_about(path_of("07_bad_utf8.txt"), at);
    CHECK_EQ_INT(nd_corpus_skipped(c), 2);
    for (uint32_t i = 0; i < nd_corpus_size(c); i++)
        CHECK(strstr(nd_corpus_document(c, i)->file, "binary") == NULL);

    /* One document per file, two for the file of two speeches. */
    CHECK_EQ_INT(nd_corpus_size(c), 16);
    uint32_t first = doc_of(c, "01_plain.txt", 0);
    uint32_t second = doc_of(c, "01_plain.txt", 1);
    CHECK_EQ_INT(first, 0);
    CHECK_EQ_INT(second, 1);
    CHECK_STR(nd_corpus_document(c, first)->title,
              "在全县春季农业生产工作会议上的讲话");
    CHECK_STR(nd_corpus_document(c, second)->title,
              "在青年干部座谈会上的发言");

    /* Encodings found. */
    static const struct {
        const char *file, *enc;
    } encs[] = {
        {"01_plain.txt", "UTF-8"},      {"02_bom.txt", "UTF-8"},
        {"03_utf16le.txt", "UTF-16LE"}, {"04_utf16be.txt", "UTF-16BE"},
        {"05_gb18030.txt", "GB18030"},  {"06_big5.txt", "Big5"},
        {"07_bad_utf8.txt", "UTF-8"},   {"08_empty.txt", "UTF-8"},
        {"10_crlf.txt", "UTF-8"},
    };
    for (size_t i = 0; i < sizeof encs / sizeof *encs; i++) {
        const nd_document *d =
            nd_corpus_document(c, doc_of(c, encs[i].file, 0));
        if (ucnv_compareNames(d->encoding, encs[i].enc))
            fprintf(stderr, "%s: %s\n", d->file, d->encoding);
        CHECK(ucnv_compareNames(d->encoding, encs[i].enc) == 0);
    }

    /* Small files, exactly. */
    const nd_document *d = nd_corpus_document(c, doc_of(c, "08_empty.txt",
                                                         0));
    CHECK_EQ_INT(d->start, 0);
    CHECK_EQ_INT(d->end, 0);
    CHECK_EQ_INT(d->chars, 0);
    CHECK_STR(d->title, "");
    uint32_t cps[4096];
    uint32_t id = doc_of(c, "09_no_newline.txt", 0);
    size_t n = text_of(c, id, cps, 4096);
    CHECK_EQ_INT(n, 12);
    CHECK_EQ_INT(cps[11], 'd');
    nd_text t;
    nd_corpus_text(c, id, &t);
    CHECK_EQ_INT(t.end[11], strlen("没有换行的最后一行，Ｅｎｄ"));
    id = doc_of(c, "10_crlf.txt", 0);
    CHECK_STR(nd_corpus_document(c, id)->title, "第一行的内容");
    n = text_of(c, id, cps, 4096);
    CHECK_EQ_INT(n, 17); /* 6 + 3 + 4 + 4: no CR, LF or comma */
    CHECK_EQ_INT(cps[9], 'c');
    id = doc_of(c, "14_emoji.txt", 0);
    n = text_of(c, id, cps, 4096);
    CHECK_EQ_INT(n, 12);
    id = doc_of(c, "12_traditional.txt", 0);
    n = text_of(c, id, cps, 4096);
    CHECK_EQ_INT(cps[0], 0x5B66); /* 學 -> 学 */
    CHECK_EQ_INT(cps[1], 0x4E60); /* 習 -> 习 */

    /* The whole text of the BOM file, sliced back, is the original. */
    id = doc_of(c, "02_bom.txt", 0);
    d = nd_corpus_document(c, id);
    CHECK_EQ_INT(d->start, 3);
    char *s;
    CHECK_EQ_INT(nd_corpus_slice(c, id, d->start, d->end, &s), ND_OK);
    CHECK_STR(s, HANS);
    nd_free(s);
    id = doc_of(c, "05_gb18030.txt", 0);
    d = nd_corpus_document(c, id);
    CHECK_EQ_INT(nd_corpus_slice(c, id, d->start, d->end, &s), ND_OK);
    CHECK_STR(s, HANS "㐀字€😀\n");
    nd_free(s);
    id = doc_of(c, "06_big5.txt", 0);
    d = nd_corpus_document(c, id);
    CHECK_EQ_INT(nd_corpus_slice(c, id, d->start, d->end, &s), ND_OK);
    CHECK_STR(s, HANT);
    nd_free(s);
    CHECK_EQ_INT(nd_corpus_slice(c, id, d->end, d->end + 1, &s), ND_EINVAL);
    CHECK(s == NULL);
    CHECK_EQ_INT(nd_corpus_slice(c, id, 4, 2, &s), ND_EINVAL);

    /* The same text in UTF-8, GB18030 and Big5 (Traditional) normalizes
     * to the same characters. */
    static uint32_t a[4096], b[4096];
    size_t na = text_of(c, doc_of(c, "15_hans.txt", 0), a, 4096);
    size_t nb = text_of(c, doc_of(c, "02_bom.txt", 0), b, 4096);
    CHECK_EQ_INT(na, nb);
    CHECK(!memcmp(a, b, na * sizeof *a));
    nb = text_of(c, doc_of(c, "05_gb18030.txt", 0), b, 4096);
    CHECK_EQ_INT(nb, na + 2); /* 㐀字; € and the emoji are symbols */
    CHECK(!memcmp(a, b, na * sizeof *a));
    nb = text_of(c, doc_of(c, "06_big5.txt", 0), b, 4096);
    size_t diff = na == nb ? 0 : 1;
    for (size_t i = 0; !diff && i < na; i++)
        if (a[i] != b[i]) {
            fprintf(stderr, "Big5 text differs at %zu: U+%04X vs U+%04X\n",
                    i, b[i], a[i]);
            diff = 1;
        }
    CHECK_EQ_INT(diff, 0);

    check_documents(c);
    check_round_trip(c, 0);

    /* The same input twice gives identical documents and texts. */
    nd_corpus *c2;
    CHECK_EQ_INT(nd_corpus_new(ctx, &c2), ND_OK);
    CHECK_EQ_INT(nd_corpus_add_path(c2, tmp_root), add_rc);
    CHECK_EQ_INT(nd_corpus_size(c2), nd_corpus_size(c));
    CHECK_EQ_INT(nd_corpus_skipped(c2), nd_corpus_skipped(c));
    for (uint32_t i = 0; i < nd_corpus_size(c); i++) {
        const nd_document *x = nd_corpus_document(c, i);
        const nd_document *y = nd_corpus_document(c2, i);
        CHECK_STR(x->file, y->file);
        CHECK_STR(x->title, y->title);
        CHECK_STR(x->encoding, y->encoding);
        CHECK_EQ_INT(x->start, y->start);
        CHECK_EQ_INT(x->end, y->end);
        CHECK_EQ_INT(x->chars, y->chars);
        nd_text tx, ty;
        nd_corpus_text(c, i, &tx);
        nd_corpus_text(c2, i, &ty);
        CHECK_EQ_INT(tx.n, ty.n);
        if (!tx.n) /* an empty document has no arrays */
            continue;
        CHECK(!memcmp(tx.cp, ty.cp, tx.n * sizeof *tx.cp));
        CHECK(!memcmp(tx.start, ty.start, tx.n * sizeof *tx.start));
        CHECK(!memcmp(tx.end, ty.end, tx.n * sizeof *tx.end));
        /* Released (twice: the second has nothing to free), the arrays
         * are built again the same. */
        nd_corpus_text_release(c, i);
        nd_corpus_text_release(c, i);
        CHECK_EQ_INT(nd_corpus_text(c, i, &tx), ND_OK);
        CHECK_EQ_INT(tx.n, ty.n);
        CHECK(!memcmp(tx.cp, ty.cp, tx.n * sizeof *tx.cp));
        CHECK(!memcmp(tx.start, ty.start, tx.n * sizeof *tx.start));
        CHECK(!memcmp(tx.end, ty.end, tx.n * sizeof *tx.end));
    }
    nd_corpus_text_release(c, (uint32_t)nd_corpus_size(c)); /* no such */
    CHECK(nd_corpus_document(c, (uint32_t)nd_corpus_size(c)) == NULL);
    CHECK_EQ_INT(nd_corpus_text(c, (uint32_t)nd_corpus_size(c), &t),
                 ND_EINVAL);
    nd_corpus_free(c2);
    nd_corpus_free(c);
    nd_ctx_free(ctx);
    return add_rc;
}

/* The same properties with punctuation and symbols kept, and with the
 * other split modes. */
static void test_settings(void)
{
    static const int modes[][2] = {{ND_SPLIT_NONE, 1}, {ND_SPLIT_BLANK, 1},
                                   {ND_SPLIT_BLANK, 0}};
    for (size_t m = 0; m < sizeof modes / sizeof *modes; m++) {
        nd_ctx *ctx = make_ctx2(modes[m][0], NULL, modes[m][1]);
        nd_corpus *c;
        CHECK_EQ_INT(nd_corpus_new(ctx, &c), ND_OK);
        CHECK_EQ_INT(nd_corpus_add_path(c, tmp_root), ND_OK);
        /* One document per file, but two speeches apart after a blank
         * line in 01_plain.txt. */
        CHECK_EQ_INT(nd_corpus_size(c),
                     modes[m][0] == ND_SPLIT_NONE ? 15 : 16);
        check_documents(c);
        check_round_trip(c, modes[m][1]);
        nd_corpus_free(c);
        nd_ctx_free(ctx);
    }
}

/* Files added from memory behave as files on disk. */
static void test_memory(void)
{
    nd_ctx *ctx = make_ctx(ND_SPLIT_AUTO, NULL);
    nd_corpus *disk, *mem;
    CHECK_EQ_INT(nd_corpus_new(ctx, &disk), ND_OK);
    CHECK_EQ_INT(nd_corpus_new(ctx, &mem), ND_OK);
    CHECK_EQ_INT(nd_corpus_add_path(disk, path_of("01_plain.txt")), ND_OK);
    CHECK_EQ_INT(nd_corpus_add_memory(mem, "plain", two_speeches,
                                      strlen(two_speeches)), ND_OK);
    CHECK_EQ_INT(nd_corpus_size(mem), 2);
    CHECK_EQ_INT(nd_corpus_size(disk), 2);
    for (uint32_t i = 0; i < 2; i++) {
        const nd_document *x = nd_corpus_document(disk, i);
        const nd_document *y = nd_corpus_document(mem, i);
        CHECK_STR(y->file, "plain");
        CHECK_EQ_INT(x->start, y->start);
        CHECK_EQ_INT(x->end, y->end);
        CHECK_EQ_INT(x->chars, y->chars);
    }
    /* Binary memory is refused and counted. */
    nlogs = 0;
    CHECK_EQ_INT(nd_corpus_add_memory(mem, "bin", "ab\0cd", 5), ND_EBINARY);
    CHECK_EQ_INT(nd_corpus_size(mem), 2);
    CHECK_EQ_INT(nd_corpus_skipped(mem), 1);
    log_about("bin", "binary");
    nd_corpus_free(mem);
    nd_corpus_free(disk);
    nd_ctx_free(ctx);

    /* A forced encoding that ICU does not know. */
    ctx = make_ctx(ND_SPLIT_AUTO, "no-such-charset-42");
    CHECK_EQ_INT(nd_corpus_new(ctx, &mem), ND_OK);
    nlogs = 0;
    CHECK_EQ_INT(nd_corpus_add_memory(mem, "x", "abc", 3), ND_EENCODING);
    CHECK_EQ_INT(nd_corpus_skipped(mem), 1);
    CHECK_EQ_INT(log_about("x", "no-such-charset-42")->level, ND_LOG_ERROR);
    nd_corpus_free(mem);
    nd_ctx_free(ctx);
}

/* Files added by path are quoted from disk when a report needs them: the
 * same text while the file is unchanged; once it changed (here: same
 * size, other bytes), a warning and empty texts, never the new bytes. */
static void test_changed_file(void)
{
    nd_ctx *ctx = make_ctx(ND_SPLIT_AUTO, NULL);
    nd_corpus *c;
    CHECK_EQ_INT(nd_corpus_new(ctx, &c), ND_OK);
    write_str("changing.txt", two_speeches);
    CHECK_EQ_INT(nd_corpus_add_path(c, path_of("changing.txt")), ND_OK);
    CHECK_EQ_INT(nd_corpus_size(c), 2);
    const nd_document *d = nd_corpus_document(c, 1);
    char *s = NULL;
    CHECK_EQ_INT(nd_corpus_slice(c, 1, d->start, d->end, &s), ND_OK);
    CHECK(!strncmp(s, "在青年干部座谈会上的发言", strlen("在青年干部座谈会上的发言")));
    nd_free(s);
    nd_position pos;
    CHECK_EQ_INT(nd_corpus_locate(c, 1, d->start, &pos), ND_OK);
    CHECK_EQ_INT(pos.line, 6);

    /* The same number of bytes, other text. */
    size_t n = strlen(two_speeches);
    char *other = malloc(n + 1);
    CHECK(other);
    memset(other, 'x', n);
    other[n] = 0;
    write_str("changing.txt", other);
    free(other);
    nlogs = 0;
    CHECK_EQ_INT(nd_corpus_slice(c, 1, d->start, d->end, &s), ND_OK);
    CHECK_STR(s, "");
    nd_free(s);
    CHECK_EQ_INT(nd_corpus_slice(c, 0, 0, 3, &s), ND_OK);
    CHECK_STR(s, "");
    nd_free(s);
    CHECK_EQ_INT(log_about(path_of("changing.txt"), "changed")->level,
                 ND_LOG_WARN);
    CHECK_EQ_INT(nlogs, 1); /* once per file */
    nd_corpus_free(c);

    /* A file gone before its positions were needed. */
    write_str("going.txt", two_speeches);
    CHECK_EQ_INT(nd_corpus_new(ctx, &c), ND_OK);
    CHECK_EQ_INT(nd_corpus_add_path(c, path_of("going.txt")), ND_OK);
    CHECK_EQ_INT(unlink(path_of("going.txt")), 0);
    CHECK_EQ_INT(nd_corpus_locate(c, 0, 0, &pos), ND_EIO);
    nd_corpus_free(c);
    nd_ctx_free(ctx);
}

/* A single bad path is an error for the caller, logged and counted.
 * Returns what nd_corpus_add_path said for a missing file, checked last. */
static int test_bad_paths(void)
{
    nd_ctx *ctx = make_ctx(ND_SPLIT_AUTO, NULL);
    nd_corpus *c;
    CHECK_EQ_INT(nd_corpus_new(ctx, &c), ND_OK);
    nlogs = 0;
    CHECK_EQ_INT(nd_corpus_add_path(c, path_of("16_binary.png")),
                 ND_EBINARY);
    CHECK_EQ_INT(nd_corpus_skipped(c), 1);
    log_about(path_of("16_binary.png"), "binary");
    CHECK_EQ_INT(nd_corpus_size(c), 0);

    /* nd.h: "@return ... ND_EIO (the path itself cannot be opened)". */
    nlogs = 0;
    int rc = nd_corpus_add_path(c, path_of("no_such_file.txt"));
    CHECK_EQ_INT(nd_corpus_skipped(c), 2);
    log_about(path_of("no_such_file.txt"), "No such file");
    CHECK_EQ_INT(nd_corpus_size(c), 0);
    nd_corpus_free(c);
    nd_ctx_free(ctx);
    return rc;
}

/* nd_corpus_locate: lines and columns in characters, BOMs not counted,
 * bytes inside a character give that character; UTF-16 and GB18030 count
 * the same characters as UTF-8. */
static void check_locate(nd_corpus *c, uint32_t doc, uint64_t byte,
                         uint64_t line, uint64_t col, uint64_t off)
{
    nd_position p;
    CHECK_EQ_INT(nd_corpus_locate(c, doc, byte, &p), ND_OK);
    CHECK_EQ_INT((int)p.line, (int)line);
    CHECK_EQ_INT((int)p.column, (int)col);
    CHECK_EQ_INT((int)p.offset, (int)off);
}

static void test_locate(void)
{
    nd_settings s;
    nd_default_settings(&s);
    s.split = ND_SPLIT_NONE;
    nd_ctx *ctx;
    nd_corpus *c;
    CHECK_EQ_INT(nd_ctx_new(&ctx, &s), ND_OK);
    CHECK_EQ_INT(nd_corpus_new(ctx, &c), ND_OK);
    /* BOM, "ab\r\n", "中文x\n", "" : 3 + 4 + 8 bytes. */
    static const char u8[] = "\xEF\xBB\xBF" "ab\r\n" "\xE4\xB8\xAD"
                             "\xE6\x96\x87" "x\n";
    CHECK_EQ_INT(nd_corpus_add_memory(c, "u8", u8, sizeof u8 - 1), ND_OK);
    /* The same text in UTF-16LE with BOM. */
    static const char u16[] = "\xFF\xFE" "a\0b\0\r\0\n\0" "\x2D\x4E"
                              "\x87\x65" "x\0\n\0";
    CHECK_EQ_INT(nd_corpus_add_memory(c, "u16", u16, sizeof u16 - 1), ND_OK);
    CHECK_EQ_INT(nd_corpus_size(c), 2);
    check_locate(c, 0, 0, 1, 1, 0);  /* inside the BOM: first character */
    check_locate(c, 0, 3, 1, 1, 0);  /* 'a' */
    check_locate(c, 0, 4, 1, 2, 1);  /* 'b' */
    check_locate(c, 0, 5, 1, 3, 2);  /* '\r' is a character of line 1 */
    check_locate(c, 0, 7, 2, 1, 4);  /* 中 */
    check_locate(c, 0, 9, 2, 1, 4);  /* its last byte */
    check_locate(c, 0, 10, 2, 2, 5); /* 文 */
    check_locate(c, 0, 13, 2, 3, 6); /* x */
    check_locate(c, 0, 15, 3, 1, 8); /* end of file: after the last \n */
    check_locate(c, 1, 2, 1, 1, 0);  /* 'a' after the 2-byte BOM */
    check_locate(c, 1, 8, 1, 4, 3);  /* '\n' ends line 1 */
    check_locate(c, 1, 10, 2, 1, 4); /* 中 */
    check_locate(c, 1, 13, 2, 2, 5); /* second byte of 文 */
    check_locate(c, 1, 14, 2, 3, 6); /* x */
    check_locate(c, 1, 18, 3, 1, 8); /* end of file */
    nd_position p;
    CHECK_EQ_INT(nd_corpus_locate(c, 0, 16, &p), ND_EINVAL);
    CHECK_EQ_INT(nd_corpus_locate(c, 2, 0, &p), ND_EINVAL);
    nd_corpus_free(c);
    nd_ctx_free(ctx);
}

int main(void)
{
    const char *t = getenv("TMPDIR");
    snprintf(tmp_root, sizeof tmp_root, "%s/nd_corpus_XXXXXX",
             t && *t ? t : "/tmp");
    CHECK(mkdtemp(tmp_root) != NULL);
    atexit(rm_tmp);
    make_files();

    int dir_rc = test_directory();
    test_settings();
    test_memory();
    test_locate();
    test_changed_file();
    int missing_rc = test_bad_paths();

    for (size_t i = 0; i < 16 && forced[i].ctx; i++)
        nd_ctx_free(forced[i].ctx);

    /* nd.h on nd_corpus_add_path: bad entries of a directory are
     * "reported through the log callback and skipped; the call still
     * succeeds", and a path that cannot be opened is ND_EIO. */
    if (dir_rc != ND_OK || missing_rc != ND_EIO)
        fprintf(stderr, "nd_corpus_add_path: directory with a binary file: "
                "%s (want success); missing file: %s (want ND_EIO)\n",
                nd_strerror(dir_rc), nd_strerror(missing_rc));
    CHECK_EQ_INT(dir_rc, ND_OK);
    CHECK_EQ_INT(missing_rc, ND_EIO);
    printf("corpus: all tests passed\n");
    return 0;
}
