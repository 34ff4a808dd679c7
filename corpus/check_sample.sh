#!/bin/sh
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 the neardup authors
# Regenerates the committed sample corpus with the command documented in
# corpus/README.md and compares it byte for byte with corpus/sample/ (the
# documents) and corpus/sample-truth/ (its truth files): ndgen must be
# deterministic.  With --update, rewrites the sample instead (after a
# deliberate change to the generator).
# usage: check_sample.sh NDGEN SAMPLE_DIR TRUTH_DIR
#        check_sample.sh NDGEN --update SAMPLE_DIR TRUTH_DIR
set -eu

SAMPLE_ARGS="--seed 3 --docs 48 --doc-chars 900:2400 --compilation-share 0.07
  --compilation-max 10 --gb18030-share 0.035 --utf16-share 0.035
  --bom-share 0.04 --crlf-share 0.04 --english-share 0.05 --dup-share 0.12
  --edge-share 0.1 --footer-share 0.2 --passages 1.2"

ndgen=$1
shift
if [ "$1" = --update ]; then
    rm -rf "$2" "$3"
    # shellcheck disable=SC2086
    exec "$ndgen" --out "$2" --truth "$3" $SAMPLE_ARGS
fi
sample=$1
truth=$2

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
# shellcheck disable=SC2086
"$ndgen" --quiet --out "$tmp/gen" --truth "$tmp/truth" $SAMPLE_ARGS
status=0
total=0
for pair in "$sample:$tmp/gen" "$truth:$tmp/truth"; do
    want=${pair%%:*}
    got=${pair#*:}
    (cd "$want" && ls) >"$tmp/want"
    (cd "$got" && ls) >"$tmp/got"
    if ! cmp -s "$tmp/want" "$tmp/got"; then
        echo "check_sample: file lists of $want differ:" >&2
        diff "$tmp/want" "$tmp/got" >&2 || true
        exit 1
    fi
    while read -r f; do
        cmp "$want/$f" "$got/$f" || status=1
    done <"$tmp/want"
    total=$((total + $(wc -l <"$tmp/want")))
done
[ "$status" = 0 ] && echo "check_sample: $total files identical"
exit "$status"
