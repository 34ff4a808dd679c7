# SPDX-License-Identifier: MIT
# Copyright (c) 2026 the neardup authors
#
# `neardup check` through the shared renderers: --format html (the draft
# audit view's data: copy ratio, sources with shares, copied spans located
# in the draft's text), --format csv (RFC 4180, one row per copied passage,
# offsets and line:column checked against the draft's bytes here) and text.
# The draft (CRLF line ends) copies P1 and P2, 60 characters each, from the
# indexed river text; everything else in it is its own.  Expected ratios
# are counted here: 120 copied of the draft's CJK characters (punctuation
# and line ends are not characters).  Also the draft from standard input,
# a binary draft, and the formats check refuses.

. "$(dirname "$0")/lib.sh"
cd "$T" || fail "cd"

mkdir src
put src/river.txt "河道清理" "$RIVER" "$RIVER2"
put src/sports.txt "运动会" "$SPORTS"
put src/library.txt "图书馆" "$LIBRARY"
printf '%s\r\n' "关于乡村旅游的几点思考" "$TOURISM" "${P1}。" "一、第二部分" \
    "${P2}。" >draft.txt
run "$ND" index add ix.db src
expect_status 0 "index add"

run "$ND" check --format html -o r.html ix.db draft.txt
expect_status 0 "check html"
[ -s out ] && fail "html written to standard output"
rc=0
"$ND" check --format html -o stdin.html ix.db - <draft.txt >out 2>err || rc=$?
expect_status 0 "check html, draft on stdin"

# The embedded JSON: the audit of the draft, its text, its copied spans.
cat >html.py <<'PYEOF'
import json, re, sys
html, name, p1, p2 = sys.argv[1:5]
page = open(html, encoding="utf-8").read()
m = re.search(r'<script type="application/json" id="nd-data">\n(.*?)\n'
              r'</script>', page, re.S)
assert m, "no embedded data"
assert "<" not in m.group(1), "raw < inside the data"
d = json.loads(m.group(1))
a = d["audit"]
assert a is not None, "no audit in a check report"
draft = open("draft.txt", "rb").read().decode("utf-8")
total = sum(1 for c in draft if "\u4e00" <= c <= "\u9fff")
want = 120 / total
assert abs(a["ratio"] - want) < 0.001, (a["ratio"], want)
assert abs(a["ratio_no_boilerplate"] - want) < 0.001, a
doc = d["docs"][a["doc"]]
assert doc["file"] == name, doc["file"]
assert doc["text"] == draft, "draft text differs"
assert d["pairs"] == [] and d["passages"] == [], "sources leaked into docs"
assert len(d["docs"]) == 1, len(d["docs"])
srcs = {s["doc"]: s for s in a["sources"]}
river = [s for s in a["sources"] if s["file"].endswith("/src/river.txt")]
assert len(river) == 1 and abs(river[0]["share"] - want) < 0.001, a["sources"]
assert river[0]["title"] == "河道清理", river
text = list(draft)  # code points, as the report's script counts
got = set()
assert a["spans"], "no copied spans"
for s, e, src, sim, bp in a["spans"]:
    assert src in srcs, (src, srcs)
    assert sim > 0.9 and bp == 0, (sim, bp)
    got.add("".join(text[s:e]))
for p in (p1, p2):
    assert any(p in g for g in got), ("not highlighted", p, got)
# Spans cover the copied passages and nothing of the draft's own text.
own = draft.split("\r\n")[1]
assert not any(own[:20] in g for g in got), "own text highlighted"
m = re.search(r'<div class="sub">([^<]*)</div>', page)
assert m and name in m.group(1) and "copied passage" in m.group(1), m
PYEOF
"$PY" html.py r.html draft.txt "$P1" "$P2" || fail "check html"
"$PY" html.py stdin.html - "$P1" "$P2" || fail "check html from stdin"

# CSV: RFC 4180 (CRLF rows, same number of fields), one row per passage of
# the JSON Lines output, offsets and positions true to the draft's bytes.
run "$ND" check --format csv ix.db draft.txt
expect_status 0 "check csv"
cp out r.csv
run "$ND" check --format jsonl ix.db draft.txt
expect_status 0 "check jsonl"
cp out r.jsonl
"$PY" - r.csv r.jsonl <<'PYEOF' || fail "check csv"
import csv, io, json, sys
raw = open(sys.argv[1], "rb").read()
assert raw.endswith(b"\r\n"), "rows must end with CRLF"
rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
head = rows[0]
assert head[:5] == ["draft", "draft_start", "draft_end", "draft_line",
                    "draft_column"], head
assert all(len(r) == len(head) for r in rows), "ragged rows"
# Unquoted, every record ends with CRLF (no bare LF between rows).
assert raw.count(b"\r\n") >= len(rows), "bare LF row ends"
recs = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
pas = [r for r in recs if r["type"] == "passage"]
body = [dict(zip(head, r)) for r in rows[1:]]
assert len(body) == len(pas) >= 2, (len(body), len(pas))
draft = open("draft.txt", "rb").read()
for row, p in zip(body, pas):
    s, e = int(row["draft_start"]), int(row["draft_end"])
    assert (s, e) == (p["a_start"], p["a_end"]), (row, p)
    assert row["draft"] == "draft.txt" and row["source_file"] == p["b_file"]
    assert draft[s:e].decode("utf-8") == row["draft_text"], row
    before = draft[:s].decode("utf-8")
    line = before.count("\n") + 1
    col = len(before) - (before.rfind("\n") + 1) + 1
    assert (int(row["draft_line"]), int(row["draft_column"])) == (line, col), \
        (row["draft_line"], row["draft_column"], line, col)
    b = open(row["source_file"], "rb").read()
    ss, se = int(row["source_start"]), int(row["source_end"])
    assert b[ss:se].decode("utf-8") == row["source_text"], row
PYEOF

# Text: the ratio, the sources, passages located as draft:line:column.
run "$ND" check --color never ix.db draft.txt
expect_status 0 "check text"
"$PY" - out draft.txt "$P1" <<'PYEOF' || fail "check text"
import re, sys
out = open(sys.argv[1], encoding="utf-8").read()
draft = open(sys.argv[2], "rb").read().decode("utf-8")
total = sum(1 for c in draft if "\u4e00" <= c <= "\u9fff")
assert "copy ratio %5.1f%%" % (100 * 120 / total) in out, out
assert "/src/river.txt#0" in out, out
line = draft[:draft.index(sys.argv[3])].count("\n") + 1
assert re.search(r"draft\.txt:%d:1-%d:\d+ \(bytes " % (line, line), out), out
PYEOF

# A draft that cannot be read as text: the check's error, once.
printf 'a\000b\n' >bin.txt
run "$ND" check --format html -o bin.html ix.db bin.txt
expect_status 2 "binary draft"
[ "$(grep -c 'bin.txt: error: looks binary' err)" -eq 1 ] ||
    fail "binary draft: message"

# Refused: one HTML page per run, PAN is for scan.
run "$ND" check --format html -o two.html ix.db draft.txt draft.txt
expect_status 2 "html, two drafts"
grep -q "one draft" err || fail "html two drafts: message"
run "$ND" check --format pan -o pan ix.db draft.txt
expect_status 2 "pan"
exit 0
