/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Tests for the CLI's JSON numbers: json_number writes what printf's
 * "%.4f" writes, trailing zeros and a bare point dropped, "-0" as "0" and
 * anything not finite as 0; checked against snprintf on random values,
 * on values at and next to the ties of the fourth decimal, and on edges.
 */
#include "test.h"

#include <math.h>

#include "src/cli/render.h"

/* What json_number has always written: printf, then trimmed. */
static void reference(double x, char *b, size_t n)
{
    if (!isfinite(x))
        x = 0;
    snprintf(b, n, "%.4f", x);
    size_t k = strlen(b);
    while (k > 1 && b[k - 1] == '0')
        b[--k] = 0;
    if (k > 1 && b[k - 1] == '.')
        b[--k] = 0;
    if (!strcmp(b, "-0"))
        strcpy(b, "0");
}

static int check_one(double x)
{
    char want[64], got[64] = {0};
    reference(x, want, sizeof want);
    FILE *f = fmemopen(got, sizeof got - 1, "w");
    CHECK(f);
    json_number(f, x);
    fclose(f);
    if (strcmp(got, want)) {
        fprintf(stderr, "json_number(%.17g): \"%s\", printf \"%s\"\n", x, got,
                want);
        return 1;
    }
    return 0;
}

int main(void)
{
    int bad = 0;
    size_t n = 0;
    uint64_t seed = 11;
    for (int i = 0; i < 200000; i++, n++) { /* scores: [0, 1] */
        double x = (double)(test_rand(&seed) >> 11) * 0x1p-53;
        bad += check_one(x);
    }
    for (int k = 0; k <= 20000; k++) /* ties of the fourth decimal */
        for (int d = -2; d <= 2; d++, n++) {
            double x = (k + 0.5) / 1e4;
            for (int s = 0; s < (d < 0 ? -d : d); s++)
                x = nextafter(x, d < 0 ? 0 : 2);
            bad += check_one(x);
        }
    const double edge[] = {0, -0.0, 1, 0.5, 0.99995, 0.00005, 0.00004999,
                           1e-300, 123456.78905, 999999.99995, 1e6, 2e9,
                           -0.25, -0.00001, NAN, INFINITY, -INFINITY};
    for (size_t i = 0; i < sizeof edge / sizeof *edge; i++, n++)
        bad += check_one(edge[i]);
    printf("%zu numbers, %d differ from printf\n", n, bad);
    CHECK_EQ_INT(bad, 0);
    printf("render: all tests passed\n");
    return 0;
}
