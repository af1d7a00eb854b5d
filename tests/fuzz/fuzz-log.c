/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * Fuzz target for the reading of MTA logs: the lenient reply parser
 * (SMTPSTATUS_REPLY_LENIENT) and the classifier on log-line shaped text.
 *
 * The first byte selects the mode:
 *   bits 0-2  a frame put around every line, so that the fuzzer starts
 *             inside the shapes the lenient parser looks for: 0 none,
 *             1 Postfix "said: ... (in reply to RCPT TO command))",
 *             2 Exim "SMTP error from remote mail server after RCPT TO:",
 *             3 Sendmail "stat=Deferred: ", 4 "Diagnostic-Code: smtp; ",
 *             5 Exchange "Remote Server returned '...'", 6 a transcript
 *             "<<< ", 7 Postfix after end of DATA
 *   bits 3-6  the stage given to the classifier (10 to 15 are outside
 *             the enum)
 *   bit 7     unused
 * The rest is a log: each line is framed, copied into a block of exactly
 * its size, parsed and classified; then the whole log (unframed) is stepped
 * through one reply at a time, as the header says `consumed` allows.
 */

#include "fuzz.h"

struct frame {
    const char *before;
    const char *after;
};

static const struct frame frames[8] = {
    { "", "" },
    { "Nov 23 09:00:02 mail postfix/smtp[4101]: 3F2A1C002: to=<bob@example.org>, "
      "relay=mx.example.org[192.0.2.25]:25, delay=0.6, delays=0.1/0/0.3/0.2, dsn=5.1.1, "
      "status=bounced (host mx.example.org[192.0.2.25] said: ",
      " (in reply to RCPT TO command))" },
    { "2026-11-23 09:10:00 1tAbCd-000123-Xy ** kate@example.org R=dnslookup T=remote_smtp "
      "H=mx.example.org [192.0.2.25]: SMTP error from remote mail server after "
      "RCPT TO:<kate@example.org>: ",
      "" },
    { "Nov 23 09:20:01 mail sm-mta[5202]: 5ANA0A1B000124: to=<pete@example.com>, "
      "delay=00:00:02, xdelay=00:00:02, mailer=esmtp, pri=120404, relay=mx.example.com. "
      "[192.0.2.80], dsn=4.0.0, stat=Deferred: ",
      "" },
    { "Diagnostic-Code: smtp; ", "" },
    { "Remote Server returned '", "'" },
    { "<<< ", "" },
    { "Nov 23 09:00:05 mail postfix/smtp[4104]: 3F2A1C005: to=<erin@gmail.example>, "
      "relay=gmail-smtp-in.l.google.com[192.0.2.27]:25, dsn=5.7.26, status=bounced "
      "(host gmail-smtp-in.l.google.com[192.0.2.27] said: ",
      " (in reply to end of DATA command))" },
};

static void check_line(const char *line, size_t n, const struct frame *f, int stage,
                       uint64_t seed)
{
    size_t nb = strlen(f->before), na = strlen(f->after);
    size_t len = nb + n + na;
    char *buf = malloc(len ? len : 1);
    struct smtpstatus_reply r;
    struct smtpstatus_verdict v = SMTPSTATUS_VERDICT_INIT;
    int rc;

    if (buf == NULL)
        abort();
    memcpy(buf, f->before, nb);
    if (n > 0)
        memcpy(buf + nb, line, n);
    memcpy(buf + nb + n, f->after, na);

    rc = fuzz_parse_reply(buf, len, SMTPSTATUS_REPLY_LENIENT, &r, stage, seed);
    if (rc == SMTPSTATUS_OK)
        FUZZ_CHECK(r.consumed == len || buf[r.consumed - 1] == '\n' || buf[r.consumed - 1] == '\r');
    FUZZ_CHECK(smtpstatus_classify_text(buf, len, stage, &v) == SMTPSTATUS_OK);
    fuzz_check_verdict(&v, buf, len, stage <= FUZZ_STAGE_MAX, seed);
    /* A reply that was found is the one the verdict used. */
    if (rc == SMTPSTATUS_OK) {
        FUZZ_CHECK(v.reply_code == r.code);
        if (stage == 0)
            FUZZ_CHECK(v.stage == r.stage);
    }
    free(buf);
}

/* Step through a log one reply at a time; past a line without one, go on
 * with the next line. */
static void step_log(const char *buf, size_t len, int stage, uint64_t seed)
{
    size_t pos = 0, steps = 0;

    while (pos < len) {
        struct smtpstatus_reply r;
        int rc = fuzz_parse_reply(buf + pos, len - pos, SMTPSTATUS_REPLY_LENIENT, &r, stage, seed);

        FUZZ_CHECK(++steps <= len + 1);
        if (rc == SMTPSTATUS_OK) {
            /* A reply ends its last line. */
            FUZZ_CHECK(r.consumed == len - pos || buf[pos + r.consumed - 1] == '\n' ||
                       buf[pos + r.consumed - 1] == '\r');
            pos += r.consumed;
        } else if (rc == SMTPSTATUS_E_NOT_FOUND) {
            break;
        } else {
            const char *nl = memchr(buf + pos, '\n', len - pos);
            if (nl == NULL)
                break;
            pos = (size_t)(nl - buf) + 1;
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned mode;
    const struct frame *f;
    int stage;
    char *buf;
    size_t len, at = 0, lines = 0;
    uint64_t seed;

    if (size < 1)
        return 0;
    mode = data[0];
    f = &frames[mode & 7u];
    stage = (int)((mode >> 3) & 15u);
    len = size - 1;
    buf = fuzz_dup(data + 1, len);
    seed = fuzz_hash(data, size);

    /* Line by line, framed. */
    while (at < len && lines < 256) {
        const char *nl = memchr(buf + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - buf) : len;
        check_line(buf + at, end - at, f, stage, seed);
        at = end + 1;
        lines++;
    }
    if (len == 0)
        check_line(NULL, 0, f, stage, seed);

    /* The whole log as it is. */
    step_log(buf, len, stage, seed);

    free(buf);
    return 0;
}
