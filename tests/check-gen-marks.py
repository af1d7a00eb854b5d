#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The smtpstatus developers
"""The generator of the decoders' phrase scan is deterministic, refuses bad
data, and its tables let no phrase be passed over: for every phrase, at
every alignment of its key in the window, the step is a shift no longer
than the distance to the key's end, or a list that holds the phrase.

Usage: check-gen-marks.py GEN MARKS_TSV
"""

import importlib.util
import os
import subprocess
import sys
import tempfile

import gencheck


def run(gen, marks, out):
    return subprocess.run([sys.executable, gen, marks, out], capture_output=True, text=True)


def check_tables(gen, marks):
    """Read the phrases back the way the generator does and walk each key's
    blocks through the step table it built."""
    spec = importlib.util.spec_from_file_location("gen_marks", gen)
    g = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(g)
    failures = 0
    text = g.generate(marks)
    step = [int(v) for v in text.split("smtpstatus__mark_step[")[1].split("{")[1].split("}")[0]
            .replace("\n", " ").split(",") if v.strip()]
    cand = [int(v) for v in text.split("smtpstatus__mark_candidates[")[1].split("{")[1]
            .split("}")[0].replace("\n", " ").split(",") if v.strip()]
    table = text.split("} smtpstatus__mark_phrases[] = {")[1].split("};")[0]
    keys = [int(row.strip(" {},").split(",")[2]) for row in table.strip().split("\n")]
    for i, (name, _, raw) in enumerate(g.read_marks(marks)):
        key = raw[keys[i]:keys[i] + g.WINDOW]
        for j in range(g.WINDOW - 2):
            # Both cases of the key's letters hash alike.
            for block in (key[j:j + 3], key[j:j + 3].upper()):
                v = step[g.block_hash(*block)]
                if j == g.WINDOW - 3:
                    lst = v - g.SHIFT_LIMIT
                    ok = v >= g.SHIFT_LIMIT and i in cand[lst:cand.index(g.END, lst)]
                else:
                    ok = v >= g.SHIFT_LIMIT or 1 <= v <= g.WINDOW - 3 - j
                if not ok:
                    print(f"FAIL: {name}: block {block!r} of its key could be passed over")
                    failures += 1
    return failures


def main(argv):
    gen, marks = argv[1:3]
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        r = gencheck.reproducible(gen, [marks], tmp)
        if r is None:
            return 1
        failures += r
        failures += check_tables(gen, marks)

        base = open(marks, encoding="utf-8").read()
        cases = {
            "phrase in upper case": base + 'UPPER\t"This Is Upper"\n',
            "phrase shorter than the window": base + 'SHORT\t"short"\n',
            "name given twice": base + 'COURIER\t"courier mail server again"\n',
            "phrase not a JSON string": base + 'BARE\tbare words here\n',
            "bad name": base + 'lower\t"a lower-case name"\n',
        }
        for name, text in cases.items():
            bad = os.path.join(tmp, "bad.tsv")
            with open(bad, "w", encoding="utf-8") as f:
                f.write(text)
            if run(gen, bad, os.path.join(tmp, "c.h")).returncode == 0:
                print(f"FAIL: the generator accepted data with a {name}")
                failures += 1
    if failures == 0:
        print("ok")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
