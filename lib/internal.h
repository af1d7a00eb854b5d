/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * Declarations shared between the library's translation units. Nothing
 * here is installed; every symbol is hidden (see smtpstatus.map).
 */

#ifndef SMTPSTATUS_INTERNAL_H
#define SMTPSTATUS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "smtpstatus.h"

/* ---- Locale-free ASCII helpers (cmark's rationale: ctype.h follows the
 * locale and is undefined for negative chars). ---- */

static inline int smtpstatus__is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static inline int smtpstatus__is_alpha(unsigned char c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static inline int smtpstatus__is_alnum(unsigned char c)
{
    return smtpstatus__is_digit(c) || smtpstatus__is_alpha(c);
}

static inline int smtpstatus__is_space(unsigned char c)
{
    return c == ' ' || c == '\t';
}

static inline unsigned char smtpstatus__lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c | 0x20) : c;
}

/* Whether buf[0..len) equals the lower-case ASCII word `lit`, ignoring
 * ASCII case. */
int smtpstatus__equal_nocase(const char *buf, size_t len, const char *lit);

/* Whether the lower-case ASCII word `lit` occurs at buf[at], ignoring case;
 * never reads past len. */
int smtpstatus__match_nocase(const char *buf, size_t len, size_t at, const char *lit);

/* ---- Caller-owned structs with a size member (xkbcommon's abi-check):
 * the library fills a full local copy and copies out what fits. ---- */

/* The size of the first published version of each struct: callers must
 * pass at least this much. */
#define SMTPSTATUS__REPLY_SIZE_V1 sizeof(struct smtpstatus_reply)
#define SMTPSTATUS__CODE_INFO_SIZE_V1 sizeof(struct smtpstatus_code_info)
#define SMTPSTATUS__REPLY_INFO_SIZE_V1 sizeof(struct smtpstatus_reply_info)

static inline void smtpstatus__copy_out(void *dst, size_t dst_size, const void *src,
                                        size_t src_size)
{
    size_t n = dst_size < src_size ? dst_size : src_size;
    memcpy(dst, src, n);
    /* Keep the caller's own size value: it describes their struct. */
    memcpy(dst, &dst_size, sizeof dst_size);
}

/* ---- Enhanced codes ---- */

/* Parse a code at buf[at]; on success set *out and *end (offset just past
 * the code). On failure *end is the offset of the offending byte. Does not
 * look at what follows the code. */
int smtpstatus__parse_enhanced_at(const char *buf, size_t len, size_t at,
                                  struct smtpstatus_enhanced *out, size_t *end);

/* Whether a code may end at buf[end] (the boundary rule of
 * smtpstatus_find_enhanced()). */
int smtpstatus__enhanced_boundary_after(const char *buf, size_t len, size_t end);

/* ---- Stages (stage.c) ---- */

/* The stage named by the command phrase at buf[at] ("RCPT TO", "end of
 * DATA", "initial connection", ...), or SMTPSTATUS_STAGE_UNKNOWN; *end
 * (may be NULL) is set past the phrase. */
int smtpstatus__stage_at(const char *buf, size_t len, size_t at, size_t *end);

/* ---- Tables (lookup.c) ---- */

struct smtpstatus__class_row {
    uint8_t digit;
    uint16_t title, description, reference;
};

struct smtpstatus__subject_row {
    uint16_t subject;
    uint16_t title, description, reference;
};

struct smtpstatus__code_row {
    uint16_t subject, detail;
    uint16_t title, description, reference, basic_text, replaced_by;
    uint8_t flags;
    uint8_t basic_count;
    uint16_t basic[SMTPSTATUS_BASIC_CODES_MAX];
};

struct smtpstatus__reply_row {
    uint16_t code;
    uint8_t kind;
    uint16_t context, class_name, category_name, text, meaning, reference, notes;
};

/* The registry row for X.subject.detail, or NULL. */
const struct smtpstatus__code_row *smtpstatus__find_code(unsigned subject, unsigned detail);

/* The preferred table row for a reply code, or NULL. */
const struct smtpstatus__reply_row *smtpstatus__find_reply(unsigned code);

/* A string of the pool by offset; NULL for offset 0 ("absent"). */
const char *smtpstatus__string(uint16_t off);

/* Whether a registered code's entry lists `reply` among its basic codes
 * (directly, as a 4XX/5XX wildcard, or as "Any"). Entries that list
 * nothing ("Not given") allow any code. */
int smtpstatus__basic_allows(const struct smtpstatus__code_row *row, unsigned reply);

/* ---- A bounded string builder with snprintf() semantics (explain.c).
 * It never writes past size and always counts the full length. ---- */

struct smtpstatus__out {
    char *buf;
    size_t size;
    size_t len; /* full length, may exceed size */
};

void smtpstatus__out_init(struct smtpstatus__out *o, char *buf, size_t size);
void smtpstatus__out_bytes(struct smtpstatus__out *o, const char *s, size_t n);
void smtpstatus__out_str(struct smtpstatus__out *o, const char *s);
void smtpstatus__out_uint(struct smtpstatus__out *o, unsigned long v);
void smtpstatus__out_code(struct smtpstatus__out *o, const struct smtpstatus_enhanced *code);
/* Terminate and return the full length as an int (INT_MAX-capped). */
int smtpstatus__out_finish(struct smtpstatus__out *o);

#endif /* SMTPSTATUS_INTERNAL_H */
