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

/* Phrases, lower case, by first letter (the one look most places need),
 * longest first where one is a prefix of another ("end of data" before
 * "eod"; "mail from" before "mail"). They cover the stage names, the SMTP
 * verbs, and how Postfix ("in reply to RCPT TO command", "in reply to end
 * of DATA command") and Exim ("after RCPT TO:<...>", "after end of data",
 * "after initial connection") say it. A row ends at its first empty slot. */
#define PHRASE(text, stage) { text, sizeof text - 1, stage }
#define LETTER(c) ((c) - 'a')
#define PHRASES_PER_LETTER 4
/* Each phrase zero-padded to a multiple of eight bytes: phrase_at() reads
 * it eight at a time. The longest, "initial connection", takes 24. */
#define PHRASE_ROOM 24
static const struct {
    char phrase[PHRASE_ROOM];
    uint8_t len, stage;
} phrases[26][PHRASES_PER_LETTER] = {
    [LETTER('a')] = { PHRASE("auth", SMTPSTATUS_STAGE_AUTH) },
    [LETTER('b')] = { PHRASE("banner", SMTPSTATUS_STAGE_CONNECT), PHRASE("bdat", SMTPSTATUS_STAGE_BDAT) },
    [LETTER('c')] = { PHRASE("connect", SMTPSTATUS_STAGE_CONNECT) },
    [LETTER('d')] = { PHRASE("data", SMTPSTATUS_STAGE_DATA) },
    [LETTER('e')] = { PHRASE("end-of-data", SMTPSTATUS_STAGE_END_OF_DATA),
                      PHRASE("end of data", SMTPSTATUS_STAGE_END_OF_DATA),
                      PHRASE("eod", SMTPSTATUS_STAGE_END_OF_DATA), PHRASE("ehlo", SMTPSTATUS_STAGE_EHLO) },
    [LETTER('g')] = { PHRASE("greeting", SMTPSTATUS_STAGE_CONNECT) },
    [LETTER('h')] = { PHRASE("helo", SMTPSTATUS_STAGE_EHLO) },
    [LETTER('i')] = { PHRASE("initial connection", SMTPSTATUS_STAGE_CONNECT),
                      PHRASE("initial greeting", SMTPSTATUS_STAGE_CONNECT) },
    [LETTER('l')] = { PHRASE("lhlo", SMTPSTATUS_STAGE_EHLO) },
    [LETTER('m')] = { PHRASE("mail from", SMTPSTATUS_STAGE_MAIL), PHRASE("mail", SMTPSTATUS_STAGE_MAIL) },
    [LETTER('r')] = { PHRASE("rcpt to", SMTPSTATUS_STAGE_RCPT), PHRASE("rcpt", SMTPSTATUS_STAGE_RCPT) },
    [LETTER('s')] = { PHRASE("starttls", SMTPSTATUS_STAGE_STARTTLS) },
};
#undef PHRASE

/* smtpstatus__match_at_n(buf, len, at, lower, n) for a phrase of the
 * table (at < len): eight bytes at a time when the text has them past
 * the phrase's end, else byte by byte. A byte matches when it is the
 * phrase's, or, where the phrase has a letter, its capital: the text's
 * bytes get 0x20 set at the phrase's letters only (a space or '-' must
 * match exactly, and only 'A' to 'Z' and 'a' to 'z' become a letter). */
static inline int phrase_at(const char *buf, size_t len, size_t at, const char *lower, size_t n)
{
    if (len - at < ((n + 7) & ~(size_t)7))
        return smtpstatus__match_at_n(buf, len, at, lower, n);
    for (size_t k = 0; k < n; k += 8) {
        uint64_t p = smtpstatus__load64(lower + k);
        uint64_t diff = (smtpstatus__load64(buf + at + k) | (smtpstatus__bytes_in(p, 'a', 'z') >> 2)) ^ p;

        if (n - k < 8)
            diff &= (UINT64_C(1) << (8 * (n - k))) - 1u;
        if (diff != 0)
            return 0;
    }
    return 1;
}

int smtpstatus__stage_at(const char *buf, size_t len, size_t at, size_t *end)
{
    unsigned letter;

    if (smtpstatus__match_nocase(buf, len, at, "pipelined "))
        at += sizeof "pipelined " - 1;
    if (at >= len)
        return SMTPSTATUS_STAGE_UNKNOWN;
    /* Most places hold none of the phrases: their first letter tells. */
    letter = (unsigned)LETTER(smtpstatus__lower((unsigned char)buf[at]));
    if (letter >= 26)
        return SMTPSTATUS_STAGE_UNKNOWN;
    for (size_t i = 0; i < PHRASES_PER_LETTER && phrases[letter][i].len != 0; i++) {
        size_t n = phrases[letter][i].len;
        if (phrase_at(buf, len, at, phrases[letter][i].phrase, n) &&
            (at + n == len || !smtpstatus__is_alnum((unsigned char)buf[at + n]))) {
            if (end)
                *end = at + n;
            return phrases[letter][i].stage;
        }
    }
    return SMTPSTATUS_STAGE_UNKNOWN;
}
#undef LETTER

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
