/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * What the DSN tests (test-dsn.c, test-decoders-*.c) share: a message run
 * through the public smtpstatus_parse_dsn() from a copy that ends exactly
 * where the input does, so that reading one byte past `len` is caught,
 * and checks on the text spans it returns.
 *
 * The copy goes either on the heap, sized exactly (ASan then sees reads
 * before and after it), or flush against a PROT_NONE page (guard.h: a
 * read past the end faults at once, with or without a sanitizer).
 */

#ifndef SMTPSTATUS_TESTS_DSN_HELPERS_H
#define SMTPSTATUS_TESTS_DSN_HELPERS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <smtpstatus.h>

#include "guard.h"

/* Recipients one parse keeps; a message with more gives
 * SMTPSTATUS_E_TOO_MANY. */
#define MAX_RCPTS 8

struct parsed {
    int rc;
    struct smtpstatus_dsn dsn;
    size_t n;
    struct smtpstatus_dsn_recipient r[MAX_RCPTS];
    char *heap_copy;    /* the input, when copied to the heap */
    struct guard guard; /* the input, when placed against a guard page */
    char *scratch;
};

/* `msg` with every LF turned into `eol` (the samples are written with LF;
 * the same text must read alike with CRLF or a bare CR). Stores the new
 * length in *len; free() the result. */
static inline char *with_eol(const char *msg, const char *eol, size_t *len)
{
    size_t n = strlen(msg), eol_len = strlen(eol), at = 0;
    char *out = malloc(n * eol_len + 1);

    cr_assert_not_null(out);
    for (size_t i = 0; i < n; i++) {
        if (msg[i] == '\n') {
            memcpy(out + at, eol, eol_len);
            at += eol_len;
        } else {
            out[at++] = msg[i];
        }
    }
    out[at] = '\0';
    *len = at;
    return out;
}

/* Parse `len` bytes of `bytes` from a copy, exactly sized on the heap or,
 * when `guarded`, flush against a guard page. Free the result with
 * release(). */
static inline struct parsed *parse_copy(const char *bytes, size_t len, bool guarded)
{
    struct parsed *p = calloc(1, sizeof *p);
    const char *buf;

    cr_assert_not_null(p);
    if (guarded) {
        buf = guard_place(&p->guard, bytes, len);
    } else {
        /* malloc(0) may give NULL, which the parser rejects as an argument. */
        p->heap_copy = malloc(len ? len : 1);
        cr_assert_not_null(p->heap_copy);
        memcpy(p->heap_copy, bytes, len);
        buf = p->heap_copy;
    }
    /* The header promises that `len` bytes of scratch always suffice; the
     * spare byte keeps malloc(0) out of the way. */
    p->scratch = malloc(len + 1);
    cr_assert_not_null(p->scratch);
    p->dsn.size = sizeof p->dsn;
    p->r[0].size = sizeof p->r[0];
    p->n = MAX_RCPTS;
    p->rc = smtpstatus_parse_dsn(buf, len, 0, &p->dsn, p->r, &p->n, p->scratch, len + 1);
    return p;
}

/* The first `limit` bytes of `msg` once its LF line ends are `eol`, from
 * an exactly sized heap copy. */
static inline struct parsed *parse_part(const char *msg, const char *eol, size_t limit)
{
    size_t len;
    char *text = with_eol(msg, eol, &len);
    struct parsed *p = parse_copy(text, len < limit ? len : limit, false);

    free(text);
    return p;
}

static inline struct parsed *parse_eol(const char *msg, const char *eol)
{
    return parse_part(msg, eol, SIZE_MAX);
}

static inline struct parsed *parse(const char *msg)
{
    return parse_eol(msg, "\n");
}

/* `len` bytes of `bytes`, as they are, flush against a guard page. */
static inline struct parsed *parse_guarded(const char *bytes, size_t len)
{
    return parse_copy(bytes, len, true);
}

static inline void release(struct parsed *p)
{
    if (p->guard.map != NULL)
        guard_release(&p->guard);
    free(p->heap_copy);
    free(p->scratch);
    free(p);
}

static inline bool text_is(const struct smtpstatus_text *t, const char *s)
{
    return t->ptr != NULL && t->len == strlen(s) && memcmp(t->ptr, s, t->len) == 0;
}

static inline bool text_has(const struct smtpstatus_text *t, const char *s)
{
    size_t n = strlen(s);

    if (t->ptr == NULL || t->len < n)
        return false;
    for (size_t i = 0; i + n <= t->len; i++)
        if (memcmp(t->ptr + i, s, n) == 0)
            return true;
    return false;
}

#define assert_text(t, s)                                                                          \
    cr_assert(text_is(&(t), (s)), "got \"%.*s\", want \"%s\"", (int)(t).len,                       \
              (t).ptr ? (t).ptr : "", (s))

#define assert_has(t, s)                                                                           \
    cr_assert(text_has(&(t), (s)), "\"%.*s\" lacks \"%s\"", (int)(t).len,                         \
              (t).ptr ? (t).ptr : "", (s))

#endif
