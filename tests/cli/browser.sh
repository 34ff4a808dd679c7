# SPDX-License-Identifier: MIT
# Copyright (c) 2026 the neardup authors
#
# The HTML report in a real browser (headless Chromium, Debian's
# `chromium`, installed by scripts/deps): the report of the bundled sample
# corpus and of the hostile corpus (lib.sh) load without script errors (the
# page marks <html data-nd-ready="ok"> when its script has run and
# data-nd-error on any error), the heatmap and the highlighted passages are
# in the DOM, and the hostile document's markup shows as text; the draft
# audit view, from audit_fixture and from `neardup check`.  Keeps
# report-sample.html and screenshots of its overview and of its
# pair with the most passages in ND_ARTIFACTS (the build's tests/cli directory).
# Skips (status 77) when no Chromium is installed.

FIXTURE=${2:?usage: sh browser.sh NEARDUP AUDIT_FIXTURE}
case $FIXTURE in /*) ;; *) FIXTURE=$(pwd)/$FIXTURE ;; esac
. "$(dirname "$0")/lib.sh"
cd "$T" || fail "cd"

CHROME=
for c in chromium chromium-browser google-chrome; do
    command -v "$c" >/dev/null 2>&1 && { CHROME=$c; break; }
done
if [ -z "$CHROME" ]; then
    echo "SKIP: no chromium installed (scripts/deps installs it)"
    exit 77
fi
SAMPLE=${ND_SAMPLE:?}
ART=${ND_ARTIFACTS:-$T}

browse() { # browse MODE URL [OUT]
    timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu \
        --hide-scrollbars --user-data-dir="$T/profile" --no-first-run \
        --window-size=1400,1000 "$@" 2>>"$T/chrome.log"
}

# dump URL: the DOM after the page's script ran, in $T/dom.
dump() {
    browse --dump-dom "$1" >"$T/dom" || fail "chromium --dump-dom $1"
    grep -q 'data-nd-ready="ok"' "$T/dom" ||
        fail "$1: the report script did not finish ($(grep -o 'data-nd-error="[^"]*"' "$T/dom"))"
    grep -q 'data-nd-error="' "$T/dom" && fail "$1: script error: $(grep -o 'data-nd-error="[^"]*"' "$T/dom")"
    return 0
}

# Index of the pair with the most passages (then the most reused
# characters), as the report's pair view numbers them (JSON Lines order),
# and its number of passages.
top_pair() {
    "$PY" -c 'import json, sys
ps = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
ps = [p for p in ps if p["type"] == "pair"]
best = max(range(len(ps)), key=lambda i: (ps[i]["passages"],
           ps[i]["reused_chars_a"] + ps[i]["reused_chars_b"], -i))
print(best, ps[best]["passages"])' "$1"
}

# The sample corpus.
run "$ND" scan -q --format html -o "$ART/report-sample.html" "$SAMPLE"/*.txt
expect_status 0 "scan the sample"
run "$ND" scan -q --format jsonl "$SAMPLE"/*.txt
cp out sample.jsonl
dump "file://$ART/report-sample.html"
cells=$(grep -o '<rect[^>]*class="cell"' "$T/dom" | wc -l)
[ "$cells" -gt 0 ] || fail "sample: no heatmap cells"
rows=$(grep -o '<tr class="click"' "$T/dom" | wc -l)
npairs=$(grep -c '"type":"pair"' sample.jsonl)
[ "$rows" -eq "$npairs" ] || fail "sample: $rows pair rows, want $npairs"
set -- $(top_pair sample.jsonl)
k=$1 np=$2
dump "file://$ART/report-sample.html#pair-$k"
marks=$(grep -o '<mark class="ps[^"]*"' "$T/dom" | wc -l)
[ "$marks" -ge $((2 * np)) ] ||
    fail "sample pair $k: $marks highlighted passages, want at least $((2 * np))"
browse --screenshot="$ART/report-overview.png" \
    "file://$ART/report-sample.html" || fail "screenshot"
browse --screenshot="$ART/report-pair.png" \
    "file://$ART/report-sample.html#pair-$k" || fail "screenshot"
[ -s "$ART/report-pair.png" ] || fail "no screenshot"

# The hostile corpus: markup in a document stays text.
hostile_corpus d
run "$ND" scan -q --format jsonl d
cp out h.jsonl
run "$ND" scan -q --format html -o h.html d
k=$("$PY" -c 'import json, sys
ps = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
docs = {p["doc"]: p["file"] for p in ps if p["type"] == "document"}
ps = [p for p in ps if p["type"] == "pair"]
print([i for i, p in enumerate(ps) if "d/evil.txt" in (docs[p["a_doc"]], docs[p["b_doc"]])][0])' h.jsonl)
dump "file://$T/h.html#pair-$k"
grep -qF '&lt;script&gt;alert("x")&lt;/script&gt; &amp; &lt;/textarea&gt;' "$T/dom" ||
    fail "hostile: the markup is not shown as text"
grep -qF '&lt;b&gt;粗体&lt;/b&gt;&amp;amp;' "$T/dom" || fail "hostile: <b> not text"
grep -q '<b>粗体' "$T/dom" && fail "hostile: a <b> element was created"
[ "$(grep -o '<script' "$T/dom" | wc -l)" -eq 3 ] || fail "hostile: extra script elements"
grep -q '<mark class="ps' "$T/dom" || fail "hostile: no highlighted passage"
# The draft-audit view, fed by audit_fixture (an audit made by hand from a
# scan) and by `neardup check --format html`: the copy ratio at the top,
# every source with its share, the draft's copied passages highlighted.
mkdir a
put a/draft.txt "关于乡村旅游的几点思考" "$TOURISM" "${P1}。" "${P2}。"
cp d/river.txt d/sports.txt d/library.txt a/
"$FIXTURE" "$ART/report-audit.html" a/draft.txt a/library.txt a/river.txt \
    a/sports.txt >audit.txt || fail "audit fixture"
dump "file://$ART/report-audit.html"
cat >audit_view.py <<'PYEOF'
import re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
lines = open(sys.argv[2], encoding="utf-8").read().split("\n")
ratio = float(lines[0].split()[1])
sources = [l.split()[1:] for l in lines[1:] if l]
m = re.search(r'<section id="audit-view">(.*?)</section>', dom, re.S)
if not m:
    sys.exit("no audit view")
view = m.group(1)
big = re.search(r'<div class="big">([^<]*)</div>', view).group(1)
if big != "%.1f%%" % (100 * ratio):
    sys.exit("copy ratio shown %r, want %.1f%%" % (big, 100 * ratio))
if len(sources) < 2:
    sys.exit("fixture found %d sources" % len(sources))
for f, share in sources:
    if f not in view or ("%.1f%%" % (100 * float(share))) not in view:
        sys.exit("source %s (%s) not listed with its share" % (f, share))
marks = re.findall(r'<mark class="ps[^>]*>([^<]*)</mark>', view)
for copied in sys.argv[3:]:
    if not any(copied in m for m in marks):
        sys.exit("copied passage %r not highlighted" % copied)
PYEOF
"$PY" audit_view.py "$T/dom" audit.txt "$P1" "$P2" || fail "audit view"
browse --screenshot="$ART/report-audit.png" "file://$ART/report-audit.html" ||
    fail "screenshot"
# The same view from a real check: the draft against an index of the
# sources, the expected ratio and shares taken from check's JSON Lines.
run "$ND" index add ix.db a/library.txt a/river.txt a/sports.txt
expect_status 0 "index add"
run "$ND" check -f jsonl ix.db a/draft.txt
expect_status 0 "check jsonl"
"$PY" -c 'import json
r = json.loads(open("out", encoding="utf-8").readline())
print("ratio %.4f" % r["copy_ratio"])
for s in r["sources"]:
    print("source %s %.4f" % (s["file"], s["share"]))' >check.txt ||
    fail "check jsonl"
run "$ND" check -q --format html -o "$ART/report-check.html" ix.db a/draft.txt
expect_status 0 "check html"
dump "file://$ART/report-check.html"
"$PY" audit_view.py "$T/dom" check.txt "$P1" "$P2" || fail "check audit view"
grep -q '<rect[^>]*class="cell"' "$T/dom" && fail "check: a scan heatmap"
# P2 is in library.txt and river.txt; river.txt, the larger source, colours it.
"$PY" - "$T/dom" "$P2" <<'PYEOF' || fail "check: overlapping passages"
import re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
marks = re.findall(r'<mark class="ps[^"]*" title="([^"]*)"[^>]*>([^<]*)</mark>', dom)
t = [title for title, text in marks if sys.argv[2] in text]
assert t and all("/a/river.txt" in x for x in t), (t, marks)
PYEOF
echo "screenshots: $ART/report-overview.png $ART/report-pair.png $ART/report-audit.png"
exit 0
