/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * Every entry point that reads outside bytes, fed every prefix of a set of
 * tricky inputs, each placed flush against an unreadable page. A read past
 * `len` faults and Criterion reports the test as crashed. Results are
 * checked too: a prefix never parses as something longer than itself.
 */

#include <stdint.h>

#include <smtpstatus.h>

#include "guard.h"

static const char *const inputs[] = {
    "550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown\r\n",
    "250-mx.example.com\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250 ENHANCEDSTATUSCODES\r\n",
    ("550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n"
    "550-5.1.1 double-checking the recipient's email address for typos or\r\n"
    "550 5.1.1 https://support.google.com/mail/?p=NoSuchUser - gsmtp\r\n"),
    "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)\n",
    "421 4.7.0 [TSS04] Messages temporarily deferred - 4.16.55.1; see https://example.com\r\n",
    ("status=bounced (host mx.example.com[192.0.2.1] said: 550-5.1.1 No such user 550 5.1.1 "
    "really (in reply to RCPT TO command))"),
    "SMTP error from remote mail server after RCPT TO:<bob@example.com>: 550 5.7.606 Access denied",
    "smtp; 550-5.1.1 first\n    550 5.1.1 second\n    folded tail",
    "Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'",
    "Status: 5.0.0 (permanent failure)",
    "4.4.1.2 192.0.2.1 v5.2.1 #5.1.1",
    "5.1000.1 5.01.1 5.1.",
    "354 2.0.0 go ahead\r",
    "550\r\n",
    "250-\r\n250 \r\n",
    "\xff\xfe 550 5.1.1 \x80\x81",
};

static void exercise(const char *buf, size_t len)
{
    static const unsigned reply_flags[] = {
        0, SMTPSTATUS_REPLY_AT_EOF, SMTPSTATUS_REPLY_STRICT_CRLF, SMTPSTATUS_REPLY_LENIENT,
        SMTPSTATUS_REPLY_AT_EOF | SMTPSTATUS_REPLY_STRICT_CRLF,
    };
    struct smtpstatus_enhanced code;
    struct smtpstatus_span span;
    size_t end = 0;
    char text[2048];

    if (smtpstatus_parse_enhanced(buf, len, 0, &code, &end) == SMTPSTATUS_OK)
        cr_assert_eq(end, len);
    else
        cr_assert_leq(end, len);
    if (smtpstatus_parse_enhanced(buf, len, SMTPSTATUS_ENHANCED_PREFIX, &code, &end) ==
        SMTPSTATUS_OK)
        cr_assert_leq(end, len);
    if (smtpstatus_find_enhanced(buf, len, 0, &code, &span) == SMTPSTATUS_OK)
        cr_assert_leq(span.off + span.len, len);
    (void)smtpstatus_stage_from_name(buf, len);

    for (size_t f = 0; f < sizeof reply_flags / sizeof reply_flags[0]; f++) {
        struct smtpstatus_reply reply = SMTPSTATUS_REPLY_INIT;
        int rc = smtpstatus_parse_reply(buf, len, reply_flags[f], &reply);
        size_t cursor = 0, lines = 0;

        if (rc != SMTPSTATUS_OK) {
            cr_assert_leq(reply.error_offset, len);
            cr_assert_eq(reply.consumed, 0);
            continue;
        }
        cr_assert_leq(reply.consumed, len);
        cr_assert_leq(reply.span.off + reply.span.len, len);
        cr_assert_leq(reply.text.off + reply.text.len, len);
        while (smtpstatus_reply_next_line(buf, len, &reply, &cursor, &span) == SMTPSTATUS_OK) {
            cr_assert_leq(span.off + span.len, len);
            cr_assert_leq(++lines, reply.line_count, "more lines than line_count");
        }
        cr_assert_eq(lines, reply.line_count);
        cr_assert_geq(smtpstatus_explain_reply(buf, len, &reply, text, sizeof text), 0);
    }
}

Test(guard, every_prefix_of_every_input)
{
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        size_t full = strlen(inputs[i]);
        for (size_t len = 0; len <= full; len++) {
            struct guard g;
            const char *buf = guard_place(&g, inputs[i], len);
            exercise(buf, len);
            guard_release(&g);
        }
    }
}

Test(guard, every_suffix_of_every_input)
{
    /* Starting mid-token is what a lenient scan meets most. */
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        size_t full = strlen(inputs[i]);
        for (size_t skip = 0; skip <= full; skip++) {
            struct guard g;
            const char *buf = guard_place(&g, inputs[i] + skip, full - skip);
            exercise(buf, full - skip);
            guard_release(&g);
        }
    }
}

Test(guard, all_byte_values)
{
    /* Every byte value in each position of a short reply. */
    char base[] = "550 5.1.1 x\r\n";
    size_t len = sizeof base - 1;
    for (size_t pos = 0; pos < len; pos++) {
        for (unsigned v = 0; v < 256; v++) {
            struct guard g;
            char tmp[sizeof base];
            memcpy(tmp, base, sizeof base);
            tmp[pos] = (char)v;
            const char *buf = guard_place(&g, tmp, len);
            exercise(buf, len);
            guard_release(&g);
        }
    }
}

Test(guard, long_line_at_the_limit)
{
    /* A line that runs to the end of the buffer without a terminator, just
     * under and just over SMTPSTATUS_REPLY_LINE_MAX. */
    static char big[SMTPSTATUS_REPLY_LINE_MAX + 16];
    memset(big, 'a', sizeof big);
    memcpy(big, "550 ", 4);
    for (size_t len = SMTPSTATUS_REPLY_LINE_MAX - 2; len < sizeof big; len++) {
        struct guard g;
        struct smtpstatus_reply reply = SMTPSTATUS_REPLY_INIT;
        const char *buf = guard_place(&g, big, len);
        int rc = smtpstatus_parse_reply(buf, len, 0, &reply);
        if (len < SMTPSTATUS_REPLY_LINE_MAX)
            cr_assert_eq(rc, SMTPSTATUS_INCOMPLETE, "len %zu: %d", len, rc);
        else
            cr_assert_eq(rc, SMTPSTATUS_E_TOO_LONG, "len %zu: %d", len, rc);
        guard_release(&g);
    }
}
