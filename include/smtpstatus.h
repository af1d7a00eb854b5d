/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/**
 * @file smtpstatus.h
 * @brief Parse, look up and explain SMTP replies and enhanced status codes.
 *
 * smtpstatus turns what SMTP servers say (RFC 5321 reply codes, RFC 3463 /
 * RFC 5248 enhanced status codes as carried by RFC 2034) into structured
 * facts and plain words.
 *
 * Conventions shared by every function:
 *
 * - **Inputs** are `(const char *buf, size_t len)`. They need not be
 *   NUL-terminated and nothing at or past `buf + len` is ever read.
 * - **Outputs** go into caller-owned structs. Nothing is allocated, nothing
 *   needs to be freed, and there is no global or thread-local state: every
 *   function is reentrant and may be called from any number of threads at
 *   once.
 * - **Positions** are byte offsets into the caller's buffer
 *   (struct smtpstatus_span), never pointers, so they survive a buffer
 *   being moved and are easy to use through an FFI.
 * - **Results** are one enum, enum smtpstatus_result: 0 is success, positive
 *   values are non-error states (more input needed), negative values are
 *   errors. smtpstatus_strerror() names every value.
 * - **Strings** returned by the library point into static read-only tables.
 *   They live as long as the program and must not be freed.
 * - **Locale** is never consulted: ASCII rules only.
 */

#ifndef SMTPSTATUS_H
#define SMTPSTATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "smtpstatus-version.h"

/*
 * SMTPSTATUS_API marks every exported symbol. The library is built with
 * hidden visibility, so only what carries this macro (and is listed in the
 * version script) is visible. Define SMTPSTATUS_STATIC when linking the
 * static library on Windows.
 */
#if defined(_WIN32) || defined(__CYGWIN__)
#  if defined(SMTPSTATUS_STATIC)
#    define SMTPSTATUS_API
#  elif defined(BUILDING_SMTPSTATUS)
#    define SMTPSTATUS_API __declspec(dllexport)
#  else
#    define SMTPSTATUS_API __declspec(dllimport)
#  endif
#elif defined(BUILDING_SMTPSTATUS) && defined(__GNUC__) && __GNUC__ >= 4
#  define SMTPSTATUS_API __attribute__((visibility("default")))
#else
#  define SMTPSTATUS_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/** @name Results                                                            */
/* ------------------------------------------------------------------------ */
/** @{ */

/**
 * Result of every fallible call.
 *
 * Values are stable and never reused: a retired value stays reserved.
 * Negative values are errors; positive values are not.
 *
 * @since 0.1.0
 */
enum smtpstatus_result {
    /** Success. */
    SMTPSTATUS_OK = 0,
    /**
     * The input ends before the reply does (a line without its terminator,
     * or a `250-` continuation line with nothing after it). Read more bytes
     * and call again with the whole buffer.
     */
    SMTPSTATUS_INCOMPLETE = 1,

    /** An argument is NULL where it may not be, or a flag bit is unknown. */
    SMTPSTATUS_E_INVALID_ARG = -1,
    /** The bytes do not follow the grammar (see error_offset). */
    SMTPSTATUS_E_SYNTAX = -2,
    /**
     * A code is well formed but out of range: an enhanced class other than
     * 2, 4 or 5, a sub-code of more than three digits or with a leading
     * zero, a reply code whose first digit is not 2 to 5.
     */
    SMTPSTATUS_E_BAD_CODE = -3,
    /** A line or field is longer than the documented limit. */
    SMTPSTATUS_E_TOO_LONG = -4,
    /** More items (lines, recipients) than the documented limit. */
    SMTPSTATUS_E_TOO_MANY = -5,
    /** The feature was left out of this build. */
    SMTPSTATUS_E_UNSUPPORTED = -6,
    /** Nothing of the kind asked for was found in the input. */
    SMTPSTATUS_E_NOT_FOUND = -7,
    /**
     * The input ended in the middle of a reply although the caller said it
     * was complete (SMTPSTATUS_REPLY_AT_EOF or SMTPSTATUS_REPLY_LENIENT).
     */
    SMTPSTATUS_E_TRUNCATED = -8,
    /**
     * A caller-owned struct is too small: its `size` member is smaller
     * than the first version of the struct.
     */
    SMTPSTATUS_E_STRUCT_SIZE = -9,
    /** A caller-supplied buffer is too small; the call says how much is needed. */
    SMTPSTATUS_E_NO_SPACE = -10,
};

/**
 * A one-sentence English description of a result value.
 *
 * @param[in] result  any value of enum smtpstatus_result, or any int.
 * @returns a static string; never NULL ("unknown result" for values that
 *          are not defined).
 * @since 0.1.0
 */
SMTPSTATUS_API const char *smtpstatus_strerror(int result);

/**
 * The enumerator name of a result value, e.g. `"SMTPSTATUS_E_SYNTAX"`.
 *
 * @returns a static string; never NULL (`"SMTPSTATUS_UNKNOWN"` for values
 *          that are not defined).
 * @since 0.1.0
 */
SMTPSTATUS_API const char *smtpstatus_result_name(int result);

/** @} */

/* ------------------------------------------------------------------------ */
/** @name Versions                                                           */
/* ------------------------------------------------------------------------ */
/** @{ */

/**
 * The library version at run time, e.g. `"0.1.0"`.
 * Compare with SMTPSTATUS_VERSION_STRING to detect a header/library skew.
 * @since 0.1.0
 */
SMTPSTATUS_API const char *smtpstatus_version(void);

/**
 * The library version as `0xMMmmpp` (SMTPSTATUS_VERSION_NUMBER at build).
 * @since 0.1.0
 */
SMTPSTATUS_API uint32_t smtpstatus_version_number(void);

/**
 * The date of the IANA "SMTP Enhanced Status Codes" registry snapshot the
 * tables were generated from, as `YYYY-MM-DD`.
 * @since 0.1.0
 */
SMTPSTATUS_API const char *smtpstatus_registry_version(void);

/** @} */

/* ------------------------------------------------------------------------ */
/** @name Common value types                                                 */
/* ------------------------------------------------------------------------ */
/** @{ */

/**
 * A run of bytes in the caller's buffer: `buf[off]` to `buf[off + len - 1]`.
 * An empty span has `len == 0`; its `off` is still meaningful (where the
 * thing would have been).
 * @since 0.1.0
 */
struct smtpstatus_span {
    size_t off;
    size_t len;
};

/**
 * The class digit of an enhanced status code (RFC 3463 §3.1). The values
 * are the protocol's own digits.
 * @since 0.1.0
 */
enum smtpstatus_class {
    SMTPSTATUS_CLASS_NONE = 0,
    SMTPSTATUS_CLASS_SUCCESS = 2,
    SMTPSTATUS_CLASS_TRANSIENT = 4,
    SMTPSTATUS_CLASS_PERMANENT = 5,
};

/**
 * An enhanced status code `class.subject.detail` (RFC 3463 §2).
 *
 * A small frozen value type: it has no size member and will never grow.
 * `cls` is 2, 4 or 5 for a parsed code; the lookup functions also accept 0
 * for "any class" (the registry's `X.s.d` form). Subject and detail are
 * 0 to 999.
 * @since 0.1.0
 */
struct smtpstatus_enhanced {
    uint8_t cls;      /**< enum smtpstatus_class */
    uint8_t reserved; /**< always 0 */
    uint16_t subject; /**< 0..999 */
    uint16_t detail;  /**< 0..999 */
};

/**
 * The SMTP command a reply answered, when it is known (given by the caller,
 * or read from log text such as Postfix's "(in reply to RCPT TO command)").
 * @since 0.1.0
 */
enum smtpstatus_stage {
    SMTPSTATUS_STAGE_UNKNOWN = 0,
    /** The greeting, at connection opening (RFC 5321 §3.1). */
    SMTPSTATUS_STAGE_CONNECT = 1,
    /** EHLO, HELO or LHLO. */
    SMTPSTATUS_STAGE_EHLO = 2,
    SMTPSTATUS_STAGE_STARTTLS = 3,
    SMTPSTATUS_STAGE_AUTH = 4,
    SMTPSTATUS_STAGE_MAIL = 5,
    SMTPSTATUS_STAGE_RCPT = 6,
    /** The DATA command itself (the reply is 354 or a refusal). */
    SMTPSTATUS_STAGE_DATA = 7,
    /** The final "." after the message, or the last BDAT chunk. */
    SMTPSTATUS_STAGE_END_OF_DATA = 8,
    SMTPSTATUS_STAGE_BDAT = 9,
};

/**
 * The lower-case name of a stage: `"rcpt"`, `"end-of-data"`, ...
 * @returns a static string, never NULL (`"unknown"` for unknown values).
 * @since 0.1.0
 */
SMTPSTATUS_API const char *smtpstatus_stage_name(int stage);

/**
 * Parse a stage name as smtpstatus_stage_name() writes it, or an SMTP verb
 * (`RCPT`, `MAIL FROM`, `RCPT TO`, `HELO`, ...), ASCII case-insensitive.
 * @returns the enum smtpstatus_stage value, or SMTPSTATUS_STAGE_UNKNOWN.
 * @since 0.1.0
 */
SMTPSTATUS_API int smtpstatus_stage_from_name(const char *buf, size_t len);

/** @} */

/* ------------------------------------------------------------------------ */
/** @name Enhanced status codes (RFC 3463, RFC 5248)                         */
/* ------------------------------------------------------------------------ */
/** @{ */

/**
 * Flag for smtpstatus_parse_enhanced(): the code may be followed by more
 * text, as in a DSN field `Status: 5.0.0 (permanent failure)`. The code
 * must still end at a boundary: the next byte may not be a digit, a letter,
 * `_`, or a "." followed by a digit.
 * @since 0.1.0
 */
#define SMTPSTATUS_ENHANCED_PREFIX (1u << 0)

/**
 * Parse an enhanced status code.
 *
 * The grammar is RFC 3463 §2: `class "." subject "." detail` with class
 * 2, 4 or 5 and subject and detail of 1 to 3 digits without a leading
 * zero (`0` itself is fine). No white space is skipped.
 *
 * Without SMTPSTATUS_ENHANCED_PREFIX the whole of `buf` must be the code.
 *
 * @param[in]  buf    the bytes; need not be NUL-terminated.
 * @param[in]  len    the number of bytes.
 * @param[in]  flags  0 or SMTPSTATUS_ENHANCED_PREFIX.
 * @param[out] out    the code; written only on success. Must not be NULL.
 * @param[out] end    may be NULL. On success the number of bytes the code
 *                    takes; on failure the offset of the byte where
 *                    parsing stopped.
 * @returns SMTPSTATUS_OK;
 *          SMTPSTATUS_E_SYNTAX (a byte that is not the expected digit or
 *          dot, trailing bytes, or the input ends early: `5.1`);
 *          SMTPSTATUS_E_BAD_CODE (class not 2/4/5: `6.1.1`; more than three
 *          digits: `5.1000.1`; a leading zero: `5.01.1`);
 *          SMTPSTATUS_E_INVALID_ARG.
 * @since 0.1.0
 */
SMTPSTATUS_API int smtpstatus_parse_enhanced(const char *buf, size_t len, unsigned flags,
                                             struct smtpstatus_enhanced *out, size_t *end);

/**
 * Find the first enhanced status code in free text.
 *
 * Real bounces write codes in many places: `550 5.1.1 ...`, `550-5.1.1`,
 * `#5.1.1`, `(#4.4.5)`, `(5.7.1)`, `dsn=4.4.1`, `Status: 5.0.0`. A code is
 * taken only at a token boundary, so that IPv4 addresses (`192.0.2.1`),
 * four-part numbers (`4.4.1.2`, Yahoo's `4.16.55.1`), dates and version
 * strings (`v5.2.1`, `Postfix-2.5.1`) are not mistaken for codes:
 *
 * - the byte before it is not a letter, digit, `.`, `_`, `/`, `\`, `@`,
 *   or a `-` that follows a letter;
 * - the byte after it is not a letter, digit or `_`, and not a `.`
 *   followed by a digit;
 * - the subject is 0 to 7, the subjects RFC 3463 defines; any detail of
 *   up to three digits is accepted (`5.7.606`, `4.4.316`).
 *
 * @param[in]  buf,len  the text.
 * @param[in]  flags    must be 0.
 * @param[out] out      the code; written only on success.
 * @param[out] where    may be NULL; the span of the code in `buf`.
 * @returns SMTPSTATUS_OK, SMTPSTATUS_E_NOT_FOUND or
 *          SMTPSTATUS_E_INVALID_ARG.
 * @since 0.1.0
 */
SMTPSTATUS_API int smtpstatus_find_enhanced(const char *buf, size_t len, unsigned flags,
                                            struct smtpstatus_enhanced *out,
                                            struct smtpstatus_span *where);

/**
 * Write a code as text, with snprintf() semantics.
 *
 * A code with `cls == 0` is written in the registry's form, `X.1.1`.
 *
 * @param[in]  code  the code.
 * @param[out] buf   may be NULL when `size` is 0.
 * @param[in]  size  the size of `buf`; at most `size - 1` characters and a
 *                   terminating NUL are written.
 * @returns the length of the full text (not counting the NUL): at most 9,
 *          so a buffer of SMTPSTATUS_ENHANCED_TEXT_MAX always suffices;
 *          SMTPSTATUS_E_BAD_CODE for a class other than 0, 2, 4 or 5 or a
 *          sub-code over 999; SMTPSTATUS_E_INVALID_ARG.
 * @since 0.1.0
 */
SMTPSTATUS_API int smtpstatus_format_enhanced(const struct smtpstatus_enhanced *code, char *buf,
                                              size_t size);

/** A buffer of this many bytes holds any formatted code and its NUL. */
#define SMTPSTATUS_ENHANCED_TEXT_MAX 10

/**
 * Order two codes by class, then subject, then detail (numerically, so
 * `5.1.2 < 5.1.10`).
 * @returns a negative value, 0 or a positive value, like strcmp().
 * @since 0.1.0
 */
SMTPSTATUS_API int smtpstatus_compare_enhanced(const struct smtpstatus_enhanced *a,
                                               const struct smtpstatus_enhanced *b);

/** @} */

/* ------------------------------------------------------------------------ */
/** @name Registry lookups                                                   */
/* ------------------------------------------------------------------------ */
/** @{ */

/** The code is in the IANA registry. @since 0.1.0 */
#define SMTPSTATUS_CODE_REGISTERED (1u << 0)
/** The registry marks the code deprecated (X.6.10, a duplicate of X.6.8). @since 0.1.0 */
#define SMTPSTATUS_CODE_DEPRECATED (1u << 1)
/** The subject digit is one RFC 3463 defines (0 to 7). @since 0.1.0 */
#define SMTPSTATUS_CODE_SUBJECT_KNOWN (1u << 2)
/** Any basic reply code goes with it (X.0.0: "Any"). @since 0.1.0 */
#define SMTPSTATUS_CODE_ANY_REPLY (1u << 3)

/** At most this many normalised basic reply codes per entry. */
#define SMTPSTATUS_BASIC_CODES_MAX 16

/**
 * Everything the registry says about an enhanced status code.
 *
 * Filled by smtpstatus_lookup_enhanced() and smtpstatus_enhanced_at().
 * Set `size` to `sizeof(struct smtpstatus_code_info)` before the call
 * (SMTPSTATUS_CODE_INFO_INIT does): the library writes only within `size`,
 * so programs built against an older, smaller struct keep working.
 *
 * Every string points into the library's static tables; absent ones are
 * NULL (the title, description and basic codes of an unregistered detail;
 * the class strings of class 0).
 * @since 0.1.0
 */
struct smtpstatus_code_info {
    size_t size;
    /** The code as looked up. */
    struct smtpstatus_enhanced code;
    /** SMTPSTATUS_CODE_* bits. */
    uint32_t flags;
    /** Class summary, e.g. "Permanent Failure"; NULL for class 0. */
    const char *class_title;
    /** The registry's description of the class; NULL for class 0. */
    const char *class_description;
    /** Subject summary, e.g. "Addressing Status"; NULL for subjects over 7. */
    const char *subject_title;
    /** The registry's description of the subject. */
    const char *subject_description;
    /** The registered sample text, e.g. "Bad destination mailbox address". */
    const char *title;
    /** The registry's description of the code. */
    const char *description;
    /**
     * The registry's reference, e.g. "[RFC3463] (Standards Track)"; for an
     * unregistered detail, the reference of its subject.
     */
    const char *reference;
    /** The registry's "associated basic status code" text, verbatim. */
    const char *basic_codes_text;
    /**
     * For a deprecated code, the code that replaces it, in `X.s.d` form
     * (X.6.10: "X.6.8"); otherwise NULL.
     */
    const char *replaced_by;
    /**
     * The basic reply codes the registry associates with the code, as
     * numbers: 550 for "550", 5 for the wildcard "5XX".
     */
    uint16_t basic_codes[SMTPSTATUS_BASIC_CODES_MAX];
    /** How many of basic_codes are set. */
    uint32_t basic_code_count;
    /** enum smtpstatus_party: who usually has to act on this code. */
    uint32_t party;
    /** What the code means in practice, in plain words (or the subject's, for an unregistered detail). */
    const char *practical_meaning;
    /** The causes seen in practice, including known misuse by servers. */
    const char *causes;
    /** What to do about it. */
    const char *remedy;
};

/** Initialiser that sets the size member. @since 0.1.0 */
#define SMTPSTATUS_CODE_INFO_INIT { sizeof(struct smtpstatus_code_info), { 0, 0, 0, 0 }, 0, \
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, { 0 }, 0, 0, NULL, NULL, NULL }

/**
 * Look an enhanced status code up in the IANA registry.
 *
 * RFC 3463 §2 asks clients to degrade gracefully, so a code whose detail is
 * not registered (Microsoft's `5.7.606`, `4.4.316`) still gets its class
 * and subject meanings; its SMTPSTATUS_CODE_REGISTERED bit is clear and
 * `title` is NULL: the detail is provider-specific.
 *
 * @param[in]  code  the code; `cls` may be 0 to ask about `X.s.d`.
 * @param[out] info  filled within `info->size`.
 * @returns SMTPSTATUS_OK (registered or not: see info->flags);
 *          SMTPSTATUS_E_BAD_CODE (class not 0/2/4/5, sub-code over 999);
 *          SMTPSTATUS_E_STRUCT_SIZE; SMTPSTATUS_E_INVALID_ARG.
 * @since 0.1.0
 */
SMTPSTATUS_API int smtpstatus_lookup_enhanced(const struct smtpstatus_enhanced *code,
                                              struct smtpstatus_code_info *info);

/**
 * The number of enumerated codes in the registry snapshot (81 for the
 * 2024-12-06 registry).
 * @since 0.1.0
 */
SMTPSTATUS_API size_t smtpstatus_enhanced_count(void);

/**
 * The registry entry at `index`, in order of subject then detail, in the
 * `X.s.d` form (`info->code.cls` is 0).
 * @returns SMTPSTATUS_OK, SMTPSTATUS_E_NOT_FOUND past the end,
 *          SMTPSTATUS_E_STRUCT_SIZE or SMTPSTATUS_E_INVALID_ARG.
 * @since 0.1.0
 */
SMTPSTATUS_API int smtpstatus_enhanced_at(size_t index, struct smtpstatus_code_info *info);

/**
 * Where a reply code is defined (the `kind` member of
 * struct smtpstatus_reply_info).
 * @since 0.1.0
 */
enum smtpstatus_reply_kind {
    /** Not in the table; read by its digits only (RFC 5321 §4.2.1). */
    SMTPSTATUS_REPLY_KIND_UNKNOWN = 0,
    /** Defined by RFC 5321 or a standards-track extension. */
    SMTPSTATUS_REPLY_KIND_STANDARD = 1,
    /** Only listed as an associated basic code in the IANA registry. */
    SMTPSTATUS_REPLY_KIND_REGISTRY_ONLY = 2,
    /** Defined in an Internet-Draft only. */
    SMTPSTATUS_REPLY_KIND_DRAFT = 3,
    /** In use, but defined by no standard. */
    SMTPSTATUS_REPLY_KIND_NONSTANDARD = 4,
    /** Pre-standard usage, superseded. */
    SMTPSTATUS_REPLY_KIND_LEGACY = 5,
    /** Defined once, now deprecated. */
    SMTPSTATUS_REPLY_KIND_DEPRECATED = 6,
};

/**
 * What a reply code means.
 *
 * Filled by smtpstatus_lookup_reply_code() and smtpstatus_reply_code_at().
 * Set `size` first (SMTPSTATUS_REPLY_INFO_INIT). Strings are static; absent
 * ones are NULL.
 * @since 0.1.0
 */
struct smtpstatus_reply_info {
    size_t size;
    /** The reply code, 100 to 599. */
    uint16_t code;
    /** The first digit: 2 positive completion, 3 intermediate, 4, 5. */
    uint8_t class_digit;
    /** The second digit (RFC 5321 §4.2.1: 0 syntax ... 5 mail system). */
    uint8_t category_digit;
    /** enum smtpstatus_reply_kind. */
    uint32_t kind;
    /**
     * The context the meaning applies to: "general" (RFC 5321) or an
     * extension ("AUTH", "STARTTLS", "SIZE", "BDAT", "SMTPUTF8", ...).
     */
    const char *context;
    /** e.g. "permanent negative completion". */
    const char *class_name;
    /** e.g. "mail system"; NULL for a second digit over 5. */
    const char *category_name;
    /** The text the defining document recommends, e.g. "Transaction failed". */
    const char *recommended_text;
    /** What the code means, in a sentence. */
    const char *meaning;
    /** e.g. "RFC 5321 §4.2.3". */
    const char *reference;
    /** How it is used in practice, or NULL. */
    const char *notes;
};

/** Initialiser that sets the size member. @since 0.1.0 */
#define SMTPSTATUS_REPLY_INFO_INIT { sizeof(struct smtpstatus_reply_info), 0, 0, 0, 0, \
    NULL, NULL, NULL, NULL, NULL, NULL, NULL }

/**
 * Look a reply code up.
 *
 * The RFC 5321 ("general") meaning is preferred when the code has several.
 * A code that is not in the table still gets its class and category from
 * its digits (RFC 5321 §4.2.1 asks clients to read unknown codes by their
 * first digit) and `kind` SMTPSTATUS_REPLY_KIND_UNKNOWN.
 *
 * @param[in]  code  100 to 599.
 * @param[out] info  filled within `info->size`.
 * @returns SMTPSTATUS_OK; SMTPSTATUS_E_BAD_CODE outside 100..599;
 *          SMTPSTATUS_E_STRUCT_SIZE; SMTPSTATUS_E_INVALID_ARG.
 * @since 0.1.0
 */
SMTPSTATUS_API int smtpstatus_lookup_reply_code(unsigned code, struct smtpstatus_reply_info *info);

/**
 * The number of rows in the reply-code table (a code with meanings in
 * several contexts has several rows).
 * @since 0.1.0
 */
SMTPSTATUS_API size_t smtpstatus_reply_code_count(void);

/**
 * The reply-code row at `index`, in order of code.
 * @returns SMTPSTATUS_OK, SMTPSTATUS_E_NOT_FOUND past the end,
 *          SMTPSTATUS_E_STRUCT_SIZE or SMTPSTATUS_E_INVALID_ARG.
 * @since 0.1.0
 */
SMTPSTATUS_API int smtpstatus_reply_code_at(size_t index, struct smtpstatus_reply_info *info);

/** @} */

/* ------------------------------------------------------------------------ */
/** @name SMTP replies (RFC 5321 §4.2, RFC 2034)                             */
/* ------------------------------------------------------------------------ */
/** @{ */

/**
 * Flags for smtpstatus_parse_reply().
 *
 * By default the parser reads a reply as it arrives on the wire: the reply
 * starts at the first byte; each line ends in CRLF (a bare LF is accepted
 * and flagged); a buffer that ends inside the reply gives
 * SMTPSTATUS_INCOMPLETE.
 */
/**
 * The buffer holds all there is: its end also ends the last line. A
 * buffer that ends inside a `250-` continuation gives
 * SMTPSTATUS_E_TRUNCATED instead of SMTPSTATUS_INCOMPLETE.
 * @since 0.1.0
 */
#define SMTPSTATUS_REPLY_AT_EOF (1u << 0)
/**
 * Refuse a bare LF as a line end (SMTPSTATUS_E_SYNTAX), as RFC 5321 §2.3.8
 * asks of servers. Cannot be combined with SMTPSTATUS_REPLY_LENIENT.
 * @since 0.1.0
 */
#define SMTPSTATUS_REPLY_STRICT_CRLF (1u << 1)
/**
 * Find the reply inside text that quotes it: Postfix and Exim log lines
 * (`... said: 550 5.1.1 <bob@example.com>: ... (in reply to RCPT TO
 * command)`), DSN `Diagnostic-Code: smtp; 550-5.1.1 ...` values with folded
 * lines, Exchange's `Remote Server returned '550 5.1.1 ...'`, session
 * transcripts. The reply starts at the first three-digit code that stands
 * alone as a token, preferring the first failure (4xx or 5xx) to an earlier
 * 2xx or 3xx; continuation lines may be indented (folded), and Postfix's habit
 * of joining a multi-line reply into one line is undone. Implies
 * SMTPSTATUS_REPLY_AT_EOF, except that a reply cut short after a
 * continuation line is returned as far as it goes, flagged
 * SMTPSTATUS_ANOMALY_TRUNCATED. This is a heuristic: a stray number that looks
 * like a reply code can be taken for one, which is why it is not the
 * default.
 * @since 0.1.0
 */
#define SMTPSTATUS_REPLY_LENIENT (1u << 2)

/**
 * Anomaly bits (the `anomalies` member of struct smtpstatus_reply). Each
 * marks something a standard forbids or that is unusual enough to matter;
 * the parser reports them instead of guessing.
 */
/** The enhanced code's class differs from the reply code's first digit (RFC 2034 §3). */
#define SMTPSTATUS_ANOMALY_CLASS_MISMATCH (1u << 0)
/** Lines of a multi-line reply carry different reply codes (RFC 5321 §4.2.1). */
#define SMTPSTATUS_ANOMALY_CODE_MISMATCH (1u << 1)
/** Lines carry different enhanced codes, or some lack one (RFC 2034 §3). */
#define SMTPSTATUS_ANOMALY_ENHANCED_MISMATCH (1u << 2)
/** A 2xx, 4xx or 5xx reply carries no enhanced code anywhere. */
#define SMTPSTATUS_ANOMALY_NO_ENHANCED (1u << 3)
/** The enhanced code was not right after the reply code but later in the text (qmail's `(#5.7.1)`). */
#define SMTPSTATUS_ANOMALY_ENHANCED_IN_TEXT (1u << 4)
/** The enhanced code is not in the IANA registry (a provider-specific detail). */
#define SMTPSTATUS_ANOMALY_UNREGISTERED (1u << 5)
/** A registered enhanced code whose registry entry does not list this reply code. */
#define SMTPSTATUS_ANOMALY_UNUSUAL_PAIRING (1u << 6)
/** The reply code is defined by no standard (e.g. 571), or its second digit is over 5. */
#define SMTPSTATUS_ANOMALY_UNKNOWN_CODE (1u << 7)
/** A line ended in a bare LF instead of CRLF. */
#define SMTPSTATUS_ANOMALY_BARE_LF (1u << 8)
/** A line is longer than RFC 5321 §4.5.3.1.5's 512 octets. */
#define SMTPSTATUS_ANOMALY_LONG_LINE (1u << 9)
/** The text has bytes outside printable US-ASCII (RFC 5321 textstring). */
#define SMTPSTATUS_ANOMALY_8BIT (1u << 10)
/** An enhanced code on a reply RFC 2034 §3 says should not carry one (3xx). */
#define SMTPSTATUS_ANOMALY_ENHANCED_ON_3XX (1u << 11)
/**
 * Lenient mode: a continuation line ("550-...") had nothing after it; the
 * reply is returned as far as it goes.
 */
#define SMTPSTATUS_ANOMALY_TRUNCATED (1u << 12)

/** Longest reply line accepted, in bytes, terminator included. Longer gives SMTPSTATUS_E_TOO_LONG. */
#define SMTPSTATUS_REPLY_LINE_MAX 8192
/** Most lines accepted in one reply. More gives SMTPSTATUS_E_TOO_MANY. */
#define SMTPSTATUS_REPLY_LINES_MAX 1000

/**
 * A parsed reply. Set `size` to `sizeof(struct smtpstatus_reply)` before
 * the call (SMTPSTATUS_REPLY_INIT); the library writes only within it.
 * @since 0.1.0
 */
struct smtpstatus_reply {
    size_t size;
    /** The reply code, e.g. 550. */
    uint16_t code;
    /** The number of lines. */
    uint16_t line_count;
    /** SMTPSTATUS_ANOMALY_* bits. */
    uint32_t anomalies;
    /** enum smtpstatus_stage the text says the reply answered, or 0. */
    uint32_t stage;
    /** The flags the reply was parsed with (smtpstatus_reply_next_line() needs them). */
    uint32_t parse_flags;
    /** Whether `enhanced` holds a code. */
    bool has_enhanced;
    /** The enhanced code: the one after the first line's reply code, or else the first found in the text. */
    struct smtpstatus_enhanced enhanced;
    /** Where `enhanced` was found. */
    struct smtpstatus_span enhanced_span;
    /** The whole reply, from the first code to the end of the last line's text. */
    struct smtpstatus_span span;
    /** The first line's text, after the reply code and the enhanced code. */
    struct smtpstatus_span text;
    /**
     * Bytes used: up to and including the last line's terminator (the next
     * reply, if pipelined, starts here). In lenient mode, the end of the
     * last line the reply occupies, its terminator included, so a caller
     * can step through a log one reply at a time.
     */
    size_t consumed;
    /** On an error, the offset of the byte where parsing stopped; on success, 0. */
    size_t error_offset;
};

/** Initialiser that sets the size member. @since 0.1.0 */
#define SMTPSTATUS_REPLY_INIT { sizeof(struct smtpstatus_reply), 0, 0, 0, 0, 0, false, \
    { 0, 0, 0, 0 }, { 0, 0 }, { 0, 0 }, { 0, 0 }, 0, 0 }

/**
 * Parse an SMTP reply, single- or multi-line.
 *
 * RFC 5321 §4.2: every line but the last is the code and a `-`; the last
 * is the code and a space (or nothing). RFC 2034 §3: with
 * ENHANCEDSTATUSCODES, the text of each line starts with the enhanced code.
 *
 * @param[in]  buf,len  the bytes; need not be NUL-terminated.
 * @param[in]  flags    SMTPSTATUS_REPLY_* bits.
 * @param[out] out      filled within `out->size`. On an error, `code`,
 *                      `error_offset` and `consumed` (0) are set.
 * @returns SMTPSTATUS_OK;
 *          SMTPSTATUS_INCOMPLETE (default mode: read more and call again);
 *          SMTPSTATUS_E_SYNTAX, SMTPSTATUS_E_BAD_CODE (first digit not
 *          2-5), SMTPSTATUS_E_TRUNCATED (with SMTPSTATUS_REPLY_AT_EOF),
 *          SMTPSTATUS_E_TOO_LONG,
 *          SMTPSTATUS_E_TOO_MANY, with out->error_offset;
 *          SMTPSTATUS_E_NOT_FOUND (lenient mode: no reply in the text);
 *          SMTPSTATUS_E_STRUCT_SIZE; SMTPSTATUS_E_INVALID_ARG.
 * @since 0.1.0
 */
SMTPSTATUS_API int smtpstatus_parse_reply(const char *buf, size_t len, unsigned flags,
                                          struct smtpstatus_reply *out);

/**
 * Step through the lines of a parsed reply.
 *
 * Start with `*cursor = 0`. Each call gives the text of the next line (the
 * bytes after the reply code, its separator and, when present, the
 * enhanced code and the spaces after it) and advances the cursor.
 *
 * @param[in]     buf,len  the buffer given to smtpstatus_parse_reply().
 * @param[in]     reply    the result of that call.
 * @param[in,out] cursor   state between calls; start at 0.
 * @param[out]    text     the line's text.
 * @returns SMTPSTATUS_OK with a line; SMTPSTATUS_E_NOT_FOUND when there
 *          are no more lines; SMTPSTATUS_E_INVALID_ARG.
 * @since 0.1.0
 */
SMTPSTATUS_API int smtpstatus_reply_next_line(const char *buf, size_t len,
                                              const struct smtpstatus_reply *reply, size_t *cursor,
                                              struct smtpstatus_span *text);

/** @} */

/* ------------------------------------------------------------------------ */
/** @name Plain-words explanations                                           */
/* ------------------------------------------------------------------------ */
/** @{ */

/**
 * One or two sentences on what an enhanced status code means, from the
 * registry: its class, subject and (when registered) its title and
 * description; an unregistered detail is said to be provider-specific.
 *
 * snprintf() semantics: at most `size - 1` bytes and a NUL are written;
 * the return value is the full length, so a caller can size a buffer.
 *
 * @returns the length of the full text, or SMTPSTATUS_E_BAD_CODE,
 *          SMTPSTATUS_E_INVALID_ARG.
 * @since 0.1.0
 */
SMTPSTATUS_API int smtpstatus_explain_enhanced(const struct smtpstatus_enhanced *code, char *buf,
                                               size_t size);

/**
 * One or two sentences on what a reply code means (as
 * smtpstatus_explain_enhanced()).
 * @returns the length of the full text, or SMTPSTATUS_E_BAD_CODE,
 *          SMTPSTATUS_E_INVALID_ARG.
 * @since 0.1.0
 */
SMTPSTATUS_API int smtpstatus_explain_reply_code(unsigned code, char *buf, size_t size);

/**
 * A short paragraph on a parsed reply: the reply code's meaning, the
 * enhanced code's meaning, and the anomalies found.
 *
 * @param[in] input,len  the buffer the reply was parsed from.
 * @param[in] reply      the parsed reply.
 * @param[out] buf       where the text goes; may be NULL when size is 0.
 * @param[in] size       the size of buf.
 * @returns the length of the full text, or SMTPSTATUS_E_INVALID_ARG.
 * @since 0.1.0
 */
SMTPSTATUS_API int smtpstatus_explain_reply(const char *input, size_t len,
                                            const struct smtpstatus_reply *reply, char *buf,
                                            size_t size);

/** @} */

/* ------------------------------------------------------------------------ */
/** @name Classification                                                     */
/* ------------------------------------------------------------------------ */
/** @{ */

/**
 * What happened, by the reply's class (RFC 5321 §4.2.1). The values are
 * the protocol's digits.
 * @since 0.1.0
 */
enum smtpstatus_outcome {
    SMTPSTATUS_OUTCOME_UNKNOWN = 0,
    SMTPSTATUS_OUTCOME_SUCCESS = 2,
    SMTPSTATUS_OUTCOME_INTERMEDIATE = 3,
    SMTPSTATUS_OUTCOME_TRANSIENT = 4,
    SMTPSTATUS_OUTCOME_PERMANENT = 5,
};

/**
 * The bounce type a list manager cares about.
 * @since 0.1.0
 */
enum smtpstatus_bounce {
    /** Not a failure (success, intermediate reply, auto-reply, complaint). */
    SMTPSTATUS_BOUNCE_NONE = 0,
    /** A failure that says nothing against the address: keep it. */
    SMTPSTATUS_BOUNCE_SOFT = 1,
    /** A permanent failure because the recipient address itself is dead. */
    SMTPSTATUS_BOUNCE_HARD = 2,
};

/**
 * Why a message failed (or that it did not). Stable, append-only; the names
 * (smtpstatus_reason_name()) are stable too. The reference page generated at
 * build time (reference.md) describes each, as smtpstatus_reason_info() does.
 * @since 0.1.0
 */
enum smtpstatus_reason {
    SMTPSTATUS_REASON_UNKNOWN = 0,
    SMTPSTATUS_REASON_DELIVERED = 1,
    SMTPSTATUS_REASON_RECIPIENT_UNKNOWN = 2,
    SMTPSTATUS_REASON_RECIPIENT_MOVED = 3,
    SMTPSTATUS_REASON_MAILBOX_DISABLED = 4,
    SMTPSTATUS_REASON_DOMAIN_UNKNOWN = 5,
    SMTPSTATUS_REASON_ADDRESS_INVALID = 6,
    SMTPSTATUS_REASON_MAILBOX_FULL = 7,
    SMTPSTATUS_REASON_MESSAGE_TOO_LARGE = 8,
    SMTPSTATUS_REASON_SYSTEM_FULL = 9,
    SMTPSTATUS_REASON_GREYLISTED = 10,
    SMTPSTATUS_REASON_RATE_LIMITED = 11,
    SMTPSTATUS_REASON_TOO_MANY_RECIPIENTS = 12,
    SMTPSTATUS_REASON_BLOCKLISTED = 13,
    SMTPSTATUS_REASON_SPAM_CONTENT = 14,
    SMTPSTATUS_REASON_VIRUS = 15,
    /** SPF, DKIM, DMARC or ARC did not pass. */
    SMTPSTATUS_REASON_AUTH_FAILURE = 16,
    SMTPSTATUS_REASON_REVERSE_DNS = 17,
    SMTPSTATUS_REASON_TLS_REQUIRED = 18,
    SMTPSTATUS_REASON_RELAY_DENIED = 19,
    SMTPSTATUS_REASON_SENDER_REJECTED = 20,
    SMTPSTATUS_REASON_POLICY = 21,
    SMTPSTATUS_REASON_CONTENT_INVALID = 22,
    SMTPSTATUS_REASON_PROTOCOL_ERROR = 23,
    SMTPSTATUS_REASON_DNS_FAILURE = 24,
    SMTPSTATUS_REASON_CONNECTION_FAILURE = 25,
    SMTPSTATUS_REASON_ROUTING_ERROR = 26,
    SMTPSTATUS_REASON_SYSTEM_ERROR = 27,
    SMTPSTATUS_REASON_EXPIRED = 28,
    SMTPSTATUS_REASON_AUTO_REPLY = 29,
    SMTPSTATUS_REASON_COMPLAINT = 30,
    SMTPSTATUS_REASON_SUPPRESSED = 31,
    /** The host or domain accepts no mail at all (RFC 7504 521/556, RFC 7505 null MX). */
    SMTPSTATUS_REASON_NOT_ACCEPTING = 32,
    /**
     * Refused by the recipient's filter after the recipient was accepted:
     * an "unknown user" in reply to DATA or to the end of the message
     * comes from a content filter, a gateway or a personal reception
     * setting, not from the mailbox directory. Not a dead address.
     * @since 0.1.0
     */
    SMTPSTATUS_REASON_FILTERED = 33,
    /**
     * The recipient asked to be taken off the list: a mail client's
     * unsubscribe request sent to a List-Unsubscribe mailto: address
     * (RFC 2369 §3.2), recognised by Apple Mail's X-Apple-Unsubscribe
     * header. Not a bounce and not a complaint; stop mailing the address.
     * @since 0.1.0
     */
    SMTPSTATUS_REASON_UNSUBSCRIBE_REQUEST = 34,
};

/**
 * Who must act.
 * @since 0.1.0
 */
enum smtpstatus_party {
    SMTPSTATUS_PARTY_UNKNOWN = 0,
    /** The recipient (their address, mailbox or choices). */
    SMTPSTATUS_PARTY_RECIPIENT = 1,
    /** The recipient's mail system or its administrators. */
    SMTPSTATUS_PARTY_RECIPIENT_SYSTEM = 2,
    /** The network between the two (DNS, connectivity). */
    SMTPSTATUS_PARTY_NETWORK = 3,
    /** The sender's setup: DNS records, TLS, authentication, configuration. */
    SMTPSTATUS_PARTY_SENDER_SETUP = 4,
    /** The sender's reputation: IP or domain standing, volume, complaints. */
    SMTPSTATUS_PARTY_SENDER_REPUTATION = 5,
    /** The message content. */
    SMTPSTATUS_PARTY_CONTENT = 6,
};

/**
 * What the sender should do.
 * @since 0.1.0
 */
enum smtpstatus_action {
    SMTPSTATUS_ACTION_NONE = 0,
    /** Try again now (for example on the next connection). */
    SMTPSTATUS_ACTION_RETRY = 1,
    /** Try again after `retry_after` seconds; the queue does this by itself. */
    SMTPSTATUS_ACTION_RETRY_LATER = 2,
    /** Try again from another IP address or pool. */
    SMTPSTATUS_ACTION_RETRY_OTHER_IP = 3,
    /** Send more slowly to this destination (fewer connections, messages per hour). */
    SMTPSTATUS_ACTION_SLOW_DOWN = 4,
    /** Send the recipients of this transaction in smaller batches. */
    SMTPSTATUS_ACTION_SPLIT_RECIPIENTS = 5,
    /** Change the message (size, content, format) before sending again. */
    SMTPSTATUS_ACTION_FIX_MESSAGE = 6,
    /** Fix the sending setup (SPF, DKIM, DMARC, PTR, TLS, relay, credentials). */
    SMTPSTATUS_ACTION_FIX_SENDER_SETUP = 7,
    /** Remove the address from the list: it is dead, or its owner complained. */
    SMTPSTATUS_ACTION_SUPPRESS_RECIPIENT = 8,
    /** Nothing to do (an auto-reply). */
    SMTPSTATUS_ACTION_IGNORE = 9,
    /** Do not retry this message; the address itself is not at fault. */
    SMTPSTATUS_ACTION_STOP = 10,
};

/**
 * What kind of rule decided.
 * @since 0.1.0
 */
enum smtpstatus_evidence_kind {
    SMTPSTATUS_EVIDENCE_NONE = 0,
    /** A default for the enhanced status code. */
    SMTPSTATUS_EVIDENCE_ENHANCED_CODE = 1,
    /** A default for the reply code. */
    SMTPSTATUS_EVIDENCE_REPLY_CODE = 2,
    /** A phrase in the text. */
    SMTPSTATUS_EVIDENCE_TEXT = 3,
    /** A rule of a recognised provider (Gmail, Microsoft, Yahoo, ...). */
    SMTPSTATUS_EVIDENCE_PROVIDER = 4,
    /** The class digit alone. */
    SMTPSTATUS_EVIDENCE_CLASS = 5,
    /**
     * The SMTP command the reply answered turned the reason (RFC 5321 §3.3):
     * a refusal of MAIL FROM is about the sender, one of the greeting or EHLO
     * about the client, an "unknown user" after DATA comes from a filter. It
     * comes first, before the evidence it overrode; its span is empty.
     * @since 0.1.0
     */
    SMTPSTATUS_EVIDENCE_STAGE = 6,
};

/**
 * One piece of evidence: a rule that matched.
 * @since 0.1.0
 */
struct smtpstatus_evidence {
    /** enum smtpstatus_evidence_kind. */
    uint32_t kind;
    /** enum smtpstatus_reason the rule points to. */
    uint32_t reason;
    /** 1 to 100: how sure the rule is; the highest wins. */
    uint32_t confidence;
    /** The rule's stable id, e.g. "text.en.user-unknown" (static string). */
    const char *rule;
    /** Where the rule comes from, e.g. "RFC 3463 §3.2" (static string). */
    const char *source;
    /** The bytes of the input it matched (the phrase or the code); empty for a class default. */
    struct smtpstatus_span span;
};

/** The most evidence items a verdict holds. */
#define SMTPSTATUS_EVIDENCE_MAX 4

/** retry_after was read from the text ("try again in 5 minutes"). @since 0.1.0 */
#define SMTPSTATUS_VERDICT_DELAY_FROM_TEXT (1u << 0)
/** There was no reply or enhanced code; the outcome was inferred from the reason. @since 0.1.0 */
#define SMTPSTATUS_VERDICT_OUTCOME_INFERRED (1u << 1)
/**
 * A 552 meaning "too many recipients" was taken as transient, as RFC 5321
 * §4.5.3.1.10 asks of clients. @since 0.1.0
 */
#define SMTPSTATUS_VERDICT_552_AS_452 (1u << 2)
/** The enhanced code's class contradicts the reply code; the reply code decided the outcome (RFC 2034 §3). @since 0.1.0 */
#define SMTPSTATUS_VERDICT_CLASS_MISMATCH (1u << 3)

/**
 * What a sender should make of a reply. Set `size` first
 * (SMTPSTATUS_VERDICT_INIT); the library writes only within it.
 * @since 0.1.0
 */
struct smtpstatus_verdict {
    size_t size;
    /** enum smtpstatus_outcome. */
    uint32_t outcome;
    /** enum smtpstatus_bounce. */
    uint32_t bounce;
    /** enum smtpstatus_reason. */
    uint32_t reason;
    /** enum smtpstatus_party. */
    uint32_t party;
    /** enum smtpstatus_action. */
    uint32_t action;
    /** Seconds to wait before the next try when the action retries; 0 otherwise. */
    uint32_t retry_after;
    /** SMTPSTATUS_VERDICT_* bits. */
    uint32_t flags;
    /** The confidence of the deciding rule, 0 to 100. */
    uint32_t confidence;
    /** The reply code used, or 0. */
    uint16_t reply_code;
    /** Whether `enhanced` holds the code used. */
    bool has_enhanced;
    /** The enhanced code used. */
    struct smtpstatus_enhanced enhanced;
    /** enum smtpstatus_stage used (given, or read from the text). */
    uint32_t stage;
    /** The key of the recognised provider ("gmail", "microsoft", ...), or NULL. */
    const char *provider;
    /** The reason in sisimai's taxonomy ("userunknown", "blocked", ...). */
    const char *sisimai_reason;
    /** The PowerMTA bounce category ("bad-mailbox", "spam-related", ...). */
    const char *powermta_category;
    /** The SparkPost / Momentum bounce class number (10 invalid recipient, ...). */
    uint32_t sparkpost_class;
    /** How many items of `evidence` are set; evidence[0] decided. */
    uint32_t evidence_count;
    /** The deciding rule first, then the strongest others. */
    struct smtpstatus_evidence evidence[SMTPSTATUS_EVIDENCE_MAX];
};

/** Initialiser that sets the size member. @since 0.1.0 */
#define SMTPSTATUS_VERDICT_INIT { sizeof(struct smtpstatus_verdict), 0, 0, 0, 0, 0, 0, 0, 0, 0, \
    false, { 0, 0, 0, 0 }, 0, NULL, NULL, NULL, 0, 0, { { 0, 0, 0, NULL, NULL, { 0, 0 } } } }

/**
 * Everything the classifier may use, for callers that hold the facts apart
 * (a DSN's Status and Diagnostic-Code, a log's dsn= field). Set `size`
 * first (SMTPSTATUS_CLASSIFY_INPUT_INIT); unset members are "unknown".
 * @since 0.1.0
 */
struct smtpstatus_classify_input {
    size_t size;
    /** The text to read: the reply, a log line or a Diagnostic-Code. May be NULL if text_len is 0. */
    const char *text;
    size_t text_len;
    /** The reply code, or 0. */
    uint16_t reply_code;
    /** Whether `enhanced` is set. */
    bool has_enhanced;
    struct smtpstatus_enhanced enhanced;
    /** enum smtpstatus_stage, or 0. */
    uint32_t stage;
    /**
     * A host name that identifies the receiving provider (the remote MTA,
     * the MX, or the recipient's domain), or NULL. Need not be
     * NUL-terminated.
     */
    const char *host;
    size_t host_len;
};

/** Initialiser that sets the size member. @since 0.1.0 */
#define SMTPSTATUS_CLASSIFY_INPUT_INIT { sizeof(struct smtpstatus_classify_input), NULL, 0, 0, \
    false, { 0, 0, 0, 0 }, 0, NULL, 0 }

/**
 * Classify from separate facts.
 *
 * Every rule that matches proposes a reason with a confidence; the highest
 * confidence wins, and on a tie provider rules beat text rules, which beat
 * enhanced-code defaults, which beat reply-code defaults. The confidences
 * (lib/data/rules.tsv) encode the precedence: a provider's documented
 * meaning beats everything; a clear phrase ("user unknown", "mailbox
 * full") beats a generic code (X.0.0, X.y.0) and beats a specific code that
 * servers are known to misuse; a specific reliable code beats a weak phrase.
 * The outcome comes from the reply code, else the enhanced class (RFC 2034
 * §3: when they disagree the reply code decides). docs/classification.md
 * has the details.
 *
 * Matching is one pass over the text with tables compiled at build time:
 * time linear in the input, no allocation, byte-safe on any input (ASCII
 * letters compare case-insensitively, other bytes exactly).
 *
 * @returns SMTPSTATUS_OK; SMTPSTATUS_E_STRUCT_SIZE; SMTPSTATUS_E_INVALID_ARG.
 * @since 0.1.0
 */
SMTPSTATUS_API int smtpstatus_classify(const struct smtpstatus_classify_input *input,
                                       struct smtpstatus_verdict *out);

/**
 * Classify a parsed reply (all of its lines).
 *
 * @param[in] buf,len  the buffer the reply was parsed from.
 * @param[in] reply    the parsed reply.
 * @param[in] stage    enum smtpstatus_stage the reply answered, or 0 to use
 *                     the one the parser read from the text.
 * @param[out] out     the verdict.
 * @returns as smtpstatus_classify().
 * @since 0.1.0
 */
SMTPSTATUS_API int smtpstatus_classify_reply(const char *buf, size_t len,
                                             const struct smtpstatus_reply *reply, int stage,
                                             struct smtpstatus_verdict *out);

/**
 * Classify free text: a reply, a log line or a DSN field. The reply in it
 * is found as SMTPSTATUS_REPLY_LENIENT does; when there is none, the first
 * enhanced code in the text (a log's `dsn=5.1.1`) is used, and failing that
 * the words alone.
 * @returns as smtpstatus_classify().
 * @since 0.1.0
 */
SMTPSTATUS_API int smtpstatus_classify_text(const char *buf, size_t len, int stage,
                                            struct smtpstatus_verdict *out);

/** The name of a reason, e.g. "recipient_unknown"; "unknown" for unknown values. @since 0.1.0 */
SMTPSTATUS_API const char *smtpstatus_reason_name(int reason);
/** The reason with that name, or SMTPSTATUS_REASON_UNKNOWN. @since 0.1.0 */
SMTPSTATUS_API int smtpstatus_reason_from_name(const char *buf, size_t len);
/** "success", "intermediate", "transient", "permanent" or "unknown". @since 0.1.0 */
SMTPSTATUS_API const char *smtpstatus_outcome_name(int outcome);
/** "none", "soft" or "hard". @since 0.1.0 */
SMTPSTATUS_API const char *smtpstatus_bounce_name(int bounce);
/** "recipient", "recipient_system", "network", "sender_setup", "sender_reputation", "content" or "unknown". @since 0.1.0 */
SMTPSTATUS_API const char *smtpstatus_party_name(int party);
/** "none", "retry", "retry_later", "retry_other_ip", "slow_down", "split_recipients", "fix_message", "fix_sender_setup", "suppress_recipient", "ignore", "stop". @since 0.1.0 */
SMTPSTATUS_API const char *smtpstatus_action_name(int action);
/** "enhanced_code", "reply_code", "text", "provider", "class" or "none". @since 0.1.0 */
SMTPSTATUS_API const char *smtpstatus_evidence_kind_name(int kind);

/**
 * What the library knows about a reason, for documentation and bindings.
 * Set `size` first (SMTPSTATUS_REASON_INFO_INIT).
 * @since 0.1.0
 */
struct smtpstatus_reason_info {
    size_t size;
    /** enum smtpstatus_reason. */
    uint32_t reason;
    /** enum smtpstatus_party. */
    uint32_t party;
    /** Whether a permanent failure for this reason means the address is dead. */
    bool address_dead;
    /** enum smtpstatus_action for a transient and for a permanent failure. */
    uint32_t transient_action;
    uint32_t permanent_action;
    /** Default seconds before the next try. */
    uint32_t default_delay;
    /** The stable name. */
    const char *name;
    /** The other taxonomies' names for it. */
    const char *sisimai_reason;
    const char *powermta_category;
    uint32_t sparkpost_class;
    /** Plain words: a title, what it means, likely causes, what to do. */
    const char *title;
    const char *meaning;
    const char *causes;
    const char *remedy;
};

/** Initialiser that sets the size member. @since 0.1.0 */
#define SMTPSTATUS_REASON_INFO_INIT { sizeof(struct smtpstatus_reason_info), 0, 0, false, 0, 0, 0, \
    NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL }

/**
 * Describe a reason.
 * @returns SMTPSTATUS_OK; SMTPSTATUS_E_NOT_FOUND for a value that is not a
 *          reason; SMTPSTATUS_E_STRUCT_SIZE; SMTPSTATUS_E_INVALID_ARG.
 * @since 0.1.0
 */
SMTPSTATUS_API int smtpstatus_reason_info(int reason, struct smtpstatus_reason_info *info);

/** The number of reasons (the highest value plus one). @since 0.1.0 */
SMTPSTATUS_API size_t smtpstatus_reason_count(void);

/**
 * A short paragraph for a person: what happened, why (the evidence), who
 * must act and what to do, with the advice for the enhanced code.
 * snprintf() semantics.
 *
 * @param[in] input,len  the text that was classified (the evidence spans
 *                      point into it); may be NULL with len 0.
 * @param[in] verdict    a verdict from one of the classify functions.
 * @param[out] buf       where the text goes; may be NULL when size is 0.
 * @param[in] size       the size of buf.
 * @returns the length of the full text, or SMTPSTATUS_E_INVALID_ARG.
 * @since 0.1.0
 */
SMTPSTATUS_API int smtpstatus_explain_verdict(const char *input, size_t len,
                                              const struct smtpstatus_verdict *verdict, char *buf,
                                              size_t size);

/** @} */

/* ------------------------------------------------------------------------ */
/** @name Retry advice                                                       */
/* ------------------------------------------------------------------------ */
/** @{ */

/**
 * When to try again (the `decision` member of struct smtpstatus_retry).
 * @since 0.1.0
 */
enum smtpstatus_retry_decision {
    /** Nothing to retry: the message was delivered, or it is not a failure. */
    SMTPSTATUS_RETRY_NONE = 0,
    /** Try again after `delay` seconds. */
    SMTPSTATUS_RETRY_AT = 1,
    /** Stop trying and return the message to its sender. */
    SMTPSTATUS_RETRY_GIVE_UP = 2,
};

/**
 * Retry advice. Set `size` first (SMTPSTATUS_RETRY_INIT).
 * @since 0.1.0
 */
struct smtpstatus_retry {
    size_t size;
    /** enum smtpstatus_retry_decision. */
    uint32_t decision;
    /** With SMTPSTATUS_RETRY_AT: seconds from now. */
    uint32_t delay;
    /** How long, in seconds since the first attempt, this kind of failure is worth retrying. */
    uint32_t give_up_after;
};

/** Initialiser that sets the size member. @since 0.1.0 */
#define SMTPSTATUS_RETRY_INIT { sizeof(struct smtpstatus_retry), 0, 0, 0 }

/**
 * Say when to try next, or to give up.
 *
 * The schedule follows RFC 5321 §4.5.4.1 (at least 30 minutes between tries
 * of an ordinary transient failure; give up after 4 to 5 days), adjusted by
 * the reason: greylisting is retried after minutes, rate limits back off
 * exponentially, a full mailbox is retried over hours and given up after 3
 * days, permanent failures are not retried. docs/retry.md has the table.
 *
 * @param[in] verdict     the verdict of the last attempt.
 * @param[in] queued_for  seconds since the message was first tried.
 * @param[in] attempts    attempts made so far (0 is read as 1).
 * @param[out] out        the advice.
 * @returns SMTPSTATUS_OK; SMTPSTATUS_E_STRUCT_SIZE; SMTPSTATUS_E_INVALID_ARG.
 * @since 0.1.0
 */
SMTPSTATUS_API int smtpstatus_retry_advice(const struct smtpstatus_verdict *verdict,
                                           uint64_t queued_for, uint32_t attempts,
                                           struct smtpstatus_retry *out);

/** @} */

/* ------------------------------------------------------------------------ */
/** @name Bounce messages (RFC 3464, RFC 6522, RFC 6533, RFC 5965, RFC 3834) */
/* ------------------------------------------------------------------------ */
/** @{ */

/**
 * A run of bytes in the input message or in the caller's scratch buffer.
 *
 * DSN results need two bases: most fields point into the message itself,
 * but text that had to be decoded first (base64 or quoted-printable parts)
 * lives in the scratch buffer the caller lends. Both belong to the caller
 * and stay valid as long as they do; nothing is ever allocated. An absent
 * field has `ptr == NULL` and `len == 0`.
 * @since 0.1.0
 */
struct smtpstatus_text {
    const char *ptr;
    size_t len;
};

/**
 * What kind of message was read.
 * @since 0.1.0
 */
enum smtpstatus_message_kind {
    /** Not a report of any kind: an ordinary message. */
    SMTPSTATUS_MESSAGE_ORDINARY = 0,
    /** A bounce: at least one recipient failed or is delayed. */
    SMTPSTATUS_MESSAGE_BOUNCE = 1,
    /** A DSN reporting only successes (delivered, relayed, expanded). */
    SMTPSTATUS_MESSAGE_DELIVERY_REPORT = 2,
    /** Feedback from a recipient, not a bounce: a feedback-loop report
     *  (ARF, RFC 5965), a complaint; or a mail client's unsubscribe request. */
    SMTPSTATUS_MESSAGE_FEEDBACK = 3,
    /** An automatic reply (RFC 3834, vacation): not a bounce. */
    SMTPSTATUS_MESSAGE_AUTO_REPLY = 4,
};

/**
 * The RFC 3464 §2.3.3 Action of a recipient (the `action` member).
 * @since 0.1.0
 */
enum smtpstatus_dsn_action {
    SMTPSTATUS_DSN_ACTION_NONE = 0,
    SMTPSTATUS_DSN_ACTION_FAILED = 1,
    SMTPSTATUS_DSN_ACTION_DELAYED = 2,
    SMTPSTATUS_DSN_ACTION_DELIVERED = 3,
    SMTPSTATUS_DSN_ACTION_RELAYED = 4,
    SMTPSTATUS_DSN_ACTION_EXPANDED = 5,
};

/**
 * Which decoder found a recipient (the `decoder` member); names from
 * smtpstatus_decoder_name().
 * @since 0.1.0
 */
enum smtpstatus_decoder {
    SMTPSTATUS_DECODER_NONE = 0,
    /** A message/delivery-status or message/global-delivery-status part. */
    SMTPSTATUS_DECODER_RFC3464 = 1,
    /** A message/feedback-report part. */
    SMTPSTATUS_DECODER_ARF = 2,
    /** Auto-Submitted and the other auto-reply signs. */
    SMTPSTATUS_DECODER_RFC3834 = 3,
    SMTPSTATUS_DECODER_POSTFIX = 4,
    SMTPSTATUS_DECODER_EXIM = 5,
    SMTPSTATUS_DECODER_SENDMAIL = 6,
    SMTPSTATUS_DECODER_QMAIL = 7,
    SMTPSTATUS_DECODER_COURIER = 8,
    SMTPSTATUS_DECODER_EXCHANGE = 9,
    SMTPSTATUS_DECODER_GMAIL = 10,
    SMTPSTATUS_DECODER_YAHOO = 11,
    SMTPSTATUS_DECODER_AMAZON_SES = 12,
    SMTPSTATUS_DECODER_OPENSMTPD = 13,
    SMTPSTATUS_DECODER_MDAEMON = 14,
    SMTPSTATUS_DECODER_IMAIL = 15,
    SMTPSTATUS_DECODER_DOMINO = 16,
    /** The generic layouts: "original message follows", an address and a reply. */
    SMTPSTATUS_DECODER_GENERIC = 17,
    /** A mail client's unsubscribe request (Apple Mail's X-Apple-Unsubscribe). @since 0.1.0 */
    SMTPSTATUS_DECODER_UNSUBSCRIBE = 18,
};

/** The name of a decoder ("rfc3464", "postfix", ...), "none" for unknown values. @since 0.1.0 */
SMTPSTATUS_API const char *smtpstatus_decoder_name(int decoder);
/** The name of a message kind ("bounce", "feedback", ...). @since 0.1.0 */
SMTPSTATUS_API const char *smtpstatus_message_kind_name(int kind);
/** The name of a DSN action ("failed", "delayed", ...), "none" for unknown values. @since 0.1.0 */
SMTPSTATUS_API const char *smtpstatus_dsn_action_name(int action);

/** Status (or the class of a bounce without one) and the Diagnostic-Code's codes disagree. @since 0.1.0 */
#define SMTPSTATUS_DSN_STATUS_MISMATCH (1u << 0)
/** The recipient comes from the human-readable text, not a delivery-status field. @since 0.1.0 */
#define SMTPSTATUS_DSN_FROM_TEXT (1u << 1)
/** Action was not one of RFC 3464's five; it was mapped (failure, expired, deliverable). @since 0.1.0 */
#define SMTPSTATUS_DSN_ACTION_NONSTANDARD (1u << 2)

/**
 * One recipient of a report. Set `size` of the FIRST element of the array
 * to `sizeof(struct smtpstatus_dsn_recipient)` (SMTPSTATUS_DSN_RECIPIENT_INIT):
 * it is also the stride between elements, so an older program with a
 * smaller struct keeps working.
 * @since 0.1.0
 */
struct smtpstatus_dsn_recipient {
    size_t size;
    /**
     * Final-Recipient's address (type prefix and angle brackets removed).
     * When Final-Recipient is a pipe or a file ("|/usr/bin/filter", as
     * Exim reports a local delivery), the one address of the message's
     * X-Failed-Recipients header when it names exactly one; the raw field
     * stays in `fields`.
     */
    struct smtpstatus_text recipient;
    /** Final-Recipient's address type, e.g. "rfc822", "utf-8". */
    struct smtpstatus_text recipient_type;
    /** Original-Recipient's address, if given. */
    struct smtpstatus_text original_recipient;
    /** enum smtpstatus_dsn_action. */
    uint32_t action;
    /** SMTPSTATUS_DSN_* bits. */
    uint32_t flags;
    /** enum smtpstatus_decoder. */
    uint32_t decoder;
    /** The SMTP stage that failed, when the report says. */
    uint32_t stage;
    /** Whether `status` holds the Status field (or the code the text gave). */
    bool has_status;
    struct smtpstatus_enhanced status;
    /** The reply code in the Diagnostic-Code (or the text), or 0. */
    uint16_t reply_code;
    /** Remote-MTA's name (type removed). */
    struct smtpstatus_text remote_mta;
    /** The Diagnostic-Code text after its type ("smtp;"), folds kept. */
    struct smtpstatus_text diagnostic;
    /** The Diagnostic-Code's type, e.g. "smtp", "X-Postfix". */
    struct smtpstatus_text diagnostic_type;
    struct smtpstatus_text last_attempt_date;
    struct smtpstatus_text will_retry_until;
    struct smtpstatus_text final_log_id;
    /**
     * The whole per-recipient block of fields, for reading the fields this
     * struct does not hold (X- extensions) with smtpstatus_next_field().
     */
    struct smtpstatus_text fields;
    /**
     * The classifier's verdict for this recipient. Its evidence spans are
     * offsets into `diagnostic`; they are empty (0, 0) when the words came
     * from elsewhere: the Status field's comment, or, with no
     * Diagnostic-Code, the report's text for people.
     */
    struct smtpstatus_verdict verdict;
};

/** Initialiser that sets the size member. @since 0.1.0 */
#define SMTPSTATUS_DSN_RECIPIENT_INIT { sizeof(struct smtpstatus_dsn_recipient), { NULL, 0 }, \
    { NULL, 0 }, { NULL, 0 }, 0, 0, 0, 0, false, { 0, 0, 0, 0 }, 0, { NULL, 0 }, { NULL, 0 }, \
    { NULL, 0 }, { NULL, 0 }, { NULL, 0 }, { NULL, 0 }, { NULL, 0 }, SMTPSTATUS_VERDICT_INIT }

/**
 * What a report says about the message as a whole. Set `size` first
 * (SMTPSTATUS_DSN_INIT).
 * @since 0.1.0
 */
struct smtpstatus_dsn {
    size_t size;
    /** enum smtpstatus_message_kind. */
    uint32_t kind;
    /** enum smtpstatus_decoder that found the recipients. */
    uint32_t decoder;
    /** Recipients found (may exceed the array given; see smtpstatus_parse_dsn()). */
    uint32_t recipient_count;
    /** Bytes of scratch used, or needed when the call said SMTPSTATUS_E_NO_SPACE. */
    size_t scratch_used;
    /** Per-message DSN fields (RFC 3464 §2.2), type prefixes removed. */
    struct smtpstatus_text reporting_mta;
    struct smtpstatus_text received_from_mta;
    struct smtpstatus_text arrival_date;
    struct smtpstatus_text original_envelope_id;
    /** The report's own Subject and From. */
    struct smtpstatus_text subject;
    struct smtpstatus_text from;
    /** From the returned message (message/rfc822 or text/rfc822-headers part). */
    struct smtpstatus_text original_message_id;
    struct smtpstatus_text original_from;
    struct smtpstatus_text original_to;
    struct smtpstatus_text original_subject;
    /** ARF (RFC 5965 §3.1) Feedback-Type, e.g. "abuse". */
    struct smtpstatus_text feedback_type;
};

/** Initialiser that sets the size member. @since 0.1.0 */
#define SMTPSTATUS_DSN_INIT { sizeof(struct smtpstatus_dsn), 0, 0, 0, 0, { NULL, 0 }, { NULL, 0 }, \
    { NULL, 0 }, { NULL, 0 }, { NULL, 0 }, { NULL, 0 }, { NULL, 0 }, { NULL, 0 }, { NULL, 0 }, \
    { NULL, 0 }, { NULL, 0 } }

/** Most MIME nesting followed; deeper parts are not read. @since 0.1.0 */
#define SMTPSTATUS_DSN_MIME_DEPTH_MAX 16
/** Longest header field (folded lines included) read in full, in bytes. @since 0.1.0 */
#define SMTPSTATUS_DSN_FIELD_MAX 65536

/**
 * Read a bounce message (or a feedback report, an auto-reply, a success
 * DSN) and classify every recipient it reports.
 *
 * The message is the whole of it, headers and body, with CRLF, LF or CR
 * line endings. MIME (RFC 2045-2047) is followed through nested
 * multiparts; base64 and quoted-printable parts that matter are decoded
 * into `scratch`. A multipart/report with a message/delivery-status or
 * message/global-delivery-status part (RFC 3464, RFC 6522, RFC 6533) is
 * read field by field; without one, the human-readable text is read by the
 * decoders for Postfix, Exim, Sendmail, qmail, Courier, Exchange, Gmail,
 * Yahoo, Amazon SES, OpenSMTPD, MDaemon, IMail, Domino and the generic
 * layouts. Each recipient's Diagnostic-Code goes through the reply parser
 * and the classifier. Work is linear in the size of the message.
 *
 * An ordinary message yields SMTPSTATUS_OK, kind SMTPSTATUS_MESSAGE_ORDINARY
 * and no recipients.
 *
 * @param[in]     buf,len  the message.
 * @param[in]     flags    must be 0.
 * @param[out]    dsn      what the message says as a whole.
 * @param[out]    rcpts    an array for the recipients; may be NULL if
 *                         `*nrcpts` is 0. rcpts[0].size must be set.
 * @param[in,out] nrcpts   in: the array's length; out: how many were
 *                         written.
 * @param[out]    scratch  room for decoded text; may be NULL if
 *                         `scratch_size` is 0. `len` bytes always suffice.
 * @param[in]     scratch_size  its size.
 * @returns SMTPSTATUS_OK;
 *          SMTPSTATUS_E_TOO_MANY when there are more recipients than room:
 *          the first `*nrcpts` are written and dsn->recipient_count says
 *          how many there are;
 *          SMTPSTATUS_E_NO_SPACE when the scratch buffer is too small:
 *          dsn->scratch_used says how much is needed (nothing else in the
 *          results is usable, and recipient_count may be low: a second call
 *          with enough scratch can still answer SMTPSTATUS_E_TOO_MANY);
 *          SMTPSTATUS_E_UNSUPPORTED when the library was built without
 *          DSN support (-Ddsn=disabled);
 *          SMTPSTATUS_E_STRUCT_SIZE; SMTPSTATUS_E_INVALID_ARG.
 * @since 0.1.0
 */
SMTPSTATUS_API int smtpstatus_parse_dsn(const char *buf, size_t len, unsigned flags,
                                        struct smtpstatus_dsn *dsn,
                                        struct smtpstatus_dsn_recipient *rcpts, size_t *nrcpts,
                                        char *scratch, size_t scratch_size);

/**
 * Step through the fields of a header block or a DSN field group (RFC 5322
 * §2.2: a field is "name: value", continued on lines that start with white
 * space).
 *
 * @param[in]     block   the fields, e.g. a recipient's `fields`.
 * @param[in,out] cursor  start at 0.
 * @param[out]    name    the field name.
 * @param[out]    value   the value, leading white space removed, folds kept.
 * @returns SMTPSTATUS_OK; SMTPSTATUS_E_NOT_FOUND after the last field;
 *          SMTPSTATUS_E_INVALID_ARG.
 * @since 0.1.0
 */
SMTPSTATUS_API int smtpstatus_next_field(const struct smtpstatus_text *block, size_t *cursor,
                                         struct smtpstatus_text *name,
                                         struct smtpstatus_text *value);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* SMTPSTATUS_H */
