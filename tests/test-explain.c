/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/* Plain-words explanations: content from the registry, and snprintf()
 * semantics for every renderer. */

#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <smtpstatus.h>

static struct smtpstatus_enhanced code_of(unsigned cls, unsigned subject, unsigned detail)
{
    struct smtpstatus_enhanced c = { (uint8_t)cls, 0, (uint16_t)subject, (uint16_t)detail };
    return c;
}

static char *explain_code(unsigned cls, unsigned subject, unsigned detail)
{
    struct smtpstatus_enhanced c = code_of(cls, subject, detail);
    int n = smtpstatus_explain_enhanced(&c, NULL, 0);
    cr_assert_gt(n, 0, "explain %u.%u.%u: %d", cls, subject, detail, n);
    char *buf = malloc((size_t)n + 1);
    cr_assert_eq(smtpstatus_explain_enhanced(&c, buf, (size_t)n + 1), n);
    cr_assert_eq(strlen(buf), (size_t)n);
    return buf;
}

Test(explain, registered_code_gives_title_and_class)
{
    char *s = explain_code(5, 7, 26);
    cr_assert(strstr(s, "5.7.26") != NULL, "%s", s);
    cr_assert(strstr(s, "Multiple authentication checks failed") != NULL, "%s", s);
    cr_assert(strstr(s, "permanent failure") != NULL, "%s", s);
    cr_assert(strstr(s, "security or policy status") != NULL, "%s", s);
    free(s);
}

Test(explain, transient_code_says_temporary)
{
    char *s = explain_code(4, 4, 1);
    cr_assert(strstr(s, "No answer from host") != NULL, "%s", s);
    cr_assert(strstr(s, "temporary failure") != NULL, "%s", s);
    cr_assert(strstr(s, "permanent") == NULL, "%s", s);
    free(s);
}

Test(explain, unregistered_detail_is_provider_specific)
{
    /* RFC 3463 §2: degrade to the class and subject. */
    char *s = explain_code(5, 7, 606);
    cr_assert(strstr(s, "not in the IANA registry") != NULL, "%s", s);
    cr_assert(strstr(s, "provider-specific") != NULL, "%s", s);
    cr_assert(strstr(s, "security or policy status") != NULL, "%s", s);
    free(s);
}

Test(explain, undefined_subject_is_said_so)
{
    char *s = explain_code(5, 9, 1);
    cr_assert(strstr(s, "RFC 3463 does not define") != NULL, "%s", s);
    free(s);
}

Test(explain, deprecated_code_points_to_its_replacement)
{
    char *s = explain_code(5, 6, 10);
    cr_assert(strstr(s, "X.6.8") != NULL, "%s", s);
    free(s);
}

Test(explain, every_registered_code_carries_its_registry_text)
{
    for (size_t i = 0; i < smtpstatus_enhanced_count(); i++) {
        struct smtpstatus_code_info info = SMTPSTATUS_CODE_INFO_INIT;
        cr_assert_eq(smtpstatus_enhanced_at(i, &info), SMTPSTATUS_OK);
        for (unsigned cls = 2; cls <= 5; cls += cls == 2 ? 2 : 1) {
            char *s = explain_code(cls, info.code.subject, info.code.detail);
            if (info.title)
                cr_assert(strstr(s, info.title) != NULL, "%s lacks %s", s, info.title);
            cr_assert(strstr(s, info.description) != NULL, "%s", s);
            free(s);
        }
    }
}

Test(explain, reply_codes)
{
    char buf[1024];
    cr_assert_gt(smtpstatus_explain_reply_code(550, buf, sizeof buf), 0);
    cr_assert(strstr(buf, "mailbox unavailable") != NULL, "%s", buf);
    cr_assert(strstr(buf, "permanent negative completion") != NULL, "%s", buf);

    cr_assert_gt(smtpstatus_explain_reply_code(421, buf, sizeof buf), 0);
    cr_assert(strstr(buf, "transient negative completion") != NULL, "%s", buf);

    cr_assert_gt(smtpstatus_explain_reply_code(571, buf, sizeof buf), 0);
    cr_assert(strstr(buf, "not defined by any standard") != NULL, "%s", buf);

    /* RFC 5321 §4.2.1: an unknown code is read by its first digit. */
    cr_assert_gt(smtpstatus_explain_reply_code(599, buf, sizeof buf), 0);
    cr_assert(strstr(buf, "first digit") != NULL, "%s", buf);
    cr_assert(strstr(buf, "permanent negative completion") != NULL, "%s", buf);

    cr_assert_eq(smtpstatus_explain_reply_code(600, buf, sizeof buf), SMTPSTATUS_E_BAD_CODE);
    cr_assert_eq(smtpstatus_explain_reply_code(99, buf, sizeof buf), SMTPSTATUS_E_BAD_CODE);
}

Test(explain, every_reply_code_row_explains)
{
    char buf[2048];
    for (unsigned c = 100; c <= 599; c++) {
        struct smtpstatus_reply_info info = SMTPSTATUS_REPLY_INFO_INIT;
        cr_assert_eq(smtpstatus_lookup_reply_code(c, &info), SMTPSTATUS_OK);
        int n = smtpstatus_explain_reply_code(c, buf, sizeof buf);
        cr_assert(n > 0 && (size_t)n < sizeof buf, "%u: %d", c, n);
        if (info.meaning)
            cr_assert(strstr(buf, info.meaning) != NULL, "%s lacks %s", buf, info.meaning);
        else
            cr_assert(strstr(buf, "first digit") != NULL, "%s", buf);
    }
}

Test(explain, whole_reply_with_anomalies)
{
    static const char input[] = "454 5.5.1 STARTTLS may not be repeated\r\n";
    struct smtpstatus_reply reply = SMTPSTATUS_REPLY_INIT;
    char buf[2048];

    cr_assert_eq(smtpstatus_parse_reply(input, sizeof input - 1, 0, &reply), SMTPSTATUS_OK);
    cr_assert_gt(smtpstatus_explain_reply(input, sizeof input - 1, &reply, buf, sizeof buf), 0);
    cr_assert(strstr(buf, "Reply 454") != NULL, "%s", buf);
    cr_assert(strstr(buf, "Enhanced code 5.5.1") != NULL, "%s", buf);
    cr_assert(strstr(buf, "contradicts the reply code") != NULL, "%s", buf);
}

Test(explain, reply_without_enhanced_code_says_so)
{
    static const char input[] = "550 Requested action not taken\r\n";
    struct smtpstatus_reply reply = SMTPSTATUS_REPLY_INIT;
    char buf[2048];

    cr_assert_eq(smtpstatus_parse_reply(input, sizeof input - 1, 0, &reply), SMTPSTATUS_OK);
    cr_assert_gt(smtpstatus_explain_reply(input, sizeof input - 1, &reply, buf, sizeof buf), 0);
    cr_assert(strstr(buf, "no enhanced status code") != NULL, "%s", buf);
}

Test(explain, snprintf_semantics)
{
    struct smtpstatus_enhanced c = code_of(5, 1, 1);
    char full[1024], small[16];
    int n = smtpstatus_explain_enhanced(&c, full, sizeof full);

    cr_assert_gt(n, 16);
    cr_assert_eq(smtpstatus_explain_enhanced(&c, NULL, 0), n);
    memset(small, 'Z', sizeof small);
    cr_assert_eq(smtpstatus_explain_enhanced(&c, small, sizeof small), n);
    cr_assert_eq(small[sizeof small - 1], '\0');
    cr_assert_eq(strncmp(small, full, sizeof small - 1), 0);
    /* size 1 holds only the terminator. */
    cr_assert_eq(smtpstatus_explain_enhanced(&c, small, 1), n);
    cr_assert_eq(small[0], '\0');
    /* Exactly n + 1 is enough. */
    char *exact = malloc((size_t)n + 1);
    cr_assert_eq(smtpstatus_explain_enhanced(&c, exact, (size_t)n + 1), n);
    cr_assert_str_eq(exact, full);
    free(exact);
}

Test(explain, bad_arguments)
{
    struct smtpstatus_enhanced bad = code_of(6, 1, 1);
    struct smtpstatus_enhanced good = code_of(5, 1, 1);
    struct smtpstatus_reply reply = SMTPSTATUS_REPLY_INIT;
    char buf[64];

    cr_assert_eq(smtpstatus_explain_enhanced(&bad, buf, sizeof buf), SMTPSTATUS_E_BAD_CODE);
    cr_assert_eq(smtpstatus_explain_enhanced(NULL, buf, sizeof buf), SMTPSTATUS_E_INVALID_ARG);
    cr_assert_eq(smtpstatus_explain_enhanced(&good, NULL, 10), SMTPSTATUS_E_INVALID_ARG);
    cr_assert_eq(smtpstatus_explain_reply_code(550, NULL, 10), SMTPSTATUS_E_INVALID_ARG);
    cr_assert_eq(smtpstatus_explain_reply(NULL, 0, NULL, buf, sizeof buf),
                 SMTPSTATUS_E_INVALID_ARG);
    reply.size = 4;
    cr_assert_eq(smtpstatus_explain_reply(NULL, 0, &reply, buf, sizeof buf),
                 SMTPSTATUS_E_INVALID_ARG);
}
