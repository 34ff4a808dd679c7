/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * The anchor stage (nd_scan_anchor_pairs) on a corpus at several memory
 * budgets: passes, rounds of hits, and the seconds each takes, as CPU time
 * of the one thread that runs it (so a busy machine changes them little).
 *
 *   bench_anchors PATH [BUDGET_MB...]    (0: the default budget; default
 *                                         arguments: 0 and one pass)
 *
 * What more passes cost: each reads every anchor's partition and step and
 * hashes its own anchors again.  The pairs are the same at every budget
 * (checked here).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <nd/nd.h>

#include "src/internal.h"
#include "src/scan.h"
#include "src/util.h"

#include "bench.h"

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s PATH [BUDGET_MB...]\n", argv[0]);
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    nd_settings s;
    nd_default_settings(&s);
    nd_ctx *ctx;
    nd_corpus *c;
    if (nd_ctx_new(&ctx, &s) || nd_corpus_new(ctx, &c) ||
        nd_corpus_add_path(c, argv[1])) {
        fprintf(stderr, "%s: cannot read %s\n", argv[0], argv[1]);
        return 1;
    }
    size_t chars = 0;
    for (size_t i = 0; i < c->docs.n; i++)
        chars += c->docs.v[i].n;
    printf("%zu documents, %zu characters\n", c->docs.n, chars);
    const char *dflt[] = {"0", "1000000"};
    int nb = argc > 2 ? argc - 2 : 2;
    size_t first_pairs = 0;
    for (int k = 0; k < nb; k++) {
        size_t mb = strtoull(argc > 2 ? argv[2 + k] : dflt[k], NULL, 10);
        nd_adfs st;
        nd_u64_vec pairs = {0};
        nd_astats as;
        double t = thread_cpu_now();
        int rc = nd_scan_anchor_pairs(c->docs.v, c->docs.n, s.max_df,
                                      s.min_passage, 1, mb << 20, &st,
                                      &pairs, &as);
        t = thread_cpu_now() - t;
        if (rc) {
            fprintf(stderr, "%s: %s\n", argv[0], nd_strerror(rc));
            return 1;
        }
        printf("budget %zu MB: %zu passes, %zu rounds, %zu anchors, %zu "
               "hits, %zu pairs, %zu early local tests: %.2f s CPU "
               "(winnowing %.2f s)\n", mb, as.passes, as.rounds, st.n,
               as.hits, pairs.n, as.flushes, t, as.t_winnow);
        if (k && pairs.n != first_pairs) {
            fprintf(stderr, "%s: the pairs differ\n", argv[0]);
            return 1;
        }
        first_pairs = pairs.n;
        nd_adfs_free(&st);
        nd_vec_free(&pairs);
    }
    nd_corpus_free(c);
    nd_ctx_free(ctx);
    return 0;
}
