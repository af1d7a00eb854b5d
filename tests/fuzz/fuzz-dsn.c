/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * Fuzz target for smtpstatus_parse_dsn() and smtpstatus_next_field().
 *
 * The first byte selects the mode:
 *   bits 0-2  the recipient array's length: 0, 1, 2, 3, 5, 16, 64, 256
 *   bits 3-5  the scratch size: 0, 1, 32, 256, len/4, len/2, len, len+64
 *   bit 6     a bigger recipient struct (a newer caller's): the stride is
 *             sizeof + 32 and the library must leave the extra bytes alone
 *   bit 7     also step smtpstatus_next_field() through the message's own
 *             header
 * The rest is the message, in a block of exactly its size; the recipient
 * array and the scratch buffer are exact-size blocks too.
 *
 * A first call with the sizes above may answer SMTPSTATUS_E_TOO_MANY or
 * SMTPSTATUS_E_NO_SPACE; the call is then repeated with the sizes the
 * library asked for (recipient_count, scratch_used), which must succeed
 * within two retries (E_NO_SPACE, then E_TOO_MANY: without the scratch
 * space the recipients cannot all be counted).
 * A last call with a scratch of `len` bytes (the header: always enough)
 * must give the same report. Every text points into the message or the
 * scratch buffer, every enum holds a defined value, every recipient's
 * verdict passes the checks of fuzz.h, and smtpstatus_next_field() steps
 * through every recipient's fields.
 *
 * Built with -DFUZZ_NO_DSN (meson -Ddsn=disabled), the target checks that
 * the call answers SMTPSTATUS_E_UNSUPPORTED.
 */

#include "fuzz.h"

/* A decoder the library has a name for: the list grows, append-only. */
static int known_decoder(uint32_t d)
{
    return d <= INT32_MAX && strcmp(smtpstatus_decoder_name((int)d), "none") != 0;
}

#define DSN_FLAGS_ALL ((SMTPSTATUS_DSN_ACTION_NONSTANDARD << 1) - 1u)
#define BIG_EXTRA 32

struct run {
    int rc;
    struct smtpstatus_dsn dsn;
    unsigned char *rcpts;
    size_t stride, cap, n;
    char *scratch;
    size_t scratch_size;
};

#ifdef FUZZ_NO_DSN
static const int no_dsn = 1;
#else
static const int no_dsn = 0;
#endif

static const char *msg_base;
static size_t msg_len;

/* A text from the report: absent (NULL, 0), or inside the message or the
 * scratch buffer. */
static void check_text(struct smtpstatus_text t, const struct run *run)
{
    if (t.ptr == NULL) {
        FUZZ_CHECK(t.len == 0);
        return;
    }
    FUZZ_CHECK(fuzz_text_in(t, msg_base, msg_len) ||
               fuzz_text_in(t, run->scratch, run->scratch_size));
}

static const struct smtpstatus_dsn_recipient *rcpt_at(const struct run *run, size_t i)
{
    return (const struct smtpstatus_dsn_recipient *)(const void *)(run->rcpts + i * run->stride);
}

/* Step through a block of fields. */
static void check_fields(struct smtpstatus_text block)
{
    size_t cursor = 0, prev = 0, count = 0;

    for (;;) {
        struct smtpstatus_text name = { NULL, 0 }, value = { NULL, 0 };
        int rc = smtpstatus_next_field(&block, &cursor, &name, &value);
        if (rc == SMTPSTATUS_E_NOT_FOUND)
            break;
        FUZZ_CHECK(rc == SMTPSTATUS_OK);
        FUZZ_CHECK(fuzz_text_in(name, block.ptr, block.len) && name.len > 0);
        /* An empty value is absent: (NULL, 0). */
        FUZZ_CHECK(value.ptr == NULL ? value.len == 0 : fuzz_text_in(value, block.ptr, block.len));
        FUZZ_CHECK(cursor > prev && cursor <= block.len);
        prev = cursor;
        FUZZ_CHECK(++count <= block.len);
    }
    /* After the end it stays at the end. */
    {
        struct smtpstatus_text name, value;
        FUZZ_CHECK(smtpstatus_next_field(&block, &cursor, &name, &value) ==
                   SMTPSTATUS_E_NOT_FOUND);
    }
}

static void check_recipient(const struct run *run, size_t i, uint64_t seed)
{
    const struct smtpstatus_dsn_recipient *r = rcpt_at(run, i);

    FUZZ_CHECK(r->size == run->stride);
    check_text(r->recipient, run);
    check_text(r->recipient_type, run);
    check_text(r->original_recipient, run);
    check_text(r->remote_mta, run);
    check_text(r->diagnostic, run);
    check_text(r->diagnostic_type, run);
    check_text(r->last_attempt_date, run);
    check_text(r->will_retry_until, run);
    check_text(r->final_log_id, run);
    check_text(r->fields, run);
    FUZZ_CHECK(r->action <= SMTPSTATUS_DSN_ACTION_EXPANDED);
    FUZZ_CHECK((r->flags & ~DSN_FLAGS_ALL) == 0);
    FUZZ_CHECK(r->decoder >= 1 && known_decoder(r->decoder));
    FUZZ_CHECK(r->stage <= FUZZ_STAGE_MAX);
    if (r->has_status)
        FUZZ_CHECK(fuzz_code_valid(&r->status));
    FUZZ_CHECK(r->reply_code == 0 || (r->reply_code >= 200 && r->reply_code <= 599));
    FUZZ_CHECK(smtpstatus_dsn_action_name((int)r->action) != NULL);
    FUZZ_CHECK(smtpstatus_decoder_name((int)r->decoder) != NULL);
    /* The verdict's evidence points into the diagnostic. */
    fuzz_check_verdict(&r->verdict, r->diagnostic.ptr, r->diagnostic.len, 1, seed + i);
    if (r->fields.ptr != NULL)
        check_fields(r->fields);
    /* A newer caller's extra bytes are left alone. */
    for (size_t k = sizeof *r; k < run->stride; k++)
        FUZZ_CHECK(((const unsigned char *)r)[k] == 0xa5);
}

static void check_run(const struct run *run, uint64_t seed)
{
    const struct smtpstatus_dsn *d = &run->dsn;

    FUZZ_CHECK(run->rc == SMTPSTATUS_OK || run->rc == SMTPSTATUS_E_TOO_MANY ||
               run->rc == SMTPSTATUS_E_NO_SPACE);
    FUZZ_CHECK(d->size == sizeof *d);
    FUZZ_CHECK(d->kind <= SMTPSTATUS_MESSAGE_AUTO_REPLY);
    FUZZ_CHECK(d->decoder == SMTPSTATUS_DECODER_NONE || known_decoder(d->decoder));
    FUZZ_CHECK(smtpstatus_message_kind_name((int)d->kind) != NULL);
    /* "`len` bytes always suffice." */
    FUZZ_CHECK(d->scratch_used <= msg_len);
    switch (run->rc) {
    case SMTPSTATUS_OK:
        FUZZ_CHECK(d->scratch_used <= run->scratch_size);
        FUZZ_CHECK(d->recipient_count <= run->cap && run->n == d->recipient_count);
        break;
    case SMTPSTATUS_E_TOO_MANY:
        FUZZ_CHECK(d->scratch_used <= run->scratch_size);
        FUZZ_CHECK(d->recipient_count > run->cap && run->n == run->cap);
        break;
    default:
        FUZZ_CHECK(d->scratch_used > run->scratch_size);
        FUZZ_CHECK(run->n == (d->recipient_count < run->cap ? d->recipient_count : run->cap));
        break;
    }
    /* No recipients, no decoder, an ordinary message; and the reverse. */
    FUZZ_CHECK((d->recipient_count == 0) == (d->decoder == SMTPSTATUS_DECODER_NONE));
    FUZZ_CHECK((d->recipient_count == 0) == (d->kind == SMTPSTATUS_MESSAGE_ORDINARY));
    check_text(d->reporting_mta, run);
    check_text(d->received_from_mta, run);
    check_text(d->arrival_date, run);
    check_text(d->original_envelope_id, run);
    check_text(d->subject, run);
    check_text(d->from, run);
    check_text(d->original_message_id, run);
    check_text(d->original_from, run);
    check_text(d->original_to, run);
    check_text(d->original_subject, run);
    check_text(d->feedback_type, run);
    for (size_t i = 0; i < run->n; i++)
        check_recipient(run, i, seed);
    if (run->n > 0)
        FUZZ_CHECK(rcpt_at(run, 0)->decoder == d->decoder);
    /* Past what was written, nothing is touched (but the first size). */
    for (size_t i = run->n; i < run->cap; i++) {
        const unsigned char *p = run->rcpts + i * run->stride;
        for (size_t k = i == 0 ? sizeof(size_t) : 0; k < run->stride; k++)
            FUZZ_CHECK(p[k] == 0xa5);
    }
}

static void run_free(struct run *run)
{
    free(run->rcpts);
    free(run->scratch);
    run->rcpts = NULL;
    run->scratch = NULL;
}

static struct run parse(const char *msg, size_t len, size_t cap, size_t stride, size_t scratch_size)
{
    struct run run;

    memset(&run, 0, sizeof run);
    run.dsn = (struct smtpstatus_dsn)SMTPSTATUS_DSN_INIT;
    run.cap = cap;
    run.stride = stride;
    run.scratch_size = scratch_size;
    if (cap > 0) {
        run.rcpts = malloc(cap * stride);
        if (run.rcpts == NULL)
            abort();
        /* Only the first element's size is set; the rest is garbage the
         * library must not read. */
        memset(run.rcpts, 0xa5, cap * stride);
        memcpy(run.rcpts, &stride, sizeof stride);
    }
    if (scratch_size > 0) {
        run.scratch = malloc(scratch_size);
        if (run.scratch == NULL)
            abort();
        memset(run.scratch, 0x5a, scratch_size);
    }
    run.n = cap;
    run.rc = smtpstatus_parse_dsn(msg, len, 0, &run.dsn,
                                  (struct smtpstatus_dsn_recipient *)(void *)run.rcpts, &run.n,
                                  run.scratch, scratch_size);
    return run;
}

/* Where a text is, as (which buffer, offset, length), to compare runs. */
static int same_text(struct smtpstatus_text a, const struct run *ra, struct smtpstatus_text b,
                     const struct run *rb)
{
    if (a.ptr == NULL || b.ptr == NULL)
        return a.ptr == b.ptr && a.len == b.len;
    if (a.len != b.len)
        return 0;
    if (fuzz_text_in(a, msg_base, msg_len))
        return a.ptr == b.ptr;
    return fuzz_text_in(b, rb->scratch, rb->scratch_size) &&
           a.ptr - ra->scratch == b.ptr - rb->scratch;
}

static void compare_recipient(const struct run *ra, const struct run *rb, size_t i)
{
    const struct smtpstatus_dsn_recipient *a = rcpt_at(ra, i), *b = rcpt_at(rb, i);

    FUZZ_CHECK(same_text(a->recipient, ra, b->recipient, rb));
    FUZZ_CHECK(same_text(a->diagnostic, ra, b->diagnostic, rb));
    FUZZ_CHECK(same_text(a->fields, ra, b->fields, rb));
    FUZZ_CHECK(a->action == b->action && a->flags == b->flags && a->decoder == b->decoder &&
               a->stage == b->stage && a->has_status == b->has_status &&
               a->reply_code == b->reply_code);
    if (a->has_status)
        FUZZ_CHECK(smtpstatus_compare_enhanced(&a->status, &b->status) == 0);
    FUZZ_CHECK(a->verdict.outcome == b->verdict.outcome && a->verdict.reason == b->verdict.reason &&
               a->verdict.bounce == b->verdict.bounce);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const size_t caps[8] = { 0, 1, 2, 3, 5, 16, 64, 256 };
    unsigned mode;
    char *msg;
    size_t len, cap, stride, scratch_size;
    uint64_t seed;
    struct run first, ok, ref;

    if (size < 1)
        return 0;
    mode = data[0];
    len = size - 1;
    msg = fuzz_dup(data + 1, len);
    msg_base = msg;
    msg_len = len;
    seed = fuzz_hash(data, size);
    cap = caps[mode & 7u];
    stride = sizeof(struct smtpstatus_dsn_recipient) + ((mode & 0x40u) ? BIG_EXTRA : 0);
    switch ((mode >> 3) & 7u) {
    case 0: scratch_size = 0; break;
    case 1: scratch_size = 1; break;
    case 2: scratch_size = 32; break;
    case 3: scratch_size = 256; break;
    case 4: scratch_size = len / 4; break;
    case 5: scratch_size = len / 2; break;
    case 6: scratch_size = len; break;
    default: scratch_size = len + 64; break;
    }

    if (mode & 0x80u) {
        struct smtpstatus_text whole = { msg, len };
        check_fields(whole);
    }

    first = parse(msg, len, cap, stride, scratch_size);
    if (no_dsn) {
        FUZZ_CHECK(first.rc == SMTPSTATUS_E_UNSUPPORTED && first.n == 0);
        run_free(&first);
        free(msg);
        return 0;
    }
    check_run(&first, seed);

    /* Again with the sizes the library asked for, as a caller would: after
     * E_NO_SPACE a bigger scratch buffer (the recipients could not all be
     * read without it, so recipient_count may still change), after
     * E_TOO_MANY a bigger array. Each answer is final for its own size: at
     * most two retries, and the same error never comes back. */
    ok = first; /* shares first's buffers until a retry */
    for (int tries = 0; ok.rc != SMTPSTATUS_OK; tries++) {
        size_t want_cap = ok.cap, want_scratch = ok.scratch_size;
        int was = ok.rc;
        struct run next;
        FUZZ_CHECK(tries < 2);
        if (was == SMTPSTATUS_E_NO_SPACE)
            want_scratch = ok.dsn.scratch_used;
        else
            want_cap = ok.dsn.recipient_count;
        next = parse(msg, len, want_cap, stride, want_scratch);
        check_run(&next, seed);
        FUZZ_CHECK(next.rc != was);
        if (was == SMTPSTATUS_E_TOO_MANY)
            FUZZ_CHECK(next.rc == SMTPSTATUS_OK);
        if (tries > 0)
            run_free(&ok);
        ok = next;
    }

    /* Exactly the sizes the report needs, with a scratch of `len`. */
    ref = parse(msg, len, ok.dsn.recipient_count, sizeof(struct smtpstatus_dsn_recipient), len);
    check_run(&ref, seed);
    FUZZ_CHECK(ref.rc == SMTPSTATUS_OK);
    FUZZ_CHECK(ref.dsn.recipient_count == ok.dsn.recipient_count);
    FUZZ_CHECK(ref.dsn.kind == ok.dsn.kind && ref.dsn.decoder == ok.dsn.decoder);
    FUZZ_CHECK(ref.dsn.scratch_used == ok.dsn.scratch_used);
    for (size_t i = 0; i < ref.n; i++)
        compare_recipient(&ok, &ref, i);
    /* A first call with enough scratch wrote the same first recipients. */
    if (first.rc == SMTPSTATUS_E_TOO_MANY) {
        FUZZ_CHECK(first.dsn.scratch_used == ref.dsn.scratch_used);
        for (size_t i = 0; i < first.n; i++)
            compare_recipient(&first, &ref, i);
    }

    /* Argument checks. */
    {
        struct smtpstatus_dsn dsn = SMTPSTATUS_DSN_INIT;
        struct smtpstatus_dsn_recipient one = SMTPSTATUS_DSN_RECIPIENT_INIT;
        size_t n = 1;
        FUZZ_CHECK(smtpstatus_parse_dsn(msg, len, 1, &dsn, &one, &n, NULL, 0) ==
                   SMTPSTATUS_E_INVALID_ARG);
        one.size = sizeof(size_t);
        FUZZ_CHECK(smtpstatus_parse_dsn(msg, len, 0, &dsn, &one, &n, NULL, 0) ==
                   SMTPSTATUS_E_STRUCT_SIZE);
        dsn.size = sizeof(size_t);
        n = 0;
        FUZZ_CHECK(smtpstatus_parse_dsn(msg, len, 0, &dsn, NULL, &n, NULL, 0) ==
                   SMTPSTATUS_E_STRUCT_SIZE);
    }

    if (ok.rcpts != first.rcpts || ok.scratch != first.scratch)
        run_free(&ok);
    run_free(&first);
    run_free(&ref);
    free(msg);
    return 0;
}
