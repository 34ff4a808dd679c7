/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * A small work queue: run a function over the indices 0..n-1 on several
 * threads.  Indices are handed out in blocks from an atomic counter, so
 * uneven items (documents of different length, pairs of different size)
 * balance themselves.  Results must be written to per-index slots; the
 * caller combines them in index order afterwards, which keeps every output
 * independent of the thread count.
 */
#ifndef ND_POOL_H
#define ND_POOL_H

#include <stddef.h>

/* Threads to use for a setting of @p threads (0: all online cores). */
int nd_pool_threads(int threads);

/*
 * Call fn(user, i, worker) for every i in [0, n), on at most @p threads
 * threads (worker is 0 .. threads - 1; the calling thread is worker 0).
 * Items are handed out @p block at a time.  After a call returns an error
 * no new block starts; the first error by index among those seen is
 * returned.  With threads == 1, or when a thread cannot be started, the
 * work runs on the calling thread.  Returns ND_OK or fn's error.
 */
int nd_pool_run(int threads, size_t n, size_t block,
                int (*fn)(void *user, size_t i, int worker), void *user);

/*
 * CPU seconds spent in the tasks of every nd_pool_run call so far: by all
 * threads (@p all); by each call's busiest thread (@p busiest); and each
 * call's share per thread (@p even), all summed over the calls.  The
 * process's CPU time minus all, plus even or busiest, is about what a run
 * takes with a core for each thread, whatever else the machine runs: even
 * when the tasks split evenly (many small ones), busiest as they split in
 * this run (on a busy machine the thread that gets the CPU takes more).
 */
void nd_pool_cpu(double *all, double *busiest, double *even);

#endif
