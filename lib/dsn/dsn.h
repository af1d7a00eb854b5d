/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * The DSN reader's internal interfaces: what a decoder reads, what it
 * reports, and the sink that classifies each recipient and writes it into
 * the caller's array.
 */

#ifndef SMTPSTATUS_DSN_DSN_H
#define SMTPSTATUS_DSN_DSN_H

#include "mime.h"

/* Fields of the message's header block that only some decoders look at
 * (to tell their generator): smtpstatus__parse_dsn() reads them in its one
 * pass over the block (dsn.c top_names); a decoder run alone (tests, late
 * NULL) reads each when asked (text.c late_names). Both lists, and the
 * enum, come from this one: X(ID, name) for each field but Content-Type,
 * which the top-level pass reads for itself and which comes last. */
#define SMTPSTATUS__LATE_FIELDS(X)                                 \
    X(X_MS_EMBEDDED_REPORT, "x-ms-embedded-report")                \
    X(X_MAILER, "x-mailer")                                        \
    X(X_MIMEOLE, "x-mimeole")                                      \
    X(X_MS_EXCHANGE_MESSAGE_IS_NDR, "x-ms-exchange-message-is-ndr") \
    X(USER_AGENT, "user-agent")                                    \
    X(MESSAGE_ID, "message-id")                                    \
    X(X_MDAEMON_DELIVER_TO, "x-mdaemon-deliver-to")

#define SMTPSTATUS__LATE_ID(id, name) SMTPSTATUS__LATE_##id,
#define SMTPSTATUS__LATE_NAME(id, name) SMTPSTATUS__FIELD_NAME(name),

enum smtpstatus__late_field {
    SMTPSTATUS__LATE_FIELDS(SMTPSTATUS__LATE_ID)
    SMTPSTATUS__LATE_CONTENT_TYPE,
    SMTPSTATUS__LATE_COUNT
};

struct smtpstatus__late_fields {
    int read;
    unsigned found; /* bit k: field k is there */
    struct smtpstatus_text values[SMTPSTATUS__LATE_COUNT];
};

/* What the text decoders read. */
struct smtpstatus__bounce {
    struct smtpstatus_text headers; /* the message's own header block */
    struct smtpstatus_text subject; /* RFC 2047 decoded */
    struct smtpstatus_text from;
    struct smtpstatus_text text;    /* the human-readable text, transfer-decoded */
    struct smtpstatus_text original; /* the returned message or its headers, when a part of its own */
    /* Fields of the message's header block, read in the same pass as its
     * Subject and From (ptr NULL when absent or empty; the flag tells). */
    struct smtpstatus_text failed_recipients; /* X-Failed-Recipients */
    struct smtpstatus_text return_path;
    int has_failed_recipients, has_return_path;
    /* Where the late fields are kept once read; NULL to read each field
     * when asked (a decoder run alone, in the tests). */
    struct smtpstatus__late_fields *late;
    /* Whether the message presents itself as a bounce; the text decoders
     * run only then. */
    int presents_as_bounce;
};

/* One recipient as a decoder (or the RFC 3464 reader) found it. */
struct smtpstatus__found {
    struct smtpstatus_text recipient, recipient_type, original_recipient;
    struct smtpstatus_text diagnostic, diagnostic_type, remote_mta;
    struct smtpstatus_text last_attempt_date, will_retry_until, final_log_id, fields;
    uint32_t action; /* enum smtpstatus_dsn_action */
    uint32_t stage;
    uint32_t flags;  /* SMTPSTATUS_DSN_* */
    int has_status;
    struct smtpstatus_enhanced status;
    /* The comment after the Status code ("4.0.0 (host name lookup
     * failure)"): read for the cause when there is no Diagnostic-Code. */
    struct smtpstatus_text status_comment;
    /* Set when the kind of message, not its text, decides the reason (a
     * complaint, an auto-reply), or when a decoder knows its MTA's own
     * words for a failure (then with action FAILED: a bounce). */
    int has_forced_reason;
    uint32_t forced_reason;
};

struct smtpstatus__text_hints;

struct smtpstatus__sink {
    char *base;    /* the caller's array */
    size_t stride; /* rcpts[0].size */
    size_t capacity, count;
    unsigned decoder; /* the decoder of the first recipient */
    /* What the human-readable text says, for recipients whose fields
     * leave it out (text-hints.c); NULL when there is nothing to ask. */
    struct smtpstatus__text_hints *hints;
    /* When set, recipients are not classified but kept here as found
     * (up to `capacity`; `count` counts them all): how the text decoders
     * lend their findings to a delivery-status part. */
    struct smtpstatus__found *found;
};

/* Classify a found recipient and store it (or only count it, past the
 * array's end). */
void smtpstatus__emit(struct smtpstatus__sink *sink, const struct smtpstatus__found *f,
                      unsigned decoder);

/* A text decoder: reads b, emits recipients, returns how many. */
typedef size_t (*smtpstatus__decoder_fn)(const struct smtpstatus__bounce *b,
                                         struct smtpstatus__sink *sink);

/* ---- Helpers for decoders (text.c) ---- */

/* The first e-mail address at or after `at` in [0, len): "local@domain",
 * with or without angle brackets. Returns the offset past it, or 0. */
size_t smtpstatus__find_address(const char *buf, size_t len, size_t at, struct smtpstatus_text *addr);

/* Whether two non-empty addresses are the same, ignoring ASCII case (the
 * domain is case-insensitive, RFC 5321 §2.4; local parts in practice). */
int smtpstatus__same_address(const struct smtpstatus_text *a, const struct smtpstatus_text *b);
/* Whether `t` is a plausible address (one "@", both sides non-empty). */
int smtpstatus__is_address(const struct smtpstatus_text *t);

/* smtpstatus__field_find() on the message's header block for one of the
 * late fields: whether it is there, and its value. */
int smtpstatus__late_field(const struct smtpstatus__bounce *b, enum smtpstatus__late_field id,
                           struct smtpstatus_text *value);

/* The offset of the first case-insensitive occurrence of `lower` (n
 * bytes) in buf[at, len), or len. */
size_t smtpstatus__find_nocase_n(const char *buf, size_t len, size_t at, const char *lower, size_t n);

/* The same for a `lower` that starts with a byte other than an ASCII
 * letter and rare in the text ('#'): each occurrence of that byte is found
 * (memchr) and compared, where smtpstatus__find_nocase_n() tests every
 * position. Slower when the byte is common. */
size_t smtpstatus__find_rare_n(const char *buf, size_t len, size_t at, const char *lower, size_t n);

/* The same for a NUL-terminated `lower`; a macro, so that the length of
 * a literal is known when compiling (the decoders pass hundreds). */
#define smtpstatus__find_nocase(buf, len, at, lower)                                                \
    smtpstatus__find_nocase_n((buf), (len), (at), (lower), strlen(lower))

/* The most marks smtpstatus__find_marks() takes. */
#define SMTPSTATUS__MARKS_MAX 16

/* The first position in buf[0, len) where any of `count` (at most
 * SMTPSTATUS__MARKS_MAX) lower-case marks occurs, ignoring case, or len.
 * The marks that hold the lower-case `word` are found with one search for
 * the word, and compared around each occurrence of it, rather than with
 * one search of the text per mark; the others are searched for alone. */
size_t smtpstatus__find_marks(const char *buf, size_t len, const char *word, const char *const *marks,
                              size_t count);

/* A text from [off, end) of a buffer, trimmed. */
static inline struct smtpstatus_text smtpstatus__slice(const char *buf, size_t off, size_t end)
{
    struct smtpstatus_text t = { NULL, 0 };

    if (buf == NULL)
        return t;
    t.ptr = buf + off;
    t.len = end > off ? end - off : 0;
    return smtpstatus__trim(t);
}

/* ISO-2022-JP (charset.c): whether the text switches to JIS X 0208, and its
 * conversion to UTF-8 into out[0..cap), stopping where out is full;
 * returns the bytes written. */
int smtpstatus__is_iso2022jp(const char *in, size_t len);
size_t smtpstatus__iso2022jp_to_utf8(const char *in, size_t len, char *out, size_t cap);

/* The offset of the first byte at or after `at` that is not a space or a
 * tab, or `end`. */
size_t smtpstatus__skip_blanks(const char *t, size_t at, size_t end);

/* Whether a line holds only white space. */
int smtpstatus__blank_line(const char *t, const struct smtpstatus__line *ln);

/* Whether a line holds one address and nothing else (white space and angle
 * brackets aside), as recipient lists put it; sets addr. */
int smtpstatus__address_line(const char *t, const struct smtpstatus__line *ln,
                             struct smtpstatus_text *addr);

/* An address in angle brackets starting at t[i] == '<' (a quoted local
 * part allowed, as Postfix and qmail write it); returns the offset of the
 * '>' or 0. */
size_t smtpstatus__angle_address(const char *t, size_t i, size_t end, struct smtpstatus_text *addr);

/* Whether the message presents itself as a delivery failure notice
 * (From MAILER-DAEMON, a bounce subject, an empty Return-Path...). */
int smtpstatus__looks_like_bounce(const struct smtpstatus__bounce *b);
/* Whether Return-Path is "<>": RFC 5321 §4.5.5 asks it of notifications,
 * and RFC 3834 §3.1.5 of automatic replies too, so it tells a message from
 * a person, not a bounce from an auto-reply. */
int smtpstatus__null_return_path(const struct smtpstatus__bounce *b);

/* ---- The decoders (decode-*.c), tried in the order of decoders.c ---- */

size_t smtpstatus__decode_text(const struct smtpstatus__bounce *b, struct smtpstatus__sink *sink,
                               unsigned *decoder);

#endif
