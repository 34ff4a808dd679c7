/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Renderings of the result model (DESIGN.md): one interface, one
 * implementation per --format.  A renderer gets begin(), then every record
 * of nd_corpus_scan (or of nd_index_check) through record(), then end()
 * with the run's figures.  Streaming formats (JSON Lines, CSV) write in
 * record(); whole-result formats (text, HTML, PAN) collect the records into
 * a result_model (model.h) and write in end().
 *
 * The draft-audit view: the check command's `report` record arrives
 * through record() like any other; the model keeps it, for every format
 * (model.h, audit), and the draft's passages after it.  The corpus of a
 * check is the draft alone (document 0): sources are named from the
 * report, never looked up in the corpus.  Text, CSV (renderer.audit) and
 * HTML (render_html.c, "Draft audit") render it; check's JSON Lines has
 * its own record() in index_cmd.c.
 */
#ifndef ND_CLI_RENDER_H
#define ND_CLI_RENDER_H

#include <stdio.h>

#include <nd/nd.h>

#include "model.h"

enum out_format { FMT_TEXT, FMT_JSONL, FMT_CSV, FMT_HTML, FMT_PAN };
enum csv_records { CSV_PAIRS, CSV_PASSAGES };

/* What a run was, for summaries and report headers. */
typedef struct run_info {
    nd_stats stats;
    double seconds;      /* wall time, reading included */
    size_t files;        /* input files read */
    size_t skipped;      /* inputs skipped or read with errors */
    const nd_settings *settings;
    const char *command; /* "neardup scan ..." as typed (may be NULL) */
} run_info;

typedef struct renderer renderer;

typedef struct render_ops {
    const char *name;
    int whole;     /* collect records into r->model before end() */
    int (*begin)(renderer *r);
    int (*record)(renderer *r, const nd_record *rec); /* may be NULL */
    int (*end)(renderer *r, const run_info *info);
} render_ops;

struct renderer {
    const render_ops *ops;
    FILE *out;          /* NULL for PAN (writes files into dir) */
    nd_corpus *corpus;  /* for names, line:column, texts */
    int color;          /* text: ANSI colours */
    int records;        /* CSV: enum csv_records */
    const char *dir;    /* PAN: output directory */
    result_model model; /* whole-result formats */
    int failed;         /* an output error happened */
    int audit;          /* the records are checks (neardup check): CSV
                           writes one row per copied passage of a draft */
    text_hold hold;     /* text: the texts passage_diff holds */
};

/* The renderer of @p format (enum out_format). */
const render_ops *render_ops_of(int format);

/* Set up @p r; nothing is written yet.  Returns 0 or -1. */
int render_begin(renderer *r);
/* nd_record_fn: hand one record to the renderer. */
int render_record(void *user, const nd_record *rec);
/* Write what is left and free the collected model.  Returns 0 or -1. */
int render_end(renderer *r, const run_info *info);
/* Files holding the documents of @p c (for run_info.files). */
size_t render_corpus_files(const nd_corpus *c);

/* The formats (render_*.c). */
extern const render_ops render_jsonl, render_text, render_csv, render_html,
    render_pan;

/* JSON helpers (render.c).  A JSON string literal of UTF-8 @p s (invalid
 * bytes become U+FFFD); with @p html also '<', '>', '&' escaped so the
 * literal is safe inside an HTML <script> element. */
void json_string(FILE *f, const char *s);
void json_string_html(FILE *f, const char *s, int html);
/* HTML or XML text and attribute values: & < > " ' escaped, invalid UTF-8
 * and control characters (C0 but newline and tab, DEL, C1) as U+FFFD. */
void markup_text(FILE *f, const char *s);

/* @p s for text output: valid UTF-8 as is, except backslash, control
 * characters (\n \t \r \xNN, C1 and U+2028/9 as \uNNNN) and invalid
 * bytes (\xNN), so that a name or a quote never breaks a line. */
void text_escape(FILE *f, const char *s);

/* A number without trailing zeros, 4 decimals at most. */
void json_number(FILE *f, double x);

/* Length of the valid UTF-8 sequence at @p p (1 to 4), or 0 when the
 * bytes there are not valid UTF-8 (render.c). */
int utf8_len(const unsigned char *p);

const char *doc_file(const nd_corpus *c, uint32_t doc);

#endif
