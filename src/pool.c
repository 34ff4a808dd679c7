/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * The work queue of pool.h on POSIX threads.  Threads are started per call:
 * a scan makes a handful of calls, each of milliseconds to minutes, so a
 * persistent pool would save nothing measurable.
 */
#include "pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

#define MAX_THREADS 256

int nd_pool_threads(int threads)
{
    if (threads > 0)
        return threads > MAX_THREADS ? MAX_THREADS : threads;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        return 1;
    return n > MAX_THREADS ? MAX_THREADS : (int)n;
}

/* CPU nanoseconds spent in tasks; those of the busiest thread of each
 * call, and each call's share per thread, summed over the calls since the
 * process started (nd_pool_cpu). */
static atomic_uint_least64_t cpu_all, cpu_busiest, cpu_even;

static uint64_t thread_cpu_ns(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts))
        return 0;
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void nd_pool_cpu(double *all, double *busiest, double *even)
{
    *all = (double)atomic_load(&cpu_all) * 1e-9;
    *busiest = (double)atomic_load(&cpu_busiest) * 1e-9;
    *even = (double)atomic_load(&cpu_even) * 1e-9;
}

typedef struct job {
    int (*fn)(void *user, size_t i, int worker);
    void *user;
    size_t n, block;
    atomic_size_t next;
    atomic_int stop;
    pthread_mutex_t lock;
    size_t err_at; /* index of the first error seen, by index */
    int err;
} job;

typedef struct worker {
    job *j;
    int id;
    uint64_t cpu; /* nanoseconds this thread spent in the call */
} worker;

static void fail(job *j, size_t i, int rc)
{
    atomic_store(&j->stop, 1);
    pthread_mutex_lock(&j->lock);
    if (!j->err || i < j->err_at) {
        j->err = rc;
        j->err_at = i;
    }
    pthread_mutex_unlock(&j->lock);
}

static void *work(void *arg)
{
    worker *w = arg;
    job *j = w->j;
    uint64_t t0 = thread_cpu_ns();
    while (!atomic_load(&j->stop)) {
        size_t s = atomic_fetch_add(&j->next, j->block);
        if (s >= j->n)
            break;
        size_t e = s + j->block < j->n ? s + j->block : j->n;
        for (size_t i = s; i < e; i++) {
            int rc = j->fn(j->user, i, w->id);
            if (rc < 0) {
                fail(j, i, rc);
                break;
            }
        }
    }
    w->cpu = thread_cpu_ns() - t0;
    return NULL;
}

/* Account one call by the CPU time of its @p n threads (@p t wanted). */
static void account(const worker *w, int n, int t)
{
    uint64_t all = 0, most = 0;
    for (int k = 0; k < n; k++) {
        all += w[k].cpu;
        most = w[k].cpu > most ? w[k].cpu : most;
    }
    atomic_fetch_add(&cpu_all, all);
    atomic_fetch_add(&cpu_busiest, most);
    atomic_fetch_add(&cpu_even, all / (uint64_t)t);
}

int nd_pool_run(int threads, size_t n, size_t block,
                int (*fn)(void *user, size_t i, int worker), void *user)
{
    if (!n)
        return ND_OK;
    if (block < 1)
        block = 1;
    int t = nd_pool_threads(threads);
    if ((size_t)t > (n + block - 1) / block)
        t = (int)((n + block - 1) / block);
    if (t <= 1) {
        worker one = {NULL, 0, thread_cpu_ns()};
        int rc = ND_OK;
        for (size_t i = 0; !rc && i < n; i++)
            rc = fn(user, i, 0);
        one.cpu = thread_cpu_ns() - one.cpu;
        account(&one, 1, 1);
        return rc;
    }
    job j = {.fn = fn, .user = user, .n = n, .block = block};
    atomic_init(&j.next, 0);
    atomic_init(&j.stop, 0);
    pthread_mutex_init(&j.lock, NULL);
    pthread_t tid[MAX_THREADS];
    worker w[MAX_THREADS];
    int started = 0;
    w[0] = (worker){&j, 0, 0};
    for (int k = 1; k < t; k++) {
        w[k] = (worker){&j, started + 1, 0};
        if (pthread_create(&tid[started], NULL, work, &w[k]))
            break; /* fewer threads: the others take the work */
        started++;
    }
    work(&w[0]);
    for (int k = 0; k < started; k++)
        pthread_join(tid[k], NULL);
    account(w, started + 1, t);
    pthread_mutex_destroy(&j.lock);
    return j.err;
}
