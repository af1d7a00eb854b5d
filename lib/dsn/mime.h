/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * Zero-allocation MIME (RFC 2045, RFC 2046, RFC 2047, RFC 5322) for the
 * DSN reader: lines with any ending, header fields with folding, content
 * types with parameters, multipart walking, and base64 / quoted-printable
 * decoding into a caller-owned scratch area.
 */

#ifndef SMTPSTATUS_DSN_MIME_H
#define SMTPSTATUS_DSN_MIME_H

#include "../internal.h"

/* A line of text: [off, end) without its ending; next is past the ending.
 * CRLF, LF and a bare CR all end a line. */
struct smtpstatus__line {
    size_t off, end, next;
};

/* The offset of the first CR or LF at or after `at`, or len. */
size_t smtpstatus__line_end(const char *buf, size_t len, size_t at);

/* The line starting at `at`; returns 0 at the end of the text. */
int smtpstatus__line_at(const char *buf, size_t len, size_t at, struct smtpstatus__line *line);

/* Where the body starts: after the first empty line (or len). *hdr_len is
 * the length of the header block. */
size_t smtpstatus__split_headers(const char *buf, size_t len, size_t *hdr_len);

/* Iterate header fields: name and value (leading white space removed,
 * folds kept, trailing white space removed). */
int smtpstatus__field_next(const char *buf, size_t len, size_t *cursor, struct smtpstatus_text *name,
                           struct smtpstatus_text *value);

/* The last line end a reader found (mime.c): where the line starts, and
 * where it ends; SIZE_MAX before the first. */
struct smtpstatus__eols {
    size_t at, end;
};

void smtpstatus__eols_init(struct smtpstatus__eols *e);

/* The same, for a reader that goes through a block field by field; each
 * line is searched for its end once. */
struct smtpstatus__field_reader {
    const char *buf;
    size_t len;
    size_t at; /* where the next line starts */
    struct smtpstatus__eols eols;
    /* Whether the line at line_at starts a field, and where its name and
     * colon end: a field's first line is read once to see whether it
     * continues the field before, then again as a field of its own.
     * line_at is SIZE_MAX before the first. */
    size_t line_at, line_name_end, line_colon;
    int line_is_field;
};

static inline void smtpstatus__field_reader_init(struct smtpstatus__field_reader *r, const char *buf,
                                                 size_t len, size_t at)
{
    r->buf = buf;
    r->len = len;
    r->at = at;
    smtpstatus__eols_init(&r->eols);
    r->line_at = SIZE_MAX;
    r->line_name_end = r->line_colon = 0;
    r->line_is_field = 0;
}

/* The next field, as smtpstatus__field_next() gives it; r->at is then its
 * cursor. */
int smtpstatus__field_read(struct smtpstatus__field_reader *r, struct smtpstatus_text *name,
                           struct smtpstatus_text *value);

/* The first field named `lower_name` (lower-case) in a header block. */
int smtpstatus__field_find(const char *buf, size_t len, const char *lower_name,
                           struct smtpstatus_text *value);

/* The most names smtpstatus__scan_headers() takes. */
#define SMTPSTATUS__SCAN_MAX 16

/* A lower-case field name and its length, known when the program is
 * compiled: SMTPSTATUS__FIELD_NAME("subject"). */
struct smtpstatus__field_name {
    const char *name;
    size_t len;
};

#define SMTPSTATUS__FIELD_NAME(lit) { (lit), sizeof(lit) - 1 }

/* The names a header scan looks for, with the filters that let most lines
 * pass at one look-up each: by_first[c], the names that a line starting
 * with the byte c may start (a letter in either case); and, for a line
 * with any such, by_len[s], those that may end where the line's first
 * ':', SP or HTAB is, at offset s (smtpstatus__name_stop() in lines.h:
 * at most 32, which stands for 32 and more). A name holding one of those
 * three bytes is in every slot of by_len. The readers' sets are static
 * const, written out where they are used, so that no scan builds its
 * filters again; each is checked against smtpstatus__field_set_prepare()
 * in tests/test-mime.c. */
#define SMTPSTATUS__FIELD_LEN_SLOTS 33

struct smtpstatus__field_set {
    const struct smtpstatus__field_name *names;
    size_t n; /* at most SMTPSTATUS__SCAN_MAX */
    uint16_t by_first[256];
    uint16_t by_len[SMTPSTATUS__FIELD_LEN_SLOTS];
    /* Every name is made of a-z and '-' only, so that a line's bytes are
     * compared with them by (byte | 0x20) alone (mime.c). */
    int plain;
};

/* A lower-case letter's two slots in by_first:
 * { SMTPSTATUS__FIRST_LETTER('s', 1u << 0) }. */
#define SMTPSTATUS__FIRST_LETTER(c, bits) [(c)] = (bits), [(c) - ('a' - 'A')] = (bits)

/* Build a set's filter at run time (tests, and readers whose names are
 * not fixed). */
void smtpstatus__field_set_prepare(struct smtpstatus__field_set *set,
                                   const struct smtpstatus__field_name *names, size_t n);

/* smtpstatus__split_headers() and smtpstatus__field_find() for each of the
 * set's names, in one pass over the header block: values[k] is the first
 * field named names[k], empty when there is none. Returns the set of names
 * found, bit k for names[k]. body_off and hdr_len may both be NULL: the
 * pass then ends as soon as every name is found. */
unsigned smtpstatus__scan_fields(const char *buf, size_t len, size_t *body_off, size_t *hdr_len,
                                 const struct smtpstatus__field_set *set, struct smtpstatus_text *values);

/* The same for n names as they are: the filter is built first. */
unsigned smtpstatus__scan_headers(const char *buf, size_t len, size_t *body_off, size_t *hdr_len,
                                  const struct smtpstatus__field_name *names, size_t n,
                                  struct smtpstatus_text *values);

/* The readers' sets, declared here for the test that checks their
 * filters. */
extern const struct smtpstatus__field_set smtpstatus__top_fields;      /* dsn.c */
extern const struct smtpstatus__field_set smtpstatus__original_fields; /* dsn.c */
extern const struct smtpstatus__field_set smtpstatus__late_field_set;  /* text.c */
extern const struct smtpstatus__field_set smtpstatus__part_fields;     /* mime.c */

/* Of the bytes of a word of lower-case text: 0x20 in those that are
 * letters, by which a byte of the other text may differ (its upper case);
 * 0 elsewhere. Each byte is tested within its own lane: with the top bit
 * set first, the subtractions never borrow from the next byte. */
static inline uint64_t smtpstatus__case_bits64(uint64_t k)
{
    const uint64_t hi = 0x8080808080808080u;
    uint64_t h = k | hi;

    return ((h - 0x6161616161616161u) & ~(h - 0x7B7B7B7B7B7B7B7Bu) & ~k & hi) >> 2;
}

static inline int smtpstatus__same_nocase8(const char *a, const char *lower)
{
    uint64_t x, k;

    memcpy(&x, a, 8);
    memcpy(&k, lower, 8);
    return ((x ^ k) & ~smtpstatus__case_bits64(k)) == 0;
}

/* The same for four bytes: the four high bytes of both words are zero,
 * which compare equal, and the lanes are tested apart. */
static inline int smtpstatus__same_nocase4(const char *a, const char *lower)
{
    uint32_t x, k;

    memcpy(&x, a, 4);
    memcpy(&k, lower, 4);
    return (((uint64_t)x ^ k) & ~smtpstatus__case_bits64(k)) == 0;
}

/* Whether a[0, n) equals the lower-case ASCII `lower` (n bytes), ignoring
 * case: exactly smtpstatus__lower(a[i]) == lower[i] for each i. Eight
 * bytes at a time (the last eight overlapping the ones before), or two
 * fours for "from" and "subject": a byte may differ from lower's only by
 * 0x20, and only where lower's is a letter. */
static inline int smtpstatus__same_nocase(const char *a, const char *lower, size_t n)
{
    if (n >= 8) {
        for (size_t i = 0; i + 8 < n; i += 8)
            if (!smtpstatus__same_nocase8(a + i, lower + i))
                return 0;
        return smtpstatus__same_nocase8(a + n - 8, lower + n - 8);
    }
    if (n >= 4)
        return smtpstatus__same_nocase4(a, lower) && smtpstatus__same_nocase4(a + n - 4, lower + n - 4);
    for (size_t i = 0; i < n; i++)
        if (smtpstatus__lower((unsigned char)a[i]) != (unsigned char)lower[i])
            return 0;
    return 1;
}

/* Whether a text equals a lower-case ASCII word of n bytes, ignoring case. */
static inline int smtpstatus__text_is_n(const struct smtpstatus_text *t, const char *lower, size_t n)
{
    return t->ptr != NULL && t->len == n && smtpstatus__same_nocase(t->ptr, lower, n);
}

/* Whether a text equals a lower-case ASCII word, ignoring case. A macro:
 * the readers compare field names and types against long chains of
 * literals, whose lengths the compiler then knows, so most comparisons
 * end at the length without a call to strlen. */
#define smtpstatus__text_is(t, lower) smtpstatus__text_is_n((t), (lower), strlen(lower))

/* Whether c is one of the bytes smtpstatus__trim() strips: space, tab,
 * CR, LF. One compare rules out every byte above the space (most bytes
 * looked at: the first and last of a value), before the four tests. */
static inline int smtpstatus__is_trimmed(char c)
{
    unsigned char u = (unsigned char)c;
    return u <= ' ' && (u == ' ' || u == '\t' || u == '\r' || u == '\n');
}

/* Trim ASCII white space (and CR/LF) from both ends. Inline: the readers
 * call it on every field value and type, where a call cost about as much
 * as the trimming. */
static inline struct smtpstatus_text smtpstatus__trim(struct smtpstatus_text t)
{
    while (t.len > 0 && smtpstatus__is_trimmed(t.ptr[0])) {
        t.ptr++;
        t.len--;
    }
    while (t.len > 0 && smtpstatus__is_trimmed(t.ptr[t.len - 1]))
        t.len--;
    if (t.len == 0)
        t.ptr = NULL;
    return t;
}

/* A Content-Type value (RFC 2045 §5.1). Missing parts are empty. Of the
 * parameters only a multipart type's boundary is read (RFC 2046 §5.1.1):
 * the reader needs no other, and most parts are not multipart, so their
 * parameters are not parsed at all. */
struct smtpstatus__ctype {
    struct smtpstatus_text type, subtype, boundary;
};

void smtpstatus__parse_ctype(const struct smtpstatus_text *value, struct smtpstatus__ctype *ct);
/* Whether a content type is type/subtype (lower-case literals). */
#define smtpstatus__ctype_is(ct, lower_type, lower_subtype)                                         \
    (smtpstatus__text_is(&(ct)->type, (lower_type)) &&                                            \
     smtpstatus__text_is(&(ct)->subtype, (lower_subtype)))
enum smtpstatus__cte { SMTPSTATUS__CTE_IDENTITY = 0, SMTPSTATUS__CTE_BASE64, SMTPSTATUS__CTE_QP };

int smtpstatus__parse_cte(const struct smtpstatus_text *value);

/* A bump allocator over the caller's scratch buffer. When it runs out it
 * keeps counting, so the caller learns how much was needed. */
struct smtpstatus__scratch {
    char *buf;
    size_t size, used, needed;
    /* What the takes that found no room asked for: the caller's retry with
     * `needed` bytes must have room for them on top of the others. */
    size_t missing;
};

/* Room for n bytes, or NULL (and `needed` grows) when there is none. */
char *smtpstatus__scratch_take(struct smtpstatus__scratch *s, size_t n);
/* Give back the unused tail of the last take of `taken` bytes of which
 * `kept` were used. */
void smtpstatus__scratch_trim(struct smtpstatus__scratch *s, size_t taken, size_t kept);

/* Decode a body with its transfer encoding. Identity returns the input
 * itself; the others decode into scratch. On a scratch shortage the result
 * is empty and scratch->needed records the shortfall. */
struct smtpstatus_text smtpstatus__decode_body(const struct smtpstatus_text *body, int cte,
                                               struct smtpstatus__scratch *scratch);

/* Decode RFC 2047 encoded words in a header value (the bytes stay in their
 * charset); returns the value itself when it has none. */
struct smtpstatus_text smtpstatus__decode_words(const struct smtpstatus_text *value,
                                                struct smtpstatus__scratch *scratch);

/* A leaf part found by the walker. */
struct smtpstatus__part {
    struct smtpstatus_text headers; /* the part's header block */
    struct smtpstatus_text body;    /* raw, still transfer-encoded */
    struct smtpstatus__ctype ctype;
    int cte;
    unsigned depth;
};

/* Walk a message's MIME tree, depth first, calling visit for every leaf
 * part (message/rfc822 parts are leaves: their insides are the original
 * message, not the report). A visitor returning non-zero stops the walk.
 * The caller has read the top-level header block already: hdr_len and
 * body_off as smtpstatus__split_headers() gives them, ct and cte its
 * parsed Content-Type and Content-Transfer-Encoding (so that block is not
 * read twice). */
void smtpstatus__walk_scanned(const char *buf, size_t len, size_t hdr_len, size_t body_off,
                              const struct smtpstatus__ctype *ct, int cte,
                              int (*visit)(const struct smtpstatus__part *part, void *ctx), void *ctx);

/* The DSN reader (dsn.c), behind smtpstatus_parse_dsn() in api.c;
 * arguments already checked. */
int smtpstatus__parse_dsn(const char *buf, size_t len, struct smtpstatus_dsn *out,
                          struct smtpstatus_dsn_recipient *rcpts, size_t *nrcpts, char *scratch,
                          size_t scratch_size);

#endif
