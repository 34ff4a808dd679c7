# SPDX-License-Identifier: MIT
# Copyright (c) 2026 the neardup authors
#
# Bad inputs: a missing file, a binary file, an undecodable forced
# encoding and an unwritable output each exit with status 2 and a message
# on standard error naming the path, while the other inputs are still
# processed and their results written.

. "$(dirname "$0")/lib.sh"
cd "$T" || fail "cd"

put good.txt "$RIVER" "$RIVER2"
put other.txt "$TOURISM"
printf '\211PNG\r\n\032\n\000\000\000\rIHDR\000\000\001\000' >bin.dat

# docs FILE...: standard output holds exactly one document record for each
# FILE, in order.
docs() {
    "$PY" - "$T/out" "$@" <<'PYEOF' || fail "documents written: want $*"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
files = [r["file"] for r in recs if r["type"] == "document"]
if files != sys.argv[2:]:
    sys.exit("documents of %r, want %r" % (files, sys.argv[2:]))
if any(r["chars"] < 100 for r in recs if r["type"] == "document"):
    sys.exit("a document lost its text")
PYEOF
}

# names WORD...: standard error mentions every WORD.
names() {
    for w in "$@"; do
        grep -qF -- "$w" "$T/err" || fail "standard error does not name $w"
    done
}

run "$ND" segments -f jsonl good.txt
expect_status 0 "good input"
[ -s err ] && fail "diagnostics for a good input"
docs good.txt

run "$ND" segments -f jsonl good.txt missing.txt other.txt
expect_status 2 "missing file"
names missing.txt
docs good.txt other.txt

run "$ND" segments -f jsonl bin.dat good.txt
expect_status 2 "binary file"
names bin.dat binary
docs good.txt

run "$ND" segments -f jsonl bin.dat
expect_status 2 "binary file alone"
names bin.dat
[ -s out ] && fail "output for a binary file alone"

run "$ND" normalize good.txt missing.txt
expect_status 2 "normalize with a missing file"
names missing.txt
[ "$(wc -l <out)" -eq 1 ] || fail "normalize: one line for good.txt"
grep -q '^今年夏天县里组织了一次大规模的河道清理行动' out ||
    fail "normalize: text of good.txt"

# A directory with a binary file in it: the others are scanned.
mkdir dir
cp good.txt other.txt bin.dat dir/
run "$ND" scan -f jsonl dir
expect_status 2 "scan of a directory with a binary file"
names dir/bin.dat
docs dir/good.txt dir/other.txt

# Several bad inputs: each is named.
run "$ND" scan -f jsonl missing.txt good.txt bin.dat nowhere/
expect_status 2 "scan with several bad inputs"
names missing.txt bin.dat nowhere
docs good.txt

# A forced encoding ICU does not know.
run "$ND" segments --encoding no-such-charset-42 good.txt
expect_status 2 "unknown encoding"
names good.txt no-such-charset-42

# An output file that cannot be created.
run "$ND" segments -o nowhere/out.jsonl good.txt
expect_status 2 "unwritable output"
names nowhere/out.jsonl
exit 0
