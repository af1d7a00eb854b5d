/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/* SMTP stages: names, and the command phrases MTAs write in their logs. */

#include "internal.h"

static const char *const stage_names[] = {
    [SMTPSTATUS_STAGE_UNKNOWN] = "unknown",
    [SMTPSTATUS_STAGE_CONNECT] = "connect",
    [SMTPSTATUS_STAGE_EHLO] = "ehlo",
    [SMTPSTATUS_STAGE_STARTTLS] = "starttls",
    [SMTPSTATUS_STAGE_AUTH] = "auth",
    [SMTPSTATUS_STAGE_MAIL] = "mail",
    [SMTPSTATUS_STAGE_RCPT] = "rcpt",
    [SMTPSTATUS_STAGE_DATA] = "data",
    [SMTPSTATUS_STAGE_END_OF_DATA] = "end-of-data",
    [SMTPSTATUS_STAGE_BDAT] = "bdat",
};

const char *smtpstatus_stage_name(int stage)
{
    if (stage < 0 || (size_t)stage >= sizeof stage_names / sizeof stage_names[0])
        return "unknown";
    return stage_names[stage];
}

/* Phrases, lower case, longest first where one is a prefix of another
 * ("end of data" before "data"; "mail from" before "mail"). They cover
 * the stage names, the SMTP verbs, and how Postfix ("in reply to RCPT TO
 * command", "in reply to end of DATA command") and Exim ("after RCPT
 * TO:<...>", "after end of data", "after initial connection") say it. */
#define PHRASE(text, stage) { text, sizeof text - 1, stage }
static const struct {
    const char *phrase;
    uint8_t len, stage;
} phrases[] = {
    PHRASE("end-of-data", SMTPSTATUS_STAGE_END_OF_DATA),
    PHRASE("end of data", SMTPSTATUS_STAGE_END_OF_DATA),
    PHRASE("eod", SMTPSTATUS_STAGE_END_OF_DATA),
    PHRASE("initial connection", SMTPSTATUS_STAGE_CONNECT),
    PHRASE("initial greeting", SMTPSTATUS_STAGE_CONNECT),
    PHRASE("greeting", SMTPSTATUS_STAGE_CONNECT),
    PHRASE("connect", SMTPSTATUS_STAGE_CONNECT),
    PHRASE("banner", SMTPSTATUS_STAGE_CONNECT),
    PHRASE("ehlo", SMTPSTATUS_STAGE_EHLO),
    PHRASE("helo", SMTPSTATUS_STAGE_EHLO),
    PHRASE("lhlo", SMTPSTATUS_STAGE_EHLO),
    PHRASE("starttls", SMTPSTATUS_STAGE_STARTTLS),
    PHRASE("auth", SMTPSTATUS_STAGE_AUTH),
    PHRASE("mail from", SMTPSTATUS_STAGE_MAIL),
    PHRASE("mail", SMTPSTATUS_STAGE_MAIL),
    PHRASE("rcpt to", SMTPSTATUS_STAGE_RCPT),
    PHRASE("rcpt", SMTPSTATUS_STAGE_RCPT),
    PHRASE("data", SMTPSTATUS_STAGE_DATA),
    PHRASE("bdat", SMTPSTATUS_STAGE_BDAT),
};
#undef PHRASE

int smtpstatus__stage_at(const char *buf, size_t len, size_t at, size_t *end)
{
    unsigned char first;

    if (smtpstatus__match_nocase(buf, len, at, "pipelined "))
        at += sizeof "pipelined " - 1;
    if (at >= len)
        return SMTPSTATUS_STAGE_UNKNOWN;
    /* Most places hold none of the phrases: their first letter tells. */
    first = smtpstatus__lower((unsigned char)buf[at]);
    for (size_t i = 0; i < sizeof phrases / sizeof phrases[0]; i++) {
        size_t n = phrases[i].len;
        if ((unsigned char)phrases[i].phrase[0] == first &&
            smtpstatus__match_at_n(buf, len, at, phrases[i].phrase, n) &&
            (at + n == len || !smtpstatus__is_alnum((unsigned char)buf[at + n]))) {
            if (end)
                *end = at + n;
            return phrases[i].stage;
        }
    }
    return SMTPSTATUS_STAGE_UNKNOWN;
}

int smtpstatus_stage_from_name(const char *buf, size_t len)
{
    size_t end;
    int stage;

    if (buf == NULL)
        return SMTPSTATUS_STAGE_UNKNOWN;
    if (len == 1 && buf[0] == '.')
        return SMTPSTATUS_STAGE_END_OF_DATA;
    stage = smtpstatus__stage_at(buf, len, 0, &end);
    /* "MAIL FROM", "RCPT TO": the verb may be followed by its keyword. */
    if (stage != SMTPSTATUS_STAGE_UNKNOWN && end != len &&
        !(stage == SMTPSTATUS_STAGE_MAIL && smtpstatus__equal_nocase(buf + end, len - end, " from")) &&
        !(stage == SMTPSTATUS_STAGE_RCPT && smtpstatus__equal_nocase(buf + end, len - end, " to")))
        return SMTPSTATUS_STAGE_UNKNOWN;
    return stage;
}
