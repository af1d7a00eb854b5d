/* SPDX-License-Identifier: MIT */
#include <criterion/criterion.h>
#include <smtpstatus.h>

Test(decoders_hosted, placeholder)
{
    cr_assert_str_eq(smtpstatus_decoder_name(SMTPSTATUS_DECODER_RFC3464), "rfc3464");
}
