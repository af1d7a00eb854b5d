#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The smtpstatus developers
"""Compile lib/dsn/marks.tsv into the tables of the text decoders' one scan
(lib/dsn/marks.c): a Wu-Manber multi-string search.

Each phrase is found through a key, WINDOW bytes of it chosen to be made of
uncommon three-byte blocks. The scan slides a window of WINDOW bytes over
the text; the hash of the window's last three bytes gives how far the
window can move without passing a key (the smallest distance from that
block to the end of any key holding a block with the same hash), or, when
the block ends a key, the list of phrases to compare there. The hash
ignores ASCII case the way the comparison does, so a block of the text
that equals a key's block, case aside, hashes as it does.
"""

import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cgen import Pool, c_string, data_lines, run  # noqa: E402

WINDOW = 9          # the key length; the shortest phrase allowed
HASH_BITS = 12
SHIFT_LIMIT = 64    # a step below this is a shift; from it, a candidate list
END = 0xFF          # ends a candidate list

# How common a byte is in bounce texts, roughly (English letter order, then
# white space): only the order matters, for choosing keys.
COMMON = {c: 60 - i for i, c in enumerate(" etaoinsrhdlcumwfgypbvkjxqz")}


FOLD = 0x202020     # OR-ed into a block: ASCII letters of either case alike
MULTIPLIER = 0x9E3779B1


def block_word(a, b, c):
    """The block as marks.c reads it: three bytes, little-endian, with 0x20
    OR-ed into each (which makes a letter lower case)."""
    return (a | b << 8 | c << 16) | FOLD


def block_hash(a, b, c):
    """Must equal mark_hash() in lib/dsn/marks.c: the top HASH_BITS of the
    block word times MULTIPLIER, modulo 2**32 (Knuth's multiplicative
    hashing)."""
    return ((block_word(a, b, c) * MULTIPLIER) & 0xFFFFFFFF) >> (32 - HASH_BITS)


def commonness(block):
    return sum(COMMON.get(chr(x), 5) for x in block)


def choose_key(phrase, taken_ends):
    """The offset of the WINDOW bytes of the phrase whose blocks are the
    least common, the last ones weighing most (they give the small shifts);
    a key ending in a block another key ends in is avoided (longer lists).
    Ties go to the earliest offset, so the choice is deterministic."""
    best, best_cost = 0, None
    for o in range(len(phrase) - WINDOW + 1):
        key = phrase[o:o + WINDOW]
        cost = 0
        for j in range(WINDOW - 2):
            cost += commonness(key[j:j + 3]) * (j + 1)
        last = block_hash(*key[WINDOW - 3:])
        if last in taken_ends:
            cost += 2000
        if best_cost is None or cost < best_cost:
            best, best_cost = o, cost
    return best


def read_marks(path):
    marks = []
    names = set()
    for lineno, line in data_lines(path):
        try:
            name, text = line.split("\t")
            phrase = json.loads(text)
        except ValueError:
            raise ValueError(f"{path}:{lineno}: expected 'NAME<TAB>\"phrase\"'")
        if not isinstance(phrase, str) or not re.fullmatch(r"[A-Z][A-Z0-9_]*", name):
            raise ValueError(f"{path}:{lineno}: bad name or phrase")
        if name in names:
            raise ValueError(f"{path}:{lineno}: {name} given twice")
        raw = phrase.encode("utf-8")
        if raw != raw.lower() or any(b < 0x20 for b in raw):
            raise ValueError(f"{path}:{lineno}: the phrase must be lower case, one line")
        if not WINDOW <= len(raw) <= 255:
            raise ValueError(f"{path}:{lineno}: the phrase must be {WINDOW} to 255 bytes")
        names.add(name)
        marks.append((name, phrase, raw))
    if not marks or len(marks) >= END:
        raise ValueError(f"{path}: 1 to {END - 1} phrases")
    return marks


def generate(path):
    marks = read_marks(path)
    keys, taken = [], set()
    for _, _, raw in marks:
        o = choose_key(raw, taken)
        keys.append(o)
        taken.add(block_hash(*raw[o + WINDOW - 3:o + WINDOW]))

    size = 1 << HASH_BITS
    shift = [WINDOW - 2] * size
    lists = {}
    for i, (_, _, raw) in enumerate(marks):
        key = raw[keys[i]:keys[i] + WINDOW]
        for j in range(WINDOW - 2):
            h = block_hash(*key[j:j + 3])
            shift[h] = min(shift[h], WINDOW - 3 - j)
        lists.setdefault(block_hash(*key[WINDOW - 3:]), []).append(i)
    step = list(shift)
    candidates = []
    for h in sorted(lists):
        step[h] = SHIFT_LIMIT + len(candidates)
        candidates += lists[h] + [END]
    if SHIFT_LIMIT + len(candidates) > 0xFFFF:
        raise ValueError(f"{path}: too many phrases for the step table")

    pool = Pool(0xFFFF)
    offsets = [pool.add(p) for _, p, _ in marks]
    out = ["/* SPDX-License-Identifier: MIT */",
           "/* generated from marks.tsv by gen-marks.py; do not edit */",
           "",
           "#ifndef SMTPSTATUS_MARKS_TABLES_H",
           "#define SMTPSTATUS_MARKS_TABLES_H",
           "",
           "#include <stdint.h>",
           "",
           "enum smtpstatus__mark {"]
    for i, (name, phrase, _) in enumerate(marks):
        comment = c_string(phrase).replace("*/", "* /")
        out.append(f"    SMTPSTATUS__MARK_{name} = {i}, /* {comment} */")
    out += [f"    SMTPSTATUS__MARK_COUNT = {len(marks)}",
            "};",
            "",
            f"#define SMTPSTATUS__MARK_WINDOW {WINDOW}",
            f"#define SMTPSTATUS__MARK_HASH_BITS {HASH_BITS}",
            f"#define SMTPSTATUS__MARK_FOLD 0x{FOLD:06x}u",
            f"#define SMTPSTATUS__MARK_MULTIPLIER 0x{MULTIPLIER:08X}u",
            f"#define SMTPSTATUS__MARK_SHIFT_LIMIT {SHIFT_LIMIT}",
            f"#define SMTPSTATUS__MARK_END {END}",
            "",
            "/* The tables, for marks.c alone. */",
            "#ifdef SMTPSTATUS_MARKS_TABLES",
            ""]
    out += pool.emit("smtpstatus__mark_pool")
    pool.freeze()
    # The pool as bytes, as the compiler lays it out (each string then its
    # NUL), for the fold mask below.
    raw_pool = b"".join(s.encode("utf-8") + b"\0" for s in pool.strings)
    assert len(raw_pool) == pool.size
    out += ["",
            "/* By byte of the pool: 0x20 where it holds a letter, 0 elsewhere. A byte",
            " * of the text OR-ed with it equals the pool's byte exactly when the",
            " * text's byte, lower-cased, does (marks.c compares eight at once). */",
            f"static const uint8_t smtpstatus__mark_fold[{len(raw_pool)}] = {{"]
    fold = [0x20 if 0x61 <= x <= 0x7A else 0 for x in raw_pool]
    for k in range(0, len(fold), 16):
        out.append("    " + ", ".join(str(v) for v in fold[k:k + 16]) + ",")
    out += ["};"]
    out += ["",
            "/* Each phrase: its offset in the pool, its length, where its key starts,",
            " * and the word of its key's last block (block_word()): a block of the text",
            " * that differs from it cannot end the key. */",
            "static const struct {",
            "    uint16_t off;",
            "    uint8_t len, key;",
            "    uint32_t tail;",
            "} smtpstatus__mark_phrases[] = {"]
    for i, (_, _, raw) in enumerate(marks):
        end = keys[i] + WINDOW
        tail = block_word(*raw[end - 3:end])
        out.append(f"    {{ {offsets[i]}, {len(raw)}, {keys[i]}, 0x{tail:06x} }},")
    out += ["};",
            "",
            "/* By the hash of a window's last block: a shift (below SHIFT_LIMIT), or",
            " * SHIFT_LIMIT plus where the phrases whose key ends there start in",
            " * smtpstatus__mark_candidates. */",
            f"static const uint16_t smtpstatus__mark_step[{size}] = {{"]
    for k in range(0, size, 16):
        out.append("    " + ", ".join(str(v) for v in step[k:k + 16]) + ",")
    out += ["};",
            "",
            "/* Lists of phrase numbers, each ended by SMTPSTATUS__MARK_END. */",
            f"static const uint8_t smtpstatus__mark_candidates[{len(candidates)}] = {{"]
    for k in range(0, len(candidates), 16):
        out.append("    " + ", ".join(str(v) for v in candidates[k:k + 16]) + ",")
    out += ["};", "", "#endif", "", "#endif", ""]
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(run(sys.argv, "gen-marks.py", ["MARKS_TSV"], generate, (OSError, ValueError)))
