# SPDX-License-Identifier: MIT
# Copyright (c) 2026 the neardup authors
#
# Hostile and huge inputs, made at test time in a temporary folder: a long
# file without a newline, a file of newlines only, many tiny files in
# nested folders (pairs of copies: many small clusters), many copies of
# one line, documents of one repeated character, symbolic link loops, a
# FIFO and devices given as input, file names with newlines, tabs and
# invalid UTF-8, and a file growing while it is read.  Each run must end
# (no hang), exit 0 when every input was read and 2 when one was skipped
# (naming it and the reason on standard error), write valid JSON Lines,
# and stay within a memory bound that is printed and checked: 20 bytes per
# input byte for one long line, 200 per newline, 600 per copied line, 200
# per repeated character (both files), 20 KB per tiny file, plus 150 MB.
#
# HOSTILE_SCALE=small (default suite) or big (the opt-in `slow` suite:
# 300 MB without a newline, 10 million newlines, 100,000 files, 2 million
# copies of a line).

. "$(dirname "$0")/lib.sh"
cd "$T" || fail "cd"
MEASURE="$(dirname "$0")/measure.py"
case $MEASURE in /*) ;; *) MEASURE=$OLDPWD/$MEASURE ;; esac
SCALE=${HOSTILE_SCALE:-small}
if [ "$SCALE" = big ]; then
    BIG_LINE=300000000 NEWLINES=10000000 TINY=100000 COPIES=2000000
    ONECHAR=10000000 LIMIT=3600
else
    BIG_LINE=3000000 NEWLINES=100000 TINY=2000 COPIES=20000
    ONECHAR=300000 LIMIT=300
fi

# Under AddressSanitizer (scripts/test's second build) memory is shadowed
# and freed blocks are quarantined: bounds are 3 times larger plus 256 MB.
if ldd "$ND" 2>/dev/null | grep -q libasan; then
    asan=1
else
    asan=0
fi

# measure NAME MAX_MB CMD...: run CMD (status in $rc, output in out, err),
# print its peak memory and time, and fail above MAX_MB or on a hang.
measure() {
    name=$1 max=$2
    [ "$asan" = 1 ] && max=$((max * 3 + 256))
    shift 2
    set -- $("$PY" "$MEASURE" "$LIMIT" "$T/out" "$T/err" "$@")
    rc=$1
    [ "$rc" = hang ] && fail "$name: still running after ${LIMIT}s"
    mb=$(($2 / 1024))
    echo "hostile[$SCALE] $name: exit $rc, peak RSS $mb MB, $3 s"
    [ "$mb" -le "$max" ] || fail "$name: peak RSS $mb MB above $max MB"
}

# valid_jsonl: every line of out is a JSON object; prints the count of
# each record type ("document=3 pair=1 ...").
valid_jsonl() {
    "$PY" - "$T/out" <<'PYEOF' || fail "output is not valid JSON Lines"
import collections, json, sys
n = collections.Counter()
with open(sys.argv[1], "rb") as f:
    for line in f:
        r = json.loads(line.decode("utf-8"))
        n[r["type"]] += 1
print(" ".join("%s=%d" % kv for kv in sorted(n.items())))
PYEOF
}

names() {
    for w in "$@"; do
        grep -qF -- "$w" "$T/err" || fail "standard error does not name $w"
    done
}

# gen KIND ARGS: write generated inputs (deterministic) with Python.
gen() {
    "$PY" - "$@" <<'PYEOF'
import os, random, sys
kind = sys.argv[1]
def cjk(rng, n):
    return "".join(chr(0x4E00 + rng.randrange(3000)) for _ in range(n))
if kind == "line":        # one line of N bytes of CJK text, no newline
    path, size = sys.argv[2], int(sys.argv[3])
    blocks = [cjk(random.Random(i), 1 << 18).encode() for i in range(4)]
    with open(path, "wb") as f:
        left, i = size, 0
        while left > 0:
            b = blocks[i % 4][:left]
            b = b[:len(b) - len(b) % 3]  # whole characters
            if not b:
                break
            f.write(b)
            left -= len(b)
            i += 1
elif kind == "tiny":      # N files in nested folders, pairs of copies
    root, n = sys.argv[2], int(sys.argv[3])
    for k in range(n):
        d = os.path.join(root, "d%02d" % (k % 100), "e%d" % (k % 7))
        os.makedirs(d, exist_ok=True)
        text = "第%d号：" % (k // 2) + cjk(random.Random(k // 2), 40)
        with open(os.path.join(d, "f%06d.txt" % k), "w") as f:
            f.write(text + "\n")
PYEOF
}

# ---------------------------------------------------------------- huge

gen line long.txt "$BIG_LINE"
measure "one line of $BIG_LINE bytes" $((BIG_LINE * 20 / 1000000 + 150)) \
    "$ND" scan -f jsonl long.txt
expect_status 0 "long line"
[ "$(valid_jsonl)" = "document=1" ] || fail "long line: one document"
grep -q "\"end\":$(wc -c <long.txt | tr -d ' ')," out ||
    fail "long line: the document ends at the end of the file"
rm -f long.txt

"$PY" -c "import sys; sys.stdout.write('\n' * $NEWLINES)" >newlines.txt
measure "$NEWLINES newlines" $((NEWLINES * 200 / 1000000 + 150)) \
    "$ND" scan -f jsonl newlines.txt
expect_status 0 "newlines"
[ "$(valid_jsonl)" = "document=1" ] || fail "newlines: one document"
rm -f newlines.txt

"$PY" -c "import sys; sys.stdout.write('这是一行完全相同的文字。\n' * $COPIES)" \
    >copies.txt
measure "$COPIES copies of a line" $((COPIES * 600 / 1000000 + 150)) \
    "$ND" scan -f jsonl copies.txt
expect_status 0 "copies"
[ "$(valid_jsonl)" = "document=1" ] || fail "copies: one document"
rm -f copies.txt

# Two documents of one repeated character: every shingle identical.
"$PY" -c "import sys; sys.stdout.write('啊' * $ONECHAR)" >one1.txt
cp one1.txt one2.txt
measure "2 x $ONECHAR identical characters" \
    $((ONECHAR * 200 / 1000000 + 150)) "$ND" scan -f jsonl one1.txt one2.txt
expect_status 0 "one character"
valid_jsonl | grep -q "cluster=1 document=2 pair=1" ||
    fail "one character: the two documents are a near-duplicate pair"
rm -f one1.txt one2.txt

gen tiny tiny "$TINY"
measure "$TINY tiny files" $((TINY * 20 / 1000 + 150)) \
    "$ND" scan -f jsonl tiny
expect_status 0 "tiny files"
counts=$(valid_jsonl)
echo "$counts" | grep -q "cluster=$((TINY / 2)) document=$TINY pair=$((TINY / 2))" ||
    fail "tiny files: $counts, want $((TINY / 2)) pairs and clusters"
rm -rf tiny

# ------------------------------------------------------------ hostile

put good.txt "$RIVER" "$RIVER2"

# Symbolic link loops: a link to itself, a folder linking to itself.
ln -s loop loop
mkdir d
cp good.txt d/
ln -s ../d d/self
measure "symbolic link loops" 150 "$ND" scan -f jsonl loop d
expect_status 2 "link loops"
names loop "symbolic link loop" d/self "directory loop"
valid_jsonl | grep -qw "document=1" || fail "link loops: d/good.txt once"

# A FIFO without a writer, named directly and inside a folder, and
# devices: skipped with a message, never read (no hang).
mkfifo fifo
mkdir withfifo
mkfifo withfifo/p
cp good.txt withfifo/
measure "FIFO and devices" 150 \
    "$ND" scan -f jsonl fifo withfifo /dev/zero /dev/null good.txt
expect_status 2 "FIFO and devices"
names fifo "a FIFO" withfifo/p /dev/zero /dev/null "character device"
valid_jsonl | grep -qw "document=2" || fail "FIFO: the regular files read"

# File names with a newline, a tab, a backslash and invalid UTF-8; the
# last one also holds an invalid byte, so a warning names it.
nl_name=$(printf 'a\nb.txt')
tab_name=$(printf 'c\td\\e.txt')
bad_name=$(printf 'bad\377\376.txt')
put "$nl_name" "$RIVER" "$RIVER2"
put "$tab_name" "$SPORTS"
put "$bad_name" "$LIBRARY"
printf '\377' >>"$bad_name"
measure "hostile names (jsonl)" 150 "$ND" scan -f jsonl "$nl_name" \
    "$tab_name" "$bad_name"
expect_status 2 "hostile names: the invalid byte is reported"
valid_jsonl >/dev/null
"$PY" - "$T/out" <<'PYEOF' || fail "hostile names in JSON"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
files = [r["file"] for r in recs if r["type"] == "document"]
want = ["a\nb.txt", "c\td\\e.txt", "bad\ufffd\ufffd.txt"]
if files != want:
    sys.exit("files %r, want %r" % (files, want))
if not any(r["type"] == "passage" and r["a_file"] == "a\nb.txt"
           for r in recs):
    sys.exit("no passage quoting the file with a newline in its name")
PYEOF
grep -qF 'bad\xff\xfe.txt' err || fail "warning names the file escaped"
grep -q '^b\.txt' err && fail "a newline in a name split a diagnostic"
measure "hostile names (text)" 150 "$ND" scan "$nl_name" "$tab_name" \
    "$bad_name"
expect_status 2 "hostile names, text"
grep -qF 'a\nb.txt#0' out || fail "text output escapes a newline in a name"
grep -qF 'c\td\\e.txt' out || fail "text output escapes tab and backslash"
grep -q '^b\.txt' out && fail "a newline in a name split an output line"
"$PY" -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8")' \
    "$T/out" || fail "text output is not valid UTF-8"
measure "hostile names (segments)" 150 "$ND" segments "$nl_name" "$bad_name"
[ "$(grep -c . out)" -eq 2 ] || fail "segments: one line per document"

# A full disk under the output (standard output and -o): status 2 and the
# reason, not a silent truncated result.
if [ -w /dev/full ]; then
    "$ND" scan -f jsonl good.txt "$nl_name" >/dev/full 2>"$T/err" && rc=0 ||
        rc=$?
    expect_status 2 "standard output on a full disk"
    names "No space left on device"
    run "$ND" scan -f jsonl -o /dev/full good.txt "$nl_name"
    expect_status 2 "-o on a full disk"
    names /dev/full "No space left on device"
fi

# A file growing while it is read (by up to 3 MB): the scan ends, reads a
# snapshot, and says so when it saw the change.
put grow.txt "$TOURISM"
( i=0; while [ $i -lt 4000 ]; do
      printf '%s\n' "$RIVER" >>grow.txt; i=$((i + 1)); done ) &
writer=$!
measure "file growing while read" 400 "$ND" scan -f jsonl grow.txt good.txt
wait "$writer"
[ "$rc" -eq 0 ] || [ "$rc" -eq 2 ] || fail "growing file: exit $rc"
[ "$rc" -eq 0 ] || names grow.txt "changed while being read"
valid_jsonl | grep -q "document=2" || fail "growing file: both documents"
exit 0
