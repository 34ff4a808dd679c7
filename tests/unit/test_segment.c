/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Tests for segment: every split mode on small texts written for the test,
 * with the coverage invariant (contiguous segments covering the file) and
 * trimmed titles checked on every result.
 */
#include "test.h"

#include "src/segment.h"

/* A paragraph of about 155 characters of ordinary speech text. */
#define S1 "今年以来，我们紧紧围绕中心工作，持续加强队伍建设，" \
           "各项任务稳步推进，群众满意度不断提升，取得了阶段性成效。"
#define S2 "同时也要清醒地看到，工作中还存在思路不够开阔、措施不够精准、" \
           "落实不够有力等问题，必须在今后的工作中认真加以解决。"
#define S3 "我们要把思想和行动统一到上级的部署要求上来，以更加务实的作风、" \
           "更加有力的举措，推动各项工作再上新台阶。"
#define PARA S1 S2 S3 "\n"

/* One speech whose headings and closing lines must not start documents. */
static const char single[] =
    "在全市安全生产工作会议上的讲话\n"
    "同志们：\n"
    "今天召开这次会议，主要任务是总结前一阶段工作，部署下一步任务。\n"
    "\n"
    "一、关于上半年工作的总结\n"
    PARA
    "（一）学习体会\n"
    PARA
    "\n"
    "二、突出抓好重点领域整治\n"
    PARA
    "第一，认真抓好调研报告\n"
    PARA
    "1. 汇报材料\n"
    PARA
    "(2)专题党课\n"
    PARA
    "一是交流发言\n"
    PARA
    "谢谢大家！\n"
    "\n"
    "【公众号：某某资料库】欢迎关注\n"
    "##paidend##\n"
    "附：学习体会\n";

/* Three speeches: title, salutation, numbered headings, closing line. */
static const char three[] =
    "在全市安全生产工作会议上的讲话\n"
    "同志们：\n"
    PARA
    "（一）压实各方责任\n"
    PARA
    "二、突出抓好重点领域整治\n"
    PARA
    "谢谢大家！\n"
    "\n"
    "青年干部座谈会交流发言\n"
    "尊敬的各位领导，同志们：\n"
    PARA
    "第一，加强理论学习的心得\n"
    PARA
    "二、存在的不足\n"
    PARA
    "发言完毕，不妥之处请批评指正。\n"
    "关于基层党建工作的调研报告\n"
    PARA
    "（二）存在的问题\n"
    PARA
    "三、下一步工作打算\n"
    PARA
    "以上报告，请审阅。\n"
    "\n"
    "##paidend##\n";

static const char *const three_titles[] = {
    "在全市安全生产工作会议上的讲话",
    "青年干部座谈会交流发言",
    "关于基层党建工作的调研报告",
};

/* Decode UTF-8 (assumed valid) into an nd_decoded with byte offsets. */
static nd_decoded decode(const char *s)
{
    size_t len = strlen(s);
    nd_decoded d = {0};
    d.cp = malloc((len + 1) * sizeof *d.cp);
    d.off = malloc((len + 1) * sizeof *d.off);
    CHECK(d.cp && d.off);
    size_t i = 0;
    while (i < len) {
        unsigned char b = (unsigned char)s[i];
        size_t k = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
        uint32_t c = k == 1 ? b : b & (0x7F >> k);
        for (size_t j = 1; j < k; j++)
            c = (c << 6) | ((unsigned char)s[i + j] & 0x3F);
        d.off[d.n] = (uint32_t)i;
        d.cp[d.n++] = c;
        i += k;
    }
    d.off[d.n] = (uint32_t)len;
    return d;
}

static void free_decoded(nd_decoded *d)
{
    free(d->cp);
    free(d->off);
}

/* Split, check the coverage invariant, return the segments. */
static nd_segment *split(const nd_decoded *d, int mode, const char *re,
                         size_t *n)
{
    nd_segment *seg = NULL;
    char err[128];
    int rc = nd_segment_split(d, mode, re, &seg, n, err, sizeof err);
    if (rc != ND_OK)
        fprintf(stderr, "split: %d %s\n", rc, err);
    CHECK_EQ_INT(rc, ND_OK);
    CHECK(*n >= 1 && seg);
    CHECK_EQ_INT(seg[0].from, 0);
    CHECK_EQ_INT(seg[*n - 1].to, d->n);
    for (size_t k = 0; k < *n; k++) {
        CHECK(seg[k].from <= seg[k].to);
        if (k + 1 < *n)
            CHECK_EQ_INT(seg[k].to, seg[k + 1].from);
        CHECK(seg[k].from <= seg[k].title_from);
        CHECK(seg[k].title_from <= seg[k].title_to);
        CHECK(seg[k].title_to <= seg[k].to);
    }
    return seg;
}

/* Title of a segment as UTF-8 (static buffer). */
static const char *title(const char *src, const nd_decoded *d,
                         const nd_segment *s)
{
    static char buf[512];
    size_t a = d->off[s->title_from], z = d->off[s->title_to];
    CHECK(z - a < sizeof buf);
    memcpy(buf, src + a, z - a);
    buf[z - a] = '\0';
    return buf;
}

/* Byte offset where a segment starts. */
static size_t start_byte(const nd_decoded *d, const nd_segment *s)
{
    return d->off[s->from];
}

/* Byte offset of the line holding the first occurrence of @p needle. */
static size_t line_of(const char *src, const char *needle)
{
    const char *p = strstr(src, needle);
    CHECK(p);
    return (size_t)(p - src);
}

/* Replace every "\n" by "\r\n" (caller frees). */
static char *to_crlf(const char *s)
{
    char *out = malloc(2 * strlen(s) + 1), *o = out;
    CHECK(out);
    for (; *s; s++) {
        if (*s == '\n')
            *o++ = '\r';
        *o++ = *s;
    }
    *o = '\0';
    return out;
}

static void check_three(const char *src)
{
    nd_decoded d = decode(src);
    size_t n;
    nd_segment *seg = split(&d, ND_SPLIT_AUTO, NULL, &n);
    CHECK_EQ_INT(n, 3);
    for (size_t k = 0; k < 3; k++) {
        CHECK_STR(title(src, &d, &seg[k]), three_titles[k]);
        CHECK_EQ_INT(start_byte(&d, &seg[k]), line_of(src, three_titles[k]));
    }
    nd_free(seg);
    free_decoded(&d);
}

static void test_auto_single(void)
{
    nd_decoded d = decode(single);
    size_t n;
    nd_segment *seg = split(&d, ND_SPLIT_AUTO, NULL, &n);
    CHECK_EQ_INT(n, 1);
    CHECK_STR(title(single, &d, &seg[0]), "在全市安全生产工作会议上的讲话");
    nd_free(seg);
    free_decoded(&d);
}

static void test_auto_three(void)
{
    check_three(three);

    char *crlf = to_crlf(three);
    check_three(crlf);
    free(crlf);

    /* Without the final newline. */
    char *cut = strdup(three);
    CHECK(cut);
    cut[strlen(cut) - 1] = '\0';
    check_three(cut);
    free(cut);
}

/* Two title-like lines close together: the later one takes the speech. */
static void test_auto_short_candidate(void)
{
    const char *src = "第一次会议上的讲话\n" PARA PARA
                      "\n"
                      "汇报材料\n"
                      "\n"
                      "第二次会议上的讲话\n" PARA PARA;
    nd_decoded d = decode(src);
    size_t n;
    nd_segment *seg = split(&d, ND_SPLIT_AUTO, NULL, &n);
    CHECK_EQ_INT(n, 2);
    CHECK_STR(title(src, &d, &seg[1]), "第二次会议上的讲话");
    nd_free(seg);
    free_decoded(&d);
}

/* Number of AUTO documents in @p src. */
static size_t count_auto(const char *src)
{
    nd_decoded d = decode(src);
    size_t n;
    nd_free(split(&d, ND_SPLIT_AUTO, NULL, &n));
    free_decoded(&d);
    return n;
}

/* The evidence a title line needs (see the rules in segment.c). */
static void test_auto_evidence(void)
{
    /* A genre word at the head of the title is enough. */
    CHECK_EQ_INT(count_auto("第一次会议上的讲话\n" PARA PARA
                            "第二次会议上的讲话\n" PARA PARA), 2);
    /* A genre word elsewhere needs a blank line or a salutation too. */
    CHECK_EQ_INT(count_auto("第一次会议上的讲话\n" PARA PARA
                            "讲话精神的学习贯彻\n" PARA PARA), 1);
    CHECK_EQ_INT(count_auto("第一次会议上的讲话\n" PARA PARA
                            "\n讲话精神的学习贯彻\n" PARA PARA), 2);
    /* Without a genre word: blank line before and salutation after. */
    CHECK_EQ_INT(count_auto("第一次会议上的讲话\n" PARA PARA
                            "凝心聚力开新局\n同志们：\n" PARA PARA), 1);
    CHECK_EQ_INT(count_auto("第一次会议上的讲话\n" PARA PARA
                            "\n凝心聚力开新局\n同志们：\n" PARA PARA), 2);
    /* Too little text before: a heading right after the opening words. */
    CHECK_EQ_INT(count_auto("各位代表：\n现在，我代表市政府作工作报告。\n\n"
                            "过去一年的工作总结\n" PARA PARA), 1);
}

static void test_blank(void)
{
    /* LF, CRLF and U+2028 line ends; a line of white space is blank. */
    const char *src = "\n\n  甲一\n甲二\n\n \u3000\n乙一\r\n\r\n"
                      "丙一\u2028\u2028丁";
    nd_decoded d = decode(src);
    size_t n;
    nd_segment *seg = split(&d, ND_SPLIT_BLANK, NULL, &n);
    CHECK_EQ_INT(n, 4);
    CHECK_STR(title(src, &d, &seg[0]), "甲一");
    CHECK_STR(title(src, &d, &seg[1]), "乙一");
    CHECK_STR(title(src, &d, &seg[2]), "丙一");
    CHECK_STR(title(src, &d, &seg[3]), "丁");
    CHECK_EQ_INT(start_byte(&d, &seg[1]), line_of(src, "乙一"));
    nd_free(seg);
    free_decoded(&d);
}

static void test_regex(void)
{
    const char *src = "前言\n第1篇 甲\n正文\n第2篇 乙\n正文\n  第3篇 丙\n";
    nd_decoded d = decode(src);
    size_t n;
    nd_segment *seg = split(&d, ND_SPLIT_REGEX, "^第\\d+篇", &n);
    CHECK_EQ_INT(n, 3);
    CHECK_STR(title(src, &d, &seg[0]), "前言");
    CHECK_STR(title(src, &d, &seg[1]), "第1篇 甲");
    CHECK_STR(title(src, &d, &seg[2]), "第2篇 乙");
    nd_free(seg);

    /* Unanchored: found anywhere in the line. */
    seg = split(&d, ND_SPLIT_REGEX, "第\\d+篇", &n);
    CHECK_EQ_INT(n, 4);
    CHECK_STR(title(src, &d, &seg[3]), "第3篇 丙");
    nd_free(seg);

    char err[128] = "";
    seg = NULL;
    int rc = nd_segment_split(&d, ND_SPLIT_REGEX, "第(\\d+篇", &seg, &n, err,
                              sizeof err);
    CHECK_EQ_INT(rc, ND_EINVAL);
    CHECK(seg == NULL);
    CHECK(strstr(err, "U_REGEX_") != NULL);
    CHECK(strstr(err, "offset") != NULL);
    rc = nd_segment_split(&d, ND_SPLIT_REGEX, NULL, &seg, &n, err,
                          sizeof err);
    CHECK_EQ_INT(rc, ND_EINVAL);
    free_decoded(&d);
}

static void test_none(void)
{
    nd_decoded d = decode(three);
    size_t n;
    nd_segment *seg = split(&d, ND_SPLIT_NONE, NULL, &n);
    CHECK_EQ_INT(n, 1);
    CHECK_STR(title(three, &d, &seg[0]), three_titles[0]);
    nd_free(seg);
    free_decoded(&d);
}

static void test_empty(void)
{
    const int modes[] = {ND_SPLIT_AUTO, ND_SPLIT_NONE, ND_SPLIT_BLANK,
                         ND_SPLIT_REGEX};
    const char *texts[] = {"", "\n\n", " \u3000\r\n"};
    for (size_t t = 0; t < 3; t++) {
        nd_decoded d = decode(texts[t]);
        for (size_t m = 0; m < 4; m++) {
            size_t n;
            nd_segment *seg = split(&d, modes[m], "x", &n);
            CHECK_EQ_INT(n, 1);
            CHECK_EQ_INT(seg[0].title_from, seg[0].title_to);
            nd_free(seg);
        }
        free_decoded(&d);
    }
}

static void test_trim(void)
{
    const char *src = "\uFEFF\u3000\u3000 标题 \t\u3000\n正文\n";
    nd_decoded d = decode(src);
    size_t n;
    nd_segment *seg = split(&d, ND_SPLIT_NONE, NULL, &n);
    CHECK_STR(title(src, &d, &seg[0]), "标题");
    nd_free(seg);
    free_decoded(&d);
}

static void test_alloc_failure(void)
{
    nd_decoded d = decode(three);
    for (long k = 0; k < 40; k++) {
        nd_segment *seg = NULL;
        size_t n = 0;
        nd_alloc_fail_after(k);
        int rc = nd_segment_split(&d, ND_SPLIT_AUTO, NULL, &seg, &n, NULL, 0);
        nd_alloc_fail_after(-1);
        CHECK(rc == ND_OK || rc == ND_ENOMEM);
        CHECK(rc == ND_OK ? n == 3 : seg == NULL);
        nd_free(seg);
    }
    free_decoded(&d);
}

int main(void)
{
    test_auto_single();
    test_auto_three();
    test_auto_short_candidate();
    test_auto_evidence();
    test_blank();
    test_regex();
    test_none();
    test_empty();
    test_trim();
    test_alloc_failure();
    return 0;
}
