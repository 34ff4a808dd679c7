/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * The work queue: every index runs exactly once on a valid worker id for
 * any thread count and block size; an error stops new blocks and the
 * reported error is the one of the smallest failing index seen.
 */
#include <stdatomic.h>

#include "src/pool.h"
#include "src/util.h"
#include "test.h"

#define N 10007

typedef struct state {
    atomic_int hits[N];
    int threads;
    atomic_int bad_worker;
    size_t fail_from; /* indices >= this fail with ND_EIO; N: none */
} state;

static int task(void *user, size_t i, int worker)
{
    state *s = user;
    if (worker < 0 || worker >= s->threads)
        atomic_store(&s->bad_worker, 1);
    atomic_fetch_add(&s->hits[i], 1);
    return i >= s->fail_from ? ND_EIO : ND_OK;
}

int main(void)
{
    static state s;
    CHECK(nd_pool_threads(0) >= 1);
    CHECK_EQ_INT(nd_pool_threads(3), 3);
    static const int threads[] = {1, 2, 3, 8};
    static const size_t blocks[] = {1, 7, 64, 100000};
    for (size_t t = 0; t < sizeof threads / sizeof *threads; t++) {
        for (size_t b = 0; b < sizeof blocks / sizeof *blocks; b++) {
            memset(&s, 0, sizeof s);
            s.threads = threads[t];
            s.fail_from = N;
            CHECK_EQ_INT(nd_pool_run(threads[t], N, blocks[b], task, &s),
                         ND_OK);
            for (size_t i = 0; i < N; i++)
                CHECK_EQ_INT(atomic_load(&s.hits[i]), 1);
            CHECK_EQ_INT(atomic_load(&s.bad_worker), 0);

            /* Errors: the run fails, nothing runs twice, and everything
             * before the first failing index that could be reached did. */
            memset(&s, 0, sizeof s);
            s.threads = threads[t];
            s.fail_from = N / 2;
            CHECK_EQ_INT(nd_pool_run(threads[t], N, blocks[b], task, &s),
                         ND_EIO);
            for (size_t i = 0; i < N; i++)
                CHECK(atomic_load(&s.hits[i]) <= 1);
            if (threads[t] == 1)
                for (size_t i = 0; i <= N / 2; i++)
                    CHECK_EQ_INT(atomic_load(&s.hits[i]), 1);
        }
    }
    CHECK_EQ_INT(nd_pool_run(4, 0, 1, task, &s), ND_OK);
    printf("pool: ok\n");
    return 0;
}
