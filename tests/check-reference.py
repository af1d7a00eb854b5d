#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The generated reference page lists every registered code, reply code and reason."""

import pathlib
import re
import sys

text = open(sys.argv[1], encoding="utf-8").read()
codes = re.findall(r"^### (X\.\d+\.\d+) ", text, flags=re.M)
reasons = re.findall(r"^### `([a-z_]+)`: ", text, flags=re.M)
replies = re.findall(r"^\| (\d{3}) \|", text, flags=re.M)
failures = []
if len(codes) != 81 or len(set(codes)) != 81:
    failures.append(f"{len(codes)} codes, want the registry's 81")
for must in ("X.0.0", "X.1.1", "X.4.1", "X.6.10", "X.7.26", "X.7.30"):
    if must not in codes:
        failures.append(f"{must} missing")
# Every reason of the taxonomy's data file, each once.
data = pathlib.Path(__file__).resolve().parent.parent / "lib" / "data" / "reasons.tsv"
want = [line.split("\t")[1] for line in data.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")][1:]  # past the column names
if reasons != want:
    failures.append(f"{len(reasons)} reasons, want the {len(want)} of reasons.tsv in order")
if len(replies) < 60:
    failures.append(f"only {len(replies)} reply codes")
for f in failures:
    print("FAIL:", f)
print(f"{0 if failures else 1} passed, {1 if failures else 0} failed "
      f"({len(codes)} codes, {len(replies)} reply-code rows, {len(reasons)} reasons)")
sys.exit(1 if failures else 0)
