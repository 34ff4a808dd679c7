/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Contexts shared by every input of a fuzzing process: variant bit 0
 * keeps punctuation, bit 1 disables Traditional to Simplified folding.
 * They live until the process exits (still reachable, not a leak).
 */
#include "fuzz.h"

nd_ctx *fuzz_ctx(unsigned variant)
{
    static nd_ctx *ctx[4];
    variant &= 3;
    if (!ctx[variant]) {
        nd_settings s;
        nd_default_settings(&s);
        s.keep_punct = (int)(variant & 1);
        s.fold_variants = !(variant & 2);
        s.threads = 1;
        FUZZ_OK(nd_ctx_new(&ctx[variant], &s));
    }
    return ctx[variant];
}
