/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * Parsing, lookup and explanation never allocate. The test binary
 * interposes malloc and friends (forwarding to glibc's own) and counts the
 * calls made while a library call runs. Criterion allocates freely between
 * calls, so counting is switched on only around them. Not built under the
 * sanitizers, which bring their own allocator.
 */

#include <stddef.h>
#include <stdint.h>

#include <criterion/criterion.h>
#include <smtpstatus.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

void *malloc(size_t n);
void *calloc(size_t n, size_t m);
void *realloc(void *p, size_t n);
void free(void *p);

/* volatile: the compiler treats malloc as a builtin that reads no user
 * globals, and would otherwise move or drop the stores around it. */
static volatile int counting;
static volatile size_t allocations;

void *malloc(size_t n)
{
    if (counting)
        allocations++;
    return __libc_malloc(n);
}

void *calloc(size_t n, size_t m)
{
    if (counting)
        allocations++;
    return __libc_calloc(n, m);
}

void *realloc(void *p, size_t n)
{
    if (counting)
        allocations++;
    return __libc_realloc(p, n);
}

void free(void *p)
{
    if (counting && p != NULL)
        allocations++;
    __libc_free(p);
}

static const char *const replies[] = {
    "550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown\r\n",
    ("550-5.1.1 The email account that you tried to reach does not exist.\r\n"
    "550 5.1.1 https://support.google.com/mail/?p=NoSuchUser - gsmtp\r\n"),
    "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)\r\n",
    ("status=bounced (host mx.example.com[192.0.2.1] said: 550 5.1.1 <bob@example.com>: "
    "Recipient address rejected (in reply to RCPT TO command))"),
    "421 4.7.0 [TSS04] Messages temporarily deferred - 4.16.55.1\r\n",
};

static void exercise_everything(void)
{
    char text[4096];

    for (size_t i = 0; i < sizeof replies / sizeof replies[0]; i++) {
        size_t len = strlen(replies[i]);
        unsigned flags = replies[i][len - 1] == '\n' ? 0 : SMTPSTATUS_REPLY_LENIENT;
        struct smtpstatus_reply reply = SMTPSTATUS_REPLY_INIT;
        struct smtpstatus_span span;
        struct smtpstatus_enhanced code;
        size_t cursor = 0;

        cr_assert_eq(smtpstatus_parse_reply(replies[i], len, flags, &reply), SMTPSTATUS_OK);
        while (smtpstatus_reply_next_line(replies[i], len, &reply, &cursor, &span) ==
               SMTPSTATUS_OK)
            ;
        cr_assert_gt(smtpstatus_explain_reply(replies[i], len, &reply, text, sizeof text), 0);
        (void)smtpstatus_find_enhanced(replies[i], len, 0, &code, &span);

        /* Classification, its explanation and the retry advice. */
        struct smtpstatus_verdict verdict = SMTPSTATUS_VERDICT_INIT;
        struct smtpstatus_retry retry = SMTPSTATUS_RETRY_INIT;
        struct smtpstatus_reason_info rinfo = SMTPSTATUS_REASON_INFO_INIT;
        cr_assert_eq(smtpstatus_classify_reply(replies[i], len, &reply, 0, &verdict), SMTPSTATUS_OK);
        cr_assert_eq(smtpstatus_classify_text(replies[i], len, SMTPSTATUS_STAGE_RCPT, &verdict),
                     SMTPSTATUS_OK);
        cr_assert_gt(smtpstatus_explain_verdict(replies[i], len, &verdict, text, sizeof text), 0);
        cr_assert_eq(smtpstatus_retry_advice(&verdict, 3600, 2, &retry), SMTPSTATUS_OK);
        cr_assert_eq(smtpstatus_reason_info((int)verdict.reason, &rinfo), SMTPSTATUS_OK);
    }
    for (size_t i = 0; i < smtpstatus_enhanced_count(); i++) {
        struct smtpstatus_code_info info = SMTPSTATUS_CODE_INFO_INIT;
        cr_assert_eq(smtpstatus_enhanced_at(i, &info), SMTPSTATUS_OK);
        cr_assert_gt(smtpstatus_explain_enhanced(&info.code, text, sizeof text), 0);
        cr_assert_gt(smtpstatus_format_enhanced(&info.code, text, sizeof text), 0);
    }
    for (unsigned c = 100; c < 600; c++) {
        struct smtpstatus_reply_info info = SMTPSTATUS_REPLY_INFO_INIT;
        cr_assert_eq(smtpstatus_lookup_reply_code(c, &info), SMTPSTATUS_OK);
        cr_assert_gt(smtpstatus_explain_reply_code(c, text, sizeof text), 0);
    }
    (void)smtpstatus_strerror(SMTPSTATUS_E_SYNTAX);
    (void)smtpstatus_stage_from_name("RCPT TO", 7);

    /* A bounce message, with caller storage: nothing allocated either. */
    {
        static const char bounce[] =
            "From: MAILER-DAEMON@example.org\r\n"
            "Subject: Undelivered Mail Returned to Sender\r\n"
            "Content-Type: multipart/report; report-type=delivery-status; boundary=B\r\n"
            "\r\n"
            "--B\r\n"
            "Content-Type: message/delivery-status\r\n"
            "Content-Transfer-Encoding: base64\r\n"
            "\r\n"
            "RmluYWwtUmVjaXBpZW50OiByZmM4MjI7IGFAZXhhbXBsZS5vcmcKQWN0aW9uOiBmYWlsZWQKU3Rh\r\n"
            "dHVzOiA1LjEuMQo=\r\n"
            "--B--\r\n";
        struct smtpstatus_dsn dsn = SMTPSTATUS_DSN_INIT;
        struct smtpstatus_dsn_recipient r[2];
        char scratch[sizeof bounce];
        size_t n = 2;
        r[0].size = sizeof r[0];
        int rc = smtpstatus_parse_dsn(bounce, sizeof bounce - 1, 0, &dsn, r, &n, scratch,
                                      sizeof scratch);
        if (rc != SMTPSTATUS_E_UNSUPPORTED) { /* a -Ddsn=disabled build */
            cr_assert_eq(rc, SMTPSTATUS_OK);
            cr_assert_eq(n, 1);
        }
    }
}

Test(noalloc, the_interposer_sees_allocations)
{
    /* Without this, a broken interposer would make the next test pass. */
    counting = 1;
    allocations = 0;
    void *volatile p = malloc(16);
    free(p);
    counting = 0;
    cr_assert_eq(allocations, 2, "saw %zu", (size_t)allocations);
}

Test(noalloc, parse_lookup_and_explain_never_allocate)
{
    allocations = 0;
    counting = 1;
    exercise_everything();
    counting = 0;
    cr_assert_eq(allocations, 0, "the library allocated %zu times", (size_t)allocations);
}
