/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * Fuzz target for the classifier: smtpstatus_classify_text(),
 * smtpstatus_classify() (with a provider host hint and codes taken from the
 * data), smtpstatus_classify_reply(), then smtpstatus_explain_verdict() and
 * smtpstatus_retry_advice() on every verdict, and the name parsers
 * smtpstatus_stage_from_name() and smtpstatus_reason_from_name().
 *
 * The first byte selects the mode:
 *   bits 0-3  the stage (10 to 15 are outside the enum: they must not
 *             crash, though the verdict may echo them)
 *   bit 4     also call smtpstatus_classify() with the facts the text
 *             gives, which must give the verdict classify_text() gives
 *   bit 5     a host hint: the next byte is its length, the host follows
 *   bit 6     codes for smtpstatus_classify(): 2 bytes reply code, 1 byte
 *             class, 2 bytes subject, 2 bytes detail (little-endian)
 *   bit 7     also explain and advise on a verdict made of raw bytes
 * The rest is the text. Text and host each get a block of exactly their
 * size.
 *
 * Every time, the classifier's phrase matcher must find in the text exactly
 * the matches of an obviously correct search, in the same order
 * (tests/phrase-reference.h).
 */

#include "fuzz.h"

#include "../phrase-reference.h"

static const char *const rules[] = { "fuzz.rule", "text.en.user-unknown", "" };

static uint16_t le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static int same_verdict(const struct smtpstatus_verdict *a, const struct smtpstatus_verdict *b)
{
    if (a->outcome != b->outcome || a->bounce != b->bounce || a->reason != b->reason ||
        a->party != b->party || a->action != b->action || a->retry_after != b->retry_after ||
        a->flags != b->flags || a->confidence != b->confidence || a->reply_code != b->reply_code ||
        a->has_enhanced != b->has_enhanced || a->stage != b->stage ||
        a->evidence_count != b->evidence_count || a->provider != b->provider)
        return 0;
    if (a->has_enhanced && smtpstatus_compare_enhanced(&a->enhanced, &b->enhanced) != 0)
        return 0;
    for (uint32_t i = 0; i < a->evidence_count; i++) {
        if (a->evidence[i].reason != b->evidence[i].reason ||
            a->evidence[i].kind != b->evidence[i].kind ||
            a->evidence[i].span.off != b->evidence[i].span.off ||
            a->evidence[i].span.len != b->evidence[i].span.len)
            return 0;
    }
    return 1;
}

/* The matcher against the reference; the lists are kept between runs. */
static void check_phrases(const char *text, size_t len)
{
    static struct phrase_hits want, got;
    long diff;

    phrase_reference(text, len, &want);
    phrase_matcher(text, len, &got);
    diff = phrase_first_difference(&want, &got);
    if (diff >= 0)
        fprintf(stderr, "phrase match %ld differs: %zu wanted, %zu found\n", diff, want.n, got.n);
    FUZZ_CHECK(diff < 0);
}

/* A verdict made of raw bytes: out-of-range enum values must be explained
 * and advised on all the same (the name functions answer "unknown"). Its
 * evidence keeps to the documented contract: at most four items, spans
 * inside the text, static rule strings. */
static void raw_verdict(const uint8_t *p, size_t n, const char *text, size_t len, uint64_t seed)
{
    struct smtpstatus_verdict v = SMTPSTATUS_VERDICT_INIT;
    struct smtpstatus_retry r = SMTPSTATUS_RETRY_INIT;
    struct fuzz_explain_verdict_ctx ctx = { text, len, &v };
    uint8_t b[24];
    int rc;

    memset(b, 0, sizeof b);
    memcpy(b, p, n < sizeof b ? n : sizeof b);
    v.outcome = b[0] & 0x80 ? b[0] : b[0] % 6;
    v.bounce = b[1] & 0x80 ? b[1] : b[1] % 3;
    v.reason = b[2] & 0x80 ? b[2] : b[2] % 40;
    v.party = b[3] % 12;
    v.action = b[4] % 16;
    v.retry_after = b[5] & 0x80 ? UINT32_MAX : (uint32_t)b[5] * 60u;
    v.flags = b[6];
    v.confidence = b[7];
    v.reply_code = le16(b + 8);
    v.has_enhanced = b[10] & 1;
    v.enhanced.cls = b[10] >> 1;
    v.enhanced.subject = b[11];
    v.enhanced.detail = b[12];
    v.stage = b[13] % 16;
    v.provider = b[14] & 1 ? "gmail" : NULL;
    v.sisimai_reason = b[14] & 2 ? "userunknown" : NULL;
    v.powermta_category = b[14] & 4 ? "bad-mailbox" : NULL;
    v.sparkpost_class = b[15];
    v.evidence_count = b[16] % (SMTPSTATUS_EVIDENCE_MAX + 1);
    for (uint32_t i = 0; i < v.evidence_count; i++) {
        struct smtpstatus_evidence *e = &v.evidence[i];
        uint8_t x = b[17 + i];
        e->kind = x % 8;
        e->reason = (uint32_t)x * 7u % 48u;
        e->confidence = x;
        e->rule = rules[x % 3];
        e->source = rules[(x >> 2) % 3];
        e->span.off = len ? (size_t)(seed >> (8 * i)) % (len + 1) : 0;
        e->span.len = len - e->span.off ? (size_t)x % (len - e->span.off + 1) : 0;
    }
    rc = fuzz_check_snprintf(fuzz_write_verdict, &ctx, (size_t)seed);
    FUZZ_CHECK(rc >= 0 || rc == SMTPSTATUS_E_INVALID_ARG);
    rc = smtpstatus_retry_advice(&v, seed, (uint32_t)(seed >> 32), &r);
    FUZZ_CHECK(rc == SMTPSTATUS_OK || rc == SMTPSTATUS_E_INVALID_ARG);
    if (rc == SMTPSTATUS_OK)
        FUZZ_CHECK(r.decision <= SMTPSTATUS_RETRY_GIVE_UP);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned mode;
    int stage, strict_stage;
    const uint8_t *p, *end;
    char *text = NULL, *host = NULL;
    size_t len, host_len = 0;
    uint64_t seed;
    struct smtpstatus_classify_input in = SMTPSTATUS_CLASSIFY_INPUT_INIT;
    struct smtpstatus_verdict v = SMTPSTATUS_VERDICT_INIT, vt = SMTPSTATUS_VERDICT_INIT;
    int have_codes = 0, wild_codes = 0;

    if (size < 1)
        return 0;
    mode = data[0];
    stage = (int)(mode & 15u);
    strict_stage = stage <= FUZZ_STAGE_MAX;
    p = data + 1;
    end = data + size;
    seed = fuzz_hash(data, size);

    if ((mode & 0x20u) && p < end) {
        size_t want = *p++;
        host_len = want < (size_t)(end - p) ? want : (size_t)(end - p);
        host = fuzz_dup(p, host_len);
        p += host_len;
    }
    if ((mode & 0x40u) && end - p >= 7) {
        have_codes = 1;
        in.reply_code = le16(p);
        in.has_enhanced = true;
        in.enhanced.cls = p[2];
        in.enhanced.subject = le16(p + 3);
        in.enhanced.detail = le16(p + 5);
        /* Mostly valid values, sometimes anything. */
        if (!(p[2] & 0x80)) {
            static const uint8_t classes[] = { 0, 2, 4, 5 };
            in.reply_code = in.reply_code % 401u + 199u; /* 199: out of range */
            in.has_enhanced = (p[2] & 3) != 0;
            in.enhanced.cls = classes[p[2] & 3];
            in.enhanced.subject %= 8;
            in.enhanced.detail %= 1000;
            if (p[2] & 0x40)
                in.reply_code = 0;
        } else {
            wild_codes = 1;
        }
        p += 7;
    }
    len = (size_t)(end - p);
    text = fuzz_dup(p, len);

    check_phrases(text, len);

    /* The text alone. */
    FUZZ_CHECK(smtpstatus_classify_text(text, len, stage, &vt) == SMTPSTATUS_OK);
    fuzz_check_verdict(&vt, text, len, strict_stage, seed);
    FUZZ_CHECK(smtpstatus_classify_text(text, len, -1, &v) == SMTPSTATUS_E_INVALID_ARG);

    /* Through the lenient parser and smtpstatus_classify_reply(). */
    {
        struct smtpstatus_reply r;
        (void)fuzz_parse_reply(text, len, SMTPSTATUS_REPLY_LENIENT, &r, stage, seed);
    }

    /* The same facts by hand give the same verdict (the header: the reply
     * found as lenient mode does; failing an enhanced code in it, the first
     * one in the text). */
    if (mode & 0x30u) {
        struct smtpstatus_classify_input same = SMTPSTATUS_CLASSIFY_INPUT_INIT;
        struct smtpstatus_reply r = SMTPSTATUS_REPLY_INIT;
        struct smtpstatus_verdict vs = SMTPSTATUS_VERDICT_INIT;
        same.text = text;
        same.text_len = len;
        same.stage = (uint32_t)stage;
        if (smtpstatus_parse_reply(text, len, SMTPSTATUS_REPLY_LENIENT, &r) == SMTPSTATUS_OK) {
            same.reply_code = r.code;
            same.has_enhanced = r.has_enhanced;
            same.enhanced = r.enhanced;
            if (!stage)
                same.stage = r.stage;
        }
        if (!same.has_enhanced &&
            smtpstatus_find_enhanced(text, len, 0, &same.enhanced, NULL) == SMTPSTATUS_OK)
            same.has_enhanced = true;
        FUZZ_CHECK(smtpstatus_classify(&same, &vs) == SMTPSTATUS_OK);
        FUZZ_CHECK(same_verdict(&vs, &vt));

        /* With the host hint. */
        if (host_len > 0 || (mode & 0x20u)) {
            same.host = host;
            same.host_len = host_len;
            vs = (struct smtpstatus_verdict)SMTPSTATUS_VERDICT_INIT;
            FUZZ_CHECK(smtpstatus_classify(&same, &vs) == SMTPSTATUS_OK);
            fuzz_check_verdict(&vs, text, len, strict_stage, seed);
        }
    }

    /* The facts from the data. */
    if (have_codes) {
        int rc, bad;
        in.text = text;
        in.text_len = len;
        in.stage = (uint32_t)stage;
        in.host = host;
        in.host_len = host_len;
        bad = (in.reply_code != 0 && (in.reply_code < 200 || in.reply_code > 599)) ||
              (in.has_enhanced && in.enhanced.cls != 2 && in.enhanced.cls != 4 &&
               in.enhanced.cls != 5);
        v = (struct smtpstatus_verdict)SMTPSTATUS_VERDICT_INIT;
        rc = smtpstatus_classify(&in, &v);
        FUZZ_CHECK(rc == (bad ? SMTPSTATUS_E_BAD_CODE : SMTPSTATUS_OK));
        if (rc == SMTPSTATUS_OK) {
            if (wild_codes) {
                /* Out-of-range sub-codes (over 999) are the caller's
                 * mistake: survive them, explain and advise. */
                struct fuzz_explain_verdict_ctx ctx = { text, len, &v };
                FUZZ_CHECK(fuzz_check_snprintf(fuzz_write_verdict, &ctx, (size_t)seed) >= 0);
                fuzz_check_retry(&v, seed);
            } else {
                fuzz_check_verdict(&v, text, len, strict_stage, seed);
                if (in.reply_code)
                    FUZZ_CHECK(v.reply_code == in.reply_code);
            }
        }
    }

    /* Argument checks. */
    {
        struct smtpstatus_verdict small = SMTPSTATUS_VERDICT_INIT;
        struct smtpstatus_classify_input nohost = SMTPSTATUS_CLASSIFY_INPUT_INIT;
        small.size = sizeof(size_t);
        FUZZ_CHECK(smtpstatus_classify_text(text, len, 0, &small) == SMTPSTATUS_E_STRUCT_SIZE);
        nohost.host_len = 1;
        FUZZ_CHECK(smtpstatus_classify(&nohost, &v) == SMTPSTATUS_E_INVALID_ARG);
    }

    /* The name parsers read the same bytes. */
    {
        int s = smtpstatus_stage_from_name(text, len);
        int r = smtpstatus_reason_from_name(text, len);
        FUZZ_CHECK(s >= 0 && s <= FUZZ_STAGE_MAX);
        FUZZ_CHECK(r >= 0 && (size_t)r < smtpstatus_reason_count());
        if (host_len > 0) {
            s = smtpstatus_stage_from_name(host, host_len);
            FUZZ_CHECK(s >= 0 && s <= FUZZ_STAGE_MAX);
        }
        FUZZ_CHECK(smtpstatus_stage_name(stage) != NULL);
    }

    if (mode & 0x80u)
        raw_verdict(data + 1, size - 1, text, len, seed);

    free(text);
    free(host);
    return 0;
}
