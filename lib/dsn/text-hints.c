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
#include "lines.h"

#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
#include <emmintrin.h>
#endif

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

/* How far back an entry's first line is looked for, and how many
 * occurrences of the phrases are read: the work stays linear in the text
 * whatever it holds (a long line of nothing but "in reply to"). */
#define LOOK_BACK 4096
#define READS_MAX 64

/* The start of the line that holds t[at], looking back no further than
 * `floor`; `floor` itself when the line starts before it. */
static size_t line_start(const char *t, size_t at, size_t floor)
{
    return smtpstatus__line_start(t, at, floor);
}

/* Whether t[p] (three `dir` characters and a space) starts its line, after
 * blanks, as a session transcript's lines do; returns the offset past
 * them, or 0. */
static size_t transcript_at(const char *t, size_t len, size_t p, char dir)
{
    size_t k = p;

    while (k > 0 && (t[k - 1] == ' ' || t[k - 1] == '\t'))
        k--;
    if (k > 0 && t[k - 1] != '\n' && t[k - 1] != '\r')
        return 0;
    if (len - p < 4 || t[p] != dir || t[p + 1] != dir || t[p + 2] != dir || t[p + 3] != ' ')
        return 0;
    return p + 4;
}

/* The recipient whose entry holds t[at]: Postfix starts an entry
 * "<address>: host ... said:", Exim with the address alone on an indented
 * line. Entries are a few lines long and end at a blank line. */
static struct smtpstatus_text entry_before(const char *t, size_t len, size_t at)
{
    struct smtpstatus_text addr = { NULL, 0 };
    size_t floor = at > LOOK_BACK ? at - LOOK_BACK : 0;
    size_t off = line_start(t, at, floor);

    for (int back = 0; back < 8 && (off > floor || floor == 0); back++) {
        struct smtpstatus__line ln;
        size_t i;

        smtpstatus__line_at(t, len, off, &ln);
        i = smtpstatus__skip_blanks(t, ln.off, ln.end);
        if (i == ln.end && back > 0)
            break;
        if (i < ln.end && t[i] == '<' && smtpstatus__angle_address(t, i, ln.end, &addr))
            return addr;
        if (i < ln.end && memchr(t + i, '@', ln.end - i) != NULL && smtpstatus__address_line(t, &ln, &addr))
            return addr;
        if (off == 0)
            break;
        off = line_start(t, off - 1, floor);
    }
    addr.ptr = NULL;
    addr.len = 0;
    return addr;
}

/* Whether "in" (any case, after white space or "(") ends just before the
 * white space at t[p - 1]: Postfix's "(in reply to", which it may wrap
 * between "in" and "reply". */
static int in_before(const char *t, size_t p)
{
    while (p > 0 && (t[p - 1] == ' ' || t[p - 1] == '\t' || t[p - 1] == '\n' || t[p - 1] == '\r'))
        p--;
    if (p < 2 || smtpstatus__lower((unsigned char)t[p - 1]) != 'n' ||
        smtpstatus__lower((unsigned char)t[p - 2]) != 'i')
        return 0;
    return p == 2 || t[p - 3] == '(' || t[p - 3] == ' ' || t[p - 3] == '\t';
}

static const char reply_to[] = "reply to ";
static const char exim_after[] = "mail server after ";
static const char transcript[] = ">>> ";

/* The first occurrence of each phrase in t[0, len), ignoring case (or
 * len): what smtpstatus__find_nocase() answers for each, in one pass over
 * the text rather than three. Most texts hold none of them. */
#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
/* Each phrase ends with a byte and a space: "o " (7 bytes into "reply to "),
 * "r " (16 into "mail server after ") and "> " (2 into ">>> "), so that one
 * test for the space and one for each byte before it test a position for
 * all three at once; the few positions that pass are compared in full. */
enum { AT_REPLY = 7, AT_EXIM = 16, AT_CMD = 2 };

struct phrase_scan {
    size_t *reply, *exim, *cmd;
    unsigned want; /* bit 0: reply_to, 1: exim_after, 2: transcript, not found yet */
    /* The byte before the space of each phrase still wanted; 0 for one
     * found, which no byte OR-ed with 0x20 equals, so that its many later
     * pairs ("to ", "for ") no longer stop the scan. */
    __m128i o, r, gt;
};

/* Of positions p[0, 16): those whose byte, case folded, is one of the
 * wanted ones and is followed by a space. OR-ing 0x20 folds the upper-case
 * letters onto the lower-case ones (and leaves '>' as it is). Reads
 * p[0, 17). */
static inline unsigned ends16(const struct phrase_scan *s, const char *p)
{
    const __m128i fold = _mm_set1_epi8(0x20), space = _mm_set1_epi8(' ');
    __m128i x = _mm_or_si128(_mm_loadu_si128((const __m128i *)(const void *)p), fold);
    __m128i y = _mm_loadu_si128((const __m128i *)(const void *)(p + 1));

    return (unsigned)_mm_movemask_epi8(
        _mm_and_si128(_mm_cmpeq_epi8(y, space),
                      _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, s->o), _mm_cmpeq_epi8(x, s->r)),
                                   _mm_cmpeq_epi8(x, s->gt))));
}

/* Compare the phrases at the positions base + k, k a bit of m, in order.
 * Most positions are ordinary words ending in "o", "r" or ">" ("to ",
 * "for ", "<user@host> "): the byte two before the space ("reply t|o",
 * "afte|r", ">|>") and one more for "to" ("repl|y to") reject them before
 * the full comparison. OR-ing 0x20 keeps every byte that folds to the
 * phrase's (and a few more, which the comparison then turns away). */
static void take(struct phrase_scan *s, const char *t, size_t len, size_t base, uint64_t m)
{
    for (; m != 0; m &= m - 1) {
        size_t at = base + smtpstatus__ctz64(m);
        unsigned c, prev;

        if (at < AT_CMD)
            continue;
        c = (unsigned char)t[at] | 0x20u;
        prev = (unsigned char)t[at - 1] | 0x20u;
        if (c == 'o') {
            if (prev != 't' || at < AT_REPLY || ((unsigned char)t[at - 3] | 0x20u) != 'y' ||
                !(s->want & 1) || !smtpstatus__match_at_n(t, len, at - AT_REPLY, reply_to, sizeof reply_to - 1))
                continue;
            *s->reply = at - AT_REPLY;
            s->want &= ~1u;
            s->o = _mm_setzero_si128();
        } else if (c == 'r') {
            if (prev != 'e' || at < AT_EXIM || !(s->want & 2) ||
                !smtpstatus__match_at_n(t, len, at - AT_EXIM, exim_after, sizeof exim_after - 1))
                continue;
            *s->exim = at - AT_EXIM;
            s->want &= ~2u;
            s->r = _mm_setzero_si128();
        } else if (c == '>') {
            if (prev != '>' || !(s->want & 4) ||
                !smtpstatus__match_at_n(t, len, at - AT_CMD, transcript, sizeof transcript - 1))
                continue;
            *s->cmd = at - AT_CMD;
            s->want &= ~4u;
            s->gt = _mm_setzero_si128();
        }
    }
}
#endif

void smtpstatus__stage_phrases(const char *t, size_t len, size_t *reply, size_t *exim, size_t *cmd)
{
    *reply = *exim = *cmd = len;
#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
    if (len >= 33) {
        struct phrase_scan s;
        size_t j = 0, base;
        unsigned m;

        s.reply = reply;
        s.exim = exim;
        s.cmd = cmd;
        s.want = 7;
        s.o = _mm_set1_epi8('o');
        s.r = _mm_set1_epi8('r');
        s.gt = _mm_set1_epi8('>');
        /* Sixty-four positions j (of the byte before the space) a round,
         * reading t[j, j + 65), while the text lasts. */
        for (; len - j >= 65; j += 64) {
            unsigned m0 = ends16(&s, t + j), m1 = ends16(&s, t + j + 16);
            unsigned m2 = ends16(&s, t + j + 32), m3 = ends16(&s, t + j + 48);

            if ((m0 | m1 | m2 | m3) == 0)
                continue;
            take(&s, t, len, j,
                 (uint64_t)m0 | (uint64_t)m1 << 16 | (uint64_t)m2 << 32 | (uint64_t)m3 << 48);
            if (s.want == 0)
                return;
        }
        /* Then thirty-two ending with the text (the byte before the space
         * is at most t[len - 2]), fewer when they overlap positions already
         * tested, which are masked off; perhaps thirty-two before them. */
        if (len - j >= 33) {
            m = ends16(&s, t + j) | ends16(&s, t + j + 16) << 16;
            if (m != 0) {
                take(&s, t, len, j, m);
                if (s.want == 0)
                    return;
            }
            j += 32;
        }
        base = len - 33;
        if (j <= len - 2) {
            m = (ends16(&s, t + base) | ends16(&s, t + base + 16) << 16) & (~0u << (j - base));
            take(&s, t, len, base, m);
        }
        return;
    }
#endif
    *reply = smtpstatus__find_nocase_n(t, len, 0, reply_to, sizeof reply_to - 1);
    *exim = smtpstatus__find_nocase_n(t, len, 0, exim_after, sizeof exim_after - 1);
    *cmd = smtpstatus__find_nocase_n(t, len, 0, transcript, sizeof transcript - 1);
}

/* Each phrase is searched for in the whole text (Postfix may wrap its
 * phrase over lines) and read only where it occurs, so a text that names
 * no stage costs one pass over it (smtpstatus__stage_phrases()). */
static void scan(struct smtpstatus__text_hints *h)
{
    const char *t = h->bounce.text.ptr;
    size_t len = h->bounce.text.len, p, first_reply, first_exim, first_cmd;
    unsigned reads = 0;

    smtpstatus__stage_phrases(t, len, &first_reply, &first_exim, &first_cmd);
    for (p = first_reply; p < len && reads < READS_MAX;
         p = smtpstatus__find_nocase_n(t, len, p + 1, reply_to, sizeof reply_to - 1)) {
        if (in_before(t, p)) {
            reads++;
            struct smtpstatus_text entry = entry_before(t, len, p);
            add(h, &entry, smtpstatus__stage_at(t, len, p + sizeof reply_to - 1, NULL));
        }
    }
    for (p = first_exim; p < len && reads < READS_MAX;
         p = smtpstatus__find_nocase_n(t, len, p + 1, exim_after, sizeof exim_after - 1)) {
        size_t e, end = smtpstatus__line_end(t, len, p);
        struct smtpstatus_text addr;
        int stage = smtpstatus__stage_at(t, len, p + sizeof exim_after - 1, &e);
        reads++;
        if (stage == SMTPSTATUS_STAGE_RCPT && e <= end && smtpstatus__find_address(t, end, e, &addr))
            add(h, &addr, stage);
        else {
            addr = entry_before(t, len, p);
            add(h, &addr, stage);
        }
    }
    /* A session transcript: the first refusal ("<<< 5xx") after a command
     * (">>> DATA") and before the next one is its answer; what follows
     * ("<<< 503 Need RCPT") is the session unwinding. */
    p = first_cmd;
    while (p < len && reads < READS_MAX) {
        size_t cmd = transcript_at(t, len, p, '>');
        size_t next = smtpstatus__find_nocase_n(t, len, p + 1, ">>> ", 4), e, q;
        struct smtpstatus_text addr = { NULL, 0 };
        int stage;

        if (cmd == 0) {
            p = next;
            continue;
        }
        reads++;
        stage = smtpstatus__stage_at(t, len, cmd, &e);
        if (stage == SMTPSTATUS_STAGE_RCPT)
            smtpstatus__find_address(t, smtpstatus__line_end(t, len, cmd), e, &addr);
        for (q = smtpstatus__find_nocase_n(t, next, cmd, "<<< ", 4); q < next;
             q = smtpstatus__find_nocase_n(t, next, q + 1, "<<< ", 4)) {
            size_t r = transcript_at(t, len, q, '<');
            if (r == 0 || r >= len)
                continue;
            if (t[r] == '4' || t[r] == '5')
                add(h, &addr, stage);
            break;
        }
        p = next;
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

uint32_t smtpstatus__hint_stage(struct smtpstatus__text_hints *h, const struct smtpstatus_text *recipient)
{
    if (h->bounce.text.ptr == NULL || h->bounce.text.len == 0)
        return SMTPSTATUS_STAGE_UNKNOWN;
    if (!h->scanned) {
        scan(h);
        h->scanned = 1;
    }
    for (size_t k = 0; k < h->count; k++)
        if (smtpstatus__same_address(&h->hint[k].addr, recipient))
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
        if (smtpstatus__same_address(&h->found[k].recipient, recipient))
            return &h->found[k];
    /* One recipient in the text, and one of the two is not an address:
     * the report's recipient by another name (a local file or a pipe that
     * an alias expanded to). Two different addresses are two recipients. */
    if (h->found_count == 1 &&
        (!smtpstatus__is_address(recipient) || !smtpstatus__is_address(&h->found[0].recipient)))
        return &h->found[0];
    return NULL;
}

int smtpstatus__hint_failed_address(const struct smtpstatus__text_hints *h, struct smtpstatus_text *addr)
{
    const struct smtpstatus_text *v = &h->bounce.failed_recipients;
    struct smtpstatus_text first, second;
    size_t next;

    if (!h->bounce.has_failed_recipients || v->ptr == NULL)
        return 0;
    next = smtpstatus__find_address(v->ptr, v->len, 0, &first);
    if (next == 0 || smtpstatus__find_address(v->ptr, v->len, next, &second) != 0)
        return 0;
    *addr = first;
    return 1;
}
