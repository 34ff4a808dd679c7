# SPDX-License-Identifier: MIT
# Copyright (c) 2026 the neardup authors
#
# `neardup index add` killed with SIGKILL at 50 points (issue 8): after each
# kill the index opens, passes SQLite's integrity check, holds whole batches
# only (every file with its documents, the counters in step), and still
# holds every file an earlier run had committed; the next run goes on from
# there, and a last run completes the index.  A run killed while creating
# the index leaves a file without tables, which the next add completes.
# The kill points come from a fixed seed, as fractions of the time a whole
# run takes on this machine (sanitizer builds are several times slower).

. "$(dirname "$0")/lib.sh"
cd "$T" || fail "cd"

"$PY" - <<'PYEOF' || fail "generate"
import os, random
rng = random.Random(11)
chars = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
os.makedirs("corpus/a")
os.makedirs("corpus/b")
for i in range(3000):
    t = "".join(rng.choice(chars) for _ in range(200))
    with open("corpus/%s/f%04d.txt" % ("ab"[i % 2], i), "w",
              encoding="utf-8") as f:
        f.write("第%d号\n%s\n" % (i, t))
fractions = [round(rng.uniform(0.01, 0.15), 3) for _ in range(50)]
open("fractions", "w").write("\n".join(map(str, fractions)) + "\n")
PYEOF

# The state after a kill: integrity, whole batches, and no committed file
# lost (the paths of the last state are a subset of this one's).
cat > state.py <<'PYEOF'
import os, sqlite3, sys
prev = set(open(sys.argv[2]).read().split("\n")) - {""}
if not os.path.exists(sys.argv[1]):  # killed before it was created
    assert not prev, "the index vanished"
    print(0)
    sys.exit(0)
c = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
ok = c.execute("PRAGMA integrity_check").fetchone()[0]
assert ok == "ok", ok
if not c.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
    # killed while creating it: no schema yet, nothing committed
    assert not prev, "the index lost its tables"
    print("unborn")
    sys.exit(0)
files = [r[0] for r in c.execute("SELECT path FROM files")]
docs = c.execute("SELECT count(*) FROM docs").fetchone()[0]
meta = dict(c.execute("SELECT key, value FROM meta"))
assert docs == len(files), (docs, len(files))
assert int(meta["files"]) == len(files), (meta["files"], len(files))
assert len(files) % 5 == 0, len(files)
lost = prev - set(files)
assert not lost, "lost after a kill: %s" % sorted(lost)[:3]
open(sys.argv[2], "w").write("\n".join(sorted(files)) + "\n")
print(len(files))
PYEOF
: > committed

# Kill points as fractions of the time a whole run takes on this machine
# (sanitizer builds are several times slower).
full=$("$PY" - "$ND" <<'PYEOF'
import subprocess, sys, time
t = time.time()
subprocess.run([sys.argv[1], "index", "add", "-q", "--batch", "5", "cal.db",
                "corpus"], check=True, stdout=subprocess.DEVNULL)
print("%.3f" % (time.time() - t))
PYEOF
) || fail "calibration run"
awk -v t="$full" '{ printf "%.3f\n", $1 * t }' fractions > delays

k=0
grew=0
last=0
unborn=0
while read -r d; do
    k=$((k + 1))
    "$ND" index add -q --batch 5 ix.db corpus >/dev/null 2>add.err &
    pid=$!
    sleep "$d"
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    n=$("$PY" state.py ix.db committed 2>state.err) ||
        { cat state.err >&2; fail "kill $k (after ${d}s): bad state"; }
    # The command itself opens the index after the kill; one killed while
    # being created is refused by info (nothing in it) and completed by
    # the next add.
    if [ "$n" = unborn ]; then
        unborn=$((unborn + 1))
        run "$ND" index info -f jsonl ix.db
        expect_status 2 "info of an index whose creation was killed"
        grep -q "creation was interrupted" err || fail "unborn message"
        continue
    fi
    [ "$n" -gt "$last" ] && grew=$((grew + 1))
    last=$n
    if [ -e ix.db ]; then
        run "$ND" index info -f jsonl ix.db
        expect_status 0 "info after kill $k"
    fi
done < delays
[ "$k" -eq 50 ] || fail "ran $k kills"
# Killed runs made progress (some finished before their kill, which is
# fine: the next run then finds everything unchanged).
[ "$grew" -ge 3 ] || fail "only $grew of 50 killed runs committed anything"

run "$ND" index add ix.db corpus
expect_status 0 "last run"
n=$("$PY" state.py ix.db committed) || fail "final state"
[ "$n" -eq 3000 ] || fail "final index holds $n of 3000 files"
echo "50 kills: index grew in $grew runs ($unborn killed while creating it), complete at 3000 files"

# The state a kill during creation leaves, made on purpose: an SQLite file
# in WAL mode without any table.  info refuses it, add completes it.
"$PY" -c 'import sqlite3
c = sqlite3.connect("unborn.db"); c.execute("PRAGMA journal_mode=WAL"); c.close()'
run "$ND" index info unborn.db
expect_status 2 "info of an unborn index"
grep -q "creation was interrupted" err || fail "unborn message"
run "$ND" index add unborn.db corpus/a/f0000.txt
expect_status 0 "add completes an unborn index"
grep -q "creating it now" err || fail "add says it completes the index"
run "$ND" index info -f jsonl unborn.db
expect_status 0 "info of the completed index"
"$PY" -c 'import json
r = json.loads(open("out").read())
assert r["files"] == 1, r' || fail "completed unborn index"
