/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * The shortcuts of the reply parser and the classifier (a one-digit
 * enhanced code read in line, a joined line's splits and the stage cues
 * found eight bytes at a time, one search for "(in reply to ", retry
 * delays looked for only after a space) at every offset their word-wide
 * steps can meet, from blocks of exactly the text's size so that the
 * sanitizers see a read past the end.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <smtpstatus.h>

/* A copy of text in a block of its exact size. */
static char *exact(const char *text, size_t len)
{
    char *b = malloc(len ? len : 1);

    cr_assert_not_null(b);
    memcpy(b, text, len);
    return b;
}

static int parse(const char *text, size_t len, unsigned flags, struct smtpstatus_reply *r)
{
    char *b = exact(text, len);
    int rc;

    *r = (struct smtpstatus_reply)SMTPSTATUS_REPLY_INIT;
    rc = smtpstatus_parse_reply(b, len, flags, r);
    free(b);
    return rc;
}

Test(fast_paths, one_digit_enhanced_codes_and_their_neighbours)
{
    static const struct {
        const char *text;
        int has;
        unsigned cls, subject, detail;
        size_t len;
    } cases[] = {
        { "550 5.1.1 No such user", 1, 5, 1, 1, 5 },
        { "550 5.1.1", 1, 5, 1, 1, 5 },
        { "550 5.1.10 x", 1, 5, 1, 10, 6 },
        { "550 5.10.1 x", 1, 5, 10, 1, 6 },
        { "450 4.7.1\r\n", 1, 4, 7, 1, 5 },
        { "250 2.0.0 Ok", 1, 2, 0, 0, 5 },
        { "550 5.1.1x", 0, 0, 0, 0, 0 },
        { "550 5.1.1_", 0, 0, 0, 0, 0 },
        { "550 5.1.1.2 x", 0, 0, 0, 0, 0 },
        { "550 3.1.1 x", 0, 0, 0, 0, 0 },
        { "550 5.1.1234 x", 0, 0, 0, 0, 0 },
        { "550 5.01.1 x", 0, 0, 0, 0, 0 },
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        for (unsigned m = 0; m < 2; m++) {
            unsigned flags = m ? SMTPSTATUS_REPLY_LENIENT : SMTPSTATUS_REPLY_AT_EOF;
            struct smtpstatus_reply r;
            int rc = parse(cases[i].text, strlen(cases[i].text), flags, &r);
            cr_assert_eq(rc, SMTPSTATUS_OK, "%s", cases[i].text);
            if (!cases[i].has) {
                /* No code after the reply code (it may still be found in
                 * the text, flagged as such). */
                cr_assert(!r.has_enhanced || (r.anomalies & SMTPSTATUS_ANOMALY_ENHANCED_IN_TEXT),
                          "%s", cases[i].text);
                continue;
            }
            cr_assert(r.has_enhanced, "%s", cases[i].text);
            cr_assert_eq(r.enhanced.cls, cases[i].cls, "%s", cases[i].text);
            cr_assert_eq(r.enhanced.subject, cases[i].subject, "%s", cases[i].text);
            cr_assert_eq(r.enhanced.detail, cases[i].detail, "%s", cases[i].text);
            cr_assert_eq(r.enhanced.reserved, 0);
            cr_assert_eq(r.enhanced_span.off, 4, "%s", cases[i].text);
            cr_assert_eq(r.enhanced_span.len, cases[i].len, "%s", cases[i].text);
        }
    }
}

/* Postfix's one-line rendering of a multi-line reply, with parts of 0 to
 * 20 bytes, so that each split meets every offset of the word-wide search,
 * and spaces before digits that do not split. */
Test(fast_paths, joined_lines_split_at_every_offset)
{
    char text[256], want[3][64];

    for (size_t a = 0; a <= 20; a++) {
        for (size_t b = 0; b <= 20; b++) {
            size_t len = 0, n;
            struct smtpstatus_reply r;
            struct smtpstatus_span line;
            size_t cursor = 0;
            char *buf;

            snprintf(want[0], sizeof want[0], "%.*sz 5 55 550", (int)a, "abcdefghijklmnopqrstuvwxyz");
            snprintf(want[1], sizeof want[1], "%.*sZ", (int)b, "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
            snprintf(want[2], sizeof want[2], "end 550x");
            len += (size_t)snprintf(text + len, sizeof text - len, "550-5.1.1 %s 550-5.1.1 %s 550 5.1.1 %s",
                                    want[0], want[1], want[2]);
            buf = exact(text, len);
            r = (struct smtpstatus_reply)SMTPSTATUS_REPLY_INIT;
            cr_assert_eq(smtpstatus_parse_reply(buf, len, SMTPSTATUS_REPLY_LENIENT, &r), SMTPSTATUS_OK);
            cr_assert_eq(r.line_count, 3, "%s", text);
            for (n = 0; smtpstatus_reply_next_line(buf, len, &r, &cursor, &line) == SMTPSTATUS_OK; n++) {
                cr_assert_lt(n, 3);
                cr_assert_eq(line.len, strlen(want[n]), "%s: line %zu", text, n);
                cr_assert(memcmp(buf + line.off, want[n], line.len) == 0, "%s: line %zu", text, n);
            }
            cr_assert_eq(n, 3);
            free(buf);
        }
    }
}

/* The stage named before the reply ("after RCPT TO") at every distance from
 * the text's start, in either case, and Postfix's "(in reply to ...)" after
 * it, which is also cut from the text (only when it lies whole inside). */
Test(fast_paths, stage_cues_at_every_offset)
{
    static const char *const cues[] = { " after RCPT TO:<a@example.org>: ", " AFTER RCPT TO:<a@example.org>: ",
                                        " After rcpt to: " };
    char text[256];

    for (size_t c = 0; c < sizeof cues / sizeof cues[0]; c++) {
        for (size_t pad = 0; pad <= 24; pad++) {
            struct smtpstatus_reply r;
            int len = snprintf(text, sizeof text, "%.*s%s550 5.1.1 unknown", (int)pad,
                               "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", cues[c]);
            cr_assert_eq(parse(text, (size_t)len, SMTPSTATUS_REPLY_LENIENT, &r), SMTPSTATUS_OK);
            cr_assert_eq(r.stage, SMTPSTATUS_STAGE_RCPT, "%s", text);
            len = snprintf(text, sizeof text, "%.*sF f 550 5.1.1 unknown", (int)pad, "ffffffffffffffffffffffffffffff");
            cr_assert_eq(parse(text, (size_t)len, SMTPSTATUS_REPLY_LENIENT, &r), SMTPSTATUS_OK);
            cr_assert_eq(r.stage, SMTPSTATUS_STAGE_UNKNOWN, "%s", text);
        }
    }
    {
        static const char in_reply[] = "host mx said: 550 5.1.1 unknown (in reply to RCPT TO command)";
        static const char two[] = "550 5.1.1 x (in reply to nothing) (in reply to DATA command)";
        static const char cut_short[] = "550 5.1.1 unknown (in reply to";
        struct smtpstatus_reply r;

        cr_assert_eq(parse(in_reply, strlen(in_reply), SMTPSTATUS_REPLY_LENIENT, &r), SMTPSTATUS_OK);
        cr_assert_eq(r.stage, SMTPSTATUS_STAGE_RCPT);
        cr_assert_eq(r.text.len, strlen("unknown"));
        cr_assert_eq(parse(two, strlen(two), SMTPSTATUS_REPLY_LENIENT, &r), SMTPSTATUS_OK);
        cr_assert_eq(r.stage, SMTPSTATUS_STAGE_DATA, "the first that names a stage");
        cr_assert_eq(r.text.len, 1, "cut at the first \"(in reply to \"");
        cr_assert_eq(parse(cut_short, strlen(cut_short), SMTPSTATUS_REPLY_LENIENT, &r), SMTPSTATUS_OK);
        cr_assert_eq(r.text.len, strlen("unknown (in reply to"));
    }
}

/* A delay is read only after a cue word and a space, wherever the number
 * falls in the eight-byte steps; a number after anything else is not one. */
Test(fast_paths, retry_delays_at_every_offset)
{
    static const struct {
        const char *cue;
        unsigned seconds;
    } cases[] = {
        { " try again in 5 minutes", 300 }, { " retry after  90 sec", 90 }, { " wait 2 hours", 7200 },
        { " try again in\t5 minutes", 0 },  { " try again in5 minutes", 0 }, { " try again (5 minutes)", 0 },
        { " again in 5.5 minutes", 0 },      { " host 10 minutes", 0 },
        { " Try Again IN  15 Minutes", 900 }, { " retry in 12345678 seconds", 0 },
        { " wait 1.2.3.4 hours", 0 },         { " within 3 days", 259200 },
    };
    char text[256];

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        for (size_t pad = 0; pad <= 17; pad++) {
            struct smtpstatus_verdict v = SMTPSTATUS_VERDICT_INIT;
            int len = snprintf(text, sizeof text, "451 4.7.1 %.*s%s", (int)pad, "1 2.3 4x5 6 7 8 9 0 1", cases[i].cue);
            char *buf = exact(text, (size_t)len);
            cr_assert_eq(smtpstatus_classify_text(buf, (size_t)len, 0, &v), SMTPSTATUS_OK);
            free(buf);
            if (cases[i].seconds) {
                cr_assert(v.flags & SMTPSTATUS_VERDICT_DELAY_FROM_TEXT, "%s", text);
                cr_assert_eq(v.retry_after, cases[i].seconds, "%s", text);
            } else {
                cr_assert_not(v.flags & SMTPSTATUS_VERDICT_DELAY_FROM_TEXT, "%s", text);
            }
        }
    }
}

/* The evidence spans of the reply code and the enhanced code: a parsed
 * reply's are taken where it found them when nothing can come first (a
 * reply code at the text's start, no dot before the enhanced code), else
 * searched for. Either way they are the first tokens equal to the codes,
 * what smtpstatus_classify() finds with the same facts and no spans. */
Test(fast_paths, code_spans_are_the_first_equal_tokens)
{
    static const char *const texts[] = {
        "550 5.1.1 user unknown", "550", "550 ", "5501 5.1.1 x", "550-5.1.1 a\r\n550 5.1.1 b",
        "550 x5.1.1 5.1.1 y", "550 5.1.1x 5.1.1", "550 4.1.1 5.1.1 no such user", "550 5.1.10 5.1.1 u",
        "550 5.9.1 5.1.1", "550 v5.1.1 5.1.1 unknown user", "550 1.5.1.1 5.1.1 user unknown",
        "550 mx.example.com 5.1.1 user unknown", "550 2.0 5.1.1 user unknown", "550a 550 5.1.1 user",
        "550 ... 5.1.1 mailbox unavailable", "550 5.1.1 550 5.1.1 unknown", "550 5.1.1.2 5.1.1 u",
        "host mx.example.com said: 550 5.1.1 user unknown", "450 4.2.2 mailbox full 550 5.1.1",
        "550 #5.1.1 unknown", "550 5.1.1", "550 5.1.1 <user@a.b>... User unknown (5.1.1)",
    };
    char text[128];

    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        for (size_t pad = 0; pad < 20; pad++) {
            struct smtpstatus_reply r = SMTPSTATUS_REPLY_INIT;
            struct smtpstatus_verdict a = SMTPSTATUS_VERDICT_INIT, b = SMTPSTATUS_VERDICT_INIT;
            struct smtpstatus_classify_input in;
            /* Dots and digits before the reply: a log line's prefix. */
            int len = snprintf(text, sizeof text, "%.*s%s", (int)pad, "a.b 5.5 1.2.3.4 x.y.z", texts[i]);
            char *buf = exact(text, (size_t)len);

            if (parse(buf, (size_t)len, SMTPSTATUS_REPLY_LENIENT, &r) != SMTPSTATUS_OK) {
                free(buf);
                continue;
            }
            cr_assert_eq(smtpstatus_classify_reply(buf, (size_t)len, &r, 0, &a), SMTPSTATUS_OK);
            memset(&in, 0, sizeof in);
            in.size = sizeof in;
            in.text = buf;
            in.text_len = (size_t)len;
            in.reply_code = r.code;
            in.has_enhanced = r.has_enhanced;
            in.enhanced = r.enhanced;
            in.stage = r.stage;
            cr_assert_eq(smtpstatus_classify(&in, &b), SMTPSTATUS_OK);
            cr_assert_eq(a.evidence_count, b.evidence_count, "%s", text);
            for (unsigned k = 0; k < a.evidence_count; k++)
                cr_assert(a.evidence[k].span.off == b.evidence[k].span.off &&
                              a.evidence[k].span.len == b.evidence[k].span.len,
                          "%s: evidence %u at %zu+%zu, want %zu+%zu", text, k, a.evidence[k].span.off,
                          a.evidence[k].span.len, b.evidence[k].span.off, b.evidence[k].span.len);
            free(buf);
        }
}
