/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * PAN text-alignment output (--format pan -o DIR): for every pair of files
 * with passages between them, DIR/<a>-<b>.xml in the format of the PAN
 * 2012-2015 text alignment task,
 *
 *   <document reference="a.txt">
 *   <feature name="detected-plagiarism" this_offset=".." this_length=".."
 *            source_reference="b.txt" source_offset=".." source_length=".."/>
 *   </document>
 *
 * with offsets and lengths in characters of the decoded file text (a BOM
 * is not a character), as PAN counts them, and the list of those pairs in
 * DIR/pairs ("a.txt b.txt" per line, PAN's pairs file).  References are
 * file names without directories, as in PAN.  Files holding several
 * documents give one XML file for all their document pairs; the "this"
 * side is the document with the lower id.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "render.h"

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static const renderer *sort_r;

/* Passages ordered by (a's file, b's file), then as they came. */
static int by_files(const void *x, const void *y)
{
    size_t i = *(const size_t *)x, j = *(const size_t *)y;
    const nd_passage *p = &sort_r->model.passages[i];
    const nd_passage *q = &sort_r->model.passages[j];
    int c = strcmp(doc_file(sort_r->corpus, p->a),
                   doc_file(sort_r->corpus, q->a));
    if (!c)
        c = strcmp(doc_file(sort_r->corpus, p->b),
                   doc_file(sort_r->corpus, q->b));
    return c ? c : (i > j) - (i < j);
}

/* "stem" of a file name: without its last extension. */
static void stem(const char *path, char *buf, size_t n)
{
    snprintf(buf, n, "%s", base_name(path));
    char *dot = strrchr(buf, '.');
    if (dot && dot != buf)
        *dot = 0;
    for (char *s = buf; *s; s++)
        if (*s == '/')
            *s = '_';
}

static int pan_end(renderer *r, const run_info *info)
{
    (void)info;
    const result_model *m = &r->model;
    if (mkdir(r->dir, 0777) && errno != EEXIST) {
        fprintf(stderr, "neardup: %s: cannot create directory: %s\n", r->dir,
                strerror(errno));
        return -1;
    }
    size_t *ix = xrealloc(NULL, (m->npassages + 1) * sizeof *ix);
    for (size_t i = 0; i < m->npassages; i++)
        ix[i] = i;
    sort_r = r;
    qsort(ix, m->npassages, sizeof *ix, by_files);

    size_t plen = strlen(r->dir) + 4096;
    char *path = xrealloc(NULL, plen);
    snprintf(path, plen, "%s/pairs", r->dir);
    FILE *pairs = fopen(path, "w");
    int rc = pairs ? 0 : -1;
    if (!pairs)
        fprintf(stderr, "neardup: %s: cannot write: %s\n", path,
                strerror(errno));
    for (size_t i = 0; !rc && i < m->npassages;) {
        const nd_passage *p = &m->passages[ix[i]];
        const char *fa = doc_file(r->corpus, p->a);
        const char *fb = doc_file(r->corpus, p->b);
        char sa[1024], sb[1024];
        stem(fa, sa, sizeof sa);
        stem(fb, sb, sizeof sb);
        snprintf(path, plen, "%s/%s-%s.xml", r->dir, sa, sb);
        FILE *f = fopen(path, "w");
        if (!f) {
            fprintf(stderr, "neardup: %s: cannot write: %s\n", path,
                    strerror(errno));
            rc = -1;
            break;
        }
        fprintf(pairs, "%s %s\n", base_name(fa), base_name(fb));
        fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<document reference=\"", f);
        markup_text(f, base_name(fa));
        fputs("\">\n", f);
        for (; i < m->npassages; i++) {
            p = &m->passages[ix[i]];
            if (strcmp(doc_file(r->corpus, p->a), fa) ||
                strcmp(doc_file(r->corpus, p->b), fb))
                break;
            passage_pos q = passage_locate(r->corpus, p);
            fprintf(f, "<feature name=\"detected-plagiarism\" "
                       "this_offset=\"%llu\" this_length=\"%llu\" "
                       "source_reference=\"",
                    (unsigned long long)q.as.offset,
                    (unsigned long long)(q.ae.offset - q.as.offset));
            markup_text(f, base_name(fb));
            fprintf(f, "\" source_offset=\"%llu\" source_length=\"%llu\"/>\n",
                    (unsigned long long)q.bs.offset,
                    (unsigned long long)(q.be.offset - q.bs.offset));
        }
        fputs("</document>\n", f);
        if (ferror(f) | fclose(f)) {
            fprintf(stderr, "neardup: %s: write failed\n", path);
            rc = -1;
        }
    }
    if (pairs && (ferror(pairs) | fclose(pairs))) {
        fprintf(stderr, "neardup: %s/pairs: write failed\n", r->dir);
        rc = -1;
    }
    free(path);
    free(ix);
    return rc;
}

const render_ops render_pan = {"pan", 1, NULL, NULL, pan_end};
