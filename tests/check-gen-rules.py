#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The smtpstatus developers
"""The rule compiler is deterministic and refuses bad data.

Usage: check-gen-rules.py GEN HEADER REGISTRY REASONS REASON_TEXTS CODE_ADVICE PROVIDERS RULES
"""

import os
import subprocess
import sys
import tempfile

import gencheck

NAMES = ["header", "registry", "reasons", "texts", "advice", "providers", "rules"]


def run(gen, files, out):
    return subprocess.run([sys.executable, gen] + [files[n] for n in NAMES] + [out],
                          capture_output=True, text=True)


def main(argv):
    gen = argv[1]
    files = dict(zip(NAMES, argv[2:9]))
    passed = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        r = gencheck.reproducible(gen, [files[n] for n in NAMES], tmp)
        if r is None:
            return 1
        failed += r
        passed += 1 - min(r, 1)

        header = next(line for line in open(files["rules"], encoding="utf-8")
                      if line.startswith("id\t")).rstrip("\n")
        first_rule = "code.test.1\t-\t-\t-\tX.1.1\t-\t-\trecipient_unknown\t80\t-\t-\ttest"
        cases = {
            "rules": {
                "an unknown reason": first_rule.replace("recipient_unknown", "no_such_reason"),
                "a duplicate id": first_rule + "\n" + first_rule,
                "an unknown provider": first_rule.replace("code.test.1\t-", "code.test.1\tnobody"),
                "a confidence over 100": first_rule.replace("\t80\t", "\t101\t"),
                "an unknown stage": first_rule.replace("X.1.1\t-", "X.1.1\tteatime"),
                "an unknown sisimai name": first_rule.replace("\t-\ttest", "\tbogus\ttest"),
                "a rule without a source": first_rule.replace("\ttest", "\t-"),
                "a short pattern": first_rule.replace("X.1.1\t-\t-", "-\t-\tab"),
                "a bad status": first_rule.replace("X.1.1", "X.*.1"),
            },
        }
        for name, row in cases["rules"].items():
            bad = os.path.join(tmp, "rules.tsv")
            with open(bad, "w", encoding="utf-8") as f:
                f.write(header + "\n" + row + "\n")
            r = run(gen, dict(files, rules=bad), os.path.join(tmp, "c.h"))
            if r.returncode == 0:
                failed += 1
                print(f"FAIL: accepted rules with {name}")
            else:
                passed += 1
                print(f"ok: {name} rejected: {r.stderr.strip()}")

        advice = open(files["advice"], encoding="utf-8").read().split("\n")
        bad = os.path.join(tmp, "advice.tsv")
        with open(bad, "w", encoding="utf-8") as f:
            f.write("\n".join(line for line in advice if not line.startswith("X.4.1\t")))
        r = run(gen, dict(files, advice=bad), os.path.join(tmp, "d.h"))
        if r.returncode == 0:
            failed += 1
            print("FAIL: accepted advice without X.4.1")
        else:
            passed += 1
            print(f"ok: missing advice rejected: {r.stderr.strip()}")

        reasons = open(files["reasons"], encoding="utf-8").read()
        bad = os.path.join(tmp, "reasons.tsv")
        with open(bad, "w", encoding="utf-8") as f:
            f.write(reasons.replace("\n2\trecipient_unknown\t", "\n99\trecipient_unknown\t"))
        r = run(gen, dict(files, reasons=bad), os.path.join(tmp, "e.h"))
        if r.returncode == 0:
            failed += 1
            print("FAIL: accepted a reason value that differs from the header")
        else:
            passed += 1
            print(f"ok: enum drift rejected: {r.stderr.strip()}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
