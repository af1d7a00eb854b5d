#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The smtpstatus developers
"""The table generator is deterministic and refuses bad data.

Usage: check-gen-tables.py GEN ENHANCED_CSV REPLY_CSV
"""

import os
import subprocess
import sys
import tempfile

import gencheck


def run(gen, enhanced, reply, out):
    return subprocess.run([sys.executable, gen, enhanced, reply, out], capture_output=True,
                          text=True)


def main(argv):
    gen, enhanced, reply = argv[1:4]
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        r = gencheck.reproducible(gen, [enhanced, reply], tmp)
        if r is None:
            return 1
        failures += r

        base = open(enhanced, encoding="utf-8").read()
        lines = base.split("\n")
        x11 = next(i for i, line in enumerate(lines) if line.startswith("enumerated,X.1.1,"))
        cases = {
            "duplicate code": base + lines[x11] + "\n",
            "class 3": base.replace("class,4.XXX.YYY,4,", "class,3.XXX.YYY,3,"),
            "non-numeric detail": base.replace("enumerated,X.1.1,,1,1,", "enumerated,X.1.1,,1,x,"),
            "unknown subject": base.replace("enumerated,X.1.1,,1,1,", "enumerated,X.9.1,,9,1,"),
            "unknown basic code": base.replace('"451, 550",451 550,', '"451, 559",451 559,'),
            "missing registry date": base.replace("# registry-updated:", "# updated:"),
            "unknown table": base.replace("enumerated,X.1.1,", "bogus,X.1.1,"),
        }
        for name, text in cases.items():
            if text == base:
                print(f"FAIL: the '{name}' case did not change the data (fix this test)")
                failures += 1
                continue
            bad = os.path.join(tmp, "bad.csv")
            with open(bad, "w", encoding="utf-8") as f:
                f.write(text)
            r = run(gen, bad, reply, os.path.join(tmp, "c.h"))
            if r.returncode == 0:
                print(f"FAIL: the generator accepted data with a {name}")
                failures += 1
            else:
                print(f"ok: {name} rejected: {r.stderr.strip()}")
        rtext = open(reply, encoding="utf-8").read()
        bad = os.path.join(tmp, "badreply.csv")
        with open(bad, "w", encoding="utf-8") as f:
            f.write(rtext.replace("\n550,general,", "\n550,nonsense,", 1))
        r = run(gen, enhanced, bad, os.path.join(tmp, "d.h"))
        if r.returncode == 0:
            print("FAIL: the generator accepted an unknown reply context")
            failures += 1
    print(f"{8 - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
