/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Shared by the fuzz targets: the libFuzzer entry point, a property check
 * that aborts (so libFuzzer and the replay program both report it), a
 * context built once per process, and a reader that hands out the bytes of
 * the input as small parameters before the rest is used as data.
 */
#ifndef ND_FUZZ_H
#define ND_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "src/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A property the target checks: on violation print it and abort. */
#define FUZZ_CHECK(cond)                                                   \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "%s:%d: property violated: %s\n", __FILE__,    \
                    __LINE__, #cond);                                      \
            abort();                                                       \
        }                                                                  \
    } while (0)

/* An allocation or ICU failure is not a finding, but anything else from
 * the library is checked by the caller. */
#define FUZZ_OK(expr)                                                      \
    do {                                                                   \
        int fuzz_rc_ = (expr);                                             \
        if (fuzz_rc_ != ND_OK) {                                           \
            fprintf(stderr, "%s:%d: %s returned %d (%s)\n", __FILE__,      \
                    __LINE__, #expr, fuzz_rc_, nd_strerror(fuzz_rc_));     \
            abort();                                                       \
        }                                                                  \
    } while (0)

/* Consume the input front to back. */
typedef struct fuzz_in {
    const uint8_t *p;
    size_t n;
} fuzz_in;

static inline unsigned fuzz_byte(fuzz_in *in)
{
    if (!in->n)
        return 0;
    in->n--;
    return *in->p++;
}

/* Encodings a target may force (index 0: detect). */
static const char *const fuzz_encodings[] = {
    NULL, "UTF-8", "UTF-16LE", "UTF-16BE", "GB18030", "Big5", "Shift_JIS",
    "EUC-KR", "UTF-32LE", "windows-1252", "ISO-8859-5", "EUC-JP",
    "ISO-2022-JP", "UTF-7",
};
#define FUZZ_NENC (sizeof fuzz_encodings / sizeof *fuzz_encodings)

/* A context with the given variant of settings, built once (the
 * normalization tables take tens of milliseconds). */
nd_ctx *fuzz_ctx(unsigned variant);

#endif
