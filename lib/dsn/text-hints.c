/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * What a report's human-readable part says about a recipient whose
 * delivery-status fields leave it out.
 *
 * The SMTP command it failed at. *
 * RFC 3464 has no field for the command; MTAs write it in the text for
 * people. Postfix ends each entry with "(in reply to end of DATA
 * command)", Exim writes "SMTP error from remote mail server after RCPT
 * TO:<...>:", and Sendmail and Courier copy the session transcript
 * (">>> DATA" and then "<<< 550 ..."). The stage matters for the verdict:
 * an "unknown user" after the message was sent comes from a filter, not
 * from the mailbox directory (classify.c).
 *
 * The server's words, when there is no Diagnostic-Code: Exim reports a
 * local delivery with only "Status: 5.0.0" and writes "mailbox is full"
 * for people; Google writes "Address not found". The text decoders read
 * them as they would a bounce without a delivery-status part, and lend
 * their findings.
 *
 * Both are read once, and only when a recipient needs them.
 */

#include "text-hints.h"

void smtpstatus__text_hints_init(struct smtpstatus__text_hints *h, const struct smtpstatus__bounce *b)
{
    h->bounce = *b;
    /* A message with a delivery-status part is a bounce, whatever its
     * headers say. */
    h->bounce.presents_as_bounce = 1;
    h->scanned = 0;
    h->count = 0;
    h->agreed = SMTPSTATUS_STAGE_UNKNOWN;
    h->decoded = 0;
    h->found_count = 0;
}

static void add(struct smtpstatus__text_hints *h, const struct smtpstatus_text *addr, int stage)
{
    if (stage == SMTPSTATUS_STAGE_UNKNOWN || h->count == SMTPSTATUS__STAGE_HINTS_MAX)
        return;
    h->hint[h->count].addr = *addr;
    h->hint[h->count].stage = (uint32_t)stage;
    h->count++;
}

/* After ">>> " (or "<<< "), at the start of a line, with optional indent. */
static size_t transcript_at(const char *t, const struct smtpstatus__line *ln, char dir)
{
    size_t i = smtpstatus__skip_blanks(t, ln->off, ln->end);

    if (ln->end - i < 4 || t[i] != dir || t[i + 1] != dir || t[i + 2] != dir || t[i + 3] != ' ')
        return 0;
    return i + 4;
}

static void scan(struct smtpstatus__text_hints *h)
{
    static const char reply_to[] = "in reply to ";
    static const char exim_after[] = "remote mail server after ";
    const char *t = h->bounce.text.ptr;
    size_t len = h->bounce.text.len, at = 0;
    struct smtpstatus_text entry = { NULL, 0 }, command_addr = { NULL, 0 };
    int command = SMTPSTATUS_STAGE_UNKNOWN;
    struct smtpstatus__line ln;

    while (smtpstatus__line_at(t, len, at, &ln)) {
        size_t i = smtpstatus__skip_blanks(t, ln.off, ln.end), p;
        struct smtpstatus_text addr;

        at = ln.next;
        /* Postfix's entries start "<address>: host ... said:"; Exim's
         * with the address alone on an indented line. */
        if (i < ln.end && t[i] == '<' && smtpstatus__angle_address(t, i, ln.end, &addr))
            entry = addr;
        else if (smtpstatus__address_line(t, &ln, &addr))
            entry = addr;

        p = transcript_at(t, &ln, '>');
        if (p) {
            size_t e;
            command = smtpstatus__stage_at(t, ln.end, p, &e);
            command_addr.ptr = NULL;
            command_addr.len = 0;
            if (command == SMTPSTATUS_STAGE_RCPT)
                smtpstatus__find_address(t, ln.end, e, &command_addr);
            continue;
        }
        p = transcript_at(t, &ln, '<');
        if (p) {
            /* The first refusal after a command is its answer; what
             * follows ("503 Need RCPT") is the session unwinding. */
            if (p < ln.end && (t[p] == '4' || t[p] == '5') && command != SMTPSTATUS_STAGE_UNKNOWN) {
                add(h, &command_addr, command);
                command = SMTPSTATUS_STAGE_UNKNOWN;
            }
            continue;
        }
        p = smtpstatus__find_nocase_n(t, ln.end, i, reply_to, sizeof reply_to - 1);
        if (p < ln.end) {
            /* The phrase may fold onto the next line ("end of DATA\n
             * command"), so it is read in the whole text. */
            add(h, &entry, smtpstatus__stage_at(t, len, p + sizeof reply_to - 1, NULL));
            continue;
        }
        p = smtpstatus__find_nocase_n(t, ln.end, i, exim_after, sizeof exim_after - 1);
        if (p < ln.end) {
            size_t e;
            int stage = smtpstatus__stage_at(t, ln.end, p + sizeof exim_after - 1, &e);
            if (stage == SMTPSTATUS_STAGE_RCPT && smtpstatus__find_address(t, ln.end, e, &addr))
                add(h, &addr, stage);
            else
                add(h, &entry, stage);
        }
    }
    /* One stage for every recipient, when all the text names is one. */
    for (size_t k = 0; k < h->count; k++) {
        if (k == 0)
            h->agreed = h->hint[0].stage;
        else if (h->hint[k].stage != h->agreed) {
            h->agreed = SMTPSTATUS_STAGE_UNKNOWN;
            break;
        }
    }
}

static int same_address(const struct smtpstatus_text *a, const struct smtpstatus_text *b)
{
    if (a->len != b->len || a->len == 0)
        return 0;
    for (size_t i = 0; i < a->len; i++)
        if (smtpstatus__lower((unsigned char)a->ptr[i]) != smtpstatus__lower((unsigned char)b->ptr[i]))
            return 0;
    return 1;
}

uint32_t smtpstatus__hint_stage(struct smtpstatus__text_hints *h, const struct smtpstatus_text *recipient)
{
    if (h->bounce.text.ptr == NULL || h->bounce.text.len == 0)
        return SMTPSTATUS_STAGE_UNKNOWN;
    if (!h->scanned) {
        scan(h);
        h->scanned = 1;
    }
    for (size_t k = 0; k < h->count; k++)
        if (same_address(&h->hint[k].addr, recipient))
            return h->hint[k].stage;
    return h->agreed;
}

const struct smtpstatus__found *smtpstatus__hint_found(struct smtpstatus__text_hints *h,
                                                       const struct smtpstatus_text *recipient)
{
    if (!h->decoded) {
        struct smtpstatus__sink collect;
        unsigned decoder;

        memset(&collect, 0, sizeof collect);
        collect.found = h->found;
        collect.capacity = SMTPSTATUS__TEXT_FOUND_MAX;
        smtpstatus__decode_text(&h->bounce, &collect, &decoder);
        h->found_count = collect.count;
        h->decoded = 1;
    }
    for (size_t k = 0; k < h->found_count && k < SMTPSTATUS__TEXT_FOUND_MAX; k++)
        if (same_address(&h->found[k].recipient, recipient))
            return &h->found[k];
    /* One recipient in the text, and one of the two is not an address:
     * the report's recipient by another name (a local file or a pipe that
     * an alias expanded to). Two different addresses are two recipients. */
    if (h->found_count == 1 &&
        (!smtpstatus__is_address(recipient) || !smtpstatus__is_address(&h->found[0].recipient)))
        return &h->found[0];
    return NULL;
}
