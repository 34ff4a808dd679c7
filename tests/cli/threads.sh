# SPDX-License-Identifier: MIT
# Copyright (c) 2026 the neardup authors
#
# Threads and --stats on the committed sample corpus (30 files, 53
# documents, planted passages in five encodings): the JSON Lines output is
# the same bytes with 1, 2, 3 and 8 threads; --stats leaves standard
# output unchanged and writes one {"type":"stats"} JSON line to standard
# error whose counts match the records written.

. "$(dirname "$0")/lib.sh"
S=$(cd "$(dirname "$0")/../../corpus/sample" && pwd) || fail "no sample"

run "$ND" scan --format jsonl --threads 1 "$S"/*.txt
expect_status 0 "scan, one thread"
cp "$T/out" "$T/one.jsonl"
grep -q '"type":"passage"' "$T/one.jsonl" || fail "sample gives no passage"
for n in 2 3 8; do
    run "$ND" scan --format jsonl --threads $n "$S"/*.txt
    expect_status 0 "scan, $n threads"
    cmp -s "$T/out" "$T/one.jsonl" || fail "$n threads differ from one"
done

run "$ND" scan --format jsonl --threads 2 --stats "$S"/*.txt
expect_status 0 "scan --stats"
cmp -s "$T/out" "$T/one.jsonl" || fail "--stats changed standard output"
"$PY" - "$T/out" "$T/err" <<'PYEOF' || fail "stats record"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
lines = [l for l in open(sys.argv[2], encoding="utf-8") if l.strip()]
if len(lines) != 1:
    sys.exit("want one stats line on stderr, got %d" % len(lines))
st = json.loads(lines[0])
count = lambda t: sum(r["type"] == t for r in recs)
want = {"type": "stats", "documents": count("document"),
        "pairs": count("pair"), "passages": count("passage"),
        "boilerplate": count("boilerplate"), "clusters": count("cluster"),
        "threads": 2}
for k, v in want.items():
    if st.get(k) != v:
        sys.exit("stats %s = %r, want %r" % (k, st.get(k), v))
for k in ("t_load", "t_ingest", "t_normalize", "t_sign", "t_lsh",
          "t_align", "t_report", "t_total"):
    if not isinstance(st.get(k), (int, float)) or st[k] < 0:
        sys.exit("stats %s missing or negative: %r" % (k, st.get(k)))
if st["bytes"] <= 0 or st["peak_rss"] <= 0:
    sys.exit("stats bytes/peak_rss not positive")
PYEOF

run "$ND" scan --threads 2 --stats "$S"/*.txt
expect_status 0 "scan --stats, text"
grep -q '^stats: seconds: load' "$T/err" || fail "text stats missing"
exit 0
