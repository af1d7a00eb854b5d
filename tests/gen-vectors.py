#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The smtpstatus developers
"""Turn tests/vectors/replies.tsv into a C array for test-vectors.c.

Usage: gen-vectors.py REPLIES_TSV OUTPUT_H

Columns: text, stage, reason, bounce, sisimai, origin [, known].
`text` uses the escapes \\r \\n \\t \\\\. A row whose optional `known` column
holds a note is a known disagreement: the test reports it but does not fail
on it (the note says why the classifier and the label differ).
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib", "gen"))
from cgen import c_string as c_bytes  # noqa: E402

COLUMNS = ["text", "stage", "reason", "bounce", "sisimai", "origin"]


def unescape(s, where):
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            n = s[i + 1]
            if n in "rnt\\":
                out.append({"r": "\r", "n": "\n", "t": "\t", "\\": "\\"}[n])
                i += 2
                continue
            raise ValueError(f"{where}: unknown escape \\{n}")
        out.append(c)
        i += 1
    return "".join(out)


def main(argv):
    src, dst = argv[1], argv[2]
    rows, header = [], None
    with open(src, encoding="utf-8", newline="") as f:
        for lineno, line in enumerate(f.read().split("\n"), 1):
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            if header is None:
                header = fields
                if header[:6] != COLUMNS:
                    sys.stderr.write(f"{src}:{lineno}: unexpected columns {header!r}\n")
                    return 1
                continue
            if len(fields) not in (6, 7):
                sys.stderr.write(f"{src}:{lineno}: {len(fields)} fields\n")
                return 1
            try:
                text = unescape(fields[0], f"{src}:{lineno}")
            except ValueError as e:
                sys.stderr.write(f"{e}\n")
                return 1
            known = fields[6].strip() if len(fields) == 7 else ""
            rows.append((lineno, text, fields[1].strip(), fields[2].strip(), fields[3].strip(),
                         fields[4].strip(), fields[5].strip(), known))
    out = ["/* generated from replies.tsv by gen-vectors.py; do not edit */", "",
           "#include <stddef.h>", "",
           "/* One labelled reply: the text and its six columns (replies.tsv). */",
           "struct vector {",
           "    int line;",
           "    const char *text;",
           "    size_t len;",
           "    const char *stage, *reason, *bounce, *sisimai, *origin, *known;",
           "};", "",
           "static const struct vector vectors[] = {"]
    for lineno, text, stage, reason, bounce, sisimai, origin, known in rows:
        out.append(f"    {{ {lineno}, {c_bytes(text)}, {len(text.encode('utf-8'))}, "
                   f"{c_bytes('' if stage == '-' else stage)}, {c_bytes(reason)}, "
                   f"{c_bytes(bounce)}, {c_bytes('' if sisimai == '-' else sisimai)}, "
                   f"{c_bytes(origin)}, {c_bytes(known)} }},")
    out.append("};")
    out.append("")
    with open(dst, "w", encoding="ascii", newline="\n") as f:
        f.write("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
