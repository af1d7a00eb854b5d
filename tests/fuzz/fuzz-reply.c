/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * Fuzz target for smtpstatus_parse_reply() and what reads its result:
 * smtpstatus_reply_next_line(), smtpstatus_explain_reply() and
 * smtpstatus_classify_reply().
 *
 * The first byte selects the mode:
 *   bit 0     SMTPSTATUS_REPLY_AT_EOF
 *   bit 1     SMTPSTATUS_REPLY_STRICT_CRLF
 *   bit 2     SMTPSTATUS_REPLY_LENIENT (with bit 1: must be refused, then
 *             run without bit 1)
 *   bits 3-5  the stage given to smtpstatus_classify_reply()
 *   bit 6     amplify, to reach the limits (SMTPSTATUS_REPLY_LINE_MAX,
 *             SMTPSTATUS_REPLY_LINES_MAX) with short inputs: the next three
 *             bytes are R, H and B, then the input is head (H bytes),
 *             body (B bytes) and tail (the rest), and the body is repeated
 *             980 + (R & 63) times (R < 128: around a thousand lines) or
 *             8100 + (R & 127) times (R >= 128: around a line of 8192
 *             bytes), within 16 KiB
 *   bit 7     small chunks in the incremental run
 * The rest is the reply, in a block of exactly its size.
 *
 * Beyond the checks of fuzz.h, in the wire mode (neither AT_EOF nor
 * LENIENT) the bytes are also fed as a client receives them, in growing
 * prefixes, each in a block of exactly its size: a prefix's result is never
 * OK with more consumed than it holds, and agrees with the whole buffer's
 * (a reply that is complete in a prefix is the same reply in the whole
 * buffer; a prefix of an incomplete reply is incomplete). Pipelined replies
 * are then read one after the other.
 */

#include "fuzz.h"

struct result {
    int rc;
    struct smtpstatus_reply r;
};

static struct result parse(const char *buf, size_t len, unsigned flags)
{
    struct result res;

    res.r = (struct smtpstatus_reply)SMTPSTATUS_REPLY_INIT;
    res.rc = smtpstatus_parse_reply(buf, len, flags, &res.r);
    fuzz_check_reply(buf, len, flags, res.rc, &res.r);
    return res;
}

static int same_reply(const struct smtpstatus_reply *a, const struct smtpstatus_reply *b)
{
    return a->code == b->code && a->line_count == b->line_count && a->consumed == b->consumed &&
           a->span.off == b->span.off && a->span.len == b->span.len &&
           a->has_enhanced == b->has_enhanced &&
           (!a->has_enhanced || smtpstatus_compare_enhanced(&a->enhanced, &b->enhanced) == 0);
}

/* `part`, the result for a prefix of `p` bytes, against `whole`, the result
 * for the whole buffer. */
static void relate(const struct result *part, size_t p, const struct result *whole)
{
    if (part->rc == SMTPSTATUS_OK) {
        FUZZ_CHECK(part->r.consumed <= p);
        /* Complete in the prefix: the same reply in the whole buffer. */
        FUZZ_CHECK(whole->rc == SMTPSTATUS_OK);
        FUZZ_CHECK(same_reply(&part->r, &whole->r));
    }
    if (whole->rc == SMTPSTATUS_OK) {
        if (p < whole->r.consumed)
            FUZZ_CHECK(part->rc == SMTPSTATUS_INCOMPLETE);
        else
            FUZZ_CHECK(part->rc == SMTPSTATUS_OK);
    }
    if (whole->rc == SMTPSTATUS_INCOMPLETE)
        FUZZ_CHECK(part->rc == SMTPSTATUS_INCOMPLETE);
}

/* The first `p` bytes of buf, alone in a block of exactly p bytes. */
static struct result parse_prefix(const char *buf, size_t p, unsigned flags)
{
    char *part = fuzz_dup(buf, p);
    struct result res = parse(part, p, flags);

    free(part);
    return res;
}

static void check_prefix(const char *buf, size_t p, unsigned flags, const struct result *whole)
{
    struct result res = parse_prefix(buf, p, flags);
    relate(&res, p, whole);
}

/* A client reading pipelined replies off a socket: chunks arrive, the
 * buffer is parsed after each, a complete reply is consumed. */
static void stream(const char *buf, size_t len, unsigned flags, uint64_t seed, int small)
{
    size_t pos = 0, avail = 0, replies = 0, steps = 0;
    size_t most = small ? 8 : 200;
    uint64_t rng = seed | 1;
    struct result whole = parse(buf, len, flags);

    /* Keep the number of parses near a hundred per reply or so. */
    if (most < len / 64)
        most = len / 64;
    while (pos < len && steps++ < 4 * len + 8) {
        size_t chunk;
        struct result res;

        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        chunk = 1 + (size_t)(rng % most);
        avail = avail + chunk > len ? len : avail + chunk;
        res = parse_prefix(buf + pos, avail - pos, flags);
        relate(&res, avail - pos, &whole);
        if (res.rc == SMTPSTATUS_OK) {
            pos += res.r.consumed;
            replies++;
            FUZZ_CHECK(replies <= len);
            /* The next reply, against the rest of the buffer. */
            whole = parse(buf + pos, len - pos, flags);
        } else if (res.rc != SMTPSTATUS_INCOMPLETE || avail == len) {
            break;
        }
    }
}

/* Head, body repeated, tail (see the mode byte), in a block of exactly
 * its size. */
static char *amplify(const uint8_t *p, size_t n, size_t *out_len)
{
    size_t r = p[0], head = p[1], body = p[2], tail, times, len, at = 0;
    char *buf;

    p += 3;
    n -= 3;
    if (head > n)
        head = n;
    if (body > n - head)
        body = n - head;
    tail = n - head - body;
    times = r < 128 ? 980 + (r & 63) : 8100 + (r & 127);
    if (body == 0)
        times = 0;
    else if (body * times > 16384)
        times = 16384 / body; /* enough for both limits, and fast */
    len = head + body * times + tail;
    *out_len = len;
    if (len == 0)
        return NULL;
    buf = malloc(len);
    if (buf == NULL)
        abort();
    memcpy(buf, p, head);
    at = head;
    for (size_t i = 0; i < times; i++, at += body)
        memcpy(buf + at, p + head, body);
    if (tail > 0)
        memcpy(buf + at, p + head + body, tail);
    return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned mode, flags;
    int stage;
    char *buf;
    size_t len;
    uint64_t seed;
    struct smtpstatus_reply r;
    struct result res;

    if (size < 1)
        return 0;
    mode = data[0];
    flags = mode & 7u;
    stage = (int)((mode >> 3) & 7u);
    seed = fuzz_hash(data, size);
    if ((mode & 0x40u) && size >= 4) {
        buf = amplify(data + 1, size - 1, &len);
    } else {
        len = size - 1;
        buf = fuzz_dup(data + 1, len);
    }

    if ((flags & SMTPSTATUS_REPLY_STRICT_CRLF) && (flags & SMTPSTATUS_REPLY_LENIENT)) {
        r = (struct smtpstatus_reply)SMTPSTATUS_REPLY_INIT;
        FUZZ_CHECK(smtpstatus_parse_reply(buf, len, flags, &r) == SMTPSTATUS_E_INVALID_ARG);
        flags &= ~(unsigned)SMTPSTATUS_REPLY_STRICT_CRLF;
    }
    /* Unknown flags and a struct too small are refused. */
    r = (struct smtpstatus_reply)SMTPSTATUS_REPLY_INIT;
    FUZZ_CHECK(smtpstatus_parse_reply(buf, len, flags | (1u << 7), &r) ==
               SMTPSTATUS_E_INVALID_ARG);
    r.size = sizeof(size_t);
    FUZZ_CHECK(smtpstatus_parse_reply(buf, len, flags, &r) == SMTPSTATUS_E_STRUCT_SIZE);

    /* The mode asked for, in full. */
    res.rc = fuzz_parse_reply(buf, len, flags, &res.r, stage, seed);

    /* A newer caller's bigger struct: the library writes only its own part. */
    {
        struct {
            struct smtpstatus_reply r;
            unsigned char tail[24];
        } big;
        memset(&big, 0xa5, sizeof big);
        big.r.size = sizeof big;
        FUZZ_CHECK(smtpstatus_parse_reply(buf, len, flags, &big.r) == res.rc);
        FUZZ_CHECK(big.r.size == sizeof big);
        for (size_t i = 0; i < sizeof big.tail; i++)
            FUZZ_CHECK(big.tail[i] == 0xa5);
        if (res.rc == SMTPSTATUS_OK)
            FUZZ_CHECK(same_reply(&big.r, &res.r));
    }

    /* A cursor that reply_next_line() never gave (it is the caller's
     * variable): refused or read safely, never outside the reply. */
    if (res.rc == SMTPSTATUS_OK) {
        size_t cursor = (size_t)(seed % (len + 3));
        struct smtpstatus_span text;
        int lrc = smtpstatus_reply_next_line(buf, len, &res.r, &cursor, &text);
        FUZZ_CHECK(lrc == SMTPSTATUS_OK || lrc == SMTPSTATUS_E_NOT_FOUND ||
                   lrc == SMTPSTATUS_E_INVALID_ARG);
        if (lrc == SMTPSTATUS_OK)
            FUZZ_CHECK(fuzz_span_within(text, res.r.span));
        /* A shorter buffer than the reply's is refused. */
        cursor = 0;
        FUZZ_CHECK(smtpstatus_reply_next_line(buf, res.r.span.off + res.r.span.len - 1, &res.r,
                                              &cursor, &text) != SMTPSTATUS_OK);
    }

    /* The other modes agree where they must. */
    if (!(flags & SMTPSTATUS_REPLY_LENIENT)) {
        unsigned wire = flags & ~(unsigned)SMTPSTATUS_REPLY_AT_EOF;
        struct result w = parse(buf, len, wire);
        struct result eof = parse(buf, len, wire | SMTPSTATUS_REPLY_AT_EOF);
        /* A reply complete on the wire is the same reply at end of input. */
        if (w.rc == SMTPSTATUS_OK) {
            FUZZ_CHECK(eof.rc == SMTPSTATUS_OK);
            FUZZ_CHECK(same_reply(&w.r, &eof.r));
        }
        if (w.rc == SMTPSTATUS_INCOMPLETE)
            FUZZ_CHECK(eof.rc != SMTPSTATUS_INCOMPLETE);
        /* What strict CRLF accepts, the default accepts alike. */
        if (flags & SMTPSTATUS_REPLY_STRICT_CRLF) {
            struct result loose = parse(buf, len, wire & ~(unsigned)SMTPSTATUS_REPLY_STRICT_CRLF);
            if (w.rc == SMTPSTATUS_OK) {
                FUZZ_CHECK(loose.rc == SMTPSTATUS_OK);
                FUZZ_CHECK(same_reply(&w.r, &loose.r));
                FUZZ_CHECK(!(loose.r.anomalies & SMTPSTATUS_ANOMALY_BARE_LF));
            }
        }
    } else {
        /* Lenient mode also reads a wire reply. */
        struct result wire = parse(buf, len, SMTPSTATUS_REPLY_AT_EOF);
        (void)wire;
    }

    /* Incremental use, in the wire mode only. */
    if (!(flags & (SMTPSTATUS_REPLY_AT_EOF | SMTPSTATUS_REPLY_LENIENT))) {
        struct result whole = parse(buf, len, flags);
        /* A split chosen by the data (its last byte). */
        if (len > 0)
            check_prefix(buf, (size_t)data[size - 1] * (len + 1) / 256, flags, &whole);
        /* Every prefix of a short input. */
        if (len <= 64) {
            for (size_t p = 0; p <= len; p++)
                check_prefix(buf, p, flags, &whole);
        } else if (whole.rc == SMTPSTATUS_OK) {
            /* Around the end of the reply. */
            size_t c = whole.r.consumed;
            check_prefix(buf, c - 1, flags, &whole);
            check_prefix(buf, c, flags, &whole);
            if (c < len)
                check_prefix(buf, c + 1, flags, &whole);
        }
        stream(buf, len, flags, seed, (mode & 0x80u) != 0);
    }

    free(buf);
    return 0;
}
