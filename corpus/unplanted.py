#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 the neardup authors
"""List shared passages that ndgen did not plant.

GOLD is the brute-force output of gold_passages.py run on an ndgen corpus
(with --segmentation DIR/speeches.json); TRUTH is that corpus's truth.jsonl.
A gold passage counts as planted when the truth covers at least half of its
bytes on both sides between the same two speeches; the rest is accidental
overlap of the generator, and should be rare.  Prints those passages and a
summary line.
usage: unplanted.py GOLD TRUTH SPEECHES_JSON
"""
import json, sys
from collections import defaultdict


def main():
    gold_path, truth_path, sp_path = sys.argv[1:4]
    speeches = defaultdict(list)
    for sp in json.load(open(sp_path, encoding='utf-8')):
        speeches[sp['file']].append((sp['byte_start'], sp['byte_end'], sp['speech']))

    def sid(f, pos):
        return next((f'{f}#{i}' for s, e, i in speeches[f] if s <= pos < e), f)

    cover = defaultdict(set)  # (speech a, speech b) -> {(speech, byte)}

    def add(fa, sa, ea, fb, sb, eb):
        ka, kb = sid(fa, sa), sid(fb, sb)
        key = tuple(sorted((ka, kb)))
        cover[key].update((ka, x) for x in range(sa, ea))
        cover[key].update((kb, x) for x in range(sb, eb))

    for line in open(truth_path, encoding='utf-8'):
        r = json.loads(line)
        if r['type'] == 'boilerplate':
            occ = r['occurrences']
            for i in range(len(occ)):
                for j in range(i + 1, len(occ)):
                    a, b = occ[i], occ[j]
                    add(a['file'], a['start'], a['end'], b['file'], b['start'], b['end'])
        else:
            add(r['a_file'], r['a_start'], r['a_end'], r['b_file'], r['b_start'], r['b_end'])

    total = unplanted = chars = 0
    for line in open(gold_path, encoding='utf-8'):
        g = json.loads(line)
        total += 1
        ka, kb = sid(g['a_file'], g['a_start']), sid(g['b_file'], g['b_start'])
        c = cover.get(tuple(sorted((ka, kb))), set())
        ina = sum((ka, x) in c for x in range(g['a_start'], g['a_end']))
        inb = sum((kb, x) in c for x in range(g['b_start'], g['b_end']))
        if ina * 2 < g['a_end'] - g['a_start'] or inb * 2 < g['b_end'] - g['b_start']:
            unplanted += 1
            chars += g['chars']
            print(f'{ka} {kb} {g["chars"]} {g["text"]}')
    print(f'{total} gold passages, {unplanted} not planted ({chars} characters)')


if __name__ == '__main__':
    main()
