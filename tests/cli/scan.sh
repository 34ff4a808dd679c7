# SPDX-License-Identifier: MIT
# Copyright (c) 2026 the neardup authors
#
# `neardup scan` on a small directory: river.txt lends one 60-character
# passage to sports.txt (UTF-8 with BOM) and another to library.txt
# (GB18030); tourism.txt shares nothing.  The JSON Lines output must hold
# exactly those two passages, with byte spans that, cut from the files on
# disk and decoded in each file's encoding, contain the copied text, and
# a_text/b_text equal to those cuts.  The same command twice gives the
# same bytes, and the text format reports the same passages.

. "$(dirname "$0")/lib.sh"
cd "$T" || fail "cd"

mkdir d
put d/river.txt "$RIVER" "$RIVER2"
printf '\357\273\277%s\n' "$SPORTS" >d/sports.txt
put d/library.txt "$LIBRARY"
encode d/library.txt gb18030
put d/tourism.txt "$TOURISM"

run "$ND" scan --format jsonl d
expect_status 0 "scan"
cp out scan1.jsonl
run "$ND" scan --format jsonl d
expect_status 0 "scan again"
cmp -s out scan1.jsonl || fail "two runs differ"
run "$ND" scan --format jsonl --threads 1 d
cmp -s out scan1.jsonl || fail "one thread differs from all threads"

"$PY" - scan1.jsonl "$P1" "$P2" <<'PYEOF' || fail "scan JSON Lines check"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
p1, p2 = sys.argv[2], sys.argv[3]
enc = {"d/river.txt": "utf-8", "d/sports.txt": "utf-8-sig",
       "d/library.txt": "gb18030", "d/tourism.txt": "utf-8"}
def fail(msg):
    sys.exit("scan: " + msg)
docs = {r["doc"]: r for r in recs if r["type"] == "document"}
if sorted(r["file"] for r in docs.values()) != sorted(enc):
    fail("documents %r" % docs)
want = {("d/river.txt", "d/sports.txt"): p1,
        ("d/river.txt", "d/library.txt"): p2}
seen = {}
for r in recs:
    if r["type"] == "pair":
        if r["a_doc"] >= r["b_doc"]:
            fail("pair not ordered: %r" % r)
        if r["passages"] < 1 or r["near_duplicate"]:
            fail("pair %r" % r)
    if r["type"] != "passage":
        continue
    a, b = r["a_file"], r["b_file"]
    if docs[r["a_doc"]]["file"] != a or docs[r["b_doc"]]["file"] != b:
        fail("passage files %r" % r)
    key = (a, b) if (a, b) in want else (b, a)
    if key not in want:
        fail("unexpected passage between %s and %s" % (a, b))
    copied = want[key]
    for side in "ab":
        f, s, e = r[side + "_file"], r[side + "_start"], r[side + "_end"]
        raw = open(f, "rb").read()
        if not (docs[r[side + "_doc"]]["start"] <= s < e <=
                docs[r[side + "_doc"]]["end"]):
            fail("%s span %d-%d outside its document" % (side, s, e))
        if f == "d/sports.txt" and s < 3:
            fail("span includes the BOM")
        cut = raw[s:e].decode(enc[f].replace("-sig", ""), errors="replace")
        if copied not in cut:
            fail("%s[%d:%d] = %r does not contain the copied text"
                 % (f, s, e, cut))
        if len(cut) > len(copied) + 4:
            fail("%s[%d:%d] = %r is much longer than the copy"
                 % (f, s, e, cut))
        if r[side + "_text"] != cut:
            fail("%s_text %r, file has %r" % (side, r[side + "_text"], cut))
    if r["chars"] != 60 or r["matched"] != 60 or r["similarity"] != 1:
        fail("passage figures %r" % r)
    if r["df"] != 2 or r["boilerplate"]:
        fail("passage df %r" % r)
    seen[key] = seen.get(key, 0) + 1
if seen != {k: 1 for k in want}:
    fail("passages found: %r" % seen)
PYEOF

# The text format names the same spans, as file:line:column (line and
# column counted here from the decoded files), with the same texts.
run "$ND" scan --color=never d
expect_status 0 "scan, text format"
"$PY" - out scan1.jsonl <<'PYEOF' || fail "scan text format check"
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
enc = {"d/river.txt": "utf-8", "d/sports.txt": "utf-8-sig",
       "d/library.txt": "gb18030", "d/tourism.txt": "utf-8"}
def where(f, off):
    raw = open(f, "rb").read()
    skip = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
    before = raw[skip:off].decode(enc[f].replace("-sig", ""))
    line = before.count("\n") + 1
    return line, len(before) - (before.rfind("\n") + 1) + 1
if "\033" in text:
    sys.exit("colour codes with --color=never")
for r in map(json.loads, open(sys.argv[2], encoding="utf-8")):
    if r["type"] == "passage":
        for side in "ab":
            f = r[side + "_file"]
            (l, c), (l2, c2) = where(f, r[side + "_start"]), where(f, r[side + "_end"])
            loc = "%s:%d:%d-%d:%d (bytes %d-%d)" % (f, l, c, l2, c2,
                r[side + "_start"], r[side + "_end"])
            if loc not in text:
                sys.exit("text output lacks %r" % loc)
            if r[side + "_text"].replace("\n", "\u21b5") not in text:
                sys.exit("text output lacks %r" % r[side + "_text"])
if not text.startswith("4 documents in 4 files"):
    sys.exit("no summary first")
PYEOF
exit 0
