# SPDX-License-Identifier: MIT
# Copyright (c) 2026 the neardup authors
#
# `neardup index` and `neardup check`.  A directory with a space and
# Chinese in its name holds 25 sources of random Chinese text (no two share
# anything by chance) and a form.  Checked: a draft stitched from 100-char
# pieces of 20 sources (5% each) reports copy ratio ~1 with 20 sources at
# ~0.05; a draft that is one whole source ~1; unrelated text 0;
# --fail-above exit codes; quotes, template and sections; incremental add
# (unchanged, replaced), remove; refusal of other settings, of a file that
# is not an index and of a newer format, each leaving the file unchanged;
# SIGKILL during add (integrity, committed batches kept, re-run completes);
# check while another process adds.

. "$(dirname "$0")/lib.sh"
cd "$T" || fail "cd"

"$PY" - <<'PYEOF' || fail "generate"
import os, random
rng = random.Random(7)
chars = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
def text(n):
    out = []
    for i in range(n):
        out.append(rng.choice(chars))
        if i % 29 == 28:
            out.append("，" if i % 3 else "。")
    return "".join(out)
def plain(s):
    return s.replace("，", "").replace("。", "")
d = "src dir/资料"
os.makedirs(d)
os.makedirs("big")
srcs = []
for i in range(25):
    t = text(1000)
    srcs.append(t)
    with open("%s/源 %02d.txt" % (d, i), "w", encoding="utf-8") as f:
        f.write("第%d号材料的标题行\n" % i + t + "\n")
form = text(300)
with open(d + "/form.txt", "w", encoding="utf-8") as f:
    f.write("申请表格的标准模板\n" + form + "\n")
with open("form-template.txt", "w", encoding="utf-8") as f:
    f.write(form + "\n")
# 20 pieces of 100 normalized characters, one from each of sources 0-19
pieces = []
for i in range(20):
    s = plain(srcs[i])
    pieces.append(s[200:300])
with open("stitched.txt", "w", encoding="utf-8") as f:
    f.write("".join(p + "。\n" for p in pieces))
with open("whole.txt", "w", encoding="utf-8") as f:
    f.write(srcs[3] + "\n")
with open("unrelated.txt", "w", encoding="utf-8") as f:
    f.write(text(1500) + "\n")
own = plain(text(600))
q = plain(srcs[21])[100:400]
with open("quoted.txt", "w", encoding="utf-8") as f:
    f.write(own[:300] + "他说：“" + q + "”" + own[300:] + "\n")
with open("templated.txt", "w", encoding="utf-8") as f:
    f.write(form + "\n" + own + "\n")
with open("sections.txt", "w", encoding="utf-8") as f:
    f.write("一、总体情况\n" + plain(srcs[22])[:400] + "\n二、下一步打算\n"
            + own[:400] + "\n")
for i in range(300):
    with open("big/b%04d.txt" % i, "w", encoding="utf-8") as f:
        f.write(text(2000) + "\n")
PYEOF

SRC="$T/src dir/资料"
IX="$T/ix.db"

run "$ND" index add "$IX" "$T/src dir"
expect_status 0 "index add"
grep -q "26 files added" out || fail "add summary"

run "$ND" index info -f jsonl "$IX"
expect_status 0 "index info"
"$PY" - out <<'PYEOF' || fail "info"
import json, sys
r = json.loads(open(sys.argv[1]).read())
assert r["files"] == 26 and r["documents"] == 26, r
assert r["shingle"] == 5 and r["perm"] == 128 and r["format"] == 2, r
assert r["anchors"] > 1000 and r["bytes"] > 0 and r["segments"] >= 1, r
PYEOF

run "$ND" index add "$IX" "$T/src dir"
expect_status 0 "re-add"
grep -q "0 files added, 0 replaced, 26 unchanged" out || fail "unchanged"

# check: stitched draft, whole source, unrelated text
run "$ND" check -f jsonl "$IX" stitched.txt
expect_status 0 "check stitched"
cp out stitched.jsonl
"$PY" - stitched.jsonl "$SRC" <<'PYEOF' || fail "stitched"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
rep = recs[0]
assert rep["type"] == "report", rep
assert rep["copy_ratio"] >= 0.97, rep["copy_ratio"]
srcs = rep["sources"]
got = sorted(s["file"] for s in srcs if s["share"] > 0.03)
want = sorted("%s/源 %02d.txt" % (sys.argv[2], i) for i in range(20))
assert got == want, (got, want)
for s in srcs:
    assert abs(s["share"] - 0.05) < 0.01 or s["share"] < 0.005, s
assert abs(rep["largest_source_ratio"] - 0.05) < 0.01, rep
pas = [r for r in recs if r["type"] == "passage"]
assert len(pas) >= 20 and rep["passages"] == len(pas), len(pas)
draft = open("stitched.txt", "rb").read()
for p in pas:
    a = draft[p["a_start"]:p["a_end"]].decode("utf-8")
    assert a == p["a_text"], p
    b = open(p["b_file"], "rb").read()[p["b_start"]:p["b_end"]]
    assert b.decode("utf-8") == p["b_text"], p
    assert p["similarity"] > 0.9 and p["df"] == 1 and not p["boilerplate"]
PYEOF

run "$ND" check -f jsonl "$IX" whole.txt
expect_status 0 "check whole"
"$PY" -c 'import json,sys
r = json.loads(open("out").readline())
assert r["copy_ratio"] >= 0.99 and r["sources"][0]["share"] >= 0.99, r
assert r["sources"][0]["file"].endswith("源 03.txt"), r' || fail "whole"

run "$ND" check -f jsonl "$IX" unrelated.txt
expect_status 0 "check unrelated"
"$PY" -c 'import json
r = json.loads(open("out").readline())
assert r["copy_ratio"] <= 0.01 and r["passages"] == 0, r' || fail "unrelated"

# The same records on one thread and on four (a connection each); and
# from a read-only index file of another user (as nobody, when root):
# the same on one thread and on two, without the source texts nobody
# may read.
for th in 1 4; do
    run "$ND" check --threads $th -f jsonl "$IX" stitched.txt
    expect_status 0 "check --threads $th"
    cmp -s out stitched.jsonl || fail "check --threads $th: other records"
done
if [ "$(id -u)" = 0 ] && runuser -u nobody -- true 2>/dev/null; then
    chmod 711 "$T"
    mkdir -m 1777 "$T/ro"
    cp "$IX" stitched.txt "$T/ro/"
    chmod 444 "$T/ro/ix.db" "$T/ro/stitched.txt"
    for th in 1 2; do
        runuser -u nobody -- "$ND" check --threads $th -f jsonl \
            "$T/ro/ix.db" "$T/ro/stitched.txt" >"ro$th.jsonl" 2>"$T/err" ||
            fail "check of a read-only index file, --threads $th"
    done
    cmp -s ro1.jsonl ro2.jsonl || fail "read-only index: other records"
    "$PY" -c 'import json
r = json.loads(open("ro2.jsonl").readline())
assert r["copy_ratio"] >= 0.97, r' || fail "read-only index: copy ratio"
else
    echo "skipped: check as another user of a read-only index (needs root)"
fi

# --fail-above: 1 above, 0 below, 2 on errors; stdin as -
run "$ND" check --fail-above 0.5 "$IX" whole.txt
expect_status 1 "fail-above, copied"
run "$ND" check --fail-above 0.5 "$IX" unrelated.txt
expect_status 0 "fail-above, unrelated"
rc=0
"$ND" check --fail-above 0.5 "$IX" - <whole.txt >out 2>err || rc=$?
expect_status 1 "fail-above, stdin"
run "$ND" check --fail-above 0.5 "$IX" missing.txt
expect_status 2 "missing draft"

# quotes, template, sections
run "$ND" check -f jsonl "$IX" quoted.txt
cp out q1
run "$ND" check -f jsonl --exclude-quotes "$IX" quoted.txt
expect_status 0 "exclude quotes"
"$PY" - q1 out <<'PYEOF' || fail "quotes"
import json, sys
a = json.loads(open(sys.argv[1]).readline())
b = json.loads(open(sys.argv[2]).readline())
assert 0.25 < a["copy_ratio"] < 0.4, a  # 300 of 900
assert abs(a["quoted_ratio"] - a["copy_ratio"]) < 0.02, a
assert b["copy_ratio"] < 0.02 and b["quoted_ratio"] == a["quoted_ratio"], b
PYEOF
run "$ND" check -f jsonl "$IX" templated.txt
cp out t1
run "$ND" check -f jsonl --template form-template.txt "$IX" templated.txt
expect_status 0 "template"
"$PY" - t1 out <<'PYEOF' || fail "template"
import json, sys
a = json.loads(open(sys.argv[1]).readline())
b = json.loads(open(sys.argv[2]).readline())
assert 0.3 < a["copy_ratio"] < 0.4 and a["template_ratio"] == 0, a
assert b["copy_ratio"] < 0.02 and 0.3 < b["template_ratio"] < 0.4, b
PYEOF
run "$ND" check -f jsonl "$IX" sections.txt
"$PY" -c 'import json
r = json.loads(open("out").readline())
s = r["sections"]
assert [x["title"] for x in s] == ["一、总体情况", "二、下一步打算"], s
assert s[0]["copy_ratio"] > 0.95 and s[1]["copy_ratio"] < 0.05, s' ||
    fail "sections"
run "$ND" check --min-match 500 -f jsonl "$IX" stitched.txt
"$PY" -c 'import json
r = json.loads(open("out").readline())
assert r["copy_ratio"] == 0, r' || fail "min-match"

# text rendering names the sources
run "$ND" check "$IX" whole.txt
grep -q "copy ratio 100.0%" out || fail "text report"
grep -q "源 03.txt" out || fail "text source"

# replaced and removed files
printf '%s\n' "追加的一行文字内容" >>"$SRC/源 24.txt"
run "$ND" index add "$IX" "$T/src dir"
expect_status 0 "add changed"
grep -q "0 files added, 1 replaced, 25 unchanged" out || fail "replaced"
run "$ND" index remove "$IX" "$SRC/源 03.txt"
expect_status 0 "remove"
run "$ND" check -f jsonl "$IX" whole.txt
"$PY" -c 'import json
r = json.loads(open("out").readline())
assert r["copy_ratio"] == 0, r' || fail "removed file still found"
run "$ND" index remove "$IX" "$SRC/源 03.txt"
expect_status 2 "remove again"
run "$ND" index info -f jsonl "$IX"
"$PY" -c 'import json
r = json.loads(open("out").read())
assert r["files"] == 25 and r["documents"] == 25, r' || fail "counts"

# A source changed since indexing: still found (stored text), its text
# left out with a warning that says why.
printf '%s\n' "改动" >>"$SRC/源 10.txt"
run "$ND" check -f jsonl "$IX" stitched.txt
expect_status 0 "check with a changed source"
grep -q "源 10.txt: warning: source file changed since it was indexed" err ||
    fail "changed-source warning"
"$PY" -c 'import json
recs = [json.loads(l) for l in open("out", encoding="utf-8")]
p = [r for r in recs if r["type"] == "passage" and r["b_file"].endswith("源 10.txt")]
assert len(p) == 1 and p[0]["b_text"] is None, p
assert all(r["b_text"] for r in recs[1:] if r is not p[0])' ||
    fail "changed source: b_text"

# Other settings are refused; the index is not touched.
sum0=$(cksum <"$IX")
run "$ND" index add -k 7 "$IX" "$T/src dir"
expect_status 2 "other shingle"
grep -q "built with --shingle 5" err || fail "shingle message"
run "$ND" check --no-fold-variants "$IX" whole.txt
expect_status 2 "other normalization"
[ "$(cksum <"$IX")" = "$sum0" ] || fail "index modified by a refused run"

# Not an index, a newer format: clear error, file unchanged.
put notindex.txt "这不是索引文件"
cp notindex.txt notindex.orig
run "$ND" index add notindex.txt "$SRC"
expect_status 2 "not an index"
grep -q "not a neardup index" err || fail "not-an-index message"
cmp -s notindex.txt notindex.orig || fail "non-index file modified"
run "$ND" check notindex.txt whole.txt
expect_status 2 "check not an index"
cp "$IX" newer.db
"$PY" -c 'import sqlite3
c = sqlite3.connect("newer.db"); c.execute("PRAGMA user_version=99")
c.commit(); c.close()' || fail "make newer"
cp newer.db newer.orig
run "$ND" index add newer.db "$SRC"
expect_status 2 "newer index"
grep -q "newer" err || fail "newer message"
cmp -s newer.db newer.orig || fail "newer index modified"
"$PY" -c 'import sqlite3
c = sqlite3.connect("other.db"); c.execute("CREATE TABLE t(x)")
c.commit(); c.close()'
run "$ND" check other.db whole.txt
expect_status 2 "other database"
grep -q "not a neardup index" err || fail "other-db message"

# A corrupt index (every page after the first overwritten): clear error,
# not modified.
"$PY" - "$IX" <<'PYEOF' || fail "make corrupt"
import shutil, sqlite3, sys
shutil.copy(sys.argv[1], "corrupt.db")
c = sqlite3.connect("corrupt.db")
c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
c.close()
b = bytearray(open("corrupt.db", "rb").read())
ps = int.from_bytes(b[16:18], "big")
for i in range(ps, len(b)):
    b[i] = (i * 7) & 255
open("corrupt.db", "wb").write(b)
PYEOF
cp corrupt.db corrupt.orig
run "$ND" check corrupt.db whole.txt
expect_status 2 "corrupt index"
grep -q "corrupt" err || fail "corrupt message"
run "$ND" index add corrupt.db "$SRC"
expect_status 2 "add to a corrupt index"
cmp -s corrupt.db corrupt.orig || fail "corrupt index modified"

# SIGKILL during add: the index opens, passes integrity_check, holds
# whole batches, and a re-run completes it.
"$ND" index add --batch 25 big.db big >/dev/null 2>&1 &
pid=$!
n=0
while [ $n -lt 200 ]; do
    sleep 0.05
    n=$((n + 1))
    cnt=$("$PY" -c 'import sqlite3, sys
try:
    c = sqlite3.connect("file:big.db?mode=ro", uri=True)
    print(c.execute("SELECT count(*) FROM files").fetchone()[0])
except Exception:
    print(0)' 2>/dev/null)
    [ "${cnt:-0}" -ge 50 ] && break
done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
run "$ND" index info big.db
expect_status 0 "info after SIGKILL (read-only open of a hot WAL)"
"$PY" - <<'PYEOF' || fail "after SIGKILL"
import sqlite3
c = sqlite3.connect("big.db")
assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
n = c.execute("SELECT count(*) FROM files").fetchone()[0]
assert n % 25 == 0 and 0 < n <= 300, n
docs = c.execute("SELECT count(*) FROM docs").fetchone()[0]
assert docs == n, (docs, n)
meta = dict(c.execute("SELECT key, value FROM meta"))
assert int(meta["files"]) == n, meta
PYEOF
run "$ND" index add "$T/big.db" big
expect_status 0 "re-run after SIGKILL"
run "$ND" index info -f jsonl big.db
"$PY" -c 'import json
r = json.loads(open("out").read())
assert r["files"] == 300 and r["documents"] == 300, r' || fail "completed"

# check while another process adds to the same index
cp big/b0007.txt draft7.txt
"$ND" index add --batch 20 "$IX" big >/dev/null 2>add.err &
pid=$!
k=0
while [ $k -lt 5 ]; do
    run "$ND" check -f jsonl "$IX" stitched.txt
    expect_status 0 "check during add"
    # 19 of the 20 sources are left (源 03 was removed)
    "$PY" -c 'import json
r = json.loads(open("out").readline())
assert 0.94 <= r["copy_ratio"] <= 0.96, r' || fail "check during add: ratio"
    k=$((k + 1))
done
wait $pid || fail "concurrent add failed: $(cat add.err)"
run "$ND" check -f jsonl "$IX" draft7.txt
"$PY" -c 'import json
r = json.loads(open("out").readline())
assert r["copy_ratio"] >= 0.99, r' || fail "added during checks"

# An index inside the directory it indexes does not index itself.
run "$ND" index add "$SRC/self.db" "$SRC"
expect_status 0 "index inside its directory"
run "$ND" index add "$SRC/self.db" "$SRC"
expect_status 0 "again"
grep -q "0 files added" out || fail "self: second run"
rm -f "$SRC/self.db" "$SRC/self.db-wal" "$SRC/self.db-shm"

# index scan: the same records as scan over the same files (paths aside)
run "$ND" index add "$T/small.db" "$T/src dir"
expect_status 0 "small index"
"$PY" -c 'import sys
d = sys.argv[1]
a = open(d + "/源 05.txt", encoding="utf-8").read()
b = open(d + "/源 06.txt", encoding="utf-8").read()
open(d + "/copy.txt", "w", encoding="utf-8").write(a[:300] + b[400:])' "$SRC"
run "$ND" index add "$T/small.db" "$T/src dir"
run "$ND" index scan -f jsonl "$T/small.db"
expect_status 0 "index scan"
cp out iscan.jsonl
run "$ND" scan -f jsonl "$T/src dir"
expect_status 0 "scan"
"$PY" - iscan.jsonl out <<'PYEOF' || fail "index scan differs from scan"
import json, os, sys
def load(p):
    out = []
    for l in open(p, encoding="utf-8"):
        r = json.loads(l)
        for k in ("file", "a_file", "b_file"):
            if k in r:
                r[k] = os.path.basename(r[k])
        for o in r.get("occurrences", []):
            o["file"] = os.path.basename(o["file"])
        out.append(r)
    return out
a, b = load(sys.argv[1]), load(sys.argv[2])
assert a == b, (len(a), len(b))
assert any(r["type"] == "passage" for r in a)
PYEOF
echo ok
