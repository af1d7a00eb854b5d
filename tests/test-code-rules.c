/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * The code and reply rules come from lists the generator makes for each
 * class, subject and detail and for each reply code (gen-rules.py,
 * compile_code_lists and compile_reply_lists), the most confident first.
 * They must keep the same evidence as the keyed searches they replace,
 * when the evidence is empty, holds one strong text match, or is already
 * full of strong or of weak ones (where a list's walk stops early): over every
 * class a code may have, subjects and details to past the last any rule
 * names, every reply code, every stage and several sets of providers.
 */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "internal.h"

static void same_offers(const struct smtpstatus__facts *f, struct smtpstatus__collector *text)
{
    struct smtpstatus__collector listed = *text, keyed = *text;

    smtpstatus__match_codes(f, &listed);
    smtpstatus__match_codes_keyed(f, &keyed);
    cr_assert_eq(listed.count, keyed.count, "reply %u, %u.%u.%u, stage %u: %u kept, want %u", f->reply,
                 f->enhanced.cls, f->enhanced.subject, f->enhanced.detail, f->stage, listed.count,
                 keyed.count);
    for (unsigned i = 0; i < listed.count; i++)
        cr_assert(listed.best[i].rule == keyed.best[i].rule && listed.best[i].kind == keyed.best[i].kind &&
                      listed.best[i].rank == keyed.best[i].rank,
                  "reply %u, %u.%u.%u, stage %u: evidence %u is rule %u, want %u", f->reply,
                  f->enhanced.cls, f->enhanced.subject, f->enhanced.detail, f->stage, i,
                  listed.best[i].rule, keyed.best[i].rule);
}

Test(code_rules, lists_offer_what_the_keyed_search_offers)
{
    static const unsigned classes[] = { 0, 1, 2, 3, 4, 5, 6, 9 };
    static const unsigned subjects[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 40, 999 };
    static const uint64_t providers[] = { 0, 1, 0x5, ~(uint64_t)0 };
    static const unsigned replies[] = { 0, 1, 99, 199, 600, 999 };
    struct smtpstatus__collector empty, one_text, full_strong, full_weak, full_ties;
    size_t checked = 0;

    memset(&empty, 0, sizeof empty);
    memset(&one_text, 0, sizeof one_text);
    one_text.count = 1; /* a strong text match already kept */
    one_text.best[0].rule = 0;
    one_text.best[0].kind = SMTPSTATUS__KIND_TEXT;
    one_text.best[0].rank = 60 << 2 | 2;
    one_text.best[0].len = 10;
    /* Full: of text matches stronger than most code rules, and of ones
     * weaker than all but the class defaults. */
    memset(&full_strong, 0, sizeof full_strong);
    memset(&full_weak, 0, sizeof full_weak);
    full_strong.count = full_weak.count = SMTPSTATUS_EVIDENCE_MAX;
    for (unsigned i = 0; i < SMTPSTATUS_EVIDENCE_MAX; i++) {
        full_strong.best[i] = one_text.best[0];
        full_strong.best[i].rule = (uint16_t)i;
        full_strong.best[i].rank = (uint16_t)((75 - 5 * i) << 2 | 2);
        full_weak.best[i] = full_strong.best[i];
        full_weak.best[i].rank = (uint16_t)((30 - 5 * i) << 2 | 2);
    }
    /* Full of code and reply ranks without length, each confidence a code
     * rule may have: take_listed() returns at once when a list's first
     * rank is no stronger than the last kept, which ties test. */
    full_ties = full_strong;
    for (unsigned i = 0; i < SMTPSTATUS_EVIDENCE_MAX; i++) {
        full_ties.best[i].kind = SMTPSTATUS__KIND_CODE;
        full_ties.best[i].rule = (uint16_t)(0xFFFF - i); /* no rule's index */
        full_ties.best[i].len = 0;
    }

    for (size_t k = 0; k < sizeof classes / sizeof classes[0]; k++)
        for (size_t s = 0; s < sizeof subjects / sizeof subjects[0]; s++)
            for (unsigned d = 0; d <= 1000; d += d < 40 ? 1 : 480)
                for (unsigned stage = 0; stage <= SMTPSTATUS_STAGE_BDAT; stage += 3)
                    for (size_t p = 0; p < sizeof providers / sizeof providers[0]; p++) {
                        struct smtpstatus__facts f;
                        memset(&f, 0, sizeof f);
                        f.has_enhanced = 1;
                        f.enhanced.cls = (uint8_t)classes[k];
                        f.enhanced.subject = (uint16_t)subjects[s];
                        f.enhanced.detail = (uint16_t)d;
                        f.reply = classes[k] >= 2 && classes[k] <= 5 ? classes[k] * 100 + d % 60 : 0;
                        f.cls = f.reply ? f.reply / 100 : classes[k];
                        f.stage = stage;
                        f.providers = providers[p];
                        same_offers(&f, &empty);
                        same_offers(&f, &one_text);
                        same_offers(&f, &full_strong);
                        same_offers(&f, &full_weak);
                        for (unsigned conf = 5; conf <= 95; conf += 5) {
                            for (unsigned i = 0; i < SMTPSTATUS_EVIDENCE_MAX; i++)
                                full_ties.best[i].rank = (uint16_t)((conf + 15 - 5 * i) << 2 | 1);
                            same_offers(&f, &full_ties);
                        }
                        checked++;
                    }
    for (unsigned reply = 200; reply < 600 + sizeof replies / sizeof replies[0]; reply++)
        for (unsigned stage = 0; stage <= SMTPSTATUS_STAGE_BDAT + 2; stage++)
            for (int enh = 0; enh < 2; enh++) {
                struct smtpstatus__facts f;
                memset(&f, 0, sizeof f);
                f.reply = reply < 600 ? reply : replies[reply - 600];
                f.cls = f.reply >= 200 && f.reply < 600 ? f.reply / 100 : 0;
                f.stage = stage <= SMTPSTATUS_STAGE_BDAT + 1 ? stage : 1000; /* past the last */
                f.has_enhanced = enh;
                f.enhanced.cls = (uint8_t)(f.cls ? f.cls : 5);
                f.enhanced.subject = (uint16_t)(reply % 8);
                f.enhanced.detail = (uint16_t)(reply % 11);
                f.providers = reply % 3 ? 0 : ~(uint64_t)0;
                same_offers(&f, &empty);
                same_offers(&f, &one_text);
                same_offers(&f, &full_strong);
                same_offers(&f, &full_weak);
                checked++;
            }
    cr_log_info("%zu sets of facts", checked);
}

/* The lists are cut after their SMTPSTATUS_EVIDENCE_MAX-th entry that
 * holds for any facts, the reply lists are made for each stage, and a
 * code's list and its reply's are merged into the evidence without
 * collect(): so every reply code with every cell of the code lists (each
 * class, subject and detail to one past the last any rule names), at every
 * stage, with and without providers, keeps what the keyed searches keep. */
Test(code_rules, every_reply_code_with_every_enhanced_cell)
{
    struct smtpstatus__collector empty, one_text, ties;
    size_t checked = 0;

    /* Kept candidates of a code's and a reply's rank, without length: a
     * listed rule of the same rank goes after them. */
    memset(&ties, 0, sizeof ties);
    ties.count = 3;
    for (unsigned i = 0; i < 3; i++) {
        ties.best[i].rule = (uint16_t)(0xFFFF - i); /* no rule's index */
        ties.best[i].kind = i < 2 ? SMTPSTATUS__KIND_CODE : SMTPSTATUS__KIND_REPLY;
    }
    ties.best[0].rank = 80 << 2 | 1;
    ties.best[1].rank = 40 << 2 | 1;
    ties.best[2].rank = 30 << 2 | 0;
    memset(&empty, 0, sizeof empty);
    memset(&one_text, 0, sizeof one_text);
    one_text.count = 1;
    one_text.best[0].kind = SMTPSTATUS__KIND_TEXT;
    one_text.best[0].rank = 30 << 2 | 2;
    one_text.best[0].len = 10;
    for (unsigned reply = 200; reply < 600; reply++)
        for (unsigned k = 0; k < 3; k++)
            for (unsigned s = 0; s <= 9; s++)
                for (unsigned d = 0; d <= 33; d++)
                    for (unsigned stage = 0; stage <= SMTPSTATUS_STAGE_BDAT; stage += 1 + (d & 1)) {
                        struct smtpstatus__facts f;
                        memset(&f, 0, sizeof f);
                        f.reply = reply;
                        f.cls = reply / 100;
                        f.has_enhanced = 1;
                        f.enhanced.cls = (uint8_t)(k == 0 ? 2 : k == 1 ? 4 : 5);
                        f.enhanced.subject = (uint16_t)s;
                        f.enhanced.detail = (uint16_t)d;
                        f.stage = stage;
                        f.providers = (reply + d) % 4 ? 0 : ~(uint64_t)0;
                        same_offers(&f, (reply + s) % 3 == 0 ? &one_text : (reply + s) % 3 == 1 ? &ties : &empty);
                        checked++;
                    }
    cr_log_info("%zu sets of facts", checked);
}

/* smtpstatus__evidence_item() fills a kept candidate's item: its numbers,
 * its rule's id and source as the rule table gives them (NULL for a rule
 * index past the last), its span; and every byte of the item is set,
 * whatever the item held before. */
Test(code_rules, evidence_item_sets_every_byte)
{
    for (unsigned first = 0; first < 0x10000u; first += first < 4000 ? 3 : 997) {
        struct smtpstatus__candidate cand;
        struct smtpstatus_evidence a, b;
        const struct smtpstatus__rule_row *rule = smtpstatus__rule(first);

        memset(&cand, 0, sizeof cand);
        cand.rule = (uint16_t)first;
        cand.kind = (uint8_t)(1 + first % 4);
        cand.conf = (uint8_t)(first * 7);
        cand.reason = (uint8_t)(first * 3);
        cand.off = first % 3 ? first : 0;
        cand.len = first % 3 ? first % 5 + 3 : 0;
        memset(&a, 0xA5, sizeof a);
        memset(&b, 0x5A, sizeof b);
        smtpstatus__evidence_item(&a, &cand);
        smtpstatus__evidence_item(&b, &cand);
        cr_assert(memcmp(&a, &b, sizeof a) == 0, "rule %u: an item keeps bytes it held before", first);
        cr_assert(a.kind == cand.kind && a.reason == cand.reason && a.confidence == cand.conf &&
                      a.span.off == cand.off && a.span.len == cand.len,
                  "rule %u", first);
        cr_assert(a.rule == (rule ? smtpstatus__rstring(rule->id) : NULL) &&
                      a.source == (rule ? smtpstatus__rstring(rule->source) : NULL),
                  "rule %u: id and source", first);
    }
}

/* Every entry of the generator's lists, the patterns' included, carries
 * its rule's candidate and keeps every condition the list does not settle. */
Test(code_rules, listed_entries_are_their_rules)
{
    cr_assert_eq(smtpstatus__listed_mismatches(), 0);
}

/* A text of random parts (each of 16 bytes or fewer) into text[0..room),
 * ending after a part when the xorshift state is a multiple of `stop` or
 * when fewer than 16 bytes are left; returns its length. */
static size_t parts_text(char *text, size_t room, const char *const *parts, size_t count, unsigned stop,
                         uint64_t *seed)
{
    size_t len = 0;

    while (len < room - 16) {
        const char *p;

        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        if (*seed % stop == 0)
            break;
        p = parts[*seed % count];
        memcpy(text + len, p, strlen(p));
        len += strlen(p);
    }
    return len;
}

/* smtpstatus__find_code_token() looks only at a class digit before a dot
 * and compares the code's canonical bytes: the same span as the plain
 * search by smtpstatus_find_enhanced(), over texts of codes, near-codes,
 * addresses and separators at every length, from blocks of the text's
 * exact size (so that the sanitizers see a read past the end). */
Test(code_rules, code_token_search_is_the_plain_one)
{
    static const char *const parts[] = {
        "5.1.1", "5.1.10", "5.1.100", "4.2.2", "5.7.26", "5.10.1", "5.01.1", "5.1.01", "2.0.0", "5.1.1.2",
        "192.0.2.25", "a", "-", ".", " ", "_", "/", "@", "x-", "5", "1", "55", "5.", ".5", "5.1", "5.1.1x",
        "(#5.1.1)", "5.1.1000", "5.8.1", "4.4.1",
    };
    static const struct smtpstatus_enhanced codes[] = {
        { .cls = 5, .subject = 1, .detail = 1 }, { .cls = 5, .subject = 1, .detail = 10 }, { .cls = 5, .subject = 1, .detail = 100 }, { .cls = 4, .subject = 2, .detail = 2 }, { .cls = 5, .subject = 7, .detail = 26 }, { .cls = 2, .subject = 0, .detail = 0 },
        { .cls = 5, .subject = 10, .detail = 1 }, { .cls = 5, .subject = 8, .detail = 1 }, { .cls = 5, .subject = 1, .detail = 1000 }, { .cls = 3, .subject = 1, .detail = 1 },
        { .cls = 4, .subject = 1000, .detail = 0 }, { .cls = 4, .subject = 1001, .detail = 1 },
    };
    uint64_t seed = 0x9E3779B97F4A7C15u;
    size_t checked = 0;

    for (unsigned round = 0; round < 20000; round++) {
        char text[160];
        size_t len = parts_text(text, sizeof text, parts, sizeof parts / sizeof parts[0], 11, &seed);

        for (size_t k = 0; k < sizeof codes / sizeof codes[0]; k++)
            for (size_t cut = len > 12 ? len - 12 : 0; cut <= len; cut++) {
                char *b = malloc(cut ? cut : 1);
                struct smtpstatus_span fast = { 7, 7 }, plain = { 7, 7 };
                int a, p;

                cr_assert_not_null(b);
                memcpy(b, text, cut);
                a = smtpstatus__find_code_token(b, cut, &codes[k], &fast);
                p = smtpstatus__find_code_token_general(b, cut, &codes[k], &plain);
                cr_assert(a == p && fast.off == plain.off && fast.len == plain.len,
                          "%.*s: code %u.%u.%u at %d %zu+%zu, want %d %zu+%zu", (int)cut, b, codes[k].cls,
                          codes[k].subject, codes[k].detail, a, fast.off, fast.len, p, plain.off, plain.len);
                free(b);
                checked++;
            }
    }
    cr_log_info("%zu searches", checked);
}

/* The plain form of smtpstatus__find_reply_token(): every start, in turn. */
static int reply_token_plain(const char *t, size_t len, unsigned reply, struct smtpstatus_span *span)
{
    for (size_t i = 0; i + 3 <= len; i++) {
        unsigned v = 0;
        int digits = 1;
        for (size_t k = 0; k < 3; k++) {
            digits &= t[i + k] >= '0' && t[i + k] <= '9';
            v = v * 10 + (unsigned)(t[i + k] - '0');
        }
        if (digits && v == reply && (i == 0 || !isalnum((unsigned char)t[i - 1])) &&
            (i + 3 == len || !isalnum((unsigned char)t[i + 3]))) {
            span->off = i;
            span->len = 3;
            return 1;
        }
    }
    return 0;
}

/* smtpstatus__find_reply_token() looks sixteen starts at a time for the
 * code's three digits: the same span as a plain walk over every start,
 * over log-like texts of codes, near-codes, numbers and separators at
 * every length, from blocks of the text's exact size. */
Test(code_rules, reply_token_search_is_the_plain_one)
{
    static const char *const parts[] = {
        "550", "5500", "1550", "55", "50", "0", "5", "451", "450", "a", "x550", "550x", " ", "-", ".",
        ":", "192.0.2.55", "(550)", "5.5.0", "250", "25", "2", "055", "5505", "x", "\xff",
    };
    static const unsigned codes[] = { 550, 451, 250, 505, 555, 200, 599, 421 };
    uint64_t seed = 0x2545F4914F6CDD1Du;
    size_t checked = 0;

    for (unsigned round = 0; round < 10000; round++) {
        char text[160];
        size_t len = parts_text(text, sizeof text, parts, sizeof parts / sizeof parts[0], 13, &seed);

        for (size_t k = 0; k < sizeof codes / sizeof codes[0]; k++)
            for (size_t cut = len > 20 ? len - 20 : 0; cut <= len; cut++) {
                char *b = malloc(cut ? cut : 1);
                struct smtpstatus_span fast = { 7, 7 }, plain = { 7, 7 };
                int a, p;

                cr_assert_not_null(b);
                memcpy(b, text, cut);
                a = smtpstatus__find_reply_token(b, cut, codes[k], &fast);
                p = reply_token_plain(b, cut, codes[k], &plain);
                cr_assert(a == p && fast.off == plain.off && fast.len == plain.len,
                          "%.*s: reply %u at %d %zu+%zu, want %d %zu+%zu", (int)cut, b, codes[k], a, fast.off,
                          fast.len, p, plain.off, plain.len);
                free(b);
                checked++;
            }
    }
    cr_log_info("%zu searches", checked);
}

/* The evidence reads a rule's id and source without testing for the
 * absent string (offset 0): every rule has both. */
Test(code_rules, every_rule_has_an_id_and_a_source)
{
    unsigned n = 0;

    for (const struct smtpstatus__rule_row *r; (r = smtpstatus__rule(n)) != NULL; n++)
        cr_assert(r->id != 0 && r->source != 0 && smtpstatus__rstring(r->id)[0] != '\0' &&
                      smtpstatus__rstring(r->source)[0] != '\0',
                  "rule %u", n);
    cr_assert_gt(n, 100);
}

/* The verdict reads a reason's sisimai and PowerMTA names without testing
 * for the absent string: every reason has both. */
Test(code_rules, every_reason_has_its_sisimai_and_powermta_names)
{
    for (unsigned i = 0; i < smtpstatus__reason_count(); i++) {
        const struct smtpstatus__reason_row *r = smtpstatus__reason(i);
        cr_assert(r->sisimai != 0 && r->powermta != 0 && smtpstatus__rstring(r->sisimai)[0] != '\0' &&
                      smtpstatus__rstring(r->powermta)[0] != '\0',
                  "reason %u", i);
    }
}

/* smtpstatus__find_delay() looks only at a digit after a space after a
 * cue's last letter or a space, sixteen places at a time: the same delay
 * as trying every number in turn, over texts of cues, numbers, units and
 * look-alikes at every length, from blocks of the text's exact size (so
 * that the sanitizers see a read past the end). */
Test(code_rules, delay_search_is_the_plain_one)
{
    static const char *const parts[] = {
        "again ", "retry ", "later ", "after", "wait ", " in ", "for ", "within ", "IN  ", "Later", " ", " ",
        "  ", "5 ", "15", "300 ", "1.2", "0 ", "12345678 ", "minutes", "min ", "s", "h ", "hours", "Days",
        "day", "x", "tin ", "n ", "y ", "r", "t ", ".", "-", "550 5.7.1 ", "4.2.2", "\t", "(", "3x",
    };
    char text[160];
    uint64_t seed = 0x9E3779B97F4A7C15u;
    size_t checked = 0, found = 0;

    for (int round = 0; round < 3000; round++) {
        size_t len = parts_text(text, sizeof text, parts, sizeof parts / sizeof parts[0], 23, &seed);

        for (size_t cut = len > 40 ? len - 40 : 0; cut <= len; cut++) {
            char *b = malloc(cut ? cut : 1);
            uint32_t fast = 7, plain = 7;
            int a, p;

            cr_assert_not_null(b);
            memcpy(b, text, cut);
            a = smtpstatus__find_delay(b, cut, &fast);
            p = smtpstatus__find_delay_general(b, cut, &plain);
            cr_assert(a == p && fast == plain, "%.*s: %d %u, want %d %u", (int)cut, b, a, fast, p, plain);
            found += (size_t)a;
            free(b);
            checked++;
        }
    }
    cr_assert_gt(found, checked / 100, "the texts hold delays (%zu of %zu)", found, checked);
    cr_log_info("%zu searches, %zu delays", checked, found);
}
