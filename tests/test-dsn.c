/* SPDX-License-Identifier: MIT */
#include <criterion/criterion.h>
#include <smtpstatus.h>

Test(dsn, placeholder)
{
    cr_assert_str_eq(smtpstatus_decoder_name(SMTPSTATUS_DECODER_RFC3464), "rfc3464");
}
