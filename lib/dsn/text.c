/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/* Small text helpers shared by the decoders. */

#include "dsn.h"
#include "lines.h"

#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
#include <emmintrin.h>
#endif

/* In the order of enum smtpstatus__late_field. */
static const struct smtpstatus__field_name late_names[SMTPSTATUS__LATE_COUNT] = {
    SMTPSTATUS__LATE_FIELDS(SMTPSTATUS__LATE_NAME)
    SMTPSTATUS__FIELD_NAME("content-type"),
};

const struct smtpstatus__field_set smtpstatus__late_field_set = {
    late_names, SMTPSTATUS__LATE_COUNT,
    {
        SMTPSTATUS__FIRST_LETTER('x', 1u << 0 | 1u << 1 | 1u << 2 | 1u << 3 | 1u << 6),
        SMTPSTATUS__FIRST_LETTER('u', 1u << 4),
        SMTPSTATUS__FIRST_LETTER('m', 1u << 5),
        SMTPSTATUS__FIRST_LETTER('c', 1u << 7),
    },
    {
        [8] = 1u << 1, [9] = 1u << 2, [10] = 1u << 4 | 1u << 5, [12] = 1u << 7, [20] = 1u << 0 | 1u << 6,
        [28] = 1u << 3,
    },
    1
};

int smtpstatus__late_field(const struct smtpstatus__bounce *b, enum smtpstatus__late_field id,
                           struct smtpstatus_text *value)
{
    struct smtpstatus__late_fields *late = b->late;

    value->ptr = NULL;
    value->len = 0;
    if (b->headers.ptr == NULL)
        return 0;
    if (late == NULL)
        return smtpstatus__field_find(b->headers.ptr, b->headers.len, late_names[id].name, value);
    if (!late->read) {
        /* The whole block is not needed: the pass ends once all are found. */
        late->found = smtpstatus__scan_fields(b->headers.ptr, b->headers.len, NULL, NULL,
                                              &smtpstatus__late_field_set, late->values);
        late->read = 1;
    }
    *value = late->values[id];
    return (late->found >> id) & 1u;
}

/* Whether lower[0, n) is at buf[i], ignoring the case of buf. */
static int match_at(const char *buf, size_t i, const char *lower, size_t n)
{
    size_t k = 0;

    while (k < n && smtpstatus__lower((unsigned char)buf[i + k]) == (unsigned char)lower[k])
        k++;
    return k == n;
}

#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))

size_t smtpstatus__find_nocase_n(const char *buf, size_t len, size_t at, const char *lower, size_t n)
{
    size_t to, i = at;

    if (n == 0 || len < n || at > len - n)
        return len;
    /* The decoders search whole texts for their markers, so this runs over
     * every byte many times. Sixteen candidate positions are tested at
     * once on two of the marker's bytes, its first and its last (SIMD
     * substring search as in Wojciech Muła's "SIMD-friendly algorithms for
     * substring searching"), so few candidates reach the full comparison.
     * OR-ing 0x20 folds exactly the upper-case letters onto the lower-case
     * ones, so it is applied for letters only. Candidates are at [at, to);
     * the loads stay within len, as the last reads buf[i + 15 + n - 1]. */
    to = len - n + 1;
    if (to >= 16) {
        /* A trailing space ("remote server at ") filters badly. */
        size_t j = n > 2 && lower[n - 1] == ' ' ? n - 2 : n - 1;
        unsigned char c0 = (unsigned char)lower[0], cj = (unsigned char)lower[j];
        /* Each byte in the four of a 32-bit word, which SSE2 broadcasts
         * in one shuffle (a byte takes three). */
        const __m128i v0 = _mm_set1_epi32((int)(c0 * 0x01010101u));
        const __m128i vj = _mm_set1_epi32((int)(cj * 0x01010101u));
        const __m128i f0 = _mm_set1_epi32((unsigned)(c0 - 'a') < 26u ? 0x20202020 : 0);
        const __m128i fj = _mm_set1_epi32((unsigned)(cj - 'a') < 26u ? 0x20202020 : 0);

#define CANDIDATES16(p)                                                                            \
    _mm_and_si128(                                                                                 \
        _mm_cmpeq_epi8(_mm_or_si128(_mm_loadu_si128((const __m128i *)(const void *)(buf + (p))), f0), \
                       v0),                                                                        \
        _mm_cmpeq_epi8(                                                                            \
            _mm_or_si128(_mm_loadu_si128((const __m128i *)(const void *)(buf + (p) + j)), fj), vj))

        /* Sixty-four positions a round while the text lasts, most of a
         * long search: one test of the four masks for the common case of
         * no candidate, and a quarter of the loop's own work. */
        for (; to - i >= 64; i += 64) {
            __m128i ma = CANDIDATES16(i), mb = CANDIDATES16(i + 16);
            __m128i mc = CANDIDATES16(i + 32), md = CANDIDATES16(i + 48);
            uint64_t m;

            if (_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(ma, mb), _mm_or_si128(mc, md))) == 0)
                continue;
            m = (uint64_t)(unsigned)_mm_movemask_epi8(ma) |
                (uint64_t)(unsigned)_mm_movemask_epi8(mb) << 16 |
                (uint64_t)(unsigned)_mm_movemask_epi8(mc) << 32 |
                (uint64_t)(unsigned)_mm_movemask_epi8(md) << 48;
            while (m != 0) {
                size_t c = i + (size_t)smtpstatus__ctz64(m);
                if (match_at(buf, c, lower, n))
                    return c;
                m &= m - 1;
            }
        }
        /* Then thirty-two. */
        for (; to - i >= 32; i += 32) {
            __m128i ma = CANDIDATES16(i), mb = CANDIDATES16(i + 16);
            unsigned m;

            if (_mm_movemask_epi8(_mm_or_si128(ma, mb)) == 0)
                continue;
            m = (unsigned)_mm_movemask_epi8(ma) | (unsigned)_mm_movemask_epi8(mb) << 16;
            while (m != 0) {
                size_t c = i + (size_t)__builtin_ctz(m);
                if (match_at(buf, c, lower, n))
                    return c;
                m &= m - 1;
            }
        }
        /* The rest, fewer than 32 positions: one or two blocks of sixteen,
         * the last one ending at `to`, overlapping positions already tested
         * (or before `at`, still within the buffer), which are masked off.
         * This is also the whole search within a line of a longer text. */
        while (i < to) {
            size_t base = to - i >= 16 ? i : to - 16;
            unsigned m = (unsigned)_mm_movemask_epi8(CANDIDATES16(base)) & (0xFFFFu << (i - base));

            while (m != 0) {
                size_t c = base + (size_t)__builtin_ctz(m);
                if (match_at(buf, c, lower, n))
                    return c;
                m &= m - 1;
            }
            i = base + 16;
        }
#undef CANDIDATES16
        return len;
    }
    for (; i < to; i++)
        if (match_at(buf, i, lower, n))
            return i;
    return len;
}

#else

/* How common a byte is in bounce texts, roughly: English letter order
 * (the lower case stands for both), then white space, punctuation and
 * digits; anything else counts as rare. Only the order matters. */
static const unsigned char commonness[256] = {
    [' '] = 255, ['e'] = 250, ['t'] = 246, ['a'] = 242, ['o'] = 238, ['i'] = 234,
    ['n'] = 230, ['s'] = 226, ['r'] = 222, ['h'] = 218, ['d'] = 214, ['l'] = 210,
    ['c'] = 206, ['u'] = 202, ['m'] = 198, ['w'] = 194, ['f'] = 190, ['g'] = 186,
    ['y'] = 182, ['p'] = 178, ['b'] = 174, ['v'] = 170, ['k'] = 166, ['j'] = 162,
    ['x'] = 158, ['q'] = 154, ['z'] = 150, ['.'] = 150, [','] = 150, ['-'] = 150,
    ['\n'] = 150, ['\r'] = 150, ['0'] = 140, ['1'] = 140, ['2'] = 140, ['3'] = 140,
    ['4'] = 140, ['5'] = 140, ['6'] = 140, ['7'] = 140, ['8'] = 140, ['9'] = 140,
    [':'] = 110, ['/'] = 110, ['='] = 110, ['('] = 110, [')'] = 110, ['<'] = 110,
    ['>'] = 110, ['@'] = 110, [';'] = 110,
};

/* The position of the marker's least common byte. */
static size_t rarest(const char *lower, size_t n)
{
    size_t j = 0;
    unsigned char rank = 255;

    for (size_t k = 0; k < n; k++) {
        unsigned char r = commonness[(unsigned char)lower[k]];
        if (r < rank) {
            rank = r;
            j = k;
        }
    }
    return j;
}

/* The offset of the first `c` in buf[from, to), or `to`. */
static size_t next_byte(const char *buf, size_t from, size_t to, unsigned char c)
{
    const char *p = from < to ? memchr(buf + from, c, to - from) : NULL;

    return p != NULL ? (size_t)(p - buf) : to;
}

size_t smtpstatus__find_nocase_n(const char *buf, size_t len, size_t at, const char *lower, size_t n)
{
    size_t j, to, lo, up;
    unsigned char anchor, upper;

    if (n == 0 || len < n || at > len - n)
        return len;
    /* The decoders search whole texts for their markers, so this runs over
     * every byte many times. memchr (vectorised by libc) finds the
     * candidates, and only they are compared. It looks for the marker's
     * least common byte (the "rare byte" of fast substring searchers), so
     * few candidates fail, and for both cases of it when it is a letter;
     * the next occurrence of each case is kept until it is passed, so no
     * byte is searched twice for the same case. */
    j = rarest(lower, n);
    anchor = (unsigned char)lower[j];
    upper = anchor >= 'a' && anchor <= 'z' ? (unsigned char)(anchor - 'a' + 'A') : anchor;
    /* The anchor of a match at i is at i + j, with at <= i <= len - n. */
    to = len - n + j + 1;
    lo = next_byte(buf, at + j, to, anchor);
    up = upper != anchor ? next_byte(buf, at + j, to, upper) : to;
    for (;;) {
        size_t a = lo < up ? lo : up;

        if (a >= to)
            return len;
        if (match_at(buf, a - j, lower, n))
            return a - j;
        if (a == lo)
            lo = next_byte(buf, a + 1, to, anchor);
        else
            up = next_byte(buf, a + 1, to, upper);
    }
}

#endif

size_t smtpstatus__find_rare_n(const char *buf, size_t len, size_t at, const char *lower, size_t n)
{
    const char *p, *last;

    if (n == 0 || len < n || at > len - n)
        return len;
    /* A match starts at most at len - n. */
    last = buf + (len - n);
    for (p = memchr(buf + at, lower[0], (size_t)(last - (buf + at)) + 1); p != NULL;
         p = p < last ? memchr(p + 1, lower[0], (size_t)(last - p)) : NULL)
        if (match_at(buf, (size_t)(p - buf) + 1, lower + 1, n - 1))
            return (size_t)(p - buf);
    return len;
}

size_t smtpstatus__find_marks(const char *buf, size_t len, const char *word, const char *const *marks,
                              size_t count)
{
    size_t nw = strlen(word), best = len, p = 0, maxoff = 0, any = 0;
    size_t off[SMTPSTATUS__MARKS_MAX], n[SMTPSTATUS__MARKS_MAX];

    if (count > SMTPSTATUS__MARKS_MAX)
        count = SMTPSTATUS__MARKS_MAX;
    /* A mark without the word is searched for on its own, up to the best
     * match so far. */
    for (size_t k = 0; k < count; k++) {
        const char *w = strstr(marks[k], word);

        n[k] = strlen(marks[k]);
        off[k] = w != NULL ? (size_t)(w - marks[k]) : SIZE_MAX;
        if (w == NULL) {
            size_t lim = best == len ? len : best - 1 + n[k], q;
            if (lim > len)
                lim = len;
            q = smtpstatus__find_nocase_n(buf, lim, 0, marks[k], n[k]);
            if (q < lim)
                best = q;
        } else {
            any = 1;
            if (off[k] > maxoff)
                maxoff = off[k];
        }
    }
    /* A match starting before `best` has its word before best + maxoff. */
    while (any && nw > 0 && (p = smtpstatus__find_nocase_n(buf, len, p, word, nw)) < len &&
           (best == len || p <= best + maxoff)) {
        for (size_t k = 0; k < count; k++)
            if (off[k] != SIZE_MAX && p >= off[k] && p - off[k] < best &&
                smtpstatus__match_at_n(buf, len, p - off[k], marks[k], n[k]))
                best = p - off[k];
        p++;
    }
    return best;
}

/* RFC 5322 atext plus '.', for the local part; letters, digits, '-', '.'
 * for the domain. Bytes >= 0x80 are allowed on both sides (RFC 6531). */
static int local_char(unsigned char c)
{
    return smtpstatus__is_alnum(c) || c >= 0x80 || (c && strchr("!#$%&'*+-/=?^_`{|}~.", c));
}

static int domain_char(unsigned char c)
{
    return smtpstatus__is_alnum(c) || c >= 0x80 || c == '-' || c == '.';
}

int smtpstatus__is_address(const struct smtpstatus_text *t)
{
    const char *at;

    if (t->ptr == NULL || t->len < 3)
        return 0;
    at = memchr(t->ptr, '@', t->len);
    return at && at > t->ptr && at < t->ptr + t->len - 1 &&
           memchr(at + 1, '@', t->len - (size_t)(at + 1 - t->ptr)) == NULL;
}

size_t smtpstatus__find_address(const char *buf, size_t len, size_t at, struct smtpstatus_text *addr)
{
    /* Each '@' is found sixteen bytes at a time (lines.h), not tested byte
     * by byte: most of a text between them is passed over. */
    for (size_t i = at; (i = smtpstatus__find_either(buf, i, len, '@', '@')) < len; i++) {
        size_t s, e;

        s = i;
        while (s > at && local_char((unsigned char)buf[s - 1]))
            s--;
        e = i + 1;
        while (e < len && domain_char((unsigned char)buf[e]))
            e++;
        /* Trailing dots end a sentence, not a domain. */
        while (e > i + 1 && buf[e - 1] == '.')
            e--;
        while (s < i && buf[s] == '.')
            s++;
        if (s == i || e <= i + 1 || memchr(buf + i + 1, '.', e - i - 1) == NULL)
            continue; /* "@" alone, or a domain without a dot */
        addr->ptr = buf + s;
        addr->len = e - s;
        return e;
    }
    addr->ptr = NULL;
    addr->len = 0;
    return 0;
}

int smtpstatus__looks_like_bounce(const struct smtpstatus__bounce *b)
{
    static const char *const from_marks[] = {
        "mailer-daemon", "postmaster", "mail delivery", "mail-daemon", "mailerdaemon",
        "mail administrator", "mail system", "mdaemon", "postoffice", "post_master",
        "courier mail server",
    };
    static const char *const subject_marks[] = {
        "undeliver", "undelivered", "returned mail", "delivery fail", "delivery status",
        "failure notice", "mail delivery", "non-deliver", "nondeliver", "not delivered",
        "delivery problem", "could not be delivered", "delivery notification", "bounce",
        "mail system error", "delivery report", "returned to sender", "rejected",
        "unzustellbar", "non remis", "non recapitabile", "delayed mail", "warning: delay",
        /* Japanese carriers' notices (UTF-8, after RFC 2047 decoding): "mail
         * error", "delivery error", "undeliverable". */
        "\xe3\x83\xa1\xe3\x83\xbc\xe3\x83\xab\xe3\x82\xa8\xe3\x83\xa9\xe3\x83\xbc",
        "\xe9\x85\x8d\xe4\xbf\xa1\xe3\x82\xa8\xe3\x83\xa9\xe3\x83\xbc",
        "\xe9\x85\x8d\xe9\x80\x81\xe3\x82\xa8\xe3\x83\xa9\xe3\x83\xbc",
        "\xe9\x85\x8d\xe4\xbf\xa1\xe4\xb8\x8d\xe8\x83\xbd",
    };
    for (size_t i = 0; i < sizeof from_marks / sizeof from_marks[0]; i++)
        if (b->from.ptr && smtpstatus__find_nocase(b->from.ptr, b->from.len, 0, from_marks[i]) < b->from.len)
            return 1;
    for (size_t i = 0; i < sizeof subject_marks / sizeof subject_marks[0]; i++)
        if (b->subject.ptr &&
            smtpstatus__find_nocase(b->subject.ptr, b->subject.len, 0, subject_marks[i]) < b->subject.len)
            return 1;
    if (b->has_failed_recipients)
        return 1;
    /* Amazon SES delivers its bounce and complaint notifications as JSON,
     * directly or as the escaped "Message" string of an SNS notification
     * (\"notificationType\"), so the key is looked for without quotes. */
    if (b->text.ptr && b->text.len > 0 && b->text.ptr[0] == '{' &&
        smtpstatus__find_nocase(b->text.ptr, b->text.len > 4096 ? 4096 : b->text.len, 0,
                                "notificationtype") < (b->text.len > 4096 ? 4096 : b->text.len))
        return 1;
    return 0;
}

int smtpstatus__null_return_path(const struct smtpstatus__bounce *b)
{
    const struct smtpstatus_text *v = &b->return_path;

    return b->has_return_path && v->len == 2 && v->ptr[0] == '<' && v->ptr[1] == '>';
}

size_t smtpstatus__skip_blanks(const char *t, size_t at, size_t end)
{
    while (at < end && smtpstatus__is_space((unsigned char)t[at]))
        at++;
    return at;
}

int smtpstatus__blank_line(const char *t, const struct smtpstatus__line *ln)
{
    return smtpstatus__skip_blanks(t, ln->off, ln->end) == ln->end;
}

/* An indented line holding one address (the recipient list). */
int smtpstatus__address_line(const char *t, const struct smtpstatus__line *ln,
                        struct smtpstatus_text *addr)
{
    size_t i = smtpstatus__skip_blanks(t, ln->off, ln->end), end;

    if (i < ln->end && t[i] == '<')
        i++;
    end = smtpstatus__find_address(t, ln->end, i, addr);
    if (end == 0 || addr->ptr != t + i)
        return 0;
    if (end < ln->end && t[end] == '>')
        end++;
    return smtpstatus__skip_blanks(t, end, ln->end) == ln->end;
}

/* The address in "<...>" at t[i] (i at '<'), quoted local part allowed
 * (RFC 5321 §4.1.2: <"john..doe"@example.com>); returns the offset of
 * the '>', or 0. */
size_t smtpstatus__angle_address(const char *t, size_t i, size_t end, struct smtpstatus_text *addr)
{
    size_t j = i + 1, at = 0;

    if (j < end && t[j] == '"') {
        j++;
        while (j < end && t[j] != '"' && t[j] != '\n' && t[j] != '\r')
            j += (t[j] == '\\' && j + 1 < end) ? 2 : 1;
        if (j >= end || t[j] != '"')
            return 0;
        j++;
        if (j >= end || t[j] != '@')
            return 0;
        at = j;
    } else {
        size_t e = smtpstatus__find_address(t, end, j, addr);
        if (e == 0 || addr->ptr != t + j || e >= end || t[e] != '>')
            return 0;
        return e;
    }
    while (j < end && t[j] != '>' && t[j] != ' ' && t[j] != '\t' && t[j] != '\n' && t[j] != '\r')
        j++;
    if (j >= end || t[j] != '>' || j <= at + 1)
        return 0;
    addr->ptr = t + i + 1;
    addr->len = j - i - 1;
    return j;
}

int smtpstatus__same_address(const struct smtpstatus_text *a, const struct smtpstatus_text *b)
{
    if (a->len != b->len || a->len == 0)
        return 0;
    for (size_t i = 0; i < a->len; i++)
        if (smtpstatus__lower((unsigned char)a->ptr[i]) != smtpstatus__lower((unsigned char)b->ptr[i]))
            return 0;
    return 1;
}
