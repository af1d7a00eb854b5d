/* SPDX-License-Identifier: MIT */
#include <criterion/criterion.h>
#include <smtpstatus.h>

Test(table, placeholder)
{
    cr_assert_eq(smtpstatus_enhanced_count(), 81);
}
