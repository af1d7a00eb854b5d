#!/usr/bin/env python3
"""Prototype measurement (not built by meson): a copy of rules.tsv without the
rules whose pattern the word path takes (wpath[] of a words header), to
build a library copy whose phrase matcher is the byte path alone.
Usage: restrict.py DUMP.tsv WORDS.h RULES.tsv > RULES-restricted.tsv"""
import re, sys
pats = {}
for line in open(sys.argv[1]):
    f = line.rstrip('\n').split('\t')
    if f[0] == 'P':
        pats[int(f[1])] = (bytes.fromhex(f[3]), int(f[2]))
wpath = re.search(r'wpath\[\d+\] = \{([^}]*)\}', open(sys.argv[2]).read()).group(1).split(',')
word = {pats[i] for i, x in enumerate(wpath) if x == '1'}
dropped = 0
for line in open(sys.argv[3], encoding='utf-8'):
    f = line.rstrip('\n').split('\t')
    if not line.startswith('#') and len(f) > 6 and f[6] not in ('-', 'pattern'):
        v, fl = f[6], 0
        if v.startswith('\\b'):
            fl |= 1; v = v[2:]
        if v.endswith('\\b'):
            fl |= 2; v = v[:-2]
        raw = v.encode('utf-8')
        if (bytes(b + 32 if 0x41 <= b <= 0x5A else b for b in raw), fl) in word:
            dropped += 1
            continue
    sys.stdout.write(line)
print('dropped', dropped, 'rules', file=sys.stderr)
