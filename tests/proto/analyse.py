#!/usr/bin/env python3
"""Prototype measurement (not built by meson): which patterns a word matcher
could take, the words of the 602 vectors, and the generated tables for
words.c. Usage: analyse.py DUMP.tsv OUT1.h OUT2.h (DUMP from dump.c)."""
import sys, collections

def isal(b):
    return (48 <= b <= 57) or (65 <= b <= 90) or (97 <= b <= 122)

def words(bs):
    """Maximal runs of ASCII letters and digits: (start, end, folded bytes)."""
    out, i, n = [], 0, len(bs)
    while i < n:
        if isal(bs[i]):
            j = i
            while j < n and isal(bs[j]):
                j += 1
            out.append((i, j, bytes(bs[i:j]).lower()))
            i = j
        else:
            i += 1
    return out

pats, texts, matches = {}, {}, []
for line in open(sys.argv[1]):
    f = line.rstrip('\n').split('\t')
    if f[0] == 'P':
        pats[int(f[1])] = (int(f[2]), bytes.fromhex(f[3]))
    elif f[0] == 'T':
        texts[int(f[1])] = bytes.fromhex(f[2])
    else:
        matches.append((int(f[1]), int(f[2]), int(f[3])))

# Word frequencies of a corpus other than the vectors (the bounce emails),
# to anchor each pattern on its rarest usable word.
import glob, os
freq, freq4 = collections.Counter(), collections.Counter()
cdir = os.environ.get('CORPUS', '/work/shared/corpus/emails/bsd')
for fn in glob.glob(cdir + '/*.eml'):
    for w in words(open(fn, 'rb').read()):
        freq[w[2]] += 1
        freq4[w[2][:4]] += 1
ANCHOR = os.environ.get('ANCHOR', 'rare')
kind, anchor, anchor2 = {}, {}, {}
for i, (fl, p) in enumerate(pats.values()):
    lead = bool(fl & 1) or not isal(p[0])
    trail = bool(fl & 2) or not isal(p[-1])
    ws = words(p)
    whole = [w for w in ws if (w[0] > 0 or lead) and (w[1] < len(p) or trail)]
    if lead and trail and whole:
        kind[i] = 'aligned'
    elif whole:
        kind[i] = 'inner-whole'     # can match inside a word, but has a whole word
    else:
        kind[i] = 'byte'
    if whole:  # anchor: the longest whole word (last on a tie)
        anchor[i] = (min(whole, key=lambda w: (freq[w[2]], -(w[1] - w[0]))) if ANCHOR == 'rare'
                     else max(whole, key=lambda w: (w[1] - w[0], w[0])))
    # Variant 2: words that always start at a text word's start (a separator
    # or the pattern's aligned start before them); a key of their first 4
    # bytes, or the whole word if shorter and whole.
    starts = [w for w in ws if (w[0] > 0 or lead) and ((w[1] - w[0]) >= 4 or w in whole)]
    if starts:
        anchor2[i] = (min(starts, key=lambda w: (freq4[w[2][:4]], -(w[1] - w[0]))) if ANCHOR == 'rare'
                      else max(starts, key=lambda w: (min(w[1] - w[0], 4), w in whole, w[1] - w[0], w[0])))

cnt = collections.Counter(kind.values())
print('patterns', len(pats), dict(cnt))
print('both ends on word boundaries (flags or non-alnum end byte, any words or none):', sum(
    1 for fl, p in pats.values() if (fl & 1 or not isal(p[0])) and (fl & 2 or not isal(p[-1]))))
print('patterns by word count among byte path:', dict(collections.Counter(len(words(pats[i][1])) for i in kind if kind[i] == 'byte')))
print('flags histogram (0 none, 1 before, 2 after, 3 both):', dict(collections.Counter(fl for fl, p in pats.values())))
nonascii = sum(1 for fl, p in pats.values() if any(b >= 128 for b in p))
print('patterns with non-ASCII bytes', nonascii, 'of which byte path',
      sum(1 for i, (fl, p) in pats.items() if kind[i] == 'byte' and any(b >= 128 for b in p)))
mk = collections.Counter(kind[pid] for v, pid, e in matches)
print('matches over 602 texts', len(matches), dict(mk))
# Matches of patterns that may match inside a word: do they in fact sit on word boundaries?
inb = collections.Counter()
for v, pid, e in matches:
    if kind[pid] == 'aligned':
        continue
    fl, p = pats[pid]
    t = texts[v]
    s = e - len(p)
    ok = (s == 0 or not isal(t[s - 1]) or not isal(p[0])) and (e == len(t) or not isal(t[e]) or not isal(p[-1]))
    inb[(kind[pid], ok)] += 1
print('non-aligned matches (kind, on word boundaries both sides):', dict(inb))
ex = collections.Counter()
for v, pid, e in matches:
    fl, p = pats[pid]; t = texts[v]; s0 = e - len(p)
    if kind[pid] != 'aligned' and not ((s0 == 0 or not isal(t[s0 - 1]) or not isal(p[0])) and (e == len(t) or not isal(t[e]) or not isal(p[-1]))):
        a = s0
        while a > 0 and isal(t[a - 1]): a -= 1
        b = e
        while b < len(t) and isal(t[b]): b += 1
        ex[(p.decode('utf-8', 'replace'), t[a:b].decode('utf-8', 'replace'))] += 1
print('in-word matches (pattern, text):', sorted(ex.items(), key=lambda x: -x[1])[:40])

pw = set(w[2] for fl, p in pats.values() for w in words(p))
aw = set(a[2] for a in anchor.values())
print('distinct pattern words (folded)', len(pw), 'anchor words', len(aw),
      'longest pattern word', max(len(w) for w in pw), 'anchor words >16 bytes', sum(len(w) > 16 for w in aw))
nw = [words(t) for t in texts.values()]
tot = sum(len(x) for x in nw)
nbytes = sum(len(t) for t in texts.values())
print('texts', len(texts), 'bytes/text %.1f' % (nbytes / len(texts)), 'words/text %.1f' % (tot / len(texts)),
      'mean word len %.2f' % (sum(w[1] - w[0] for x in nw for w in x) / tot))
print('text words in pattern-word set / text %.1f, in anchor set / text %.1f' % (
    sum(w[2] in pw for x in nw for w in x) / len(texts), sum(w[2] in aw for x in nw for w in x) / len(texts)))
byanchor = collections.defaultdict(list)
for i, a in anchor.items():
    byanchor[a[2]].append((i, a[0]))
print('verifications a text (anchor hits x patterns on that anchor) %.1f' % (
    sum(len(byanchor[w[2]]) for x in nw for w in x if w[2] in aw) / len(texts)))
# Today's matches the word path would find: those of patterns with an anchor.
print('matches of word-path patterns', sum(1 for v, pid, e in matches if pid in anchor),
      'byte-path', sum(1 for v, pid, e in matches if pid not in anchor))

by2 = collections.defaultdict(list)
for i, a in anchor2.items():
    by2[a[2][:4]].append(i)
print('variant 2 verifications a text %.1f' % (
    sum(len(by2[w[2][:4]]) for x in nw for w in x) / len(texts)))
print('variant 2 (word-start 4-byte keys): patterns', len(anchor2), 'matches', sum(1 for v, pid, e in matches if pid in anchor2),
      'byte-path patterns', len(pats) - len(anchor2), 'matches', sum(1 for v, pid, e in matches if pid not in anchor2))

def h64(w):
    lo = int.from_bytes(w[:8].ljust(8, b'\0'), 'little')
    hi = int.from_bytes(w[8:16].ljust(8, b'\0'), 'little')
    M = (1 << 64) - 1
    h = ((lo * 0x9E3779B97F4A7C15) & M) ^ ((hi * 0xC2B2AE3D27D4EB4F) & M) ^ len(w)
    return (h * 0xFF51AFD7ED558CCD & M) >> 32

def emit(path, anc, keymax):
    byk = collections.defaultdict(list)
    for i, a in anc.items():
        w = a[2][:keymax]
        assert len(a[2]) <= 16
        byk[w].append((i, a[0]))
    alist = sorted(byk)
    bits = max(8, (len(alist) * 2 - 1).bit_length())
    slots = [0] * (1 << bits)
    for k, w in enumerate(alist):
        at = h64(w) >> (32 - bits)
        while slots[at]:
            at = (at + 1) & ((1 << bits) - 1)
        slots[at] = k + 1
    o = open(path, 'w')
    o.write('/* generated by analyse.py: %d keys, %d patterns */\n#define KEYMAX %d\n#define WSLOT_BITS %d\n' % (len(alist), len(anc), keymax, bits))
    o.write('static const uint16_t wslots[%d] = {%s};\n' % (1 << bits, ','.join(map(str, slots))))
    ents, lst = [], []
    for w in alist:
        lo = int.from_bytes(w[:8].ljust(8, b'\0'), 'little')
        hi = int.from_bytes(w[8:16].ljust(8, b'\0'), 'little')
        ents.append('{0x%xu,0x%xu,%d,%d,%d}' % (lo, hi, len(w), len(lst), len(byk[w])))
        lst.extend(byk[w])
    o.write('static const struct wentry wentries[%d] = {%s};\n' % (len(ents), ',\n'.join(ents)))
    def chk(i):
        p = pats[i][1][:8]
        return int.from_bytes(bytes(b | 0x20 for b in p).ljust(8, b'\0'), 'little')
    o.write('static const struct wpat wlist[%d] = {%s};\n' % (len(lst), ','.join('{0x%xu,%d,%d}' % (chk(x[0]), x[0], x[1]) for x in lst)))
    pool, prow = b'', []
    for i in range(len(pats)):
        fl, p = pats[i]
        prow.append('{%d,%d,%d}' % (len(pool), len(p), fl))
        pool += p
    o.write('static const struct wprow wpats[%d] = {%s};\n' % (len(prow), ','.join(prow)))
    o.write('static const unsigned char wpool[%d] = {%s};\n' % (len(pool) + 16, ','.join(str(b) for b in pool + bytes(16))))
    o.write('static const uint8_t wpath[%d] = {%s};\n' % (len(pats), ','.join('1' if i in anc else '0' for i in range(len(pats)))))

emit(sys.argv[2], anchor, 16)
emit(sys.argv[3], anchor2, 4)
