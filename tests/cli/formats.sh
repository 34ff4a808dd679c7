# SPDX-License-Identifier: MIT
# Copyright (c) 2026 the neardup authors
#
# The renderings of one scan: CSV (RFC 4180, pairs and passages), PAN XML
# and the HTML report, checked against the JSON Lines records and against
# the files themselves (decoded here, offsets counted here).  One document
# is hostile: it holds <script>, </textarea>, quotes, & and an invalid
# byte, and shares a passage with river.txt, so its text is in every
# output.  Also colour (--color, NO_COLOR) and --quiet.

. "$(dirname "$0")/lib.sh"
cd "$T" || fail "cd"

hostile_corpus d

run "$ND" scan --format jsonl d
expect_status 2 "invalid byte: warning, status 2, results written"
grep -q 'd/evil.txt' err || fail "no warning naming evil.txt"
cp out all.jsonl
grep -q '"a_file":"d/evil.txt"\|"b_file":"d/evil.txt"' all.jsonl ||
    fail "the hostile document shares no passage"

# --pairs-only: pair records only, and the summary says passages were not
# searched.
run "$ND" scan --pairs-only -f jsonl d
expect_status 2 "--pairs-only jsonl"
grep -q '"type":"passage"' out && fail "--pairs-only wrote passages"
grep -q '"type":"document"' out || fail "--pairs-only wrote no documents"
run "$ND" scan --pairs-only d
expect_status 2 "--pairs-only text"
grep -q 'passages not searched (--pairs-only)' out ||
    fail "--pairs-only summary does not say passages were not searched"

# -o's extension picks the format when -f is not given; -f wins.
run "$ND" scan -o ext.JSONL d
expect_status 2 "-o ext.JSONL"
cmp -s ext.JSONL all.jsonl || fail "-o x.jsonl without -f did not write jsonl"
run "$ND" scan -o ext.csv d
expect_status 2 "-o ext.csv"
head -c 5 ext.csv | grep -q '^a_doc' || fail "-o x.csv did not write csv"
run "$ND" scan -f text -o ext.json d
expect_status 2 "-f text -o ext.json"
head -c 1 ext.json | grep -q '{' && fail "-f text -o x.json wrote jsonl"

run "$ND" scan --format csv d
expect_status 2 "csv pairs"
cp out pairs.csv
run "$ND" scan --format csv --records passages d
expect_status 2 "csv passages"
cp out passages.csv
run "$ND" scan --format pan -o pan d
expect_status 2 "pan"
run "$ND" scan --format html -o r.html d
expect_status 2 "html"
[ -s r.html ] || fail "no HTML report"
[ ! -s out ] || fail "html with -o wrote to standard output"

"$PY" - <<'PYEOF' || fail "format checks"
import csv, io, json, re, sys, os
import xml.etree.ElementTree as ET

recs = [json.loads(l) for l in open("all.jsonl", encoding="utf-8")]
docs = {r["doc"]: r for r in recs if r["type"] == "document"}
pairs = [r for r in recs if r["type"] == "pair"]
passages = [r for r in recs if r["type"] == "passage"]
def fail(msg):
    sys.exit("formats: " + msg)
enc = {"d/river.txt": "utf-8", "d/sports.txt": "utf-8", "d/library.txt":
       "gb18030", "d/tourism.txt": "utf-8", "d/evil.txt": "utf-8"}
def decoded(f):
    raw = open(f, "rb").read()
    skip = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
    return raw, skip
def chars(f, off):
    raw, skip = decoded(f)
    return len(raw[skip:off].decode(enc[f], errors="replace"))
def where(f, off):
    raw, skip = decoded(f)
    before = raw[skip:off].decode(enc[f], errors="replace")
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1

# CSV: RFC 4180 framing (CRLF rows, header), same records as JSON Lines.
for name, want, key in (("pairs.csv", pairs, ("a_doc", "b_doc")),
                        ("passages.csv", passages, ("a_doc", "b_doc"))):
    data = open(name, "rb").read()
    if not data.endswith(b"\r\n"):
        fail(name + ": rows do not end with CRLF")
    data.decode("utf-8")  # UTF-8 throughout
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    if len(rows) != len(want):
        fail("%s: %d rows, want %d" % (name, len(rows), len(want)))
    for row, r in zip(rows, want):
        for k in key:
            if int(row[k]) != r[k]:
                fail("%s: %s %r vs %r" % (name, k, row[k], r[k]))
    if name == "pairs.csv":
        for row, r in zip(rows, want):
            if int(row["reused_chars_a"]) != r["reused_chars_a"] or \
               abs(float(row["jaccard"]) - r["jaccard"]) > 1e-9 or \
               row["near_duplicate"] != str(r["near_duplicate"]).lower():
                fail("pairs.csv row %r vs %r" % (row, r))
            if row["a_title"] != docs[r["a_doc"]]["title"]:
                fail("pairs.csv title %r" % row["a_title"])
    else:
        for row, r in zip(rows, want):
            for side in "ab":
                if row[side + "_text"] != r[side + "_text"]:
                    fail("passages.csv %s_text %r vs %r" % (side,
                         row[side + "_text"], r[side + "_text"]))
                f, s = r[side + "_file"], r[side + "_start"]
                if int(row[side + "_start"]) != s:
                    fail("passages.csv start")
                if (int(row[side + "_line"]), int(row[side + "_column"])) != where(f, s):
                    fail("passages.csv %s line:column %s:%s, want %r" % (side,
                         row[side + "_line"], row[side + "_column"], where(f, s)))

# PAN: one XML per file pair, offsets in characters of the decoded files.
listed = open("pan/pairs", encoding="utf-8").read().split("\n")[:-1]
xmls = sorted(x for x in os.listdir("pan") if x.endswith(".xml"))
if len(listed) != len(xmls) or len(xmls) != len(pairs):
    fail("pan: %d pairs listed, %d xml files, %d pairs" % (len(listed),
         len(xmls), len(pairs)))
features = 0
for x in xmls:
    root = ET.parse(os.path.join("pan", x)).getroot()
    this = root.get("reference")
    if not x.startswith(this[:-4] + "-"):
        fail("pan: %s names %s" % (x, this))
    for ft in root.findall("feature"):
        features += 1
        if ft.get("name") != "detected-plagiarism":
            fail("pan: feature name")
        src = ft.get("source_reference")
        if "%s %s" % (this, src) not in listed:
            fail("pan: %s %s not in pairs" % (this, src))
        to, tl = int(ft.get("this_offset")), int(ft.get("this_length"))
        so, sl = int(ft.get("source_offset")), int(ft.get("source_length"))
        ta = decoded("d/" + this)
        tt = ta[0][ta[1]:].decode(enc["d/" + this], errors="replace")
        sa = decoded("d/" + src)
        st = sa[0][sa[1]:].decode(enc["d/" + src], errors="replace")
        match = [p for p in passages if p["a_file"] == "d/" + this and
                 p["b_file"] == "d/" + src and
                 chars(p["a_file"], p["a_start"]) == to]
        if len(match) != 1:
            fail("pan: feature at %d of %s matches %d passages" % (to, this,
                 len(match)))
        p = match[0]
        if tt[to:to + tl] != p["a_text"] or st[so:so + sl] != p["b_text"]:
            fail("pan: %s[%d:+%d] = %r, passage %r" % (this, to, tl,
                 tt[to:to + tl], p["a_text"]))
if features != len(passages):
    fail("pan: %d features, %d passages" % (features, len(passages)))

# HTML: self-contained, no document text as markup.
html = open("r.html", encoding="utf-8").read()
if len(re.findall(r"<script\b", html, re.I)) != 3:
    fail("html: %d <script> elements, want 3 (ours)" %
         len(re.findall(r"<script\b", html, re.I)))
for bad in ("</textarea", "<b>", "<script>alert", "<!--", "src=", "href=\"http",
            "url(", "@import"):
    if bad in html:
        fail("html: %r appears raw" % bad)
m = re.search(r'<script type="application/json" id="nd-data">(.*?)</script>',
              html, re.S)
data = json.loads(m.group(1))
evil = [i for i, d in enumerate(data["docs"]) if d["file"] == "d/evil.txt"][0]
raw, skip = decoded("d/evil.txt")
d = docs[evil]
want = raw[d["start"]:d["end"]].decode("utf-8", errors="replace")
if data["docs"][evil]["text"] != want:
    fail("html: evil.txt text %r, want %r" % (data["docs"][evil]["text"], want))
if "<script>alert" not in want or "\ufffd" not in want:
    fail("test text lost its markup or invalid byte")
# Passage offsets index code points of the document text.
for q in data["passages"]:
    p = [r for r in passages if r["a_doc"] == q["a"] and r["b_doc"] == q["b"]
         and chars(r["a_file"], r["a_start"]) ==
         chars(r["a_file"], docs[q["a"]]["start"]) + q["as"]]
    if len(p) != 1:
        fail("html passage %r" % q)
    if data["docs"][q["a"]]["text"][q["as"]:q["ae"]] != p[0]["a_text"]:
        fail("html passage text of %r" % q)
PYEOF

# Colour: never in a file, by default; --color=always forces it; NO_COLOR
# and --color=never keep it off.
esc=$(printf '\033')
run "$ND" scan -q d
grep -q "$esc" out && fail "colour codes when standard output is a file"
run "$ND" scan -q --color=always d
grep -q "$esc\[" out || fail "no colour with --color=always"
NO_COLOR=1 run "$ND" scan -q --color=never d
grep -q "$esc" out && fail "colour codes with --color=never"
[ -s err ] && fail "--quiet printed a warning"
# Differences are marked: one character of P1 changed (四 -> 五) in a copy;
# without colour, [-五-] on the copy's side (a: edited.txt sorts first) and
# {+四+} on the river side, and nothing else marked in that passage.
mkdir e
put e/river.txt "$RIVER"
EDITED=$(printf '%s' "$P1" | sed 's/四十多吨/五十多吨/')
put e/edited.txt "这是另一篇文章的开头，讲的完全是别的事情。${EDITED}。结尾也不一样。"
run "$ND" scan --color=never e
expect_status 0 "scan e"
grep -q "垃圾\[-五-\]十多吨" out || fail "changed character not marked on side a"
grep -q "垃圾{+四+}十多吨" out || fail "changed character not marked on side b"
[ "$(grep -o '\[-' out | wc -l)" -eq 1 ] || fail "more than one change marked"

run "$ND" scan --format pan d
expect_status 2 "pan without -o"
grep -q "DIR" err || fail "pan without -o: no explanation"
run "$ND" scan --format csv --records foo d
expect_status 2 "bad --records"
exit 0
