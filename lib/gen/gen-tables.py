#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The smtpstatus developers
"""Generate the static lookup tables from the committed registry data.

Usage: gen-tables.py ENHANCED_CSV REPLY_CSV OUTPUT_H

Reads the IANA enhanced status code registry snapshot and the reply-code
table, validates them, and writes a C header of `static const` tables for
lib/lookup.c. Every string lives in one pool (a struct of char arrays, so no
literal exceeds what ISO C compilers must accept and the pool needs no
relocations); tables refer to it by uint16_t offsets. Offset 0 is the empty
string and stands for "absent".

The output depends on nothing but the input bytes: no dates, no paths, no
hash ordering. Any problem in the data fails the build with a message that
names the file and line.
"""

import csv
import io
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cgen import Pool, run  # noqa: E402

ENHANCED_COLUMNS = [
    "table", "code", "class_digit", "subject", "detail", "title", "basic_codes",
    "basic_codes_normalized", "description", "reference", "reference_ids", "submitter",
    "change_controller", "date_registered", "date_updated", "note",
]
REPLY_COLUMNS = [
    "code", "context", "class_digit", "class", "category_digit", "category",
    "recommended_text", "meaning", "kind", "reference", "notes",
]
# enum smtpstatus_reply_kind in include/smtpstatus.h
REPLY_KINDS = {
    "standard": 1, "registry-only": 2, "draft": 3, "non-standard": 4, "legacy": 5,
    "deprecated": 6,
}
REPLY_CONTEXTS = [
    "general", "AUTH", "STARTTLS", "SIZE", "BDAT", "SMTPUTF8", "ETRN", "ATRN",
    "registry-only", "draft", "non-standard", "legacy",
]
BASIC_CODES_MAX = 16  # SMTPSTATUS_BASIC_CODES_MAX
UINT16_MAX = 0xFFFF

# SMTPSTATUS_CODE_* bits
CODE_REGISTERED = 1 << 0
CODE_DEPRECATED = 1 << 1
CODE_ANY_REPLY = 1 << 3


class DataError(Exception):
    pass


def fail(path, line, message):
    raise DataError(f"{path}:{line}: {message}")


def read_csv(path, columns):
    """Rows as (line number, dict), with '#' comment lines skipped; the meta
    comments of the form '# key: value' are returned too."""
    meta = {}
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read()
    lines = text.split("\n")
    body_start = 0
    for i, line in enumerate(lines):
        if line.startswith("#"):
            m = re.match(r"#\s*([a-z-]+):\s*(.+?)\s*$", line)
            if m:
                meta[m.group(1)] = m.group(2)
            body_start = i + 1
        else:
            break
    body = "\n".join(lines[body_start:])
    reader = csv.reader(io.StringIO(body, newline=""))
    rows = []
    header = None
    for record in reader:
        lineno = body_start + reader.line_num
        if not record:
            continue
        if header is None:
            header = record
            if header != columns:
                fail(path, lineno, f"unexpected columns {header!r}, want {columns!r}")
            continue
        if len(record) != len(columns):
            fail(path, lineno, f"{len(record)} fields, want {len(columns)}")
        for value in record:
            if any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
                fail(path, lineno, "fields must be single-line text without control characters")
        rows.append((lineno, dict(zip(columns, record))))
    if header is None:
        fail(path, 1, "no header row")
    return meta, rows


def number(path, lineno, value, what, low, high):
    if not re.fullmatch(r"0|[1-9][0-9]*", value):
        fail(path, lineno, f"{what} {value!r} is not a number")
    n = int(value)
    if not low <= n <= high:
        fail(path, lineno, f"{what} {n} is outside {low}..{high}")
    return n


def load_enhanced(path):
    meta, rows = read_csv(path, ENHANCED_COLUMNS)
    date = meta.get("registry-updated", "")
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", date):
        fail(path, 1, "missing or malformed '# registry-updated: YYYY-MM-DD' comment")
    classes, subjects, codes = {}, {}, {}
    for lineno, r in rows:
        table = r["table"]
        if not r["title"] and not r["note"].startswith("deprecated"):
            fail(path, lineno, "empty title")
        if table == "class":
            digit = number(path, lineno, r["class_digit"], "class", 0, 9)
            if digit not in (2, 4, 5):
                fail(path, lineno, f"class {digit} is not 2, 4 or 5 (RFC 3463 section 3.1)")
            if r["code"] != f"{digit}.XXX.YYY":
                fail(path, lineno, f"code {r['code']!r} does not match class {digit}")
            if digit in classes:
                fail(path, lineno, f"duplicate class {digit}")
            classes[digit] = (lineno, r)
        elif table == "subject":
            subject = number(path, lineno, r["subject"], "subject", 0, 999)
            if r["code"] != f"X.{subject}.YYY":
                fail(path, lineno, f"code {r['code']!r} does not match subject {subject}")
            if subject in subjects:
                fail(path, lineno, f"duplicate subject {subject}")
            subjects[subject] = (lineno, r)
        elif table == "enumerated":
            subject = number(path, lineno, r["subject"], "subject", 0, 999)
            detail = number(path, lineno, r["detail"], "detail", 0, 999)
            if r["code"] != f"X.{subject}.{detail}":
                fail(path, lineno, f"code {r['code']!r} does not match X.{subject}.{detail}")
            if (subject, detail) in codes:
                fail(path, lineno, f"duplicate code X.{subject}.{detail}")
            if r["note"] and not r["note"].startswith(("deprecated", "registered from")):
                fail(path, lineno, f"unknown note {r['note']!r}")
            codes[(subject, detail)] = (lineno, r)
        else:
            fail(path, lineno, f"unknown table {table!r}")
    if sorted(classes) != [2, 4, 5]:
        fail(path, 1, f"want the classes 2, 4 and 5, have {sorted(classes)}")
    for (subject, detail), (lineno, r) in codes.items():
        if subject not in subjects:
            fail(path, lineno, f"X.{subject}.{detail} refers to subject {subject}, which has no row")
    return date, classes, subjects, codes


def load_replies(path):
    _, rows = read_csv(path, REPLY_COLUMNS)
    seen = set()
    out = []
    for lineno, r in rows:
        code = number(path, lineno, r["code"], "reply code", 100, 599)
        if r["context"] not in REPLY_CONTEXTS:
            fail(path, lineno, f"unknown context {r['context']!r}")
        if r["kind"] not in REPLY_KINDS:
            fail(path, lineno, f"unknown kind {r['kind']!r}")
        if number(path, lineno, r["class_digit"], "class digit", 1, 5) != code // 100:
            fail(path, lineno, "class_digit does not match the code")
        if number(path, lineno, r["category_digit"], "category digit", 0, 9) != code // 10 % 10:
            fail(path, lineno, "category_digit does not match the code")
        if (code, r["context"]) in seen:
            fail(path, lineno, f"duplicate row for {code} in context {r['context']}")
        seen.add((code, r["context"]))
        if not r["meaning"]:
            fail(path, lineno, "empty meaning")
        out.append((lineno, code, r))
    # Sorted by code; within a code the RFC 5321 ("general") row first, then
    # the order of REPLY_CONTEXTS, so a lookup can take the first match.
    out.sort(key=lambda t: (t[1], REPLY_CONTEXTS.index(t[2]["context"])))
    return out


def parse_basic(path, lineno, r, reply_codes):
    """The normalised basic codes as numbers (550, or 5 for '5XX') and flags."""
    flags = 0
    values = []
    for token in r["basic_codes_normalized"].split():
        if token == "ANY":
            flags |= CODE_ANY_REPLY
        elif token == "NOT_GIVEN":
            pass
        elif re.fullmatch(r"[245]XX", token):
            values.append(int(token[0]))
        elif re.fullmatch(r"[2-5][0-9][0-9]", token):
            if int(token) not in reply_codes:
                fail(path, lineno, f"basic code {token} is not in the reply-code table")
            values.append(int(token))
        else:
            fail(path, lineno, f"bad basic code {token!r}")
    if len(values) > BASIC_CODES_MAX:
        fail(path, lineno, f"more than {BASIC_CODES_MAX} basic codes")
    return flags, values


def emit_indexes(code_keys, reply_codes):
    """Direct indexes into the two row tables, so that the reply parser
    finds a code's row with one load rather than a binary search (it looks
    up every reply it parses). Entries are the row's index plus one; 0 is
    "no row"."""
    if len(code_keys) >= 0xFF or len(reply_codes) >= 0xFF:
        raise DataError("too many rows for a uint8_t index")
    subjects = max(s for s, _ in code_keys) + 1
    details = max(d for _, d in code_keys) + 1
    where = {key: i + 1 for i, key in enumerate(code_keys)}
    out = ["/* X.subject.detail -> its row in smtpstatus__codes plus one, for subject",
           " * and detail below the bounds (every registered one is). */",
           f"#define SMTPSTATUS__CODE_SUBJECTS {subjects}",
           f"#define SMTPSTATUS__CODE_DETAILS {details}",
           "static const uint8_t smtpstatus__code_index[SMTPSTATUS__CODE_SUBJECTS]"
           "[SMTPSTATUS__CODE_DETAILS] = {"]
    for s in range(subjects):
        row = ", ".join(str(where.get((s, d), 0)) for d in range(details))
        out.append(f"    {{ {row} }}, /* X.{s}.* */")
    out.append("};")
    out.append("")
    # The first row of each code: the rows are sorted with the RFC 5321
    # meaning first.
    first = {}
    for i, code in enumerate(reply_codes):
        first.setdefault(code, i + 1)
    out.append("/* Reply code - 100 -> its first row in smtpstatus__replies plus one. */")
    out.append("static const uint8_t smtpstatus__reply_index[500] = {")
    for base in range(100, 600, 20):
        row = ", ".join(str(first.get(c, 0)) for c in range(base, base + 20))
        out.append(f"    {row}, /* {base}.. */")
    out.append("};")
    out.append("")
    return out


PAIRING_COLUMNS_MAX = 63  # bits in a smtpstatus__code_pairs entry, less PAIRS_REGISTERED
PAIRS_REGISTERED = 1 << 63  # in smtpstatus__code_pairs: the row is a registered code
# smtpstatus_anomaly bits (include/smtpstatus.h) that the registry test sets
ANOMALY_NO_ENHANCED = 1 << 3
ANOMALY_UNKNOWN_CODE = 1 << 7
ANOMALY_ENHANCED_ON_3XX = 1 << 11


def emit_pairing(code_rows, replies):
    """The reply parser's registry test as loads (smtpstatus__registry_anomalies).

    Whether an enhanced code's row allows a reply code depends on the reply
    only through whether its basic codes list that reply or its class
    (RFC 3463's "4XX"). So each reply code from 100 to 599 gets a column:
    its own when some row lists it, else its class's; each row gets a mask
    of the columns it allows, and a test is one load and a shift. Entry 0
    of the masks stands for an unregistered code (smtpstatus__code_index's
    0), the others have PAIRS_REGISTERED, so one load says which of the two
    anomalies applies. Per reply code, one 32-bit entry holds what depends
    on the code alone: the anomalies without an enhanced code (bits 24 to
    31: unknown code, none on a 2xx/4xx/5xx), those with one (bits 0 to 11:
    unknown code, one on a 3xx), the class an enhanced code must have (bits
    12 to 14, 0 for a 3xx: no test) and the column (bits 16 to 21)."""
    listed = sorted({b for _, flags, basic in code_rows for b in basic if b >= 100})
    column = {code: i for i, code in enumerate(listed)}
    class_column = {cls: len(listed) + cls - 1 for cls in range(1, 6)}
    if len(listed) + 5 > PAIRING_COLUMNS_MAX:
        raise DataError("too many basic codes for the pairing masks")

    def allows(flags, basic, reply):
        return bool(flags & CODE_ANY_REPLY) or not basic or reply in basic or reply // 100 in basic

    known = {}
    for _, code, r in replies:
        known.setdefault(code, REPLY_KINDS[r["kind"]] in (REPLY_KINDS["standard"], REPLY_KINDS["deprecated"]))
    out = ["/* Reply code - 100 -> the registry test's part that depends on the code",
           " * alone (gen-tables.py, emit_pairing()): bits 0-11 the anomalies with an",
           " * enhanced code, 12-14 the class it must have (0: none tested), 16-21 the",
           " * code's column in smtpstatus__code_pairs, 24-31 the anomalies without one. */",
           "static const uint32_t smtpstatus__reply_registry[500] = {"]
    for base in range(100, 600, 8):
        cells = []
        for c in range(base, min(base + 8, 600)):
            cls = c // 100
            unknown = 0 if known.get(c, False) and c % 100 < 60 else ANOMALY_UNKNOWN_CODE
            with_enh = unknown | (ANOMALY_ENHANCED_ON_3XX if cls == 3 else 0)
            bare = unknown | (ANOMALY_NO_ENHANCED if cls != 3 else 0)
            tested = 0 if cls == 3 else cls
            v = with_enh | tested << 12 | column.get(c, class_column[cls]) << 16 | bare << 24
            cells.append(f"{v:#x}")
        out.append(f"    {', '.join(cells)}, /* {base}.. */")
    out.append("};")
    out.append("")
    out.append("/* Entry 0: an unregistered code; entry i: row i - 1 of smtpstatus__codes,")
    out.append(" * bit 63 set and bit k when the row allows the reply codes of column k")
    out.append(" * (smtpstatus__basic_allows()). */")
    out.append(f"#define SMTPSTATUS__PAIRS_REGISTERED UINT64_C({PAIRS_REGISTERED:#x})")
    out.append("static const uint64_t smtpstatus__code_pairs[] = {")
    out.append("    UINT64_C(0), /* unregistered */")
    for (subject, detail), flags, basic in code_rows:
        mask = PAIRS_REGISTERED
        for code, k in column.items():
            if allows(flags, basic, code):
                mask |= 1 << k
        for cls, k in class_column.items():
            # a code of the class that no row lists
            if flags & CODE_ANY_REPLY or not basic or cls in basic:
                mask |= 1 << k
        out.append(f"    UINT64_C({mask:#018x}), /* X.{subject}.{detail} */")
    out.append("};")
    out.append("")
    return out


def generate(enhanced_path, reply_path):
    date, classes, subjects, codes = load_enhanced(enhanced_path)
    replies = load_replies(reply_path)
    reply_codes = {code for _, code, _ in replies}
    pool = Pool(UINT16_MAX)
    lines_class, lines_subject, lines_code, lines_reply = [], [], [], []

    for digit in sorted(classes):
        _, r = classes[digit]
        lines_class.append(
            f"    {{ {digit}, {pool.add(r['title'])}, {pool.add(r['description'])}, "
            f"{pool.add(r['reference'])} }},")
    for subject in sorted(subjects):
        _, r = subjects[subject]
        lines_subject.append(
            f"    {{ {subject}, {pool.add(r['title'])}, {pool.add(r['description'])}, "
            f"{pool.add(r['reference'])} }},")
    code_rows = []
    for (subject, detail) in sorted(codes):
        lineno, r = codes[(subject, detail)]
        flags, basic = parse_basic(enhanced_path, lineno, r, reply_codes)
        code_rows.append(((subject, detail), flags, basic))
        flags |= CODE_REGISTERED
        replaced_by = ""
        if r["note"].startswith("deprecated"):
            flags |= CODE_DEPRECATED
            m = re.search(r"duplicate of (X\.[0-9]+\.[0-9]+)", r["description"])
            if not m:
                fail(enhanced_path, lineno, "a deprecated code must name its replacement")
            target = tuple(int(x) for x in m.group(1).split(".")[1:])
            if target not in codes:
                fail(enhanced_path, lineno, f"replacement {m.group(1)} is not registered")
            replaced_by = m.group(1)
        basic_c = ", ".join(str(v) for v in basic) or "0"
        # X.7.28's basic-code column holds a literal "." in the registry:
        # that is no code at all.
        basic_text = "" if r["basic_codes"].strip() == "." else r["basic_codes"]
        lines_code.append(
            f"    {{ {subject}, {detail}, {pool.add(r['title'])}, {pool.add(r['description'])}, "
            f"{pool.add(r['reference'])}, {pool.add(basic_text)}, {pool.add(replaced_by)}, "
            f"{flags}, {len(basic)}, {{ {basic_c} }} }}, /* X.{subject}.{detail} */")
    for _, code, r in replies:
        lines_reply.append(
            f"    {{ {code}, {REPLY_KINDS[r['kind']]}, {pool.add(r['context'])}, "
            f"{pool.add(r['class'])}, {pool.add(r['category'])}, "
            f"{pool.add(r['recommended_text'])}, {pool.add(r['meaning'])}, "
            f"{pool.add(r['reference'])}, {pool.add(r['notes'])} }},")

    out = []
    out.append("/* SPDX-License-Identifier: MIT */")
    out.append(f"/* generated from {enhanced_path.rsplit('/', 1)[-1]} and "
               f"{reply_path.rsplit('/', 1)[-1]} by gen-tables.py; do not edit */")
    out.append("")
    out.append("#ifndef SMTPSTATUS_TABLES_H")
    out.append("#define SMTPSTATUS_TABLES_H")
    out.append("")
    out.append(f'#define SMTPSTATUS__REGISTRY_DATE "{date}"')
    out.append("")
    out.append("/* The string pool: one char array per string, so the whole pool is a")
    out.append(" * single object in .rodata addressed by byte offsets. */")
    out.extend(pool.emit("smtpstatus__pool"))
    pool.freeze()
    out.append(f"#define SMTPSTATUS__POOL_SIZE {pool.size}")
    out.append("")
    out.append("static const struct smtpstatus__class_row smtpstatus__classes[] = {")
    out.extend(lines_class)
    out.append("};")
    out.append("")
    out.append("static const struct smtpstatus__subject_row smtpstatus__subjects[] = {")
    out.extend(lines_subject)
    out.append("};")
    out.append("")
    out.append("/* Sorted by (subject, detail): the registry order smtpstatus_enhanced_at() gives. */")
    out.append("static const struct smtpstatus__code_row smtpstatus__codes[] = {")
    out.extend(lines_code)
    out.append("};")
    out.append("")
    out.append("/* Sorted by code; the RFC 5321 meaning first within a code. */")
    out.append("static const struct smtpstatus__reply_row smtpstatus__replies[] = {")
    out.extend(lines_reply)
    out.append("};")
    out.append("")
    out.extend(emit_indexes(sorted(codes), [code for _, code, _ in replies]))
    out.extend(emit_pairing(code_rows, replies))
    out.append("#endif")
    out.append("")
    return "\n".join(out)


def main(argv):
    return run(argv, "gen-tables.py", ["ENHANCED_CSV", "REPLY_CSV"], generate,
               (DataError, OSError, ValueError, csv.Error))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
