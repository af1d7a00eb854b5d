#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The smtpstatus developers
"""Compile the classifier's rule data into static C tables.

Usage: gen-rules.py HEADER REGISTRY_CSV REASONS REASON_TEXTS CODE_ADVICE PROVIDERS RULES OUTPUT_H

Inputs (lib/data/):
  reasons.tsv       the reason taxonomy with its defaults and foreign names
  reason-texts.tsv  plain words for every reason
  code-advice.tsv   plain words for every registered code and subject
  providers.tsv     how providers are recognised
  rules.tsv         the rules
and the public header, whose enums the data must agree with: the build fails
when a rule names a reason, action, stage, party or provider that does not
exist, when an id repeats, or when a registered code lacks its advice.

Text patterns get an anchor each, a rare 4-byte window chosen here, and the
run-time matcher tests every window of the text against a table of the
anchors' hashes, then verifies the patterns of the anchors it finds: a single
pass over the input, linear in its length, with no backtracking and no
allocation (see choose_anchors).

The output depends only on the input bytes (no dates, paths or hash order).
"""

import csv
import io
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cgen import Pool  # noqa: E402

SISIMAI_REASONS = set("""
authfailure badreputation blocked contenterror delivered exceedlimit expired failedstarttls
feedback filtered hasmoved hostunknown mailboxfull mailererror mesgtoobig networkerror
norelaying notaccept notcompliantrfc onhold policyviolation rejected requireptr securityerror
spamdetected speeding suppressed suspend syntaxerror systemerror systemfull toomanyconn
undefined userunknown vacation virusdetected
""".split())

POWERMTA_CATEGORIES = set("""
bad-configuration bad-connection bad-domain bad-mailbox content-related inactive-mailbox
invalid-sender message-expired no-answer-from-host other policy-related protocol-errors
quota-issues relaying-issues routing-errors spam-related virus-related
""".split())

SPARKPOST_CLASSES = {1, 10, 20, 21, 22, 23, 24, 25, 30, 40, 50, 51, 52, 53, 54, 60, 70, 80, 90,
                     100}

WILDCARD = 0xFFFF
MAX_PROVIDERS = 64  # a uint64_t bit set at run time


class DataError(Exception):
    pass


def fail(path, line, message):
    raise DataError(f"{path}:{line}: {message}")


def read_tsv(path, columns):
    with open(path, encoding="utf-8", newline="") as f:
        lines = f.read().split("\n")
    rows, header = [], None
    for lineno, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if header is None:
            header = fields
            if header != columns:
                fail(path, lineno, f"columns {header!r}, want {columns!r}")
            continue
        if len(fields) != len(columns):
            fail(path, lineno, f"{len(fields)} fields, want {len(columns)}")
        for v in fields:
            if any(ord(c) < 0x20 for c in v):
                fail(path, lineno, "control character in a field")
        rows.append((lineno, dict(zip(columns, (v.strip() for v in fields)))))
    if header is None:
        fail(path, 1, "no header row")
    return rows


def header_enum(text, prefix):
    """NAME -> value for `SMTPSTATUS_<prefix>_NAME = value,` in the header."""
    out = {}
    for m in re.finditer(r"\bSMTPSTATUS_" + prefix + r"_([A-Z0-9_]+)\s*=\s*([0-9]+)\s*,", text):
        out[m.group(1).lower()] = int(m.group(2))
    if not out:
        raise DataError(f"no SMTPSTATUS_{prefix}_* enumerators in the header")
    return out


def parse_status(path, lineno, value):
    """'-' -> None; 'X.1.1' / '5.1.*' / '5.*.*' -> (cls, subject, detail), with 0 for any
    class and WILDCARD for '*'."""
    if value == "-":
        return None
    m = re.fullmatch(r"([245X])\.([0-9]{1,3}|\*)\.([0-9]{1,3}|\*)", value)
    if not m:
        fail(path, lineno, f"bad status pattern {value!r}")
    cls = 0 if m.group(1) == "X" else int(m.group(1))
    subject = WILDCARD if m.group(2) == "*" else int(m.group(2))
    detail = WILDCARD if m.group(3) == "*" else int(m.group(3))
    if subject == WILDCARD and detail != WILDCARD:
        fail(path, lineno, f"status {value!r}: a wildcard subject needs a wildcard detail")
    return cls, subject, detail


def parse_reply(path, lineno, value):
    if value == "-":
        return []
    out = []
    for token in value.split(","):
        token = token.strip()
        if re.fullmatch(r"[2-5]xx", token):
            out.append(int(token[0]))
        elif re.fullmatch(r"[2-5][0-9][0-9]", token):
            out.append(int(token))
        else:
            fail(path, lineno, f"bad reply code {token!r}")
    return out


def parse_pattern(path, lineno, value):
    """-> (bytes lower-cased, flags) or None. Flags: 1 word boundary before, 2 after."""
    if value == "-":
        return None
    flags = 0
    if value.startswith("\\b"):
        flags |= 1
        value = value[2:]
    if value.endswith("\\b"):
        flags |= 2
        value = value[:-2]
    if "\\" in value:
        fail(path, lineno, f"pattern {value!r}: the only escape is a leading or trailing \\b")
    raw = value.encode("utf-8")
    if len(raw) < 3:
        fail(path, lineno, f"pattern {value!r} is shorter than 3 bytes")
    if len(raw) > 255:
        fail(path, lineno, f"pattern {value!r} is longer than 255 bytes")
    lowered = bytes(b + 32 if 0x41 <= b <= 0x5A else b for b in raw)
    return lowered, flags


# ---- The phrase matcher's anchors ----
#
# The matcher tests the 4-byte windows of the text that start at an even
# offset against a table of the anchors' hashes (independent work per
# position, so it pipelines), and verifies the patterns of an anchor whose
# window is there. Every pattern therefore gets two anchors, windows one
# byte apart, so that one of them starts at an even offset wherever the
# pattern is. A window is compared with every byte ORed with 0x20: that
# folds ASCII case and merges a few other pairs of bytes, which only lets
# through more candidates; the verification compares exactly.

ANCHOR_HASH = 0x9E3779B1  # Knuth's multiplicative constant; any odd number works
ANCHOR_SLOT_BITS = 14     # bits 16 to 29 of the product pick a byte of the tag table (16 KB)
ANCHOR_GROUP_BITS = 14    # the anchors are listed by bits 16 to 29 of the product: the slot itself
# (with 13, the slot's top, the start table is 16 KB, not 32, and a window walks more anchors)
ANCHOR_GROUP_SHIFT = 16 + ANCHOR_SLOT_BITS - ANCHOR_GROUP_BITS
TAG_EMPTY, TAG_ANY = 0, 1  # the tag table's bytes for no anchor and for several


def fold_window(window):
    """The 32-bit key of a 4-byte window as the matcher loads it (little-endian),
    every byte ORed with 0x20."""
    return int.from_bytes(bytes(b | 0x20 for b in window), "little")


def anchor_group(key):
    """The group an anchor with this key is listed in: the top bits of its
    slot (anchor_slot_tag), which the fourth byte of the key changes (it
    adds to bits 24 and up of the product), so that the windows that share
    their first three bytes ("ser ", "serv", "sers") are not all in one
    group, as they were with the product's lower bits: a window that
    passes the tag test walks past few anchors that are not its own."""
    return ((key * ANCHOR_HASH) & 0xFFFFFFFF) >> ANCHOR_GROUP_SHIFT & ((1 << ANCHOR_GROUP_BITS) - 1)


def anchor_slot_tag(key):
    """-> (slot, tag): the byte of the tag table for a window with this key
    (bits 16 to 29 of the product with the multiplier: the SSE2 matcher
    has them in the high half of a lane) and the tag that byte holds when
    the window's anchor is alone there (bits 9 to 15, the top of the low
    half, and 0x80: never TAG_EMPTY or TAG_ANY)."""
    product = (key * ANCHOR_HASH) & 0xFFFFFFFF
    return (product >> 16) & ((1 << ANCHOR_SLOT_BITS) - 1), (product >> 9 & 0x7F) | 0x80


def is_alnum(b):
    return 0x30 <= b <= 0x39 or 0x41 <= b <= 0x5A or 0x61 <= b <= 0x7A


def choose_anchors(patterns, pattern_flags, prose):
    """-> list of (key, pattern id, offset of the window in the pattern).

    A pattern of five bytes or more has two anchors: the windows at a and
    a + 1, where the pair is the rarest of the pattern, by how many patterns
    have each window and how often the plain words of the data (the reason
    texts and code advice, English about mail delivery) have it: phrases
    share their common words ("mail", "user", " not "), which are common in
    replies too, and a window rare in both is rarely in a reply that does
    not say the phrase. Ties go to the pair nearest the pattern's end, which
    keeps a match's end close to where its anchor is seen.

    A shorter pattern has windows that reach past it: a 4-byte pattern, its
    own window and its last three bytes with each byte that may follow them
    (any byte, or with a word boundary after, any byte that is not a letter
    or digit); a 3-byte pattern, itself with each byte that may follow it
    and each that may come before it (offset -1). The text's last window,
    which has only three bytes, is completed with a NUL, which folds to a
    space: always among the bytes that may follow.

    The windows "three bytes of a short pattern and any byte after them"
    are not listed one by one (a hundred-odd anchors for each of the 44
    short patterns, 70 KB of table): they are masked anchors, returned
    second, as (key of the three bytes, pattern id, offset, the keys of the
    windows). The key of three bytes has a zero fourth byte, which no
    window's key has (every byte has 0x20 set), and the matcher compares it
    with the window's first three bytes; see compile_anchors for where the
    masked anchors are listed."""
    seen = {}
    for p in patterns:
        for g in {fold_window(p[i:i + 4]) for i in range(len(p) - 3)}:
            seen[g] = seen.get(g, 0) + 2
    for i in range(len(prose) - 3):
        g = fold_window(prose[i:i + 4])
        if g in seen:
            seen[g] += 1
    anchors = []
    masked = []
    for pid, p in enumerate(patterns):
        if len(p) >= 5:
            def rarity(i):
                a, b = seen[fold_window(p[i:i + 4])], seen[fold_window(p[i + 1:i + 5])]
                return (max(a, b), a + b, -i)
            at = min(range(len(p) - 4), key=rarity)
            anchors.append((fold_window(p[at:at + 4]), pid, at))
            anchors.append((fold_window(p[at + 1:at + 5]), pid, at + 1))
            continue
        follow = sorted({b | 0x20 for b in range(256)
                         if not (pattern_flags[pid] & 2 and is_alnum(b))})
        if len(p) == 4:
            anchors.append((fold_window(p), pid, 0))
            masked.append((fold_window(p[1:]), pid, 1,
                           [fold_window(p[1:] + bytes([y])) for y in follow]))
            continue
        precede = sorted({b | 0x20 for b in range(256)
                          if not (pattern_flags[pid] & 1 and is_alnum(b))})
        masked.append((fold_window(p), pid, 0, [fold_window(p + bytes([y])) for y in follow]))
        for x in precede:
            anchors.append((fold_window(bytes([x]) + p), pid, -1))
    return anchors, masked


def anchor_check(p, key, at):
    """-> (rel, check): the pattern's 4 bytes that the matcher tests before
    comparing it all, those at its start or end, whichever is farther from
    the anchor's window, as their key (check), and where they are from the
    window (rel: the window at q has them at q + rel). A 3-byte pattern's
    window holds it whole: an anchor from the byte before it checks the
    window again (it is all in the text when the pattern is); a masked one
    checks nothing, which check 0 says (no window's key is 0)."""
    if len(p) < 4:
        return 0, (key if key >> 24 else 0)
    c = 0 if at >= (len(p) - 4) - at else len(p) - 4
    if not -128 <= c - at <= 127:
        raise DataError(f"pattern {p!r}: its check is {c - at} bytes from its anchor")
    return c - at, fold_window(p[c:c + 4])


def compile_anchors(patterns, pattern_flags, prose):
    anchors, masked = choose_anchors(patterns, pattern_flags, prose)
    # The tag table: a window is a candidate when the byte of its slot is
    # its tag or TAG_ANY. A slot holds the tag its anchors' windows share,
    # or TAG_ANY when their tags differ. One byte past the table, always
    # TAG_EMPTY: the SSE2 matcher loads two bytes at a time.
    words = [TAG_EMPTY] * ((1 << ANCHOR_SLOT_BITS) + 1)
    for key in [a[0] for a in anchors] + [w for m in masked for w in m[3]]:
        slot, tag = anchor_slot_tag(key)
        words[slot] = tag if words[slot] in (TAG_EMPTY, tag) else TAG_ANY
    # An anchor is listed in its group (anchor_group): the anchors of group
    # g are anchors[start[g]..start[g + 1]), fewer than a third of one a group. A
    # masked anchor is listed in the group of each of its windows: the
    # fourth byte of a window adds to bits 24 to 29 of the product, which
    # its 5 low bits set (0x20 is always set), so at most 32 groups.
    listed = [(anchor_group(key), key, pid, at) for key, pid, at in anchors]
    for key, pid, at, windows in masked:
        if key >> 24:
            raise DataError(f"masked anchor 0x{key:08X} has four bytes")
        listed.extend((g, key, pid, at) for g in sorted({anchor_group(w) for w in windows}))
    listed.sort()
    anchors = [row[1:] for row in listed]
    start = [0] * ((1 << ANCHOR_GROUP_BITS) + 1)
    for g, _, _, _ in listed:
        start[g + 1] += 1
    for i in range(1, len(start)):
        start[i] += start[i - 1]
    if len(anchors) > 0xFFFF:
        raise DataError(f"{len(anchors)} anchors overflow uint16_t")
    # The matcher holds back each match until no earlier-ending one can still
    # be found. It verifies the windows of a block of eight (16 bytes) that
    # pass the tag test one after the other, and hands out matches only
    # between blocks: those that end at or before the next block's first
    # window q + 2. So when it starts a block at q, the matches waiting end
    # at q + 3 or later, and once the block is verified, at its last window
    # (q + 14) + reach at most, since a match is found at its anchor, at
    # most `reach` bytes before its end. The patterns that end at one offset
    # are suffixes of the longest of them: so at most (reach + 12) *
    # most_suffixes matches wait at once.
    reach = max(len(patterns[pid]) - at for _, pid, at in anchors)
    count = {}
    for p in patterns:
        count[p] = count.get(p, 0) + 1
    most_suffixes = max(sum(count.get(p[i:], 0) for i in range(len(p))) for p in patterns)
    return {"anchors": anchors, "words": words, "start": start,
            "group_max": max(start[g + 1] - start[g] for g in range(len(start) - 1)),
            "pending": max(1, (reach + 12) * most_suffixes), "reach": reach,
            "most_suffixes": most_suffixes, "masked": len(masked)}


def status_matches(r, cls, subject, detail):
    """rules.c status_matches() for a fact with this enhanced code."""
    if r["status"] is None:
        return True
    st_cls, st_subject, st_detail = r["status"]
    return ((st_cls == 0 or st_cls == cls) and (st_subject == WILDCARD or st_subject == subject) and
            (st_detail == WILDCARD or st_detail == detail))


def reply_matches(r, reply):
    """rules.c reply_matches()."""
    return not r["reply"] or any(v == reply or (v < 10 and reply // 100 == v) for v in r["reply"])


# A listed rule with this bit set holds whatever the facts (no provider,
# class or stage to match, and its status or reply values hold already).
LISTED_ALWAYS = 0x8000


def unconditional(r):
    return r["provider"] == 0 and r["cls"] == 0 and r["stage"] == 0


# rules.c rank_of(): a kind's tier on a confidence tie (code, reply, text,
# provider are kinds 1 to 4).
TIER = {1: 1, 2: 0, 3: 2, 4: 3}


def rank_of(r):
    return r["conf"] << 2 | TIER[r["kind"]]


def until_full(entries, evidence_max):
    """A list's entries (by_confidence) up to its evidence_max-th that holds
    for any facts: the verdict keeps only evidence_max candidates, and once
    that many of the list hold, every later entry is no stronger than they
    are and has no length to win a tie with, so none can enter (rules.c,
    take_listed). Cutting the lists here spares the walk its last steps."""
    out, held = [], 0
    for e in entries:
        out.append(e)
        if e & LISTED_ALWAYS:
            held += 1
            if held == evidence_max:
                break
    return out


DOMAIN_SLOT_BITS = 8
FNV_PRIME = 0x01000193
FNV_BASIS = 0x811C9DC5


def domain_hash(name):
    """FNV-1a over the bytes from the last to the first: read that way, the
    hash of every suffix of a host name is a step of one pass (rules.c,
    smtpstatus__providers_for_host)."""
    h = FNV_BASIS
    for b in reversed(name.encode("ascii")):
        h = ((h ^ b) * FNV_PRIME) & 0xFFFFFFFF
    return h


def domain_slots(sorted_domains):
    """The open-addressing table of the provider domains (linear probing),
    each slot its domain's index in the sorted list plus one."""
    size = 1 << DOMAIN_SLOT_BITS
    if len(sorted_domains) > size // 2 or len(sorted_domains) >= 255:
        raise DataError("too many provider domains for the domain hash table")
    slots = [0] * size
    for i, d in enumerate(sorted_domains):
        at = domain_hash(d) >> (32 - DOMAIN_SLOT_BITS)
        while slots[at]:
            at = (at + 1) % size
        slots[at] = i + 1
    return slots


def by_confidence(rules, cell):
    """A list's rules, the most confident first and in their order on a tie.
    All of one list are of one kind, so confidence is their rank: once the
    classifier's evidence is full and a rule is no stronger than the weakest
    kept, none after it is either and the walk stops (rules.c). A stable
    sort keeps the order of equal ranks, which decides their ties, so the
    evidence is what the unsorted walk keeps."""
    return sorted(cell, key=lambda i: -rules[i]["conf"])


def compile_code_lists(rules, code_rules, code_key, evidence_max):
    """The code rules (or the provider rules keyed by a code) each enhanced
    code meets, found at build time instead of by three searches of the
    keyed list a reply: for each class (2, 4, 5),
    subject and detail, the rules of its exact key, then of its subject with
    any detail, then of any code, without those whose status cannot hold,
    the most confident first (by_confidence). Subjects and details past
    those any rule names share one cell: no exact key can be theirs."""
    named = [rules[i]["status"] for i in code_rules]
    subjects = 1 + max([st[1] for st in named if st[1] != WILDCARD] + [0])
    details = 1 + max([st[2] for st in named if st[2] != WILDCARD] + [0])
    start, out = [0], []
    for cls in (2, 4, 5):
        for subject in range(subjects + 1):
            for detail in range(details + 1):
                s = subject if subject < subjects else 1000  # no rule names it
                d = detail if detail < details else 1000
                keys = [(s * 1001 + d) if s < 1000 and d < 1000 else None,
                        (s * 1001 + 1000) if s < 1000 else None, 1000 * 1001 + 1000]
                cell = [i for key in keys for i in code_rules
                        if key is not None and code_key(rules[i]) == key and
                        status_matches(rules[i], cls, s, d)]
                out.extend(until_full([i | (LISTED_ALWAYS if not rules[i]["reply"] and
                                            unconditional(rules[i]) else 0)
                                       for i in by_confidence(rules, cell)], evidence_max))
                start.append(len(out))
    if len(out) > 0xFFFF or len(rules) > LISTED_ALWAYS:
        raise DataError("code rule lists overflow uint16_t")
    return {"subjects": subjects, "details": details, "start": start, "list": out}


def compile_reply_lists(rules, reply_rules, evidence_max, stages):
    """The reply rules of each reply code 200 to 599 and stage below `stages`:
    those keyed by the code, then those keyed by its class, without those
    whose reply values exclude the code or whose stage is another, the most
    confident first (by_confidence). Cells with the same list share it: cell
    (code - 200) * stages + stage names list smtpstatus__reply_cells[cell].
    A stage past the last is the unknown stage's cell (no rule names it)."""
    lists, cells, start, out = {}, [], [0], []
    for code in range(200, 600):
        for stage in range(stages):
            cell = [i for key in (code, code // 100) for i in reply_rules
                    if rules[i]["reply"][0] == key and reply_matches(rules[i], code) and
                    rules[i]["stage"] in (0, stage)]
            entries = tuple(until_full([i | (LISTED_ALWAYS if rules[i]["status"] is None and
                                              rules[i]["provider"] == 0 and rules[i]["cls"] == 0
                                              else 0)
                                         for i in by_confidence(rules, cell)], evidence_max))
            if entries not in lists:
                lists[entries] = len(lists)
                out.extend(entries)
                start.append(len(out))
            cells.append(lists[entries])
    if len(out) > 0xFFFF or len(lists) > 0xFF:
        raise DataError("reply rule lists overflow their tables")
    return {"start": start, "list": out, "cells": cells, "stages": stages}


def generate(argv):
    (header_path, registry_path, reasons_path, texts_path, advice_path, providers_path,
     rules_path) = argv
    header = open(header_path, encoding="utf-8").read()
    reason_enum = header_enum(header, "REASON")
    action_enum = header_enum(header, "ACTION")
    party_enum = header_enum(header, "PARTY")
    stage_enum = {k.replace("_", "-"): v for k, v in header_enum(header, "STAGE").items()}
    pool = Pool(0xFFFFFFFF)

    # ---- reasons ----
    reasons = {}
    for lineno, r in read_tsv(reasons_path, ["value", "reason", "party", "address", "transient",
                                             "permanent", "delay", "sisimai", "powermta",
                                             "sparkpost"]):
        name = r["reason"]
        if name not in reason_enum:
            fail(reasons_path, lineno, f"reason {name!r} is not in enum smtpstatus_reason")
        if int(r["value"]) != reason_enum[name]:
            fail(reasons_path, lineno, f"{name} is {r['value']} here but "
                 f"{reason_enum[name]} in the header")
        if name in reasons:
            fail(reasons_path, lineno, f"duplicate reason {name}")
        for col in ("transient", "permanent"):
            if r[col] not in action_enum:
                fail(reasons_path, lineno, f"unknown action {r[col]!r}")
        if r["party"] not in party_enum:
            fail(reasons_path, lineno, f"unknown party {r['party']!r}")
        if r["address"] not in ("dead", "live"):
            fail(reasons_path, lineno, "address must be dead or live")
        if r["sisimai"] not in SISIMAI_REASONS:
            fail(reasons_path, lineno, f"unknown sisimai reason {r['sisimai']!r}")
        if r["powermta"] not in POWERMTA_CATEGORIES:
            fail(reasons_path, lineno, f"unknown PowerMTA category {r['powermta']!r}")
        if int(r["sparkpost"]) not in SPARKPOST_CLASSES:
            fail(reasons_path, lineno, f"unknown SparkPost class {r['sparkpost']!r}")
        reasons[name] = r
    missing = set(reason_enum) - set(reasons)
    if missing:
        fail(reasons_path, 1, f"reasons missing: {sorted(missing)}")

    texts = {}
    for lineno, r in read_tsv(texts_path, ["reason", "title", "meaning", "causes", "remedy"]):
        if r["reason"] not in reasons:
            fail(texts_path, lineno, f"unknown reason {r['reason']!r}")
        if r["reason"] in texts:
            fail(texts_path, lineno, f"duplicate reason {r['reason']}")
        for col in ("title", "meaning", "causes", "remedy"):
            if not r[col]:
                fail(texts_path, lineno, f"empty {col}")
        texts[r["reason"]] = r
    if set(texts) != set(reasons):
        fail(texts_path, 1, f"reasons without texts: {sorted(set(reasons) - set(texts))}")

    sisimai_names = sorted(SISIMAI_REASONS)
    sisimai_offsets = [0] + [pool.add(n) for n in sisimai_names]
    reason_rows = []
    for name, value in sorted(reason_enum.items(), key=lambda kv: kv[1]):
        if value != len(reason_rows):
            raise DataError("enum smtpstatus_reason values must be dense from 0")
        r, t = reasons[name], texts[name]
        reason_rows.append(
            f"    {{ {party_enum[r['party']]}, {1 if r['address'] == 'dead' else 0}, "
            f"{action_enum[r['transient']]}, {action_enum[r['permanent']]}, {int(r['delay'])}, "
            f"{int(r['sparkpost'])}, {pool.add(name)}, {pool.add(r['sisimai'])}, "
            f"{pool.add(r['powermta'])}, {pool.add(t['title'])}, {pool.add(t['meaning'])}, "
            f"{pool.add(t['causes'])}, {pool.add(t['remedy'])} }}, /* {name} */")

    # ---- advice for registered codes ----
    with open(registry_path, encoding="utf-8") as f:
        body = "".join(line for line in f if not line.startswith("#"))
    registered = set()
    subjects = set()
    for row in csv.DictReader(io.StringIO(body)):
        if row["table"] == "enumerated":
            registered.add((int(row["subject"]), int(row["detail"])))
        elif row["table"] == "subject":
            subjects.add(int(row["subject"]))
    advice = {}
    for lineno, r in read_tsv(advice_path, ["code", "party", "meaning", "causes", "remedy"]):
        m = re.fullmatch(r"X\.([0-9]{1,3})\.([0-9]{1,3}|\*)", r["code"])
        if not m:
            fail(advice_path, lineno, f"bad code {r['code']!r}")
        key = (int(m.group(1)), WILDCARD if m.group(2) == "*" else int(m.group(2)))
        if key[1] == WILDCARD and key[0] not in subjects:
            fail(advice_path, lineno, f"subject {key[0]} is not in the registry")
        if key[1] != WILDCARD and key not in registered:
            fail(advice_path, lineno, f"{r['code']} is not a registered code")
        if key in advice:
            fail(advice_path, lineno, f"duplicate {r['code']}")
        if r["party"] not in party_enum:
            fail(advice_path, lineno, f"unknown party {r['party']!r}")
        for col in ("meaning", "causes", "remedy"):
            if not r[col]:
                fail(advice_path, lineno, f"empty {col}")
        advice[key] = r
    lacking = sorted(registered - set(advice)) + sorted(
        (s, WILDCARD) for s in subjects if (s, WILDCARD) not in advice)
    if lacking:
        fail(advice_path, 1, "no advice for " + ", ".join(
            f"X.{s}.{'*' if d == WILDCARD else d}" for s, d in lacking))
    advice_rows = []
    for key in sorted(advice):
        r = advice[key]
        advice_rows.append(
            f"    {{ {key[0]}, {key[1]}, {party_enum[r['party']]}, {pool.add(r['meaning'])}, "
            f"{pool.add(r['causes'])}, {pool.add(r['remedy'])} }}, /* {r['code']} */")

    # ---- providers ----
    providers = {}
    provider_rows, markers, domain_index = [], [], []
    for lineno, r in read_tsv(providers_path, ["provider", "name", "domains", "markers",
                                               "source"]):
        key = r["provider"]
        if not re.fullmatch(r"[a-z0-9_]+", key):
            fail(providers_path, lineno, f"bad provider key {key!r}")
        if key in providers:
            fail(providers_path, lineno, f"duplicate provider {key}")
        if not r["source"] or r["source"] == "-":
            fail(providers_path, lineno, "no source")
        index = len(providers)
        if index >= MAX_PROVIDERS:
            fail(providers_path, lineno, f"more than {MAX_PROVIDERS} providers")
        providers[key] = index
        if r["domains"] != "-":
            for d in r["domains"].split():
                if not re.fullmatch(r"[a-z0-9.-]+\.[a-z0-9-]+", d):
                    fail(providers_path, lineno, f"bad domain {d!r}")
                if len(d) > 255:
                    fail(providers_path, lineno, f"domain {d!r} is longer than 255 bytes")
                pool.add(d)
                domain_index.append((d, index))
        provider_rows.append(f"    {{ {pool.add(key)}, {pool.add(r['name'])} }},")
        if r["markers"] != "-":
            for mk in r["markers"].split(";"):
                mk = mk.strip()
                if len(mk.encode("utf-8")) < 4:
                    fail(providers_path, lineno, f"marker {mk!r} is shorter than 4 bytes")
                markers.append((mk.lower().encode("utf-8"), index))

    # ---- rules ----
    kinds = {"code": 1, "reply": 2, "text": 3, "provider": 4}
    rules, ids = [], set()
    pattern_ids, patterns, pattern_flags = {}, [], []
    for lineno, r in read_tsv(rules_path, ["id", "provider", "class", "reply", "status", "stage",
                                           "pattern", "reason", "conf", "delay", "sisimai",
                                           "source"]):
        rid = r["id"]
        if not re.fullmatch(r"[a-z0-9][a-z0-9._-]*", rid):
            fail(rules_path, lineno, f"bad rule id {rid!r}")
        if rid in ids:
            fail(rules_path, lineno, f"duplicate rule id {rid}")
        ids.add(rid)
        if r["reason"] not in reasons:
            fail(rules_path, lineno, f"unknown reason {r['reason']!r}")
        provider = 0
        if r["provider"] != "-":
            if r["provider"] not in providers:
                fail(rules_path, lineno, f"unknown provider {r['provider']!r}")
            provider = providers[r["provider"]] + 1
        cls = 0 if r["class"] == "-" else int(r["class"]) if r["class"] in ("2", "4", "5") else -1
        if cls < 0:
            fail(rules_path, lineno, f"bad class {r['class']!r}")
        stage = 0
        if r["stage"] != "-":
            if r["stage"] not in stage_enum or stage_enum[r["stage"]] == 0:
                fail(rules_path, lineno, f"unknown stage {r['stage']!r}")
            stage = stage_enum[r["stage"]]
        try:
            conf = int(r["conf"])
        except ValueError:
            conf = -1
        if not 1 <= conf <= 100:
            fail(rules_path, lineno, f"confidence {r['conf']!r} is not 1..100")
        delay = 0
        if r["delay"] != "-":
            if not re.fullmatch(r"[0-9]{1,7}", r["delay"]):
                fail(rules_path, lineno, f"bad delay {r['delay']!r}")
            delay = int(r["delay"])
        sisimai = 0
        if r["sisimai"] != "-":
            if r["sisimai"] not in SISIMAI_REASONS:
                fail(rules_path, lineno, f"unknown sisimai reason {r['sisimai']!r}")
            sisimai = sisimai_names.index(r["sisimai"]) + 1
        if not r["source"] or r["source"] == "-":
            fail(rules_path, lineno, "no source")
        status = parse_status(rules_path, lineno, r["status"])
        reply = parse_reply(rules_path, lineno, r["reply"])
        pattern = parse_pattern(rules_path, lineno, r["pattern"])
        if pattern is not None:
            kind = kinds["provider"] if provider else kinds["text"]
            key = pattern
            if key not in pattern_ids:
                pattern_ids[key] = len(patterns)
                patterns.append(pattern[0])
                pattern_flags.append(pattern[1])
            pid = pattern_ids[key]
        elif status is not None:
            kind = kinds["provider"] if provider else kinds["code"]
            pid = None
        elif reply:
            if len(reply) != 1:
                fail(rules_path, lineno, "a reply-code default rule names exactly one code")
            kind = kinds["provider"] if provider else kinds["reply"]
            pid = None
        else:
            fail(rules_path, lineno, "a rule needs a pattern, a status or a reply code")
        if provider and pattern is None and status is None:
            fail(rules_path, lineno, "a provider rule needs a pattern or a status")
        rules.append(dict(id=rid, source=r["source"], provider=provider, cls=cls, stage=stage,
                          reason=reason_enum[r["reason"]], conf=conf, delay=delay,
                          sisimai=sisimai, status=status, reply=reply, pattern=pid, kind=kind,
                          lineno=lineno))

    # Provider markers are matched with the patterns; their ids follow the rule patterns.
    marker_base = len(patterns)
    for mk, index in markers:
        patterns.append(mk)
        pattern_flags.append(0)
    if len(patterns) > 0xFFFF:
        raise DataError("too many patterns")

    # ---- emit ----
    reply_values = []
    rule_rows = []
    for i, r in enumerate(rules):
        st = r["status"]
        has_status = 1 if st is not None else 0
        st_cls, st_subject, st_detail = st if st is not None else (0, WILDCARD, WILDCARD)
        reply_first = len(reply_values)
        reply_values.extend(r["reply"])
        rule_rows.append(
            f"    {{ {pool.add(r['id'])}, {pool.add(r['source'])}, {r['delay']}, {reply_first}, "
            f"{len(r['reply'])}, {r['provider']}, {r['cls']}, {r['stage']}, {r['reason']}, "
            f"{r['conf']}, {r['sisimai']}, {r['kind']}, {has_status}, {st_cls}, {st_subject}, "
            f"{st_detail} }}, /* {i} */")

    def code_key(r):
        _, s, d = r["status"]
        return (1000 if s == WILDCARD else s) * 1001 + (1000 if d == WILDCARD else d)

    code_rules = sorted((i for i, r in enumerate(rules)
                         if r["kind"] == kinds["code"]), key=lambda i: (code_key(rules[i]), i))
    reply_rules = sorted((i for i, r in enumerate(rules) if r["kind"] == kinds["reply"]),
                         key=lambda i: (rules[i]["reply"][0], i))
    # Provider rules without a pattern are keyed by their status like code rules.
    provider_code_rules = sorted((i for i, r in enumerate(rules)
                                  if r["kind"] == kinds["provider"] and r["pattern"] is None),
                                 key=lambda i: (code_key(rules[i]), i))

    m = re.search(r"#define SMTPSTATUS_EVIDENCE_MAX ([0-9]+)", header)
    if m is None:
        raise DataError("no SMTPSTATUS_EVIDENCE_MAX in the header")
    evidence_max = int(m.group(1))
    code_lists = compile_code_lists(rules, code_rules, code_key, evidence_max)
    provider_code_lists = compile_code_lists(rules, provider_code_rules, code_key, evidence_max)
    reply_lists = compile_reply_lists(rules, reply_rules, evidence_max,
                                      max(stage_enum.values()) + 1)

    pattern_rules = [[] for _ in range(marker_base)]
    for i, r in enumerate(rules):
        if r["pattern"] is not None:
            pattern_rules[r["pattern"]].append(i)
    pattern_rows, pattern_rule_list, pattern_bytes = [], [], bytearray()
    marker_of = {marker_base + k: idx for k, (_, idx) in enumerate(markers)}
    for pid, p in enumerate(patterns):
        first = len(pattern_rule_list)
        text = pattern_bytes.find(p)
        if text < 0:
            text = len(pattern_bytes)
            pattern_bytes.extend(p)
        if text > 0xFFFF:
            raise DataError("the patterns' bytes overflow uint16_t offsets")
        flags = pattern_flags[pid]
        if pid < marker_base:
            # Plain rules first, then provider rules, each in rule order:
            # offer_match() weighs the two apart, and so walks only its own.
            pattern_rules[pid].sort(key=lambda i: rules[i]["provider"] != 0)
            pattern_rule_list.extend(
                i | (LISTED_ALWAYS if rules[i]["status"] is None and not rules[i]["reply"] and
                     unconditional(rules[i]) else 0) for i in pattern_rules[pid])
        plain = sum(1 for i in pattern_rules[pid] if rules[i]["provider"] == 0) if pid < marker_base else 0
        provider_rules = len(pattern_rule_list) - first - plain
        if max(plain, provider_rules) > 0xFF:
            raise DataError(f"pattern {p!r}: more than 255 plain or provider rules overflow uint8_t")
        marker = marker_of.get(pid, -1) + 1
        # Whether a plain rule has a condition left (listed(): a stage, or
        # a class, status or reply): with none, offer_match() tests nothing.
        plain_tested = int(any(
            not e & LISTED_ALWAYS and (rules[e]["stage"] != 0 or rules[e]["cls"] != 0 or
                                       rules[e]["status"] is not None or bool(rules[e]["reply"]))
            for e in pattern_rule_list[first:first + plain]))
        pattern_rows.append(f"    {{ {len(p)}, {flags}, {marker}, {plain}, {first}, {provider_rules}, "
                            f"{plain_tested}, {text} }},")

    prose = "\n".join(t[col] for t in texts.values() for col in ("meaning", "causes", "remedy"))
    prose += "\n".join(a[col] for a in advice.values() for col in ("meaning", "causes", "remedy"))
    anchors = compile_anchors(patterns, pattern_flags, prose.encode("utf-8"))

    def listed(name, entries):
        """A list's entries as the candidates they offer (struct
        smtpstatus__listed_row), so that its walk reads no rule row."""
        lines = [f"static const struct smtpstatus__listed_row {name}[] = {{"]
        for e in entries or [0]:
            i = e & ~LISTED_ALWAYS
            r = rules[i]
            # What is left to test besides the stage and the provider: the
            # class, and the status or reply values the list did not settle.
            rest = 0 if e & LISTED_ALWAYS or (r["cls"] == 0 and r["status"] is None and
                                              not r["reply"]) else 1
            lines.append(f"    {{ {i}, {rank_of(r)}, {r['reason']}, {r['conf']}, {r['kind']}, "
                         f"{0 if e & LISTED_ALWAYS else r['stage']}, "
                         f"{0 if e & LISTED_ALWAYS else r['provider']}, {rest} }},")
        lines.append("};")
        return lines

    def array(ctype, name, values, per_line=16):
        lines = [f"static const {ctype} {name}[] = {{"]
        vals = list(values) or [0]
        for k in range(0, len(vals), per_line):
            lines.append("    " + ", ".join(str(v) for v in vals[k:k + per_line]) + ",")
        lines.append("};")
        return lines

    o = []
    o.append("/* SPDX-License-Identifier: MIT */")
    o.append("/* generated from reasons.tsv, reason-texts.tsv, code-advice.tsv, providers.tsv "
             "and rules.tsv by gen-rules.py; do not edit */")
    o.append("")
    o.append("#ifndef SMTPSTATUS_RULES_H")
    o.append("#define SMTPSTATUS_RULES_H")
    o.append("")
    o.extend(pool.emit("smtpstatus__rpool"))
    pool.freeze()
    o.append("")
    o.append("static const struct smtpstatus__reason_row smtpstatus__reasons[] = {")
    o.extend(reason_rows)
    o.append("};")
    o.append("")
    o.append("/* Sorted by (subject, detail); detail 0xFFFF is the subject's own row. */")
    o.append("static const struct smtpstatus__advice_row smtpstatus__advice[] = {")
    o.extend(advice_rows)
    o.append("};")
    o.append("")
    o.append("static const struct smtpstatus__provider_row smtpstatus__providers[] = {")
    o.extend(provider_rows or ["    { 0, 0 },"])
    o.append("};")
    o.append(f"#define SMTPSTATUS__PROVIDER_COUNT {len(providers)}")
    o.append("/* Every provider domain, sorted by its bytes, for a binary search by")
    o.append(" * each suffix of a host name. */")
    o.append("static const struct smtpstatus__domain_row smtpstatus__domain_index[] = {")
    dups = set()
    for d, idx in sorted(domain_index):
        if d in dups:
            raise DataError(f"providers.tsv: domain {d} given twice")
        dups.add(d)
        o.append(f"    {{ {pool.add(d)}, {len(d)}, {idx} }}, /* {d} */")
    if not domain_index:
        o.append("    { 0, 0, 0 },")
    o.append("};")
    o.append(f"#define SMTPSTATUS__DOMAIN_COUNT {len(domain_index)}")
    slots = domain_slots(sorted(d for d, _ in domain_index))
    o.append("/* The same domains by the hash of their bytes read from the last")
    o.append(" * (domain_hash() in gen-rules.py and rules.c), open addressing: each")
    o.append(" * slot is an index into smtpstatus__domain_index plus one, or 0. */")
    o.append(f"#define SMTPSTATUS__DOMAIN_SLOT_BITS {DOMAIN_SLOT_BITS}")
    o.extend(array("uint8_t", "smtpstatus__domain_slots", slots))
    o.extend(array("uint32_t", "smtpstatus__sisimai_names", sisimai_offsets))
    o.append("")
    o.append("static const struct smtpstatus__rule_row smtpstatus__rules[] = {")
    o.extend(rule_rows)
    o.append("};")
    o.extend(array("uint16_t", "smtpstatus__reply_values", reply_values))
    o.append(f"#define SMTPSTATUS__CODE_RULE_COUNT {len(code_rules)}")
    o.extend(array("uint16_t", "smtpstatus__code_rules", code_rules))
    o.extend(array("uint32_t", "smtpstatus__code_rule_keys",
                   [code_key(rules[i]) for i in code_rules]))
    o.append(f"#define SMTPSTATUS__REPLY_RULE_COUNT {len(reply_rules)}")
    o.extend(array("uint16_t", "smtpstatus__reply_rules", reply_rules))
    o.extend(array("uint32_t", "smtpstatus__reply_rule_keys",
                   [rules[i]["reply"][0] for i in reply_rules]))
    o.append(f"#define SMTPSTATUS__PROVIDER_CODE_RULE_COUNT {len(provider_code_rules)}")
    o.extend(array("uint16_t", "smtpstatus__provider_code_rules", provider_code_rules))
    o.extend(array("uint32_t", "smtpstatus__provider_code_rule_keys",
                   [code_key(rules[i]) for i in provider_code_rules]))
    o.append("/* The code rules that a class, subject and detail may meet (exact key,")
    o.append(" * any detail, any code), without those whose status excludes that")
    o.append(" * code, the most confident first: cell")
    o.append(" * ((class 2, 4, 5 -> 0, 1, 2) * (SUBJECTS + 1) + min(subject, SUBJECTS)) *")
    o.append(" * (DETAILS + 1) + min(detail, DETAILS) lists")
    o.append(" * smtpstatus__code_list[code_list_start[cell]..code_list_start[cell + 1]).")
    o.append(" * Each list ends after its SMTPSTATUS_EVIDENCE_MAX-th entry that holds")
    o.append(" * for any facts (`always`): no later one could enter the evidence. */")
    o.append(f"#define SMTPSTATUS__LISTED_ALWAYS 0x{LISTED_ALWAYS:04X}u")
    o.append(f"#define SMTPSTATUS__CODE_LIST_SUBJECTS {code_lists['subjects']}")
    o.append(f"#define SMTPSTATUS__CODE_LIST_DETAILS {code_lists['details']}")
    o.extend(array("uint16_t", "smtpstatus__code_list_start", code_lists["start"]))
    o.extend(listed("smtpstatus__code_list", code_lists["list"]))
    o.append("/* The same for the provider rules keyed by a code. */")
    o.append(f"#define SMTPSTATUS__PROVIDER_CODE_LIST_SUBJECTS {provider_code_lists['subjects']}")
    o.append(f"#define SMTPSTATUS__PROVIDER_CODE_LIST_DETAILS {provider_code_lists['details']}")
    o.extend(array("uint16_t", "smtpstatus__provider_code_list_start", provider_code_lists["start"]))
    o.extend(listed("smtpstatus__provider_code_list", provider_code_lists["list"]))
    o.append("/* The reply rules for each reply code 200 to 599 and stage (exact code,")
    o.append(" * then its class), without those whose reply values or stage exclude")
    o.append(" * them: code c at stage s (0 past the last) lists smtpstatus__reply_list")
    o.append(" * [reply_list_start[l]..reply_list_start[l + 1]) for l =")
    o.append(" * smtpstatus__reply_cells[(c - 200) * SMTPSTATUS__REPLY_LIST_STAGES + s]. */")
    o.append(f"#define SMTPSTATUS__REPLY_LIST_STAGES {reply_lists['stages']}")
    o.extend(array("uint8_t", "smtpstatus__reply_cells", reply_lists["cells"], 26))
    o.extend(array("uint16_t", "smtpstatus__reply_list_start", reply_lists["start"]))
    o.extend(listed("smtpstatus__reply_list", reply_lists["list"]))
    o.append("")
    o.append("static const struct smtpstatus__pattern_row smtpstatus__patterns[] = {")
    o.extend(pattern_rows or ["    { 0, 0, 0, 0, 0, 0, 0 },"])
    o.append("};")
    o.append(f"#define SMTPSTATUS__PATTERN_COUNT {len(patterns)}")
    o.append("/* Each pattern's rules as the candidates they offer. */")
    o.extend(listed("smtpstatus__pattern_rules", pattern_rule_list))
    o.append("/* The patterns' bytes, lower case; a pattern that occurs in an earlier")
    o.append(" * one shares its bytes. */")
    o.extend(array("uint8_t", "smtpstatus__pattern_bytes", pattern_bytes, 24))
    o.append("")
    o.append("/* The phrase matcher's anchors (gen-rules.py, choose_anchors): the tag")
    o.append(" * table's byte for an anchor's window (anchor_slot_tag) is its tag or")
    o.append(" * SMTPSTATUS__ANCHOR_TAG_ANY; the anchors whose window's product with")
    o.append(" * the multiplier has g in bits GROUP_SHIFT and up (their group, the")
    o.append(" * slot's top bits) are smtpstatus__anchors[start[g]..start[g + 1]). */")
    o.append(f"#define SMTPSTATUS__ANCHOR_HASH 0x{ANCHOR_HASH:08X}u")
    o.append(f"#define SMTPSTATUS__ANCHOR_GROUP_SHIFT {ANCHOR_GROUP_SHIFT}")
    o.append(f"#define SMTPSTATUS__ANCHOR_SLOT_BITS {ANCHOR_SLOT_BITS}")
    o.append(f"#define SMTPSTATUS__ANCHOR_TAG_ANY {TAG_ANY}")
    o.append(f"#define SMTPSTATUS__ANCHOR_GROUP_BITS {ANCHOR_GROUP_BITS}")
    o.append("/* The most anchors listed in one group: the matcher keeps the candidates")
    o.append(" * of a block's windows (at most nine) in an array of nine times this. */")
    o.append(f"#define SMTPSTATUS__ANCHOR_GROUP_MAX {anchors['group_max']}")
    o.append(f"/* (reach {anchors['reach']} + 12) * {anchors['most_suffixes']} patterns "
             "that end at one offset */")
    o.append(f"#define SMTPSTATUS__PHRASE_PENDING {anchors['pending']}")
    o.extend(array("uint8_t", "smtpstatus__anchor_tags", anchors['words'], 24))
    o.extend(array("uint16_t", "smtpstatus__anchor_start", anchors['start']))
    o.append("static const struct smtpstatus__anchor smtpstatus__anchors[] = {")
    for key, pid, at in anchors['anchors']:
        rel, check = anchor_check(patterns[pid], key, at)
        o.append(f"    {{ 0x{key:08X}u, 0x{check:08X}u, {pid}, {at}, {rel} }},")
    o.append("};")
    o.append("")
    o.append("")
    o.append("#endif")
    o.append("")
    stats = (f"{len(rules)} rules ({len(code_rules)} code, {len(reply_rules)} reply, "
             f"{sum(1 for r in rules if r['kind'] == kinds['text'])} text, "
             f"{sum(1 for r in rules if r['kind'] == kinds['provider'])} provider), "
             f"{len(patterns)} patterns, {len(anchors['anchors'])} anchors ({anchors['masked']} masked, "
             f"listed {sum(1 for a in anchors['anchors'] if a[0] >> 24 == 0)} times), "
             f"{len(providers)} providers")
    return "\n".join(o), stats


def main(argv):
    if len(argv) != 9:
        sys.stderr.write("usage: gen-rules.py HEADER REGISTRY_CSV REASONS REASON_TEXTS "
                         "CODE_ADVICE PROVIDERS RULES OUTPUT_H\n")
        return 2
    try:
        text, stats = generate(argv[1:8])
    except (DataError, OSError, ValueError) as e:
        sys.stderr.write(f"gen-rules.py: {e}\n")
        return 1
    with open(argv[8], "w", encoding="ascii", newline="\n") as f:
        f.write(text)
    sys.stdout.write(stats + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
