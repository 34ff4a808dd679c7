#!/bin/sh
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 the neardup authors
#
# Index add throughput over time (prints numbers; not a test).
#   bench/index_rate.sh NEARDUP INDEX CORPUS_DIR [SECONDS]
# Runs `neardup index add -q INDEX CORPUS_DIR` (under /usr/bin/time -v)
# and every SECONDS (default 60) prints the committed files, the corpus
# bytes they hold (files are added in path order), the read rate of the
# interval in GB/min, the index size (file + write-ahead log), and the
# anchor segments with their rows; then the command's peak RSS.  Needs
# the sqlite3 command-line shell.
set -eu
ND=$1
IX=$2
DIR=$3
STEP=${4:-60}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# cumulative bytes by file count, in the order index add reads them
python3 - "$DIR" > "$TMP/cum" <<'EOF'
import os, sys
d = sys.argv[1]
tot = 0
print(0)
for n in sorted(os.listdir(d)):
    tot += os.stat(os.path.join(d, n)).st_size
    print(tot)
EOF
/usr/bin/time -v "$ND" index add -q "$IX" "$DIR" > "$TMP/out" 2> "$TMP/err" &
PID=$!
t0=$(date +%s)
prev_b=0
prev_t=$t0
echo "seconds files GB GB/min index_GB segments anchor_rows load"
while kill -0 "$PID" 2>/dev/null; do
    sleep "$STEP"
    f=$(sqlite3 -readonly "$IX" "SELECT value FROM meta WHERE key='files'" 2>/dev/null || echo 0)
    s=$(sqlite3 -readonly "$IX" "SELECT count(*) || ' ' || ifnull(sum(anchors), 0) FROM segments" 2>/dev/null || echo "? ?")
    b=$(sed -n "$(( ${f:-0} + 1 ))p" "$TMP/cum")
    t=$(date +%s)
    sz=$(( $(stat -c %s "$IX" 2>/dev/null || echo 0) + $(stat -c %s "$IX-wal" 2>/dev/null || echo 0) ))
    awk -v t="$((t - t0))" -v f="$f" -v b="$b" -v pb="$prev_b" -v dt="$((t - prev_t))" \
        -v sz="$sz" -v s="$s" -v l="$(cut -d' ' -f1 /proc/loadavg)" \
        'BEGIN { printf "%d %d %.2f %.3f %.2f %s %s\n", t, f, b / 1e9, (b - pb) / 1e9 / (dt / 60), sz / 1e9, s, l }'
    prev_b=$b
    prev_t=$t
done
wait "$PID" || true
cat "$TMP/out"
grep -E "Elapsed|Maximum resident" "$TMP/err"
