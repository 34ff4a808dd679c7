#!/bin/sh
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 the neardup authors
#
# Index benchmark (prints numbers; not a test).
#   bench/check.sh BUILD_DIR WORK_DIR [SPEECHES [COMPARE]]
# Generates an ndgen corpus of SPEECHES speeches (default 100000) in
# WORK_DIR (reused when present), indexes it with `neardup index add`
# (timed), makes three drafts of about 5,000 characters (the start of an
# indexed speech, 20 pieces of 250 characters from 20 indexed speeches, and
# a new speech from another seed), and times the check: bench_check (the
# library call, median of 7) and the whole `neardup check` command (median
# of 5 wall times), then the command with the index file dropped from the
# page cache before each run (median of 5).  With COMPARE (e.g. 3000),
# also times `neardup scan --threads 1` and `neardup index add` on a
# COMPARE-speech corpus: the throughput ratio of the two.
set -eu
B=$(cd "$1" && pwd)
W=$2
N=${3:-100000}
CMP=${4:-}
ND=$B/src/cli/neardup
mkdir -p "$W"
ms() { date +%s%N; }
elapsed() { echo "$(( ($(ms) - $1) / 1000000 ))"; }

echo "machine: $(nproc) cores, $(uname -m); sqlite $(pkg-config --modversion sqlite3 2>/dev/null || echo ?)"
if [ ! -d "$W/corpus" ]; then
    "$B/corpus/ndgen" --out "$W/corpus" --docs "$N" --quiet
    # the ground truth files are not speeches
    mkdir -p "$W/truth"
    for f in truth.jsonl pairs.tsv speeches.json files.tsv manifest.json; do
        mv "$W/corpus/$f" "$W/truth/"
    done
fi
echo "corpus: $N speeches (ndgen seed 1), $(du -smL "$W/corpus" | cut -f1) MB"
if [ ! -f "$W/index.db" ]; then
    t=$(ms)
    "$ND" index add -q "$W/index.db" "$W/corpus"
    echo "index add: $(elapsed "$t") ms"
fi
"$ND" index info "$W/index.db"

[ -d "$W/fresh" ] ||
    "$B/corpus/ndgen" --out "$W/fresh" --docs 3 --seed 999 --quiet
python3 - "$W" <<'PYEOF'
import os, sys, unicodedata
w = sys.argv[1]
def chars(path):
    b = open(path, "rb").read()
    if b[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return b.decode("utf-16")
    try:
        return b.decode("utf-8-sig")
    except UnicodeDecodeError:
        return b.decode("gb18030", errors="replace")
def cut(text, n):
    # keep whole characters until n letters/digits (normalized characters)
    out, k = [], 0
    for c in text:
        out.append(c)
        if unicodedata.category(c)[0] in "LN":
            k += 1
            if k >= n:
                break
    return "".join(out)
files = sorted(os.listdir(os.path.join(w, "corpus")))
files = [f for f in files if f.endswith(".txt")]
def speech(i):
    return chars(os.path.join(w, "corpus", files[i]))
open(os.path.join(w, "draft-whole.txt"), "w").write(cut(speech(len(files) // 2), 5000))
pieces = []
for k in range(20):
    t = speech((k * 7919) % len(files))
    body = cut(t, 1200)
    pieces.append(cut(body[len(body) // 2:], 250))
open(os.path.join(w, "draft-stitched.txt"), "w").write("\n".join(pieces))
fresh = sorted(f for f in os.listdir(os.path.join(w, "fresh")) if f.endswith(".txt"))
t = "".join(chars(os.path.join(w, "fresh", f)) for f in fresh)
open(os.path.join(w, "draft-fresh.txt"), "w").write(cut(t, 5000))
PYEOF

"$B/bench/bench_check" "$W/index.db" "$W/draft-whole.txt" \
    "$W/draft-stitched.txt" "$W/draft-fresh.txt"
# Cold: the index's pages dropped from the page cache before each run
# (posix_fadvise DONTNEED on the index file only: the program and its
# libraries stay cached; `echo 3 > /proc/sys/vm/drop_caches` drops all).
evict() {
    python3 -c 'import os, sys
for p in sys.argv[1:]:
    if os.path.exists(p):
        fd = os.open(p, os.O_RDONLY)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        os.close(fd)' "$W/index.db" "$W/index.db-wal"
}
# five timed `neardup check` runs of each draft; $1: run before each
command_runs() {
    for d in whole stitched fresh; do
        times=""
        for i in 1 2 3 4 5; do
            $1
            t=$(ms)
            "$ND" check -f jsonl -o /dev/null "$W/index.db" "$W/draft-$d.txt"
            times="$times $(elapsed "$t")"
        done
        med=$(echo "$times" | tr ' ' '\n' | grep . | sort -n | sed -n 3p)
        echo "neardup check draft-$d$2: median $med ms wall (runs:$times)"
    done
}
command_runs true ""
command_runs evict ", index not cached"
echo "load average: $(cat /proc/loadavg)"

if [ -n "$CMP" ]; then
    C=$W/compare-$CMP
    if [ ! -d "$C" ]; then
        "$B/corpus/ndgen" --out "$C" --docs "$CMP" --seed 2 --quiet
        mkdir -p "$C-truth"
        for f in truth.jsonl pairs.tsv speeches.json files.tsv manifest.json
        do
            mv "$C/$f" "$C-truth/"
        done
    fi
    rm -f "$W/compare.db" "$W/compare.db-wal" "$W/compare.db-shm"
    t=$(ms)
    "$ND" scan --threads 1 -f jsonl -o /dev/null "$C"
    ts=$(elapsed "$t")
    t=$(ms)
    "$ND" index add -q "$W/compare.db" "$C" >/dev/null
    ti=$(elapsed "$t")
    echo "compare on $CMP speeches: scan --threads 1 $ts ms, index add $ti ms"
fi
