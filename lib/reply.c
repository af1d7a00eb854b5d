/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * SMTP replies, RFC 5321 §4.2:
 *
 *   Reply-line = *( Reply-code "-" [ textstring ] CRLF )
 *                Reply-code [ SP textstring ] CRLF
 *   Reply-code = %x32-35 %x30-35 %x30-39
 *
 * with the enhanced status code of RFC 2034 §3 at the start of each line's
 * text. The parser is a single forward pass over the caller's bytes: it
 * never copies, never allocates, and never looks at buf[len] or beyond.
 *
 * The lenient mode (SMTPSTATUS_REPLY_LENIENT) reads the same grammar out of
 * the places real systems quote replies: log lines, DSN Diagnostic-Code
 * fields (folded per RFC 3461 §9.2), and Postfix's one-line rendering of a
 * multi-line reply.
 */

#include "internal.h"

#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
#include <emmintrin.h>
#define REPLY_SSE2 1
#endif

#define KNOWN_FLAGS (SMTPSTATUS_REPLY_AT_EOF | SMTPSTATUS_REPLY_STRICT_CRLF | SMTPSTATUS_REPLY_LENIENT)

/* RFC 5321 §4.5.3.1.5: a reply line is at most 512 octets with its CRLF. */
#define RFC5321_REPLY_LINE 512

/* Bytes that need no other look inside a line's text: printable ASCII and
 * the tab (RFC 5321 textstring). */
static const unsigned char text_byte[256] = {
    ['\t'] = 1,
    [' '] = 1, ['!'] = 1, ['"'] = 1, ['#'] = 1, ['$'] = 1, ['%'] = 1, ['&'] = 1, ['\''] = 1,
    ['('] = 1, [')'] = 1, ['*'] = 1, ['+'] = 1, [','] = 1, ['-'] = 1, ['.'] = 1, ['/'] = 1,
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
    ['8'] = 1, ['9'] = 1, [':'] = 1, [';'] = 1, ['<'] = 1, ['='] = 1, ['>'] = 1, ['?'] = 1,
    ['@'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1,
    ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1,
    ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1,
    ['X'] = 1, ['Y'] = 1, ['Z'] = 1, ['['] = 1, ['\\'] = 1, [']'] = 1, ['^'] = 1, ['_'] = 1,
    ['`'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1,
    ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1,
    ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1,
    ['x'] = 1, ['y'] = 1, ['z'] = 1, ['{'] = 1, ['|'] = 1, ['}'] = 1, ['~'] = 1,
};

/* One physical or logical line of a reply. */
struct line {
    size_t start;      /* offset of the reply code */
    unsigned code;
    int more;          /* the code was followed by '-' */
    size_t text_off;   /* after the separator */
    size_t text_end;   /* before the line end (folds included in lenient mode) */
    size_t next;       /* where the next line would start */
    int has_enhanced;  /* the text starts with an enhanced code */
    struct smtpstatus_enhanced enhanced;
    size_t enhanced_off, enhanced_end;
    size_t content_off; /* text_off, or past the enhanced code and its spaces */
    uint32_t anomalies;
};

/*
 * The first byte in buf[p..limit) that is not printable ASCII (0x20 to
 * 0x7E), or not printable and not a space when `lo` is 0x21, else limit:
 * the scan of a line's text, which is most of a reply. Sixteen bytes at a
 * time with SSE2, eight elsewhere, and the last few in one load that ends
 * at the limit and overlaps bytes already read (never before buf, never at
 * or past limit). It may stop early, at a byte that needs no look, when
 * that overlap holds bytes a caller went past (8-bit ones): the caller's
 * byte loop then takes over, so the answer is the same.
 */
static size_t skip_text(const char *buf, size_t p, size_t limit, unsigned lo)
{
    if (p >= limit)
        return p;
#ifdef REPLY_SSE2
    {
        /* Signed compares: bytes of 0x80 and up are negative. */
        const __m128i below = _mm_set1_epi8((char)(lo - 1)), above = _mm_set1_epi8(0x7F);
        unsigned m;

        while (limit - p >= 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(buf + p));
            m = (unsigned)_mm_movemask_epi8(_mm_and_si128(_mm_cmpgt_epi8(v, below),
                                                           _mm_cmplt_epi8(v, above))) ^ 0xFFFFu;
            if (m != 0)
                return p + (unsigned)__builtin_ctz(m);
            p += 16;
        }
        if (p == limit || limit < 16)
            return p;
        {
            size_t base = limit - 16;
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(buf + base));
            m = (unsigned)_mm_movemask_epi8(_mm_and_si128(_mm_cmpgt_epi8(v, below),
                                                           _mm_cmplt_epi8(v, above))) ^ 0xFFFFu;
            m >>= p - base;
            return m == 0 ? limit : p + (unsigned)__builtin_ctz(m);
        }
    }
#else
    {
        /* A byte below lo sets its top bit in x - lo..., one of 0x7F and
         * up in x + 0x01... or in x; a borrow or carry only spreads up from
         * such a byte, so the lowest flagged byte is the first one. */
        const uint64_t low = SMTPSTATUS__ONES * lo;
        uint64_t m, x;

        while (limit - p >= 8) {
            x = smtpstatus__load64(buf + p);
            m = ((x - low) | (x + SMTPSTATUS__ONES) | x) & SMTPSTATUS__HIGHS;
            if (m != 0)
                return p + smtpstatus__first_byte(m);
            p += 8;
        }
        if (p == limit || limit < 8)
            return p;
        x = smtpstatus__load64(buf + limit - 8);
        m = (((x - low) | (x + SMTPSTATUS__ONES) | x) & SMTPSTATUS__HIGHS) >> (8 * (p - (limit - 8)));
        return m == 0 ? limit : p + smtpstatus__first_byte(m);
    }
#endif
}

static int is_lenient(unsigned flags)
{
    return (flags & SMTPSTATUS_REPLY_LENIENT) != 0;
}

static int at_eof(unsigned flags)
{
    return (flags & (SMTPSTATUS_REPLY_AT_EOF | SMTPSTATUS_REPLY_LENIENT)) != 0;
}

/* Whether buf[at..at+3) is a reply code of 2xx to 5xx (the caller has
 * checked that the three bytes are there). One subtraction per byte: a
 * byte minus '2' is 0 to 3 only for '2' to '5'. */
static inline int code_digits_at(const char *buf, size_t at)
{
    return (unsigned char)(buf[at] - '2') <= 3u && (unsigned char)(buf[at + 1] - '0') <= 9u &&
           (unsigned char)(buf[at + 2] - '0') <= 9u;
}

/* Whether a reply line starts at buf[at]: a code of 2xx to 5xx followed by
 * '-', a space, a line end or the end of the input. */
static inline int code_line_at(const char *buf, size_t len, size_t at)
{
    char c;

    if (at + 3 > len || !code_digits_at(buf, at))
        return 0;
    if (at + 3 == len)
        return 1;
    c = buf[at + 3];
    return c == '-' || c == ' ' || c == '\r' || c == '\n';
}

static unsigned code_value(const char *buf, size_t at)
{
    return (unsigned)(buf[at] - '0') * 100u + (unsigned)(buf[at + 1] - '0') * 10u +
           (unsigned)(buf[at + 2] - '0');
}

/* smtpstatus_compare_enhanced(a, b) == 0, inline: the parser compares
 * each line's code with the first's. */
static inline int same_enhanced(const struct smtpstatus_enhanced *a, const struct smtpstatus_enhanced *b)
{
    return a->cls == b->cls && a->subject == b->subject && a->detail == b->detail;
}

/* RFC 2034 §3: "Reply-code SP status-code 1*SP text". Strip a leading
 * enhanced code from the line's text. */
static inline SMTPSTATUS__ALWAYS_INLINE void take_enhanced(const char *buf, size_t bound, struct line *ln)
{
    const unsigned char *t = (const unsigned char *)buf + ln->text_off;
    struct smtpstatus_enhanced code;
    size_t n = bound - ln->text_off, end, skip;

    ln->content_off = ln->text_off;
    /* Most lines without a code fail here: a code takes at least five
     * bytes, "c.s.d", and its second is a dot. */
    if (n < 5 || t[1] != '.')
        return;
    if (n > 5 && t[3] == '.' && (unsigned char)(t[2] - '0') <= 9u && (unsigned char)(t[4] - '0') <= 9u &&
        (t[0] == '2' || t[0] == '4' || t[0] == '5') &&
        (t[5] == ' ' || (n > 6 && t[6] == ' ' && t[4] != '0' && (unsigned char)(t[5] - '0') <= 9u))) {
        /* The usual "c.s.d" or "c.s.dd" ("5.7.26") and a space, with no
         * leading zero: what the parser would make of it. */
        code.cls = (uint8_t)(t[0] - '0');
        code.reserved = 0;
        code.subject = (uint16_t)(t[2] - '0');
        code.detail = (uint16_t)(t[4] - '0');
        end = ln->text_off + 5;
        if (t[5] != ' ') {
            code.detail = (uint16_t)(code.detail * 10u + (unsigned)(t[5] - '0'));
            end++;
        }
        skip = end + 1; /* past the space */
    } else if (smtpstatus__enhanced_at(buf, bound, ln->text_off, &code, &end) != SMTPSTATUS_OK ||
               /* A space after the code, the usual case, is a boundary. */
               (end < bound && buf[end] != ' ' && !smtpstatus__enhanced_ends_at(buf, bound, end))) {
        return;
    } else {
        skip = end;
    }
    ln->has_enhanced = 1;
    ln->enhanced = code;
    ln->enhanced_off = ln->text_off;
    ln->enhanced_end = end;
    while (skip < bound && smtpstatus__is_space((unsigned char)buf[skip]))
        skip++;
    ln->content_off = skip;
}

/* take_enhanced() out of line: one copy inline, in fast_line() at the end
 * of a usual line (most lines), saves a call each; the rest call this. */
static SMTPSTATUS__NOINLINE void take_enhanced_call(const char *buf, size_t bound, struct line *ln)
{
    take_enhanced(buf, bound, ln);
}

/*
 * RFC 2034 section 4: every line of a reply carries the same enhanced
 * code. take_enhanced() for a later line whose text starts with the bytes
 * of the code an earlier line gave the reply (*r), and the space after
 * it, at most eight bytes in all: one compare instead of a parse. Returns
 * 1 with *ln set as take_enhanced() would set it, else 0 (the caller calls
 * it). The parse reads no byte past that space, so equal bytes give an
 * equal code, in either of take_enhanced()'s branches.
 */
static inline SMTPSTATUS__ALWAYS_INLINE int repeat_enhanced(const char *buf, size_t len, size_t bound,
                                                            struct line *ln, const struct smtpstatus_reply *r)
{
    size_t off = ln->text_off, from = r->enhanced_span.off, n = r->enhanced_span.len + 1, skip;

    /* from + n <= off: the earlier code and its space lie before this
     * line, and buf[from..from+8) inside buf as buf[off..off+8) is. */
    if (!r->has_enhanced || n > 8 || len - off < 8 || bound - off < n || buf[from + n - 1] != ' ' ||
        ((smtpstatus__load64(buf + off) ^ smtpstatus__load64(buf + from)) & (~UINT64_C(0) >> (64 - 8 * n))) != 0)
        return 0;
    ln->has_enhanced = 1;
    ln->enhanced = r->enhanced;
    ln->enhanced_off = off;
    ln->enhanced_end = off + n - 1;
    skip = off + n;
    while (skip < bound && smtpstatus__is_space((unsigned char)buf[skip]))
        skip++;
    ln->content_off = skip;
    return 1;
}

/* Postfix writes a multi-line reply on one line ("550-5.1.1 The email
 * account ... Please try 550-5.1.1 double-checking ... 550 5.1.1 https://
 * ..."). In lenient mode, a continuation line ends at a space followed by
 * the same code and '-' or ' ' (and the same enhanced code, if the line
 * has one). The scan checks this at each space as it goes, so each line
 * is read once: no rescans, linear time however many lines are joined. */
static int joined_split_at(const char *buf, size_t len, const struct line *ln, size_t s)
{
    struct smtpstatus_enhanced code;
    size_t end;

    if (s < ln->content_off || s + 5 > len || buf[s] != ' ' || !code_line_at(buf, len, s + 1) ||
        code_value(buf, s + 1) != ln->code || (buf[s + 4] != '-' && buf[s + 4] != ' '))
        return 0;
    return !ln->has_enhanced ||
           (smtpstatus__parse_enhanced_at(buf, len, s + 5, &code, &end) == SMTPSTATUS_OK &&
            same_enhanced(&code, &ln->enhanced));
}

/* The first space in buf[p..stop) where a joined line splits, or stop.
 * A split has the line's code after the space, so only the spaces before
 * its first digit are checked: eight byte pairs at a time to the next. */
static size_t find_split(const char *buf, size_t len, const struct line *ln, size_t p, size_t stop)
{
    unsigned digit = '0' + ln->code / 100;

    for (; p < stop; p++) {
        while (stop - p >= 9) {
            uint64_t m = smtpstatus__bytes_in(smtpstatus__load64(buf + p), ' ', ' ') &
                         smtpstatus__bytes_in(smtpstatus__load64(buf + p + 1), digit, digit);
            if (m != 0) {
                p += smtpstatus__first_byte(m);
                break;
            }
            p += 8;
        }
        if (p >= stop)
            break;
        if (buf[p] == ' ' && p + 1 < len && (unsigned char)buf[p + 1] == digit && joined_split_at(buf, len, ln, p))
            return p;
    }
    return stop;
}

/*
 * The fast path: one line of a reply in its usual shape, "NNN SP text" or
 * "NNN-text" with printable ASCII and tabs (or 8-bit bytes, flagged), at
 * most 512 octets with its CRLF or LF (RFC 5321 §4.5.3.1.5), ending there
 * or at the end of the input, and in lenient mode not folded; a joined
 * line (Postfix's one-line rendering) ends at its split. text_scan() is
 * its one pass over the text: it stops at the bytes that need a look and
 * notes the first '(' on the way, which saves find_stage() its own search.
 */
#define NO_PAREN SIZE_MAX

#ifdef REPLY_SSE2
/* The stops of a block without its 8-bit bytes (bits in hi), which the
 * scan passes; *high is set when one of them comes before the first other
 * stop (after it, the caller reads them itself). */
static inline unsigned past_high(unsigned stop, unsigned hi, int *high)
{
    unsigned real = stop & ~hi;

    if ((hi & stop & ((real & (0u - real)) - 1u)) != 0)
        *high = 1;
    return real;
}
#endif

/*
 * The first byte in buf[p..limit) that is not printable ASCII or a space,
 * or (when `digit` is not 0) a space before `digit`, where a joined line
 * may split, or a space at the end of a block, whose next byte is not
 * looked at; else limit. Sets *paren to the first '(' before that byte,
 * unless *paren is set already.
 *
 * The last few bytes come in a load that ends at the limit and overlaps
 * bytes already read; their flags are shifted out. A borrow from one of
 * those (a tab) may flag a byte that needs no look: the caller takes such
 * a byte as it comes, as it does a tab.
 *
 * A text shorter than one load (16 bytes, 8 without SSE2) is not scanned:
 * p comes back as it is, and the caller reads it byte by byte, so every
 * byte there reaches the caller's tests, spaces included.
 *
 * With SSE2, 8-bit bytes (0x80 and up) do not stop the scan: it sets *high
 * when it passed one, and goes on. A text in UTF-8 or a legacy charset has
 * dozens of them, each a stop and a new call otherwise. Without SSE2 they
 * stop it, and the caller flags them as it does control bytes.
 */
static inline SMTPSTATUS__ALWAYS_INLINE size_t text_scan(const char *buf, size_t p, size_t limit, size_t *paren,
                                                         unsigned digit, int *high)
{
#ifdef REPLY_SSE2
    /* A byte below 0x20 or from 0x7F up is one that, plus one, is below
     * 0x21 as a signed byte: 0x7F to 0xFE wrap to negatives, 0xFF to 0. */
#define STOP_BYTES(v) _mm_cmplt_epi8(_mm_add_epi8(v, one), printable)
#define TEXT_STOPS(v)                                                                              \
    ((unsigned)_mm_movemask_epi8(STOP_BYTES(v)) |                                                  \
     (digit != 0 ? (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, space)) &                         \
                       (((unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, d)) >> 1) | 0x8000u)        \
                 : 0u))
    const __m128i one = _mm_set1_epi8(1), printable = _mm_set1_epi8(0x21), blank = _mm_set1_epi8(0x20);
    const __m128i open = _mm_set1_epi8('('), space = _mm_set1_epi8(' '), d = _mm_set1_epi8((char)digit);
    unsigned want = *paren == NO_PAREN ? 0xFFFFu : 0u, stop, par;
    __m128i wantv = _mm_set1_epi8((char)(want != 0 ? -1 : 0));
    size_t base;
    __m128i v;

    for (; limit - p >= 16; p += 16) {
        if (digit == 0) {
            /* Most of a text is runs of bytes that need no look: 32 at a
             * time, one mask for both loads (a byte is one, plus one, above
             * 0x20 as a signed byte: the complement of STOP_BYTES). A block
             * with anything in it goes to the 16-byte steps below. */
            while (limit - p >= 32) {
                __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(buf + p));
                __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(buf + p + 16));
                __m128i ok = _mm_and_si128(_mm_cmpgt_epi8(_mm_add_epi8(a, one), blank),
                                           _mm_cmpgt_epi8(_mm_add_epi8(b, one), blank));
                __m128i parv = _mm_and_si128(_mm_or_si128(_mm_cmpeq_epi8(a, open), _mm_cmpeq_epi8(b, open)), wantv);
                if (_mm_movemask_epi8(_mm_andnot_si128(parv, ok)) != 0xFFFF)
                    break;
                p += 32;
            }
            if (limit - p < 16)
                break;
        }
        v = _mm_loadu_si128((const __m128i *)(const void *)(buf + p));
        /* Most blocks hold no stop and no '(' wanted: one mask says so. */
        if (digit == 0 &&
            _mm_movemask_epi8(_mm_or_si128(STOP_BYTES(v), _mm_and_si128(_mm_cmpeq_epi8(v, open), wantv))) == 0)
            continue;
        stop = TEXT_STOPS(v);
        par = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, open)) & want;
        if ((stop | par) == 0)
            continue;
        if (stop != 0)
            stop = past_high(stop, (unsigned)_mm_movemask_epi8(v), high);
        /* Only a '(' before the stop counts (all of them when none). */
        par &= (stop & (0u - stop)) - 1u;
        if (par != 0) {
            *paren = p + (unsigned)__builtin_ctz(par);
            want = 0;
            wantv = _mm_setzero_si128();
        }
        if (stop != 0)
            return p + (unsigned)__builtin_ctz(stop);
    }
    if (p == limit || limit < 16)
        return p;
    base = limit - 16;
    v = _mm_loadu_si128((const __m128i *)(const void *)(buf + base));
    stop = TEXT_STOPS(v) >> (p - base);
    if (stop != 0)
        stop = past_high(stop, (unsigned)_mm_movemask_epi8(v) >> (p - base), high);
    par = ((unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, open)) & want) >> (p - base);
    par &= (stop & (0u - stop)) - 1u;
    if (par != 0)
        *paren = p + (unsigned)__builtin_ctz(par);
    return stop != 0 ? p + (unsigned)__builtin_ctz(stop) : limit;
#undef TEXT_STOPS
#undef STOP_BYTES
#else
    /* The stop test of skip_text(); the others exact, byte by byte
     * (smtpstatus__bytes_in). */
#define TEXT_STOPS(x)                                                                                   \
    (((((x) - low) | ((x) + SMTPSTATUS__ONES) | (x)) & SMTPSTATUS__HIGHS) |                             \
     (digit != 0 ? smtpstatus__bytes_in(x, ' ', ' ') &                                                  \
                       ((smtpstatus__bytes_in(x, digit, digit) >> 8) | (UINT64_C(0x80) << 56))          \
                 : 0u))
    const uint64_t low = SMTPSTATUS__ONES * 0x20u;
    uint64_t want = *paren == NO_PAREN ? SMTPSTATUS__HIGHS : 0u, stop, par, x;
    unsigned shift;

    (void)high;

    for (; limit - p >= 8; p += 8) {
        x = smtpstatus__load64(buf + p);
        stop = TEXT_STOPS(x);
        par = smtpstatus__bytes_in(x, '(', '(') & want;
        if ((stop | par) == 0)
            continue;
        par &= (stop & (0u - stop)) - 1u;
        if (par != 0) {
            *paren = p + smtpstatus__first_byte(par);
            want = 0;
        }
        if (stop != 0)
            return p + smtpstatus__first_byte(stop);
    }
    if (p == limit || limit < 8)
        return p;
    x = smtpstatus__load64(buf + limit - 8);
    shift = 8u * (unsigned)(p - (limit - 8));
    stop = TEXT_STOPS(x) >> shift;
    par = (smtpstatus__bytes_in(x, '(', '(') & want) >> shift;
    par &= (stop & (0u - stop)) - 1u;
    if (par != 0)
        *paren = p + smtpstatus__first_byte(par);
    return stop != 0 ? p + smtpstatus__first_byte(stop) : limit;
#undef TEXT_STOPS
#endif
}

/*
 * How the fast paths' line at `at`, whose text scan stopped at p, ends:
 * the start of the next line (never 0: it is past the reply code), with
 * BARE_LF added to *anomalies for a bare LF; or 0 for a line they leave
 * to scan_line():
 * one not complete yet, too long (RFC 5321 section 4.5.3.1.5), ended by
 * another byte, or folded onto the next (lenient).
 */
static inline SMTPSTATUS__ALWAYS_INLINE size_t line_end(const char *buf, size_t len, unsigned flags, size_t at,
                                                        size_t p, size_t limit, uint32_t *anomalies)
{
    size_t next;

    if (p == len) {
        if (!at_eof(flags))
            return 0; /* incomplete: scan_line() says so */
        next = len;
    } else if (p == limit) {
        return 0; /* a long line */
    } else if (buf[p] == '\r' && p + 1 < len && buf[p + 1] == '\n') {
        next = p + 2;
    } else if (buf[p] == '\n' && !(flags & SMTPSTATUS_REPLY_STRICT_CRLF)) {
        *anomalies |= SMTPSTATUS_ANOMALY_BARE_LF;
        next = p + 1;
    } else {
        return 0;
    }
    if (next - at > RFC5321_REPLY_LINE ||
        (is_lenient(flags) && next < len && smtpstatus__is_space((unsigned char)buf[next])))
        return 0;
    return next;
}

/*
 * One line at `at` by the fast path: fills *ln as scan_line() would, with
 * *paren the first '(' in its text (or NO_PAREN), and returns 1; returns 0
 * for any line it does not take, which scan_line() then reads. *r is the
 * reply so far, whose enhanced code a later line most often repeats.
 */
static int fast_line(const char *buf, size_t len, unsigned flags, size_t at, struct line *ln, size_t *paren,
                     const struct smtpstatus_reply *r)
{
    size_t p = at + 4, limit, next;
    unsigned digit = 0;
    int high = 0;
    char sep;

    if (len - at < 4 || !code_digits_at(buf, at))
        return 0;
    sep = buf[at + 3];
    if (sep != ' ' && sep != '-')
        return 0;
    ln->start = at;
    ln->code = code_value(buf, at);
    ln->more = sep == '-';
    ln->text_off = p;
    ln->has_enhanced = 0;
    ln->anomalies = 0;
    *paren = NO_PAREN;
    if (ln->more && is_lenient(flags)) {
        /* Joined: the split check compares the enhanced code. */
        if (!repeat_enhanced(buf, len, len, ln, r))
            take_enhanced_call(buf, len, ln);
        digit = (unsigned char)buf[at];
    }
    limit = len - at > RFC5321_REPLY_LINE ? at + RFC5321_REPLY_LINE : len;
    for (;;) {
        unsigned char c;

        /* Two copies of the scan, the usual one without the split test. */
        p = digit != 0 ? text_scan(buf, p, limit, paren, digit, &high)
                       : text_scan(buf, p, limit, paren, 0, &high);
        if (p >= limit)
            break;
        c = (unsigned char)buf[p];
        if (c == '\r' || c == '\n')
            break;
        if (c == ' ') {
            /* Only a lenient continuation line (digit set) can split; the
             * bytewise tail of a short text stops at every space, and the
             * scan at one that ends a block: a split has the digit next,
             * tested here before the call. */
            if (digit != 0 && p + 1 < len && (unsigned char)buf[p + 1] == digit &&
                joined_split_at(buf, len, ln, p)) {
                /* The line ends at the space, the next starts after it;
                 * content_off is at or before it (joined_split_at()). */
                if (high)
                    ln->anomalies = SMTPSTATUS_ANOMALY_8BIT;
                ln->text_end = p;
                ln->next = p + 1;
                return 1;
            }
        } else if (c == '(') {
            if (*paren == NO_PAREN)
                *paren = p;
        } else if (!text_byte[c]) {
            if (c == '\0' && !is_lenient(flags))
                return 0;
            ln->anomalies = SMTPSTATUS_ANOMALY_8BIT;
        }
        p++;
    }
    if (high)
        ln->anomalies = SMTPSTATUS_ANOMALY_8BIT;
    next = line_end(buf, len, flags, at, p, limit, &ln->anomalies);
    if (next == 0)
        return 0;
    ln->text_end = p;
    ln->next = next;
    if (digit != 0) {
        if (ln->content_off > p)
            ln->content_off = p;
    } else if (!repeat_enhanced(buf, len, p, ln, r)) {
        take_enhanced(buf, p, ln);
    }
    return 1;
}

/*
 * The direct path: a whole reply of one line, "NNN SP text" with the code
 * where the reply starts, in fast_line()'s shape (the most common reply).
 * It reads the line by fast_line()'s rules but keeps what it finds in
 * locals, the struct line too: it never leaves this function, so the
 * compiler keeps its fields in registers, where fast_line()'s, passed to
 * calls, live on the stack and are copied into the result after. Fills
 * every field of *r except span.len and returns 1, with the line's text
 * end, the start of its content (past an enhanced code) and where the
 * stage search starts; parse_reply() does the rest (stage, trimming, an
 * enhanced code in the text, the registry's anomalies). Returns 0, *r
 * untouched, for any other reply: the general loop reads it.
 */
static inline SMTPSTATUS__ALWAYS_INLINE int direct_reply(const char *buf, size_t len, unsigned flags, size_t at,
                                                         struct smtpstatus_reply *r, size_t *text_end,
                                                         size_t *content_off, size_t *paren_from)
{
    struct line ln;
    size_t p = at + 4, limit, next, paren = NO_PAREN;
    uint32_t anomalies = 0;
    int high = 0;

    if (len - at < 4 || !code_digits_at(buf, at) || buf[at + 3] != ' ')
        return 0;
    limit = len - at > RFC5321_REPLY_LINE ? at + RFC5321_REPLY_LINE : len;
    for (;;) {
        unsigned char c;

        p = text_scan(buf, p, limit, &paren, 0, &high);
        if (p >= limit)
            break;
        c = (unsigned char)buf[p];
        if (c == '\r' || c == '\n')
            break;
        if (c == '(') {
            if (paren == NO_PAREN)
                paren = p;
        } else if (!text_byte[c]) {
            if (c == '\0' && !is_lenient(flags))
                return 0;
            anomalies = SMTPSTATUS_ANOMALY_8BIT;
        }
        p++;
    }
    if (high)
        anomalies = SMTPSTATUS_ANOMALY_8BIT;
    next = line_end(buf, len, flags, at, p, limit, &anomalies);
    if (next == 0)
        return 0;
    ln.text_off = at + 4;
    ln.has_enhanced = 0;
    take_enhanced(buf, p, &ln);

    r->size = sizeof *r;
    r->code = (uint16_t)code_value(buf, at);
    r->line_count = 1;
    r->anomalies = anomalies;
    r->stage = 0;
    r->parse_flags = flags;
    r->has_enhanced = ln.has_enhanced != 0;
    if (ln.has_enhanced) {
        r->enhanced = ln.enhanced;
        r->enhanced_span.off = ln.enhanced_off;
        r->enhanced_span.len = ln.enhanced_end - ln.enhanced_off;
    } else {
        r->enhanced = (struct smtpstatus_enhanced){ 0, 0, 0, 0 };
        r->enhanced_span = (struct smtpstatus_span){ 0, 0 };
    }
    r->span.off = at;
    r->text.off = ln.content_off;
    r->text.len = p - ln.content_off;
    r->consumed = next;
    r->error_offset = 0;
    *text_end = p;
    *content_off = ln.content_off;
    /* The text has no '(' before `paren`, and its line end none. */
    *paren_from = paren != NO_PAREN ? paren : next;
    return 1;
}

/*
 * Scan one line whose code starts at `at`. Returns SMTPSTATUS_OK, or
 * SMTPSTATUS_INCOMPLETE when the buffer ends first (default mode), or an
 * error with *err set to the offending offset.
 */
static int scan_line(const char *buf, size_t len, unsigned flags, size_t at, struct line *ln,
                     size_t *err)
{
    size_t p = at;
    size_t phys_start = at;
    int joined;

    memset(ln, 0, sizeof *ln);
    ln->start = at;

    /* The usual case in one test; the loop finds what is wrong. */
    for (size_t k = len - p >= 3 && code_digits_at(buf, p) ? 3 : 0; k < 3; k++) {
        if (p + k >= len) {
            *err = len;
            return at_eof(flags) ? SMTPSTATUS_E_TRUNCATED : SMTPSTATUS_INCOMPLETE;
        }
        if (!smtpstatus__is_digit((unsigned char)buf[p + k])) {
            *err = p + k;
            return SMTPSTATUS_E_SYNTAX;
        }
    }
    /* RFC 5321 §4.2: the first digit is 2 to 5 (1yz no longer exists). */
    if (buf[p] < '2' || buf[p] > '5') {
        *err = p;
        return SMTPSTATUS_E_BAD_CODE;
    }
    ln->code = code_value(buf, p);
    p += 3;

    if (p < len && buf[p] == '-') {
        ln->more = 1;
        p++;
    } else if (p < len && buf[p] == ' ') {
        p++;
    } else if (p < len && buf[p] == ':' && is_lenient(flags)) {
        p++;
        while (p < len && buf[p] == ' ')
            p++;
    } else if (p < len && buf[p] != '\r' && buf[p] != '\n' && !is_lenient(flags)) {
        /* RFC 5321 §4.2: the code is followed by "-", SP or the line end. */
        *err = p;
        return SMTPSTATUS_E_SYNTAX;
    }
    ln->text_off = p;
    joined = is_lenient(flags) && ln->more;
    if (joined)
        take_enhanced_call(buf, len, ln); /* the split check compares it */

    for (;;) {
        unsigned char c;

        /* The fast path: printable ASCII and tabs, which are most of any
         * text, need no other look (one table load per byte); a joined
         * continuation line also stops at spaces. */
        {
            size_t limit = len - phys_start > SMTPSTATUS_REPLY_LINE_MAX
                               ? phys_start + SMTPSTATUS_REPLY_LINE_MAX
                               : len;
            if (joined) {
                /* The printable run, then its split, if it has one. */
                size_t stop = skip_text(buf, p, limit, 0x20u), split = find_split(buf, len, ln, p, stop);
                if (split < stop) {
                    ln->text_end = split;
                    ln->next = split + 1;
                    return SMTPSTATUS_OK;
                }
                p = stop;
            } else {
                p = skip_text(buf, p, limit, 0x20u);
            }
            while (p < limit && text_byte[(unsigned char)buf[p]] && !(joined && buf[p] == ' '))
                p++;
            if (joined && p < limit && buf[p] == ' ') {
                if (joined_split_at(buf, len, ln, p)) {
                    ln->text_end = p;
                    ln->next = p + 1;
                    return SMTPSTATUS_OK;
                }
                p++;
                continue;
            }
        }
        if (p >= len) {
            if (!at_eof(flags)) {
                if (p - phys_start >= SMTPSTATUS_REPLY_LINE_MAX) {
                    *err = phys_start + SMTPSTATUS_REPLY_LINE_MAX;
                    return SMTPSTATUS_E_TOO_LONG;
                }
                *err = len;
                return SMTPSTATUS_INCOMPLETE;
            }
            ln->text_end = len;
            ln->next = len;
            if (ln->next - phys_start > RFC5321_REPLY_LINE)
                ln->anomalies |= SMTPSTATUS_ANOMALY_LONG_LINE;
            break;
        }
        if (p - phys_start >= SMTPSTATUS_REPLY_LINE_MAX) {
            *err = p;
            return SMTPSTATUS_E_TOO_LONG;
        }
        c = (unsigned char)buf[p];
        if (c == '\n') {
            if (flags & SMTPSTATUS_REPLY_STRICT_CRLF) {
                *err = p;
                return SMTPSTATUS_E_SYNTAX;
            }
            ln->anomalies |= SMTPSTATUS_ANOMALY_BARE_LF;
            ln->text_end = p;
            ln->next = p + 1;
        } else if (c == '\r') {
            if (p + 1 >= len && !at_eof(flags)) {
                *err = len;
                return SMTPSTATUS_INCOMPLETE;
            }
            if (p + 1 < len && buf[p + 1] == '\n') {
                ln->text_end = p;
                ln->next = p + 2;
            } else if (is_lenient(flags) || p + 1 >= len) {
                ln->text_end = p;
                ln->next = p + 1;
            } else {
                *err = p; /* a bare CR inside a line */
                return SMTPSTATUS_E_SYNTAX;
            }
        } else {
            if (c == '\0' && !is_lenient(flags)) {
                *err = p;
                return SMTPSTATUS_E_SYNTAX;
            }
            if (c >= 0x80 || (c < 0x20 && c != '\t') || c == 0x7F)
                ln->anomalies |= SMTPSTATUS_ANOMALY_8BIT;
            p++;
            continue;
        }
        if (ln->next - phys_start > SMTPSTATUS_REPLY_LINE_MAX) {
            *err = phys_start + SMTPSTATUS_REPLY_LINE_MAX;
            return SMTPSTATUS_E_TOO_LONG;
        }
        if (ln->next - phys_start > RFC5321_REPLY_LINE)
            ln->anomalies |= SMTPSTATUS_ANOMALY_LONG_LINE;
        /* Lenient: an indented line that does not start with a code is the
         * folded rest of this one (RFC 5322 §2.2.3 folding in DSN fields). */
        if (is_lenient(flags) && ln->next < len && smtpstatus__is_space((unsigned char)buf[ln->next])) {
            size_t q = ln->next;
            while (q < len && smtpstatus__is_space((unsigned char)buf[q]))
                q++;
            if (q < len && buf[q] != '\r' && buf[q] != '\n' && !code_line_at(buf, len, q)) {
                phys_start = ln->next;
                p = q;
                continue;
            }
        }
        break;
    }

    if (!joined)
        take_enhanced_call(buf, ln->text_end, ln);
    else if (ln->content_off > ln->text_end)
        ln->content_off = ln->text_end;
    return SMTPSTATUS_OK;
}

/* Lenient mode: whether a reply code at buf[i] stands alone as a token:
 * not inside a number, an address, an identifier, a key=value pair or a
 * host:port. code_token_at() when the three digits are known to be there. */
static inline int code_token_at(const char *buf, size_t len, size_t i)
{
    unsigned char c;

    if (i + 3 < len) {
        /* What quoted_code_at() takes after the digits. */
        c = (unsigned char)buf[i + 3];
        if (c != ' ' && c != '-' && c != '\r' && c != '\n' && c != ':')
            return 0;
    }
    if (i == 0)
        return 1;
    c = (unsigned char)buf[i - 1];
    if (smtpstatus__is_alnum(c) || c == '.' || c == '=' || c == '_' || c == '-' || c == '/' ||
        c == '+' || c == '@' || c == ',')
        return 0;
    /* "[192.0.2.1]:465", "mx.example.com:587": a port, not a reply. */
    if (c == ':' && i >= 2 && (smtpstatus__is_alnum((unsigned char)buf[i - 2]) || buf[i - 2] == ']'))
        return 0;
    return 1;
}

static int reply_token_at(const char *buf, size_t len, size_t i)
{
    return i + 3 <= len && code_digits_at(buf, i) && code_token_at(buf, len, i);
}

/*
 * The positions in the block at p where a reply code may start, one bit
 * each (bit k: p + k), for the first CODE_BLOCK - 2 positions, whose three
 * bytes the block holds: three digits, the first '2' to '5' without SSE2.
 * With SSE2 the block is two loads and only the digits are tested, which
 * takes half the work a byte; the caller tests the first digit of the few
 * positions that come out (code_first()).
 */
#ifdef REPLY_SSE2
#define CODE_BLOCK 32u
#define CODE_MASK uint32_t
#define CODE_SHIFT(n) (n)
/* Bit k: p[k] is a digit. Adding 0x50 moves '0' to '9' to 0x80 to 0x89,
 * the ten smallest signed bytes: one compare. */
static inline uint32_t digits16(const char *p)
{
    const __m128i d = _mm_add_epi8(_mm_loadu_si128((const __m128i *)(const void *)p), _mm_set1_epi8(0x50));

    return (uint32_t)_mm_movemask_epi8(_mm_cmplt_epi8(d, _mm_set1_epi8((char)0x8A)));
}
static inline uint32_t code_starts(const char *p)
{
    uint32_t digit = digits16(p) | digits16(p + 16) << 16;

    return digit & (digit >> 1) & (digit >> 2) & 0x3FFFFFFFu;
}
#define CODE_BIT(m) ((unsigned)__builtin_ctz(m))
#else
#define CODE_BLOCK 8u
#define CODE_MASK uint64_t
#define CODE_SHIFT(n) (8u * (n))
static inline uint64_t code_starts(const char *p)
{
    uint64_t x = smtpstatus__load64(p);
    uint64_t digit = smtpstatus__bytes_in(x, '0', '9');

    return smtpstatus__bytes_in(x, '2', '5') & (digit >> 8) & (digit >> 16) & UINT64_C(0x0000808080808080);
}
#define CODE_BIT(m) smtpstatus__first_byte(m)
#endif

static inline int code_first(char c)
{
    return (unsigned char)(c - '2') <= 3u;
}

/* The candidates in m (bit k: position i + k): 1 when one is a 4xx or 5xx
 * reply code, with *at set; else the first 2xx or 3xx one, if any, is in
 * *at and *found is set. */
static inline int take_starts(const char *buf, size_t len, size_t i, CODE_MASK m, int *found, size_t *at)
{
    for (; m != 0; m &= m - 1) {
        size_t k = i + CODE_BIT(m);
        if (!code_first(buf[k]) || !code_token_at(buf, len, k))
            continue;
        if (buf[k] == '4' || buf[k] == '5') {
            *at = k;
            return 1;
        }
        if (!*found) {
            *at = k;
            *found = 1;
        }
    }
    return 0;
}

/* Lenient mode: where the reply starts. Texts that quote a session
 * ("Out: 354 End data ... Out: 451 4.3.0 queue file write error", ">>>
 * DATA <<< 550 ...") hold several replies; the one that matters is the
 * first failure, so a 4xx or 5xx is preferred to an earlier 2xx or 3xx.
 * Only the positions code_starts() gives are looked at, a block at a time;
 * the blocks overlap by two bytes, and the last one ends at len. */
static int find_reply_start(const char *buf, size_t len, size_t *at)
{
    int found = 0;
    size_t i = 0;

    /* The usual start: a 4xx or 5xx reply at the first byte. */
    if (len >= 4 && (buf[0] == '4' || buf[0] == '5') && code_digits_at(buf, 0) && code_token_at(buf, len, 0)) {
        *at = 0;
        return 1;
    }
#ifdef REPLY_SSE2
    if (len >= 16 && len < CODE_BLOCK) {
        /* One block of two loads that overlap, the second ending at len. */
        uint32_t digit = digits16(buf) | digits16(buf + len - 16) << (len - 16);
        return take_starts(buf, len, 0, digit & (digit >> 1) & (digit >> 2) & ((UINT32_C(1) << (len - 2)) - 1u),
                           &found, at) ||
               found;
    }
#endif
    if (len < CODE_BLOCK) {
        for (; i + 3 <= len; i++) {
            if (!code_first(buf[i]) || !reply_token_at(buf, len, i))
                continue;
            if (buf[i] == '4' || buf[i] == '5') {
                *at = i;
                return 1;
            }
            if (!found) {
                *at = i;
                found = 1;
            }
        }
        return found;
    }
    while (i + 2 < len) {
        size_t base = i;

        if (len - i < CODE_BLOCK)
            base = len - CODE_BLOCK;
        if (take_starts(buf, len, i, code_starts(buf + base) >> CODE_SHIFT(i - base), &found, at))
            return 1;
        i = base + CODE_BLOCK - 2;
    }
    return found;
}

/* The last index in [2, j) of an 'f' or 'F', or 0 when there is none;
 * sixteen (SSE2) or eight bytes at a time while that many remain above 2. */
static size_t last_f_before(const char *buf, size_t j)
{
#ifdef REPLY_SSE2
    /* Sixteen at a time first: a log line's prefix is long. */
    const __m128i lower = _mm_set1_epi8(0x20), f = _mm_set1_epi8('f');

    while (j >= 2 + 16) {
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
            _mm_or_si128(_mm_loadu_si128((const __m128i *)(const void *)(buf + j - 16)), lower), f));
        if (m != 0)
            return j - 16 + (31u - (unsigned)__builtin_clz(m));
        j -= 16;
    }
#endif
    while (j >= 2 + 8) {
        uint64_t m = smtpstatus__bytes_in(smtpstatus__load64(buf + j - 8) | (SMTPSTATUS__ONES * 0x20u), 'f', 'f');
        if (m != 0)
            return j - 8 + smtpstatus__last_byte(m);
        j -= 8;
    }
    while (j-- > 2)
        if ((buf[j] | 0x20) == 'f')
            return j;
    return 0;
}

/* Lenient mode: the stage the surrounding text names. Exim writes the
 * command before the reply ("SMTP error from remote mail server after RCPT
 * TO:<bob@example.com>: 550 ..."); Postfix after it ("(in reply to RCPT TO
 * command)") or says "refused to talk to me" for a greeting. Sets *cut to
 * the first "(in reply to " (or len), which trim_end() drops: it is at or
 * before the one that names the stage. */
static int find_stage(const char *buf, size_t len, size_t reply_start, size_t from, size_t *cut)
{
    *cut = len;
    for (size_t i = from; i < len; i++) {
        const char *next = memchr(buf + i, '(', len - i);
        if (next == NULL)
            break;
        i = (size_t)(next - buf);
        if (smtpstatus__match_nocase(buf, len, i + 1, "in reply to ")) {
            int st = smtpstatus__stage_at(buf, len, i + 1 + sizeof "in reply to " - 1, NULL);
            if (*cut == len)
                *cut = i;
            if (st != SMTPSTATUS_STAGE_UNKNOWN)
                return st;
        }
    }
    /* Both cues have an 'f' for third byte (" after ", "refused"), a rare
     * letter: only two bytes before one can either start, and the shorter
     * cue, " after ", ends before the reply: five bytes after its 'f'. */
    if (reply_start < sizeof " after " - 1)
        return SMTPSTATUS_STAGE_UNKNOWN; /* most replies: no room for either */
    for (size_t j = reply_start - 4; (j = last_f_before(buf, j)) != 0;) {
        size_t i = j - 2;

        if (smtpstatus__match_nocase(buf, reply_start, i, " after ")) {
            int st = smtpstatus__stage_at(buf, reply_start, i + sizeof " after " - 1, NULL);
            if (st != SMTPSTATUS_STAGE_UNKNOWN)
                return st;
        }
        if (smtpstatus__match_nocase(buf, reply_start, i, "refused to talk to me"))
            return SMTPSTATUS_STAGE_CONNECT;
    }
    return SMTPSTATUS_STAGE_UNKNOWN;
}

/* Lenient mode: the end of the reply text. Drop Postfix's " (in reply to
 * ... command)" and a closing quote or parenthesis that matches one just
 * before the reply (Exchange: "Remote Server returned '550 5.1.1 ...'").
 * `cut` is the first "(in reply to " after text_off (find_stage), or past
 * the end: it is dropped when it lies whole before the end. */
static size_t trim_end(const char *buf, size_t start, size_t text_off, size_t cut, size_t end)
{
    if (cut < end && end - cut >= sizeof "(in reply to " - 1)
        end = cut;
    while (end > text_off && (smtpstatus__is_space((unsigned char)buf[end - 1])))
        end--;
    if (start > 0 && end > text_off) {
        char open = buf[start - 1];
        char close = open == '(' ? ')' : open == '[' ? ']' : open;
        /* The spaces before a dropped quote go too. */
        if ((open == '\'' || open == '"' || open == '(' || open == '[') && buf[end - 1] == close)
            while (--end > text_off && smtpstatus__is_space((unsigned char)buf[end - 1]))
                ;
    }
    return end;
}

/* In lenient mode, whether the line after `prev` belongs to the reply;
 * sets *at to where its code starts. Inline: it runs once a line of a
 * many-line reply, and its call cost a third of its work. */
static inline SMTPSTATUS__ALWAYS_INLINE int next_line_start(const char *buf, size_t len, unsigned flags,
                                                            const struct line *prev, size_t *at)
{
    /* (In lenient mode a "550-" line with no continuation ends the reply;
     * the caller flags it as SMTPSTATUS_ANOMALY_TRUNCATED.) */
    size_t q = prev->next;

    if (!is_lenient(flags)) {
        *at = q;
        return prev->more;
    }
    if (!prev->more)
        return 0;
    while (q < len && smtpstatus__is_space((unsigned char)buf[q]))
        q++;
    if (!code_line_at(buf, len, q))
        return 0;
    *at = q;
    return 1;
}

/* A reply with nothing found, member by member: as one compound literal
 * the compiler clears the struct with a string store (rep stos), which
 * takes longer than these stores for its 96 bytes. */
static inline void clear_reply(struct smtpstatus_reply *r, unsigned flags)
{
    r->size = sizeof *r;
    r->code = 0;
    r->line_count = 0;
    r->anomalies = 0;
    r->stage = 0;
    r->parse_flags = flags;
    r->has_enhanced = false;
    r->enhanced = (struct smtpstatus_enhanced){ 0, 0, 0, 0 };
    r->enhanced_span = (struct smtpstatus_span){ 0, 0 };
    r->span = (struct smtpstatus_span){ 0, 0 };
    r->text = (struct smtpstatus_span){ 0, 0 };
    r->consumed = 0;
    r->error_offset = 0;
}

/* `fast`: whether lines may take fast_line(); 0 for the tests that compare
 * the two paths (smtpstatus__parse_reply_general()). */
static int parse_reply(const char *buf, size_t len, unsigned flags, struct smtpstatus_reply *out, int fast)
{
    struct smtpstatus_reply local, *r = &local;
    struct line ln;
    size_t at = 0, err = 0, last_text_end = 0, content_off, paren, paren_from;
    int first_has_enhanced = 0;
    int rc = SMTPSTATUS_OK;

    if (out == NULL || (buf == NULL && len != 0) || (flags & ~KNOWN_FLAGS) ||
        ((flags & SMTPSTATUS_REPLY_STRICT_CRLF) && (flags & SMTPSTATUS_REPLY_LENIENT)))
        return SMTPSTATUS_E_INVALID_ARG;
    if (out->size < SMTPSTATUS__REPLY_SIZE_V1)
        return SMTPSTATUS_E_STRUCT_SIZE;
    /* The caller's struct of this version's size is filled in place; for
     * another size, local is copied out whole, its padding byte too. */
    if (out->size == sizeof local)
        r = out;
    else
        memset(&local, 0, sizeof local);

    if (is_lenient(flags) && !find_reply_start(buf, len, &at)) {
        r->code = 0; /* done: clears the rest */
        rc = SMTPSTATUS_E_NOT_FOUND;
        err = len;
        goto done;
    }
    if (fast && direct_reply(buf, len, flags, at, r, &last_text_end, &content_off, &paren_from))
        goto whole;
    clear_reply(r, flags);
    r->span.off = at;

    for (;;) {
        if (fast && fast_line(buf, len, flags, at, &ln, &paren, r)) {
            rc = SMTPSTATUS_OK;
            /* The text has no '(' before `paren`, and its line end none. */
            paren_from = paren != NO_PAREN ? paren : ln.next;
        } else {
            rc = scan_line(buf, len, flags, at, &ln, &err);
            paren_from = ln.content_off;
        }
        if (rc != SMTPSTATUS_OK) {
            if (r->line_count == 0)
                r->code = (uint16_t)ln.code;
            goto done;
        }
        if (r->line_count == SMTPSTATUS_REPLY_LINES_MAX) {
            rc = SMTPSTATUS_E_TOO_MANY;
            err = at;
            goto done;
        }
        r->anomalies |= ln.anomalies;
        if (r->line_count == 0) {
            r->code = (uint16_t)ln.code;
            r->text.off = ln.content_off;
            r->text.len = ln.text_end - ln.content_off;
            first_has_enhanced = ln.has_enhanced;
            if (ln.has_enhanced) {
                r->has_enhanced = true;
                r->enhanced = ln.enhanced;
                r->enhanced_span.off = ln.enhanced_off;
                r->enhanced_span.len = ln.enhanced_end - ln.enhanced_off;
            }
        } else {
            if (ln.code != r->code)
                r->anomalies |= SMTPSTATUS_ANOMALY_CODE_MISMATCH;
            if (ln.has_enhanced != first_has_enhanced ||
                (ln.has_enhanced && r->has_enhanced &&
                 !same_enhanced(&ln.enhanced, &r->enhanced)))
                r->anomalies |= SMTPSTATUS_ANOMALY_ENHANCED_MISMATCH;
            if (ln.has_enhanced && !r->has_enhanced) {
                r->has_enhanced = true;
                r->enhanced = ln.enhanced;
                r->enhanced_span.off = ln.enhanced_off;
                r->enhanced_span.len = ln.enhanced_end - ln.enhanced_off;
            }
        }
        r->line_count++;
        last_text_end = ln.text_end;
        r->consumed = ln.next;
        if (!ln.more)
            break; /* the last line, in every mode */
        if (!next_line_start(buf, len, flags, &ln, &at)) {
            if (ln.more && is_lenient(flags))
                r->anomalies |= SMTPSTATUS_ANOMALY_TRUNCATED;
            break;
        }
        if (at >= len && !at_eof(flags)) {
            /* "250-..." CRLF and nothing yet: the reply goes on. */
            rc = SMTPSTATUS_INCOMPLETE;
            err = len;
            goto done;
        }
    }

    content_off = ln.content_off;

whole:
    if (is_lenient(flags)) {
        /* One search for "(in reply to " after the text starts serves both. */
        size_t cut;

        r->stage = (uint32_t)find_stage(buf, len, r->span.off, paren_from, &cut);
        last_text_end = trim_end(buf, r->span.off, content_off, cut, last_text_end);
        if (r->line_count == 1)
            r->text.len = last_text_end - r->text.off;
    }
    r->span.len = last_text_end - r->span.off;

    /* No enhanced code after the reply code: look in the text (qmail's
     * "(#5.7.1)", Exchange's "#5.1.1"), but only inside the reply. */
    if (!r->has_enhanced && r->text.off < last_text_end) {
        struct smtpstatus_enhanced code;
        struct smtpstatus_span where;
        if (smtpstatus_find_enhanced(buf + r->text.off, last_text_end - r->text.off, 0, &code,
                                     &where) == SMTPSTATUS_OK) {
            r->has_enhanced = true;
            r->enhanced = code;
            r->enhanced_span.off = r->text.off + where.off;
            r->enhanced_span.len = where.len;
            r->anomalies |= SMTPSTATUS_ANOMALY_ENHANCED_IN_TEXT;
        }
    }
    /* The anomalies that depend on the reply as a whole and on the tables. */
    r->anomalies |= smtpstatus__registry_anomalies(r->code, r->has_enhanced ? &r->enhanced : NULL);

done:
    if (rc != SMTPSTATUS_OK) {
        uint16_t code = r->code;
        clear_reply(r, flags);
        r->code = code;
        r->error_offset = err;
    }
    if (r != out)
        smtpstatus__copy_out(out, out->size, r, sizeof *r);
    return rc;
}

int smtpstatus_parse_reply(const char *buf, size_t len, unsigned flags, struct smtpstatus_reply *out)
{
    return parse_reply(buf, len, flags, out, 1);
}

int smtpstatus__parse_reply_general(const char *buf, size_t len, unsigned flags,
                                    struct smtpstatus_reply *out)
{
    return parse_reply(buf, len, flags, out, 0);
}

int smtpstatus_reply_next_line(const char *buf, size_t len, const struct smtpstatus_reply *reply,
                               size_t *cursor, struct smtpstatus_span *text)
{
    struct line ln;
    size_t at, err, end;
    unsigned flags;

    if (reply == NULL || cursor == NULL || text == NULL || (buf == NULL && len != 0))
        return SMTPSTATUS_E_INVALID_ARG;
    if (reply->size < SMTPSTATUS__REPLY_SIZE_V1 || reply->line_count == 0)
        return SMTPSTATUS_E_INVALID_ARG;
    flags = reply->parse_flags;
    end = reply->span.off + reply->span.len;
    at = *cursor == 0 ? reply->span.off : *cursor;
    /* A cursor at or past the end of the reply means "no more lines"; the
     * cursor of the last line is set past `end` below. */
    if (at > end || at < reply->span.off || end > len)
        return SMTPSTATUS_E_NOT_FOUND;
    if (scan_line(buf, len, flags, at, &ln, &err) != SMTPSTATUS_OK)
        return SMTPSTATUS_E_INVALID_ARG; /* not the buffer the reply came from */
    if (ln.text_end > end)
        ln.text_end = end;
    if (ln.content_off > ln.text_end)
        ln.content_off = ln.text_end;
    text->off = ln.content_off;
    text->len = ln.text_end - ln.content_off;
    if (next_line_start(buf, len, flags, &ln, &at) && at < end)
        *cursor = at;
    else
        *cursor = end + 1;
    return SMTPSTATUS_OK;
}
