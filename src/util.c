/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/* Allocation with failure injection, vectors, string buffers, clocks. */
#include "util.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Tests only.  Atomic, so that worker threads may allocate while it is
 * set (which allocation fails is then up to the scheduler). */
static _Atomic long fail_after = -1;

static int alloc_should_fail(void)
{
    long n = atomic_load_explicit(&fail_after, memory_order_relaxed);
    while (n >= 0) {
        if (n == 0)
            return 1;
        if (atomic_compare_exchange_weak(&fail_after, &n, n - 1))
            return 0;
    }
    return 0;
}

void nd_alloc_fail_after(long n) { atomic_store(&fail_after, n); }

void *nd_malloc(size_t size)
{
    if (alloc_should_fail())
        return NULL;
    return malloc(size ? size : 1);
}

void *nd_calloc(size_t n, size_t size)
{
    if (alloc_should_fail())
        return NULL;
    return calloc(n ? n : 1, size ? size : 1);
}

void *nd_realloc(void *p, size_t size)
{
    if (alloc_should_fail())
        return NULL;
    return realloc(p, size ? size : 1);
}

ND_API void nd_free(void *p) { free(p); }

char *nd_strndup(const char *s, size_t n)
{
    char *d = nd_malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = 0;
    }
    return d;
}

char *nd_strdup(const char *s) { return nd_strndup(s, strlen(s)); }

int nd_grow(void **v, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return ND_OK;
    size_t c = *cap ? *cap : 8;
    while (c < need) {
        if (c > SIZE_MAX / 2 / elem)
            return ND_ENOMEM;
        c *= 2;
    }
    void *p = nd_realloc(*v, c * elem);
    if (!p)
        return ND_ENOMEM;
    *v = p;
    *cap = c;
    return ND_OK;
}

int nd_buf_add(nd_buf *b, const char *s, size_t n)
{
    if (nd_grow((void **)&b->s, &b->cap, b->n + n + 1, 1))
        return ND_ENOMEM;
    if (n)
        memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = 0;
    return ND_OK;
}

int nd_buf_addf(nd_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (len < 0 || nd_grow((void **)&b->s, &b->cap, b->n + (size_t)len + 1, 1))
        return ND_ENOMEM;
    va_start(ap, fmt);
    vsnprintf(b->s + b->n, (size_t)len + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)len;
    return ND_OK;
}

int nd_buf_add_cp(nd_buf *b, uint32_t c)
{
    char u[4];
    return nd_buf_add(b, u, nd_utf8_put(c, u));
}

void nd_buf_free(nd_buf *b)
{
    nd_free(b->s);
    b->s = NULL;
    b->n = b->cap = 0;
}

double nd_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int nd_cpu_avx512(void)
{
#if ND_HAVE_AVX512
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") &&
           __builtin_cpu_supports("avx512dq") &&
           __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vl");
#else
    return 0;
#endif
}

static int use_avx512;
static pthread_once_t avx512_once = PTHREAD_ONCE_INIT;

static void choose_avx512(void)
{
    const char *env = getenv("ND_SIMD");
    use_avx512 = (!env || strcmp(env, "scalar")) && nd_cpu_avx512();
}

int nd_use_avx512(void)
{
    pthread_once(&avx512_once, choose_avx512);
    return use_avx512;
}
