/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * The reply parser's fast path (one usual line at a time, one pass over
 * its bytes, the first '(' noted for the stage search, reply starts found
 * a block at a time) against the general line scanner, field by field, in
 * every mode: over the labelled replies and hand-made shapes, each with
 * every prefix and with single bytes changed at every offset. Each input
 * sits in a block of exactly its size, so that the sanitizers see a read
 * past the end. Also: the generated direct indexes of lookup.c against the
 * tables they index.
 */

#define _DEFAULT_SOURCE /* guard.h: mmap's MAP_ANONYMOUS */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "guard.h"
#include "internal.h"
#include "replies-vectors.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const unsigned modes[] = {
    0,
    SMTPSTATUS_REPLY_AT_EOF,
    SMTPSTATUS_REPLY_STRICT_CRLF,
    SMTPSTATUS_REPLY_AT_EOF | SMTPSTATUS_REPLY_STRICT_CRLF,
    SMTPSTATUS_REPLY_LENIENT,
};

static unsigned long compared;

/* Both paths on b[0..len) where it is, every field compared. */
static void same_in_place(const char *b, size_t len, unsigned flags)
{
    const char *text = b;
    struct smtpstatus_reply f = SMTPSTATUS_REPLY_INIT, g = SMTPSTATUS_REPLY_INIT;
    int rf, rg;

    rf = smtpstatus_parse_reply(b, len, flags, &f);
    rg = smtpstatus__parse_reply_general(b, len, flags, &g);
#define SAME(field)                                                                             \
    cr_assert_eq(f.field, g.field, "%s differs (flags %u, len %zu): \"%.*s\"", #field, flags, len, \
                 (int)(len > 200 ? 200 : len), text)
    cr_assert_eq(rf, rg, "rc %d vs %d (flags %u, len %zu): \"%.*s\"", rf, rg, flags, len,
                 (int)(len > 200 ? 200 : len), text);
    SAME(code);
    SAME(line_count);
    SAME(anomalies);
    SAME(stage);
    SAME(parse_flags);
    SAME(has_enhanced);
    SAME(enhanced.cls);
    SAME(enhanced.reserved);
    SAME(enhanced.subject);
    SAME(enhanced.detail);
    SAME(enhanced_span.off);
    SAME(enhanced_span.len);
    SAME(span.off);
    SAME(span.len);
    SAME(text.off);
    SAME(text.len);
    SAME(consumed);
    SAME(error_offset);
#undef SAME
    compared++;
}

/* Both paths on a copy of text[0..len) in an exact block. */
static void same(const char *text, size_t len, unsigned flags)
{
    char *b = malloc(len ? len : 1);

    cr_assert_not_null(b);
    memcpy(b, text, len);
    same_in_place(b, len, flags);
    free(b);
}

/* Every prefix, and every offset changed to each of a few bytes that the
 * fast path must notice (or must not mistake). */
static void same_around(const char *text, size_t len)
{
    static const char swaps[] = { '\t', '\r', '\n', '\0', (char)0x80, (char)0xFF, ' ', '(', '5', '-', '.', ':', 0x7F };
    char *m = malloc(len ? len : 1);

    cr_assert_not_null(m);
    for (size_t i = 0; i < COUNT(modes); i++) {
        for (size_t n = 0; n <= len; n++)
            same(text, n, modes[i]);
        for (size_t at = 0; at < len; at++) {
            for (size_t k = 0; k < sizeof swaps; k++) {
                memcpy(m, text, len);
                m[at] = swaps[k];
                same(m, len, modes[i]);
            }
        }
    }
    free(m);
}

Test(reply_fast, labelled_replies)
{
    compared = 0;
    for (size_t i = 0; i < COUNT(vectors); i++) {
        for (size_t k = 0; k < COUNT(modes); k++)
            same(vectors[i].text, vectors[i].len, modes[k]);
        /* Every prefix in lenient mode: ends fall everywhere in a block. */
        for (size_t n = 0; n < vectors[i].len; n++)
            same(vectors[i].text, n, SMTPSTATUS_REPLY_LENIENT);
    }
    cr_assert_gt(compared, 602u * COUNT(modes));
}

Test(reply_fast, shapes_prefixes_and_mutations)
{
    static const char *const shapes[] = {
        "250 OK\r\n",
        "250 2.0.0 Ok: queued as 4Bxyz\r\n",
        "550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown in virtual mailbox table\r\n",
        "550 5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy\r\n",
        "250-mx.example.com Hello\r\n250-SIZE 35882577\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
        "550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n"
        "550-5.1.1 double-checking the recipient's email address for typos or\r\n"
        "550 5.1.1 unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser x1si\r\n",
        "smtp; 550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 "
        "double-checking the recipient's email address 550 5.1.1 https://support.google.com/mail/?p=NoSuchUser",
        /* Joined lines that end at their split on the fast path, with
         * 8-bit bytes and parentheses before it, and a long text of them. */
        "smtp; 550-5.1.1 caf\xc3\xa9 (x) 550-5.1.1 m\xc3\xa9re (y) 550 5.1.1 end (in reply to RCPT TO command)",
        "421-4.7.0 \xe3\x81\x82\xe3\x81\x84\xe3\x81\x86\xe3\x81\x88\xe3\x81\x8a\xe3\x81\x8b\xe3\x81\x8d "
        "421-4.7.0 \xe3\x81\x8f\xe3\x81\x91 421 4.7.0 try later",
        "host mx.example.com[192.0.2.1] said: 550 5.1.1 <bob@example.com>: Recipient address rejected: "
        "User unknown (in reply to RCPT TO command)",
        "SMTP error from remote mail server after RCPT TO:<bob@example.com>:\n    550 5.1.1 No such user here",
        "smtp; 554 5.7.1 Message rejected (#5.7.1) (in reply to end of DATA command)",
        "550 No such user (#5.1.1)\n",
        "451 4.7.1\tGreylisted, please\ttry again later (in reply to (RCPT TO command)",
        "550 5.1.1 Benutzer unbekannt \xc3\xa4\xc3\xb6\xc3\xbc (in reply to RCPT TO command)",
        "550 5.1.1\n",
        "421 4.4.2 (timeout)\r",
        "550: 5.2.2 <a@example.org>... Mailbox Full",
        "Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'",
        "Out: 354 End data with <CR><LF>.<CR><LF> Out: 451 4.3.0 queue file write error",
        "connect to mx.example.com[192.0.2.1]:25: Connection refused",
        "550 5.1.1 ((((((((((((((((((((((((((((((((((((((((((in reply to RCPT TO command)",
        "553 5.1.2 a\tb\tc\td\te\tf\tg\th\ti\tj\tk\tl\tm\tn\to\tp\tq\tr\ts (x)",
        /* Texts of several 32-byte blocks (the scan's widest step), with a
         * '(' and 8-bit bytes late. */
        "550 5.7.1 Service unavailable; client host [192.0.2.1] blocked using zen.spamhaus.org; see "
        "https://www.spamhaus.org/query/ip/192.0.2.1 for details (in reply to RCPT TO command)\r\n",
        "554 5.7.1 abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz "
        "0123456789 \xc3\xa9t\xc3\xa9 (x)",
    };

    for (size_t i = 0; i < COUNT(shapes); i++)
        same_around(shapes[i], strlen(shapes[i]));
}

/* Lines about RFC 5321's 512 octets, the fast path's limit, ending in each
 * way; and many lines. */
Test(reply_fast, long_and_many_lines)
{
    static char buf[4096];
    static const char *const ends[] = { "", "\r\n", "\n", "\r", "\r\n ", "\r\n550 more\r\n" };

    for (size_t n = 500; n <= 516; n++) {
        for (size_t e = 0; e < COUNT(ends); e++) {
            size_t len;

            memcpy(buf, "550 5.1.1 ", 10);
            memset(buf + 10, 'x', n - 10);
            buf[n - 20] = '(';
            len = n + strlen(ends[e]);
            memcpy(buf + n, ends[e], strlen(ends[e]));
            for (size_t k = 0; k < COUNT(modes); k++) {
                same(buf, len, modes[k]);
                buf[3] = '-';
                same(buf, len, modes[k]);
                buf[3] = ' ';
            }
        }
    }
    {
        size_t len = 0;
        for (unsigned i = 0; i < 150 && len + 20 < sizeof buf; i++)
            len += (size_t)snprintf(buf + len, sizeof buf - len, "250-line %u (x)\r\n", i);
        len += (size_t)snprintf(buf + len, sizeof buf - len, "250 end\r\n");
        for (size_t k = 0; k < COUNT(modes); k++)
            for (size_t n = 0; n <= len; n += 7)
                same(buf, n, modes[k]);
    }
}

/* Both paths on texts that end flush against an unreadable page: the
 * scans that read a block at a time must never read past the end. Every
 * length up to 200 of a text of plain bytes, each with one stop byte (or
 * a '(') at every offset. */
Test(reply_fast, end_at_unreadable_page)
{
    static const char stops[] = { 'x', '\t', '\r', '\n', '\0', (char)0x80, (char)0xFF, 0x7F, 0x1F, '(', ' ' };
    char text[200];
    struct guard g;

    for (size_t len = 0; len <= sizeof text; len++) {
        for (size_t at = 4; at < len || (at == 4 && len <= 4); at++) {
            for (size_t k = 0; k < sizeof stops; k++) {
                for (size_t i = 0; i < len; i++)
                    text[i] = (char)('a' + i % 26);
                memcpy(text, "550 ", len < 4 ? len : 4);
                if (at < len)
                    text[at] = stops[k];
                {
                    const char *b = guard_place(&g, text, len);
                    for (size_t m = 0; m < COUNT(modes); m++)
                        same_in_place(b, len, modes[m]);
                    guard_release(&g);
                }
                if (at >= len)
                    break;
            }
        }
    }
    for (size_t i = 0; i < COUNT(vectors); i++) {
        const char *b = guard_place(&g, vectors[i].text, vectors[i].len);
        for (size_t m = 0; m < COUNT(modes); m++)
            same_in_place(b, vectors[i].len, modes[m]);
        guard_release(&g);
    }
}

/* The direct path for a whole one-line reply ("NNN SP text"): each such
 * line after each prefix (where the lenient search puts the reply start)
 * and before each ending (none, CRLF, a bare LF or CR, a fold, another
 * reply), flush against an unreadable page, in every mode. */
Test(reply_fast, one_line_direct_path)
{
#define L(s) { s, sizeof s - 1 }
    static const struct {
        const char *s;
        size_t n;
    } prefixes[] = { L(""), L("smtp; "), L("host said: "), L("'"), L("("), L("Out: 250 ok Out: ") },
      lines[] = {
          L("550 5.1.1 User unknown"),
          L("550 5.7.26 DMARC (policy)"),
          L("550 5.1.1  two spaces"),
          L("550 5.1.10 x"),
          L("550 05.1.1 leading zero"),
          L("550 5.1.1"),
          L("550 5.1.1\t"),
          L("550 "),
          L("550"),
          L("550 (x) 5.1.1"),
          L("250 2.0.0 Ok: queued as 4Bxyz"),
          L("354 3.0.0 go ahead"),
          L("421 4.7.0 caf\xc3\xa9 try later"),
          L("550 No such user (#5.1.1)"),
          L("550 a\x01b"),
          L("550 a\0b"),
          L("552 5.3.4 message too big (in reply to end of DATA command)"),
      },
      ends[] = { L(""), L("\r\n"), L("\n"), L("\r"), L("\r\n "), L("\r\n\tmore"), L("\r\n250 next\r\n"), L("\n550 x") };
#undef L
    char text[160];
    struct guard g;

    compared = 0;
    for (size_t i = 0; i < COUNT(prefixes); i++) {
        for (size_t j = 0; j < COUNT(lines); j++) {
            for (size_t k = 0; k < COUNT(ends); k++) {
                size_t a = prefixes[i].n, b = lines[j].n, c = ends[k].n;
                const char *p;

                memcpy(text, prefixes[i].s, a);
                memcpy(text + a, lines[j].s, b);
                memcpy(text + a + b, ends[k].s, c);
                p = guard_place(&g, text, a + b + c);
                for (size_t m = 0; m < COUNT(modes); m++)
                    same_in_place(p, a + b + c, modes[m]);
                guard_release(&g);
            }
        }
    }
    cr_assert_eq(compared, COUNT(prefixes) * COUNT(lines) * COUNT(ends) * COUNT(modes));
}

/* A later line whose text starts with the bytes of the code an earlier
 * line gave the reply (and its space) takes that code in one compare: over
 * pairs of a first and a later line's code, equal, near (a digit more or
 * changed, a comma after it or no space, a longer code, one of more than
 * eight bytes with its space), or none, in wire lines and joined ones,
 * each later line also cut right after its code, flush against an
 * unreadable page, in every mode. The comma with spaces after it is the
 * case where content_off would differ without the space test. */
Test(reply_fast, repeated_enhanced_code)
{
    static const char *const codes[] = {
        "",         "5.1.1 ",       "5.1.1  x",  "5.1.1",     "5.1.10 ",   "5.1.1x ",   "5.1.1.2 ", "5.1.12 ",
        "05.1.1 ",  "5.100.200 ",   "5.10.200 ", "5.1.1\t",   "4.1.1 ",    "5.1.1,",    "5.7.26 ",  "5.7.2 ",
        "5.7.260 ", "5.1.1\r\n ", "5.1.1,  ",
    };
    static const char *const forms[][4] = {
        /* before the first code, between the lines, after the last code */
        { "", "550-", " first\r\n550-", " second\r\n550 " },
        { "smtp; ", "550-", " first 550-", " second 550 " },
        { "", "550-", " first\n550-", " second\n550 " },
    };
    char text[200];
    struct guard g;

    compared = 0;
    for (size_t f = 0; f < COUNT(forms); f++) {
        for (size_t i = 0; i < COUNT(codes); i++) {
            for (size_t j = 0; j < COUNT(codes); j++) {
                int n = snprintf(text, sizeof text, "%s%s%s%s%s%s%s third", forms[f][0], forms[f][1], codes[i],
                                 forms[f][2], codes[j], forms[f][3], codes[j]);
                size_t len = (size_t)n;

                cr_assert(n > 0 && len < sizeof text);
                /* Whole, and cut after each later line's code. */
                for (size_t cut = 0; cut < 3; cut++) {
                    size_t m = len;
                    const char *b;

                    if (cut == 1)
                        m = strlen(forms[f][0]) + strlen(forms[f][1]) + strlen(codes[i]) + strlen(forms[f][2]) +
                            strlen(codes[j]);
                    else if (cut == 2)
                        m = len - strlen(" third");
                    b = guard_place(&g, text, m);
                    for (size_t k = 0; k < COUNT(modes); k++)
                        same_in_place(b, m, modes[k]);
                    guard_release(&g);
                }
            }
        }
    }
    cr_assert_eq(compared, COUNT(forms) * COUNT(codes) * COUNT(codes) * 3 * COUNT(modes));
}

/* The stage cue before a reply (" after ", "refused") is found by its 'f'
 * from the reply backwards, sixteen or eight bytes at a time: the cue at
 * every offset of a filler with an 'f' or 'F' decoy at every offset (or
 * none, or all 'f'), and a cue one letter short, flush against an
 * unreadable page; the stage must be the cue's. */
Test(reply_fast, stage_cue_before_reply)
{
    static const struct {
        const char *cue;
        int stage;
    } cues[] = {
        { " after RCPT TO:<a@example.org>: ", SMTPSTATUS_STAGE_RCPT },
        { " AFTER rcpt to: ", SMTPSTATUS_STAGE_RCPT },
        { " refused to talk to me: ", SMTPSTATUS_STAGE_CONNECT },
        { " afte RCPT TO: ", SMTPSTATUS_STAGE_UNKNOWN },
        { " after  RCPT TO: ", SMTPSTATUS_STAGE_UNKNOWN },
    };
    char text[160];
    struct guard g;

    for (size_t c = 0; c < COUNT(cues); c++) {
        for (size_t pad = 0; pad <= 40; pad++) {
            for (size_t tail = 0; tail <= 40; tail += 5) {
                for (size_t decoy = 0; decoy <= pad + tail + 1; decoy++) {
                    size_t n = 0, cl = strlen(cues[c].cue);
                    struct smtpstatus_reply r = SMTPSTATUS_REPLY_INIT;
                    const char *b;

                    memset(text, decoy == pad + tail + 1 ? 'f' : 'x', pad);
                    n = pad;
                    memcpy(text + n, cues[c].cue, cl);
                    n += cl;
                    memset(text + n, decoy == pad + tail + 1 ? 'F' : 'y', tail);
                    n += tail;
                    if (decoy < pad)
                        text[decoy] = 'F';
                    else if (decoy < pad + tail)
                        text[pad + cl + decoy - pad] = 'f';
                    memcpy(text + n, " 550 5.1.1 x", 12);
                    n += 12;
                    b = guard_place(&g, text, n);
                    cr_assert_eq(smtpstatus_parse_reply(b, n, SMTPSTATUS_REPLY_LENIENT, &r), SMTPSTATUS_OK);
                    cr_assert_eq(r.stage, (uint32_t)cues[c].stage, "stage %u for \"%.*s\"", (unsigned)r.stage,
                                 (int)n, b);
                    same_in_place(b, n, SMTPSTATUS_REPLY_LENIENT);
                    guard_release(&g);
                }
            }
        }
    }
}

/* smtpstatus__stage_at() reads its phrases eight bytes at a time when the
 * text has room: against a byte-by-byte reading of the same phrases (in
 * stage.c's order), over each phrase in three cases, each byte of it
 * changed to what must not match (its 0x20 flip where it is not a letter:
 * a space to NUL, '-' to CR; another letter), before each tail, in blocks
 * of exactly their size. */
static int stage_bytewise(const char *buf, size_t len, size_t at, size_t *end)
{
    static const struct {
        const char *phrase;
        int stage;
    } phrases[] = {
        { "auth", SMTPSTATUS_STAGE_AUTH },
        { "banner", SMTPSTATUS_STAGE_CONNECT },
        { "bdat", SMTPSTATUS_STAGE_BDAT },
        { "connect", SMTPSTATUS_STAGE_CONNECT },
        { "data", SMTPSTATUS_STAGE_DATA },
        { "end-of-data", SMTPSTATUS_STAGE_END_OF_DATA },
        { "end of data", SMTPSTATUS_STAGE_END_OF_DATA },
        { "eod", SMTPSTATUS_STAGE_END_OF_DATA },
        { "ehlo", SMTPSTATUS_STAGE_EHLO },
        { "greeting", SMTPSTATUS_STAGE_CONNECT },
        { "helo", SMTPSTATUS_STAGE_EHLO },
        { "initial connection", SMTPSTATUS_STAGE_CONNECT },
        { "initial greeting", SMTPSTATUS_STAGE_CONNECT },
        { "lhlo", SMTPSTATUS_STAGE_EHLO },
        { "mail from", SMTPSTATUS_STAGE_MAIL },
        { "mail", SMTPSTATUS_STAGE_MAIL },
        { "rcpt to", SMTPSTATUS_STAGE_RCPT },
        { "rcpt", SMTPSTATUS_STAGE_RCPT },
        { "starttls", SMTPSTATUS_STAGE_STARTTLS },
    };

    if (smtpstatus__match_nocase(buf, len, at, "pipelined "))
        at += sizeof "pipelined " - 1;
    for (size_t i = 0; i < COUNT(phrases); i++) {
        size_t n = strlen(phrases[i].phrase);
        if (smtpstatus__match_at_n(buf, len, at, phrases[i].phrase, n) &&
            (at + n == len || !smtpstatus__is_alnum((unsigned char)buf[at + n]))) {
            *end = at + n;
            return phrases[i].stage;
        }
    }
    return SMTPSTATUS_STAGE_UNKNOWN;
}

static void same_stage(const char *text, size_t len)
{
    struct guard g;
    const char *b = guard_place(&g, text, len);
    size_t e1 = 0, e2 = 0;
    int s1 = smtpstatus__stage_at(b, len, 0, &e1), s2 = stage_bytewise(b, len, 0, &e2);

    cr_assert_eq(s1, s2, "stage %d vs %d: \"%.*s\"", s1, s2, (int)len, text);
    if (s1 != SMTPSTATUS_STAGE_UNKNOWN)
        cr_assert_eq(e1, e2, "end %zu vs %zu: \"%.*s\"", e1, e2, (int)len, text);
    guard_release(&g);
}

Test(reply_fast, stage_phrases_eight_at_a_time)
{
    static const char *const phrases[] = {
        "auth", "banner", "bdat", "connect", "data", "end-of-data", "end of data", "eod", "ehlo",
        "greeting", "helo", "initial connection", "initial greeting", "lhlo", "mail from", "mail",
        "rcpt to", "rcpt", "starttls", "pipelined rcpt to", "pipelined end of data",
    };
    static const char *const tails[] = { "", " ", "x", ":", " command)", ":<bob@example.com>: 550 5.1.1 no such user" };
    char text[128];

    for (size_t i = 0; i < COUNT(phrases); i++) {
        size_t n = strlen(phrases[i]);

        for (size_t t = 0; t < COUNT(tails); t++) {
            size_t len = n + strlen(tails[t]);

            for (unsigned c = 0; c < 3; c++) {
                for (size_t k = 0; k < n; k++) {
                    char ch = phrases[i][k];
                    text[k] = c == 1 && ch >= 'a' && ch <= 'z' ? (char)(ch - 32)
                              : c == 2 && k % 2 && ch >= 'a' && ch <= 'z' ? (char)(ch - 32) : ch;
                }
                memcpy(text + n, tails[t], strlen(tails[t]));
                for (size_t cut = 0; cut <= len; cut++)
                    same_stage(text, cut);
                for (size_t k = 0; k < n; k++) {
                    char keep = text[k];
                    text[k] = (char)(keep ^ 0x20);
                    same_stage(text, len);
                    text[k] = keep == 'z' || keep == 'Z' ? (char)(keep - 1) : (char)(keep + 1);
                    same_stage(text, len);
                    text[k] = keep;
                }
            }
        }
    }
}

/* The enhanced code after the reply code, whose usual shapes ("5.1.1 ",
 * "5.7.26 ") the parser reads without its general parser: against
 * smtpstatus_parse_enhanced() over every byte at each place of "c.s.dd ". */
Test(reply_fast, reply_start_digits_every_byte)
{
    /* The lenient search for the reply's start tests many bytes at once
     * for digits: each byte value in place of each digit of the code, in
     * texts of one block (16 to 31 bytes) and of several, must give what
     * the byte is: the reply when it is a digit, none otherwise. */
    static const char *const texts[] = {
        "host said: 550 no",
        "host said: 550 5.1.1 <bob@example.com>: Recipient address rejected in a longer text",
    };

    for (size_t t = 0; t < COUNT(texts); t++) {
        size_t len = strlen(texts[t]), at = (size_t)(strstr(texts[t], "550") - texts[t]);
        char *m = malloc(len);

        cr_assert_not_null(m);
        for (size_t k = 0; k < 3; k++) {
            for (unsigned b = 0; b < 256; b++) {
                struct smtpstatus_reply r = SMTPSTATUS_REPLY_INIT;
                int digit = b >= '0' && b <= '9' && (k > 0 || (b >= '2' && b <= '5'));
                int rc;

                memcpy(m, texts[t], len);
                m[at + k] = (char)b;
                rc = smtpstatus_parse_reply(m, len, SMTPSTATUS_REPLY_LENIENT, &r);
                cr_assert_eq(rc, digit ? SMTPSTATUS_OK : SMTPSTATUS_E_NOT_FOUND, "text %zu digit %zu byte %u", t, k, b);
                if (digit)
                    cr_assert_eq(r.span.off, at, "text %zu digit %zu byte %u", t, k, b);
                same_in_place(m, len, SMTPSTATUS_REPLY_LENIENT);
            }
        }
        free(m);
    }
}

Test(reply_fast, enhanced_after_code)
{
    static const char bytes[] = "0123456789 .\tx-";
    char b[16];

    for (size_t i = 0; i < 5 * (sizeof bytes - 1) * (sizeof bytes - 1); i++) {
        for (size_t place = 0; place < 7; place++) {
            size_t len = 13;
            struct smtpstatus_enhanced e;
            size_t end;
            int ok;

            memcpy(b, "550 5.7.26 ab", len);
            b[4] = "24539"[i % 5];
            b[4 + place] = bytes[i / 5 % (sizeof bytes - 1)];
            b[4 + (place + 1) % 7] = bytes[i / 5 / (sizeof bytes - 1)];
            ok = smtpstatus_parse_enhanced(b + 4, len - 4, SMTPSTATUS_ENHANCED_PREFIX, &e, &end) == SMTPSTATUS_OK;
            for (size_t m = 0; m < COUNT(modes); m++) {
                struct smtpstatus_reply r = SMTPSTATUS_REPLY_INIT;
                int at4;

                same_in_place(b, len, modes[m]);
                if (smtpstatus_parse_reply(b, len, modes[m] | SMTPSTATUS_REPLY_AT_EOF * (modes[m] == 0), &r) !=
                    SMTPSTATUS_OK)
                    continue;
                at4 = r.has_enhanced && r.enhanced_span.off == 4;
                cr_assert_eq(at4, ok, "\"%.*s\" flags %u", (int)len, b, modes[m]);
                if (ok) {
                    cr_assert_eq(smtpstatus_compare_enhanced(&r.enhanced, &e), 0, "\"%.*s\"", (int)len, b);
                    cr_assert_eq(r.enhanced_span.len, end, "\"%.*s\"", (int)len, b);
                }
            }
        }
    }
}

/* The registry anomalies from the generated pairing tables against their
 * plain definition: every reply code from 0 to 999, every enhanced code
 * about the registry's bounds, each class. */
Test(reply_fast, registry_anomalies_tables)
{
    for (unsigned code = 0; code < 1000; code++) {
        cr_assert_eq(smtpstatus__registry_anomalies(code, NULL), smtpstatus__registry_anomalies_plain(code, NULL),
                     "%u", code);
        for (unsigned subject = 0; subject < 10; subject++) {
            for (unsigned detail = 0; detail < 40; detail++) {
                static const uint8_t classes[] = { 2, 4, 5, 3, 0 };
                for (size_t c = 0; c < sizeof classes; c++) {
                    struct smtpstatus_enhanced e = { .cls = classes[c], .subject = (uint16_t)subject,
                                                     .detail = (uint16_t)detail };
                    cr_assert_eq(smtpstatus__registry_anomalies(code, &e),
                                 smtpstatus__registry_anomalies_plain(code, &e), "%u %u.%u.%u", code, e.cls,
                                 subject, detail);
                }
            }
        }
    }
}

/* The direct indexes against the rows they index: every registered code
 * found at its row, and nothing else found. */
Test(reply_fast, lookup_indexes)
{
    for (unsigned subject = 0; subject < 40; subject++) {
        for (unsigned detail = 0; detail < 120; detail++) {
            const struct smtpstatus__code_row *row = smtpstatus__find_code(subject, detail);
            int listed = 0;

            for (size_t i = 0; i < smtpstatus_enhanced_count(); i++) {
                struct smtpstatus_code_info info = { .size = sizeof info };
                cr_assert_eq(smtpstatus_enhanced_at(i, &info), SMTPSTATUS_OK);
                if (info.code.subject == subject && info.code.detail == detail)
                    listed = 1;
            }
            cr_assert_eq(row != NULL, listed, "X.%u.%u", subject, detail);
            if (row != NULL) {
                cr_assert_eq(row->subject, subject);
                cr_assert_eq(row->detail, detail);
            }
        }
    }
    cr_assert_null(smtpstatus__find_code(999, 999));
    for (unsigned code = 0; code < 1000; code++) {
        const struct smtpstatus__reply_row *row = smtpstatus__find_reply(code);
        struct smtpstatus_reply_info first = { .size = sizeof first };
        int listed = 0;

        for (size_t i = 0; i < smtpstatus_reply_code_count() && !listed; i++) {
            struct smtpstatus_reply_info info = { .size = sizeof info };
            cr_assert_eq(smtpstatus_reply_code_at(i, &info), SMTPSTATUS_OK);
            if (info.code == code) {
                first = info;
                listed = 1;
            }
        }
        cr_assert_eq(row != NULL, listed, "%u", code);
        if (row != NULL) {
            cr_assert_eq(row->code, code);
            cr_assert_eq(row->kind, first.kind, "%u: the first row", code);
            cr_assert_str_eq(smtpstatus__string(row->meaning), first.meaning);
        }
    }
}
