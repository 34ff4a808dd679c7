#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 the neardup authors
#
# Recall of `neardup check` on an ndgen corpus (prints numbers; not a test).
#   bench/eval_check.py NEARDUP INDEX CORPUS_DIR TRUTH_JSONL SAMPLE
# Checks SAMPLE random speech files of the indexed corpus as drafts and
# counts the planted passages (truth.jsonl) whose draft side is covered at
# least half by passages from the right source file (the draft itself left
# out).  Pairs are labelled by their more edited side.
import json, subprocess, sys, random, os, collections
nd, idx, corpus, truth = sys.argv[1:5]
n = int(sys.argv[5])
# a pair is as hard as its more edited side
ORDER = ["edit20", "edit10", "edit5", "neardup", "traditional", "repunct",
         "verbatim"]
by_file = collections.defaultdict(list)
with open(truth, encoding="utf-8") as f:
    for l in f:
        r = json.loads(l)
        if r.get("type") != "passage": continue
        kinds = {r["kind"], r.get("a_kind", r["kind"])}
        kind = next((k for k in ORDER if k in kinds), r["kind"])
        by_file[r["a_file"]].append((r["a_start"], r["a_end"], r["b_file"], kind))
        by_file[r["b_file"]].append((r["b_start"], r["b_end"], r["a_file"], kind))
rng = random.Random(5)
files = sorted(f for f in by_file if os.path.exists(os.path.join(corpus, f)))
sample = rng.sample(files, n)
found = collections.Counter(); total = collections.Counter()
for fn in sample:
    path = os.path.realpath(os.path.join(corpus, fn))
    out = subprocess.run([nd, "check", "-f", "jsonl", idx, path], capture_output=True, text=True).stdout
    recs = [json.loads(l) for l in out.splitlines()]
    pas = [r for r in recs[1:] if os.path.basename(r["b_file"]) != fn]
    for (s, e, other, kind) in by_file[fn]:
        total[kind] += 1
        cov = 0
        for p in pas:
            if os.path.basename(p["b_file"]) != other: continue
            cov += max(0, min(e, p["a_end"]) - max(s, p["a_start"]))
        if cov >= 0.5 * (e - s):
            found[kind] += 1
for k in sorted(total):
    print("%-12s %4d/%4d  recall %.3f" % (k, found[k], total[k], found[k] / total[k]))
print("all          %4d/%4d  recall %.3f" % (sum(found.values()), sum(total.values()), sum(found.values()) / sum(total.values())))
