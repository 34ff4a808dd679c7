#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 the neardup authors
#
# Writes the seed inputs of every fuzz target into corpus/<target>/ (small
# files, texts written for these seeds).  Run from tests/fuzz; the output
# is committed, together with inputs the fuzzers found (crash-*, named by
# what they once broke).  Byte 0 (and 1) of a seed are the target's
# parameters, as documented at the top of each fuzz_<target>.c.
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile

HANS = ("今年春天，县里组织了一次植树活动。参加活动的有机关干部、学校师生和附近"
        "村庄的群众，大家分成小组，沿着河岸一路种下柳树和杨树。")
HANT = ("今年春天，縣裡組織了一次植樹活動。參加活動的有機關幹部、學校師生和附近"
        "村莊的群眾，大家分成小組，沿著河岸一路種下柳樹和楊樹。")
COPY = ("专家建议，今后要建立长效管理机制，明确每一段河道的责任人，定期巡查，"
        "及时处理发现的问题。")
SPEECH = ("在全县植树工作会议上的讲话\n同志们：\n" + HANS + COPY + "\n\n\n"
          "在学校运动会闭幕式上的讲话\n老师们、同学们：\n"
          "运动会圆满结束了。" + COPY + "希望大家继续努力。\n")
MIXED = ("Ｆｕｌｌ－ｗｉｄｔｈ ＡＢＣ and ﬁ ligature, e\u0301 combining, "
         "\ufdfa, 𠀀𠀁 supplementary, \u2028line\u2029para\r\nCRLF\x85NEL")


def put(target, name, data):
    d = os.path.join("corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def texts():
    """(name, bytes) of files in many encodings and states of repair."""
    yield "utf8", SPEECH.encode()
    yield "utf8-bom", b"\xef\xbb\xbf" + HANS.encode()
    yield "utf16le-bom", b"\xff\xfe" + HANT.encode("utf-16-le")
    yield "utf16be-bom", b"\xfe\xff" + HANS.encode("utf-16-be")
    yield "utf32le-bom", b"\xff\xfe\0\0" + HANS[:20].encode("utf-32-le")
    yield "gb18030", SPEECH.encode("gb18030")
    yield "big5", HANT.encode("big5")
    yield "shift-jis", "日本語のテキストです。カタカナも。".encode("shift_jis")
    yield "mixed", MIXED.encode()
    yield "broken-utf8", HANS.encode()[:50] + b"\xe4\xb8" + b"\xff\xc0\x80" + \
        HANS.encode()[50:] + b"\xed\xa0\x80\xf4\x90\x80\x80\xe4"
    yield "latin1", "Café déjà vu, naïve façade.".encode("latin-1")
    yield "empty", b""
    yield "newlines", b"\n\r\n\r" * 20
    yield "nul", b"text\0with a NUL"
    yield "odd-utf16", b"\xff\xfe" + b"a\0b\0\x00\xd8c\0\x00"


def main():
    for name, b in texts():
        put("decode", name, b"\0" + b)                  # detect
        put("normalize", name, b"\0\0" + b)
        put("normalize", name + "-punct", b"\0\1" + b)
        put("segment", name, b"\0\0" + b)               # auto
    for i, enc in enumerate([b"\1", b"\2", b"\4", b"\5"]):
        put("decode", "forced-%d" % i, enc + SPEECH.encode()[:120])
    # Stateful encodings (index 12, 13 of fuzz_encodings): ranges decode
    # from the file's start.
    jp = "日本語のテキストです。カタカナも、ひらがなも。ABC"
    put("decode", "iso-2022-jp", b"\x0c" + jp.encode("iso2022_jp"))
    put("decode", "utf-7", b"\x0d" + HANS[:30].encode("utf-7"))
    put("segment", "blank", b"\0\2" + SPEECH.encode())
    put("segment", "regex", b"\0\3" + SPEECH.encode())
    put("segment", "none", b"\0\1" + SPEECH.encode())
    # align: a, 0xFF, b; byte 0 the minimum passage, byte 1 the alphabet.
    a = bytes(range(0, 120))
    b = bytes(range(40, 100)) + bytes(range(200, 230)) + bytes(range(0, 60))
    put("align", "copy", b"\x1d\0" + a + b"\xff" + b)
    put("align", "small-alphabet", b"\x09\1" + a * 2 + b"\xff" + b * 2)
    put("align", "edited", b"\x1d\0" + a + b"\xff" +
        bytes(x if x % 7 else 250 for x in a))
    put("align", "repeat", b"\x05\0" + b"\x10" * 300 + b"\xff" + b"\x10" * 90)
    put("align", "empty", b"\x1d\0\xff")
    # scan: files separated by "\n\x01"; byte 0 the settings.
    sep = b"\n\x01"
    docs = [SPEECH.encode(), ("另一份材料。" + COPY + HANS).encode("gb18030"),
            HANT.encode("big5"), (COPY * 3).encode(), MIXED.encode()]
    put("scan", "corpus", b"\0" + sep.join(docs))
    put("scan", "corpus-small-passages", b"\x30" + sep.join(docs))
    put("scan", "boilerplate", b"\x20" + sep.join([(HANS[:10] + COPY +
        "第%d份。" % i).encode() for i in range(6)]))
    put("scan", "one-char", b"\0" + sep.join([("啊" * 400).encode()] * 3))
    put("scan", "blank-split", b"\x04" + SPEECH.encode() + sep +
        SPEECH.encode())
    # writers: name1 \0 name2 \0 text a \0 text b \0 number bytes.
    put("writers", "plain", b"a.txt\0b.txt\0" + COPY.encode() + b"\0" +
        HANS.encode() + b"\0\x9a\x99\x99\x99\x99\x99\xe9\x3f")
    put("writers", "hostile", b"new\nline\xff.txt\0tab\tq\"\\\x1b[31m\0"
        b"\xc0\xaf\xed\xa0\x80\xe2\x80\xa8\x7f\0\xc2\x85\xf5\x80\x80\0"
        b"\xff\xff\xff\xff\xff\xff\xef\x7f")
    # markup and CSV syntax in names and texts
    put("writers", "markup", b"<script>alert(1)</script>&amp;\"x'\x7f\xc2\x85.txt\0"
        b"a,b\r\nc\"d\"\r.txt <b>&#60;\0</script><!--<script>\0"
        b"</SCRIPT >\"\"\n,\r&lt\0\0\0\0\0\0\0\xf0\x7f")


def small_index(neardup, files, opts=()):
    """Bytes of an index of @p files (name, bytes) made by the neardup
    program, rewritten with 512-byte pages (small seeds) and source paths
    that do not exist."""
    d = tempfile.mkdtemp()
    try:
        for name, b in files:
            with open(os.path.join(d, name), "wb") as f:
                f.write(b)
        ix = os.path.join(d, "ix")
        subprocess.run([neardup, "index", "add", "-q", *opts, ix] +
                       [os.path.join(d, n) for n, _ in files] +
                       ([] if files else [d]), check=True)
        return compact(ix, "UPDATE files SET path = "
                       "'/nonexistent/neardup-fuzz/' || id || '.txt', "
                       "mtime = 0")
    finally:
        shutil.rmtree(d)


def compact(path, sql):
    """The bytes of the SQLite file at @p path once @p sql has run and it
    is rewritten with 512-byte pages, in WAL mode as an index is."""
    con = sqlite3.connect(path, isolation_level=None)
    con.executescript(sql)
    con.execute("PRAGMA journal_mode=DELETE")
    con.execute("PRAGMA page_size=512")
    con.execute("VACUUM")
    con.execute("PRAGMA journal_mode=WAL")
    con.close()
    with open(path, "rb") as f:
        return f.read()


def sqlite_file(sql):
    """Bytes of a plain SQLite database made by @p sql."""
    d = tempfile.mkdtemp()
    try:
        p = os.path.join(d, "db")
        con = sqlite3.connect(p, isolation_level=None)
        con.execute("PRAGMA page_size=512")
        con.executescript(sql)
        con.close()
        with open(p, "rb") as f:
            return f.read()
    finally:
        shutil.rmtree(d)


def edit_meta(ix, sets, sql=""):
    """@p ix with meta rows changed (key -> value), then @p sql run."""
    d = tempfile.mkdtemp()
    try:
        p = os.path.join(d, "db")
        with open(p, "wb") as f:
            f.write(ix)
        q = lambda v: "'" + v.replace("'", "''") + "'"
        return compact(p, "".join(
            "INSERT OR REPLACE INTO meta(key, value) VALUES (%s, %s);" %
            (q(k), q(v)) for k, v in sets.items()) + sql)
    finally:
        shutil.rmtree(d)


def with_wal(ix, sql):
    """(file, -wal) of @p ix after @p sql committed to its write-ahead log
    and not checkpointed.  The log's salts are random: these seeds differ
    from run to run (and need not be rewritten)."""
    d = tempfile.mkdtemp()
    try:
        p = os.path.join(d, "db")
        with open(p, "wb") as f:
            f.write(ix)
        con = sqlite3.connect(p, isolation_level=None)
        con.execute("PRAGMA wal_autocheckpoint=0")
        con.executescript(sql)
        with open(p, "rb") as f:
            db = f.read()
        with open(p + "-wal", "rb") as f:
            wal = f.read()
        con.close()
        return db, wal
    finally:
        shutil.rmtree(d)


def index_seeds(neardup):
    """index_open: byte 0 the flags (1 scan, 2 add, 4 remove, 8 scan as
    HTML, 16 a -wal follows, 32 remove all), then the file.  Valid small indexes, other SQLite files, and
    damaged copies."""
    docs = [("a.txt", SPEECH.encode()),
            ("b.txt", ("另一份材料。" + COPY + HANS).encode("gb18030"))]
    ix = small_index(neardup, docs)
    put("index_open", "index-read", b"\1" + ix)
    put("index_open", "index-html", b"\x09" + ix)
    put("index_open", "index-add", b"\3" + ix)
    put("index_open", "index-add-remove", b"\7" + ix)
    put("index_open", "index-remove-all", b"\x22" + ix)
    put("index_open", "index-small-settings",
        b"\3" + small_index(neardup, docs, ["--perm", "16", "--shingle", "3",
                                            "--keep-punct"]))
    put("index_open", "index-empty", b"\3" + small_index(neardup, []))
    put("index_open", "not-sqlite", b"\3" + SPEECH.encode())
    put("index_open", "empty", b"\3")
    put("index_open", "other-app", b"\3" + sqlite_file(
        "CREATE TABLE t(x); INSERT INTO t VALUES (1);"))
    put("index_open", "unborn", b"\3" + sqlite_file(
        "PRAGMA user_version=0;"))
    put("index_open", "newer-version", b"\3" + sqlite_file(
        "PRAGMA application_id=%d; PRAGMA user_version=99;" % 0x6e644958))
    put("index_open", "meta-settings", b"\3" + edit_meta(ix, {
        "perm": "24", "bands": "3", "rows": "8", "split": "3",
        "split_regex": "^第.章", "encoding": "GB18030"}))
    # A trigger that would empty the index when a file is added: such a
    # file is refused (its schema is not the index's), and triggers are
    # off anyway.
    put("index_open", "trigger", b"\3" + edit_meta(ix, {}, (
        "CREATE TRIGGER t AFTER INSERT ON files BEGIN DELETE FROM files; "
        "END; CREATE VIEW v AS SELECT * FROM files;")))
    # Bit 4: the file's length (2 bytes), then its -wal: a committed
    # transaction still in the log, whole, cut short, or damaged.
    db, wal = with_wal(ix, "UPDATE docs SET title = title || '（修订）' "
                       "WHERE id = 1; UPDATE meta SET value = 'x' "
                       "WHERE key = 'created_by';")
    head = b"\x13" + len(db).to_bytes(2, "little") + db
    put("index_open", "wal", head + wal)
    put("index_open", "wal-truncated", head + wal[:len(wal) // 2])
    b = bytearray(wal)
    b[len(b) // 3] ^= 0x40
    put("index_open", "wal-bitflip", head + bytes(b))
    rnd = random.Random(8)
    for n in (100, 512, 1024, len(ix) // 2, len(ix) - 512):
        put("index_open", "truncated-%d" % n, b"\3" + ix[:n])
    for i in range(6):
        b = bytearray(ix)
        for _ in range(1 + i):
            b[rnd.randrange(100, len(b))] ^= 1 << rnd.randrange(8)
        put("index_open", "bitflip-%d" % i, b"\x23" + bytes(b))
    segment_seeds(neardup, docs)


def segment_seeds(neardup, docs):
    """Indexes of format 2 with anchors and band keys in two segments
    (one batch per file), damaged segment tables, and a format 1 index
    (every row in the base tables, no segments table) to upgrade."""
    ix = small_index(neardup, docs, ["--batch", "1"])
    put("index_open", "segments-read", b"\1" + ix)
    put("index_open", "segments-add-remove", b"\7" + ix)
    put("index_open", "segments-remove-all", b"\x22" + ix)
    put("index_open", "segment-table-missing", b"\3" + edit_meta(
        ix, {}, "DROP TABLE bands_2;"))
    put("index_open", "segment-unlisted", b"\3" + edit_meta(
        ix, {}, "DELETE FROM segments WHERE id = 1;"))
    put("index_open", "segment-listed-twice", b"\3" + edit_meta(
        ix, {}, "UPDATE segments SET id = 3 WHERE id = 1;"))
    put("index_open", "format-1", b"\7" + edit_meta(ix, {"format": "1"}, (
        "INSERT INTO anchors SELECT * FROM anchors_1 UNION ALL "
        "SELECT * FROM anchors_2; INSERT INTO bands SELECT * FROM bands_1 "
        "UNION ALL SELECT * FROM bands_2; DROP TABLE anchors_1; "
        "DROP TABLE anchors_2; DROP TABLE bands_1; DROP TABLE bands_2; "
        "DROP TABLE segments; PRAGMA user_version = 1;")))


if __name__ == "__main__":
    if len(sys.argv) > 1:  # make_seeds.py path/to/neardup: index seeds
        index_seeds(sys.argv[1])
    else:
        main()
