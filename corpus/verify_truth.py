#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 the neardup authors
"""Check an ndgen corpus against its own truth files.

Every file is decoded in the encoding files.tsv names; every passage and
boilerplate record of truth.jsonl must fall on character boundaries of that
encoding and hold what its kind promises: verbatim, repunct and the two
sides of a boilerplate record are equal after normalization (NFKC, lower
case, Z/P/S/C dropped); editN passages have the same normalized length and
differ in a few characters; traditional ones have the same length; near-
duplicate speeches are mostly alike.  speeches.json must tile every file.
Exit status 1 on the first kind of error found, with a message per error.
usage: verify_truth.py DIR [--truth TRUTH_DIR] [HANT_HANS_JSON]
(TRUTH_DIR: where truth.jsonl, files.tsv and speeches.json are; default DIR)
With the one-to-one Traditional-to-Simplified table (as used by the
brute-force gold) pairs involving Traditional copies are folded and checked
too; without it they are only checked to be non-empty.
"""
import difflib, json, os, sys, unicodedata

CODECS = {'UTF-8': 'utf-8', 'UTF-8-BOM': 'utf-8', 'GB18030': 'gb18030',
          'UTF-16LE': 'utf-16-le'}


FOLD = {}


def norm(text):
    out = []
    for ch in unicodedata.normalize('NFKC', text):
        if unicodedata.category(ch)[0] not in 'ZPSC':
            ch = ch.lower()
            out.append(FOLD.get(ch, ch))
    return ''.join(out)


def main():
    args = sys.argv[1:]
    t = None
    if '--truth' in args:  # truth files in their own folder
        k = args.index('--truth')
        t = args[k + 1]
        del args[k:k + 2]
    d = args[0]
    t = t or d
    if len(args) > 1:
        FOLD.update(json.load(open(args[1], encoding='utf-8')))
    files, errors = {}, []
    for line in open(os.path.join(t, 'files.tsv'), encoding='utf-8'):
        if line.startswith('#'):
            continue
        name, enc = line.split('\t')[:2]
        files[name] = (open(os.path.join(d, name), 'rb').read(), CODECS[enc])

    def piece(f, s, e, what):
        raw, codec = files[f]
        if not (0 <= s <= e <= len(raw)):
            errors.append(f'{what}: {f} [{s},{e}) outside the file')
            return ''
        try:
            return raw[s:e].decode(codec)
        except UnicodeDecodeError:
            errors.append(f'{what}: {f} [{s},{e}) not on character boundaries')
            return ''

    counts = {}
    for n, line in enumerate(open(os.path.join(t, 'truth.jsonl'), encoding='utf-8'), 1):
        r = json.loads(line)
        what = f'truth line {n} ({r.get("kind")})'
        counts[r.get('kind')] = counts.get(r.get('kind'), 0) + 1
        if r['type'] == 'boilerplate':
            want = norm(r['text'])
            for o in r['occurrences']:
                got = norm(piece(o['file'], o['start'], o['end'], what))
                if got != want:
                    errors.append(f'{what}: {o["file"]} holds {got[:30]!r}')
            continue
        a = norm(piece(r['a_file'], r['a_start'], r['a_end'], what))
        b = norm(piece(r['b_file'], r['b_start'], r['b_end'], what))
        k, ak = r['kind'], r['a_kind']
        if not a or not b:
            errors.append(f'{what}: empty side')
            continue
        if not FOLD and ('traditional' in (k, ak) or r.get('where') == 'neardup'):
            continue  # may hold Traditional characters on one side
        if ak == 'source' and k not in ('neardup', 'exact') and a != norm(r['text']):
            errors.append(f'{what}: a side is not the recorded text')
        if k == 'exact' or (k in ('verbatim', 'repunct') and ak in ('source', 'verbatim', 'repunct')):
            if a != b:
                errors.append(f'{what}: sides differ: {a[:20]!r} / {b[:20]!r}')
        elif k.startswith('edit') and ak in ('source', 'verbatim', 'repunct'):
            diff = sum(x != y for x, y in zip(a, b))
            rate = int(k[4:]) / 100
            if len(a) != len(b) or not 0 < diff <= rate * len(a) + 1:
                errors.append(f'{what}: {diff} of {len(a)} characters differ')
        elif k == 'traditional' and ak in ('source', 'verbatim', 'repunct'):
            if len(a) != len(b):
                errors.append(f'{what}: lengths {len(a)} / {len(b)}')
        else:
            ratio = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
            if ratio < 0.5:
                errors.append(f'{what}: similarity {ratio:.2f}')
        if r['chars'] > min(len(a), len(b)):
            errors.append(f'{what}: chars {r["chars"]} > {min(len(a), len(b))}')

    spans = {}
    for sp in json.load(open(os.path.join(t, 'speeches.json'), encoding='utf-8')):
        spans.setdefault(sp['file'], []).append((sp['byte_start'], sp['byte_end'], sp['title']))
        if sp['title'] and sp['file'] in files:
            t = piece(sp['file'], sp['byte_start'], sp['byte_end'], 'speech')
            if not t.lstrip('\ufeff').startswith(sp['title']):
                errors.append(f'speech {sp["file"]}#{sp["speech"]}: title not at its start')
    for f, (raw, _) in files.items():
        s = sorted(spans.get(f, []))
        if not s or s[0][0] != 0 or s[-1][1] != len(raw) or \
                any(x[1] != y[0] for x, y in zip(s, s[1:])):
            errors.append(f'speeches of {f} do not tile the file')

    for e in errors[:50]:
        print(e)
    print(f'{len(files)} files, truth records by kind {counts}, {len(errors)} errors')
    sys.exit(1 if errors else 0)


if __name__ == '__main__':
    main()
