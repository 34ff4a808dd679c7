/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Allocation, growable vectors, logging and clocks shared by every module.
 * All library allocation goes through nd_malloc and friends, so that a test
 * can make the Nth allocation fail (nd_alloc_fail_after).
 */
#ifndef ND_UTIL_H
#define ND_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "nd/nd.h"

void *nd_malloc(size_t size);
void *nd_calloc(size_t n, size_t size);
void *nd_realloc(void *p, size_t size);
char *nd_strdup(const char *s);
char *nd_strndup(const char *s, size_t n);
/* nd_free is public (nd.h). */

/* Fail every allocation after the next @n succeed; -1 disables (tests). */
void nd_alloc_fail_after(long n);

/* Grow *v (elements of @elem bytes, capacity *cap) to hold at least @need
 * elements.  Returns ND_OK or ND_ENOMEM (then *v is unchanged). */
int nd_grow(void **v, size_t *cap, size_t need, size_t elem);

/* A typed growable array: ND_VEC(uint32_t) xs = {0}; */
#define ND_VEC(T) struct { T *v; size_t n, cap; }
#define nd_vec_reserve(vec, need)                                          \
    ((need) <= (vec)->cap ? ND_OK                                          \
                          : nd_grow((void **)&(vec)->v, &(vec)->cap,       \
                                    (need), sizeof(*(vec)->v)))
#define nd_vec_push(vec, x)                                                \
    (nd_vec_reserve((vec), (vec)->n + 1) ? ND_ENOMEM                       \
                                         : ((vec)->v[(vec)->n++] = (x), ND_OK))
#define nd_vec_free(vec) (nd_free((vec)->v), (vec)->v = NULL,              \
                          (vec)->n = (vec)->cap = 0)

/* A growable UTF-8 string buffer. */
typedef struct nd_buf {
    char *s;
    size_t n, cap;
} nd_buf;
int nd_buf_add(nd_buf *b, const char *s, size_t n);
int nd_buf_addf(nd_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int nd_buf_add_cp(nd_buf *b, uint32_t cp); /* one code point as UTF-8 */
void nd_buf_free(nd_buf *b);

/* Code point @p c as UTF-8 into @p out (up to 4 bytes; surrogates and
 * values past U+10FFFF as U+FFFD); returns the bytes written. */
static inline size_t nd_utf8_put(uint32_t c, char *out)
{
    unsigned char *u = (unsigned char *)out;
    if ((c >= 0xD800 && c < 0xE000) || c >= 0x110000)
        c = 0xFFFD;
    if (c < 0x80) {
        u[0] = (unsigned char)c;
        return 1;
    }
    if (c < 0x800) {
        u[0] = (unsigned char)(0xC0 | c >> 6);
        u[1] = (unsigned char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        u[0] = (unsigned char)(0xE0 | c >> 12);
        u[1] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
        u[2] = (unsigned char)(0x80 | (c & 0x3F));
        return 3;
    }
    u[0] = (unsigned char)(0xF0 | c >> 18);
    u[1] = (unsigned char)(0x80 | (c >> 12 & 0x3F));
    u[2] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
    u[3] = (unsigned char)(0x80 | (c & 0x3F));
    return 4;
}

/* Monotonic seconds. */
double nd_now(void);

/* AVX-512 kernels are built (x86-64, GCC or Clang); ND_AVX512 marks
 * their functions.  A file with kernels includes <immintrin.h> under
 * #if ND_HAVE_AVX512. */
#if defined(__x86_64__) && defined(__GNUC__)
#define ND_HAVE_AVX512 1
#define ND_AVX512 __attribute__((target("avx512f,avx512dq,avx512bw,avx512vl")))
#else
#define ND_HAVE_AVX512 0
#endif

/* Does the CPU have AVX-512 F, DQ, BW and VL (0 without ND_HAVE_AVX512)? */
int nd_cpu_avx512(void);

/* Do the AVX-512 kernels run: nd_cpu_avx512(), unless the environment
 * variable ND_SIMD is "scalar" (read once, at the first call)? */
int nd_use_avx512(void);

/* Propagation helpers. */
#define ND_TRY(expr)                                                       \
    do {                                                                   \
        int nd_try_rc_ = (expr);                                           \
        if (nd_try_rc_ < 0)                                                \
            return nd_try_rc_;                                             \
    } while (0)

#define ND_MIN(a, b) ((a) < (b) ? (a) : (b))
#define ND_MAX(a, b) ((a) > (b) ? (a) : (b))

#endif
