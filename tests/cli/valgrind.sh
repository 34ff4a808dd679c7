# SPDX-License-Identifier: MIT
# Copyright (c) 2026 the neardup authors
#
# Valgrind memcheck over whole commands on the sample corpus: `scan` (text,
# JSON Lines, CSV, HTML), `segments` and `normalize`, a scan with inputs
# that are skipped (a missing file, a binary file); then the index: `index
# add` of the whole sample (and again: nothing changed), `index info`,
# `index scan`, `check` of a draft made of two sample texts' pieces (text,
# JSON Lines, CSV, HTML; a missing draft) and `index remove`.  Any memory
# error or any leak (definite, indirect or possible) fails.  Opt-in: meson
# test --suite valgrind (scripts/valgrind installs valgrind and runs it).
# Usage: sh valgrind.sh NEARDUP SAMPLE_DIR

. "$(dirname "$0")/lib.sh"
SAMPLE=${2:?usage: sh valgrind.sh NEARDUP SAMPLE_DIR}
command -v valgrind >/dev/null || { echo "SKIP: valgrind not installed"; exit 77; }
set -- "$SAMPLE"/*.txt
[ -f "$1" ] || fail "no sample texts in $SAMPLE"

# vg CMD...: run CMD under memcheck; fail on errors or leaks.
vg() {
    rc=0
    valgrind -q --error-exitcode=99 --leak-check=full \
        --suppressions="$(dirname "$0")/valgrind-icu.supp" \
        --show-leak-kinds=definite,indirect,possible \
        --errors-for-leak-kinds=definite,indirect,possible \
        --log-file="$T/vg.log" "$@" >"$T/out" 2>"$T/err" || rc=$?
    if [ "$rc" -eq 99 ] || [ -s "$T/vg.log" ]; then
        cat "$T/vg.log" >&2
        fail "valgrind reports errors or leaks for: $*"
    fi
    echo "valgrind clean: neardup $2 $3 ... (exit $rc)"
}

vg "$ND" scan "$@"
expect_status 0 "scan"
vg "$ND" scan -f jsonl "$@"
expect_status 0 "scan jsonl"
grep -q '"type":"passage"' "$T/out" || fail "scan found no passage"
vg "$ND" segments -f jsonl "$@"
expect_status 0 "segments"
vg "$ND" normalize --offsets "$1"
expect_status 0 "normalize"
printf 'PNG\000\001\002' >"$T/bin.dat"
vg "$ND" scan -f jsonl "$1" "$T/missing.txt" "$T/bin.dat"
expect_status 2 "scan with skipped inputs"
vg "$ND" scan -f csv --records passages "$@"
expect_status 0 "scan csv"
vg "$ND" scan -f html -o "$T/report.html" "$@"
expect_status 0 "scan html"

# The index: add, info, scan, check, remove.
vg "$ND" index add "$T/ix" "$SAMPLE"
expect_status 0 "index add"
vg "$ND" index add "$T/ix" "$SAMPLE"
expect_status 0 "index add again"
grep -q "0 files added" "$T/out" "$T/err" || fail "second add added files"
vg "$ND" index info "$T/ix"
expect_status 0 "index info"
vg "$ND" index scan -f jsonl "$T/ix"
expect_status 0 "index scan"
grep -q '"type":"passage"' "$T/out" || fail "index scan found no passage"
# A draft: the first 1,500 bytes of one sample text and the last 1,500 of
# another (cut at whatever byte: an invalid UTF-8 sequence at the seams
# is part of the test).
{ head -c 1500 "$1"; printf '\n'; tail -c 1500 "$2"; } >"$T/draft.txt"
vg "$ND" check "$T/ix" "$T/draft.txt"
expect_status 0 "check"
vg "$ND" check -f jsonl "$T/ix" "$T/draft.txt"
expect_status 0 "check jsonl"
grep -q '"type":"passage"' "$T/out" || fail "check found no passage"
vg "$ND" check -f csv "$T/ix" "$T/draft.txt"
expect_status 0 "check csv"
vg "$ND" check -f html -o "$T/check.html" "$T/ix" "$T/draft.txt"
expect_status 0 "check html"
vg "$ND" check "$T/ix" "$T/draft.txt" "$T/missing.txt"
expect_status 2 "check with a missing draft"
vg "$ND" index remove "$T/ix" "$1"
expect_status 0 "index remove"
exit 0
