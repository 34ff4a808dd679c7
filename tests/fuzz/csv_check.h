/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * A strict CSV reader (RFC 4180) for the writer target: rows end with
 * CRLF, the last one too; fields are separated by commas; a quoted field
 * may hold anything, its quotes doubled, and ends at a comma or a row's
 * end; an unquoted field holds no quote, CR or LF.  The whole text must be
 * valid UTF-8.  Fields come back unquoted.  Header-only (uses
 * json_check.h's UTF-8 check).
 */
#ifndef ND_CSV_CHECK_H
#define ND_CSV_CHECK_H

#include <stdlib.h>
#include <string.h>

#include "json_check.h"

typedef struct csv_table {
    char **field;    /* every field, row after row, 0-terminated copies */
    size_t *row_end; /* fields before the end of row i */
    size_t nfields, nrows;
} csv_table;

static void csv_free(csv_table *t)
{
    for (size_t i = 0; i < t->nfields; i++)
        free(t->field[i]);
    free(t->field);
    free(t->row_end);
    memset(t, 0, sizeof *t);
}

static int csv_push(csv_table *t, char *f)
{
    char **v = realloc(t->field, (t->nfields + 1) * sizeof *v);
    if (!v) {
        free(f);
        return 0;
    }
    t->field = v;
    t->field[t->nfields++] = f;
    return 1;
}

/* Fields of row @p r: *n of them from the returned array. */
static inline char **csv_row(const csv_table *t, size_t r, size_t *n)
{
    size_t s = r ? t->row_end[r - 1] : 0;
    *n = t->row_end[r] - s;
    return t->field + s;
}

/* Parse s[0..n) into @p t (csv_free it either way); 1 when valid. */
static inline int csv_parse(const char *s, size_t n, csv_table *t)
{
    memset(t, 0, sizeof *t);
    if (!utf8_valid(s, n))
        return 0;
    size_t i = 0;
    while (i < n) {
        /* one row */
        for (;;) {
            char *f = malloc(n - i + 1);
            size_t k = 0;
            if (!f)
                return 0;
            if (s[i] == '"') {
                for (i++;; i++) {
                    if (i >= n) {
                        free(f);
                        return 0; /* unterminated */
                    }
                    if (s[i] == '"') {
                        if (i + 1 < n && s[i + 1] == '"') {
                            f[k++] = '"';
                            i++;
                            continue;
                        }
                        i++;
                        break;
                    }
                    f[k++] = s[i];
                }
            } else {
                while (i < n && s[i] != ',' && s[i] != '\r' && s[i] != '\n') {
                    if (s[i] == '"') {
                        free(f);
                        return 0; /* a quote in an unquoted field */
                    }
                    f[k++] = s[i++];
                }
            }
            f[k] = 0;
            if (!csv_push(t, f))
                return 0;
            if (i < n && s[i] == ',') {
                i++;
                continue;
            }
            if (i + 1 < n && s[i] == '\r' && s[i + 1] == '\n') {
                i += 2;
                break;
            }
            return 0; /* text after a quoted field, a bare CR or LF, or
                         no CRLF at the end */
        }
        size_t *v = realloc(t->row_end, (t->nrows + 1) * sizeof *v);
        if (!v)
            return 0;
        t->row_end = v;
        t->row_end[t->nrows++] = t->nfields;
    }
    return 1;
}

#endif
