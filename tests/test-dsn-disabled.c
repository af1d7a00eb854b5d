/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/* Built with -Ddsn=disabled: the DSN entry points stay (the ABI does not
 * change with options) and say they are not there. */

#include <criterion/criterion.h>
#include <smtpstatus.h>

Test(dsn_disabled, parse_dsn_is_unsupported)
{
    struct smtpstatus_dsn dsn = SMTPSTATUS_DSN_INIT;
    struct smtpstatus_dsn_recipient r = SMTPSTATUS_DSN_RECIPIENT_INIT;
    size_t n = 1;
    char scratch[16];
    static const char msg[] = "From: MAILER-DAEMON@example.org\n\n<a@example.org>: 550 no\n";

    cr_assert_eq(smtpstatus_parse_dsn(msg, sizeof msg - 1, 0, &dsn, &r, &n, scratch, sizeof scratch),
                 SMTPSTATUS_E_UNSUPPORTED);
    cr_assert_eq(n, 0);
    /* Argument checks still apply. */
    cr_assert_eq(smtpstatus_parse_dsn(msg, sizeof msg - 1, 0, NULL, &r, &n, scratch, sizeof scratch),
                 SMTPSTATUS_E_INVALID_ARG);
    /* Everything else works. */
    cr_assert_str_eq(smtpstatus_decoder_name(SMTPSTATUS_DECODER_RFC3464), "rfc3464");
}
