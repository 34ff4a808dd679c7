# SPDX-License-Identifier: MIT
# Copyright (c) 2026 the neardup authors
#
# Help, version, and the exit status of command-line mistakes: unknown
# commands and options, bad option values, missing operands.  Mistakes
# exit with status 2, write nothing to standard output and say what was
# wrong on standard error.

. "$(dirname "$0")/lib.sh"
cd "$T" || fail "cd"
put good.txt "$RIVER"

for h in --help -h help; do
    run "$ND" $h
    expect_status 0 "neardup $h"
    grep -q '^usage: neardup COMMAND' out || fail "$h: no usage on stdout"
    grep -q 'scan PATH' out || fail "$h: commands not listed"
    [ -s err ] && fail "$h: standard error not empty"
done
run "$ND" scan --help
expect_status 0 "scan --help"
grep -q '^usage: neardup' out || fail "scan --help: no usage"

run "$ND" --version
expect_status 0 "--version"
grep -Eq '^neardup [0-9]+\.[0-9]+\.[0-9]+$' out || fail "--version output"

# mistake WHAT WORD ARGS...: status 2, nothing on standard output, WORD
# on standard error.
mistake() {
    what=$1
    word=$2
    shift 2
    run "$ND" "$@"
    expect_status 2 "$what"
    [ -s out ] && fail "$what: standard output not empty"
    grep -qF -- "$word" err || fail "$what: standard error lacks '$word'"
}

mistake "no arguments" "usage:"
mistake "unknown command" "frobnicate" frobnicate good.txt
mistake "unknown long option" "Try" scan --no-such-option good.txt
mistake "unknown short option" "Try" segments -Z good.txt
mistake "missing option value" "Try" segments good.txt --format
mistake "unknown format" "xml" segments --format xml good.txt
mistake "unknown split mode" "sideways" segments --split sideways good.txt
mistake "threshold out of range" "threshold" scan -t 1.5 good.txt
mistake "threshold not a number" "threshold" scan -t abc good.txt
mistake "shingle out of range" "shingle" scan -k 0 good.txt
mistake "perm not a multiple of 8" "perm" scan --perm 100 good.txt
mistake "max-df too small" "max-df" scan --max-df 1 good.txt
mistake "no input" "no input" scan
mistake "no input for segments" "no input" segments -f jsonl
# a format the command does not write is refused before -o is created
mistake "csv from normalize" "text or jsonl" normalize -f csv -o made.csv good.txt
[ -e made.csv ] && fail "refused format: -o file created anyway"
mistake "html from segments" "text or jsonl" segments -f html -o made.html good.txt
[ -e made.html ] && fail "refused format: -o file created anyway"
exit 0
