/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/* Shared by the subcommands: options, their parser, logging. */
#ifndef ND_CLI_CLI_H
#define ND_CLI_CLI_H

#include <stdio.h>

#include <nd/nd.h>

#define EXIT_VERDICT 1
#define EXIT_ERROR 2

/* Settings options given on the command line (the others are taken from
 * an existing index). */
enum {
    GIVEN_SHINGLE = 1, GIVEN_PERM = 2, GIVEN_THRESHOLD = 4, GIVEN_FOLD = 8,
    GIVEN_PUNCT = 16, GIVEN_SPLIT = 32, GIVEN_ENCODING = 64,
};

typedef struct opts {
    nd_settings s;
    int format; /* enum out_format (render.h); text unless asked */
    const char *output;
    int quiet, verbose, offsets, stats;
    unsigned given;        /* GIVEN_* */
    int fail_set;          /* --fail-above given */
    double fail_above;
    int min_match, exclude_quotes;
    const char *template_path;
    int batch;             /* index add: files per transaction */
    int color;             /* COLOR_* */
    int records;           /* enum csv_records */
} opts;

enum { COLOR_AUTO, COLOR_NEVER, COLOR_ALWAYS };

/* Whether to colour text written to @p out: --color always, or auto on a
 * terminal's standard output unless NO_COLOR is set or TERM is dumb. */
int use_color(int color, FILE *out);

extern const char *prog; /* for messages; "neardup" unless set */
extern int quiet_log; /* -q: only errors */

/* Parse options; returns the index of the first operand, -1 after an
 * error message, -2 when done (help, version). */
int parse(int argc, char **argv, opts *o);

/* "NAME ARG..." (scan's report header), a new string to free(). */
char *command_line(const char *name, int argc, char **argv);

/* The usage text of neardup. */
void usage(FILE *f);

/* nd_log_fn writing to standard error; user points at the verbose flag. */
void log_stderr(void *user, int level, const char *file, const char *msg);

int cmd_index(int argc, char **argv);
int cmd_check(int argc, char **argv);

#endif
