/* SPDX-License-Identifier: MIT */
/* The public header must compile on its own as C11 with -pedantic. */
#include <smtpstatus.h>

int main(void)
{
    struct smtpstatus_reply reply = SMTPSTATUS_REPLY_INIT;
    struct smtpstatus_code_info info = SMTPSTATUS_CODE_INFO_INIT;
    struct smtpstatus_reply_info rinfo = SMTPSTATUS_REPLY_INFO_INIT;
    return reply.size == sizeof reply && info.size == sizeof info && rinfo.size == sizeof rinfo ? 0 : 1;
}
