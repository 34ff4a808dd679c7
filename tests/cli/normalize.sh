# SPDX-License-Identifier: MIT
# Copyright (c) 2026 the neardup authors
#
# `neardup normalize`: the normalized text of small inputs exactly (with
# and without --offsets, --keep-punct, --no-fold-variants), and for
# GB18030 and UTF-16 files the property behind --offsets: every character
# comes from a byte range of the file that, decoded and normalized alone,
# contains it, and the ranges never go backwards.

. "$(dirname "$0")/lib.sh"
cd "$T" || fail "cd"

# Full-width, punctuation, Traditional, e + combining acute, newline,
# emoji, ideographic full stop, the ligature fi.
printf 'Ａ１，學習e\314\201\n\360\237\230\200。\357\254\201\n' >f.txt

run "$ND" normalize --offsets f.txt
expect_status 0 "normalize --offsets"
printf 'a\t0\t3\n1\t3\t6\n学\t9\t12\n习\t12\t15\n\303\251\t15\t18\n' \
    >want
printf 'f\t26\t29\ni\t26\t29\n' >>want
cmp -s out want || { diff want out >&2; fail "--offsets output"; }

run "$ND" normalize f.txt
expect_status 0 "normalize"
printf 'a1学习\303\251fi\n' >want
cmp -s out want || fail "normalized text"

run "$ND" normalize --keep-punct f.txt
# Symbols are kept too: the emoji (So) stays.
printf 'a1,学习\303\251\360\237\230\200。fi\n' >want
cmp -s out want || fail "--keep-punct"

run "$ND" normalize --no-fold-variants f.txt
printf 'a1學習\303\251fi\n' >want
cmp -s out want || fail "--no-fold-variants"

# One line per document: a file of two speeches and an empty file.
two_speeches two.txt
: >empty.txt
run "$ND" normalize two.txt empty.txt
expect_status 0 "normalize two speeches"
[ "$(wc -l <out)" -eq 3 ] || fail "want 3 lines (2 speeches, 1 empty)"
[ -z "$(sed -n 3p out)" ] || fail "empty file gives an empty line"
sed -n 1p out | grep -q '^在全县河道治理工作会议上的讲话同志们今年夏天' ||
    fail "first speech"
sed -n 2p out | grep -q '^在学校秋季运动会闭幕式上的讲话老师们同学们' ||
    fail "second speech"

# The offsets property on files in other encodings.
put gb.txt "$LIBRARY" "$RIVER"
encode gb.txt gb18030
printf '\376\377' >u16.txt
put u16body.txt "　　$TOURISM" "ＡＢＣ😀，$SPORTS"
encode u16body.txt utf-16-be
cat u16body.txt >>u16.txt
for f in gb.txt:gb18030 u16.txt:utf-16; do
    file=${f%%:*}
    run "$ND" normalize --offsets "$file"
    expect_status 0 "normalize --offsets $file"
    "$PY" - out "$file" "${f#*:}" <<'PYEOF' || fail "offsets of $file"
import sys, unicodedata
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
raw = open(sys.argv[2], "rb").read()
enc = sys.argv[3]
def norm(s):
    s = unicodedata.normalize("NFKC", s).casefold()
    return "".join(c for c in s if unicodedata.category(c)[0] not in "ZPSC")
text = raw.decode(enc)
got, prev = [], (0, 0)
for l in lines:
    c, s, e = l.split("\t")
    s, e = int(s), int(e)
    if not (0 <= s < e <= len(raw)) or (s, e) < prev or e < prev[1]:
        sys.exit("bad range %r after %r" % (l, prev))
    prev = (s, e)
    piece = raw[s:e].decode("utf-16-be" if enc == "utf-16" else enc)
    if c not in norm(piece):
        sys.exit("%r: bytes %d-%d are %r" % (c, s, e, piece))
    got.append(c)
if "".join(got) != norm(text):
    sys.exit("text differs from Python's normalization")
if len(got) < 150:
    sys.exit("only %d characters" % len(got))
PYEOF
done
exit 0
