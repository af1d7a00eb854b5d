#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The smtpstatus developers
"""ABI checks on the built library (after xkbcommon's symbols-leak-test).

1. The functions declared SMTPSTATUS_API in the public header, the global
   names of the version script and the dynamic exports of the shared
   library are the same three sets.
2. The library exports no data symbols (nothing writable can leak).
3. No object of the static library references malloc, calloc, realloc or
   free: the library never allocates.
"""

import argparse
import re
import subprocess
import sys


def header_functions(path):
    text = open(path, encoding="utf-8").read()
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    names = set()
    for decl in re.findall(r"SMTPSTATUS_API\s+[^;{]*?;", text, flags=re.S):
        m = re.search(r"\b(smtpstatus_[a-z0-9_]+)\s*\(", decl)
        if m:
            names.add(m.group(1))
    return names


def map_globals(path):
    text = open(path, encoding="utf-8").read()
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    names = set()
    for block in re.findall(r"global:(.*?)(?:local:|\})", text, flags=re.S):
        names.update(n.strip() for n in block.split(";") if n.strip())
    return names


def nm_lines(nm, args):
    out = subprocess.run([nm] + args, check=True, capture_output=True, text=True).stdout
    return [line.split() for line in out.splitlines() if line.strip()]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--header", required=True)
    ap.add_argument("--map", required=True)
    ap.add_argument("--shared", required=True)
    ap.add_argument("--static", required=True)
    ap.add_argument("--nm", default="nm")
    a = ap.parse_args()

    failures = []
    declared = header_functions(a.header)
    mapped = map_globals(a.map)

    exported, data = set(), set()
    for fields in nm_lines(a.nm, ["-D", "--defined-only", a.shared]):
        if len(fields) < 3:
            continue
        kind, name = fields[1], fields[2].split("@")[0]
        if kind == "A":
            continue  # version node names
        exported.add(name)
        if kind not in ("T", "t", "W", "i"):
            data.add(f"{name} ({kind})")

    for what, left, right in (("declared in the header but not in the map", declared, mapped),
                              ("in the map but not declared SMTPSTATUS_API", mapped, declared),
                              ("exported but not in the map", exported, mapped),
                              ("in the map but not exported", mapped, exported)):
        extra = sorted(left - right)
        if extra:
            failures.append(f"{what}: {', '.join(extra)}")
    if data:
        failures.append(f"exported data symbols: {', '.join(sorted(data))}")

    allocators = {"malloc", "calloc", "realloc", "free", "aligned_alloc", "posix_memalign",
                  "strdup", "strndup"}
    for fields in nm_lines(a.nm, ["-u", "-A", a.static]):
        name = fields[-1].split("@")[0]
        if name in allocators:
            failures.append(f"the library calls {name}: {fields[0]}")

    if failures:
        for f in failures:
            print("FAIL:", f)
        return 1
    print(f"ok: {len(declared)} functions declared, mapped and exported; no data exports; "
          "no allocator calls")
    return 0


if __name__ == "__main__":
    sys.exit(main())
