# SPDX-License-Identifier: MIT
# Copyright (c) 2026 the neardup authors
#
# Valgrind memcheck over whole commands on the sample corpus: `scan` (text
# and JSON Lines), `segments` and `normalize`, plus a scan with inputs that
# are skipped (a missing file, a binary file).  Any memory error or any
# leak (definite, indirect or possible) fails.  Opt-in: meson test --suite
# valgrind (scripts/valgrind installs valgrind and runs it).
# Usage: sh valgrind.sh NEARDUP SAMPLE_DIR
#
# To add once `neardup index add` and `check` exist (other branches):
#   vg "$ND" index add idx.db "$SAMPLE"/*.txt; vg "$ND" check idx.db draft

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
exit 0
