/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * MIME for the DSN reader. Every function reads only within the bounds it
 * is given and allocates nothing: decoded text goes to the caller's
 * scratch area through a bump allocator.
 */

#include "mime.h"
#include "lines.h"

#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
#include <emmintrin.h>
#endif

/* The line search, inline: the header readers below call it for every
 * line they pass. */
static inline size_t eol(const char *buf, size_t len, size_t at)
{
    /* Every line of a message is scanned by the walker and again by each
     * reader, so this is the hottest loop of the DSN reader. */
#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
    /* Sixteen bytes at a time, CR and LF at once; never loads past len. */
    const __m128i cr = _mm_set1_epi8('\r'), lf = _mm_set1_epi8('\n');

    if (at >= len)
        return len;
    while (len - at >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(buf + at));
        unsigned m = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf)));
        if (m != 0)
            return at + (size_t)__builtin_ctz(m);
        at += 16;
    }
    while (at < len && buf[at] != '\n' && buf[at] != '\r')
        at++;
    return at;
#else
    /* memchr (which libc vectorises) finds the LF, then the text before it
     * is searched for a CR, as a bare CR ends a line too. The window keeps
     * a text with CR line ends and no LF at all (classic Mac OS) linear:
     * without it every line would search for an LF to the end of the text. */
    while (at < len) {
        size_t n = len - at < 1024 ? len - at : 1024;
        const char *lf = memchr(buf + at, '\n', n);
        const char *cr = memchr(buf + at, '\r', lf ? (size_t)(lf - (buf + at)) : n);

        if (cr != NULL)
            return (size_t)(cr - buf);
        if (lf != NULL)
            return (size_t)(lf - buf);
        at += n;
    }
    return len;
#endif
}

/* Where the line that ends at `end` (a CR, an LF or len) is followed by
 * the next: past CRLF, CR or LF; len at the end of the text. */
static inline size_t past_eol(const char *buf, size_t len, size_t end)
{
    if (end >= len)
        return len;
    return end + (end + 1 < len && buf[end] == '\r' && buf[end + 1] == '\n' ? 2 : 1);
}

void smtpstatus__eols_init(struct smtpstatus__eols *e)
{
    e->at = SIZE_MAX;
    e->end = SIZE_MAX;
}

/* eol(), for a reader that may ask twice for the end of the same line:
 * the last answer is kept. (Finding the ends of several lines at once, 64
 * bytes at a time, was tried: it costs more instructions than it saves,
 * as most header lines are longer than a block of sixteen.) */
static inline size_t eols_next(struct smtpstatus__eols *e, const char *buf, size_t len, size_t at)
{
    if (at != e->at) {
        e->at = at;
        e->end = eol(buf, len, at);
    }
    return e->end;
}

size_t smtpstatus__line_end(const char *buf, size_t len, size_t at)
{
    return eol(buf, len, at);
}

int smtpstatus__line_at(const char *buf, size_t len, size_t at, struct smtpstatus__line *line)
{
    if (at >= len)
        return 0;
    line->off = at;
    line->end = eol(buf, len, at);
    line->next = past_eol(buf, len, line->end);
    return 1;
}

size_t smtpstatus__split_headers(const char *buf, size_t len, size_t *hdr_len)
{
    struct smtpstatus__line ln;
    size_t at = 0;

    while (smtpstatus__line_at(buf, len, at, &ln)) {
        if (ln.end == ln.off) {
            *hdr_len = ln.off;
            return ln.next;
        }
        at = ln.next;
    }
    *hdr_len = len;
    return len;
}

static int is_ws(char c)
{
    return c == ' ' || c == '\t';
}

/* A field's value, buf[from, to) trimmed. */
static inline struct smtpstatus_text field_value(const char *buf, size_t from, size_t to)
{
    struct smtpstatus_text v;

    v.ptr = buf + from;
    v.len = to - from;
    return smtpstatus__trim(v);
}

/* The offset of the first byte in [i, end) that cannot be in a field name
 * (RFC 5322 §3.6.8), lines.h. */
static inline size_t name_end_at(const char *buf, size_t i, size_t end)
{
    return smtpstatus__name_end(buf, i, end);
}

/* RFC 5322 §4.5.3 (obs-optional): the obsolete syntax, which readers
 * must accept, allows white space between a field's name and its colon;
 * Mimecast still writes "Action : failed" in its DSNs. */
static inline size_t colon_after_name(const char *buf, size_t i, size_t end)
{
    size_t j = i;

    while (j < end && is_ws(buf[j]))
        j++;
    return j < end && buf[j] == ':' ? j : i;
}

/* Whether the line [at, end) starts like a header field: a name of
 * printable ASCII without spaces, then a colon. Sets *name_end and *colon
 * when it does. */
static inline int field_line(const char *buf, size_t at, size_t end, size_t *name_end, size_t *colon)
{
    size_t i = name_end_at(buf, at, end), j;

    if (i == at)
        return 0;
    j = colon_after_name(buf, i, end);
    if (j >= end || buf[j] != ':')
        return 0;
    *name_end = i;
    *colon = j;
    return 1;
}

/* Whether the non-empty line [at, end) carries on the field before it.
 * Continuation lines start with white space (RFC 5322 §2.2.3). Some
 * generators forget the white space ("Content-Type: ...;" then
 * "boundary=..." flush left); a line that cannot be a field of its own is
 * taken as a continuation too. */
static inline int continues(const char *buf, size_t at, size_t end)
{
    size_t name_end, colon;

    return is_ws(buf[at]) || !field_line(buf, at, end, &name_end, &colon);
}

/* field_line() for the reader's line [at, end), kept for the next
 * question about the same line. */
static inline int reader_field_line(struct smtpstatus__field_reader *r, size_t at, size_t end,
                                    size_t *name_end, size_t *colon)
{
    if (at != r->line_at) {
        r->line_at = at;
        r->line_is_field = field_line(r->buf, at, end, &r->line_name_end, &r->line_colon);
    }
    *name_end = r->line_name_end;
    *colon = r->line_colon;
    return r->line_is_field;
}

int smtpstatus__field_read(struct smtpstatus__field_reader *r, struct smtpstatus_text *name,
                           struct smtpstatus_text *value)
{
    const char *buf = r->buf;
    size_t len = r->len, at = r->at, end;

    if (at >= len)
        return SMTPSTATUS_E_NOT_FOUND;
    /* The line at `at` was read by the call before, to see whether it
     * continued that call's field: the block of line ends read then is
     * kept, so that every line is searched for its end once. */
    end = eols_next(&r->eols, buf, len, at);
    for (;;) {
        size_t next = past_eol(buf, len, end), name_end, colon, vstart, vend;

        /* A blank line, a stray continuation, or not a field ("From "
         * separator lines, garbage): skipped. */
        if (end == at || is_ws(buf[at]) || !reader_field_line(r, at, end, &name_end, &colon)) {
            at = next;
            if (at >= len)
                break;
            end = eols_next(&r->eols, buf, len, at);
            continue;
        }
        name->ptr = buf + at;
        name->len = name_end - at;
        vstart = colon + 1;
        vend = end;
        while ((at = next) < len) {
            end = eols_next(&r->eols, buf, len, at);
            /* A continuation, as continues() tells. */
            if (end == at || !(is_ws(buf[at]) || !reader_field_line(r, at, end, &name_end, &colon)) ||
                end - vstart >= SMTPSTATUS_DSN_FIELD_MAX)
                break;
            vend = end;
            next = past_eol(buf, len, end);
        }
        r->at = at;
        *value = field_value(buf, vstart, vend);
        return SMTPSTATUS_OK;
    }
    r->at = at;
    return SMTPSTATUS_E_NOT_FOUND;
}

int smtpstatus__field_next(const char *buf, size_t len, size_t *cursor, struct smtpstatus_text *name,
                           struct smtpstatus_text *value)
{
    struct smtpstatus__field_reader r;
    int rc;

    smtpstatus__field_reader_init(&r, buf, len, *cursor);
    rc = smtpstatus__field_read(&r, name, value);
    if (*cursor < len)
        *cursor = r.at;
    return rc;
}

int smtpstatus__field_find(const char *buf, size_t len, const char *lower_name,
                           struct smtpstatus_text *value)
{
    size_t n = strlen(lower_name), at = 0;

    /* A line that looks like a field (a name, then a colon) always starts
     * one in smtpstatus__field_next(): continuations are only the lines
     * that cannot be fields. So the field sought starts on the first line
     * that begins with its name and a colon, and only that line needs
     * parsing; the others are skipped at the speed of the line search. */
    while (at < len) {
        size_t end = eol(buf, len, at);

        if (end - at > n && (buf[at + n] == ':' || is_ws(buf[at + n])) &&
            buf[colon_after_name(buf, at + n, end)] == ':' &&
            smtpstatus__match_nocase(buf, end, at, lower_name)) {
            struct smtpstatus_text name;
            size_t cursor = at;
            if (smtpstatus__field_next(buf, len, &cursor, &name, value) == SMTPSTATUS_OK)
                return 1;
        }
        at = past_eol(buf, len, end);
    }
    value->ptr = NULL;
    value->len = 0;
    return 0;
}

_Static_assert(SMTPSTATUS__FIELD_LEN_SLOTS == SMTPSTATUS__NAME_STOP_MAX + 1,
               "by_len has a slot for each answer of smtpstatus__name_stop()");

void smtpstatus__field_set_prepare(struct smtpstatus__field_set *set,
                                   const struct smtpstatus__field_name *names, size_t n)
{
    memset(set, 0, sizeof *set);
    set->names = names;
    set->n = n;
    set->plain = 1;
    for (size_t k = 0; k < n; k++) {
        const char *name = names[k].name;
        size_t len = names[k].len;
        unsigned char c = (unsigned char)name[0];
        uint16_t bit = (uint16_t)(1u << k);

        for (size_t i = 0; i < len; i++)
            if (!((name[i] >= 'a' && name[i] <= 'z') || name[i] == '-'))
                set->plain = 0;
        set->by_first[c] |= bit;
        if (c >= 'a' && c <= 'z')
            set->by_first[c - ('a' - 'A')] |= bit;
        if (memchr(name, ':', len) || memchr(name, ' ', len) || memchr(name, '\t', len)) {
            for (size_t s = 0; s < SMTPSTATUS__FIELD_LEN_SLOTS; s++)
                set->by_len[s] |= bit;
        } else {
            set->by_len[len < SMTPSTATUS__NAME_STOP_MAX ? len : SMTPSTATUS__NAME_STOP_MAX] |= bit;
        }
    }
}

unsigned smtpstatus__scan_headers(const char *buf, size_t len, size_t *body_off, size_t *hdr_len,
                                  const struct smtpstatus__field_name *names, size_t n,
                                  struct smtpstatus_text *values)
{
    struct smtpstatus__field_set set;

    smtpstatus__field_set_prepare(&set, names, n);
    return smtpstatus__scan_fields(buf, len, body_off, hdr_len, &set, values);
}

/* The scan's place in its text (smtpstatus__scan_fields()): the line that
 * starts at `at`, and the CR and LF bits of the block of 64 bytes at `base`
 * that are at or after it (lines.h), so that the lowest is the end of
 * that line. Locals of the scan, passed by address to the inline steps
 * below, which the compiler keeps in registers. */
struct scan_pos {
    size_t at, base;
    uint64_t bits;
};

/* The end of the line at p->at: its CR or LF, or len. */
static inline size_t scan_line_end(const char *buf, size_t len, struct scan_pos *p)
{
    while (p->bits == 0 && (p->base += 64) < len) {
        p->bits = smtpstatus__eol_bits(buf, len, p->base);
        /* The LF of a CRLF that ended the block before. */
        if (p->at > p->base)
            p->bits &= ~(uint64_t)0 << (p->at - p->base);
    }
    return p->bits != 0 ? p->base + smtpstatus__ctz64(p->bits) : len;
}

/* On to the line after the one that ends at `end` (< len): past one byte,
 * or the two of a CRLF, whose LF is then the next bit of this block (or
 * the first of the next one, dropped when that is loaded). */
static inline void scan_next_line(const char *buf, size_t len, struct scan_pos *p, size_t end)
{
    p->bits &= p->bits - 1;
    p->at = end + 1;
    if (buf[end] == '\r' && p->at < len && buf[p->at] == '\n') {
        p->at++;
        if (p->at - 1 - p->base < 64)
            p->bits &= p->bits - 1;
    }
}

/* Whether a[0, n) is the name `lower` (n bytes of a-z and '-'), ignoring
 * case, where a[0, n) is within a line: as smtpstatus__same_nocase(), but
 * with 0x20 set in every byte of a and none cleared from the name's. A
 * byte that becomes a lower-case letter so is that letter in either case;
 * one that becomes '-' (0x2D) is '-' or a CR (0x0D), and a line holds no
 * CR. */
static inline int same_plain_name(const char *a, const char *lower, size_t n)
{
    if (n >= 8) {
        for (size_t i = 0; i + 8 < n; i += 8)
            if ((smtpstatus__load64(a + i) | SMTPSTATUS__ONES * 0x20) != smtpstatus__load64(lower + i))
                return 0;
        return (smtpstatus__load64(a + n - 8) | SMTPSTATUS__ONES * 0x20) == smtpstatus__load64(lower + n - 8);
    }
    if (n >= 4) {
        uint32_t x, y, k, l;
        memcpy(&x, a, 4);
        memcpy(&y, a + n - 4, 4);
        memcpy(&k, lower, 4);
        memcpy(&l, lower + n - 4, 4);
        return (x | 0x20202020u) == k && (y | 0x20202020u) == l;
    }
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)a[i] | 0x20) != (unsigned char)lower[i])
            return 0;
    return 1;
}

unsigned smtpstatus__scan_fields(const char *buf, size_t len, size_t *body_off, size_t *hdr_len,
                                 const struct smtpstatus__field_set *set, struct smtpstatus_text *values)
{
    const struct smtpstatus__field_name *names = set->names;
    const uint16_t *by_first = set->by_first;
    const size_t n = set->n;
    const unsigned all = (1u << n) - 1;
    unsigned want = all; /* the names not found yet */
    struct scan_pos p = { 0, 0, 0 };
    size_t end;

    for (size_t k = 0; k < n; k++) {
        values[k].ptr = NULL;
        values[k].len = 0;
    }
    /* One pass, each line searched for its end once. The fields sought
     * start on lines that begin with their names (see
     * smtpstatus__field_find()); a field found is read on through its
     * continuation lines, as smtpstatus__field_next() reads it. The
     * header block ends at the first empty line, as in
     * smtpstatus__split_headers(), which also ends a field.
     *
     * Most lines start no field sought: they cost the look at their first
     * byte, the search for their end and the step past it, and the loop
     * below does no more for them. */
    if (len == 0)
        goto eof;
    p.bits = smtpstatus__eol_bits(buf, len, 0);
    end = scan_line_end(buf, len, &p);
    for (;;) {
        unsigned m;
        size_t k, vstart, vend;

        /* The lines that start no field sought, in a loop of their own.
         * (A blank line at the end of the text too: at and end are then
         * len.) */
        for (;;) {
            if (end == p.at)
                goto blank;
            m = by_first[(unsigned char)buf[p.at]] & want;
            if (m != 0)
                break;
            if (end >= len)
                goto eof;
            scan_next_line(buf, len, &p, end);
            end = scan_line_end(buf, len, &p);
        }
        if ((m & (m - 1)) != 0)
            m &= set->by_len[smtpstatus__name_stop(buf, p.at, len)];
        for (; m != 0; m &= m - 1) {
            size_t nlen, e, colon;

            k = (size_t)smtpstatus__ctz64(m);
            nlen = names[k].len;
            e = p.at + nlen;
            if (end - p.at <= nlen)
                continue;
            colon = e;
            if (buf[e] != ':' && (!is_ws(buf[e]) || buf[colon = colon_after_name(buf, e, end)] != ':'))
                continue;
            if (set->plain ? same_plain_name(buf + p.at, names[k].name, nlen)
                           : smtpstatus__same_nocase(buf + p.at, names[k].name, nlen)) {
                vstart = colon + 1;
                goto found;
            }
        }
        if (end >= len)
            goto eof;
        scan_next_line(buf, len, &p, end);
        end = scan_line_end(buf, len, &p);
        continue;

    found:
        /* names[k] at this line: read on through its continuations. The
         * line that ends it is then read as any other. */
        want &= ~(1u << k);
        vend = end;
        for (;;) {
            if (end >= len) {
                values[k] = field_value(buf, vstart, vend);
                goto eof;
            }
            scan_next_line(buf, len, &p, end);
            end = scan_line_end(buf, len, &p);
            if (end == p.at || !continues(buf, p.at, end) || end - vstart >= SMTPSTATUS_DSN_FIELD_MAX)
                break;
            vend = end;
        }
        values[k] = field_value(buf, vstart, vend);
        /* A caller without need of the block's end stops here. */
        if (want == 0 && hdr_len == NULL)
            return all;
    }

blank:
    if (hdr_len != NULL) {
        *hdr_len = p.at;
        *body_off = past_eol(buf, len, end);
    }
    return all & ~want;
eof:
    if (hdr_len != NULL) {
        *hdr_len = len;
        *body_off = len;
    }
    return all & ~want;
}

/* The blanks between the parts of a Content-Type value, by class: one
 * look-up instead of two or four comparisons. The parts' ends are found
 * a block at a time (lines.h). */
enum { CT_WS = 1, CT_EOL = 2 };

static const unsigned char ct_class[256] = {
    [' '] = CT_WS, ['\t'] = CT_WS, ['\r'] = CT_EOL, ['\n'] = CT_EOL,
};

/* The first byte of s[i, len) of none of the classes in `stop`, or len. */
static inline size_t ct_skip(const char *s, size_t len, size_t i, unsigned stop)
{
    while (i < len && (ct_class[(unsigned char)s[i]] & stop))
        i++;
    return i;
}

/* The end of a token: the first byte of s[i, len) that is white space,
 * a line end or ';' (RFC 2045 §5.1), or len. */
static inline size_t ct_token_end(const char *s, size_t len, size_t i)
{
    return smtpstatus__find_of5(s, i, len, ';', ' ', '\t', '\r', '\n');
}

/* A token or a quoted string at *p (RFC 2045 §5.1); returns its text. */
static struct smtpstatus_text param_value(const char *s, size_t len, size_t *p)
{
    struct smtpstatus_text v = { NULL, 0 };
    size_t i = ct_skip(s, len, *p, CT_WS);

    if (i < len && s[i] == '"') {
        size_t start = ++i;
        /* A backslash quotes the byte after it (RFC 5322 §3.2.4). */
        while ((i = smtpstatus__find_either(s, i, len, '"', '\\')) < len && s[i] != '"') {
            if (i + 1 < len)
                i++;
            i++;
        }
        v.ptr = s + start;
        v.len = i - start;
        if (i < len)
            i++;
    } else {
        size_t start = i;
        i = ct_token_end(s, len, i);
        v.ptr = s + start;
        v.len = i - start;
    }
    *p = i;
    return v;
}

void smtpstatus__parse_ctype(const struct smtpstatus_text *value, struct smtpstatus__ctype *ct)
{
    const char *s = value->ptr;
    size_t len = value->ptr ? value->len : 0, i = 0, start;

    memset(ct, 0, sizeof *ct);
    if (s == NULL)
        return;
    i = ct_skip(s, len, i, CT_WS | CT_EOL);
    start = i;
    i = smtpstatus__find_of5(s, i, len, '/', ';', ' ', '\t', '\t');
    ct->type.ptr = s + start;
    ct->type.len = i - start;
    if (i < len && s[i] == '/') {
        start = ++i;
        i = ct_token_end(s, len, i);
        ct->subtype.ptr = s + start;
        ct->subtype.len = i - start;
    }
    if (!smtpstatus__text_is(&ct->type, "multipart"))
        return;
    while (i < len) {
        struct smtpstatus_text name, v;
        i = smtpstatus__find_either(s, i, len, ';', ';');
        if (i >= len)
            break;
        i = ct_skip(s, len, i + 1, CT_WS | CT_EOL);
        start = i;
        i = smtpstatus__find_either(s, i, len, '=', ';');
        name.ptr = s + start;
        name.len = i - start;
        name = smtpstatus__trim(name);
        if (i >= len || s[i] != '=')
            continue;
        i++;
        v = param_value(s, len, &i);
        if (smtpstatus__text_is(&name, "boundary"))
            ct->boundary = v;
    }
}

int smtpstatus__parse_cte(const struct smtpstatus_text *value)
{
    struct smtpstatus_text v = value->ptr ? smtpstatus__trim(*value) : *value;

    if (smtpstatus__text_is(&v, "base64"))
        return SMTPSTATUS__CTE_BASE64;
    if (smtpstatus__text_is(&v, "quoted-printable"))
        return SMTPSTATUS__CTE_QP;
    return SMTPSTATUS__CTE_IDENTITY;
}

char *smtpstatus__scratch_take(struct smtpstatus__scratch *s, size_t n)
{
    /* `needed` is the peak of what would be in use had every take found
     * room: the takes do not depend on one another's success, so a retry
     * with that much has room for all of them. */
    if (s->buf == NULL || s->size - s->used < n) {
        s->missing += n;
        if (s->needed < s->used + s->missing)
            s->needed = s->used + s->missing;
        return NULL;
    }
    s->used += n;
    if (s->needed < s->used + s->missing)
        s->needed = s->used + s->missing;
    return s->buf + s->used - n;
}

void smtpstatus__scratch_trim(struct smtpstatus__scratch *s, size_t taken, size_t kept)
{
    /* `needed` keeps its peak: an upper bound is what the caller needs. */
    s->used -= taken - kept;
}

/* The value of a hexadecimal digit of either case, with HEX_DIGIT set;
 * 0 for any other byte. One look-up, and one test for both digits of an
 * "=XX". */
#define HEX_DIGIT 0x10

static const unsigned char hex_digits[256] = {
    ['0'] = 0x10, ['1'] = 0x11, ['2'] = 0x12, ['3'] = 0x13, ['4'] = 0x14,
    ['5'] = 0x15, ['6'] = 0x16, ['7'] = 0x17, ['8'] = 0x18, ['9'] = 0x19,
    ['A'] = 0x1A, ['B'] = 0x1B, ['C'] = 0x1C, ['D'] = 0x1D, ['E'] = 0x1E, ['F'] = 0x1F,
    ['a'] = 0x1A, ['b'] = 0x1B, ['c'] = 0x1C, ['d'] = 0x1D, ['e'] = 0x1E, ['f'] = 0x1F,
};

/* The base64 alphabet (RFC 2045 §6.8) plus '-' and '_' of the URL-safe
 * one, seen in the wild; B64_END marks '=', B64_SKIP anything else. */
#define B64_END 0xFE
#define B64_SKIP 0xFF

static const unsigned char b64_values[256] = {
#define R16 B64_SKIP, B64_SKIP, B64_SKIP, B64_SKIP, B64_SKIP, B64_SKIP, B64_SKIP, B64_SKIP, \
            B64_SKIP, B64_SKIP, B64_SKIP, B64_SKIP, B64_SKIP, B64_SKIP, B64_SKIP, B64_SKIP
    R16, R16,
    /* 0x20: ' ' to '/' */
    B64_SKIP, B64_SKIP, B64_SKIP, B64_SKIP, B64_SKIP, B64_SKIP, B64_SKIP, B64_SKIP,
    B64_SKIP, B64_SKIP, B64_SKIP, 62, B64_SKIP, 62, B64_SKIP, 63,
    /* 0x30: '0' to '?' */
    52, 53, 54, 55, 56, 57, 58, 59, 60, 61, B64_SKIP, B64_SKIP, B64_SKIP, B64_END, B64_SKIP, B64_SKIP,
    /* 0x40: '@' to 'O' */
    B64_SKIP, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
    /* 0x50: 'P' to '_' */
    15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, B64_SKIP, B64_SKIP, B64_SKIP, B64_SKIP, 63,
    /* 0x60: '`' to 'o' */
    B64_SKIP, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
    /* 0x70: 'p' to 0x7F */
    41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, B64_SKIP, B64_SKIP, B64_SKIP, B64_SKIP, B64_SKIP,
    R16, R16, R16, R16, R16, R16, R16, R16,
#undef R16
};

/* Base64 (RFC 2045 §6.8): characters outside the alphabet are skipped, as
 * the RFC asks; decoding stops at the first '='. Writes at most 3/4 of n. */
static size_t decode_base64(const char *in, size_t n, char *out)
{
    uint32_t acc = 0;
    unsigned bits = 0;
    size_t o = 0;

    for (size_t i = 0; i < n;) {
        unsigned v;
        /* Most of a body is whole groups of four characters of the
         * alphabet: 24 bits, three bytes out, whatever bits were pending. */
        if (n - i >= 4) {
            unsigned a = b64_values[(unsigned char)in[i]], b = b64_values[(unsigned char)in[i + 1]],
                     c = b64_values[(unsigned char)in[i + 2]], d = b64_values[(unsigned char)in[i + 3]];
            if ((a | b | c | d) < 64) {
                acc = (acc << 24) | (a << 18) | (b << 12) | (c << 6) | d;
                out[o++] = (char)((acc >> (bits + 16)) & 0xFF);
                out[o++] = (char)((acc >> (bits + 8)) & 0xFF);
                out[o++] = (char)((acc >> bits) & 0xFF);
                i += 4;
                continue;
            }
        }
        v = b64_values[(unsigned char)in[i++]];
        if (v == B64_END)
            break;
        if (v == B64_SKIP)
            continue;
        acc = (acc << 6) | v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (char)((acc >> bits) & 0xFF);
        }
    }
    return o;
}

/* Quoted-printable (RFC 2045 §6.7); a malformed "=" is kept as it is.
 * With `underscore_space` (RFC 2047 "Q"), '_' stands for a space. */
static size_t decode_qp(const char *in, size_t n, char *out, int underscore_space)
{
    size_t o = 0;

    for (size_t i = 0; i < n; i++) {
        char c = in[i];
        if (c == '=' && i + 1 < n && (in[i + 1] == '\n' || in[i + 1] == '\r')) {
            i++; /* a soft line break */
            if (in[i] == '\r' && i + 1 < n && in[i + 1] == '\n')
                i++;
            continue;
        }
        if (c == '=' && i + 2 < n) {
            unsigned hi = hex_digits[(unsigned char)in[i + 1]], lo = hex_digits[(unsigned char)in[i + 2]];
            if (hi & lo & HEX_DIGIT) {
                out[o++] = (char)((hi & 15) << 4 | (lo & 15));
                i += 2;
                continue;
            }
        }
        out[o++] = (underscore_space && c == '_') ? ' ' : c;
    }
    return o;
}

/* A quoted-printable body: what decode_qp(in, n, out, 0) writes. Most of a
 * body is literal text, copied up to the next '=' a block at a time; each
 * '=' is then a soft line break, an "=XX" or a malformed '=' kept. */
static size_t decode_qp_body(const char *in, size_t n, char *out)
{
    size_t i = 0, o = 0;

    while (i < n) {
        size_t run = smtpstatus__copy_to_byte(in + i, n - i, out + o, '=');
        unsigned a, hi, lo;

        i += run;
        o += run;
        if (i >= n)
            break;
        /* in[i] is '='; a is 0 when nothing follows it. */
        a = i + 1 < n ? (unsigned char)in[i + 1] : 0;
        if (a == '\n' || a == '\r') {
            i += 2;
            if (a == '\r' && i < n && in[i] == '\n')
                i++;
            continue;
        }
        if (i + 2 < n) {
            hi = hex_digits[a];
            lo = hex_digits[(unsigned char)in[i + 2]];
            if (hi & lo & HEX_DIGIT) {
                out[o++] = (char)((hi & 15) << 4 | (lo & 15));
                i += 3;
                continue;
            }
        }
        out[o++] = '=';
        i++;
    }
    return o;
}

struct smtpstatus_text smtpstatus__decode_body(const struct smtpstatus_text *body, int cte,
                                               struct smtpstatus__scratch *scratch)
{
    struct smtpstatus_text out = { NULL, 0 };
    char *dst;
    size_t n;

    if (cte == SMTPSTATUS__CTE_IDENTITY || body->ptr == NULL || body->len == 0)
        return *body;
    dst = smtpstatus__scratch_take(scratch, body->len);
    if (dst == NULL)
        return out;
    n = cte == SMTPSTATUS__CTE_BASE64 ? decode_base64(body->ptr, body->len, dst)
                                      : decode_qp_body(body->ptr, body->len, dst);
    smtpstatus__scratch_trim(scratch, body->len, n);
    out.ptr = n ? dst : NULL;
    out.len = n;
    return out;
}

struct smtpstatus_text smtpstatus__decode_words(const struct smtpstatus_text *value,
                                                struct smtpstatus__scratch *scratch)
{
    const char *s = value->ptr;
    size_t len = value->len, o = 0, i = 0, pending_ws = 0;
    int last_was_word = 0, has_words = 0;
    char *dst;
    struct smtpstatus_text out = { NULL, 0 };

    if (s == NULL || len < 8)
        return *value;
    for (const char *eq = memchr(s, '=', len - 1); eq != NULL && !has_words;
         eq = memchr(eq + 1, '=', (size_t)(s + len - 1 - (eq + 1))))
        has_words = eq[1] == '?';
    if (!has_words)
        return *value;
    dst = smtpstatus__scratch_take(scratch, len);
    if (dst == NULL)
        return *value; /* undecoded is better than nothing */
    while (i < len) {
        /* =?charset?enc?text?= (RFC 2047 §2) */
        if (s[i] == '=' && i + 1 < len && s[i + 1] == '?') {
            size_t q1 = i + 2, q2, q3, end;
            while (q1 < len && s[q1] != '?')
                q1++;
            q2 = q1 + 2;
            if (q1 + 2 < len && s[q1 + 2] == '?' && q2 < len) {
                char enc = (char)smtpstatus__lower((unsigned char)s[q1 + 1]);
                q3 = q2 + 1;
                end = q3;
                while (end + 1 < len && !(s[end] == '?' && s[end + 1] == '='))
                    end++;
                if (end + 1 < len && (enc == 'b' || enc == 'q')) {
                    /* White space between two encoded words is dropped (§6.2). */
                    if (last_was_word)
                        o -= pending_ws;
                    o += enc == 'b' ? decode_base64(s + q3, end - q3, dst + o)
                                    : decode_qp(s + q3, end - q3, dst + o, 1);
                    i = end + 2;
                    last_was_word = 1;
                    pending_ws = 0;
                    continue;
                }
            }
        }
        if (is_ws(s[i]) || s[i] == '\r' || s[i] == '\n') {
            pending_ws++;
        } else {
            last_was_word = 0;
            pending_ws = 0;
        }
        dst[o++] = s[i++];
    }
    smtpstatus__scratch_trim(scratch, len, o);
    out.ptr = dst;
    out.len = o;
    return out;
}

/* ---- The MIME tree ---- */

struct walker {
    int (*visit)(const struct smtpstatus__part *part, void *ctx);
    void *ctx;
    int stop;
};

static void walk_entity(struct walker *w, const char *buf, size_t len, unsigned depth);

/* Whether the line is "--boundary" or "--boundary--"; sets *close. */
static int delimiter(const char *buf, const struct smtpstatus__line *ln,
                     const struct smtpstatus_text *b, int *close)
{
    size_t n = ln->end - ln->off, i;

    if (n < b->len + 2 || buf[ln->off] != '-' || buf[ln->off + 1] != '-' ||
        memcmp(buf + ln->off + 2, b->ptr, b->len) != 0)
        return 0;
    i = ln->off + 2 + b->len;
    *close = i + 1 < ln->end && buf[i] == '-' && buf[i + 1] == '-';
    if (*close)
        i += 2;
    /* RFC 2046 §5.1.1: only white space may follow the boundary. */
    while (i < ln->end && is_ws(buf[i]))
        i++;
    return i == ln->end;
}

/* Whether body[i] starts a line, white space aside: RFC 2046 §5.1.1 puts
 * a delimiter at the start of a line, but copies of DSNs pasted from
 * documents (RFC 3464's own example among them) indent it. The look back
 * stops at the first other byte, so it stays linear. */
static int starts_line(const char *body, size_t i)
{
    while (i > 0 && (body[i - 1] == ' ' || body[i - 1] == '\t'))
        i--;
    return i == 0 || body[i - 1] == '\n' || body[i - 1] == '\r';
}

#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
/* Of the candidates in m (bit k: body[at + k]), drop those before the
 * first that starts a line; 0 when none does. */
static unsigned first_line_start(const char *body, size_t at, unsigned m)
{
    while (m != 0 && !starts_line(body, at + (size_t)__builtin_ctz(m)))
        m &= m - 1;
    return m;
}
#endif

/* The first line at or after `at` that starts with "--", or len: only
 * such a line can be a delimiter (RFC 2046 §5.1.1). memchr finds the
 * hyphens, so the body between delimiters, most of a message, is passed
 * over without being split into lines. A position is a line start when
 * it follows a line ending (a '-' is never the LF of a CRLF). */
static size_t next_dashes(const char *body, size_t len, size_t at)
{
#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
    /* Sixteen positions at a time are tested for two hyphens in a row,
     * which mid-line text seldom has; the loads stay below len. */
    const __m128i dash = _mm_set1_epi8('-');

    /* Thirty-two positions a round while the body lasts (most of it has
     * no hyphen pair), then sixteen. */
    while (len - at >= 33) {
        __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(body + at));
        __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(body + at + 1));
        __m128i c = _mm_loadu_si128((const __m128i *)(const void *)(body + at + 16));
        __m128i d = _mm_loadu_si128((const __m128i *)(const void *)(body + at + 17));
        __m128i ab = _mm_and_si128(_mm_cmpeq_epi8(a, dash), _mm_cmpeq_epi8(b, dash));
        __m128i cd = _mm_and_si128(_mm_cmpeq_epi8(c, dash), _mm_cmpeq_epi8(d, dash));
        unsigned m;

        if (_mm_movemask_epi8(_mm_or_si128(ab, cd)) == 0) {
            at += 32;
            continue;
        }
        m = (unsigned)_mm_movemask_epi8(ab) | (unsigned)_mm_movemask_epi8(cd) << 16;
        if ((m = first_line_start(body, at, m)) != 0)
            return at + (size_t)__builtin_ctz(m);
        at += 32;
    }
    while (len - at >= 17) {
        __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(body + at));
        __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(body + at + 1));
        unsigned m = (unsigned)_mm_movemask_epi8(
            _mm_and_si128(_mm_cmpeq_epi8(a, dash), _mm_cmpeq_epi8(b, dash)));
        if ((m = first_line_start(body, at, m)) != 0)
            return at + (size_t)__builtin_ctz(m);
        at += 16;
    }
#endif
    while (at + 1 < len) {
        const char *p = memchr(body + at, '-', len - at - 1);
        size_t i;

        if (p == NULL)
            break;
        i = (size_t)(p - body);
        if (body[i + 1] == '-' && starts_line(body, i))
            return i;
        at = i + 1;
    }
    return len;
}

/* Delimiters of a long boundary are found by Horspool's skip ("Practical
 * fast searching in strings", 1980) on "--boundary": the window's last byte
 * says how far it may move, most of a body is passed over without reading
 * every byte, and only a window whose last byte ends the delimiter is
 * looked at. Shorter boundaries skip too little, and go by next_dashes(). */
#define HORSPOOL_MIN 16

struct delimiter_skip {
    const struct smtpstatus_text *boundary;
    size_t m;         /* the length of "--boundary" */
    unsigned char last; /* its last byte */
    unsigned char shift[256];
};

static void delimiter_skip_init(struct delimiter_skip *d, const struct smtpstatus_text *boundary)
{
    size_t m = boundary->len + 2;

    d->boundary = boundary;
    d->m = m;
    d->last = (unsigned char)boundary->ptr[boundary->len - 1];
    /* A byte found at the window's end moves the window so that its last
     * occurrence in "--boundary" (the last byte aside) comes under it;
     * capped to a byte, a smaller move, which is always safe. */
    memset(d->shift, m < 255 ? (int)m : 255, sizeof d->shift);
    d->shift['-'] = (unsigned char)(m - 2 < 255 ? m - 2 : 255);
    /* Only the last 255 bytes can give a shorter move than the cap. */
    for (size_t i = m > 258 ? m - 256 : 2; i + 1 < m; i++)
        d->shift[(unsigned char)boundary->ptr[i - 2]] = (unsigned char)(m - 1 - i);
}

/* The first position at or after `at` that may start a delimiter line:
 * "--" at the start of a line (white space aside, see starts_line()), the
 * delimiter's last byte where it would end; or len. The caller reads the
 * line to tell. Each window moves by one byte at least; the look back of
 * starts_line() stops at the "--" of a candidate before, so it is linear. */
static size_t next_delimiter(const struct delimiter_skip *d, const char *body, size_t len, size_t at)
{
    size_t m = d->m;

    /* Two windows a test of the bound while a move of at most 255 bytes
     * leaves room for the next one. */
    while (len >= m + 255 && at <= len - m - 255) {
        unsigned char c = (unsigned char)body[at + m - 1];
        if (c == d->last && body[at] == '-' && body[at + 1] == '-' && starts_line(body, at))
            return at;
        at += d->shift[c];
        c = (unsigned char)body[at + m - 1];
        if (c == d->last && body[at] == '-' && body[at + 1] == '-' && starts_line(body, at))
            return at;
        at += d->shift[c];
    }
    while (len - at >= m) {
        unsigned char c = (unsigned char)body[at + m - 1];
        if (c == d->last && body[at] == '-' && body[at + 1] == '-' && starts_line(body, at))
            return at;
        at += d->shift[c];
    }
    return len;
}

/* Returns the number of parts found. */
static size_t walk_multipart(struct walker *w, const char *body, size_t len,
                             const struct smtpstatus_text *boundary, unsigned depth)
{
    size_t parts = 0;
    struct smtpstatus__line ln;
    size_t at = 0, part_start = 0;
    int in_part = 0, close = 0, skip = boundary->len + 2 >= HORSPOOL_MIN;
    struct delimiter_skip d;

    if (skip)
        delimiter_skip_init(&d, boundary);
    /* A line that is not a delimiter is passed as a whole: only a line can
     * be one, and no later position on it starts a line. */
    while (!w->stop &&
           (at = skip ? next_delimiter(&d, body, len, at) : next_dashes(body, len, at)) < len &&
           smtpstatus__line_at(body, len, at, &ln)) {
        if (delimiter(body, &ln, boundary, &close)) {
            if (in_part) {
                /* The line break before a delimiter belongs to it (RFC 2046 §5.1.1). */
                size_t end = ln.off;
                if (end > part_start && body[end - 1] == '\n')
                    end--;
                if (end > part_start && body[end - 1] == '\r')
                    end--;
                walk_entity(w, body + part_start, end - part_start, depth + 1);
                parts++;
            }
            if (close)
                return parts;
            in_part = 1;
            part_start = ln.next;
        }
        at = ln.next;
    }
    /* A missing close delimiter: the last part runs to the end. */
    if (in_part && !w->stop && part_start < len) {
        walk_entity(w, body + part_start, len - part_start, depth + 1);
        parts++;
    }
    return parts;
}

/* An entity whose header block is already read: hdr_len and body_off as
 * smtpstatus__split_headers() gives them, ct its parsed Content-Type. */
static void walk_scanned(struct walker *w, const char *buf, size_t len, size_t hdr_len,
                         size_t body_off, const struct smtpstatus__ctype *ct, int cte, unsigned depth)
{
    struct smtpstatus__part part;

    if (w->stop)
        return;
    memset(&part, 0, sizeof part);
    part.headers.ptr = buf;
    part.headers.len = hdr_len;
    part.body.ptr = buf + body_off;
    part.body.len = len - body_off;
    part.depth = depth;
    part.ctype = *ct;
    if (part.ctype.type.len == 0) {
        /* RFC 2045 §5.2: the default is text/plain. */
        static const char text[] = "text/plain";
        part.ctype.type.ptr = text;
        part.ctype.type.len = 4;
        part.ctype.subtype.ptr = text + 5;
        part.ctype.subtype.len = 5;
    }
    part.cte = cte;
    if (smtpstatus__text_is(&part.ctype.type, "multipart") && part.ctype.boundary.len > 0 &&
        depth < SMTPSTATUS_DSN_MIME_DEPTH_MAX) {
        /* A boundary that never appears in the body (a broken
         * generator): read the body as one text part rather than nothing. */
        if (walk_multipart(w, part.body.ptr, part.body.len, &part.ctype.boundary, depth) > 0 ||
            w->stop)
            return;
        part.ctype.type.ptr = "text";
        part.ctype.type.len = 4;
        part.ctype.subtype.ptr = "plain";
        part.ctype.subtype.len = 5;
    }
    if (w->visit(&part, w->ctx))
        w->stop = 1;
}

static const struct smtpstatus__field_name part_names[] = {
    SMTPSTATUS__FIELD_NAME("content-type"),
    SMTPSTATUS__FIELD_NAME("content-transfer-encoding"),
};

const struct smtpstatus__field_set smtpstatus__part_fields = {
    part_names, 2, { SMTPSTATUS__FIRST_LETTER('c', 1u << 0 | 1u << 1) }, { [12] = 1u << 0, [25] = 1u << 1 }, 1
};

static void walk_entity(struct walker *w, const char *buf, size_t len, unsigned depth)
{
    struct smtpstatus_text values[2];
    struct smtpstatus__ctype ct;
    size_t hdr_len, body_off;

    if (w->stop)
        return;
    smtpstatus__scan_fields(buf, len, &body_off, &hdr_len, &smtpstatus__part_fields, values);
    smtpstatus__parse_ctype(&values[0], &ct);
    walk_scanned(w, buf, len, hdr_len, body_off, &ct, smtpstatus__parse_cte(&values[1]), depth);
}

void smtpstatus__walk_scanned(const char *buf, size_t len, size_t hdr_len, size_t body_off,
                              const struct smtpstatus__ctype *ct, int cte,
                              int (*visit)(const struct smtpstatus__part *part, void *ctx), void *ctx)
{
    struct walker w = { visit, ctx, 0 };
    walk_scanned(&w, buf, len, hdr_len, body_off, ct, cte, 0);
}
