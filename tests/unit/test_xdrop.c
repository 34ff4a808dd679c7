/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * The diagonal walk (xdrop.h): nd_xdrop_hh, a run of the mask at a time,
 * gives what the character-at-a-time walk gives on texts with every rate
 * of edits, alphabets small enough for chance matches, both directions,
 * walks cut by the text's ends (texts allocated to their exact size, so
 * that a sanitizer sees any read past them) and every count already had.
 */
#include "test.h"

#include <stdint.h>

#include "xdrop.h"

static uint64_t seed = 11;

static uint32_t rnd(uint32_t n)
{
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(seed >> 33) % n;
}

int main(void)
{
    static const int edits[] = {0, 2, 5, 10, 20, 40, 70, 100}; /* percent */
    size_t walks = 0, reached = 0, dropped = 0, ended = 0;
    for (int round = 0; round < 4000; round++) {
        const uint32_t n = 1 + rnd(300);
        const uint32_t alpha = 2 + rnd(round % 2 ? 5 : 3000);
        const int e = edits[rnd(8)];
        uint16_t *p = malloc(n * sizeof *p), *q = malloc(n * sizeof *q);
        uint32_t *wp = malloc(n * sizeof *wp), *wq = malloc(n * sizeof *wq);
        CHECK(p && q && wp && wq);
        for (uint32_t i = 0; i < n; i++) {
            p[i] = (uint16_t)(0x4E00 + rnd(alpha));
            q[i] = (int)rnd(100) < e ? (uint16_t)(0x4E00 + rnd(alpha)) : p[i];
            wp[i] = p[i];
            wq[i] = q[i];
        }
        for (int w = 0; w < 20; w++) {
            const uint32_t c = rnd(n); /* the anchor */
            const int back = rnd(2);
            const int64_t first = back ? 1 : 0;
            const int64_t room = back ? c : (int64_t)n - c - 1;
            const int64_t last = rnd(4) ? room : (int64_t)rnd((uint32_t)room + 1);
            const uint32_t have = rnd(3) ? 0 : rnd(40);
            const uint32_t need = rnd(80);
            const int64_t step = back ? -1 : 1;
            uint32_t got = nd_xdrop_hh(p + c, q + c, first, last, step, have,
                                       need);
            uint32_t want = nd_xdrop_hh_scalar(p + c, q + c, first, last,
                                               step, have, need);
            if (got != want)
                fprintf(stderr, "n %u c %u first %lld last %lld step %lld "
                        "have %u need %u: %u, scalar %u\n", n, c,
                        (long long)first, (long long)last, (long long)step,
                        have, need, got, want);
            CHECK_EQ_INT(got, want);
            CHECK_EQ_INT(nd_xdrop_ww(wp + c, wq + c, first, last, step, have,
                                     need), want);
            CHECK_EQ_INT(nd_xdrop_hw(p + c, wq + c, first, last, step, have,
                                     need), want);
            walks++;
            if (have + want >= need)
                reached++;
            else if (last - first >= 15)
                dropped++;
            else
                ended++;
        }
        free(p);
        free(q);
        free(wp);
        free(wq);
    }
    /* Every way a walk ends was taken, many times. */
    printf("%zu walks: %zu reached need, %zu stopped, %zu short\n", walks,
           reached, dropped, ended);
    CHECK(reached > 1000 && dropped > 1000 && ended > 1000);
    return 0;
}
