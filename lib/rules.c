/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * The classifier's rules, compiled by lib/gen/gen-rules.py from lib/data/
 * into static const tables, and the matching over them.
 *
 * Text matching runs an Aho-Corasick automaton over the input once: time
 * linear in the input whatever the number of patterns, no backtracking, no
 * allocation. ASCII letters are folded to lower case through the byte
 * classes; other bytes (UTF-8 in non-English patterns, or garbage) compare
 * exactly, so any byte sequence is safe input. The shallow states, where
 * text spends most of its bytes, are a DFA (a full row per state); the deep
 * ones keep their edges and failure links, which bounds the table size.
 */

#include "internal.h"

#include "smtpstatus-rules.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define WILDCARD 0xFFFFu

/* At most this many occurrences of patterns with provider rules are kept
 * for weighing after the scan; plain text rules have no such limit. */
#define MATCHES_MAX 64

const char *smtpstatus__rstring(uint32_t off)
{
    return off == 0 ? NULL : SMTPSTATUS__RPOOL + off;
}

const struct smtpstatus__reason_row *smtpstatus__reason(unsigned reason)
{
    return reason < COUNT(smtpstatus__reasons) ? &smtpstatus__reasons[reason] : NULL;
}

size_t smtpstatus__reason_count(void)
{
    return COUNT(smtpstatus__reasons);
}

const struct smtpstatus__rule_row *smtpstatus__rule(unsigned index)
{
    return index < COUNT(smtpstatus__rules) ? &smtpstatus__rules[index] : NULL;
}

const char *smtpstatus__sisimai_name(unsigned index)
{
    return index < COUNT(smtpstatus__sisimai_names)
               ? smtpstatus__rstring(smtpstatus__sisimai_names[index])
               : NULL;
}

const char *smtpstatus__provider_key(unsigned index)
{
    return index < SMTPSTATUS__PROVIDER_COUNT
               ? smtpstatus__rstring(smtpstatus__providers[index].key)
               : NULL;
}

const struct smtpstatus__advice_row *smtpstatus__find_advice(unsigned subject, unsigned detail)
{
    const struct smtpstatus__advice_row *subject_row = NULL;

    for (size_t i = 0; i < COUNT(smtpstatus__advice); i++) {
        const struct smtpstatus__advice_row *row = &smtpstatus__advice[i];
        if (row->subject != subject)
            continue;
        if (row->detail == detail)
            return row;
        if (row->detail == WILDCARD)
            subject_row = row;
    }
    return subject_row;
}

/* The order of evidence: confidence, then the tier on a confidence tie
 * (provider > text > enhanced code > reply code), then (between two
 * phrases) the longer, more specific one; on a full tie the first found
 * stays ahead. Confidence and tier make one number, compared once. */
static unsigned rank(const struct smtpstatus__candidate *a)
{
    static const uint8_t tier[8] = {
        [SMTPSTATUS__KIND_PROVIDER] = 3,
        [SMTPSTATUS__KIND_TEXT] = 2,
        [SMTPSTATUS__KIND_CODE] = 1,
    };
    return (unsigned)a->conf << 2 | (a->kind < 8 ? tier[a->kind] : 0u);
}

static int stronger(const struct smtpstatus__candidate *a, unsigned rank_a,
                    const struct smtpstatus__candidate *b)
{
    unsigned rank_b = rank(b);
    return rank_a > rank_b || (rank_a == rank_b && a->len > b->len);
}

void smtpstatus__collect(struct smtpstatus__collector *c, const struct smtpstatus__candidate *cand)
{
    unsigned n = c->count, pos, r = rank(cand);

    /* Full, and no stronger than the last: nothing changes (the usual case
     * for the weaker code rules after the text's). */
    if (n == SMTPSTATUS_EVIDENCE_MAX && !stronger(cand, r, &c->best[n - 1]))
        return;
    for (unsigned i = 0; i < n; i++)
        if (c->best[i].rule == cand->rule && c->best[i].kind == cand->kind)
            return; /* the same rule again: keep its first occurrence */
    for (pos = 0; pos < n && !stronger(cand, r, &c->best[pos]); pos++)
        ;
    if (pos >= SMTPSTATUS_EVIDENCE_MAX)
        return;
    if (n < SMTPSTATUS_EVIDENCE_MAX)
        c->count = ++n;
    /* At most three moves: a copy each, not a call to memmove. */
    switch (n - 1 - pos) {
    case 3:
        c->best[pos + 3] = c->best[pos + 2];
        /* fall through */
    case 2:
        c->best[pos + 2] = c->best[pos + 1];
        /* fall through */
    case 1:
        c->best[pos + 1] = c->best[pos];
        break;
    default:
        break;
    }
    c->best[pos] = *cand;
}

/* host[0..len) against a lower-case domain of n bytes, ignoring ASCII
 * case: <0, 0 or >0, as memcmp. */
static int compare_domain(const char *host, size_t len, const char *domain, size_t n)
{
    size_t m = len < n ? len : n;

    for (size_t i = 0; i < m; i++) {
        unsigned char a = smtpstatus__lower((unsigned char)host[i]), b = (unsigned char)domain[i];
        if (a != b)
            return a < b ? -1 : 1;
    }
    return len < n ? -1 : len > n;
}

/* The provider whose domain is exactly host[0..len), or -1. */
static int provider_of_domain(const char *host, size_t len)
{
    size_t lo = 0, hi = SMTPSTATUS__DOMAIN_COUNT;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct smtpstatus__domain_row *d = &smtpstatus__domain_index[mid];
        int c = compare_domain(host, len, SMTPSTATUS__RPOOL + d->name, d->len);
        if (c == 0)
            return d->provider;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return -1;
}

uint64_t smtpstatus__providers_for_host(const char *host, size_t len)
{
    uint64_t bits = 0;

    if (host == NULL)
        return 0;
    /* Tolerate a trailing dot (an absolute name), space or bracket. */
    while (len > 0 && (host[len - 1] == '.' || host[len - 1] == ']' || host[len - 1] == ' '))
        len--;
    /* The host is a provider's domain or inside one: look up the host
     * and each suffix after a dot, a binary search each. */
    for (size_t at = 0; at < len;) {
        const char *dot;
        int p = provider_of_domain(host + at, len - at);
        if (p >= 0)
            bits |= (uint64_t)1 << p;
        dot = memchr(host + at, '.', len - at);
        if (dot == NULL)
            break;
        at = (size_t)(dot - host) + 1;
    }
    return bits;
}

#define TARGET_HAS_OUTPUT 0x8000u
#define TARGET_STATE 0x7FFFu

/* A transition from a deep state (inside a long pattern): its few edges,
 * else its failure link, which leads back to a full row within a step or
 * two. Returns the target with its output bit. */
static unsigned deep_step(unsigned state, unsigned char c, unsigned cls)
{
    c = smtpstatus__lower(c);
    if (cls == 0)
        return 0; /* a byte no pattern contains: back to the root */
    while (state >= SMTPSTATUS__AC_DENSE) {
        const struct smtpstatus__ac_deep *d = &smtpstatus__ac_deep[state - SMTPSTATUS__AC_DENSE];
        for (unsigned i = 0; i < d->edge_count; i++)
            if (smtpstatus__ac_edge_byte[d->edge_first + i] == c)
                return smtpstatus__ac_edge_target[d->edge_first + i];
        state = d->fail;
    }
    return smtpstatus__ac_rows[state * SMTPSTATUS__AC_CLASSES + cls];
}

static int status_matches(const struct smtpstatus__rule_row *r, const struct smtpstatus__facts *f)
{
    if (!r->has_status)
        return 1;
    if (!f->has_enhanced)
        return 0;
    if (r->st_cls != 0 && r->st_cls != f->enhanced.cls)
        return 0;
    if (r->st_subject != WILDCARD && r->st_subject != f->enhanced.subject)
        return 0;
    if (r->st_detail != WILDCARD && r->st_detail != f->enhanced.detail)
        return 0;
    return 1;
}

static int reply_matches(const struct smtpstatus__rule_row *r, unsigned reply)
{
    if (r->reply_count == 0)
        return 1;
    for (unsigned i = 0; i < r->reply_count; i++) {
        unsigned v = smtpstatus__reply_values[r->reply_first + i];
        if (v == reply || (v < 10 && reply / 100 == v))
            return 1;
    }
    return 0;
}

/* Constraints shared by every kind of rule. */
static int rule_applies(const struct smtpstatus__rule_row *r, const struct smtpstatus__facts *f)
{
    if (r->provider != 0 && !(f->providers & ((uint64_t)1 << (r->provider - 1))))
        return 0;
    if (r->cls != 0 && r->cls != f->cls)
        return 0;
    if (r->stage != 0 && r->stage != f->stage)
        return 0;
    return status_matches(r, f) && reply_matches(r, f->reply);
}

static int word_boundary(const char *text, size_t len, size_t start, size_t end, unsigned flags)
{
    if ((flags & SMTPSTATUS__PATTERN_WORD_BEFORE) && start > 0 && smtpstatus__is_alnum((unsigned char)text[start - 1]))
        return 0;
    if ((flags & SMTPSTATUS__PATTERN_WORD_AFTER) && end < len && smtpstatus__is_alnum((unsigned char)text[end]))
        return 0;
    return 1;
}

static void offer_match(const struct smtpstatus__facts *f, struct smtpstatus__collector *c,
                        const struct smtpstatus__pattern_row *p, size_t end, int provider_rules)
{
    for (unsigned k = 0; k < p->rule_count; k++) {
        unsigned ri = smtpstatus__pattern_rules[p->rule_first + k];
        const struct smtpstatus__rule_row *r = &smtpstatus__rules[ri];
        struct smtpstatus__candidate cand;

        if ((r->provider != 0) != provider_rules || !rule_applies(r, f))
            continue;
        cand.rule = (uint16_t)ri;
        cand.kind = r->kind;
        cand.conf = r->conf;
        cand.reason = r->reason;
        cand.off = end - p->len;
        cand.len = p->len;
        smtpstatus__collect(c, &cand);
    }
}

void smtpstatus__match_text(struct smtpstatus__facts *f, struct smtpstatus__collector *c)
{
    /* Occurrences of patterns that have provider rules: those are weighed
     * after the scan, because a provider's marker ("- gsmtp") often comes
     * after the phrase its rules look for. Other rules are weighed at once,
     * so no occurrence is ever dropped for them. */
    struct {
        uint16_t pattern;
        size_t end;
    } later[MATCHES_MAX];
    unsigned nlater = 0;
    unsigned state = 0;
    const unsigned char *text = (const unsigned char *)f->text;
    size_t len = f->len;

    for (size_t i = 0; i < len; i++) {
        const struct smtpstatus__ac_out *o;
        unsigned t = 0;

        /* The hot loop: one class load and, in a shallow state, one row
         * load per byte, until a state where patterns end. Shallow rows
         * cover every byte class, so they need no case folding here. */
        for (; i < len; i++) {
            unsigned cls = smtpstatus__ac_class[text[i]];
            t = state < SMTPSTATUS__AC_DENSE ? smtpstatus__ac_rows[state * SMTPSTATUS__AC_CLASSES + cls]
                                             : deep_step(state, text[i], cls);
            state = t & TARGET_STATE;
            if (t & TARGET_HAS_OUTPUT)
                break;
        }
        if (i == len)
            break;
        o = &smtpstatus__ac_outs[state];
        for (unsigned k = 0; k < o->count; k++) {
            uint16_t pid = smtpstatus__ac_out[o->first + k];
            const struct smtpstatus__pattern_row *p = &smtpstatus__patterns[pid];
            if (!word_boundary(f->text, len, i + 1 - p->len, i + 1, p->flags))
                continue;
            if (p->marker)
                f->providers |= (uint64_t)1 << (p->marker - 1);
            if (p->rule_count == 0)
                continue;
            offer_match(f, c, p, i + 1, 0);
            if ((p->flags & SMTPSTATUS__PATTERN_HAS_PROVIDER_RULES) && nlater < MATCHES_MAX) {
                later[nlater].pattern = pid;
                later[nlater].end = i + 1;
                nlater++;
            }
        }
    }
    for (unsigned m = 0; m < nlater; m++)
        offer_match(f, c, &smtpstatus__patterns[later[m].pattern], later[m].end, 1);
}

static void offer(const struct smtpstatus__facts *f, struct smtpstatus__collector *c, unsigned ri)
{
    const struct smtpstatus__rule_row *r = &smtpstatus__rules[ri];
    struct smtpstatus__candidate cand;

    if (!rule_applies(r, f))
        return;
    cand.rule = (uint16_t)ri;
    cand.kind = r->kind;
    cand.conf = r->conf;
    cand.reason = r->reason;
    cand.off = 0;
    cand.len = 0;
    smtpstatus__collect(c, &cand);
}

/* The first index in keys[lo..n) whose key is not below `key`. */
static size_t lower_bound(const uint32_t *keys, size_t lo, size_t n, uint32_t key)
{
    size_t hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (keys[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The same, for a key at the top of the sorted keys: a walk down from the
 * end, over the few keys not below it, gives the same index. */
static size_t lower_bound_from_top(const uint32_t *keys, size_t n, uint32_t key)
{
    while (n > 0 && keys[n - 1] >= key)
        n--;
    return n;
}

/* Offer the rules of `index` (sorted by `keys`) whose key is `key`, from
 * their first index `i`; returns the index past them. Code rules are keyed
 * subject * 1001 + detail, with 1000 for a wildcard; reply rules by the
 * code, or by its first digit for a class wildcard. */
static size_t offer_key(const struct smtpstatus__facts *f, struct smtpstatus__collector *c,
                        const uint16_t *index, const uint32_t *keys, size_t n, size_t i, uint32_t key)
{
    for (; i < n && keys[i] == key; i++)
        offer(f, c, index[i]);
    return i;
}

/* The rules of `index` for the enhanced code: its exact key, its subject
 * with any detail, and the any-code key, the largest there is. When the
 * first two keys are in order, the second search starts where the first
 * stopped. */
static void offer_code_keys(const struct smtpstatus__facts *f, struct smtpstatus__collector *c,
                            const uint16_t *index, const uint32_t *keys, size_t n)
{
    unsigned s = f->enhanced.subject, d = f->enhanced.detail;
    uint32_t exact = s * 1001u + d, any_detail = s * 1001u + 1000u, any = 1000u * 1001u + 1000u;
    size_t i = offer_key(f, c, index, keys, n, lower_bound(keys, 0, n, exact), exact);

    offer_key(f, c, index, keys, n, lower_bound(keys, exact < any_detail ? i : 0, n, any_detail),
              any_detail);
    offer_key(f, c, index, keys, n, lower_bound_from_top(keys, n, any), any);
}

void smtpstatus__match_codes(const struct smtpstatus__facts *f, struct smtpstatus__collector *c)
{
    if (f->has_enhanced) {
        offer_code_keys(f, c, smtpstatus__code_rules, smtpstatus__code_rule_keys,
                        SMTPSTATUS__CODE_RULE_COUNT);
        if (f->providers)
            offer_code_keys(f, c, smtpstatus__provider_code_rules,
                            smtpstatus__provider_code_rule_keys, SMTPSTATUS__PROVIDER_CODE_RULE_COUNT);
    }
    if (f->reply) {
        const uint32_t *keys = smtpstatus__reply_rule_keys;
        size_t n = SMTPSTATUS__REPLY_RULE_COUNT, cls = 0;

        offer_key(f, c, smtpstatus__reply_rules, keys, n, lower_bound(keys, 0, n, f->reply),
                  f->reply);
        /* The class keys (2 to 5) are the first few: a walk finds them. */
        while (cls < n && keys[cls] < f->reply / 100)
            cls++;
        offer_key(f, c, smtpstatus__reply_rules, keys, n, cls, f->reply / 100);
    }
}
