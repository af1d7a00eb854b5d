#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The corpus check: score `smtpstatus dsn` on ../shared/corpus and guard
against regressions.

Usage: corpus.py SMTPSTATUS_CLI CORPUS_DIR THRESHOLDS_FILE

1. Every file in emails/ (bsd, err, not) is read without a crash or a
   sanitizer report (when the CLI was built with sanitizers).
2. Nothing is reported for the files listed in negatives.tsv.
3. The score of emails/bsd against expected.tsv does not fall below the
   figures in THRESHOLDS_FILE (lines "metric minimum", e.g. "reason 60.0").
4. The same bounces with CRLF and with bare CR line endings (RFC 5322 says
   CRLF; files on disk say LF; old Mac software said CR) give the same
   records as with LF, line breaks inside the diagnostic aside.
"""

import csv
import glob
import io
import json
import os
import subprocess
import sys
import tempfile


def records(cli, files, env):
    """The dsn --json records, keyed by file name alone, line breaks in the
    diagnostic made LF."""
    out = subprocess.run([cli, "dsn", "--json"] + files, capture_output=True, text=True, env=env)
    rows = []
    for line in out.stdout.splitlines():
        o = json.loads(line)
        o["file"] = os.path.basename(o["file"])
        if o.get("diagnostic"):
            o["diagnostic"] = o["diagnostic"].replace("\r\n", "\n").replace("\r", "\n")
        rows.append(json.dumps(o, sort_keys=True))
    return out.returncode, rows


def line_endings(cli, bsd, env):
    """Failures of step 4."""
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        variants = {"lf": b"\n", "crlf": b"\r\n", "cr": b"\r"}
        for name, eol in variants.items():
            os.mkdir(os.path.join(tmp, name))
            for f in bsd:
                with open(f, "rb") as fh:
                    data = fh.read().replace(b"\r\n", b"\n").replace(b"\n", eol)
                with open(os.path.join(tmp, name, os.path.basename(f)), "wb") as fh:
                    fh.write(data)
        base = records(cli, sorted(glob.glob(os.path.join(tmp, "lf", "*.eml"))), env)
        for name in ("crlf", "cr"):
            got = records(cli, sorted(glob.glob(os.path.join(tmp, name, "*.eml"))), env)
            if got != base:
                diff = [b for a, b in zip(base[1], got[1]) if a != b][:1]
                failures.append(f"{name} line endings: {len(got[1])} records against {len(base[1])}"
                                f" with LF; first difference: {diff[0][:200] if diff else '(count)'}")
    print(f"line endings: LF, CRLF and CR compared over {len(bsd)} bounces")
    return failures


def main(argv):
    cli, corpus, thresholds_path = argv[1:4]
    failures = []
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1:abort_on_error=1",
               UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1")

    files = sorted(glob.glob(os.path.join(corpus, "emails", "*", "*.eml")))
    for f in files:
        r = subprocess.run([cli, "dsn", f], capture_output=True, text=True, env=env, timeout=60)
        if r.returncode not in (0, 1) or "Sanitizer" in r.stderr or "runtime error" in r.stderr:
            failures.append(f"{f}: exit {r.returncode}: {r.stderr.strip()[:300]}")
    print(f"read {len(files)} messages")

    with open(os.path.join(corpus, "negatives.tsv"), encoding="utf-8") as fh:
        negatives = [line.split("\t")[0].strip() for line in fh if line.strip() and not line.startswith("file")]
    for neg in negatives:
        r = subprocess.run([cli, "dsn", os.path.join(corpus, "emails", neg)], capture_output=True,
                           text=True, env=env)
        if r.stdout.strip():
            failures.append(f"{neg} is not a bounce, yet: {r.stdout.strip()[:200]}")

    bsd = sorted(glob.glob(os.path.join(corpus, "emails", "bsd", "*.eml")))
    out = subprocess.run([cli, "dsn", "--json"] + bsd, capture_output=True, text=True, env=env)
    results = os.path.join(os.environ.get("TMPDIR", "/tmp"), "smtpstatus-corpus.jsonl")
    with open(results, "w", encoding="utf-8") as fh:
        fh.write(out.stdout)
    score = subprocess.run([sys.executable, os.path.join(corpus, "score.py"),
                            "--manifest", os.path.join(corpus, "expected.tsv"),
                            "--negatives", os.path.join(corpus, "negatives.tsv"),
                            "--tool", f"smtpstatus={results}", "--format", "tsv"],
                           capture_output=True, text=True)
    if score.returncode != 0:
        failures.append("score.py failed: " + score.stderr.strip()[:300])
    else:
        rows = list(csv.reader(io.StringIO(score.stdout), delimiter="\t"))
        header = next(r for r in rows if "found%" in r)
        overall = rows[rows.index(header) + 1]
        got = {h.rstrip("%"): v for h, v in zip(header, overall)}
        print("corpus score: " + ", ".join(f"{k} {got[k]}%" for k in
                                           ("found", "status", "reply", "reason", "hard") if k in got))
        with open(thresholds_path, encoding="utf-8") as fh:
            for line in fh:
                line = line.split("#")[0].strip()
                if not line:
                    continue
                metric, minimum = line.split()
                value = float(got.get(metric, "0") or 0)
                if value + 1e-9 < float(minimum):
                    failures.append(f"{metric} fell to {value}% (was at least {minimum}%)")
    failures += line_endings(cli, bsd, env)
    for f in failures:
        print("FAIL:", f)
    print(f"corpus: {0 if failures else 1} passed, {1 if failures else 0} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
