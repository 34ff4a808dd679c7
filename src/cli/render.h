/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/* Renderings of result records: JSON Lines and readable text. */
#ifndef ND_CLI_RENDER_H
#define ND_CLI_RENDER_H

#include <stdio.h>

#include <nd/nd.h>

enum out_format { FMT_TEXT, FMT_JSONL };

typedef struct renderer {
    FILE *out;
    int format;
    const nd_corpus *corpus;
    /* text summary counters */
    size_t docs, pairs, near_dups, passages, boilerplate, clusters;
} renderer;

/* nd_record_fn: writes one record. */
int render_record(void *user, const nd_record *rec);

/* A JSON string literal of UTF-8 @p s (invalid bytes become U+FFFD). */
void json_string(FILE *f, const char *s);

/* @p s for text output: valid UTF-8 as is, except backslash, control
 * characters (\n \t \r \xNN, C1 and U+2028/9 as \uNNNN) and invalid
 * bytes (\xNN), so that a name or a quote never breaks a line. */
void text_escape(FILE *f, const char *s);

/* A number without trailing zeros, 4 decimals at most. */
void json_number(FILE *f, double x);

#endif
