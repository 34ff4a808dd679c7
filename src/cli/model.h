/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * The result model in memory: the records of one run, copied out of the
 * callbacks (whose pointers live only during the call), for renderings that
 * need the whole result before writing (ranking, summaries first, HTML).
 * Also the helpers those renderings share: positions of passages in
 * decoded characters and which characters of two passage texts differ.
 */
#ifndef ND_CLI_MODEL_H
#define ND_CLI_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include <nd/nd.h>

typedef struct m_pair {
    nd_pair p;
    size_t first, n; /* its passages: model.passages[first .. first + n) */
} m_pair;

/* A draft audit (neardup check): how much of the draft document is found
 * elsewhere, and where.  The check command's `report` record fills it (see
 * model_add); renderers show an audit view when has_audit is set. */
typedef struct m_source {
    uint32_t doc;      /* a source document (ids of passages' other side) */
    char *file;        /* its file and title, owned: a check's sources are in
                          the index, not in the renderer's corpus */
    char *title;
    uint32_t ordinal;  /* position within its file */
    uint32_t chars;    /* draft characters found in it */
    double share;      /* chars / the draft's characters */
} m_source;

typedef struct m_section {
    char *title;       /* owned; "" before the first heading */
    uint64_t start, end;
    uint32_t chars, copied;
    double copy_ratio;
} m_section;

typedef struct m_audit {
    uint32_t doc;                /* the draft: a document of the corpus */
    char *draft;                 /* its name as checked, owned (may be NULL) */
    uint32_t chars, copied;      /* normalized characters, copied ones */
    double ratio;                /* share of the draft's characters copied */
    double ratio_no_boilerplate; /* the same, boilerplate left out */
    double largest_source_ratio, quoted_ratio, template_ratio;
    m_source *sources;           /* most first; owned */
    size_t nsources;
    m_section *sections;         /* owned */
    size_t nsections;
    /* The check's passages (a = the draft, b = a source document that is
     * not in the renderer's corpus: use its m_source and b_text). */
    nd_passage *passages;        /* a_text, b_text owned (b_text may be
                                    NULL) */
    size_t npassages, cpassages;
} m_audit;

/* The source @p doc of @p a, or NULL. */
const m_source *audit_source(const m_audit *a, uint32_t doc);

typedef struct result_model {
    m_pair *pairs;
    size_t npairs, cpairs;
    nd_passage *passages; /* a_text, b_text owned */
    size_t npassages, cpassages;
    nd_boilerplate *boiler; /* text, occ owned */
    size_t nboiler, cboiler;
    nd_cluster *clusters; /* docs owned */
    size_t nclusters, cclusters;
    int has_audit; /* scan never sets it */
    m_audit audit;
} result_model;

/* Copy @p rec into @p m (documents are not copied: the corpus has them).
 * A `report` record (ND_REC_REPORT, neardup check) fills m->audit and sets
 * has_audit; the passages after it go into m->audit.passages, not into
 * m->passages (their b is not a corpus document).  Exits with a message
 * when memory runs out. */
void model_add(result_model *m, const nd_record *rec);
void model_free(result_model *m);

/* Pair indices sorted by reused characters (a + b), most first, then by
 * (a, b).  Caller frees. */
size_t *model_ranked_pairs(const result_model *m);

/* Position of byte @p byte of document @p doc's file (line, column,
 * character offset); zeros when it cannot be located. */
nd_position locate(nd_corpus *c, uint32_t doc, uint64_t byte);

/* Positions of the four ends of a passage (a start, a end, b start,
 * b end). */
typedef struct passage_pos {
    nd_position as, ae, bs, be;
} passage_pos;
passage_pos passage_locate(nd_corpus *c, const nd_passage *p);

/* The documents whose texts (nd_corpus_text) passage_diff holds: the
 * last passage's two; it releases the others', so that a report quoting
 * every document holds the arrays (12 bytes a character) of two at a
 * time.  Zero it before use. */
typedef struct text_hold {
    uint32_t doc[2];
    int n;
} text_hold;

/*
 * Which characters of a passage's two texts differ.  The two spans are
 * compared as normalized characters (so Traditional and Simplified forms
 * or full-width digits count as equal), aligned by a banded LCS; every
 * code point of a_text (resp. b_text) that comes from a normalized
 * character outside the alignment gets a 1 in *ma (resp. *mb), arrays of
 * as many bytes as the texts have code points (*na, *nb).  Returns 0, or
 * -1 when the spans are too long to compare (then *ma = *mb = NULL).
 */
int passage_diff(nd_corpus *c, text_hold *h, const nd_passage *p,
                 unsigned char **ma, size_t *na, unsigned char **mb,
                 size_t *nb);

/* Number of code points of UTF-8 @p s (invalid bytes count one each). */
size_t utf8_count(const char *s);

/* malloc/realloc/strdup that exit with a message when memory runs out. */
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

#endif
