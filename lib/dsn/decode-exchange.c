/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * Microsoft Exchange, Office 365 and Outlook.com non-delivery reports,
 * read from their text when they come without a usable delivery-status
 * part. Three generations of layout:
 *
 * - Exchange 2007 and later, Office 365's classic NDR. A part for people
 *   ("Delivery has failed to these recipients or groups:", then each
 *   recipient, often as "bob@example.com<mailto:bob@example.com>", and a
 *   plain-words explanation), then "Diagnostic information for
 *   administrators:" with, for each recipient, the address on a line of
 *   its own followed by the technical line: "#550 5.1.1
 *   RESOLVER.ADR.RecipNotFound; not found ##", "Remote Server returned
 *   '550 5.1.1 ...'", "<date> - Remote Server at mx.example.net
 *   (192.0.2.1) returned '...'" (one line per attempt, latest first) or,
 *   from Exchange 2007, "#< #5.1.1 smtp;550 5.1.1 ...> #SMTP#". Only the
 *   technical lines are in English whatever the language of the report,
 *   so recipients are found by the shape of the blocks, not by headings.
 * - Office 365's 2017 layout: "Your message to bob@example.com couldn't
 *   be delivered.", "Original Message Details" with "Recipient Address:",
 *   and "Error Details" with "Reported error: 550 5.1.10 ...".
 * - Exchange 5.5, 2000 and 2003: "did not reach the following
 *   recipient(s):" or "The following recipient(s) could not be
 *   reached:", then "bob@example.com on <date>" and indented lines with
 *   the explanation, an "MSEXCH:IMS:..." code or an SMTP tag "<mx.example.net
 *   #5.0.0 smtp;550 5.1.1 User unknown>".
 */

#include "decoders.h"

/* Only the start of a text is searched for the signs of a layout: the
 * notices are short, and a huge body must not be rescanned per marker. */
#define SIGN_WINDOW 131072

static size_t window(size_t len)
{
    return len < SIGN_WINDOW ? len : SIGN_WINDOW;
}

static int has(const char *t, size_t len, const char *lower)
{
    return smtpstatus__find_nocase(t, len, 0, lower) < len;
}

/* The offset of `lower` within the line, or ln->end. */
static size_t in_line(const char *t, const struct smtpstatus__line *ln, const char *lower)
{
    return smtpstatus__find_nocase(t, ln->end, ln->off, lower);
}

/* FROM_OUTLOOK_COM: the names that say Outlook.com. */
enum {
    FROM_OUTLOOK_COM = SMTPSTATUS__FROM_HOTMAIL | SMTPSTATUS__FROM_OUTLOOK | SMTPSTATUS__FROM_MSN |
                       SMTPSTATUS__FROM_LIVE,
};

/* The bytes that start a name of smtpstatus__exchange_from_signs(), in
 * either case. */
static const unsigned char from_lead[256] = {
    ['h'] = 1, ['H'] = 1, ['o'] = 1, ['O'] = 1, ['p'] = 1, ['P'] = 1, ['@'] = 1, ['.'] = 1,
};

/* One pass over the From rather than a search of it for each name. */
unsigned smtpstatus__exchange_from_signs(const char *f, size_t n)
{
    unsigned found = 0;

    if (f == NULL)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (!from_lead[(unsigned char)f[i]])
            continue;
        switch (smtpstatus__lower((unsigned char)f[i])) {
        case 'h':
            if (smtpstatus__match_nocase(f, n, i, "hotmail"))
                found |= SMTPSTATUS__FROM_HOTMAIL;
            break;
        case 'o':
            if (smtpstatus__match_nocase(f, n, i, "outlook"))
                found |= SMTPSTATUS__FROM_OUTLOOK;
            break;
        case 'p':
            if (smtpstatus__match_nocase(f, n, i, "postmaster@outlook.com"))
                found |= SMTPSTATUS__FROM_POSTMASTER_OUTLOOK;
            break;
        case '@':
            if (smtpstatus__match_nocase(f, n, i, "@msn.com"))
                found |= SMTPSTATUS__FROM_MSN;
            else if (smtpstatus__match_nocase(f, n, i, "@live."))
                found |= SMTPSTATUS__FROM_LIVE;
            break;
        default: /* '.' */
            if (smtpstatus__match_nocase(f, n, i, ".onmicrosoft.com"))
                found |= SMTPSTATUS__FROM_ONMICROSOFT;
            break;
        }
    }
    return found;
}

/* Headers only Exchange and Office 365 write on their reports. `from`:
 * smtpstatus__exchange_from_signs() of the report's From. `outlook`:
 * whether the From may hold "outlook" (the caller's test for Outlook.com
 * found none: "postmaster@outlook.com" is not looked for). */
static int exchange_headers(const struct smtpstatus__bounce *b, unsigned from, int outlook)
{
    struct smtpstatus_text v;

    /* Read with the other decoders' fields, in one pass over the block. */
    return smtpstatus__late_field(b, SMTPSTATUS__LATE_X_MS_EMBEDDED_REPORT, &v) ||
           (smtpstatus__late_field(b, SMTPSTATUS__LATE_X_MAILER, &v) &&
            (has(v.ptr, v.len, "internet mail service") || has(v.ptr, v.len, "microsoft exchange"))) ||
           (smtpstatus__late_field(b, SMTPSTATUS__LATE_X_MIMEOLE, &v) &&
            has(v.ptr, v.len, "microsoft exchange")) ||
           smtpstatus__late_field(b, SMTPSTATUS__LATE_X_MS_EXCHANGE_MESSAGE_IS_NDR, &v) ||
           (outlook && (from & SMTPSTATUS__FROM_POSTMASTER_OUTLOOK)) ||
           (from & SMTPSTATUS__FROM_ONMICROSOFT);
}

/* Called only for a From without "outlook" (decode_exchange()'s test for
 * Outlook.com). */
static int is_exchange(const struct smtpstatus__bounce *b, const struct smtpstatus__marks *mk,
                       unsigned from)
{
    /* The signs in the text (marks.tsv), found by the scan; the two too
     * short for it are searched for, after the header block is read. '#'
     * is rare in a bounce's text: each one is looked at, rather than
     * every byte tested for "#< #" (Exchange 2007's "#< #5.1.1 smtp;...>"). */
    static const enum smtpstatus__mark signs[] = {
        SMTPSTATUS__MARK_EXCHANGE_FAILED_TO,     /* "delivery has failed to these recipients" */
        SMTPSTATUS__MARK_EXCHANGE_DID_NOT_REACH, /* "did not reach the following recipient" */
        SMTPSTATUS__MARK_EXCHANGE_COULD_NOT,     /* "recipient(s) could not be reached" */
        SMTPSTATUS__MARK_EXCHANGE_CANNOT,        /* "recipient(s) cannot be reached" */
        SMTPSTATUS__MARK_EXCHANGE_RETURNED,      /* "remote server returned '" */
        SMTPSTATUS__MARK_EXCHANGE_AT,            /* "remote server at " */
        SMTPSTATUS__MARK_EXCHANGE_RESOLVER_ADR,  /* " resolver.adr." */
        SMTPSTATUS__MARK_EXCHANGE_RESOLVER_RST,  /* " resolver.rst." */
        SMTPSTATUS__MARK_EXCHANGE_MICROSOFT,     /* "microsoft exchange" */
        SMTPSTATUS__MARK_EXCHANGE_DIAGNOSTIC,    /* "diagnostic information for administrators" */
        SMTPSTATUS__MARK_EXCHANGE_EXPIRED,       /* " queue.expired" */
        SMTPSTATUS__MARK_EXCHANGE_COULDNT,       /* "couldn't be delivered" */
        SMTPSTATUS__MARK_EXCHANGE_REPORTED,      /* "reported error:" */
    };
    const char *t = b->text.ptr;
    size_t w = window(b->text.len);

    for (size_t i = 0; i < sizeof signs / sizeof signs[0]; i++)
        if (smtpstatus__mark_in(mk, signs[i], w))
            return 1;
    return exchange_headers(b, from, 0) || has(t, w, "msexch:") || smtpstatus__find_rare_n(t, w, 0, "#< #", 4) < w;
}

/* Where the copy of the original headers starts: the English heading
 * (smtpstatus__original_starts), or the first line that is a header field
 * of the original (the localized reports head it in their own language). */
static size_t report_end(const struct smtpstatus__marks *mk, const char *t, size_t len)
{
    static const char *const fields[] = {
        "received:",
        "return-path:",
        "dkim-signature:",
        "arc-seal:",
        "authentication-results:",
        "message-id:",
        "x-ms-exchange-",
        "x-microsoft-antispam",
    };
    struct smtpstatus__line ln;
    size_t at = 0, end = smtpstatus__original_starts(mk, t, 0, len);

    while (smtpstatus__line_at(t, end, at, &ln)) {
        for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
            if (smtpstatus__match_nocase(t, ln.end, ln.off, fields[i]))
                return ln.off;
        at = ln.next;
    }
    return end;
}

/* A line that holds one address and nothing else but the plain-text form
 * of its link ("bob@example.com<mailto:bob@example.com>") or the address
 * again in parentheses. *linked says whether it was written as a link
 * (the part for people). */
static int address_line(const char *t, const struct smtpstatus__line *ln,
                        struct smtpstatus_text *addr, int *linked)
{
    size_t i = smtpstatus__skip_blanks(t, ln->off, ln->end), end;

    *linked = 0;
    if (i < ln->end && t[i] == '<')
        i++;
    end = smtpstatus__find_address(t, ln->end, i, addr);
    if (end == 0 || addr->ptr != t + i)
        return 0;
    if (end < ln->end && t[end] == '>')
        end++;
    end = smtpstatus__skip_blanks(t, end, ln->end);
    if (end < ln->end && t[end] == '(') {
        const char *close = memchr(t + end, ')', ln->end - end);
        if (close == NULL)
            return 0;
        end = smtpstatus__skip_blanks(t, (size_t)(close - t) + 1, ln->end);
    }
    if (smtpstatus__match_nocase(t, ln->end, end, "<mailto:")) {
        *linked = 1;
        return 1;
    }
    return end == ln->end;
}

/* A host name alone on a line (Office 365 names the remote server between
 * the recipient and its error). */
static int host_line(const char *t, const struct smtpstatus__line *ln, struct smtpstatus_text *host)
{
    struct smtpstatus_text h = smtpstatus__slice(t, ln->off, ln->end);
    int dot = 0;

    if (h.len < 3)
        return 0;
    for (size_t i = 0; i < h.len; i++) {
        unsigned char c = (unsigned char)h.ptr[i];
        if (c == '.')
            dot = 1;
        else if (!smtpstatus__is_alnum(c) && c != '-')
            return 0;
    }
    if (!dot)
        return 0;
    *host = h;
    return 1;
}

/* The name after "Remote Server at " (up to the space before "(ip)"). */
static struct smtpstatus_text remote_at(const char *t, size_t from, size_t end)
{
    size_t at = smtpstatus__find_nocase(t, end, from, "server at ");
    struct smtpstatus_text h = { NULL, 0 };

    if (at < end) {
        size_t s = at + sizeof "server at " - 1, e = s;
        while (e < end && t[e] != ' ' && t[e] != '\t' && t[e] != '\r' && t[e] != '\n')
            e++;
        h = smtpstatus__slice(t, s, e);
    }
    return h;
}

/* Read the technical lines of a block [from, end): the first error line
 * found fills the diagnostic. Returns whether one was found. */
static int technical(const char *t, size_t from, size_t end, struct smtpstatus__found *f)
{
    struct smtpstatus__line ln;
    size_t at = from;

    while (smtpstatus__line_at(t, end, at, &ln)) {
        size_t i = smtpstatus__skip_blanks(t, ln.off, ln.end), q;

        if (smtpstatus__match_nocase(t, ln.end, i, "#< #")) {
            /* Exchange 2007: #< #5.1.1 smtp;550 5.1.1 RESOLVER...> #SMTP# */
            size_t code = i + 4, stop, smtp;
            struct smtpstatus_enhanced st;
            if (smtpstatus__parse_enhanced_at(t, ln.end, code, &st, &stop) == SMTPSTATUS_OK) {
                f->has_status = 1;
                f->status = st;
            }
            stop = smtpstatus__find_nocase(t, end, i, "> #smtp#");
            smtp = smtpstatus__find_nocase(t, stop, i, "smtp;");
            f->diagnostic = smtp < stop ? smtpstatus__slice(t, smtp + 5, stop)
                                        : smtpstatus__slice(t, code, stop);
            return 1;
        }
        if (i + 1 < ln.end && t[i] == '#' && smtpstatus__is_digit((unsigned char)t[i + 1])) {
            /* #550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ## (the
             * closing marks may be followed by "rfc822;address") */
            size_t stop = smtpstatus__find_nocase(t, end, i + 1, "##");
            f->diagnostic = smtpstatus__slice(t, i + 1, stop);
            return 1;
        }
        q = in_line(t, &ln, "returned '");
        if (q < ln.end) {
            /* Remote Server returned '...' / <date> - Remote Server at
             * host (ip) returned '...': the quote may run over several
             * lines and holds apostrophes of its own, so it ends at the
             * last quote before the next attempt's line. */
            size_t s = q + sizeof "returned '" - 1, stop = end, last;
            struct smtpstatus__line nx;
            size_t nat = ln.next;
            while (smtpstatus__line_at(t, end, nat, &nx)) {
                if (in_line(t, &nx, "remote server") < nx.end || smtpstatus__blank_line(t, &nx)) {
                    stop = nx.off;
                    break;
                }
                nat = nx.next;
            }
            last = stop;
            while (last > s && t[last - 1] != '\'')
                last--;
            f->diagnostic = smtpstatus__slice(t, s, last > s ? last - 1 : stop);
            if (f->remote_mta.len == 0)
                f->remote_mta = remote_at(t, ln.off, q);
            return 1;
        }
        at = ln.next;
    }
    return 0;
}

static void emit(struct smtpstatus__sink *sink, struct smtpstatus__found *f, unsigned action)
{
    f->action = action;
    smtpstatus__emit(sink, f, SMTPSTATUS_DECODER_EXCHANGE);
}

/* Exchange 2007 and later. With `people` 0, only the blocks that carry a
 * technical line (the part for administrators); with `people` 1, the
 * blocks of the part for people, for reports cut short before the
 * technical part. */
static size_t read_blocks(const char *t, size_t end, struct smtpstatus__sink *sink, unsigned action,
                          int people, const struct smtpstatus_text *receiving)
{
    struct smtpstatus__line ln;
    size_t at = 0, emitted = 0;

    while (smtpstatus__line_at(t, end, at, &ln)) {
        struct smtpstatus_text addr, host;
        struct smtpstatus__found f;
        struct smtpstatus__line bl;
        size_t body, block_end, bat;
        int linked;

        at = ln.next;
        if (!address_line(t, &ln, &addr, &linked))
            continue;
        memset(&f, 0, sizeof f);
        f.recipient = addr;
        f.flags = SMTPSTATUS_DSN_FROM_TEXT;
        /* The block: the lines up to a blank one or the next address. */
        body = ln.next;
        block_end = body;
        bat = body;
        while (smtpstatus__line_at(t, end, bat, &bl)) {
            struct smtpstatus_text a2;
            int l2;
            if (smtpstatus__blank_line(t, &bl) || address_line(t, &bl, &a2, &l2))
                break;
            block_end = bl.next;
            bat = bl.next;
        }
        if (smtpstatus__line_at(t, block_end, body, &bl) && host_line(t, &bl, &host)) {
            f.remote_mta = host;
            body = bl.next;
        }
        if (technical(t, body, block_end, &f)) {
            if (f.remote_mta.len == 0 && receiving)
                f.remote_mta = *receiving;
            emit(sink, &f, action);
            emitted++;
        } else if (people && (linked || body < block_end)) {
            f.diagnostic = smtpstatus__slice(t, body, block_end);
            emit(sink, &f, action);
            emitted++;
        }
        at = block_end;
    }
    return emitted;
}

/* Office 365, 2017 layout. */
static size_t read_modern(const char *t, size_t end, struct smtpstatus__sink *sink, unsigned action)
{
    struct smtpstatus__line ln;
    struct smtpstatus__found f;
    size_t at = 0;

    memset(&f, 0, sizeof f);
    f.flags = SMTPSTATUS_DSN_FROM_TEXT;
    while (smtpstatus__line_at(t, end, at, &ln)) {
        size_t i = smtpstatus__skip_blanks(t, ln.off, ln.end), p;
        at = ln.next;
        if (f.recipient.len == 0 && smtpstatus__match_nocase(t, ln.end, i, "your message to ") &&
            (p = in_line(t, &ln, "couldn't be delivered")) < ln.end) {
            struct smtpstatus_text a;
            if (smtpstatus__find_address(t, p, i, &a))
                f.recipient = a;
        } else if (f.recipient.len == 0 &&
                   smtpstatus__match_nocase(t, ln.end, i, "recipient address:")) {
            struct smtpstatus_text a;
            if (smtpstatus__find_address(t, ln.end, i, &a))
                f.recipient = a;
        } else if (smtpstatus__match_nocase(t, ln.end, i, "reported error:")) {
            /* The value may be wrapped: it runs to the next "Name:" line. */
            size_t s = i + sizeof "reported error:" - 1, e = ln.end;
            struct smtpstatus__line nx;
            while (smtpstatus__line_at(t, end, at, &nx) && !smtpstatus__blank_line(t, &nx) &&
                   in_line(t, &nx, ":") == nx.end) {
                e = nx.end;
                at = nx.next;
            }
            f.diagnostic = smtpstatus__slice(t, s, e);
        } else if (f.diagnostic.len == 0 &&
                   smtpstatus__match_nocase(t, ln.end, i, "status code:")) {
            f.diagnostic = smtpstatus__slice(t, i + sizeof "status code:" - 1, ln.end);
        } else if (smtpstatus__match_nocase(t, ln.end, i, "remote server:")) {
            f.remote_mta = smtpstatus__slice(t, i + sizeof "remote server:" - 1, ln.end);
        } else if (f.remote_mta.len == 0 &&
                   smtpstatus__match_nocase(t, ln.end, i, "dsn generated by:")) {
            /* Office 365 itself refused: its server is the one to name. */
            f.remote_mta = smtpstatus__slice(t, i + sizeof "dsn generated by:" - 1, ln.end);
        }
    }
    if (f.recipient.len == 0 || f.diagnostic.len == 0)
        return 0;
    emit(sink, &f, action);
    return 1;
}

/* Exchange 5.5 to 2003: "bob@example.com on <date>", or the X.400 form
 * "c=US;a= ;p=Org;o=Site;cat:SMTP=bob@example.com; on <date>". */
static int legacy_recipient(const char *t, const struct smtpstatus__line *ln,
                            struct smtpstatus_text *addr)
{
    size_t i = smtpstatus__skip_blanks(t, ln->off, ln->end), end, smtp;

    smtp = in_line(t, ln, "smtp=");
    if (smtp < ln->end && smtpstatus__match_nocase(t, ln->end, i, "c=")) {
        end = smtpstatus__find_address(t, ln->end, smtp + 5, addr);
        return end != 0 && addr->ptr == t + smtp + 5;
    }
    if (i < ln->end && t[i] == '<')
        i++;
    end = smtpstatus__find_address(t, ln->end, i, addr);
    if (end == 0 || addr->ptr != t + i)
        return 0;
    if (end < ln->end && t[end] == '>')
        end++;
    end = smtpstatus__skip_blanks(t, end, ln->end);
    return end == ln->end || smtpstatus__match_nocase(t, ln->end, end, "on ");
}

static size_t read_legacy(const char *t, size_t end, struct smtpstatus__sink *sink, unsigned action)
{
    static const char *const heads[] = {
        "did not reach the following recipient",
        "recipient(s) could not be reached",
        "recipient(s) cannot be reached",
        "recipients could not be reached",
    };
    struct smtpstatus__line ln;
    size_t at = 0, start = end, emitted = 0;

    for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
        size_t p = smtpstatus__find_nocase(t, end, 0, heads[i]);
        if (p < start)
            start = p;
    }
    if (start == end)
        return 0;
    smtpstatus__line_at(t, end, start, &ln);
    at = ln.next;
    while (smtpstatus__line_at(t, end, at, &ln)) {
        struct smtpstatus_text addr;
        struct smtpstatus__found f;
        struct smtpstatus__line bl;
        size_t body = ln.next, block_end = ln.next, bat = ln.next, tag;

        at = ln.next;
        if (!legacy_recipient(t, &ln, &addr))
            continue;
        while (smtpstatus__line_at(t, end, bat, &bl)) {
            struct smtpstatus_text a2;
            if (smtpstatus__blank_line(t, &bl) || legacy_recipient(t, &bl, &a2))
                break;
            block_end = bl.next;
            bat = bl.next;
        }
        memset(&f, 0, sizeof f);
        f.recipient = addr;
        f.flags = SMTPSTATUS_DSN_FROM_TEXT;
        /* The SMTP tag "<mx.example.net #5.0.0 smtp;550 5.1.1 ...>" quotes
         * the remote server: that is the diagnostic; otherwise Exchange's
         * own explanation and its MSEXCH code. */
        tag = smtpstatus__find_nocase(t, block_end, body, " #");
        if (tag < block_end) {
            size_t open = tag, close, smtp;
            struct smtpstatus_enhanced st;
            size_t stop;
            while (open > body && t[open - 1] != '<' && t[open - 1] != ' ' && t[open - 1] != '\t' &&
                   t[open - 1] != '\n' && t[open - 1] != '\r')
                open--;
            if (open > body && t[open - 1] == '<' &&
                smtpstatus__parse_enhanced_at(t, block_end, tag + 2, &st, &stop) == SMTPSTATUS_OK) {
                f.has_status = 1;
                f.status = st;
                f.remote_mta = smtpstatus__slice(t, open, tag);
                close = stop;
                while (close < block_end && t[close] != '>')
                    close++;
                smtp = smtpstatus__find_nocase(t, close, stop, "smtp;");
                if (smtp < close)
                    f.diagnostic = smtpstatus__slice(t, smtp + 5, close);
            }
        }
        if (f.diagnostic.len == 0)
            f.diagnostic = smtpstatus__slice(t, body, block_end);
        emit(sink, &f, action);
        emitted++;
        at = block_end;
    }
    /* Exchange 5.5's short form names the one recipient on the heading's
     * own line: "Did not reach the following recipient: bob@example.net". */
    if (emitted == 0) {
        struct smtpstatus_text addr;
        size_t colon;
        smtpstatus__line_at(t, end, start, &ln);
        colon = smtpstatus__find_nocase(t, ln.end, start, "recipient:");
        if (colon < ln.end && smtpstatus__find_address(t, ln.end, colon, &addr) != 0) {
            struct smtpstatus__found f;
            memset(&f, 0, sizeof f);
            f.recipient = addr;
            f.flags = SMTPSTATUS_DSN_FROM_TEXT;
            emit(sink, &f, action);
            emitted++;
        }
    }
    return emitted;
}

/* Outlook.com (Hotmail) writes only "Delivery to the following recipients
 * failed." and the addresses, indented; the reason is in its
 * delivery-status part alone. */
static size_t read_hotmail(const char *t, size_t end, struct smtpstatus__sink *sink)
{
    size_t head =
               smtpstatus__find_nocase(t, window(end), 0, "delivery to the following recipients"),
           at, emitted = 0;
    struct smtpstatus__line ln;
    unsigned action = SMTPSTATUS_DSN_ACTION_FAILED;

    if (head == window(end))
        return 0;
    smtpstatus__line_at(t, end, head, &ln);
    if (in_line(t, &ln, "delayed") < ln.end)
        action = SMTPSTATUS_DSN_ACTION_DELAYED;
    at = ln.next;
    while (smtpstatus__line_at(t, end, at, &ln)) {
        struct smtpstatus_text addr;
        struct smtpstatus__found f;
        int linked;
        at = ln.next;
        if (smtpstatus__blank_line(t, &ln))
            continue;
        if (!address_line(t, &ln, &addr, &linked))
            break;
        memset(&f, 0, sizeof f);
        f.recipient = addr;
        f.flags = SMTPSTATUS_DSN_FROM_TEXT;
        f.diagnostic = smtpstatus__slice(t, head, ln.off);
        emit(sink, &f, action);
        emitted++;
    }
    return emitted;
}

/* "Receiving server: mx.example.net (192.0.2.1)" in the administrators'
 * part names the remote server of every recipient. */
static int receiving_server(const char *t, size_t end, struct smtpstatus_text *host)
{
    size_t p = smtpstatus__find_nocase(t, end, 0, "receiving server:");
    struct smtpstatus__line ln;
    size_t s, e;

    if (p == end)
        return 0;
    smtpstatus__line_at(t, end, p, &ln);
    s = smtpstatus__skip_blanks(t, p + sizeof "receiving server:" - 1, ln.end);
    e = s;
    while (e < ln.end && t[e] != ' ' && t[e] != '\t')
        e++;
    *host = smtpstatus__slice(t, s, e);
    return host->len > 0;
}

static unsigned action_of(const struct smtpstatus__bounce *b, size_t end)
{
    const char *t = b->text.ptr;

    /* Exchange's delay notices: "Delivery is delayed to these recipients
     * or groups", subject "Delivery delayed:". */
    if (has(t, end, "delivery is delayed to these recipients") ||
        has(t, end, "hasn't been delivered yet") ||
        (b->subject.ptr &&
         smtpstatus__match_nocase(b->subject.ptr, b->subject.len, 0, "delivery delayed")))
        return SMTPSTATUS_DSN_ACTION_DELAYED;
    return SMTPSTATUS_DSN_ACTION_FAILED;
}

size_t smtpstatus__decode_exchange(const struct smtpstatus__bounce *b,
                                   const struct smtpstatus__marks *mk,
                                   struct smtpstatus__sink *sink)
{
    const char *t = b->text.ptr;
    size_t end, n;
    unsigned action;
    struct smtpstatus_text receiving;
    int has_receiving, hotmail;
    unsigned from;

    from = smtpstatus__exchange_from_signs(b->from.ptr, b->from.len);
    hotmail = (from & FROM_OUTLOOK_COM) != 0;
    if (!hotmail && !is_exchange(b, mk, from))
        return 0;
    end = report_end(mk, t, b->text.len);
    action = action_of(b, window(end));
    has_receiving = receiving_server(t, end, &receiving);
    n = read_blocks(t, end, sink, action, 0, has_receiving ? &receiving : NULL);
    if (n == 0)
        n = read_modern(t, end, sink, action);
    if (n == 0)
        n = read_legacy(t, end, sink, action);
    /* The part for people alone says who failed only in Exchange's own
     * layout; in anything else an address on a line means nothing. */
    if (n == 0 && (smtpstatus__mark_in(mk, SMTPSTATUS__MARK_EXCHANGE_FAILED_TO, window(end)) ||
                   (has(t, window(end), "<mailto:") && exchange_headers(b, from, hotmail))))
        n = read_blocks(t, end, sink, action, 1, NULL);
    if (n == 0 && hotmail)
        n = read_hotmail(t, end, sink);
    return n;
}
