#!/bin/sh
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 the neardup authors
# Regenerates the committed sample corpus with the command documented in
# corpus/README.md and compares it byte for byte with corpus/sample/: ndgen
# must be deterministic.  With --update, rewrites the sample instead (after
# a deliberate change to the generator).
# usage: check_sample.sh NDGEN SAMPLE_DIR
#        check_sample.sh NDGEN --update SAMPLE_DIR
set -eu

SAMPLE_ARGS="--seed 3 --docs 48 --doc-chars 900:2400 --compilation-share 0.07
  --compilation-max 10 --gb18030-share 0.035 --utf16-share 0.035
  --bom-share 0.04 --crlf-share 0.04 --english-share 0.05 --dup-share 0.12
  --edge-share 0.1 --footer-share 0.2 --passages 1.2"

ndgen=$1
shift
if [ "$1" = --update ]; then
    rm -rf "$2"
    # shellcheck disable=SC2086
    exec "$ndgen" --out "$2" $SAMPLE_ARGS
fi
sample=$1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
# shellcheck disable=SC2086
"$ndgen" --quiet --out "$tmp/gen" $SAMPLE_ARGS
(cd "$sample" && ls) >"$tmp/want"
(cd "$tmp/gen" && ls) >"$tmp/got"
if ! cmp -s "$tmp/want" "$tmp/got"; then
    echo "check_sample: file lists differ:" >&2
    diff "$tmp/want" "$tmp/got" >&2 || true
    exit 1
fi
status=0
while read -r f; do
    cmp "$sample/$f" "$tmp/gen/$f" || status=1
done <"$tmp/want"
[ "$status" = 0 ] && echo "check_sample: $(wc -l <"$tmp/want") files identical"
exit "$status"
