/* SPDX-License-Identifier: MIT */

/*
 * Unit tests for smtpstatus_parse_reply() and smtpstatus_reply_next_line(), plus the stage-name
 * helpers the lenient mode relies on.
 *
 * Every input is copied into a heap block of exactly its length (struct input) before it is
 * parsed: the header promises that nothing at or past buf + len is read, and ASan turns any such
 * read into a failure. Nothing here relies on NUL termination.
 *
 * The real reply texts come from the bounce corpus and the vendor notes; they are copied here so
 * the tests read no files at run time.
 */

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <smtpstatus.h>

/* A string literal and its length, NULs included. */
#define LIT(s) (s), (sizeof(s) - 1)

/* Every anomaly that says the reply breaks a rule of its own framing. */
#define MISMATCH_BITS                                                                              \
    (SMTPSTATUS_ANOMALY_CLASS_MISMATCH | SMTPSTATUS_ANOMALY_CODE_MISMATCH |                        \
     SMTPSTATUS_ANOMALY_ENHANCED_MISMATCH)

/* ---- Helpers ------------------------------------------------------------------------------ */

/* A copy of the caller's bytes in a block of exactly `len` bytes (ASan red zone right after). */
struct input {
    char *buf;
    size_t len;
};

static struct input input_new(const char *bytes, size_t len)
{
    struct input in;

    in.len = len;
    in.buf = malloc(len);
    if (len > 0) {
        cr_assert_not_null(in.buf);
        memcpy(in.buf, bytes, len);
    }
    return in;
}

static void input_free(struct input *in)
{
    free(in->buf);
    in->buf = NULL;
    in->len = 0;
}

static struct smtpstatus_reply reply_init(void)
{
    struct smtpstatus_reply r = SMTPSTATUS_REPLY_INIT;
    return r;
}

/* Parse an exact copy of `bytes`; spans in *out are offsets into `bytes` as well. */
static int parse(const char *bytes, size_t len, unsigned flags, struct smtpstatus_reply *out)
{
    struct input in = input_new(bytes, len);
    int rc;

    *out = reply_init();
    rc = smtpstatus_parse_reply(in.buf, in.len, flags, out);
    input_free(&in);
    return rc;
}

/* The length of an inline string of a parameter table (it must be terminated in its array). */
static size_t inline_len(const char *s, size_t cap)
{
    const char *end = memchr(s, '\0', cap);

    cr_assert_not_null(end, "a test-table string fills its %zu-byte array", cap);
    return (size_t)(end - s);
}

/* The offset of the first `needle` in `hay` (which must contain it). */
static size_t offset_of(const char *hay, const char *needle)
{
    const char *p = strstr(hay, needle);

    cr_assert_not_null(p, "\"%s\" not found in the test input", needle);
    return (size_t)(p - hay);
}

/* The span lies inside the input and holds exactly `want`. */
static void expect_span(const char *bytes, size_t len, struct smtpstatus_span sp, const char *want)
{
    size_t n = strlen(want);

    cr_assert(sp.off <= len && sp.len <= len - sp.off,
              "span %zu+%zu is outside the %zu-byte input", sp.off, sp.len, len);
    cr_expect(sp.len == n && memcmp(bytes + sp.off, want, n) == 0,
              "span %zu+%zu is \"%.*s\", expected \"%s\"", sp.off, sp.len, (int)sp.len,
              bytes + sp.off, want);
}

static void expect_ok(int rc)
{
    cr_assert_eq(rc, SMTPSTATUS_OK, "result %s, expected SMTPSTATUS_OK",
                 smtpstatus_result_name(rc));
}

static void expect_enhanced(const struct smtpstatus_reply *r, unsigned cls, unsigned subject,
                            unsigned detail)
{
    cr_expect(r->has_enhanced, "no enhanced code, expected %u.%u.%u", cls, subject, detail);
    cr_expect(r->enhanced.cls == cls && r->enhanced.subject == subject &&
                  r->enhanced.detail == detail,
              "enhanced code %u.%u.%u, expected %u.%u.%u", r->enhanced.cls, r->enhanced.subject,
              r->enhanced.detail, cls, subject, detail);
}

static void expect_anomaly(const struct smtpstatus_reply *r, uint32_t bit, int set)
{
    if (set)
        cr_expect(r->anomalies & bit, "anomaly 0x%x missing (anomalies 0x%x)", (unsigned)bit,
                  (unsigned)r->anomalies);
    else
        cr_expect(!(r->anomalies & bit), "unexpected anomaly 0x%x (anomalies 0x%x)",
                  (unsigned)bit, (unsigned)r->anomalies);
}

/* An error result: the documented value, where parsing stopped, and nothing consumed. */
static void expect_error(int rc, const struct smtpstatus_reply *r, int want, size_t offset)
{
    cr_expect_eq(rc, want, "result %s, expected %s", smtpstatus_result_name(rc),
                 smtpstatus_result_name(want));
    cr_expect_eq(r->error_offset, offset, "error_offset %zu, expected %zu", r->error_offset,
                 offset);
    cr_expect_eq(r->consumed, 0, "consumed %zu on an error", r->consumed);
}

#define MAX_LINES 16

/* Walk the lines with smtpstatus_reply_next_line() until E_NOT_FOUND (which must then stick). */
static size_t collect_lines(const struct input *in, const struct smtpstatus_reply *r,
                            struct smtpstatus_span *lines)
{
    size_t cursor = 0, n = 0;
    struct smtpstatus_span text;
    int rc;

    for (;;) {
        rc = smtpstatus_reply_next_line(in->buf, in->len, r, &cursor, &text);
        if (rc == SMTPSTATUS_E_NOT_FOUND)
            break;
        cr_assert_eq(rc, SMTPSTATUS_OK, "next_line: %s", smtpstatus_result_name(rc));
        cr_assert_lt(n, MAX_LINES, "next_line does not stop");
        lines[n++] = text;
    }
    rc = smtpstatus_reply_next_line(in->buf, in->len, r, &cursor, &text);
    cr_expect_eq(rc, SMTPSTATUS_E_NOT_FOUND, "next_line after the end: %s",
                 smtpstatus_result_name(rc));
    return n;
}

/* Parse `bytes` and check each line's text as smtpstatus_reply_next_line() gives it. */
static void expect_lines(const char *bytes, size_t len, unsigned flags, const char *const *want,
                         size_t count)
{
    struct input in = input_new(bytes, len);
    struct smtpstatus_reply r = reply_init();
    struct smtpstatus_span lines[MAX_LINES];
    size_t n;

    expect_ok(smtpstatus_parse_reply(in.buf, in.len, flags, &r));
    cr_expect_eq(r.line_count, count, "line_count %u, expected %zu", r.line_count, count);
    n = collect_lines(&in, &r, lines);
    cr_expect_eq(n, count, "next_line gave %zu lines, expected %zu", n, count);
    for (size_t i = 0; i < n && i < count; i++)
        expect_span(bytes, len, lines[i], want[i]);
    input_free(&in);
}

/* Replies used by several tests. */
static const char gmail_no_such_user[] =
    "550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n"
    "550-5.1.1 double-checking the recipient's email address for typos or\r\n"
    "550-5.1.1 unnecessary spaces. Learn more at\r\n"
    "550 5.1.1  https://support.google.com/mail/?p=NoSuchUser a1si123 - gsmtp\r\n";

static const char ehlo_reply[] = "250-mx.example.com\r\n"
                                 "250-PIPELINING\r\n"
                                 "250-SIZE 10240000\r\n"
                                 "250-ENHANCEDSTATUSCODES\r\n"
                                 "250 8BITMIME\r\n";

/* ---- 1. RFC 5321 §4.2 grammar -------------------------------------------------------------- */

Test(reply, single_line_with_crlf)
{
    static const char wire[] = "250 OK\r\n";
    struct smtpstatus_reply r;

    expect_ok(parse(LIT(wire), SMTPSTATUS_REPLY_STRICT_CRLF, &r));
    cr_expect_eq(r.code, 250);
    cr_expect_eq(r.line_count, 1);
    cr_expect_eq(r.consumed, sizeof wire - 1);
    cr_expect_eq(r.error_offset, 0);
    cr_expect_eq(r.parse_flags, SMTPSTATUS_REPLY_STRICT_CRLF);
    cr_expect_eq(r.stage, SMTPSTATUS_STAGE_UNKNOWN);
    cr_expect_not(r.has_enhanced);
    /* The span runs from the code to the end of the text, without the CRLF. */
    expect_span(LIT(wire), r.span, "250 OK");
    expect_span(LIT(wire), r.text, "OK");
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_BARE_LF, 0);
    expect_anomaly(&r, MISMATCH_BITS, 0);
}

/* RFC 5321 §4.2: "the code alone, with or without the trailing space" must be accepted. */
Test(reply, code_alone_without_and_with_trailing_space)
{
    static const char bare[] = "250\r\n";
    static const char spaced[] = "250 \r\n";
    static const char *const empty[] = { "" };
    struct smtpstatus_reply r;

    expect_ok(parse(LIT(bare), SMTPSTATUS_REPLY_STRICT_CRLF, &r));
    cr_expect_eq(r.code, 250);
    cr_expect_eq(r.line_count, 1);
    cr_expect_eq(r.consumed, sizeof bare - 1);
    cr_expect_eq(r.text.off, 3);
    cr_expect_eq(r.text.len, 0);
    expect_span(LIT(bare), r.span, "250");
    expect_lines(LIT(bare), 0, empty, 1);

    expect_ok(parse(LIT(spaced), SMTPSTATUS_REPLY_STRICT_CRLF, &r));
    cr_expect_eq(r.code, 250);
    cr_expect_eq(r.consumed, sizeof spaced - 1);
    cr_expect_eq(r.text.off, 4);
    cr_expect_eq(r.text.len, 0);
    expect_lines(LIT(spaced), 0, empty, 1);
}

/* RFC 5321 §4.2: "250-" on every line but the last, which has "250 ". RFC 2034 §3 exempts the
 * EHLO reply from enhanced codes, so none is found in the keywords (SIZE's number included). */
Test(reply, ehlo_multiline_response)
{
    static const char *const lines[] = { "mx.example.com", "PIPELINING", "SIZE 10240000",
                                         "ENHANCEDSTATUSCODES", "8BITMIME" };
    struct smtpstatus_reply r;

    expect_ok(parse(LIT(ehlo_reply), SMTPSTATUS_REPLY_STRICT_CRLF, &r));
    cr_expect_eq(r.code, 250);
    cr_expect_eq(r.line_count, 5);
    cr_expect_eq(r.consumed, sizeof ehlo_reply - 1);
    cr_expect_eq(r.span.off, 0);
    cr_expect_eq(r.span.len, sizeof ehlo_reply - 3, "the span ends before the last CRLF");
    cr_expect_not(r.has_enhanced);
    expect_span(LIT(ehlo_reply), r.text, "mx.example.com");
    expect_anomaly(&r, MISMATCH_BITS, 0);
    expect_lines(LIT(ehlo_reply), SMTPSTATUS_REPLY_STRICT_CRLF, lines, 5);
    expect_lines(LIT(ehlo_reply), 0, lines, 5);
}

/* The example of RFC 2034 §3: the same enhanced code starts every line's text. */
Test(reply, rfc2034_multiline_example)
{
    static const char wire[] = "551-5.7.1 Forwarding to remote hosts disabled\r\n"
                               "551 5.7.1 Select another host to act as your forwarder\r\n";
    static const char *const lines[] = { "Forwarding to remote hosts disabled",
                                         "Select another host to act as your forwarder" };
    struct smtpstatus_reply r;

    expect_ok(parse(LIT(wire), SMTPSTATUS_REPLY_STRICT_CRLF, &r));
    cr_expect_eq(r.code, 551);
    cr_expect_eq(r.line_count, 2);
    cr_expect_eq(r.consumed, sizeof wire - 1);
    expect_enhanced(&r, 5, 7, 1);
    cr_expect_eq(r.enhanced_span.off, 4);
    cr_expect_eq(r.enhanced_span.len, 5);
    expect_span(LIT(wire), r.text, "Forwarding to remote hosts disabled");
    /* 551 with X.7.1 is a pairing the registry lists: nothing to report at all. */
    cr_expect_eq(r.anomalies, 0, "anomalies 0x%x", (unsigned)r.anomalies);
    expect_lines(LIT(wire), SMTPSTATUS_REPLY_STRICT_CRLF, lines, 2);
}

/* RFC 5321 §4.2.1: "250-234 Text beginning with numbers" — 234 is text, not a code. */
Test(reply, text_beginning_with_numbers)
{
    static const char wire[] = "250-234 Text beginning with numbers\r\n"
                               "250 OK\r\n";
    static const char *const lines[] = { "234 Text beginning with numbers", "OK" };
    struct smtpstatus_reply r;

    expect_ok(parse(LIT(wire), SMTPSTATUS_REPLY_STRICT_CRLF, &r));
    cr_expect_eq(r.code, 250);
    cr_expect_eq(r.line_count, 2);
    cr_expect_not(r.has_enhanced);
    expect_span(LIT(wire), r.text, "234 Text beginning with numbers");
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_CODE_MISMATCH, 0);
    expect_lines(LIT(wire), SMTPSTATUS_REPLY_STRICT_CRLF, lines, 2);
}

/* RFC 2034 §3: "Reply-code SP status-code 1*SP text": the enhanced span covers the code only,
 * and the text starts after all the spaces (or a tab) that follow it. */
Test(reply, enhanced_and_text_spans)
{
    static const char one[] = "550 5.1.1 <bob@example.com>... User unknown\r\n";
    static const char wide[] = "550 5.7.606   Access denied\r\n";
    static const char tab[] = "452 4.3.1\tInsufficient system resources\r\n";
    static const char alone[] = "250 2.0.0\r\n";
    struct smtpstatus_reply r;

    expect_ok(parse(LIT(one), SMTPSTATUS_REPLY_STRICT_CRLF, &r));
    cr_expect_eq(r.enhanced_span.off, 4);
    cr_expect_eq(r.enhanced_span.len, 5);
    cr_expect_eq(r.text.off, 10);
    expect_span(LIT(one), r.text, "<bob@example.com>... User unknown");
    expect_span(LIT(one), r.span, "550 5.1.1 <bob@example.com>... User unknown");

    expect_ok(parse(LIT(wide), SMTPSTATUS_REPLY_STRICT_CRLF, &r));
    expect_enhanced(&r, 5, 7, 606);
    expect_span(LIT(wide), r.enhanced_span, "5.7.606");
    expect_span(LIT(wide), r.text, "Access denied");

    expect_ok(parse(LIT(tab), SMTPSTATUS_REPLY_STRICT_CRLF, &r));
    expect_enhanced(&r, 4, 3, 1);
    expect_span(LIT(tab), r.text, "Insufficient system resources");

    expect_ok(parse(LIT(alone), SMTPSTATUS_REPLY_STRICT_CRLF, &r));
    expect_enhanced(&r, 2, 0, 0);
    cr_expect_eq(r.text.off, 9);
    cr_expect_eq(r.text.len, 0);
}

/* An enhanced code must end at a token boundary (RFC 3463 §2 has exactly three parts) and has
 * no leading zeros; otherwise the bytes are plain text. */
Test(reply, malformed_enhanced_code_is_text)
{
    static const char four[] = "550 5.1.1.2 Unknown\r\n";
    static const char zero[] = "550 5.01.1 Unknown\r\n";
    static const char glued[] = "550 5.1.1x Unknown\r\n";
    struct smtpstatus_reply r;

    expect_ok(parse(LIT(four), SMTPSTATUS_REPLY_STRICT_CRLF, &r));
    cr_expect_not(r.has_enhanced);
    expect_span(LIT(four), r.text, "5.1.1.2 Unknown");

    expect_ok(parse(LIT(zero), SMTPSTATUS_REPLY_STRICT_CRLF, &r));
    cr_expect_not(r.has_enhanced);
    expect_span(LIT(zero), r.text, "5.01.1 Unknown");

    expect_ok(parse(LIT(glued), SMTPSTATUS_REPLY_STRICT_CRLF, &r));
    cr_expect_not(r.has_enhanced);
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_NO_ENHANCED, 1);
}

/* By default a bare LF ends a line (servers do send them) but is flagged. */
Test(reply, bare_lf_accepted_and_flagged)
{
    static const char one[] = "250 OK\n";
    static const char mixed[] = "250-first\n250 last\r\n";
    static const char *const lines[] = { "first", "last" };
    struct smtpstatus_reply r;

    expect_ok(parse(LIT(one), 0, &r));
    cr_expect_eq(r.code, 250);
    cr_expect_eq(r.consumed, sizeof one - 1);
    expect_span(LIT(one), r.text, "OK");
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_BARE_LF, 1);

    expect_ok(parse(LIT(mixed), 0, &r));
    cr_expect_eq(r.line_count, 2);
    cr_expect_eq(r.consumed, sizeof mixed - 1);
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_BARE_LF, 1);
    expect_lines(LIT(mixed), 0, lines, 2);

    /* CRLF everywhere: no flag. */
    expect_ok(parse(LIT("250 OK\r\n"), 0, &r));
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_BARE_LF, 0);
}

/* RFC 5321 §2.3.8: with SMTPSTATUS_REPLY_STRICT_CRLF a bare LF is a syntax error at the LF. */
Test(reply, bare_lf_refused_in_strict_mode)
{
    static const char one[] = "250 OK\n";
    static const char second[] = "250-first\r\n250 last\n";
    struct smtpstatus_reply r;
    int rc;

    rc = parse(LIT(one), SMTPSTATUS_REPLY_STRICT_CRLF, &r);
    expect_error(rc, &r, SMTPSTATUS_E_SYNTAX, offset_of(one, "\n"));

    rc = parse(LIT(second), SMTPSTATUS_REPLY_STRICT_CRLF, &r);
    expect_error(rc, &r, SMTPSTATUS_E_SYNTAX, sizeof second - 2);
}

/* ---- 2. Incremental use: an MTA reading from a socket -------------------------------------- */

/* Each proper prefix is "read more" (never an error); the whole buffer is the reply. */
static void expect_incomplete_prefixes(const char *wire, size_t len, unsigned flags)
{
    for (size_t n = 0; n < len; n++) {
        struct smtpstatus_reply r;
        int rc = parse(wire, n, flags, &r);

        cr_assert_eq(rc, SMTPSTATUS_INCOMPLETE, "prefix of %zu/%zu bytes: %s", n, len,
                     smtpstatus_result_name(rc));
        cr_assert_eq(r.consumed, 0, "prefix of %zu bytes consumed %zu", n, r.consumed);
    }
    {
        struct smtpstatus_reply r;

        expect_ok(parse(wire, len, flags, &r));
        cr_expect_eq(r.consumed, len);
    }
}

Test(reply, every_proper_prefix_is_incomplete)
{
    expect_incomplete_prefixes(LIT(ehlo_reply), 0);
    expect_incomplete_prefixes(LIT(ehlo_reply), SMTPSTATUS_REPLY_STRICT_CRLF);
    expect_incomplete_prefixes(LIT(gmail_no_such_user), 0);
    expect_incomplete_prefixes(LIT(gmail_no_such_user), SMTPSTATUS_REPLY_STRICT_CRLF);
    expect_incomplete_prefixes(LIT("421 4.7.0 Try again later, closing connection.\r\n"), 0);
}

/* With AT_EOF the caller says the bytes are all there is: a prefix is then either a complete
 * reply (it stops in a last line: "550" alone at the end is a whole reply) or a truncated one
 * (it stops in a "550-" continuation), never a syntax error. */
Test(reply, prefixes_at_eof_are_complete_or_truncated)
{
    size_t last_line = offset_of(gmail_no_such_user, "550 5.1.1 ");
    size_t truncated = 0;

    for (size_t n = 0; n < sizeof gmail_no_such_user - 1; n++) {
        struct smtpstatus_reply r;
        int rc = parse(gmail_no_such_user, n, SMTPSTATUS_REPLY_AT_EOF, &r);

        if (rc == SMTPSTATUS_E_TRUNCATED) {
            cr_assert_lt(n, last_line + 3, "prefix of %zu bytes ends in the last line", n);
            cr_assert_eq(r.consumed, 0);
            cr_assert_eq(r.error_offset, n);
            truncated++;
            continue;
        }
        cr_assert_eq(rc, SMTPSTATUS_OK, "prefix of %zu bytes: %s", n,
                     smtpstatus_result_name(rc));
        cr_assert_eq(r.consumed, n);
        cr_assert_eq(r.code, 550);
        if (n >= last_line + 3)
            cr_assert_eq(r.line_count, 4, "prefix of %zu bytes: %u lines", n, r.line_count);
    }
    /* Of the last_line + 3 prefixes that stop before the last line's code ends, the three
     * that stop right after a continuation line's "550" are complete replies. */
    cr_expect_eq(truncated, last_line, "%zu truncated prefixes", truncated);
}

/* RFC 2920 pipelining: replies arrive back to back; an MTA feeds bytes as they come, takes a
 * reply when one is complete and keeps the rest (starting at `consumed`) for the next. */
Test(reply, byte_by_byte_stream_of_pipelined_replies)
{
    static const char stream[] = "250 2.1.0 Sender OK\r\n"
                                 "550-5.1.1 The email account that you tried to reach does not "
                                 "exist. Please try\r\n"
                                 "550 5.1.1 double-checking the recipient's email address\r\n"
                                 "250 2.1.5 Recipient OK\r\n"
                                 "354 Go ahead\r\n";
    static const unsigned want_codes[] = { 250, 550, 250, 354 };
    static const unsigned want_lines[] = { 1, 2, 1, 1 };
    size_t start = 0, replies = 0;

    for (size_t have = 0; have <= sizeof stream - 1; have++) {
        struct smtpstatus_reply r;
        int rc = parse(stream + start, have - start, SMTPSTATUS_REPLY_STRICT_CRLF, &r);

        if (rc == SMTPSTATUS_INCOMPLETE)
            continue;
        expect_ok(rc);
        cr_assert_lt(replies, 4);
        cr_expect_eq(r.code, want_codes[replies], "reply %zu: code %u", replies, r.code);
        cr_expect_eq(r.line_count, want_lines[replies], "reply %zu: %u lines", replies,
                     r.line_count);
        cr_assert_eq(r.consumed, have - start, "a reply is taken as soon as its CRLF arrives");
        start += r.consumed;
        replies++;
    }
    cr_expect_eq(replies, 4);
    cr_expect_eq(start, sizeof stream - 1);
}

Test(reply, pipelined_replies_in_one_buffer)
{
    static const char wire[] = "250 2.1.0 Sender OK\r\n"
                               "550-5.1.1 No such user\r\n"
                               "550 5.1.1 Really\r\n"
                               "25";
    struct input in = input_new(LIT(wire));
    struct smtpstatus_reply r = reply_init();
    size_t second = offset_of(wire, "550-");
    size_t third = offset_of(wire, "\r\n25") + 2;

    expect_ok(smtpstatus_parse_reply(in.buf, in.len, 0, &r));
    cr_expect_eq(r.code, 250);
    cr_assert_eq(r.consumed, second);

    r = reply_init();
    expect_ok(smtpstatus_parse_reply(in.buf + second, in.len - second, 0, &r));
    cr_expect_eq(r.code, 550);
    cr_expect_eq(r.line_count, 2);
    expect_enhanced(&r, 5, 1, 1);
    cr_assert_eq(second + r.consumed, third);

    /* The start of a third reply: read more. */
    r = reply_init();
    cr_expect_eq(smtpstatus_parse_reply(in.buf + third, in.len - third, 0, &r),
                 SMTPSTATUS_INCOMPLETE);
    input_free(&in);
}

/* ---- 3. SMTPSTATUS_REPLY_AT_EOF ------------------------------------------------------------ */

Test(reply, at_eof_accepts_last_line_without_crlf)
{
    static const char text[] = "550 5.1.1 user unknown";
    struct smtpstatus_reply r;

    /* Without the flag the line could still go on. */
    cr_expect_eq(parse(LIT(text), 0, &r), SMTPSTATUS_INCOMPLETE);

    expect_ok(parse(LIT(text), SMTPSTATUS_REPLY_AT_EOF, &r));
    cr_expect_eq(r.code, 550);
    cr_expect_eq(r.line_count, 1);
    cr_expect_eq(r.consumed, sizeof text - 1);
    expect_enhanced(&r, 5, 1, 1);
    expect_span(LIT(text), r.text, "user unknown");
    expect_span(LIT(text), r.span, text);

    /* A code alone at the end is a complete reply too. */
    expect_ok(parse(LIT("250"), SMTPSTATUS_REPLY_AT_EOF, &r));
    cr_expect_eq(r.code, 250);
}

Test(reply, at_eof_truncated_continuation)
{
    static const char wire[] = "250-first\r\n";
    struct smtpstatus_reply r;
    int rc;

    cr_expect_eq(parse(LIT(wire), 0, &r), SMTPSTATUS_INCOMPLETE);

    rc = parse(LIT(wire), SMTPSTATUS_REPLY_AT_EOF, &r);
    expect_error(rc, &r, SMTPSTATUS_E_TRUNCATED, sizeof wire - 1);

    rc = parse(LIT("250-"), SMTPSTATUS_REPLY_AT_EOF, &r);
    expect_error(rc, &r, SMTPSTATUS_E_TRUNCATED, 4);

    rc = parse(LIT("55"), SMTPSTATUS_REPLY_AT_EOF, &r);
    expect_error(rc, &r, SMTPSTATUS_E_TRUNCATED, 2);
}

Test(reply, at_eof_empty_input_is_truncated)
{
    struct smtpstatus_reply r;
    int rc;

    cr_expect_eq(parse("", 0, 0, &r), SMTPSTATUS_INCOMPLETE);
    rc = parse("", 0, SMTPSTATUS_REPLY_AT_EOF, &r);
    expect_error(rc, &r, SMTPSTATUS_E_TRUNCATED, 0);

    /* An empty input may also be given as NULL, 0. */
    r = reply_init();
    rc = smtpstatus_parse_reply(NULL, 0, SMTPSTATUS_REPLY_AT_EOF, &r);
    expect_error(rc, &r, SMTPSTATUS_E_TRUNCATED, 0);
}

/* ---- 4. Bad input ------------------------------------------------------------------------- */

/* Parameter tables hold their strings inline, not as pointers: Criterion copies the parameters
 * into the process that runs the test, where the parent's pointers mean nothing. */

struct bad_case {
    char input[24];
    size_t len;
    unsigned flags;
    int result;
    size_t offset;
};

#define BAD(s, flags, result, offset) { s, sizeof(s) - 1, (flags), (result), (offset) }

static struct bad_case bad_cases[] = {
    /* RFC 5321 §4.2: Reply-code = %x32-35 %x30-35 %x30-39. */
    BAD("5x0 foo\r\n", 0, SMTPSTATUS_E_SYNTAX, 1),
    BAD("abc\r\n", 0, SMTPSTATUS_E_SYNTAX, 0),
    BAD("\r\n", 0, SMTPSTATUS_E_SYNTAX, 0),
    BAD(" 250 OK\r\n", 0, SMTPSTATUS_E_SYNTAX, 0),
    BAD("55\r\n", 0, SMTPSTATUS_E_SYNTAX, 2),
    /* A first digit outside 2-5 is well formed but out of range (1yz no longer exists). */
    BAD("150 foo\r\n", 0, SMTPSTATUS_E_BAD_CODE, 0),
    BAD("650 x\r\n", 0, SMTPSTATUS_E_BAD_CODE, 0),
    BAD("050\r\n", 0, SMTPSTATUS_E_BAD_CODE, 0),
    BAD("250-ok\r\n150 no\r\n", 0, SMTPSTATUS_E_BAD_CODE, 8),
    /* The code is followed by "-", SP or the line end, nothing else. */
    BAD("550x5.1.1 text\r\n", SMTPSTATUS_REPLY_STRICT_CRLF, SMTPSTATUS_E_SYNTAX, 3),
    BAD("550x5.1.1 text\r\n", 0, SMTPSTATUS_E_SYNTAX, 3),
    /* A continuation must be followed by a line with the code. */
    BAD("250-ok\r\nfoo\r\n", 0, SMTPSTATUS_E_SYNTAX, 8),
    BAD("250-ok\r\n250x\r\n", 0, SMTPSTATUS_E_SYNTAX, 11),
    /* textstring = 1*(%d09 / %d32-126): a bare CR or a NUL inside a line is not text. */
    BAD("550 a\rb\r\n", 0, SMTPSTATUS_E_SYNTAX, 5),
    BAD("550 a\rb\r\n", SMTPSTATUS_REPLY_AT_EOF, SMTPSTATUS_E_SYNTAX, 5),
    BAD("550 a\0b\r\n", SMTPSTATUS_REPLY_STRICT_CRLF, SMTPSTATUS_E_SYNTAX, 5),
    BAD("550 a\0b\r\n", 0, SMTPSTATUS_E_SYNTAX, 5),
    BAD("250-ok\r\n250 \0\r\n", SMTPSTATUS_REPLY_STRICT_CRLF, SMTPSTATUS_E_SYNTAX, 12),
    /* RFC 5321 §2.3.8 in strict mode. */
    BAD("250 OK\n", SMTPSTATUS_REPLY_STRICT_CRLF, SMTPSTATUS_E_SYNTAX, 6),
};

ParameterizedTestParameters(reply, bad_input)
{
    return cr_make_param_array(struct bad_case, bad_cases,
                               sizeof bad_cases / sizeof bad_cases[0]);
}

ParameterizedTest(struct bad_case *c, reply, bad_input)
{
    struct smtpstatus_reply r;
    int rc = parse(c->input, c->len, c->flags, &r);

    cr_expect_eq(rc, c->result, "\"%.*s\" flags %u: %s, expected %s", (int)c->len, c->input,
                 c->flags, smtpstatus_result_name(rc), smtpstatus_result_name(c->result));
    cr_expect_eq(r.error_offset, c->offset, "\"%.*s\": error_offset %zu, expected %zu",
                 (int)c->len, c->input, r.error_offset, c->offset);
    cr_expect_eq(r.consumed, 0);
    cr_expect_eq(r.line_count, 0);
}

/* The header: "On an error, `code`, `error_offset` and `consumed` (0) are set." Once a
 * well-formed code has been read, an error later in the reply still reports it. */
Test(reply, error_after_a_valid_code_reports_the_code)
{
    struct smtpstatus_reply r;

    cr_expect_eq(parse(LIT("250-ok\r\nfoo\r\n"), 0, &r), SMTPSTATUS_E_SYNTAX);
    cr_expect_eq(r.code, 250);

    cr_expect_eq(parse(LIT("550 a\rb\r\n"), 0, &r), SMTPSTATUS_E_SYNTAX);
    cr_expect_eq(r.code, 550, "code %u after an error in the first line's text", r.code);

    cr_expect_eq(parse(LIT("250 OK\n"), SMTPSTATUS_REPLY_STRICT_CRLF, &r), SMTPSTATUS_E_SYNTAX);
    cr_expect_eq(r.code, 250, "code %u after a bare LF in strict mode", r.code);
}

/* A line of `total` bytes, terminator included. */
static char *long_line(size_t total, const char *end)
{
    size_t end_len = strlen(end);
    char *buf = malloc(total);

    cr_assert_not_null(buf);
    cr_assert_gt(total, 4 + end_len);
    memcpy(buf, "550 ", 4);
    memset(buf + 4, 'x', total - 4 - end_len);
    memcpy(buf + total - end_len, end, end_len);
    return buf;
}

Test(reply, line_longer_than_limit_is_too_long)
{
    const size_t total = SMTPSTATUS_REPLY_LINE_MAX + 800;
    char *line = long_line(total, "\r\n");
    char *two = malloc(total + 8);
    struct smtpstatus_reply r;
    int rc;

    rc = parse(line, total, 0, &r);
    expect_error(rc, &r, SMTPSTATUS_E_TOO_LONG, SMTPSTATUS_REPLY_LINE_MAX);
    rc = parse(line, total, SMTPSTATUS_REPLY_AT_EOF, &r);
    expect_error(rc, &r, SMTPSTATUS_E_TOO_LONG, SMTPSTATUS_REPLY_LINE_MAX);

    /* No terminator yet: a reader must not be told to buffer forever. */
    rc = parse(line, total - 2, 0, &r);
    expect_error(rc, &r, SMTPSTATUS_E_TOO_LONG, SMTPSTATUS_REPLY_LINE_MAX);

    /* The limit is per line: the offset counts from the start of the long line. */
    cr_assert_not_null(two);
    memcpy(two, "550-ok\r\n", 8);
    memcpy(two + 8, line, total);
    rc = parse(two, total + 8, 0, &r);
    expect_error(rc, &r, SMTPSTATUS_E_TOO_LONG, 8 + SMTPSTATUS_REPLY_LINE_MAX);

    free(two);
    free(line);
}

/* "Longest reply line accepted, in bytes, terminator included": exactly the limit is fine, one
 * byte more is not, whether the line ends in CRLF or a bare LF. */
Test(reply, line_length_limit_boundary)
{
    const size_t max = SMTPSTATUS_REPLY_LINE_MAX;
    char *crlf_max = long_line(max, "\r\n");
    char *crlf_over = long_line(max + 1, "\r\n");
    char *lf_max = long_line(max, "\n");
    char *lf_over = long_line(max + 1, "\n");
    struct smtpstatus_reply r;
    int rc;

    expect_ok(parse(crlf_max, max, 0, &r));
    cr_expect_eq(r.consumed, max);
    expect_ok(parse(lf_max, max, 0, &r));
    cr_expect_eq(r.consumed, max);

    rc = parse(lf_over, max + 1, 0, &r);
    cr_expect_eq(rc, SMTPSTATUS_E_TOO_LONG, "LF line of %zu bytes: %s", max + 1,
                 smtpstatus_result_name(rc));
    rc = parse(crlf_over, max + 1, 0, &r);
    cr_expect_eq(rc, SMTPSTATUS_E_TOO_LONG, "CRLF line of %zu bytes: %s", max + 1,
                 smtpstatus_result_name(rc));
    cr_expect_eq(r.consumed, 0);

    free(crlf_max);
    free(crlf_over);
    free(lf_max);
    free(lf_over);
}

/* Lenient mode: a folded line whose indentation alone runs past the line limit. The text scan
 * starts past the limit there; it once read eight bytes at a time from that point to the end of
 * the buffer and beyond it (found while making the scan faster). */
Test(reply, lenient_fold_indented_past_the_line_limit)
{
    const size_t indent = SMTPSTATUS_REPLY_LINE_MAX + 808, len = 6 + indent + 37;
    char *buf = malloc(len);
    struct smtpstatus_reply r;
    int rc;

    cr_assert_not_null(buf);
    memcpy(buf, "550 a\n", 6);
    memset(buf + 6, ' ', indent);
    memset(buf + 6 + indent, 'x', 37);
    rc = parse(buf, len, SMTPSTATUS_REPLY_LENIENT, &r);
    expect_error(rc, &r, SMTPSTATUS_E_TOO_LONG, 6 + indent);
    free(buf);
}

/* `count` lines of "250-x\r\n" and a last "250 x\r\n" (7 bytes each). */
static char *many_lines(size_t count, size_t *len)
{
    char *buf = malloc(count * 7);

    cr_assert_not_null(buf);
    for (size_t i = 0; i < count; i++)
        memcpy(buf + i * 7, i + 1 == count ? "250 x\r\n" : "250-x\r\n", 7);
    *len = count * 7;
    return buf;
}

Test(reply, too_many_lines)
{
    size_t len;
    char *at_limit = many_lines(SMTPSTATUS_REPLY_LINES_MAX, &len);
    struct smtpstatus_reply r;
    char *over;
    int rc;

    expect_ok(parse(at_limit, len, SMTPSTATUS_REPLY_STRICT_CRLF, &r));
    cr_expect_eq(r.line_count, SMTPSTATUS_REPLY_LINES_MAX);
    cr_expect_eq(r.consumed, len);
    free(at_limit);

    over = many_lines(SMTPSTATUS_REPLY_LINES_MAX + 1, &len);
    rc = parse(over, len, SMTPSTATUS_REPLY_STRICT_CRLF, &r);
    expect_error(rc, &r, SMTPSTATUS_E_TOO_MANY, (size_t)SMTPSTATUS_REPLY_LINES_MAX * 7);
    free(over);
}

Test(reply, invalid_arguments)
{
    static const char wire[] = "250 OK\r\n";
    struct input in = input_new(LIT(wire));
    struct smtpstatus_reply r = reply_init();

    cr_expect_eq(smtpstatus_parse_reply(in.buf, in.len, 0, NULL), SMTPSTATUS_E_INVALID_ARG);
    cr_expect_eq(smtpstatus_parse_reply(NULL, 8, 0, &r), SMTPSTATUS_E_INVALID_ARG);
    cr_expect_eq(smtpstatus_parse_reply(in.buf, in.len, 1u << 3, &r), SMTPSTATUS_E_INVALID_ARG);
    cr_expect_eq(smtpstatus_parse_reply(in.buf, in.len, 1u << 31, &r), SMTPSTATUS_E_INVALID_ARG);
    cr_expect_eq(smtpstatus_parse_reply(in.buf, in.len, UINT_MAX, &r), SMTPSTATUS_E_INVALID_ARG);
    /* "Cannot be combined with SMTPSTATUS_REPLY_LENIENT." */
    cr_expect_eq(smtpstatus_parse_reply(in.buf, in.len,
                                        SMTPSTATUS_REPLY_STRICT_CRLF | SMTPSTATUS_REPLY_LENIENT,
                                        &r),
                 SMTPSTATUS_E_INVALID_ARG);
    /* Every known flag and every combination that is allowed is accepted. */
    expect_ok(smtpstatus_parse_reply(in.buf, in.len,
                                     SMTPSTATUS_REPLY_AT_EOF | SMTPSTATUS_REPLY_STRICT_CRLF, &r));
    expect_ok(smtpstatus_parse_reply(in.buf, in.len,
                                     SMTPSTATUS_REPLY_AT_EOF | SMTPSTATUS_REPLY_LENIENT, &r));
    input_free(&in);
}

Test(reply, struct_size_is_checked_and_respected)
{
    static const char wire[] = "550 5.1.1 user unknown\r\n";
    struct input in = input_new(LIT(wire));
    struct smtpstatus_reply r = reply_init();
    struct {
        struct smtpstatus_reply reply;
        unsigned char tail[32];
    } big;

    r.size = 0;
    cr_expect_eq(smtpstatus_parse_reply(in.buf, in.len, 0, &r), SMTPSTATUS_E_STRUCT_SIZE);
    r.size = sizeof r - 1;
    cr_expect_eq(smtpstatus_parse_reply(in.buf, in.len, 0, &r), SMTPSTATUS_E_STRUCT_SIZE);

    /* A caller built against a larger, future struct: the library fills what it knows, leaves
     * the rest alone and keeps the caller's size. */
    memset(&big, 0xA5, sizeof big);
    big.reply.size = sizeof big;
    expect_ok(smtpstatus_parse_reply(in.buf, in.len, 0, &big.reply));
    cr_expect_eq(big.reply.size, sizeof big);
    cr_expect_eq(big.reply.code, 550);
    cr_expect_eq(big.reply.consumed, sizeof wire - 1);
    for (size_t i = 0; i < sizeof big.tail; i++)
        cr_assert_eq(big.tail[i], 0xA5, "byte %zu past the struct was written", i);
    input_free(&in);
}

/* ---- 5. Anomalies ------------------------------------------------------------------------- */

/* RFC 2034 §3: the class must agree with the reply code. Google sends these. */
Test(reply, anomaly_class_mismatch)
{
    struct smtpstatus_reply r;

    expect_ok(parse(LIT("454 5.5.1 STARTTLS may not be repeated\r\n"), 0, &r));
    expect_enhanced(&r, 5, 5, 1);
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_CLASS_MISMATCH, 1);

    expect_ok(parse(LIT("550 4.7.1 Greylisted, please try again later\r\n"), 0, &r));
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_CLASS_MISMATCH, 1);

    /* Often quoted next to it, but 535 and 5.5.4 are both class 5: no class mismatch. What
     * is odd is the pairing (the registry lists X.5.4 with 451, 501-504, 550, 555). */
    expect_ok(parse(LIT("535 5.5.4 Optional argument not permitted for that AUTH mode\r\n"), 0,
                    &r));
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_CLASS_MISMATCH, 0);
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_UNUSUAL_PAIRING, 1);

    expect_ok(parse(LIT("550 5.1.1 user unknown\r\n"), 0, &r));
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_CLASS_MISMATCH, 0);
}

/* RFC 5321 §4.2.1: all lines of a multi-line reply carry the same code. */
Test(reply, anomaly_code_mismatch)
{
    struct smtpstatus_reply r;

    expect_ok(parse(LIT("250-ok\r\n251 ok\r\n"), 0, &r));
    cr_expect_eq(r.code, 250, "the first line's code is the reply's");
    cr_expect_eq(r.line_count, 2);
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_CODE_MISMATCH, 1);

    expect_ok(parse(LIT("550-5.1.1 a\r\n550-5.1.1 b\r\n551 5.1.1 c\r\n"), 0, &r));
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_CODE_MISMATCH, 1);
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_ENHANCED_MISMATCH, 0);

    expect_ok(parse(LIT(gmail_no_such_user), 0, &r));
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_CODE_MISMATCH, 0);
}

/* RFC 2034 §3: the same enhanced code starts every line. The reply's code is the first line's,
 * or else the first found. */
Test(reply, anomaly_enhanced_mismatch)
{
    static const char later[] = "550-Mailbox unavailable\r\n550 5.1.1 No such user\r\n";
    struct smtpstatus_reply r;

    expect_ok(parse(LIT("550-5.1.1 a\r\n550 5.1.2 b\r\n"), 0, &r));
    expect_enhanced(&r, 5, 1, 1);
    cr_expect_eq(r.enhanced_span.off, 4);
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_ENHANCED_MISMATCH, 1);

    expect_ok(parse(LIT("550-5.1.1 a\r\n550 b\r\n"), 0, &r));
    expect_enhanced(&r, 5, 1, 1);
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_ENHANCED_MISMATCH, 1);

    expect_ok(parse(LIT(later), 0, &r));
    expect_enhanced(&r, 5, 1, 1);
    cr_expect_eq(r.enhanced_span.off, offset_of(later, "5.1.1"));
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_ENHANCED_MISMATCH, 1);
    expect_span(LIT(later), r.text, "Mailbox unavailable");

    expect_ok(parse(LIT(gmail_no_such_user), 0, &r));
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_ENHANCED_MISMATCH, 0);
}

Test(reply, anomaly_no_enhanced)
{
    struct smtpstatus_reply r;

    expect_ok(parse(LIT("550 Requested action not taken\r\n"), 0, &r));
    cr_expect_not(r.has_enhanced);
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_NO_ENHANCED, 1);

    expect_ok(parse(LIT("250 OK\r\n"), 0, &r));
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_NO_ENHANCED, 1);

    /* RFC 2034 §3: 3xx replies carry none, so its absence is not remarkable. */
    expect_ok(parse(LIT("354 Start mail input; end with <CRLF>.<CRLF>\r\n"), 0, &r));
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_NO_ENHANCED, 0);
    expect_ok(parse(LIT("334 VXNlcm5hbWU6\r\n"), 0, &r));
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_NO_ENHANCED, 0);
    cr_expect_eq(r.anomalies, 0, "anomalies 0x%x", (unsigned)r.anomalies);

    expect_ok(parse(LIT("550 5.1.1 user unknown\r\n"), 0, &r));
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_NO_ENHANCED, 0);
}

/* qmail puts the code at the end: "(#5.7.1)". It is taken, flagged, and its span points at
 * it; the text is the whole text. */
Test(reply, anomaly_enhanced_in_text)
{
    static const char qmail[] =
        "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)\r\n";
    static const char yahoo[] = "421 [TSS04] Messages from 192.0.2.1 temporarily deferred - "
                                "4.16.55.1; see https://postmaster.yahooinc.com/error-codes\r\n";
    struct smtpstatus_reply r;

    expect_ok(parse(LIT(qmail), SMTPSTATUS_REPLY_STRICT_CRLF, &r));
    cr_expect_eq(r.code, 553);
    expect_enhanced(&r, 5, 7, 1);
    expect_span(LIT(qmail), r.enhanced_span, "5.7.1");
    cr_expect_eq(r.enhanced_span.off, offset_of(qmail, "(#5.7.1)") + 2);
    expect_span(LIT(qmail),
                r.text, "sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)");
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_ENHANCED_IN_TEXT, 1);
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_NO_ENHANCED, 0);

    /* Yahoo's "4.16.55.1" and an IP address are not enhanced codes. */
    expect_ok(parse(LIT(yahoo), SMTPSTATUS_REPLY_STRICT_CRLF, &r));
    cr_expect_not(r.has_enhanced);
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_ENHANCED_IN_TEXT, 0);
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_NO_ENHANCED, 1);

    expect_ok(parse(LIT("550 5.1.1 user unknown\r\n"), 0, &r));
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_ENHANCED_IN_TEXT, 0);
}

/* RFC 3463 §2 asks clients to degrade gracefully on details they do not know. */
Test(reply, anomaly_unregistered)
{
    struct smtpstatus_reply r;

    expect_ok(parse(LIT("550 5.7.606 Access denied, banned sending IP [192.0.2.1]\r\n"), 0, &r));
    expect_enhanced(&r, 5, 7, 606);
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_UNREGISTERED, 1);
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_UNUSUAL_PAIRING, 0);

    expect_ok(parse(LIT("451 4.4.316 Connection refused\r\n"), 0, &r));
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_UNREGISTERED, 1);

    expect_ok(parse(LIT("550 5.1.1 user unknown\r\n"), 0, &r));
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_UNREGISTERED, 0);
}

/* The registry's "associated basic status code" column (lib/data/smtp-enhanced-status-codes.csv):
 * X.1.1 lists 451, 550; X.7.17 lists 5XX; X.0.0 lists "Any"; X.1.0 lists "Not given". */
Test(reply, anomaly_unusual_pairing)
{
    struct smtpstatus_reply r;

    expect_ok(parse(LIT("553 5.1.1 <bob@example.com>: mailbox name not allowed\r\n"), 0, &r));
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_UNUSUAL_PAIRING, 1);
    expect_ok(parse(LIT("452 4.7.17 Mailbox owner has changed\r\n"), 0, &r));
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_UNUSUAL_PAIRING, 1);

    expect_ok(parse(LIT("550 5.1.1 user unknown\r\n"), 0, &r));
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_UNUSUAL_PAIRING, 0);
    expect_ok(parse(LIT("451 4.1.1 try again\r\n"), 0, &r));
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_UNUSUAL_PAIRING, 0);
    expect_ok(parse(LIT("554 5.7.17 Mailbox owner has changed\r\n"), 0, &r));
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_UNUSUAL_PAIRING, 0);
    expect_ok(parse(LIT("421 4.0.0 anything goes\r\n"), 0, &r));
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_UNUSUAL_PAIRING, 0);
    expect_ok(parse(LIT("250 2.1.0 Sender OK\r\n"), 0, &r));
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_UNUSUAL_PAIRING, 0);
}

/* RFC 5321 §4.2.1: unknown codes are read by their first digit; the parser says so. */
Test(reply, anomaly_unknown_code)
{
    struct smtpstatus_reply r;

    /* Second digit over 5: outside the Reply-code ABNF. */
    expect_ok(parse(LIT("571 5.7.1 Delivery not authorized, message refused\r\n"), 0, &r));
    cr_expect_eq(r.code, 571);
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_UNKNOWN_CODE, 1);
    /* Not in any table. */
    expect_ok(parse(LIT("510 5.1.1 Bad address\r\n"), 0, &r));
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_UNKNOWN_CODE, 1);

    expect_ok(parse(LIT("550 5.1.1 user unknown\r\n"), 0, &r));
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_UNKNOWN_CODE, 0);
    expect_ok(parse(LIT("521 5.3.2 Host does not accept mail\r\n"), 0, &r));
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_UNKNOWN_CODE, 0);
}

/* "The reply code is defined by no standard": codes in use but in no RFC (Zoho's 541,
 * MessageLabs' 542, the pre-RFC 821 200) are as unknown to a standards reader as 571. */
Test(reply, anomaly_unknown_code_for_nonstandard_codes)
{
    static const char *const wires[] = {
        "541 5.4.1 Mail rejected by destination domain\r\n",
        "542 Rejected\r\n",
        "200 OK\r\n",
    };

    for (size_t i = 0; i < sizeof wires / sizeof wires[0]; i++) {
        struct smtpstatus_reply r;

        expect_ok(parse(wires[i], strlen(wires[i]), 0, &r));
        cr_expect(r.anomalies & SMTPSTATUS_ANOMALY_UNKNOWN_CODE,
                  "\"%.3s\": no SMTPSTATUS_ANOMALY_UNKNOWN_CODE (anomalies 0x%x)", wires[i],
                  (unsigned)r.anomalies);
    }
}

/* RFC 5321 §4.5.3.1.5: a reply line is at most 512 octets, CRLF included. */
Test(reply, anomaly_long_line)
{
    char *at_limit = long_line(512, "\r\n");
    char *over = long_line(513, "\r\n");
    char *two;
    struct smtpstatus_reply r;

    expect_ok(parse(at_limit, 512, 0, &r));
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_LONG_LINE, 0);
    expect_ok(parse(over, 513, 0, &r));
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_LONG_LINE, 1);

    /* One long line anywhere in a multi-line reply is enough. */
    two = malloc(11 + 513);
    cr_assert_not_null(two);
    memcpy(two, "550-short\r\n", 11);
    memcpy(two + 11, over, 513);
    expect_ok(parse(two, 11 + 513, 0, &r));
    cr_expect_eq(r.line_count, 2);
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_LONG_LINE, 1);

    free(two);
    free(at_limit);
    free(over);
}

/* The last line of an AT_EOF buffer has no terminator, but can still be too long. */
Test(reply, anomaly_long_line_without_terminator_at_eof)
{
    char *line = long_line(600, "xx");
    struct smtpstatus_reply r;

    expect_ok(parse(line, 600, SMTPSTATUS_REPLY_AT_EOF, &r));
    cr_expect_eq(r.consumed, 600);
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_LONG_LINE, 1);
    free(line);
}

/* RFC 5321 textstring is HT and printable US-ASCII; SMTPUTF8 (RFC 6531) servers send UTF-8. */
Test(reply, anomaly_8bit)
{
    static const char utf8[] = "550 5.1.1 <\xe7\x94\xa8\xe6\x88\xb7@example.com>: "
                               "Recipient address rejected\r\n";
    struct smtpstatus_reply r;

    expect_ok(parse(LIT(utf8), SMTPSTATUS_REPLY_STRICT_CRLF, &r));
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_8BIT, 1);
    expect_span(LIT(utf8), r.text,
                "<\xe7\x94\xa8\xe6\x88\xb7@example.com>: Recipient address rejected");

    expect_ok(parse(LIT("550 5.1.1 a\x7f" "b\r\n"), 0, &r));
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_8BIT, 1);
    expect_ok(parse(LIT("550 5.1.1 a\x01" "b\r\n"), 0, &r));
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_8BIT, 1);

    /* HT is part of textstring. */
    expect_ok(parse(LIT("550 5.1.1 a\tb\r\n"), 0, &r));
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_8BIT, 0);
    expect_ok(parse(LIT("550 5.1.1 user unknown\r\n"), 0, &r));
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_8BIT, 0);
}

/* RFC 2034 §3: 3xx replies should not carry an enhanced code. One that does is read and
 * flagged, and it is not also a class mismatch (there is no class 3). */
Test(reply, anomaly_enhanced_on_3xx)
{
    static const char wire[] = "354 2.0.0 go ahead\r\n";
    struct smtpstatus_reply r;

    expect_ok(parse(LIT(wire), SMTPSTATUS_REPLY_STRICT_CRLF, &r));
    cr_expect_eq(r.code, 354);
    expect_enhanced(&r, 2, 0, 0);
    expect_span(LIT(wire), r.text, "go ahead");
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_ENHANCED_ON_3XX, 1);
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_CLASS_MISMATCH, 0);

    expect_ok(parse(LIT("354 Start mail input; end with <CRLF>.<CRLF>\r\n"), 0, &r));
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_ENHANCED_ON_3XX, 0);
    expect_ok(parse(LIT("550 5.1.1 user unknown\r\n"), 0, &r));
    expect_anomaly(&r, SMTPSTATUS_ANOMALY_ENHANCED_ON_3XX, 0);
}

/* A textbook Postfix rejection breaks no rule at all. */
Test(reply, clean_reply_has_no_anomalies)
{
    struct smtpstatus_reply r;

    expect_ok(parse(LIT("550 5.1.1 <a@b>: Recipient address rejected\r\n"),
                    SMTPSTATUS_REPLY_STRICT_CRLF, &r));
    cr_expect_eq(r.anomalies, 0, "anomalies 0x%x", (unsigned)r.anomalies);
    expect_anomaly(&r, MISMATCH_BITS, 0);
}

/* ---- 6. Real replies, as received (strict mode, CRLF) -------------------------------------- */

struct wire_case {
    char wire[640]; /* the reply as on the wire */
    unsigned code;
    unsigned cls, subject, detail; /* the enhanced code; cls 0 when there is none */
    char text[320]; /* the first line's text */
    unsigned lines;
};

static struct wire_case real_replies[] = {
    /* Postfix */
    { "550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown in virtual "
      "mailbox table\r\n",
      550, 5, 1, 1,
      "<bob@example.com>: Recipient address rejected: User unknown in virtual mailbox table", 1 },
    { "450 4.7.1 Client host rejected: cannot find your hostname, [192.0.2.1]\r\n", 450, 4, 7, 1,
      "Client host rejected: cannot find your hostname, [192.0.2.1]", 1 },
    { "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org\r\n",
      554, 5, 7, 1, "Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org",
      1 },
    { "554 5.7.1 <bob@example.org>: Relay access denied\r\n", 554, 5, 7, 1,
      "<bob@example.org>: Relay access denied", 1 },
    { "450 4.1.1 <bob@example.org>: Recipient address rejected: unverified address: Address "
      "verification in progress\r\n",
      450, 4, 1, 1,
      "<bob@example.org>: Recipient address rejected: unverified address: Address verification "
      "in progress",
      1 },
    { "504 5.5.2 <localhost>: Helo command rejected: need fully-qualified hostname\r\n", 504, 5, 5,
      2, "<localhost>: Helo command rejected: need fully-qualified hostname", 1 },
    { "552 5.3.4 Message size exceeds fixed limit\r\n", 552, 5, 3, 4,
      "Message size exceeds fixed limit", 1 },
    { "452 4.3.1 Insufficient system storage\r\n", 452, 4, 3, 1, "Insufficient system storage",
      1 },
    { "501 5.1.8 Sender address rejected\r\n", 501, 5, 1, 8, "Sender address rejected", 1 },
    /* Exim */
    { "550 Unrouteable address\r\n", 550, 0, 0, 0, "Unrouteable address", 1 },
    { "451 Temporary local problem - please try later\r\n", 451, 0, 0, 0,
      "Temporary local problem - please try later", 1 },
    { "550-Verification failed for <x@example.com>\r\n550-Unrouteable address\r\n"
      "550 Sender verify failed\r\n",
      550, 0, 0, 0, "Verification failed for <x@example.com>", 3 },
    { "550 Administrative prohibition\r\n", 550, 0, 0, 0, "Administrative prohibition", 1 },
    /* Sendmail */
    { "550 5.1.1 <bob@example.com>... User unknown\r\n", 550, 5, 1, 1,
      "<bob@example.com>... User unknown", 1 },
    { "553 5.1.8 <x@y>... Domain of sender address x@y does not exist\r\n", 553, 5, 1, 8,
      "<x@y>... Domain of sender address x@y does not exist", 1 },
    { "452 4.4.5 Insufficient disk space; try again later\r\n", 452, 4, 4, 5,
      "Insufficient disk space; try again later", 1 },
    { "552 5.2.2 <noraneko@example.jp>... Mailbox Full\r\n", 552, 5, 2, 2,
      "<noraneko@example.jp>... Mailbox Full", 1 },
    { "550 5.7.1 <bob@example.com>... Relaying denied\r\n", 550, 5, 7, 1,
      "<bob@example.com>... Relaying denied", 1 },
    /* qmail: the code at the end of the text */
    { "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)\r\n", 553, 5, 7, 1,
      "sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)", 1 },
    { "451 qq temporary problem (#4.3.0)\r\n", 451, 4, 3, 0, "qq temporary problem (#4.3.0)", 1 },
    /* Exchange / Office 365 / Outlook.com */
    { "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup\r\n",
      550, 5, 1, 10, "RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup",
      1 },
    { "550 5.7.606 Access denied, banned sending IP [192.0.2.1]. To request removal from this "
      "list please visit https://sender.office.com/ and follow the directions. For more "
      "information please go to  http://go.microsoft.com/fwlink/?LinkID=526655 (AS16012609)\r\n",
      550, 5, 7, 606,
      "Access denied, banned sending IP [192.0.2.1]. To request removal from this list please "
      "visit https://sender.office.com/ and follow the directions. For more information please "
      "go to  http://go.microsoft.com/fwlink/?LinkID=526655 (AS16012609)",
      1 },
    { "452 4.3.1 Insufficient system resources\r\n", 452, 4, 3, 1,
      "Insufficient system resources", 1 },
    { "550 5.1.1 RESOLVER.ADR.RecipNotFound; not found\r\n", 550, 5, 1, 1,
      "RESOLVER.ADR.RecipNotFound; not found", 1 },
    { "550 5.7.509 Access denied, sending domain [EXAMPLE.JP] does not pass DMARC verification "
      "and has a DMARC policy of reject.\r\n",
      550, 5, 7, 509,
      "Access denied, sending domain [EXAMPLE.JP] does not pass DMARC verification and has a "
      "DMARC policy of reject.",
      1 },
    { "451 4.7.650 The mail server [192.0.2.25] has been temporarily rate limited due to IP "
      "reputation. For e-mail delivery information, see https://postmaster.live.com (S775)\r\n",
      451, 4, 7, 650,
      "The mail server [192.0.2.25] has been temporarily rate limited due to IP reputation. For "
      "e-mail delivery information, see https://postmaster.live.com (S775)",
      1 },
    { "550 5.4.316 Message expired, connection refused\r\n", 550, 5, 4, 316,
      "Message expired, connection refused", 1 },
    { "530 5.7.57 Client was not authenticated to send anonymous mail during MAIL FROM\r\n", 530,
      5, 7, 57, "Client was not authenticated to send anonymous mail during MAIL FROM", 1 },
    { "550 5.5.0 Requested action not taken: mailbox unavailable\r\n", 550, 5, 5, 0,
      "Requested action not taken: mailbox unavailable", 1 },
    { "432 4.3.2 STOREDRV.Deliver; recipient thread limit exceeded\r\n", 432, 4, 3, 2,
      "STOREDRV.Deliver; recipient thread limit exceeded", 1 },
    { "550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. Please contact your "
      "Internet service provider since part of their network is on our block list (S3150).\r\n",
      550, 5, 7, 1,
      "Unfortunately, messages from [192.0.2.1] weren't sent. Please contact your Internet "
      "service provider since part of their network is on our block list (S3150).",
      1 },
    /* Gmail */
    { "550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n"
      "550-5.1.1 double-checking the recipient's email address for typos or\r\n"
      "550-5.1.1 unnecessary spaces. Learn more at\r\n"
      "550 5.1.1  https://support.google.com/mail/?p=NoSuchUser a1si123 - gsmtp\r\n",
      550, 5, 1, 1, "The email account that you tried to reach does not exist. Please try", 4 },
    { "421-4.7.0 [192.0.2.1      15] Our system has detected an unusual rate of\r\n"
      "421-4.7.0 unsolicited mail originating from your IP address. To protect our\r\n"
      "421-4.7.0 users from spam, mail sent from your IP address has been temporarily\r\n"
      "421-4.7.0 rate limited. Please visit\r\n"
      "421-4.7.0  https://support.google.com/mail/?p=UnsolicitedRateLimitError to\r\n"
      "421 4.7.0 review our Bulk Email Senders Guidelines. a1si123 - gsmtp\r\n",
      421, 4, 7, 0, "[192.0.2.1      15] Our system has detected an unusual rate of", 6 },
    { "550-5.7.26 This mail is unauthenticated, which poses a security risk to the\r\n"
      "550-5.7.26 sender and Gmail users, and has been blocked. The sender must\r\n"
      "550-5.7.26 authenticate with at least one of SPF or DKIM. For this message,\r\n"
      "550-5.7.26 DKIM checks did not pass and SPF check for [example.com] did not\r\n"
      "550-5.7.26 pass with ip: [192.0.2.1]. The sender should visit\r\n"
      "550-5.7.26  https://support.google.com/mail/answer/81126#authentication for\r\n"
      "550 5.7.26 instructions on setting up authentication. a1si123 - gsmtp\r\n",
      550, 5, 7, 26, "This mail is unauthenticated, which poses a security risk to the", 7 },
    { "452-4.2.2 The recipient's inbox is out of storage space. Please direct\r\n"
      "452-4.2.2 the recipient to\r\n"
      "452 4.2.2  https://support.google.com/mail/?p=OverQuotaTemp a1si123 - gsmtp\r\n",
      452, 4, 2, 2, "The recipient's inbox is out of storage space. Please direct", 3 },
    { "550-5.2.1 The email account that you tried to reach is disabled. Learn more at\r\n"
      "550 5.2.1  https://support.google.com/mail/?p=DisabledUser a1si123 - gsmtp\r\n",
      550, 5, 2, 1, "The email account that you tried to reach is disabled. Learn more at", 2 },
    { "535-5.7.8 Username and Password not accepted. Learn more at\r\n"
      "535 5.7.8  https://support.google.com/mail/?p=BadCredentials a1si123 - gsmtp\r\n",
      535, 5, 7, 8, "Username and Password not accepted. Learn more at", 2 },
    { "454 4.7.0 Too many login attempts, please try again later. a1si123 - gsmtp\r\n", 454, 4, 7,
      0, "Too many login attempts, please try again later. a1si123 - gsmtp", 1 },
    { "530 5.7.0 Must issue a STARTTLS command first. a1si123 - gsmtp\r\n", 530, 5, 7, 0,
      "Must issue a STARTTLS command first. a1si123 - gsmtp", 1 },
    { "421 4.7.28 Gmail has detected an unusual rate of mail originating from your DKIM domain "
      "[example.com 15]. a1si123 - gsmtp\r\n",
      421, 4, 7, 28,
      "Gmail has detected an unusual rate of mail originating from your DKIM domain [example.com "
      "15]. a1si123 - gsmtp",
      1 },
    { "250 2.1.5 OK a1si123 - gsmtp\r\n", 250, 2, 1, 5, "OK a1si123 - gsmtp", 1 },
    { "250 2.0.0 OK  1700000000 a1si123 - gsmtp\r\n", 250, 2, 0, 0,
      "OK  1700000000 a1si123 - gsmtp", 1 },
    { "221 2.0.0 closing connection a1si123 - gsmtp\r\n", 221, 2, 0, 0,
      "closing connection a1si123 - gsmtp", 1 },
    /* The greeting has no enhanced code (RFC 2034 §3); Gmail's 354 has two spaces, and only
     * the separator is dropped. */
    { "220 mx.google.com ESMTP a1si123 - gsmtp\r\n", 220, 0, 0, 0,
      "mx.google.com ESMTP a1si123 - gsmtp", 1 },
    { "354  Go ahead a1si123 - gsmtp\r\n", 354, 0, 0, 0, " Go ahead a1si123 - gsmtp", 1 },
    /* Yahoo / AOL: "4.16.55.1" is Yahoo's own, not the enhanced code */
    { "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume "
      "or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes\r\n",
      421, 4, 7, 0,
      "[TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user "
      "complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes",
      1 },
    { "554 5.7.9 Message not accepted for policy reasons.  See "
      "https://postmaster.yahooinc.com/error-codes\r\n",
      554, 5, 7, 9,
      "Message not accepted for policy reasons.  See https://postmaster.yahooinc.com/error-codes",
      1 },
    { "553 5.7.1 [BL21] Connections will not be accepted from 192.0.2.1, because the ip is in "
      "Spamhaus's list; see https://postmaster.yahooinc.com/error-codes\r\n",
      553, 5, 7, 1,
      "[BL21] Connections will not be accepted from 192.0.2.1, because the ip is in Spamhaus's "
      "list; see https://postmaster.yahooinc.com/error-codes",
      1 },
    { "553 5.7.2 [TSS09] All messages from 192.0.2.1 will be permanently deferred; Retrying will "
      "NOT succeed. See https://postmaster.yahooinc.com/error-codes\r\n",
      553, 5, 7, 2,
      "[TSS09] All messages from 192.0.2.1 will be permanently deferred; Retrying will NOT "
      "succeed. See https://postmaster.yahooinc.com/error-codes",
      1 },
    { "552 1 Requested mail action aborted, mailbox not found\r\n", 552, 0, 0, 0,
      "1 Requested mail action aborted, mailbox not found", 1 },
    { "554 30 Sorry, your message to bob@aol.com cannot be delivered. This mailbox is disabled "
      "(554.30)\r\n",
      554, 0, 0, 0,
      "30 Sorry, your message to bob@aol.com cannot be delivered. This mailbox is disabled "
      "(554.30)",
      1 },
    { "554 delivery error: dd This user doesn't have a yahoo.com account (bob@yahoo.com) [0] - "
      "mta1061.mail.ne1.yahoo.com\r\n",
      554, 0, 0, 0,
      "delivery error: dd This user doesn't have a yahoo.com account (bob@yahoo.com) [0] - "
      "mta1061.mail.ne1.yahoo.com",
      1 },
    /* iCloud (Proofpoint) */
    { "550 5.7.0 Blocked - see https://support.proofpoint.com/dnsbl-lookup.cgi?ip=192.0.2.1\r\n",
      550, 5, 7, 0, "Blocked - see https://support.proofpoint.com/dnsbl-lookup.cgi?ip=192.0.2.1",
      1 },
    { "550 5.1.1 <bob@icloud.com>: inactive email address\r\n", 550, 5, 1, 1,
      "<bob@icloud.com>: inactive email address", 1 },
    /* Zoho, Mimecast, Facebook, Orange / La Poste, Spectrum, Amazon SES, KDDI */
    { "451 4.7.1 Greylisted, try again after some time\r\n", 451, 4, 7, 1,
      "Greylisted, try again after some time", 1 },
    { "554 5.7.7 Email policy violation detected\r\n", 554, 5, 7, 7,
      "Email policy violation detected", 1 },
    { "550 Administrative prohibition - envelope blocked - "
      "https://community.mimecast.com/docs/DOC-1369#550 [AbCdEf.us123]\r\n",
      550, 0, 0, 0,
      "Administrative prohibition - envelope blocked - "
      "https://community.mimecast.com/docs/DOC-1369#550 [AbCdEf.us123]",
      1 },
    { "550 5.1.1 RCP-P2 http://postmaster.facebook.com/response_codes?ip=192.0.2.135#rcp Refused "
      "due to recipient preferences\r\n",
      550, 5, 1, 1,
      "RCP-P2 http://postmaster.facebook.com/response_codes?ip=192.0.2.135#rcp Refused due to "
      "recipient preferences",
      1 },
    { "550 5.5.0 Adresse destinataire invalide. Invalid recipient. LPN007_416\r\n", 550, 5, 5, 0,
      "Adresse destinataire invalide. Invalid recipient. LPN007_416", 1 },
    { "550 5.1.1 Adresse d au moins un destinataire invalide. Invalid recipient. OFR_416 "
      "[416]\r\n",
      550, 5, 1, 1,
      "Adresse d au moins un destinataire invalide. Invalid recipient. OFR_416 [416]", 1 },
    { "550 5.1.0 <bounce@example.com> sender rejected. Please see "
      "https://www.spectrum.net/support/internet/understanding-email-error-codes for more "
      "information. AUP#In-1310\r\n",
      550, 5, 1, 0,
      "<bounce@example.com> sender rejected. Please see "
      "https://www.spectrum.net/support/internet/understanding-email-error-codes for more "
      "information. AUP#In-1310",
      1 },
    { "554 Message rejected: Email address is not verified. The following identities failed the "
      "check in region US-EAST-1: bob@example.com\r\n",
      554, 0, 0, 0,
      "Message rejected: Email address is not verified. The following identities failed the "
      "check in region US-EAST-1: bob@example.com",
      1 },
    { "550 : User unknown\r\n", 550, 0, 0, 0, ": User unknown", 1 },
    { "521-5.7.1 Service unavailable; client [203.0.113.225] blocked using dnsbl.sorbs.net\r\n"
      "521 5.7.1 Please see http://support.mailhostbox.com/email-administrators-guide-error-codes/"
      " for explanation of the problem.\r\n",
      521, 5, 7, 1, "Service unavailable; client [203.0.113.225] blocked using dnsbl.sorbs.net",
      2 },
};

ParameterizedTestParameters(reply, real_replies_strict)
{
    return cr_make_param_array(struct wire_case, real_replies,
                               sizeof real_replies / sizeof real_replies[0]);
}

ParameterizedTest(struct wire_case *c, reply, real_replies_strict)
{
    size_t len = inline_len(c->wire, sizeof c->wire);
    size_t text_len = inline_len(c->text, sizeof c->text);
    struct input in = input_new(c->wire, len);
    struct smtpstatus_reply r = reply_init();
    struct smtpstatus_span lines[MAX_LINES];
    size_t n;
    int rc = smtpstatus_parse_reply(in.buf, in.len, SMTPSTATUS_REPLY_STRICT_CRLF, &r);

    cr_assert_eq(rc, SMTPSTATUS_OK, "%s: %s at %zu", c->wire, smtpstatus_result_name(rc),
                 r.error_offset);
    cr_expect_eq(r.code, c->code, "%s: code %u", c->wire, r.code);
    if (c->cls != 0) {
        expect_enhanced(&r, c->cls, c->subject, c->detail);
    } else {
        cr_expect_not(r.has_enhanced, "%s: enhanced code %u.%u.%u found", c->wire,
                      r.enhanced.cls, r.enhanced.subject, r.enhanced.detail);
        if (c->code / 100 != 3)
            expect_anomaly(&r, SMTPSTATUS_ANOMALY_NO_ENHANCED, 1);
    }
    cr_expect_eq(r.text.len, text_len, "%s: text of %zu bytes, expected %zu", c->wire,
                 r.text.len, text_len);
    expect_span(c->wire, len, r.text, c->text);
    cr_expect_eq(r.line_count, c->lines, "%s: %u lines", c->wire, r.line_count);
    cr_expect_eq(r.consumed, len);
    cr_expect_eq(r.span.off, 0);
    cr_expect_eq(r.span.len, len - 2);
    /* Servers that get these right: one code, one enhanced code, CRLF, ASCII. */
    expect_anomaly(&r, MISMATCH_BITS | SMTPSTATUS_ANOMALY_BARE_LF | SMTPSTATUS_ANOMALY_8BIT, 0);

    n = collect_lines(&in, &r, lines);
    cr_expect_eq(n, c->lines);
    if (n > 0)
        expect_span(c->wire, len, lines[0], c->text);
    input_free(&in);
}

/* ---- 7. Lenient mode: replies quoted in logs and DSN fields --------------------------------- */

static const char postfix_log[] =
    "Nov 23 10:00:00 mx postfix/smtp[4242]: 3F2A1C0: to=<bob@example.com>, "
    "relay=mx.example.com[192.0.2.1]:25, delay=0.52, delays=0.1/0/0.2/0.2, dsn=5.1.1, "
    "status=bounced (host mx.example.com[192.0.2.1] said: 550 5.1.1 <bob@example.com>: Recipient "
    "address rejected: User unknown (in reply to RCPT TO command))";

Test(reply, lenient_postfix_log_line)
{
    struct smtpstatus_reply r;
    size_t start = offset_of(postfix_log, "550 5.1.1");

    expect_ok(parse(LIT(postfix_log), SMTPSTATUS_REPLY_LENIENT, &r));
    cr_expect_eq(r.code, 550);
    cr_expect_eq(r.line_count, 1);
    cr_expect_eq(r.parse_flags, SMTPSTATUS_REPLY_LENIENT);
    expect_enhanced(&r, 5, 1, 1);
    cr_expect_eq(r.enhanced_span.off, start + 4, "the code after 550, not dsn=5.1.1");
    cr_expect_eq(r.span.off, start, "pid, port, delays and dsn= are not the reply");
    expect_span(LIT(postfix_log), r.text,
                "<bob@example.com>: Recipient address rejected: User unknown");
    expect_span(LIT(postfix_log), r.span,
                "550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown");
}

/* Postfix says which command the reply answered: "(in reply to RCPT TO command)". */
Test(reply, lenient_postfix_stage_from_in_reply_to)
{
    struct smtpstatus_reply r;

    expect_ok(parse(LIT(postfix_log), SMTPSTATUS_REPLY_LENIENT, &r));
    cr_expect_eq(r.stage, SMTPSTATUS_STAGE_RCPT, "stage %s",
                 smtpstatus_stage_name((int)r.stage));

    expect_ok(parse(LIT("host mx.example.com[192.0.2.1] said: 554 5.7.1 Message rejected as spam "
                        "(in reply to end of DATA command)"),
                    SMTPSTATUS_REPLY_LENIENT, &r));
    cr_expect_eq(r.stage, SMTPSTATUS_STAGE_END_OF_DATA, "stage %s",
                 smtpstatus_stage_name((int)r.stage));

    expect_ok(parse(LIT("host mx.example.com[192.0.2.1] said: 553 5.1.8 <a@b>... Domain of "
                        "sender address a@b does not exist (in reply to MAIL FROM command)"),
                    SMTPSTATUS_REPLY_LENIENT, &r));
    cr_expect_eq(r.stage, SMTPSTATUS_STAGE_MAIL, "stage %s",
                 smtpstatus_stage_name((int)r.stage));

    expect_ok(parse(LIT("host mx.example.com[192.0.2.1] said: 554 5.5.1 Protocol violation (in "
                        "reply to DATA command)"),
                    SMTPSTATUS_REPLY_LENIENT, &r));
    cr_expect_eq(r.stage, SMTPSTATUS_STAGE_DATA, "stage %s",
                 smtpstatus_stage_name((int)r.stage));
}

/* Postfix writes a multi-line reply on one line; the parser splits it again. */
Test(reply, lenient_postfix_joined_multiline)
{
    static const char log[] =
        "host gmail-smtp-in.l.google.com[192.0.2.26] said: 550-5.1.1 The email account that you "
        "tried to reach does not exist. Please try 550-5.1.1 double-checking the recipient's "
        "email address for typos or 550-5.1.1 unnecessary spaces. Learn more at 550 5.1.1 "
        "https://support.google.com/mail/?p=NoSuchUser - gsmtp (in reply to RCPT TO command)";
    static const char *const lines[] = {
        "The email account that you tried to reach does not exist. Please try",
        "double-checking the recipient's email address for typos or",
        "unnecessary spaces. Learn more at",
        "https://support.google.com/mail/?p=NoSuchUser - gsmtp",
    };
    struct smtpstatus_reply r;

    expect_ok(parse(LIT(log), SMTPSTATUS_REPLY_LENIENT, &r));
    cr_expect_eq(r.code, 550);
    cr_expect_eq(r.line_count, 4);
    expect_enhanced(&r, 5, 1, 1);
    expect_span(LIT(log), r.text, lines[0]);
    expect_anomaly(&r, MISMATCH_BITS, 0);
    expect_lines(LIT(log), SMTPSTATUS_REPLY_LENIENT, lines, 4);
}

Test(reply, lenient_postfix_refused_to_talk_is_connect)
{
    static const char log[] = "connect to mx.example.com[192.0.2.1]:25: host mx[192.0.2.1] "
                              "refused to talk to me: 554 5.7.1 Service unavailable; Client host "
                              "[192.0.2.9] blocked using zen.spamhaus.org";
    struct smtpstatus_reply r;

    expect_ok(parse(LIT(log), SMTPSTATUS_REPLY_LENIENT, &r));
    cr_expect_eq(r.code, 554);
    cr_expect_eq(r.stage, SMTPSTATUS_STAGE_CONNECT);
    expect_span(LIT(log), r.text,
                "Service unavailable; Client host [192.0.2.9] blocked using zen.spamhaus.org");
}

/* "Bytes used ... in the other modes, up to the end of the reply's text": in a log line that
 * is before Postfix's "(in reply to ...)", not the end of the line. */
/* In lenient mode `consumed` runs to the end of the line that holds the
 * reply (its terminator included), so a log can be stepped through one
 * reply per call; the reply itself ends where its span ends. */
Test(reply, lenient_consumed_ends_with_the_line)
{
    static const char two_lines[] = "said: 550 5.1.1 gone (in reply to RCPT TO command)\n"
                                    "said: 451 4.3.0 later\n";
    struct smtpstatus_reply r;

    expect_ok(parse(LIT(postfix_log), SMTPSTATUS_REPLY_LENIENT, &r));
    cr_expect_eq(r.consumed, sizeof postfix_log - 1);
    cr_expect_lt(r.span.off + r.span.len, r.consumed);

    expect_ok(parse(LIT(two_lines), SMTPSTATUS_REPLY_LENIENT, &r));
    cr_expect_eq(r.code, 550);
    cr_expect_eq(r.consumed, (size_t)(strchr(two_lines, '\n') - two_lines) + 1);
}

/* Lenient mode reads what is there: a quoted "550-" continuation with
 * nothing after it is returned as it stands, flagged. */
Test(reply, lenient_truncated_continuation)
{
    static const char field[] = "smtp; 550-5.7.1 This message is not RFC 5322 compliant.\r\n";
    struct smtpstatus_reply r;

    expect_ok(parse(LIT(field), SMTPSTATUS_REPLY_LENIENT, &r));
    cr_expect_eq(r.code, 550);
    cr_expect_eq(r.line_count, 1);
    cr_expect(r.anomalies & SMTPSTATUS_ANOMALY_TRUNCATED);
    /* The same bytes from the wire, complete by the caller's word, are truncated. */
    cr_expect_eq(parse(field + 6, sizeof field - 7, SMTPSTATUS_REPLY_AT_EOF, &r),
                 SMTPSTATUS_E_TRUNCATED);
}

struct quoted_case {
    char input[400];
    unsigned code;
    unsigned cls, subject, detail; /* cls 0: none */
    unsigned stage;
    char text[200]; /* the first line's text */
    unsigned lines;
};

static struct quoted_case quoted_replies[] = {
    /* Exim names the command before the reply. */
    { "SMTP error from remote mail server after RCPT TO:<bob@example.com>: 550 5.1.1 "
      "<bob@example.com>: Recipient address rejected",
      550, 5, 1, 1, SMTPSTATUS_STAGE_RCPT, "<bob@example.com>: Recipient address rejected", 1 },
    { "SMTP error from remote mail server after end of data: 554 5.7.1 Message rejected as spam",
      554, 5, 7, 1, SMTPSTATUS_STAGE_END_OF_DATA, "Message rejected as spam", 1 },
    { "SMTP error from remote mail server after MAIL FROM:<a@b> SIZE=1234: 553 5.1.8 Sender "
      "address rejected",
      553, 5, 1, 8, SMTPSTATUS_STAGE_MAIL, "Sender address rejected", 1 },
    { "SMTP error from remote mail server after pipelined RCPT TO:<bob@example.com>: 450 4.2.1 "
      "The user you are trying to contact is receiving mail too quickly",
      450, 4, 2, 1, SMTPSTATUS_STAGE_RCPT,
      "The user you are trying to contact is receiving mail too quickly", 1 },
    { "SMTP error from remote mail server after initial connection: 554 5.7.1 Service "
      "unavailable",
      554, 5, 7, 1, SMTPSTATUS_STAGE_CONNECT, "Service unavailable", 1 },
    { "SMTP error from remote mail server after EHLO neko.example.com: 550 5.7.1 Bad HELO",
      550, 5, 7, 1, SMTPSTATUS_STAGE_EHLO, "Bad HELO", 1 },
    /* Exim's bounce body: the reply on the next, indented lines. */
    { "SMTP error from remote mail server after RCPT TO:<bob@gmail.com>:\n"
      "    550-5.1.1 The email account that you tried to reach does not exist. Please try\n"
      "    550-5.1.1 double-checking the recipient's email address for typos or\n"
      "    550 5.1.1 https://support.google.com/mail/?p=NoSuchUser a1si123 - gsmtp",
      550, 5, 1, 1, SMTPSTATUS_STAGE_RCPT,
      "The email account that you tried to reach does not exist. Please try", 3 },
    /* Postfix */
    { "host mx.example.com[192.0.2.1] said: 554 5.7.1 Message rejected as spam (in reply to end "
      "of DATA command)",
      554, 5, 7, 1, SMTPSTATUS_STAGE_END_OF_DATA, "Message rejected as spam", 1 },
    { "host mx.example.com[192.0.2.1] said: 550 5.7.1 Access denied (in reply to MAIL FROM "
      "command)",
      550, 5, 7, 1, SMTPSTATUS_STAGE_MAIL, "Access denied", 1 },
    { "mfsmax.example.com[192.0.2.232]: server refused to talk to me: 421 4.7.0 Service not "
      "available, closing transmission channel",
      421, 4, 7, 0, SMTPSTATUS_STAGE_CONNECT,
      "Service not available, closing transmission channel", 1 },
    { "X-Postfix; host mx.example.jp[192.0.2.22] said: 550 5.1.1 <bob@example.jp>:\n"
      "    Recipient address rejected: User unknown (in reply to RCPT TO command)",
      550, 5, 1, 1, SMTPSTATUS_STAGE_RCPT,
      "<bob@example.jp>:\n    Recipient address rejected: User unknown", 1 },
    /* DSN Diagnostic-Code values (RFC 3461 §9.2). */
    { "smtp; 550 5.1.1 <bob@example.com>... User unknown", 550, 5, 1, 1,
      SMTPSTATUS_STAGE_UNKNOWN, "<bob@example.com>... User unknown", 1 },
    { "smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address "
      "lookup",
      550, 5, 1, 10, SMTPSTATUS_STAGE_UNKNOWN,
      "RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup", 1 },
    { "SMTP; 550-5.1.1 The email account that you tried to reach does not exist. Please try\n"
      "    550-5.1.1 double-checking the recipient's email address for typos or\n"
      "    550-5.1.1 unnecessary spaces. Learn more at\n"
      "    550 5.1.1 https://support.google.com/mail/?p=NoSuchUser a1si123 - gsmtp",
      550, 5, 1, 1, SMTPSTATUS_STAGE_UNKNOWN,
      "The email account that you tried to reach does not exist. Please try", 4 },
    { "smtp; 521-5.7.1 Service unavailable; client [203.0.113.225] blocked using "
      "dnsbl.sorbs.net\r\n"
      " 521 5.7.1 Please see http://support.mailhostbox.com/email-administrators-guide-error-"
      "codes/ for explanation of the problem.",
      521, 5, 7, 1, SMTPSTATUS_STAGE_UNKNOWN,
      "Service unavailable; client [203.0.113.225] blocked using dnsbl.sorbs.net", 2 },
    { "SMTP; 553 5.1.8 <httpd@host1.mx.example.jp>... Domain of sender\n"
      "    address httpd@host1.mx.example.jp does not exist",
      553, 5, 1, 8, SMTPSTATUS_STAGE_UNKNOWN,
      "<httpd@host1.mx.example.jp>... Domain of sender\n"
      "    address httpd@host1.mx.example.jp does not exist",
      1 },
    { "smtp; 421 4.7.0 [TSS04] Messages from 192.0.2.192 temporarily deferred due to unexpected "
      "volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes",
      421, 4, 7, 0, SMTPSTATUS_STAGE_UNKNOWN,
      "[TSS04] Messages from 192.0.2.192 temporarily deferred due to unexpected volume or user "
      "complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes",
      1 },
    { "smtp; 550 #5.1.0 Address rejected.", 550, 5, 1, 0, SMTPSTATUS_STAGE_UNKNOWN,
      "#5.1.0 Address rejected.", 1 },
    /* Exchange quotes the reply. */
    { "Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'", 550, 5, 1, 1,
      SMTPSTATUS_STAGE_UNKNOWN, "RESOLVER.ADR.RecipNotFound; not found", 1 },
    { "Remote Server returned '554 5.4.14 Hop count exceeded - possible mail loop'", 554, 5, 4,
      14, SMTPSTATUS_STAGE_UNKNOWN, "Hop count exceeded - possible mail loop", 1 },
};

ParameterizedTestParameters(reply, quoted_replies_lenient)
{
    return cr_make_param_array(struct quoted_case, quoted_replies,
                               sizeof quoted_replies / sizeof quoted_replies[0]);
}

ParameterizedTest(struct quoted_case *c, reply, quoted_replies_lenient)
{
    size_t len = inline_len(c->input, sizeof c->input);
    size_t text_len = inline_len(c->text, sizeof c->text);
    struct input in = input_new(c->input, len);
    struct smtpstatus_reply r = reply_init();
    struct smtpstatus_span lines[MAX_LINES];
    size_t n;
    int rc = smtpstatus_parse_reply(in.buf, in.len, SMTPSTATUS_REPLY_LENIENT, &r);

    cr_assert_eq(rc, SMTPSTATUS_OK, "%s: %s", c->input, smtpstatus_result_name(rc));
    cr_expect_eq(r.code, c->code, "%s: code %u", c->input, r.code);
    if (c->cls != 0)
        expect_enhanced(&r, c->cls, c->subject, c->detail);
    else
        cr_expect_not(r.has_enhanced);
    cr_expect_eq(r.text.len, text_len, "%s: text of %zu bytes, expected %zu", c->input,
                 r.text.len, text_len);
    expect_span(c->input, len, r.text, c->text);
    cr_expect_eq(r.line_count, c->lines, "%s: %u lines", c->input, r.line_count);
    cr_expect(r.span.off + 3 <= len && (unsigned)((c->input[r.span.off] - '0') * 100 +
                                                  (c->input[r.span.off + 1] - '0') * 10 +
                                                  (c->input[r.span.off + 2] - '0')) == c->code,
              "%s: span does not start at the code", c->input);
    n = collect_lines(&in, &r, lines);
    cr_expect_eq(n, c->lines);
    if (n > 0)
        expect_span(c->input, len, lines[0], c->text);
    cr_expect_eq(r.stage, c->stage, "%s: stage %s, expected %s", c->input,
                 smtpstatus_stage_name((int)r.stage), smtpstatus_stage_name((int)c->stage));
    input_free(&in);
}

/* Exchange NDR forms: the quote that opened the reply is not part of its text; nor is the
 * closing parenthesis of a parenthesised one. */
Test(reply, lenient_exchange_quoting)
{
    static const char quoted[] =
        "Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'";
    static const char hashed[] = "#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##";
    static const char paren[] = "Delivery failed (550 5.2.2 mailbox full)";
    struct smtpstatus_reply r;

    expect_ok(parse(LIT(quoted), SMTPSTATUS_REPLY_LENIENT, &r));
    expect_span(LIT(quoted), r.text, "RESOLVER.ADR.RecipNotFound; not found");
    expect_span(LIT(quoted), r.span, "550 5.1.1 RESOLVER.ADR.RecipNotFound; not found");

    expect_ok(parse(LIT(hashed), SMTPSTATUS_REPLY_LENIENT, &r));
    cr_expect_eq(r.code, 550);
    cr_expect_eq(r.span.off, 1, "the reply starts after the '#'");
    expect_enhanced(&r, 5, 1, 1);
    cr_expect(r.text.len >= 37 && memcmp(hashed + r.text.off,
                                         "RESOLVER.ADR.RecipNotFound; not found", 37) == 0,
              "text \"%.*s\"", (int)r.text.len, hashed + r.text.off);

    expect_ok(parse(LIT(paren), SMTPSTATUS_REPLY_LENIENT, &r));
    expect_span(LIT(paren), r.text, "mailbox full");
}

/* A DSN field folded per RFC 3461 §9.2: each reply line on its own folded line. */
Test(reply, lenient_dsn_folded_multiline)
{
    static const char field[] =
        "SMTP; 550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n"
        "    550-5.1.1 double-checking the recipient's email address for typos or\r\n"
        "    550 5.1.1 https://support.google.com/mail/?p=NoSuchUser a1si123 - gsmtp";
    static const char *const lines[] = {
        "The email account that you tried to reach does not exist. Please try",
        "double-checking the recipient's email address for typos or",
        "https://support.google.com/mail/?p=NoSuchUser a1si123 - gsmtp",
    };
    struct smtpstatus_reply r;

    expect_ok(parse(LIT(field), SMTPSTATUS_REPLY_LENIENT, &r));
    cr_expect_eq(r.code, 550);
    cr_expect_eq(r.line_count, 3);
    cr_expect_eq(r.span.off, offset_of(field, "550-"));
    expect_enhanced(&r, 5, 1, 1);
    expect_anomaly(&r, MISMATCH_BITS, 0);
    expect_lines(LIT(field), SMTPSTATUS_REPLY_LENIENT, lines, 3);
}

/* A long single-line text folded by the DSN writer stays one line, fold included. */
Test(reply, lenient_dsn_folded_single_line)
{
    static const char field[] = "smtp; 550 5.1.1 <a@b>: Recipient address rejected:\n"
                                "    User unknown in virtual mailbox table";
    static const char *const lines[] = {
        "<a@b>: Recipient address rejected:\n    User unknown in virtual mailbox table",
    };
    struct smtpstatus_reply r;

    expect_ok(parse(LIT(field), SMTPSTATUS_REPLY_LENIENT, &r));
    cr_expect_eq(r.line_count, 1);
    expect_enhanced(&r, 5, 1, 1);
    expect_span(LIT(field), r.text, lines[0]);
    expect_lines(LIT(field), SMTPSTATUS_REPLY_LENIENT, lines, 1);
}

/* Numbers in the text before the reply are not reply codes: pids, delays, IPs, ports, dates,
 * times, queue ids, sizes. */
struct prefix_case {
    char prefix[240];
    char reply[32];
    unsigned code;
};

static struct prefix_case false_starts[] = {
    { "Nov 23 10:00:00 mx postfix/smtp[250]: 3F2A1C0: to=<bob@example.com>, "
      "relay=mx.example.com[192.0.2.1]:25, delay=300, delays=0.1/0/0.2/0.2, dsn=5.1.1, "
      "status=bounced (host mx.example.com[192.0.2.1] said: ",
      "550 5.1.1 unknown", 550 },
    { "2024-11-23 10:00:00 1tE2xY-000Abc-3F ** bob@example.com R=dnslookup T=remote_smtp "
      "H=mx.example.com [192.0.2.1]:25: SMTP error from remote mail server after RCPT "
      "TO:<bob@example.com>: ",
      "550 5.1.1 unknown", 550 },
    { "Thu, 29 Apr 2010 23:34:45 +0900 (JST) queue 450A1B2 size=2048, nrcpt=1 id=421 ",
      "452 4.2.2 Mailbox full", 452 },
    { "relay=[2001:db8::25]:25, delay=421.5, conn_use=2 [203.0.113.254] 192.0.2.250 ",
      "421 4.4.2 timeout", 421 },
    { "<bob-250@example.com>: host 250.example.com[192.0.2.1] said: ", "550 x", 550 },
    { "to=<bob@example.com>, relay=smtp.example.com[192.0.2.1]:587, delay=2, status=deferred "
      "(host smtp.example.com[192.0.2.1] said: ",
      "450 4.2.1 try later", 450 },
    /* Exim logs the port when it is not 25 (SMTPS to a smarthost). */
    { "2024-11-23 10:00:00 1tE2xY-000Abc-3F == bob@example.com R=smarthost T=remote_smtp "
      "defer (-44) H=smtp.example.com [192.0.2.1]:465 X=TLS1.3: SMTP error from remote mail "
      "server after RCPT TO:<bob@example.com>: ",
      "450 4.2.1 try later", 450 },
};

ParameterizedTestParameters(reply, lenient_no_false_starts)
{
    return cr_make_param_array(struct prefix_case, false_starts,
                               sizeof false_starts / sizeof false_starts[0]);
}

ParameterizedTest(struct prefix_case *c, reply, lenient_no_false_starts)
{
    size_t plen = inline_len(c->prefix, sizeof c->prefix);
    size_t rlen = inline_len(c->reply, sizeof c->reply);
    char *joined = malloc(plen + rlen);
    struct smtpstatus_reply r;

    cr_assert_not_null(joined);
    memcpy(joined, c->prefix, plen);
    memcpy(joined + plen, c->reply, rlen);
    expect_ok(parse(joined, plen + rlen, SMTPSTATUS_REPLY_LENIENT, &r));
    cr_expect_eq(r.code, c->code, "code %u at %zu, expected %u at %zu", r.code, r.span.off,
                 c->code, plen);
    cr_expect_eq(r.span.off, plen, "reply found at %zu (\"%.*s\"), expected %zu", r.span.off,
                 (int)(r.span.len < 12 ? r.span.len : 12), joined + r.span.off, plen);
    free(joined);
}

Test(reply, lenient_nothing_found)
{
    static const char *const texts[] = {
        ("Nov 23 10:00:00 mx postfix/smtp[4242]: 3F2A1C0: lost connection with "
         "mx.example.com[192.0.2.1] while sending RCPT TO"),
        "Thu, 29 Apr 2010 23:34:45 +0900 (JST)",
        "relay=[2001:db8::25]:25, delay=421.5, conn_use=2, size=2048",
        "X-Postfix; connect to example.org[203.0.113.225]:25: Connection timed out",
        "smtp; DNS Error: 16578478 DNS type 'mx' lookup of gmal.com responded with code NOERROR",
        "id=250 dsn=5.1.1 v4.94.2 192.0.2.250",
        "",
    };

    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        size_t len = strlen(texts[i]);
        struct smtpstatus_reply r;
        int rc = parse(texts[i], len, SMTPSTATUS_REPLY_LENIENT, &r);

        cr_expect_eq(rc, SMTPSTATUS_E_NOT_FOUND, "\"%s\": %s", texts[i],
                     smtpstatus_result_name(rc));
        cr_expect_eq(r.error_offset, len);
        cr_expect_eq(r.consumed, 0);
    }
}

/* ---- 8. smtpstatus_reply_next_line() misuse ------------------------------------------------ */

Test(reply, next_line_invalid_arguments)
{
    static const char wire[] = "250-a\r\n250 b\r\n";
    struct input in = input_new(LIT(wire));
    struct smtpstatus_reply r = reply_init();
    struct smtpstatus_reply failed = reply_init();
    struct smtpstatus_span text;
    size_t cursor = 0;

    expect_ok(smtpstatus_parse_reply(in.buf, in.len, 0, &r));
    cr_expect_eq(smtpstatus_reply_next_line(in.buf, in.len, NULL, &cursor, &text),
                 SMTPSTATUS_E_INVALID_ARG);
    cr_expect_eq(smtpstatus_reply_next_line(in.buf, in.len, &r, NULL, &text),
                 SMTPSTATUS_E_INVALID_ARG);
    cr_expect_eq(smtpstatus_reply_next_line(in.buf, in.len, &r, &cursor, NULL),
                 SMTPSTATUS_E_INVALID_ARG);
    cr_expect_eq(smtpstatus_reply_next_line(NULL, in.len, &r, &cursor, &text),
                 SMTPSTATUS_E_INVALID_ARG);
    cr_expect_eq(cursor, 0, "a refused call leaves the cursor alone");

    /* A reply whose parse failed has no lines to give. */
    cr_expect_eq(smtpstatus_parse_reply(in.buf, 5, SMTPSTATUS_REPLY_AT_EOF, &failed),
                 SMTPSTATUS_E_TRUNCATED);
    cr_expect_neq(smtpstatus_reply_next_line(in.buf, in.len, &failed, &cursor, &text),
                  SMTPSTATUS_OK);
    input_free(&in);
}

Test(reply, next_line_after_the_last_stays_not_found)
{
    static const char wire[] = "250-first\r\n250 second\r\n";
    struct input in = input_new(LIT(wire));
    struct smtpstatus_reply r = reply_init();
    struct smtpstatus_span text;
    size_t cursor = 0;

    expect_ok(smtpstatus_parse_reply(in.buf, in.len, 0, &r));
    expect_ok(smtpstatus_reply_next_line(in.buf, in.len, &r, &cursor, &text));
    expect_span(LIT(wire), text, "first");
    expect_ok(smtpstatus_reply_next_line(in.buf, in.len, &r, &cursor, &text));
    expect_span(LIT(wire), text, "second");
    for (int i = 0; i < 3; i++)
        cr_expect_eq(smtpstatus_reply_next_line(in.buf, in.len, &r, &cursor, &text),
                     SMTPSTATUS_E_NOT_FOUND);

    /* A cursor of 0 starts over. */
    cursor = 0;
    expect_ok(smtpstatus_reply_next_line(in.buf, in.len, &r, &cursor, &text));
    expect_span(LIT(wire), text, "first");
    input_free(&in);
}

/* The lines of a pipelined reply stop at its own end, not at the next reply's. */
Test(reply, next_line_stops_at_the_end_of_the_reply)
{
    static const char wire[] = "250-first\r\n250 second\r\n250 next reply\r\n";
    static const char *const lines[] = { "first", "second" };

    expect_lines(LIT(wire), 0, lines, 2);
    expect_lines(LIT(wire), SMTPSTATUS_REPLY_AT_EOF, lines, 2);
}

/* ---- 9. Stage names ------------------------------------------------------------------------ */

Test(reply, stage_names_round_trip)
{
    for (int stage = SMTPSTATUS_STAGE_UNKNOWN; stage <= SMTPSTATUS_STAGE_BDAT; stage++) {
        const char *name = smtpstatus_stage_name(stage);
        struct input in;

        cr_assert_not_null(name);
        in = input_new(name, strlen(name));
        cr_expect_eq(smtpstatus_stage_from_name(in.buf, in.len), stage, "\"%s\" -> %d", name,
                     smtpstatus_stage_from_name(in.buf, in.len));
        for (const char *p = name; *p; p++)
            cr_expect(!(*p >= 'A' && *p <= 'Z'), "\"%s\" is not lower case", name);
        input_free(&in);
    }
    cr_expect_str_eq(smtpstatus_stage_name(SMTPSTATUS_STAGE_RCPT), "rcpt");
    cr_expect_str_eq(smtpstatus_stage_name(SMTPSTATUS_STAGE_END_OF_DATA), "end-of-data");
    cr_expect_str_eq(smtpstatus_stage_name(SMTPSTATUS_STAGE_UNKNOWN), "unknown");
}

Test(reply, stage_name_out_of_range_is_unknown)
{
    static const int values[] = { -1, SMTPSTATUS_STAGE_BDAT + 1, 100, INT_MIN, INT_MAX };

    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
        cr_expect_str_eq(smtpstatus_stage_name(values[i]), "unknown", "stage %d", values[i]);
}

struct verb_case {
    const char *name;
    int stage;
};

Test(reply, stage_from_smtp_verbs)
{
    static const struct verb_case verbs[] = {
        { "MAIL FROM", SMTPSTATUS_STAGE_MAIL },
        { "mail", SMTPSTATUS_STAGE_MAIL },
        { "rcpt to", SMTPSTATUS_STAGE_RCPT },
        { "RCPT", SMTPSTATUS_STAGE_RCPT },
        { "Rcpt To", SMTPSTATUS_STAGE_RCPT },
        { "HELO", SMTPSTATUS_STAGE_EHLO },
        { "EHLO", SMTPSTATUS_STAGE_EHLO },
        { "LHLO", SMTPSTATUS_STAGE_EHLO },
        { "STARTTLS", SMTPSTATUS_STAGE_STARTTLS },
        { "AUTH", SMTPSTATUS_STAGE_AUTH },
        { "DATA", SMTPSTATUS_STAGE_DATA },
        { "BDAT", SMTPSTATUS_STAGE_BDAT },
        { ".", SMTPSTATUS_STAGE_END_OF_DATA },
        { "END-OF-DATA", SMTPSTATUS_STAGE_END_OF_DATA },
        { "", SMTPSTATUS_STAGE_UNKNOWN },
        { "bogus", SMTPSTATUS_STAGE_UNKNOWN },
        { "rcptx", SMTPSTATUS_STAGE_UNKNOWN },
        { "mailfrom", SMTPSTATUS_STAGE_UNKNOWN },
        { "..", SMTPSTATUS_STAGE_UNKNOWN },
        { "QUIT", SMTPSTATUS_STAGE_UNKNOWN },
    };

    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++) {
        struct input in = input_new(verbs[i].name, strlen(verbs[i].name));
        int stage = smtpstatus_stage_from_name(in.buf, in.len);

        cr_expect_eq(stage, verbs[i].stage, "\"%s\" -> %d, expected %d", verbs[i].name, stage,
                     verbs[i].stage);
        input_free(&in);
    }
}

/* Only `len` bytes count: "rcpt to" cut to 4 bytes is "rcpt", "data" cut to 3 is nothing. */
Test(reply, stage_from_name_respects_length)
{
    struct input rcpt = input_new("rcpt to", 4);
    struct input dat = input_new("data", 3);

    cr_expect_eq(smtpstatus_stage_from_name(rcpt.buf, rcpt.len), SMTPSTATUS_STAGE_RCPT);
    cr_expect_eq(smtpstatus_stage_from_name(dat.buf, dat.len), SMTPSTATUS_STAGE_UNKNOWN);
    cr_expect_eq(smtpstatus_stage_from_name(NULL, 0), SMTPSTATUS_STAGE_UNKNOWN);
    input_free(&rcpt);
    input_free(&dat);
}
