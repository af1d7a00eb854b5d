# SPDX-License-Identifier: MIT
"""Python binding for smtpstatus, through ctypes (standard library only).

smtpstatus parses, classifies and explains SMTP replies, RFC 3463 enhanced
status codes and bounce messages. This module mirrors the C API of
``include/smtpstatus.h`` with Python objects::

    >>> import smtpstatus
    >>> v = smtpstatus.classify("451 4.7.1 Greylisted, please try again in 5 minutes")
    >>> v.reason, v.action, v.retry_after
    ('greylisted', 'retry_later', 300)
    >>> str(smtpstatus.EnhancedCode.parse("5.1.1")), smtpstatus.lookup("5.1.1").title
    ('5.1.1', 'Bad destination mailbox address')

The shared library is found, in order, at the path in the environment
variable ``SMTPSTATUS_LIBRARY`` (an error if it is set but cannot be loaded:
a silent fallback to another copy would hide the mistake), then by
``ctypes.util.find_library("smtpstatus")``, then as ``libsmtpstatus.so.1``.

Conventions:

- Every text input may be ``str`` (encoded as UTF-8) or bytes-like.
- Offsets (spans) are byte offsets into that UTF-8 encoding / those bytes,
  as ``(start, end)`` tuples.
- Text taken from the input is returned as ``str``, decoded as UTF-8 with
  undecodable bytes replaced (``parse_dsn`` takes an ``errors`` argument).
  Library strings (titles, names) are returned as ``str``. Everything is
  copied out of the C structs: results never point into freed memory.
- Enumerated values are returned by name (``"recipient_unknown"``,
  ``"permanent"``), taken from the library's own name functions. The
  library has no name function for anomaly, flag, reply-kind and
  retry-decision values; those names are the C enumerators' suffixes in
  lower case.
- Failures raise :class:`SmtpStatusError` (``.result`` is the C enumerator
  name, ``.offset`` the byte where parsing stopped, when known).

The module holds no mutable state besides the library handle; every call
uses its own buffers, so it may be used from any number of threads.
"""

import ctypes
import ctypes.util
import datetime
import functools
import os
from dataclasses import dataclass, field
from typing import Dict, FrozenSet, Iterator, List, Optional, Tuple, Union

__all__ = [
    "SmtpStatusError", "Incomplete", "Unsupported",
    "EnhancedCode", "EnhancedMatch", "CodeInfo", "ReplyCodeInfo", "Reply", "Evidence",
    "Verdict", "ReasonInfo", "RetryAdvice", "DsnRecipient", "Report",
    "version", "version_info", "registry_version", "strerror", "result_name",
    "stage_name", "stage_from_name", "find_enhanced", "lookup", "registry",
    "lookup_reply_code", "reply_codes", "parse_reply", "explain", "classify",
    "reason_info", "reasons", "retry_advice", "parse_dsn", "has_dsn",
]

Text = Union[str, bytes, bytearray, memoryview]

# ---------------------------------------------------------------------------
# Loading the library
# ---------------------------------------------------------------------------


def _load_library() -> ctypes.CDLL:
    """Load libsmtpstatus as the module docstring describes."""
    path = os.environ.get("SMTPSTATUS_LIBRARY")
    if path:
        try:
            return ctypes.CDLL(path)
        except OSError as exc:
            raise ImportError(
                f"smtpstatus: cannot load SMTPSTATUS_LIBRARY={path!r}: {exc}") from exc
    errors = []
    for name in (ctypes.util.find_library("smtpstatus"), "libsmtpstatus.so.1"):
        if not name:
            continue
        try:
            return ctypes.CDLL(name)
        except OSError as exc:
            errors.append(f"{name}: {exc}")
    raise ImportError("smtpstatus: libsmtpstatus not found (set SMTPSTATUS_LIBRARY to its path)"
                      + ("; " + "; ".join(errors) if errors else ""))


# ---------------------------------------------------------------------------
# The C structs, member for member (include/smtpstatus.h). Enum members are
# uint32_t in the header; bool is C99 _Bool.
# ---------------------------------------------------------------------------

_c_size = ctypes.c_size_t
_u8, _u16, _u32 = ctypes.c_uint8, ctypes.c_uint16, ctypes.c_uint32
_cstr = ctypes.c_char_p  # static, NUL-terminated library strings (and inputs)


class _Span(ctypes.Structure):
    _fields_ = [("off", _c_size), ("len", _c_size)]


class _Enhanced(ctypes.Structure):
    _fields_ = [("cls", _u8), ("reserved", _u8), ("subject", _u16), ("detail", _u16)]


class _CodeInfo(ctypes.Structure):
    _fields_ = [
        ("size", _c_size),
        ("code", _Enhanced),
        ("flags", _u32),
        ("class_title", _cstr),
        ("class_description", _cstr),
        ("subject_title", _cstr),
        ("subject_description", _cstr),
        ("title", _cstr),
        ("description", _cstr),
        ("reference", _cstr),
        ("basic_codes_text", _cstr),
        ("replaced_by", _cstr),
        ("basic_codes", _u16 * 16),  # SMTPSTATUS_BASIC_CODES_MAX
        ("basic_code_count", _u32),
        ("party", _u32),
        ("practical_meaning", _cstr),
        ("causes", _cstr),
        ("remedy", _cstr),
    ]


class _ReplyInfo(ctypes.Structure):
    _fields_ = [
        ("size", _c_size),
        ("code", _u16),
        ("class_digit", _u8),
        ("category_digit", _u8),
        ("kind", _u32),
        ("context", _cstr),
        ("class_name", _cstr),
        ("category_name", _cstr),
        ("recommended_text", _cstr),
        ("meaning", _cstr),
        ("reference", _cstr),
        ("notes", _cstr),
    ]


class _Reply(ctypes.Structure):
    _fields_ = [
        ("size", _c_size),
        ("code", _u16),
        ("line_count", _u16),
        ("anomalies", _u32),
        ("stage", _u32),
        ("parse_flags", _u32),
        ("has_enhanced", ctypes.c_bool),
        ("enhanced", _Enhanced),
        ("enhanced_span", _Span),
        ("span", _Span),
        ("text", _Span),
        ("consumed", _c_size),
        ("error_offset", _c_size),
    ]


class _Evidence(ctypes.Structure):
    _fields_ = [
        ("kind", _u32),
        ("reason", _u32),
        ("confidence", _u32),
        ("rule", _cstr),
        ("source", _cstr),
        ("span", _Span),
    ]


class _Verdict(ctypes.Structure):
    _fields_ = [
        ("size", _c_size),
        ("outcome", _u32),
        ("bounce", _u32),
        ("reason", _u32),
        ("party", _u32),
        ("action", _u32),
        ("retry_after", _u32),
        ("flags", _u32),
        ("confidence", _u32),
        ("reply_code", _u16),
        ("has_enhanced", ctypes.c_bool),
        ("enhanced", _Enhanced),
        ("stage", _u32),
        ("provider", _cstr),
        ("sisimai_reason", _cstr),
        ("powermta_category", _cstr),
        ("sparkpost_class", _u32),
        ("evidence_count", _u32),
        ("evidence", _Evidence * 4),  # SMTPSTATUS_EVIDENCE_MAX
    ]


class _ClassifyInput(ctypes.Structure):
    _fields_ = [
        ("size", _c_size),
        ("text", _cstr),
        ("text_len", _c_size),
        ("reply_code", _u16),
        ("has_enhanced", ctypes.c_bool),
        ("enhanced", _Enhanced),
        ("stage", _u32),
        ("host", _cstr),
        ("host_len", _c_size),
    ]


class _ReasonInfo(ctypes.Structure):
    _fields_ = [
        ("size", _c_size),
        ("reason", _u32),
        ("party", _u32),
        ("address_dead", ctypes.c_bool),
        ("transient_action", _u32),
        ("permanent_action", _u32),
        ("default_delay", _u32),
        ("name", _cstr),
        ("sisimai_reason", _cstr),
        ("powermta_category", _cstr),
        ("sparkpost_class", _u32),
        ("title", _cstr),
        ("meaning", _cstr),
        ("causes", _cstr),
        ("remedy", _cstr),
    ]


class _Retry(ctypes.Structure):
    _fields_ = [("size", _c_size), ("decision", _u32), ("delay", _u32),
                ("give_up_after", _u32)]


class _Text(ctypes.Structure):
    # The pointer is sliced with ctypes.string_at(), so it is a plain address.
    _fields_ = [("ptr", ctypes.c_void_p), ("len", _c_size)]


class _DsnRecipient(ctypes.Structure):
    _fields_ = [
        ("size", _c_size),
        ("recipient", _Text),
        ("recipient_type", _Text),
        ("original_recipient", _Text),
        ("action", _u32),
        ("flags", _u32),
        ("decoder", _u32),
        ("stage", _u32),
        ("has_status", ctypes.c_bool),
        ("status", _Enhanced),
        ("reply_code", _u16),
        ("remote_mta", _Text),
        ("diagnostic", _Text),
        ("diagnostic_type", _Text),
        ("last_attempt_date", _Text),
        ("will_retry_until", _Text),
        ("final_log_id", _Text),
        ("fields", _Text),
        ("verdict", _Verdict),
    ]


class _Dsn(ctypes.Structure):
    _fields_ = [
        ("size", _c_size),
        ("kind", _u32),
        ("decoder", _u32),
        ("recipient_count", _u32),
        ("scratch_used", _c_size),
        ("reporting_mta", _Text),
        ("received_from_mta", _Text),
        ("arrival_date", _Text),
        ("original_envelope_id", _Text),
        ("subject", _Text),
        ("from", _Text),
        ("original_message_id", _Text),
        ("original_from", _Text),
        ("original_to", _Text),
        ("original_subject", _Text),
        ("feedback_type", _Text),
    ]


# enum smtpstatus_result values the binding acts on.
_OK = 0
_INCOMPLETE = 1
_E_INVALID_ARG = -1
_E_UNSUPPORTED = -6
_E_NOT_FOUND = -7
_E_TOO_MANY = -5
_E_NO_SPACE = -10

# Flag bits (the header's #defines).
_ENHANCED_PREFIX = 1 << 0
_REPLY_AT_EOF = 1 << 0
_REPLY_STRICT_CRLF = 1 << 1
_REPLY_LENIENT = 1 << 2
_ENHANCED_TEXT_MAX = 10

# Names for values the library has no name function for: the enumerators'
# suffixes in lower case.
_ANOMALY_NAMES = (
    "class_mismatch", "code_mismatch", "enhanced_mismatch", "no_enhanced", "enhanced_in_text",
    "unregistered", "unusual_pairing", "unknown_code", "bare_lf", "long_line", "8bit",
    "enhanced_on_3xx", "truncated",
)
_VERDICT_FLAG_NAMES = ("delay_from_text", "outcome_inferred", "552_as_452", "class_mismatch")
_CODE_FLAG_NAMES = ("registered", "deprecated", "subject_known", "any_reply")
_DSN_FLAG_NAMES = ("status_mismatch", "from_text", "action_nonstandard")
_REPLY_KIND_NAMES = ("unknown", "standard", "registry_only", "draft", "nonstandard", "legacy",
                     "deprecated")
_RETRY_DECISION_NAMES = ("none", "retry_at", "give_up")

_P = ctypes.POINTER
_char_out = _P(ctypes.c_char)  # caller-owned output buffers
_PROTOTYPES = {
    # name: (restype, argtypes)
    "smtpstatus_strerror": (_cstr, [ctypes.c_int]),
    "smtpstatus_result_name": (_cstr, [ctypes.c_int]),
    "smtpstatus_version": (_cstr, []),
    "smtpstatus_version_number": (_u32, []),
    "smtpstatus_registry_version": (_cstr, []),
    "smtpstatus_stage_name": (_cstr, [ctypes.c_int]),
    "smtpstatus_stage_from_name": (ctypes.c_int, [_cstr, _c_size]),
    "smtpstatus_parse_enhanced": (ctypes.c_int, [_cstr, _c_size, ctypes.c_uint, _P(_Enhanced),
                                                 _P(_c_size)]),
    "smtpstatus_find_enhanced": (ctypes.c_int, [_cstr, _c_size, ctypes.c_uint, _P(_Enhanced),
                                                _P(_Span)]),
    "smtpstatus_format_enhanced": (ctypes.c_int, [_P(_Enhanced), _char_out, _c_size]),
    "smtpstatus_compare_enhanced": (ctypes.c_int, [_P(_Enhanced), _P(_Enhanced)]),
    "smtpstatus_lookup_enhanced": (ctypes.c_int, [_P(_Enhanced), _P(_CodeInfo)]),
    "smtpstatus_enhanced_count": (_c_size, []),
    "smtpstatus_enhanced_at": (ctypes.c_int, [_c_size, _P(_CodeInfo)]),
    "smtpstatus_lookup_reply_code": (ctypes.c_int, [ctypes.c_uint, _P(_ReplyInfo)]),
    "smtpstatus_reply_code_count": (_c_size, []),
    "smtpstatus_reply_code_at": (ctypes.c_int, [_c_size, _P(_ReplyInfo)]),
    "smtpstatus_parse_reply": (ctypes.c_int, [_cstr, _c_size, ctypes.c_uint, _P(_Reply)]),
    "smtpstatus_reply_next_line": (ctypes.c_int, [_cstr, _c_size, _P(_Reply), _P(_c_size),
                                                  _P(_Span)]),
    "smtpstatus_explain_enhanced": (ctypes.c_int, [_P(_Enhanced), _char_out, _c_size]),
    "smtpstatus_explain_reply_code": (ctypes.c_int, [ctypes.c_uint, _char_out, _c_size]),
    "smtpstatus_explain_reply": (ctypes.c_int, [_cstr, _c_size, _P(_Reply), _char_out,
                                                _c_size]),
    "smtpstatus_classify": (ctypes.c_int, [_P(_ClassifyInput), _P(_Verdict)]),
    "smtpstatus_classify_reply": (ctypes.c_int, [_cstr, _c_size, _P(_Reply), ctypes.c_int,
                                                 _P(_Verdict)]),
    "smtpstatus_classify_text": (ctypes.c_int, [_cstr, _c_size, ctypes.c_int, _P(_Verdict)]),
    "smtpstatus_reason_name": (_cstr, [ctypes.c_int]),
    "smtpstatus_reason_from_name": (ctypes.c_int, [_cstr, _c_size]),
    "smtpstatus_outcome_name": (_cstr, [ctypes.c_int]),
    "smtpstatus_bounce_name": (_cstr, [ctypes.c_int]),
    "smtpstatus_party_name": (_cstr, [ctypes.c_int]),
    "smtpstatus_action_name": (_cstr, [ctypes.c_int]),
    "smtpstatus_evidence_kind_name": (_cstr, [ctypes.c_int]),
    "smtpstatus_reason_info": (ctypes.c_int, [ctypes.c_int, _P(_ReasonInfo)]),
    "smtpstatus_reason_count": (_c_size, []),
    "smtpstatus_explain_verdict": (ctypes.c_int, [_cstr, _c_size, _P(_Verdict), _char_out,
                                                  _c_size]),
    "smtpstatus_retry_advice": (ctypes.c_int, [_P(_Verdict), ctypes.c_uint64, ctypes.c_uint32,
                                               _P(_Retry)]),
    "smtpstatus_decoder_name": (_cstr, [ctypes.c_int]),
    "smtpstatus_message_kind_name": (_cstr, [ctypes.c_int]),
    "smtpstatus_dsn_action_name": (_cstr, [ctypes.c_int]),
    "smtpstatus_parse_dsn": (ctypes.c_int, [_cstr, _c_size, ctypes.c_uint, _P(_Dsn),
                                            _P(_DsnRecipient), _P(_c_size), _char_out,
                                            _c_size]),
    "smtpstatus_next_field": (ctypes.c_int, [_P(_Text), _P(_c_size), _P(_Text), _P(_Text)]),
}


def _bind(lib: ctypes.CDLL) -> ctypes.CDLL:
    """Give every function its prototype; fail early if one is missing."""
    for name, (restype, argtypes) in _PROTOTYPES.items():
        try:
            fn = getattr(lib, name)
        except AttributeError as exc:
            raise ImportError(f"smtpstatus: {lib._name} lacks {name}") from exc
        fn.restype = restype
        fn.argtypes = argtypes
    return lib


_lib = _bind(_load_library())


# ---------------------------------------------------------------------------
# Errors and small helpers
# ---------------------------------------------------------------------------


class SmtpStatusError(Exception):
    """A call returned an enum smtpstatus_result other than SMTPSTATUS_OK.

    Attributes:
        value:  the numeric result (negative for errors).
        result: its enumerator name, e.g. ``"SMTPSTATUS_E_SYNTAX"``.
        offset: the byte offset where parsing stopped, or None.
    """

    def __init__(self, value: int, offset: Optional[int] = None, what: str = ""):
        self.value = value
        self.result = result_name(value)
        self.offset = offset
        message = strerror(value)
        if what:
            message = f"{what}: {message}"
        if offset is not None:
            message += f" (at byte {offset})"
        super().__init__(message)

    @staticmethod
    def from_result(value: int, offset: Optional[int] = None, what: str = "") -> "SmtpStatusError":
        """The exception for a result value: Incomplete, Unsupported or the base class."""
        if value == _INCOMPLETE:
            return Incomplete(value, offset, what)
        if value == _E_UNSUPPORTED:
            return Unsupported(value, offset, what)
        return SmtpStatusError(value, offset, what)


class Incomplete(SmtpStatusError):
    """SMTPSTATUS_INCOMPLETE: the reply is not complete yet; read more and call again."""


class Unsupported(SmtpStatusError):
    """SMTPSTATUS_E_UNSUPPORTED: the feature was left out of the library's build."""


def _check(rc: int, offset: Optional[int] = None, what: str = "") -> int:
    if rc < 0 or rc == _INCOMPLETE:
        raise SmtpStatusError.from_result(rc, offset, what)
    return rc


def _as_bytes(data: Text, what: str = "text") -> bytes:
    """str -> UTF-8; bytes-like -> bytes (a private copy the C side can point into)."""
    if isinstance(data, str):
        return data.encode("utf-8")
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    raise TypeError(f"{what} must be str or bytes, not {type(data).__name__}")


def _s(value: Optional[bytes]) -> Optional[str]:
    """A static library string (bytes from c_char_p) as str."""
    return None if value is None else value.decode("utf-8", "replace")


def _name(fn, value: int) -> str:
    return _s(fn(int(value)))


def _bits(value: int, names: Tuple[str, ...]) -> FrozenSet[str]:
    out = set()
    for bit in range(32):
        if value & (1 << bit):
            out.add(names[bit] if bit < len(names) else f"bit{bit}")
    return frozenset(out)


def _int_arg(value, lo: int, hi: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {type(value).__name__}")
    if not lo <= value <= hi:
        raise ValueError(f"{what} must be between {lo} and {hi}, not {value}")
    return value


def _span(span: _Span) -> Tuple[int, int]:
    return (span.off, span.off + span.len)


def _slice(data: bytes, span: _Span, errors: str = "replace") -> str:
    return data[span.off:span.off + span.len].decode("utf-8", errors)


def _snprintf(fn, *args) -> str:
    """Call an snprintf-style function twice: once to size, once to fill."""
    need = _check(fn(*args, None, 0))
    while True:
        buf = ctypes.create_string_buffer(need + 1)
        got = _check(fn(*args, buf, need + 1))
        if got <= need:
            return buf.raw[:got].decode("utf-8", "replace")
        need = got  # cannot happen for a pure function; stay safe anyway


# ---------------------------------------------------------------------------
# Versions, results, stages
# ---------------------------------------------------------------------------


def version() -> str:
    """The library version at run time, e.g. ``"0.1.0"``."""
    return _s(_lib.smtpstatus_version())


def version_info() -> Tuple[int, int, int]:
    """The library version as ``(major, minor, patch)``."""
    n = _lib.smtpstatus_version_number()
    return ((n >> 16) & 0xFF, (n >> 8) & 0xFF, n & 0xFF)


def registry_version() -> str:
    """The date (``YYYY-MM-DD``) of the IANA registry snapshot compiled in."""
    return _s(_lib.smtpstatus_registry_version())


def strerror(result: int) -> str:
    """A one-sentence description of a result value."""
    return _s(_lib.smtpstatus_strerror(int(result)))


def result_name(result: int) -> str:
    """The enumerator name of a result value, e.g. ``"SMTPSTATUS_E_SYNTAX"``."""
    return _s(_lib.smtpstatus_result_name(int(result)))


def stage_name(stage: int) -> str:
    """The name of an enum smtpstatus_stage value: ``"rcpt"``, ``"end-of-data"``, ..."""
    return _name(_lib.smtpstatus_stage_name, stage)


def stage_from_name(name: Text) -> int:
    """The stage value of a stage name or SMTP verb (``"RCPT TO"``); 0 if unknown."""
    data = _as_bytes(name, "stage")
    return _lib.smtpstatus_stage_from_name(data, len(data))


def _stage_arg(stage: Union[None, int, Text]) -> int:
    """None -> 0; an int as is; a name through the library (unknown names are errors)."""
    if stage is None:
        return 0
    if isinstance(stage, int) and not isinstance(stage, bool):
        return _int_arg(stage, 0, 0x7FFFFFFF, "stage")
    value = stage_from_name(stage)
    if value == 0 and _as_bytes(stage).strip().lower() != b"unknown":
        raise ValueError(f"unknown SMTP stage {stage!r}")
    return value


# ---------------------------------------------------------------------------
# Enhanced status codes
# ---------------------------------------------------------------------------


@functools.total_ordering
@dataclass(frozen=True)
class EnhancedCode:
    """An enhanced status code ``class.subject.detail`` (RFC 3463).

    ``cls`` is 2, 4 or 5, or 0 for the registry's ``X.s.d`` form; subject
    and detail are 0 to 999. Codes order numerically (``5.1.2 < 5.1.10``),
    as smtpstatus_compare_enhanced() does; ``str(code)`` is its text.
    """

    cls: int
    subject: int
    detail: int

    def __post_init__(self):
        _int_arg(self.cls, 0, 0xFF, "class")
        _int_arg(self.subject, 0, 0xFFFF, "subject")
        _int_arg(self.detail, 0, 0xFFFF, "detail")
        try:
            str(self)  # the library says whether the values are in range
        except SmtpStatusError as exc:
            raise ValueError(str(exc)) from exc

    @staticmethod
    def parse(text: Text, *, prefix: bool = False) -> "EnhancedCode":
        """Parse ``"5.1.1"`` (or the registry form ``"X.1.1"``).

        With ``prefix=True`` the code may be followed by more text
        (``"5.0.0 (permanent failure)"``); see also :meth:`parse_prefix`.
        Raises SmtpStatusError (E_SYNTAX, E_BAD_CODE) with the offset.
        """
        return EnhancedCode.parse_prefix(text)[0] if prefix else EnhancedCode._parse(text, 0)[0]

    @staticmethod
    def parse_prefix(text: Text) -> Tuple["EnhancedCode", int]:
        """Parse a code at the start of ``text``; returns ``(code, bytes it takes)``."""
        return EnhancedCode._parse(text, _ENHANCED_PREFIX)

    @staticmethod
    def _parse(text: Text, flags: int) -> Tuple["EnhancedCode", int]:
        data = _as_bytes(text, "code")
        any_class = data[:2] in (b"X.", b"x.")
        if any_class:
            data = b"2" + data[1:]  # parse the digits; the class is 0
        out, end = _Enhanced(), _c_size(0)
        rc = _lib.smtpstatus_parse_enhanced(data, len(data), flags, ctypes.byref(out),
                                            ctypes.byref(end))
        _check(rc, end.value, f"enhanced code {text!r}")
        return (EnhancedCode(0 if any_class else out.cls, out.subject, out.detail), end.value)

    @staticmethod
    def _from_c(c: _Enhanced) -> "EnhancedCode":
        return EnhancedCode(c.cls, c.subject, c.detail)

    def _to_c(self) -> _Enhanced:
        return _Enhanced(self.cls, 0, self.subject, self.detail)

    def __str__(self) -> str:
        buf = ctypes.create_string_buffer(_ENHANCED_TEXT_MAX)
        rc = _lib.smtpstatus_format_enhanced(ctypes.byref(self._to_c()), buf, len(buf))
        _check(rc, None, f"enhanced code {self.cls}.{self.subject}.{self.detail}")
        return buf.value.decode("ascii")

    def __repr__(self) -> str:
        return f"EnhancedCode({str(self)!r})"

    def __lt__(self, other):
        if not isinstance(other, EnhancedCode):
            return NotImplemented
        return _lib.smtpstatus_compare_enhanced(ctypes.byref(self._to_c()),
                                                ctypes.byref(other._to_c())) < 0

    @property
    def any_class(self) -> "EnhancedCode":
        """The registry's ``X.s.d`` form of the code (class 0)."""
        return EnhancedCode(0, self.subject, self.detail)

    def lookup(self) -> "CodeInfo":
        """What the registry says about the code (see :func:`lookup`)."""
        return lookup(self)

    def explain(self) -> str:
        """One or two sentences on what the code means."""
        return _snprintf(_lib.smtpstatus_explain_enhanced, ctypes.byref(self._to_c()))


CodeLike = Union[EnhancedCode, Text, Tuple[int, int, int]]


def _code_arg(code: CodeLike) -> EnhancedCode:
    if isinstance(code, EnhancedCode):
        return code
    if isinstance(code, tuple):
        return EnhancedCode(*code)
    if isinstance(code, (str, bytes, bytearray, memoryview)):
        return EnhancedCode.parse(code)
    raise TypeError(f"expected an enhanced status code, not {type(code).__name__}")


@dataclass(frozen=True)
class EnhancedMatch:
    """An enhanced code found in text, with its byte offsets ``[start, end)``."""

    code: EnhancedCode
    start: int
    end: int


def find_enhanced(text: Text) -> Optional[EnhancedMatch]:
    """Find the first enhanced status code in free text, or None.

    Codes are taken only at token boundaries, so IP addresses, version
    strings and four-part numbers are not mistaken for codes.
    """
    data = _as_bytes(text)
    out, where = _Enhanced(), _Span()
    rc = _lib.smtpstatus_find_enhanced(data, len(data), 0, ctypes.byref(out), ctypes.byref(where))
    if rc == _E_NOT_FOUND:
        return None
    _check(rc)
    return EnhancedMatch(EnhancedCode._from_c(out), *_span(where))


# ---------------------------------------------------------------------------
# Registry lookups
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeInfo:
    """Everything the registry says about an enhanced status code.

    Absent strings are None (the title of an unregistered detail, the class
    strings of an ``X.s.d`` code). ``party`` is who usually has to act.
    """

    code: EnhancedCode
    registered: bool
    deprecated: bool
    subject_known: bool
    any_reply: bool
    title: Optional[str]
    description: Optional[str]
    reference: Optional[str]
    class_title: Optional[str]
    class_description: Optional[str]
    subject_title: Optional[str]
    subject_description: Optional[str]
    basic_codes_text: Optional[str]
    basic_codes: Tuple[int, ...]
    replaced_by: Optional[str]
    party: str
    practical_meaning: Optional[str]
    causes: Optional[str]
    remedy: Optional[str]
    flags: FrozenSet[str]

    @staticmethod
    def _from_c(c: _CodeInfo) -> "CodeInfo":
        count = min(c.basic_code_count, len(c.basic_codes))
        return CodeInfo(
            code=EnhancedCode._from_c(c.code),
            registered=bool(c.flags & 1), deprecated=bool(c.flags & 2),
            subject_known=bool(c.flags & 4), any_reply=bool(c.flags & 8),
            title=_s(c.title), description=_s(c.description), reference=_s(c.reference),
            class_title=_s(c.class_title), class_description=_s(c.class_description),
            subject_title=_s(c.subject_title), subject_description=_s(c.subject_description),
            basic_codes_text=_s(c.basic_codes_text),
            basic_codes=tuple(c.basic_codes[i] for i in range(count)),
            replaced_by=_s(c.replaced_by),
            party=_name(_lib.smtpstatus_party_name, c.party),
            practical_meaning=_s(c.practical_meaning), causes=_s(c.causes),
            remedy=_s(c.remedy), flags=_bits(c.flags, _CODE_FLAG_NAMES),
        )


def _new_code_info() -> _CodeInfo:
    info = _CodeInfo()
    info.size = ctypes.sizeof(_CodeInfo)
    return info


def lookup(code: CodeLike) -> CodeInfo:
    """Look an enhanced code up in the IANA registry (``"5.7.26"``, ``"X.7.26"``, ...).

    A code whose detail is not registered (``"5.7.606"``) still gets its
    class and subject meanings, with ``registered`` False.
    """
    if isinstance(code, int):
        raise TypeError("lookup() takes an enhanced code; use lookup_reply_code() for 550")
    c = _code_arg(code)
    info = _new_code_info()
    _check(_lib.smtpstatus_lookup_enhanced(ctypes.byref(c._to_c()), ctypes.byref(info)),
           None, f"lookup {c}")
    return CodeInfo._from_c(info)


def registry() -> Iterator[CodeInfo]:
    """Every enumerated registry entry (81 in the 2024-12-06 snapshot), ``X.s.d`` form."""
    for index in range(_lib.smtpstatus_enhanced_count()):
        info = _new_code_info()
        _check(_lib.smtpstatus_enhanced_at(index, ctypes.byref(info)))
        yield CodeInfo._from_c(info)


@dataclass(frozen=True)
class ReplyCodeInfo:
    """What a basic reply code (RFC 5321 and extensions) means."""

    code: int
    class_digit: int
    category_digit: int
    kind: str
    context: Optional[str]
    class_name: Optional[str]
    category_name: Optional[str]
    recommended_text: Optional[str]
    meaning: Optional[str]
    reference: Optional[str]
    notes: Optional[str]

    @staticmethod
    def _from_c(c: _ReplyInfo) -> "ReplyCodeInfo":
        kind = _REPLY_KIND_NAMES[c.kind] if c.kind < len(_REPLY_KIND_NAMES) else str(c.kind)
        return ReplyCodeInfo(c.code, c.class_digit, c.category_digit, kind, _s(c.context),
                             _s(c.class_name), _s(c.category_name), _s(c.recommended_text),
                             _s(c.meaning), _s(c.reference), _s(c.notes))


def _new_reply_info() -> _ReplyInfo:
    info = _ReplyInfo()
    info.size = ctypes.sizeof(_ReplyInfo)
    return info


def lookup_reply_code(code: int) -> ReplyCodeInfo:
    """Look a reply code (100 to 599) up; unknown codes are read by their digits."""
    code = _int_arg(code, 0, 0xFFFFFFFF, "reply code")
    info = _new_reply_info()
    _check(_lib.smtpstatus_lookup_reply_code(code, ctypes.byref(info)), None, f"reply code {code}")
    return ReplyCodeInfo._from_c(info)


def reply_codes() -> Iterator[ReplyCodeInfo]:
    """Every row of the reply-code table (a code with several contexts has several rows)."""
    for index in range(_lib.smtpstatus_reply_code_count()):
        info = _new_reply_info()
        _check(_lib.smtpstatus_reply_code_at(index, ctypes.byref(info)))
        yield ReplyCodeInfo._from_c(info)


# ---------------------------------------------------------------------------
# Replies
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    """A parsed SMTP reply (see :func:`parse_reply`).

    Attributes:
        code: the reply code, e.g. 550.
        enhanced: the enhanced code, or None.
        text: the first line's text (after the reply and enhanced codes).
        lines: every line's text.
        anomalies: names of what the standards forbid or is unusual
            (``"no_enhanced"``, ``"bare_lf"``, ``"enhanced_in_text"``, ...).
        stage: the SMTP stage the text says the reply answered, or "unknown".
        span, enhanced_span: byte offsets ``(start, end)`` in the input.
        consumed: bytes used (a pipelined next reply starts there).
    """

    code: int
    enhanced: Optional[EnhancedCode]
    text: str
    lines: List[str]
    anomalies: FrozenSet[str]
    stage: str
    span: Tuple[int, int]
    enhanced_span: Optional[Tuple[int, int]]
    consumed: int
    _input: bytes = field(repr=False, compare=False)
    _raw: _Reply = field(repr=False, compare=False)

    @property
    def line_count(self) -> int:
        """The number of lines."""
        return len(self.lines)

    @property
    def reply_text(self) -> str:
        """The whole reply, from the first code to the end of the last line's text."""
        return _slice(self._input, self._raw.span)

    def classify(self, stage: Union[None, int, Text] = None) -> "Verdict":
        """Classify the reply (all its lines); ``stage`` overrides the one read from the text."""
        out = _new_verdict()
        rc = _lib.smtpstatus_classify_reply(self._input, len(self._input),
                                            ctypes.byref(self._raw), _stage_arg(stage),
                                            ctypes.byref(out))
        _check(rc)
        return Verdict._from_c(out, self._input)

    def explain(self) -> str:
        """A short paragraph: the reply code, the enhanced code, the anomalies."""
        return _snprintf(_lib.smtpstatus_explain_reply, self._input, len(self._input),
                         ctypes.byref(self._raw))


def _new_reply() -> _Reply:
    reply = _Reply()
    reply.size = ctypes.sizeof(_Reply)
    return reply


def parse_reply(data: Text, lenient: bool = False, at_eof: bool = False,
                strict_crlf: bool = False) -> Reply:
    """Parse an SMTP reply, single- or multi-line.

    By default the reply is read as it arrives from a socket: a buffer that
    ends inside it raises :class:`Incomplete`. ``at_eof`` says the buffer is
    all there is; ``lenient`` finds the reply inside a log line, a DSN
    ``Diagnostic-Code`` or an Exchange message; ``strict_crlf`` refuses bare
    LF line ends. Errors raise :class:`SmtpStatusError` with ``.offset``.
    """
    buf = _as_bytes(data)
    flags = ((_REPLY_LENIENT if lenient else 0) | (_REPLY_AT_EOF if at_eof else 0)
             | (_REPLY_STRICT_CRLF if strict_crlf else 0))
    raw = _new_reply()
    rc = _lib.smtpstatus_parse_reply(buf, len(buf), flags, ctypes.byref(raw))
    if rc != _OK:
        offset = raw.error_offset if rc not in (_E_INVALID_ARG,) else None
        raise SmtpStatusError.from_result(rc, offset, "reply")

    lines = []
    cursor, span = _c_size(0), _Span()
    for _ in range(raw.line_count + 1):
        rc = _lib.smtpstatus_reply_next_line(buf, len(buf), ctypes.byref(raw),
                                             ctypes.byref(cursor), ctypes.byref(span))
        if rc == _E_NOT_FOUND:
            break
        _check(rc)
        lines.append(_slice(buf, span))
    return Reply(
        code=raw.code,
        enhanced=EnhancedCode._from_c(raw.enhanced) if raw.has_enhanced else None,
        text=_slice(buf, raw.text),
        lines=lines,
        anomalies=_bits(raw.anomalies, _ANOMALY_NAMES),
        stage=stage_name(raw.stage),
        span=_span(raw.span),
        enhanced_span=_span(raw.enhanced_span) if raw.has_enhanced else None,
        consumed=raw.consumed,
        _input=buf,
        _raw=raw,
    )


# ---------------------------------------------------------------------------
# Classification
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """A rule that matched: what it points to, how sure it is, what it matched."""

    rule: str
    source: Optional[str]
    kind: str
    reason: str
    confidence: int
    span: Tuple[int, int]
    text: str


@dataclass(frozen=True)
class Verdict:
    """What a sender should make of a reply (see :func:`classify`).

    ``outcome`` (success, intermediate, transient, permanent, unknown),
    ``bounce`` (none, soft, hard), ``reason`` (one of :func:`reasons`),
    ``party`` (who must act), ``action`` (what to do) and ``stage`` are
    names; ``retry_after`` is seconds (0 unless the action retries);
    ``evidence[0]`` is the deciding rule.
    """

    outcome: str
    bounce: str
    reason: str
    party: str
    action: str
    retry_after: int
    flags: FrozenSet[str]
    confidence: int
    reply_code: Optional[int]
    enhanced: Optional[EnhancedCode]
    stage: str
    provider: Optional[str]
    sisimai_reason: Optional[str]
    powermta_category: Optional[str]
    sparkpost_class: int
    evidence: List[Evidence]
    _input: bytes = field(repr=False, compare=False)
    _raw: _Verdict = field(repr=False, compare=False)

    @property
    def rule(self) -> Optional[str]:
        """The id of the deciding rule, or None."""
        return self.evidence[0].rule if self.evidence else None

    @staticmethod
    def _from_c(c: _Verdict, text: bytes) -> "Verdict":
        raw = _Verdict.from_buffer_copy(c)
        evidence = []
        for i in range(min(raw.evidence_count, len(raw.evidence))):
            e = raw.evidence[i]
            evidence.append(Evidence(
                rule=_s(e.rule), source=_s(e.source),
                kind=_name(_lib.smtpstatus_evidence_kind_name, e.kind),
                reason=_name(_lib.smtpstatus_reason_name, e.reason),
                confidence=e.confidence, span=_span(e.span), text=_slice(text, e.span)))
        return Verdict(
            outcome=_name(_lib.smtpstatus_outcome_name, raw.outcome),
            bounce=_name(_lib.smtpstatus_bounce_name, raw.bounce),
            reason=_name(_lib.smtpstatus_reason_name, raw.reason),
            party=_name(_lib.smtpstatus_party_name, raw.party),
            action=_name(_lib.smtpstatus_action_name, raw.action),
            retry_after=raw.retry_after,
            flags=_bits(raw.flags, _VERDICT_FLAG_NAMES),
            confidence=raw.confidence,
            reply_code=raw.reply_code or None,
            enhanced=EnhancedCode._from_c(raw.enhanced) if raw.has_enhanced else None,
            stage=stage_name(raw.stage),
            provider=_s(raw.provider),
            sisimai_reason=_s(raw.sisimai_reason),
            powermta_category=_s(raw.powermta_category),
            sparkpost_class=raw.sparkpost_class,
            evidence=evidence,
            _input=text,
            _raw=raw,
        )

    def explain(self) -> str:
        """A paragraph for a person: what happened, why, who must act, what to do."""
        return _snprintf(_lib.smtpstatus_explain_verdict, self._input, len(self._input),
                         ctypes.byref(self._raw))

    def retry_advice(self, queued_for: Union[int, float, datetime.timedelta] = 0,
                     attempts: int = 1) -> "RetryAdvice":
        """When to try again (see :func:`retry_advice`)."""
        return retry_advice(self, queued_for, attempts)


def _new_verdict() -> _Verdict:
    out = _Verdict()
    out.size = ctypes.sizeof(_Verdict)
    return out


def classify(text: Optional[Text], stage: Union[None, int, Text] = None,
             host: Optional[Text] = None, reply_code: Optional[int] = None,
             status: Optional[CodeLike] = None, *, infer: bool = True) -> Verdict:
    """Classify a reply, a log line or a DSN field.

    Args:
        text: the text to read (may be None or empty when codes are given).
        stage: the SMTP stage the reply answered (``"rcpt"``, ``"RCPT TO"``,
            or an enum value); by default the one the text names.
        host: a host name identifying the receiving provider (remote MTA,
            MX or recipient domain), e.g. ``"gmail-smtp-in.l.google.com"``.
        reply_code: the reply code, when held apart from the text.
        status: the enhanced code, when held apart (a DSN's Status field).
        infer: read the facts not given (reply code, enhanced code, stage)
            from the text, as smtpstatus_classify_text() does. With False,
            only the facts given are used.
    """
    data = b"" if text is None else _as_bytes(text)
    stage_value = _stage_arg(stage)
    out = _new_verdict()
    if infer and host is None and reply_code is None and status is None:
        rc = _lib.smtpstatus_classify_text(data, len(data), stage_value, ctypes.byref(out))
        _check(rc, None, "classify")
        return Verdict._from_c(out, data)

    inp = _ClassifyInput()
    inp.size = ctypes.sizeof(_ClassifyInput)
    inp.text, inp.text_len = data, len(data)
    inp.stage = stage_value
    if infer and data:
        reply = _new_reply()
        if _lib.smtpstatus_parse_reply(data, len(data), _REPLY_LENIENT,
                                       ctypes.byref(reply)) == _OK:
            inp.reply_code = reply.code
            inp.has_enhanced = reply.has_enhanced
            inp.enhanced = reply.enhanced
            if not stage_value:
                inp.stage = reply.stage
        if not inp.has_enhanced:
            found, where = _Enhanced(), _Span()
            if _lib.smtpstatus_find_enhanced(data, len(data), 0, ctypes.byref(found),
                                             ctypes.byref(where)) == _OK:
                inp.has_enhanced, inp.enhanced = True, found
    if reply_code is not None:
        inp.reply_code = _int_arg(reply_code, 0, 0xFFFF, "reply_code")
    if status is not None:
        inp.has_enhanced, inp.enhanced = True, _code_arg(status)._to_c()
    host_bytes = b"" if host is None else _as_bytes(host, "host")
    if host_bytes:
        inp.host, inp.host_len = host_bytes, len(host_bytes)
    rc = _lib.smtpstatus_classify(ctypes.byref(inp), ctypes.byref(out))
    _check(rc, None, "classify")
    return Verdict._from_c(out, data)


# ---------------------------------------------------------------------------
# Explanations, reasons, retry advice
# ---------------------------------------------------------------------------


def explain(subject: Union[EnhancedCode, int, Reply, Verdict, Text]) -> str:
    """Plain words on a code, a reply or a verdict.

    Accepts an :class:`EnhancedCode`, a reply code (``550``), a :class:`Reply`,
    a :class:`Verdict`, or text: ``"5.7.26"``, ``"X.7.26"``, ``"550"``, or a
    reply or log line that quotes one (explained as a reply, found leniently).
    """
    if isinstance(subject, EnhancedCode):
        return subject.explain()
    if isinstance(subject, (Reply, Verdict)):
        return subject.explain()
    if isinstance(subject, int) and not isinstance(subject, bool):
        code = _int_arg(subject, 0, 0xFFFFFFFF, "reply code")
        return _snprintf(_lib.smtpstatus_explain_reply_code, code)
    data = _as_bytes(subject).strip()
    if len(data) == 3 and data.isdigit():
        return explain(int(data))
    try:
        return EnhancedCode.parse(data).explain()
    except SmtpStatusError:
        pass
    return parse_reply(data, lenient=True).explain()


@dataclass(frozen=True)
class ReasonInfo:
    """What the library knows about a reason, in plain words and other taxonomies."""

    name: str
    value: int
    title: Optional[str]
    meaning: Optional[str]
    causes: Optional[str]
    remedy: Optional[str]
    party: str
    address_dead: bool
    transient_action: str
    permanent_action: str
    default_delay: int
    sisimai_reason: Optional[str]
    powermta_category: Optional[str]
    sparkpost_class: int


def reason_info(reason: Union[str, bytes, int]) -> ReasonInfo:
    """Describe a reason, by name (``"mailbox_full"``) or enum value."""
    if isinstance(reason, int) and not isinstance(reason, bool):
        value = reason
    else:
        data = _as_bytes(reason, "reason")
        value = _lib.smtpstatus_reason_from_name(data, len(data))
        if value == 0 and data != b"unknown":
            raise SmtpStatusError(_E_NOT_FOUND, None, f"reason {reason!r}")
    info = _ReasonInfo()
    info.size = ctypes.sizeof(_ReasonInfo)
    _check(_lib.smtpstatus_reason_info(int(value), ctypes.byref(info)), None, f"reason {reason!r}")
    return ReasonInfo(
        name=_s(info.name), value=info.reason, title=_s(info.title), meaning=_s(info.meaning),
        causes=_s(info.causes), remedy=_s(info.remedy),
        party=_name(_lib.smtpstatus_party_name, info.party),
        address_dead=bool(info.address_dead),
        transient_action=_name(_lib.smtpstatus_action_name, info.transient_action),
        permanent_action=_name(_lib.smtpstatus_action_name, info.permanent_action),
        default_delay=info.default_delay, sisimai_reason=_s(info.sisimai_reason),
        powermta_category=_s(info.powermta_category), sparkpost_class=info.sparkpost_class,
    )


def reasons() -> List[ReasonInfo]:
    """Every reason the classifier knows, in enum order."""
    return [reason_info(i) for i in range(_lib.smtpstatus_reason_count())]


@dataclass(frozen=True)
class RetryAdvice:
    """When to try again: ``decision`` is "none", "retry_at" or "give_up";
    ``delay`` is seconds from now (with "retry_at"); ``give_up_after`` is how
    long, since the first attempt, this kind of failure is worth retrying."""

    decision: str
    delay: int
    give_up_after: int


def retry_advice(verdict: Verdict, queued_for: Union[int, float, datetime.timedelta] = 0,
                 attempts: int = 1) -> RetryAdvice:
    """Say when to try a message next, or to give up (docs/retry.md).

    ``queued_for`` is the time since the first attempt (seconds or a
    timedelta); ``attempts`` the attempts made so far (at least 1).
    """
    if not isinstance(verdict, Verdict):
        raise TypeError("retry_advice() needs a Verdict")
    if isinstance(queued_for, datetime.timedelta):
        queued_for = queued_for.total_seconds()
    if isinstance(queued_for, float):
        queued_for = int(queued_for)
    queued_for = _int_arg(queued_for, 0, 2**64 - 1, "queued_for")
    attempts = _int_arg(attempts, 0, 2**32 - 1, "attempts")
    out = _Retry()
    out.size = ctypes.sizeof(_Retry)
    _check(_lib.smtpstatus_retry_advice(ctypes.byref(verdict._raw), queued_for, attempts,
                                        ctypes.byref(out)), None, "retry advice")
    decision = (_RETRY_DECISION_NAMES[out.decision] if out.decision < len(_RETRY_DECISION_NAMES)
                else str(out.decision))
    return RetryAdvice(decision, out.delay, out.give_up_after)


# ---------------------------------------------------------------------------
# Bounce messages
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DsnRecipient:
    """One recipient of a report, with the classifier's verdict.

    Text fields are None when absent. ``fields`` holds every field of the
    recipient's block by name as written (first occurrence); ``field()``
    looks one up case-insensitively. ``action`` is the RFC 3464 Action
    ("failed", "delayed", ...); the verdict's evidence offsets are into
    ``diagnostic``.
    """

    recipient: Optional[str]
    recipient_type: Optional[str]
    original_recipient: Optional[str]
    action: str
    status: Optional[EnhancedCode]
    reply_code: Optional[int]
    decoder: str
    stage: str
    flags: FrozenSet[str]
    remote_mta: Optional[str]
    diagnostic: Optional[str]
    diagnostic_type: Optional[str]
    last_attempt_date: Optional[str]
    will_retry_until: Optional[str]
    final_log_id: Optional[str]
    fields: Dict[str, str]
    verdict: Verdict

    def field(self, name: str) -> Optional[str]:
        """A field of the recipient's block, by case-insensitive name, or None."""
        wanted = name.lower()
        for key, value in self.fields.items():
            if key.lower() == wanted:
                return value
        return None


@dataclass(frozen=True)
class Report:
    """What a message says as a whole (see :func:`parse_dsn`).

    ``kind`` is "ordinary", "bounce", "delivery_report", "feedback" or
    "auto_reply"; ``decoder`` names the decoder that found the recipients.
    ``from_`` is the report's own From field.
    """

    kind: str
    decoder: str
    recipients: List[DsnRecipient]
    reporting_mta: Optional[str]
    received_from_mta: Optional[str]
    arrival_date: Optional[str]
    original_envelope_id: Optional[str]
    subject: Optional[str]
    from_: Optional[str]
    original_message_id: Optional[str]
    original_from: Optional[str]
    original_to: Optional[str]
    original_subject: Optional[str]
    feedback_type: Optional[str]
    scratch_used: int


def _text_bytes(t: _Text) -> Optional[bytes]:
    return None if not t.ptr else ctypes.string_at(t.ptr, t.len)


def _fields(block: _Text, errors: str) -> Dict[str, str]:
    out: Dict[str, str] = {}
    cursor, name, value = _c_size(0), _Text(), _Text()
    while True:
        before = cursor.value
        rc = _lib.smtpstatus_next_field(ctypes.byref(block), ctypes.byref(cursor),
                                        ctypes.byref(name), ctypes.byref(value))
        if rc == _E_NOT_FOUND:
            return out
        _check(rc)
        key = (_text_bytes(name) or b"").decode("utf-8", errors)
        out.setdefault(key, (_text_bytes(value) or b"").decode("utf-8", errors))
        if cursor.value <= before:  # no progress: never loop forever
            return out


def has_dsn() -> bool:
    """Whether the loaded library was built with DSN support."""
    dsn, n = _Dsn(), _c_size(0)
    dsn.size = ctypes.sizeof(_Dsn)
    return _lib.smtpstatus_parse_dsn(b"", 0, 0, ctypes.byref(dsn), None, ctypes.byref(n),
                                     None, 0) != _E_UNSUPPORTED


def parse_dsn(message: Text, *, errors: str = "replace", initial_recipients: int = 16,
              initial_scratch: int = 65536) -> Report:
    """Read a bounce (or feedback report, auto-reply, success DSN) and classify each recipient.

    ``message`` is the whole message, headers and body. An ordinary message
    gives kind "ordinary" and no recipients. The recipient array and the
    scratch buffer for decoded text start at ``initial_recipients`` and
    ``initial_scratch`` (never more than the message needs) and grow when
    the library asks (E_TOO_MANY, E_NO_SPACE). ``errors`` is the UTF-8
    decoding error handler for the text fields. Raises :class:`Unsupported`
    when the library was built without DSN support.
    """
    data = _as_bytes(message, "message")
    capacity = _int_arg(initial_recipients, 0, 2**31, "initial_recipients")
    scratch_size = min(_int_arg(initial_scratch, 0, 2**62, "initial_scratch"), len(data) + 1)
    rec_size = ctypes.sizeof(_DsnRecipient)
    for _ in range(64):
        dsn = _Dsn()
        dsn.size = ctypes.sizeof(_Dsn)
        rcpts = (_DsnRecipient * capacity)() if capacity else None
        for i in range(capacity):
            rcpts[i].size = rec_size  # rcpts[0].size is the stride; set all to be plain
            rcpts[i].verdict.size = ctypes.sizeof(_Verdict)
        count = _c_size(capacity)
        scratch = ctypes.create_string_buffer(scratch_size) if scratch_size else None
        rc = _lib.smtpstatus_parse_dsn(data, len(data), 0, ctypes.byref(dsn), rcpts,
                                       ctypes.byref(count), scratch, scratch_size)
        if rc == _E_TOO_MANY:
            capacity = max(dsn.recipient_count, capacity + 1)
        elif rc == _E_NO_SPACE:
            scratch_size = max(dsn.scratch_used, scratch_size + 1)
        else:
            break
    if rc == _E_UNSUPPORTED:
        raise Unsupported(rc, None, "parse_dsn: this libsmtpstatus was built without DSN "
                          "support (-Ddsn=disabled)")
    _check(rc, None, "parse_dsn")

    # Copy everything out while `data` and `scratch` (which the pointers
    # address) are alive.
    def text(t: _Text) -> Optional[str]:
        raw = _text_bytes(t)
        return None if raw is None else raw.decode("utf-8", errors)

    recipients = []
    for i in range(min(count.value, capacity)):
        r = rcpts[i]
        recipients.append(DsnRecipient(
            recipient=text(r.recipient), recipient_type=text(r.recipient_type),
            original_recipient=text(r.original_recipient),
            action=_name(_lib.smtpstatus_dsn_action_name, r.action),
            status=EnhancedCode._from_c(r.status) if r.has_status else None,
            reply_code=r.reply_code or None,
            decoder=_name(_lib.smtpstatus_decoder_name, r.decoder),
            stage=stage_name(r.stage),
            flags=_bits(r.flags, _DSN_FLAG_NAMES),
            remote_mta=text(r.remote_mta), diagnostic=text(r.diagnostic),
            diagnostic_type=text(r.diagnostic_type),
            last_attempt_date=text(r.last_attempt_date),
            will_retry_until=text(r.will_retry_until), final_log_id=text(r.final_log_id),
            fields=_fields(r.fields, errors),
            verdict=Verdict._from_c(r.verdict, _text_bytes(r.diagnostic) or b""),
        ))
    return Report(
        kind=_name(_lib.smtpstatus_message_kind_name, dsn.kind),
        decoder=_name(_lib.smtpstatus_decoder_name, dsn.decoder),
        recipients=recipients,
        reporting_mta=text(dsn.reporting_mta), received_from_mta=text(dsn.received_from_mta),
        arrival_date=text(dsn.arrival_date), original_envelope_id=text(dsn.original_envelope_id),
        subject=text(dsn.subject), from_=text(getattr(dsn, "from")),
        original_message_id=text(dsn.original_message_id),
        original_from=text(dsn.original_from), original_to=text(dsn.original_to),
        original_subject=text(dsn.original_subject), feedback_type=text(dsn.feedback_type),
        scratch_used=dsn.scratch_used,
    )
