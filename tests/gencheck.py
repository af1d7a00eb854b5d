# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The smtpstatus developers
"""What every generator check asks first: the generator accepts the committed
data, two runs give the same bytes, and no build path leaks into the output
(the tables must be reproducible; .ci/run compares two builds)."""

import os
import subprocess
import sys


def run(gen, inputs, out):
    """The generator on `inputs`, writing `out`."""
    return subprocess.run([sys.executable, gen] + list(inputs) + [out], capture_output=True,
                          text=True)


def reproducible(gen, inputs, tmp):
    """Checks the above in the directory `tmp`; prints a line per check.
    Returns the number of failures, or None when the committed data is
    rejected (nothing else can be checked then)."""
    a, b = os.path.join(tmp, "a.h"), os.path.join(tmp, "b.h")
    for out in (a, b):
        r = run(gen, inputs, out)
        if r.returncode != 0:
            print("FAIL: the generator rejects the committed data:", r.stderr.strip())
            return None
    failures = 0
    first = open(a, "rb").read()
    if first == open(b, "rb").read():
        print("ok: two runs give the same bytes")
    else:
        print("FAIL: two runs gave different output")
        failures += 1
    if tmp.encode() in first:
        print("FAIL: the output contains a build path")
        failures += 1
    return failures
