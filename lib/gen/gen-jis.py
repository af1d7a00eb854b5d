#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The smtpstatus developers
"""Compile lib/data/jis0208.tsv into a static const table: JIS X 0208 row
and cell (0x21-0x7E each, as ISO-2022-JP carries them) to a Unicode code
point, 0 for unassigned."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cgen import data_lines, run  # noqa: E402


def generate(path):
    table = [0] * (94 * 94)
    for lineno, line in data_lines(path, "ascii"):
        try:
            jis, uni = line.split("\t")
            code, cp = int(jis, 16), int(uni, 16)
        except ValueError:
            raise ValueError(f"{path}:{lineno}: expected 'JIS<TAB>UNICODE' in hex")
        row, cell = code >> 8, code & 0xFF
        if not (0x21 <= row <= 0x7E and 0x21 <= cell <= 0x7E) or not 0 < cp <= 0xFFFF:
            raise ValueError(f"{path}:{lineno}: code out of range")
        index = (row - 0x21) * 94 + (cell - 0x21)
        if table[index]:
            raise ValueError(f"{path}:{lineno}: {jis} given twice")
        table[index] = cp
    out = ["/* SPDX-License-Identifier: MIT */",
           "/* generated from jis0208.tsv by gen-jis.py; do not edit */",
           "",
           "#ifndef SMTPSTATUS_JIS_H",
           "#define SMTPSTATUS_JIS_H",
           "",
           "/* (row - 0x21) * 94 + (cell - 0x21) -> Unicode, 0: unassigned. */",
           "static const uint16_t smtpstatus__jis0208[94 * 94] = {"]
    for k in range(0, len(table), 16):
        out.append("    " + ", ".join(f"0x{v:04X}" for v in table[k:k + 16]) + ",")
    out += ["};", "", "#endif", ""]
    return "\n".join(out)


def main(argv):
    return run(argv, "gen-jis.py", ["JIS0208_TSV"], generate, (OSError, ValueError))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
