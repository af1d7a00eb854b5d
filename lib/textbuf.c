/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * A bounded string builder with snprintf() semantics: it writes at most
 * size - 1 bytes and a NUL, and counts the full length so that callers can
 * size a second attempt. It is used instead of snprintf() so that output
 * never depends on the locale and nothing can allocate.
 */

#include <limits.h>

#include "internal.h"

void smtpstatus__out_init(struct smtpstatus__out *o, char *buf, size_t size)
{
    o->buf = buf;
    o->size = size;
    o->len = 0;
}

void smtpstatus__out_bytes(struct smtpstatus__out *o, const char *s, size_t n)
{
    if (o->size > 0 && o->len < o->size - 1) {
        size_t room = o->size - 1 - o->len;
        memcpy(o->buf + o->len, s, n < room ? n : room);
    }
    o->len += n;
}

void smtpstatus__out_str(struct smtpstatus__out *o, const char *s)
{
    smtpstatus__out_bytes(o, s, strlen(s));
}

void smtpstatus__out_uint(struct smtpstatus__out *o, unsigned long v)
{
    char digits[24];
    size_t n = sizeof digits;

    do {
        digits[--n] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    smtpstatus__out_bytes(o, digits + n, sizeof digits - n);
}

void smtpstatus__out_code(struct smtpstatus__out *o, const struct smtpstatus_enhanced *code)
{
    if (code->cls == 0)
        smtpstatus__out_bytes(o, "X", 1);
    else
        smtpstatus__out_uint(o, code->cls);
    smtpstatus__out_bytes(o, ".", 1);
    smtpstatus__out_uint(o, code->subject);
    smtpstatus__out_bytes(o, ".", 1);
    smtpstatus__out_uint(o, code->detail);
}

int smtpstatus__out_finish(struct smtpstatus__out *o)
{
    if (o->size > 0)
        o->buf[o->len < o->size ? o->len : o->size - 1] = '\0';
    return o->len > INT_MAX ? INT_MAX : (int)o->len;
}
