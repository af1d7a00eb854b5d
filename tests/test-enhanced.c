/* SPDX-License-Identifier: MIT */
#include <criterion/criterion.h>
#include <smtpstatus.h>

Test(enhanced, placeholder)
{
    cr_assert_eq(smtpstatus_enhanced_count(), 81);
}
