/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * Helpers shared by the fuzz targets: exact-size copies of the input (so
 * ASan sees any read past the end), and the invariants every result of the
 * public API must satisfy whatever the input. A broken invariant prints
 * where it was and traps, which libFuzzer reports as a crash and the replay
 * test as a failure.
 */

#ifndef SMTPSTATUS_FUZZ_H
#define SMTPSTATUS_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smtpstatus.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond);           \
            __builtin_trap();                                                                      \
        }                                                                                          \
    } while (0)

#define FUZZ_ANOMALY_ALL ((SMTPSTATUS_ANOMALY_TRUNCATED << 1) - 1u)
#define FUZZ_VERDICT_FLAGS_ALL ((SMTPSTATUS_VERDICT_CLASS_MISMATCH << 1) - 1u)
#define FUZZ_STAGE_MAX SMTPSTATUS_STAGE_BDAT

/* A copy of `len` bytes in a block of exactly that size (NULL when len is 0). */
static inline char *fuzz_dup(const void *bytes, size_t len)
{
    char *p;

    if (len == 0)
        return NULL;
    p = malloc(len);
    if (p == NULL)
        abort();
    memcpy(p, bytes, len);
    return p;
}

/* A byte-string hash, for choices that should depend on the data without
 * taking bytes away from the input (FNV-1a). */
static inline uint64_t fuzz_hash(const void *bytes, size_t len)
{
    const unsigned char *p = bytes;
    uint64_t h = 14695981039346656037u;

    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211u;
    }
    return h;
}

static inline int fuzz_span_in(struct smtpstatus_span s, size_t len)
{
    return s.off <= len && s.len <= len - s.off;
}

/* `inner` lies within `outer`. */
static inline int fuzz_span_within(struct smtpstatus_span inner, struct smtpstatus_span outer)
{
    return inner.off >= outer.off && inner.off <= outer.off + outer.len &&
           inner.len <= outer.off + outer.len - inner.off;
}

static inline int fuzz_text_in(struct smtpstatus_text t, const char *base, size_t len)
{
    if (t.ptr == NULL || base == NULL)
        return 0;
    return t.ptr >= base && (size_t)(t.ptr - base) <= len && t.len <= len - (size_t)(t.ptr - base);
}

static inline int fuzz_result_defined(int rc)
{
    return rc >= SMTPSTATUS_E_NO_SPACE && rc <= SMTPSTATUS_INCOMPLETE;
}

static inline int fuzz_code_valid(const struct smtpstatus_enhanced *c)
{
    return (c->cls == 2 || c->cls == 4 || c->cls == 5) && c->reserved == 0 && c->subject <= 999 &&
           c->detail <= 999;
}

/*
 * snprintf() semantics of the explain functions: the full length comes back
 * whatever the size; the text written is a NUL-terminated prefix of it.
 */
typedef int (*fuzz_writer)(const void *ctx, char *buf, size_t size);

static inline int fuzz_check_snprintf(fuzz_writer write, const void *ctx, size_t probe)
{
    int n = write(ctx, NULL, 0);
    char *full, *cut;

    if (n < 0)
        return n;
    full = malloc((size_t)n + 1);
    if (full == NULL)
        abort();
    memset(full, 0x5a, (size_t)n + 1);
    FUZZ_CHECK(write(ctx, full, (size_t)n + 1) == n);
    FUZZ_CHECK(full[n] == '\0' && strlen(full) == (size_t)n);
    /* A short buffer gets a prefix of the same text. */
    if (n > 0) {
        size_t size = 1 + probe % (size_t)n;
        cut = malloc(size);
        if (cut == NULL)
            abort();
        FUZZ_CHECK(write(ctx, cut, size) == n);
        FUZZ_CHECK(cut[size - 1] == '\0' && strlen(cut) == size - 1);
        FUZZ_CHECK(memcmp(cut, full, size - 1) == 0);
        free(cut);
    }
    free(full);
    return n;
}

/* parse(format(code)) == code, and format() writes at most 9 bytes. */
static inline void fuzz_check_roundtrip(const struct smtpstatus_enhanced *code)
{
    char text[SMTPSTATUS_ENHANCED_TEXT_MAX];
    struct smtpstatus_enhanced back;
    size_t end = (size_t)-1;
    int n = smtpstatus_format_enhanced(code, text, sizeof text);

    if (!fuzz_code_valid(code)) {
        if (code->cls != 0 || code->subject > 999 || code->detail > 999)
            FUZZ_CHECK(n == SMTPSTATUS_E_BAD_CODE);
        return;
    }
    FUZZ_CHECK(n >= 5 && n <= SMTPSTATUS_ENHANCED_TEXT_MAX - 1);
    FUZZ_CHECK(strlen(text) == (size_t)n);
    FUZZ_CHECK(smtpstatus_format_enhanced(code, NULL, 0) == n);
    memset(&back, 0xff, sizeof back);
    FUZZ_CHECK(smtpstatus_parse_enhanced(text, (size_t)n, 0, &back, &end) == SMTPSTATUS_OK);
    FUZZ_CHECK(end == (size_t)n && smtpstatus_compare_enhanced(&back, code) == 0 &&
               back.cls == code->cls && back.subject == code->subject &&
               back.detail == code->detail);
}

/* ---- Verdicts ---------------------------------------------------------------------------- */

struct fuzz_explain_verdict_ctx {
    const char *input;
    size_t len;
    const struct smtpstatus_verdict *verdict;
};

static inline int fuzz_write_verdict(const void *ctx, char *buf, size_t size)
{
    const struct fuzz_explain_verdict_ctx *c = ctx;
    return smtpstatus_explain_verdict(c->input, c->len, c->verdict, buf, size);
}

/*
 * Every field of a verdict holds a defined value. `text_len` is the length
 * of the text the evidence spans point into; `strict_stage` is false when
 * the caller passed a stage outside the enum (it is echoed back).
 */
static inline void fuzz_check_verdict_fields(const struct smtpstatus_verdict *v, size_t text_len,
                                             int strict_stage)
{
    uint32_t reasons = (uint32_t)smtpstatus_reason_count();

    FUZZ_CHECK(v->size == sizeof *v);
    FUZZ_CHECK(v->outcome == SMTPSTATUS_OUTCOME_UNKNOWN ||
               v->outcome == SMTPSTATUS_OUTCOME_SUCCESS ||
               v->outcome == SMTPSTATUS_OUTCOME_INTERMEDIATE ||
               v->outcome == SMTPSTATUS_OUTCOME_TRANSIENT ||
               v->outcome == SMTPSTATUS_OUTCOME_PERMANENT);
    FUZZ_CHECK(v->bounce <= SMTPSTATUS_BOUNCE_HARD);
    FUZZ_CHECK(v->reason < reasons);
    FUZZ_CHECK(v->party <= SMTPSTATUS_PARTY_CONTENT);
    FUZZ_CHECK(v->action <= SMTPSTATUS_ACTION_STOP);
    FUZZ_CHECK((v->flags & ~FUZZ_VERDICT_FLAGS_ALL) == 0);
    FUZZ_CHECK(v->confidence <= 100);
    FUZZ_CHECK(v->reply_code == 0 || (v->reply_code >= 200 && v->reply_code <= 599));
    if (v->has_enhanced)
        FUZZ_CHECK(fuzz_code_valid(&v->enhanced));
    if (strict_stage)
        FUZZ_CHECK(v->stage <= FUZZ_STAGE_MAX);
    FUZZ_CHECK(v->evidence_count <= SMTPSTATUS_EVIDENCE_MAX);
    for (uint32_t i = 0; i < v->evidence_count; i++) {
        const struct smtpstatus_evidence *e = &v->evidence[i];
        FUZZ_CHECK(e->kind <= SMTPSTATUS_EVIDENCE_STAGE);
        FUZZ_CHECK(e->reason < reasons);
        FUZZ_CHECK(e->confidence >= 1 && e->confidence <= 100);
        FUZZ_CHECK(e->rule != NULL && e->source != NULL);
        FUZZ_CHECK(fuzz_span_in(e->span, text_len));
    }
    /* A success is never a bounce; a hard bounce is a permanent failure. */
    if (v->outcome == SMTPSTATUS_OUTCOME_SUCCESS)
        FUZZ_CHECK(v->bounce == SMTPSTATUS_BOUNCE_NONE);
    if (v->bounce == SMTPSTATUS_BOUNCE_HARD)
        FUZZ_CHECK(v->outcome == SMTPSTATUS_OUTCOME_PERMANENT);
    /* Every name function answers for every value. */
    FUZZ_CHECK(smtpstatus_reason_from_name(smtpstatus_reason_name((int)v->reason),
                                           strlen(smtpstatus_reason_name((int)v->reason))) ==
               (int)v->reason);
    FUZZ_CHECK(smtpstatus_outcome_name((int)v->outcome) != NULL);
    FUZZ_CHECK(smtpstatus_bounce_name((int)v->bounce) != NULL);
    FUZZ_CHECK(smtpstatus_party_name((int)v->party) != NULL);
    FUZZ_CHECK(smtpstatus_action_name((int)v->action) != NULL);
    FUZZ_CHECK(smtpstatus_stage_name((int)v->stage) != NULL);
}

/* Retry advice for a verdict, at a few queue ages. */
static inline void fuzz_check_retry(const struct smtpstatus_verdict *v, uint64_t seed)
{
    static const uint64_t ages[] = { 0, 1799, 86400, 5u * 86400u, UINT64_MAX };
    uint64_t age = seed % 4 == 0 ? ages[(seed >> 2) % 5] : (seed >> 8) % (6u * 86400u);
    uint32_t attempts = (uint32_t)(seed >> 40) % 4 == 0 ? UINT32_MAX : (uint32_t)(seed >> 40) % 64;
    struct smtpstatus_retry r = SMTPSTATUS_RETRY_INIT;

    FUZZ_CHECK(smtpstatus_retry_advice(v, age, attempts, &r) == SMTPSTATUS_OK);
    FUZZ_CHECK(r.size == sizeof r);
    FUZZ_CHECK(r.decision <= SMTPSTATUS_RETRY_GIVE_UP);
    if (r.decision == SMTPSTATUS_RETRY_AT && r.give_up_after > 0)
        FUZZ_CHECK(age < r.give_up_after && r.delay <= r.give_up_after - age);
}

/* A verdict from the classifier: its fields, its explanation, its retry advice. */
static inline void fuzz_check_verdict(const struct smtpstatus_verdict *v, const char *text,
                                      size_t text_len, int strict_stage, uint64_t seed)
{
    struct fuzz_explain_verdict_ctx ctx = { text, text_len, v };

    fuzz_check_verdict_fields(v, text_len, strict_stage);
    FUZZ_CHECK(fuzz_check_snprintf(fuzz_write_verdict, &ctx, (size_t)seed) >= 0);
    fuzz_check_retry(v, seed);
}

/* ---- Replies ----------------------------------------------------------------------------- */

struct fuzz_explain_reply_ctx {
    const char *input;
    size_t len;
    const struct smtpstatus_reply *reply;
};

static inline int fuzz_write_reply(const void *ctx, char *buf, size_t size)
{
    const struct fuzz_explain_reply_ctx *c = ctx;
    return smtpstatus_explain_reply(c->input, c->len, c->reply, buf, size);
}

static inline int fuzz_is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/*
 * The result of smtpstatus_parse_reply(buf, len, flags, r) is consistent:
 * a defined value allowed in this mode; on success, every span inside the
 * buffer, the counts in range, the anomaly bits what the codes say, and
 * reply_next_line() gives line_count lines inside the reply.
 */
static inline void fuzz_check_reply(const char *buf, size_t len, unsigned flags, int rc,
                                    const struct smtpstatus_reply *r)
{
    int lenient = (flags & SMTPSTATUS_REPLY_LENIENT) != 0;
    int at_eof = lenient || (flags & SMTPSTATUS_REPLY_AT_EOF) != 0;
    size_t end;

    FUZZ_CHECK(rc == SMTPSTATUS_OK || rc == SMTPSTATUS_INCOMPLETE || rc == SMTPSTATUS_E_SYNTAX ||
               rc == SMTPSTATUS_E_BAD_CODE || rc == SMTPSTATUS_E_TRUNCATED ||
               rc == SMTPSTATUS_E_TOO_LONG || rc == SMTPSTATUS_E_TOO_MANY ||
               rc == SMTPSTATUS_E_NOT_FOUND);
    if (rc == SMTPSTATUS_INCOMPLETE)
        FUZZ_CHECK(!at_eof);
    if (rc == SMTPSTATUS_E_TRUNCATED)
        FUZZ_CHECK(at_eof);
    if (rc == SMTPSTATUS_E_NOT_FOUND)
        FUZZ_CHECK(lenient);
    FUZZ_CHECK(r->size == sizeof *r);
    FUZZ_CHECK(r->parse_flags == flags);
    if (rc != SMTPSTATUS_OK) {
        FUZZ_CHECK(r->consumed == 0);
        FUZZ_CHECK(r->error_offset <= len);
        return;
    }

    FUZZ_CHECK(r->error_offset == 0);
    FUZZ_CHECK(r->code >= 200 && r->code <= 599);
    FUZZ_CHECK(r->line_count >= 1 && r->line_count <= SMTPSTATUS_REPLY_LINES_MAX);
    FUZZ_CHECK((r->anomalies & ~FUZZ_ANOMALY_ALL) == 0);
    FUZZ_CHECK(r->stage <= FUZZ_STAGE_MAX);
    if (!lenient) {
        FUZZ_CHECK(r->stage == 0);
        FUZZ_CHECK(!(r->anomalies & SMTPSTATUS_ANOMALY_TRUNCATED));
    }
    if (flags & SMTPSTATUS_REPLY_STRICT_CRLF)
        FUZZ_CHECK(!(r->anomalies & SMTPSTATUS_ANOMALY_BARE_LF));
    FUZZ_CHECK(fuzz_span_in(r->span, len));
    end = r->span.off + r->span.len;
    FUZZ_CHECK(r->consumed <= len && r->consumed >= end);
    FUZZ_CHECK(r->consumed > 0);
    /* The reply starts with its code. */
    FUZZ_CHECK(r->span.len >= 3);
    FUZZ_CHECK(fuzz_is_digit(buf[r->span.off]) && fuzz_is_digit(buf[r->span.off + 1]) &&
               fuzz_is_digit(buf[r->span.off + 2]));
    FUZZ_CHECK((buf[r->span.off] - '0') * 100 + (buf[r->span.off + 1] - '0') * 10 +
                   (buf[r->span.off + 2] - '0') ==
               r->code);
    FUZZ_CHECK(fuzz_span_within(r->text, r->span));
    if (r->has_enhanced) {
        struct smtpstatus_enhanced again;
        size_t stop;
        FUZZ_CHECK(fuzz_code_valid(&r->enhanced));
        FUZZ_CHECK(fuzz_span_within(r->enhanced_span, r->span));
        FUZZ_CHECK(smtpstatus_parse_enhanced(buf + r->enhanced_span.off, r->enhanced_span.len, 0,
                                             &again, &stop) == SMTPSTATUS_OK);
        FUZZ_CHECK(smtpstatus_compare_enhanced(&again, &r->enhanced) == 0);
        fuzz_check_roundtrip(&r->enhanced);
    }
    /* The code-derived anomalies say what the codes say (RFC 2034 §3). */
    FUZZ_CHECK(!!(r->anomalies & SMTPSTATUS_ANOMALY_NO_ENHANCED) ==
               (!r->has_enhanced && r->code / 100 != 3));
    FUZZ_CHECK(!!(r->anomalies & SMTPSTATUS_ANOMALY_ENHANCED_ON_3XX) ==
               (r->has_enhanced && r->code / 100 == 3));
    FUZZ_CHECK(!!(r->anomalies & SMTPSTATUS_ANOMALY_CLASS_MISMATCH) ==
               (r->has_enhanced && r->code / 100 != 3 && r->enhanced.cls != r->code / 100));
    if (r->anomalies & SMTPSTATUS_ANOMALY_ENHANCED_IN_TEXT)
        FUZZ_CHECK(r->has_enhanced);
    if (r->line_count == 1)
        FUZZ_CHECK(!(r->anomalies & SMTPSTATUS_ANOMALY_CODE_MISMATCH));

    /* Step through the lines: line_count of them, each inside the reply,
     * the cursor moving forward. */
    {
        size_t cursor = 0, prev = 0, lines = 0;
        struct smtpstatus_span text;
        for (;;) {
            int lrc = smtpstatus_reply_next_line(buf, len, r, &cursor, &text);
            if (lrc == SMTPSTATUS_E_NOT_FOUND)
                break;
            FUZZ_CHECK(lrc == SMTPSTATUS_OK);
            FUZZ_CHECK(fuzz_span_within(text, r->span));
            if (lines == 0)
                FUZZ_CHECK(text.off == r->text.off);
            FUZZ_CHECK(cursor > prev);
            prev = cursor;
            lines++;
            FUZZ_CHECK(lines <= r->line_count);
        }
        FUZZ_CHECK(lines == r->line_count);
        /* Past the end it stays at the end. */
        FUZZ_CHECK(smtpstatus_reply_next_line(buf, len, r, &cursor, &text) ==
                   SMTPSTATUS_E_NOT_FOUND);
    }

    {
        struct fuzz_explain_reply_ctx ctx = { buf, len, r };
        FUZZ_CHECK(fuzz_check_snprintf(fuzz_write_reply, &ctx, len) > 0);
    }
}

/* Parse, check, and on success classify the reply and check the verdict. */
static inline int fuzz_parse_reply(const char *buf, size_t len, unsigned flags,
                                   struct smtpstatus_reply *r, int stage, uint64_t seed)
{
    int rc;

    *r = (struct smtpstatus_reply)SMTPSTATUS_REPLY_INIT;
    rc = smtpstatus_parse_reply(buf, len, flags, r);
    fuzz_check_reply(buf, len, flags, rc, r);
    if (rc == SMTPSTATUS_OK) {
        struct smtpstatus_verdict v = SMTPSTATUS_VERDICT_INIT;
        /* A lenient reply is classified with its surroundings, a wire
         * reply alone. */
        size_t text_len = (flags & SMTPSTATUS_REPLY_LENIENT) ? len : r->span.off + r->span.len;
        FUZZ_CHECK(smtpstatus_classify_reply(buf, len, r, stage, &v) == SMTPSTATUS_OK);
        fuzz_check_verdict(&v, buf, text_len, stage <= FUZZ_STAGE_MAX, seed);
        FUZZ_CHECK(v.reply_code == r->code);
    }
    return rc;
}

#endif /* SMTPSTATUS_FUZZ_H */
