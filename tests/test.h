/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * A tiny assertion header for the unit tests.  A failed check prints the
 * file, line and expression and exits 1; 77 means skipped (meson).
 */
#ifndef ND_TEST_H
#define ND_TEST_H

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond)                                                        \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,         \
                    __LINE__, #cond);                                      \
            exit(1);                                                       \
        }                                                                  \
    } while (0)

#define CHECK_EQ_INT(a, b)                                                 \
    do {                                                                   \
        long long a_ = (long long)(a), b_ = (long long)(b);                \
        if (a_ != b_) {                                                    \
            fprintf(stderr, "%s:%d: %s == %s failed: %lld != %lld\n",      \
                    __FILE__, __LINE__, #a, #b, a_, b_);                   \
            exit(1);                                                       \
        }                                                                  \
    } while (0)

#define CHECK_NEAR(a, b, eps)                                              \
    do {                                                                   \
        double a_ = (double)(a), b_ = (double)(b);                         \
        if (!(fabs(a_ - b_) <= (eps))) {                                   \
            fprintf(stderr, "%s:%d: %s ~ %s failed: %g vs %g (eps %g)\n",  \
                    __FILE__, __LINE__, #a, #b, a_, b_, (double)(eps));    \
            exit(1);                                                       \
        }                                                                  \
    } while (0)

#define CHECK_STR(a, b)                                                    \
    do {                                                                   \
        const char *a_ = (a), *b_ = (b);                                   \
        if (!a_ || !b_ || strcmp(a_, b_) != 0) {                           \
            fprintf(stderr, "%s:%d: %s == %s failed: \"%s\" vs \"%s\"\n",  \
                    __FILE__, __LINE__, #a, #b, a_ ? a_ : "(null)",        \
                    b_ ? b_ : "(null)");                                   \
            exit(1);                                                       \
        }                                                                  \
    } while (0)

#define SKIP(msg)                                                          \
    do {                                                                   \
        printf("SKIP: %s\n", msg);                                         \
        exit(77);                                                          \
    } while (0)

/* Deterministic PRNG for tests (splitmix64). */
static inline uint64_t test_rand(uint64_t *s)
{
    uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

#endif
