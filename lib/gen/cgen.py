# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The smtpstatus developers
"""Helpers shared by the table generators: C string literals and string pools."""


def c_string(s):
    """A C literal for s. Bytes outside printable ASCII become octal escapes,
    so a generated file is ASCII whatever the data holds (UTF-8 here)."""
    out = []
    for b in s.encode("utf-8"):
        c = chr(b)
        if c in '"\\?':
            out.append("\\" + c)
        elif 0x20 <= b < 0x7F:
            out.append(c)
        else:
            out.append("\\%03o" % b)
    return '"' + "".join(out) + '"'


class Pool:
    """Deduplicated NUL-terminated strings addressed by byte offsets.

    Offset 0 is the empty string, which stands for "absent". The pool is
    emitted as a struct of char arrays: one object in .rodata, no
    relocations, and no string literal longer than ISO C asks compilers to
    accept.
    """

    def __init__(self, limit):
        self.strings, self.offsets, self.size, self.limit = [""], {"": 0}, 1, limit
        self.frozen = False

    def freeze(self):
        """After the pool is emitted, adding to it would hand out offsets
        past its end: make that an error."""
        self.frozen = True

    def add(self, s):
        if s in self.offsets:
            return self.offsets[s]
        if self.frozen:
            raise ValueError(f"string {s!r} added after the pool was emitted")
        off = self.size
        if off > self.limit:
            raise ValueError(f"string pool offset {off} overflows its {self.limit} limit")
        self.offsets[s] = off
        self.strings.append(s)
        self.size += len(s.encode("utf-8")) + 1
        return off

    def emit(self, name):
        """C lines defining the pool object `name`_struct and the macro `NAME`."""
        lines = ["static const struct {"]
        for i, s in enumerate(self.strings):
            lines.append(f"    char s{i}[{len(s.encode('utf-8')) + 1}];")
        lines.append(f"}} {name}_struct = {{")
        for s in self.strings:
            lines.append(f"    {c_string(s)},")
        lines.append("};")
        lines.append(f"#define {name.upper()} ((const char *)&{name}_struct)")
        return lines


def data_lines(path, encoding="utf-8"):
    """(line number, line) for each line of a data file that is neither
    empty nor a comment, its newline removed."""
    with open(path, encoding=encoding) as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if line and not line.startswith("#"):
                yield lineno, line


def run(argv, name, usage, generate, errors):
    """The command line of a generator: INPUT... OUTPUT_H. Calls
    generate(*inputs) and writes the text it returns; a data error is one
    line on stderr naming the file and exit status 1."""
    import sys

    if len(argv) != len(usage) + 2:
        sys.stderr.write(f"usage: {name} {' '.join(usage)} OUTPUT_H\n")
        return 2
    try:
        text = generate(*argv[1:-1])
    except errors as e:
        sys.stderr.write(f"{name}: {e}\n")
        return 1
    with open(argv[-1], "w", encoding="ascii", newline="\n") as f:
        f.write(text)
    return 0
