#!/bin/sh
# Regenerate the committed sample corpus and compare it byte for byte:
# the generator must be deterministic, and the sample must be what the
# documented command writes.  Usage: check_sample.sh NDGEN SAMPLE_DIR
set -eu
ndgen=$1
sample=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Keep in sync with corpus/README.md.
"$ndgen" --out "$tmp/sample" --docs 50 --seed 2026 --quiet
if ! diff -r "$tmp/sample" "$sample" >/dev/null; then
    echo "corpus/sample differs from: ndgen --out corpus/sample --docs 50 --seed 2026" >&2
    diff -r "$tmp/sample" "$sample" | head -20 >&2
    exit 1
fi
echo "sample corpus regenerates identically"
