# SPDX-License-Identifier: MIT
# Copyright (c) 2026 the neardup authors
#
# `neardup segments`: JSON Lines output is valid JSON, one document record
# per speech with the documented fields, and its byte ranges, titles,
# encodings and character counts agree with the files on disk (UTF-8 with
# and without BOM, GB18030, UTF-16, empty).  The text format says the same.

. "$(dirname "$0")/lib.sh"

two_speeches "$T/two.txt"
printf '\357\273\277%s\n' "$TOURISM" >"$T/bom.txt"
put "$T/gb.txt" "$LIBRARY"
encode "$T/gb.txt" gb18030
put "$T/u16body.txt" "乡村旅游调查" "$TOURISM"
encode "$T/u16body.txt" utf-16-le
{ printf '\377\376'; cat "$T/u16body.txt"; } >"$T/u16.txt"
: >"$T/empty.txt"

cd "$T" || fail "cd"
run "$ND" segments --format jsonl two.txt bom.txt gb.txt u16.txt empty.txt
expect_status 0 "segments jsonl"
[ -s err ] && fail "unexpected diagnostics"

"$PY" - out <<'PYEOF' || fail "segments JSON Lines check"
import json, sys, unicodedata
recs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
fields = ["type", "doc", "file", "ordinal", "start", "end", "title",
          "chars", "encoding"]
enc = {"two.txt": "UTF-8", "bom.txt": "UTF-8", "gb.txt": "GB18030",
       "u16.txt": "UTF-16LE", "empty.txt": "UTF-8"}
py_enc = {"UTF-8": "utf-8", "GB18030": "gb18030", "UTF-16LE": "utf-16-le"}
def fail(msg):
    sys.exit("segments: " + msg)
def norm_chars(s):
    s = unicodedata.normalize("NFKC", s).casefold()
    return sum(1 for c in s if unicodedata.category(c)[0] not in "ZPSC")
if [r["file"] for r in recs] != ["two.txt", "two.txt", "bom.txt", "gb.txt",
                                 "u16.txt", "empty.txt"]:
    fail("files and order: %r" % [r["file"] for r in recs])
for i, r in enumerate(recs):
    if list(r) != fields:
        fail("fields %r" % list(r))
    if r["type"] != "document" or r["doc"] != i:
        fail("record %d: %r" % (i, r))
    if r["encoding"] != enc[r["file"]]:
        fail("%s: encoding %s" % (r["file"], r["encoding"]))
    raw = open(r["file"], "rb").read()
    first = i == 0 or recs[i - 1]["file"] != r["file"]
    last = i + 1 == len(recs) or recs[i + 1]["file"] != r["file"]
    bom = 3 if raw[:3] == b"\xef\xbb\xbf" else \
          2 if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else 0
    if first and (r["ordinal"] != 0 or r["start"] != bom):
        fail("%s: first document %r" % (r["file"], r))
    if not first and (r["ordinal"] != recs[i - 1]["ordinal"] + 1 or
                      r["start"] != recs[i - 1]["end"]):
        fail("%s: documents not contiguous %r" % (r["file"], r))
    if last and r["end"] != len(raw):
        fail("%s: last document ends at %d, file has %d bytes"
             % (r["file"], r["end"], len(raw)))
    text = raw[r["start"]:r["end"]].decode(py_enc[r["encoding"]])
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    if r["title"] != (lines[0] if lines else ""):
        fail("%s#%d: title %r" % (r["file"], r["ordinal"], r["title"]))
    if r["chars"] != norm_chars(text):
        fail("%s#%d: chars %d, want %d" % (r["file"], r["ordinal"],
                                           r["chars"], norm_chars(text)))
if recs[0]["title"] != "在全县河道治理工作会议上的讲话" or \
   recs[1]["title"] != "在学校秋季运动会闭幕式上的讲话":
    fail("titles of two.txt")
if recs[5]["chars"] != 0 or recs[5]["end"] != 0:
    fail("empty file %r" % recs[5])
PYEOF
cp out jsonl

# The text format: file, ordinal, start-end, chars, encoding, title.
run "$ND" segments two.txt gb.txt
expect_status 0 "segments text"
"$PY" - out jsonl <<'PYEOF' || fail "segments text check"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
want = ["%s\t%d\t%d-%d\t%d chars\t%s\t%s" % (r["file"], r["ordinal"],
        r["start"], r["end"], r["chars"], r["encoding"], r["title"])
        for r in recs if r["file"] in ("two.txt", "gb.txt")]
got = open(sys.argv[1], encoding="utf-8").read().splitlines()
if got != want:
    sys.exit("got %r\nwant %r" % (got, want))
PYEOF

# Standard input ("-") is read like a file.
run "$ND" segments -f jsonl - <gb.txt
expect_status 0 "segments of standard input"
"$PY" - out jsonl <<'PYEOF' || fail "segments of standard input"
import json, sys
got = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
want = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
want = [dict(r, file="-", doc=0) for r in want if r["file"] == "gb.txt"]
if got != want:
    sys.exit("got %r\nwant %r" % (got, want))
PYEOF

# -o writes the same to a file.
run "$ND" segments -f jsonl -o written.jsonl two.txt bom.txt gb.txt u16.txt \
    empty.txt
expect_status 0 "segments -o"
[ -s out ] && fail "-o: standard output not empty"
cmp -s written.jsonl jsonl || fail "-o: output differs"
exit 0
