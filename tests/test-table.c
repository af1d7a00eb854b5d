/* SPDX-License-Identifier: MIT */

/*
 * The generated tables: the IANA "SMTP Enhanced Status Codes" registry
 * (RFC 5248 §2, snapshot 2024-12-06) and the reply-code table (RFC 5321
 * §4.2 and the extensions that define their own replies), plus the small
 * lookups that go with them (versions, result names).
 *
 * The registry facts below are written out by hand from the IANA registry,
 * not derived from lib/data, so that a row lost or altered on the way from
 * the CSV to the tables fails a test.
 */

#include <criterion/criterion.h>

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <smtpstatus.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Fill with a canary first, so that a field the library forgets to set
 * shows up as garbage rather than as a lucky zero. */
static struct smtpstatus_code_info dirty_code_info(void)
{
    struct smtpstatus_code_info info;

    memset(&info, 0xA5, sizeof info);
    info.size = sizeof info;
    return info;
}

static struct smtpstatus_reply_info dirty_reply_info(void)
{
    struct smtpstatus_reply_info info;

    memset(&info, 0xA5, sizeof info);
    info.size = sizeof info;
    return info;
}

static int lookup(unsigned cls, unsigned subject, unsigned detail,
                  struct smtpstatus_code_info *info)
{
    const struct smtpstatus_enhanced code = { (uint8_t)cls, 0, (uint16_t)subject,
                                              (uint16_t)detail };

    *info = dirty_code_info();
    return smtpstatus_lookup_enhanced(&code, info);
}

static bool has_basic_code(const struct smtpstatus_code_info *info, unsigned value)
{
    for (uint32_t i = 0; i < info->basic_code_count && i < SMTPSTATUS_BASIC_CODES_MAX; i++)
        if (info->basic_codes[i] == value)
            return true;
    return false;
}

/* ------------------------------------------------------------------------ */
/* The registry, written out independently                                   */
/* ------------------------------------------------------------------------ */

/* Every enumerated code of the 2024-12-06 registry is X.s.0 to X.s.last:
 * X.0.0, X.1.0-X.1.10, X.2.0-X.2.4, X.3.0-X.3.6, X.4.0-X.4.7, X.5.0-X.5.6,
 * X.6.0-X.6.10, X.7.0-X.7.30. */
static const struct {
    uint16_t subject;
    uint16_t last_detail;
} registry_ranges[] = {
    { 0, 0 }, { 1, 10 }, { 2, 4 }, { 3, 6 }, { 4, 7 }, { 5, 6 }, { 6, 10 }, { 7, 30 },
};

static bool in_registry_ranges(unsigned subject, unsigned detail)
{
    for (size_t i = 0; i < COUNT(registry_ranges); i++)
        if (registry_ranges[i].subject == subject)
            return detail <= registry_ranges[i].last_detail;
    return false;
}

Test(table, registry_ranges_written_here_add_up_to_81_codes)
{
    /* Guards the hand-written list itself: 1+11+5+7+8+7+11+31. */
    size_t total = 0;

    for (size_t i = 0; i < COUNT(registry_ranges); i++)
        total += (size_t)registry_ranges[i].last_detail + 1;
    cr_expect_eq(total, 81);
}

Test(table, enhanced_count_is_the_81_enumerated_codes)
{
    cr_expect_eq(smtpstatus_enhanced_count(), 81);
}

Test(table, every_entry_is_well_formed_and_sorted_by_subject_then_detail)
{
    size_t n = smtpstatus_enhanced_count();
    long prev_key = -1;

    cr_assert_eq(n, 81);
    for (size_t i = 0; i < n; i++) {
        struct smtpstatus_code_info info = dirty_code_info();
        bool is_x_6_10;
        long key;

        cr_assert_eq(smtpstatus_enhanced_at(i, &info), SMTPSTATUS_OK, "index %zu", i);
        is_x_6_10 = info.code.subject == 6 && info.code.detail == 10;
        key = (long)info.code.subject * 1000 + info.code.detail;

        cr_expect_gt(key, prev_key, "index %zu: X.%u.%u out of order or duplicated", i,
                     info.code.subject, info.code.detail);
        prev_key = key;
        cr_expect(in_registry_ranges(info.code.subject, info.code.detail),
                  "index %zu: X.%u.%u is not in the registry", i, info.code.subject,
                  info.code.detail);
        cr_expect_eq(info.size, sizeof info, "index %zu", i);
        /* "in the X.s.d form (info->code.cls is 0)" */
        cr_expect_eq(info.code.cls, 0, "index %zu", i);
        cr_expect_eq(info.code.reserved, 0, "index %zu", i);
        cr_expect(info.flags & SMTPSTATUS_CODE_REGISTERED, "X.%u.%u", info.code.subject,
                  info.code.detail);
        cr_expect(info.flags & SMTPSTATUS_CODE_SUBJECT_KNOWN, "X.%u.%u", info.code.subject,
                  info.code.detail);
        /* Class 0: no class strings. */
        cr_expect_null(info.class_title, "X.%u.%u", info.code.subject, info.code.detail);
        cr_expect_null(info.class_description, "X.%u.%u", info.code.subject, info.code.detail);
        cr_expect_not_null(info.subject_title, "X.%u.%u", info.code.subject, info.code.detail);
        cr_expect_not_null(info.subject_description, "X.%u.%u", info.code.subject,
                           info.code.detail);
        /* The registry leaves X.6.10's sample text empty. */
        if (is_x_6_10)
            cr_expect_null(info.title, "X.6.10 has a title");
        else
            cr_expect_not_null(info.title, "X.%u.%u has no title", info.code.subject,
                               info.code.detail);
        if (info.title)
            cr_expect_neq(info.title[0], '\0', "X.%u.%u: empty title", info.code.subject,
                          info.code.detail);
        cr_expect_not_null(info.description, "X.%u.%u", info.code.subject, info.code.detail);
        cr_expect_not_null(info.reference, "X.%u.%u", info.code.subject, info.code.detail);
        cr_expect_leq(info.basic_code_count, SMTPSTATUS_BASIC_CODES_MAX, "X.%u.%u",
                      info.code.subject, info.code.detail);
        /* Only X.6.10 is deprecated, and only it is replaced. */
        cr_expect_eq(!!(info.flags & SMTPSTATUS_CODE_DEPRECATED), is_x_6_10, "X.%u.%u",
                     info.code.subject, info.code.detail);
        cr_expect_eq(info.replaced_by != NULL, is_x_6_10, "X.%u.%u", info.code.subject,
                     info.code.detail);
        /* Only X.0.0 goes with any reply ("Any" in the registry). */
        cr_expect_eq(!!(info.flags & SMTPSTATUS_CODE_ANY_REPLY),
                     info.code.subject == 0 && info.code.detail == 0, "X.%u.%u",
                     info.code.subject, info.code.detail);
    }
}

Test(table, enhanced_at_past_the_end_is_not_found)
{
    struct smtpstatus_code_info info = dirty_code_info();

    cr_expect_eq(smtpstatus_enhanced_at(81, &info), SMTPSTATUS_E_NOT_FOUND);
    cr_expect_eq(smtpstatus_enhanced_at(smtpstatus_enhanced_count(), &info),
                 SMTPSTATUS_E_NOT_FOUND);
    cr_expect_eq(smtpstatus_enhanced_at(SIZE_MAX, &info), SMTPSTATUS_E_NOT_FOUND);
}

Test(table, enhanced_at_agrees_with_lookup)
{
    for (size_t i = 0; i < smtpstatus_enhanced_count(); i++) {
        struct smtpstatus_code_info at = dirty_code_info();
        struct smtpstatus_code_info looked;

        cr_assert_eq(smtpstatus_enhanced_at(i, &at), SMTPSTATUS_OK);
        cr_assert_eq(lookup(0, at.code.subject, at.code.detail, &looked), SMTPSTATUS_OK);
        cr_expect_eq(looked.flags, at.flags, "X.%u.%u", at.code.subject, at.code.detail);
        cr_expect_eq(looked.title, at.title, "X.%u.%u", at.code.subject, at.code.detail);
        cr_expect_eq(looked.description, at.description, "X.%u.%u", at.code.subject,
                     at.code.detail);
        cr_expect_eq(looked.basic_code_count, at.basic_code_count, "X.%u.%u", at.code.subject,
                     at.code.detail);
    }
}

Test(table, every_registered_code_resolves_for_every_class_and_round_trips)
{
    static const uint8_t classes[] = { 0, 2, 4, 5 };

    for (size_t r = 0; r < COUNT(registry_ranges); r++) {
        for (unsigned d = 0; d <= registry_ranges[r].last_detail; d++) {
            unsigned s = registry_ranges[r].subject;

            for (size_t c = 0; c < COUNT(classes); c++) {
                const struct smtpstatus_enhanced code = { classes[c], 0, (uint16_t)s,
                                                          (uint16_t)d };
                struct smtpstatus_code_info info;
                struct smtpstatus_enhanced back = { 0, 0, 0, 0 };
                char text[SMTPSTATUS_ENHANCED_TEXT_MAX];
                char want[16];
                int n;

                cr_expect_eq(lookup(classes[c], s, d, &info), SMTPSTATUS_OK, "%u.%u.%u",
                             classes[c], s, d);
                cr_expect(info.flags & SMTPSTATUS_CODE_REGISTERED, "%u.%u.%u not registered",
                          classes[c], s, d);
                cr_expect(info.flags & SMTPSTATUS_CODE_SUBJECT_KNOWN, "%u.%u.%u", classes[c],
                          s, d);
                cr_expect_eq(info.code.cls, classes[c]);
                cr_expect_eq(info.code.subject, s);
                cr_expect_eq(info.code.detail, d);
                cr_expect_not_null(info.description, "%u.%u.%u", classes[c], s, d);
                if (classes[c] == 0)
                    cr_expect_null(info.class_title, "X.%u.%u", s, d);
                else
                    cr_expect_not_null(info.class_title, "%u.%u.%u", classes[c], s, d);

                n = smtpstatus_format_enhanced(&code, text, sizeof text);
                if (classes[c] == 0) {
                    snprintf(want, sizeof want, "X.%u.%u", s, d);
                    cr_expect_str_eq(text, want);
                    continue;
                }
                snprintf(want, sizeof want, "%u.%u.%u", classes[c], s, d);
                cr_expect_str_eq(text, want);
                cr_assert_eq(n, (int)strlen(want));
                cr_expect_eq(smtpstatus_parse_enhanced(text, (size_t)n, 0, &back, NULL),
                             SMTPSTATUS_OK, "%s", text);
                cr_expect_eq(smtpstatus_compare_enhanced(&code, &back), 0, "%s", text);
            }
        }
    }
}

Test(table, the_detail_after_each_subjects_last_is_not_registered)
{
    /* X.4.8 and X.7.31 in particular: nothing has been registered there. */
    for (size_t r = 0; r < COUNT(registry_ranges); r++) {
        unsigned s = registry_ranges[r].subject;
        unsigned d = registry_ranges[r].last_detail + 1u;
        struct smtpstatus_code_info info;

        cr_expect_eq(lookup(5, s, d, &info), SMTPSTATUS_OK, "5.%u.%u", s, d);
        cr_expect_not(info.flags & SMTPSTATUS_CODE_REGISTERED, "5.%u.%u registered", s, d);
        cr_expect_null(info.title, "5.%u.%u", s, d);
    }
    {
        struct smtpstatus_code_info info;

        cr_expect_eq(lookup(4, 4, 8, &info), SMTPSTATUS_OK);
        cr_expect_not(info.flags & SMTPSTATUS_CODE_REGISTERED, "4.4.8");
        cr_expect_eq(lookup(5, 7, 31, &info), SMTPSTATUS_OK);
        cr_expect_not(info.flags & SMTPSTATUS_CODE_REGISTERED, "5.7.31");
    }
}

/* ------------------------------------------------------------------------ */
/* Registry facts                                                            */
/* ------------------------------------------------------------------------ */

Test(table, registered_titles_match_the_registry)
{
    static const struct {
        unsigned subject, detail;
        const char *title;
    } titles[] = {
        { 0, 0, "Other undefined Status" },
        { 1, 1, "Bad destination mailbox address" },
        { 1, 10, "Recipient address has null MX" },
        { 2, 2, "Mailbox full" },
        { 3, 6, "Requested priority was changed" },
        { 4, 7, "Delivery time expired" },
        { 5, 6, "Authentication Exchange line is too long" },
        { 6, 9, "UTF-8 header message cannot be transferred to one or more recipients, so "
                "the message must be rejected" },
        { 7, 1, "Delivery not authorized, message refused" },
        { 7, 26, "Multiple authentication checks failed" },
        { 7, 28, "Mail flood detected" },
        { 7, 30, "REQUIRETLS support required" },
    };

    for (size_t i = 0; i < COUNT(titles); i++) {
        struct smtpstatus_code_info info;

        cr_assert_eq(lookup(5, titles[i].subject, titles[i].detail, &info), SMTPSTATUS_OK);
        cr_assert_not_null(info.title, "5.%u.%u", titles[i].subject, titles[i].detail);
        cr_expect_str_eq(info.title, titles[i].title);
    }
}

Test(table, x_1_1_lists_basic_codes_451_and_550)
{
    struct smtpstatus_code_info info;

    cr_assert_eq(lookup(5, 1, 1, &info), SMTPSTATUS_OK);
    cr_assert_not_null(info.basic_codes_text);
    cr_expect_str_eq(info.basic_codes_text, "451, 550");
    cr_expect_eq(info.basic_code_count, 2);
    cr_expect_eq(info.basic_codes[0], 451);
    cr_expect_eq(info.basic_codes[1], 550);
    cr_expect_not(info.flags & SMTPSTATUS_CODE_ANY_REPLY);
    cr_assert_not_null(info.reference);
    cr_expect_str_eq(info.reference, "[RFC3463] (Standards Track)");
}

Test(table, x_0_0_goes_with_any_reply_code)
{
    struct smtpstatus_code_info info;

    cr_assert_eq(lookup(0, 0, 0, &info), SMTPSTATUS_OK);
    cr_expect(info.flags & SMTPSTATUS_CODE_ANY_REPLY);
    cr_assert_not_null(info.basic_codes_text);
    cr_expect_str_eq(info.basic_codes_text, "Any");
    cr_expect_eq(info.basic_code_count, 0);
}

Test(table, x_6_10_is_deprecated_in_favour_of_x_6_8)
{
    struct smtpstatus_code_info info;

    cr_assert_eq(lookup(5, 6, 10, &info), SMTPSTATUS_OK);
    cr_expect(info.flags & SMTPSTATUS_CODE_REGISTERED);
    cr_expect(info.flags & SMTPSTATUS_CODE_DEPRECATED);
    cr_assert_not_null(info.replaced_by);
    cr_expect_str_eq(info.replaced_by, "X.6.8");
    cr_expect_null(info.title);

    /* The code it points to is registered and not deprecated. */
    cr_assert_eq(lookup(5, 6, 8, &info), SMTPSTATUS_OK);
    cr_expect(info.flags & SMTPSTATUS_CODE_REGISTERED);
    cr_expect_not(info.flags & SMTPSTATUS_CODE_DEPRECATED);
    cr_expect_null(info.replaced_by);
}

Test(table, x_7_15_basic_codes_include_the_4xx_and_5xx_wildcards)
{
    /* "450, 550 (other 4XX or 5XX codes are allowed)": wildcards are stored
     * as their first digit. */
    struct smtpstatus_code_info info;

    cr_assert_eq(lookup(4, 7, 15, &info), SMTPSTATUS_OK);
    cr_expect(has_basic_code(&info, 450));
    cr_expect(has_basic_code(&info, 550));
    cr_expect(has_basic_code(&info, 4));
    cr_expect(has_basic_code(&info, 5));
    cr_expect_eq(info.basic_code_count, 4);
}

Test(table, x_7_28_cites_its_internet_draft)
{
    struct smtpstatus_code_info info;

    cr_assert_eq(lookup(5, 7, 28, &info), SMTPSTATUS_OK);
    cr_assert_not_null(info.reference);
    cr_expect_not_null(strstr(info.reference, "draft-levine-mailbomb-header-00"), "\"%s\"",
                       info.reference);
    /* The registry's basic-code column holds a literal ".": no codes. */
    cr_expect_eq(info.basic_code_count, 0);
}

Test(table, class_titles_match_rfc_3463_section_3)
{
    static const struct {
        unsigned cls;
        const char *title;
    } classes[] = {
        { 2, "Success" },
        { 4, "Persistent Transient Failure" },
        { 5, "Permanent Failure" },
    };

    for (size_t i = 0; i < COUNT(classes); i++) {
        struct smtpstatus_code_info info;

        cr_assert_eq(lookup(classes[i].cls, 0, 0, &info), SMTPSTATUS_OK);
        cr_assert_not_null(info.class_title, "class %u", classes[i].cls);
        cr_expect_str_eq(info.class_title, classes[i].title);
        cr_expect_not_null(info.class_description, "class %u", classes[i].cls);
    }
}

Test(table, subject_titles_match_rfc_3463_section_3)
{
    static const char *const subjects[] = {
        "Other or Undefined Status",     "Addressing Status",
        "Mailbox Status",                "Mail System Status",
        "Network and Routing Status",    "Mail Delivery Protocol Status",
        "Message Content or Media Status", "Security or Policy Status",
    };

    for (unsigned s = 0; s < COUNT(subjects); s++) {
        struct smtpstatus_code_info info;

        /* Detail 999 is registered nowhere: the subject strings stand alone. */
        cr_assert_eq(lookup(5, s, 999, &info), SMTPSTATUS_OK);
        cr_expect(info.flags & SMTPSTATUS_CODE_SUBJECT_KNOWN, "subject %u", s);
        cr_assert_not_null(info.subject_title, "subject %u", s);
        cr_expect_str_eq(info.subject_title, subjects[s]);
        cr_expect_not_null(info.subject_description, "subject %u", s);
    }
}

Test(table, every_basic_code_in_the_registry_is_a_known_reply_code)
{
    size_t checked = 0;

    for (size_t i = 0; i < smtpstatus_enhanced_count(); i++) {
        struct smtpstatus_code_info info = dirty_code_info();

        cr_assert_eq(smtpstatus_enhanced_at(i, &info), SMTPSTATUS_OK);
        for (uint32_t k = 0; k < info.basic_code_count; k++) {
            struct smtpstatus_reply_info reply = dirty_reply_info();
            unsigned code = info.basic_codes[k];

            if (code < 100) {
                /* A 4XX/5XX wildcard: its first digit. */
                cr_expect(code == 2 || code == 4 || code == 5, "X.%u.%u: basic code %u",
                          info.code.subject, info.code.detail, code);
                continue;
            }
            cr_expect_eq(smtpstatus_lookup_reply_code(code, &reply), SMTPSTATUS_OK);
            cr_expect_neq(reply.kind, SMTPSTATUS_REPLY_KIND_UNKNOWN,
                          "X.%u.%u lists %u, which the reply table lacks", info.code.subject,
                          info.code.detail, code);
            checked++;
        }
    }
    /* Sanity: the registry lists well over a hundred basic codes in all. */
    cr_expect_gt(checked, 100);
}

/* ------------------------------------------------------------------------ */
/* Unregistered and out-of-range codes                                       */
/* ------------------------------------------------------------------------ */

Test(table, unregistered_details_keep_class_and_subject_meanings)
{
    /* RFC 3463 §2: clients degrade to class and subject. Microsoft's
     * 5.7.606, 4.4.316 and 5.0.350 are well formed but provider-specific. */
    static const struct smtpstatus_enhanced codes[] = {
        { 5, 0, 7, 606 },
        { 4, 0, 4, 316 },
        { 5, 0, 0, 350 },
        { 2, 0, 1, 999 },
    };

    for (size_t i = 0; i < COUNT(codes); i++) {
        struct smtpstatus_code_info info = dirty_code_info();
        const struct smtpstatus_enhanced *c = &codes[i];
        int rc = smtpstatus_lookup_enhanced(c, &info);

        cr_expect_eq(rc, SMTPSTATUS_OK, "%u.%u.%u: rc %d", c->cls, c->subject, c->detail, rc);
        cr_expect_eq(info.size, sizeof info);
        cr_expect_eq(info.code.cls, c->cls);
        cr_expect_eq(info.code.subject, c->subject);
        cr_expect_eq(info.code.detail, c->detail);
        cr_expect_not(info.flags & SMTPSTATUS_CODE_REGISTERED, "%u.%u.%u", c->cls, c->subject,
                      c->detail);
        cr_expect_not(info.flags & SMTPSTATUS_CODE_DEPRECATED);
        cr_expect_not(info.flags & SMTPSTATUS_CODE_ANY_REPLY);
        cr_expect(info.flags & SMTPSTATUS_CODE_SUBJECT_KNOWN);
        cr_expect_not_null(info.class_title, "%u.%u.%u", c->cls, c->subject, c->detail);
        cr_expect_not_null(info.class_description);
        cr_expect_not_null(info.subject_title, "%u.%u.%u", c->cls, c->subject, c->detail);
        cr_expect_not_null(info.subject_description);
        /* "absent ones are NULL (the strings of an unregistered detail)" */
        cr_expect_null(info.title, "%u.%u.%u", c->cls, c->subject, c->detail);
        cr_expect_null(info.description);
        cr_expect_null(info.basic_codes_text);
        cr_expect_null(info.replaced_by);
        cr_expect_eq(info.basic_code_count, 0);
    }
}

Test(table, subjects_over_7_are_not_known)
{
    static const unsigned subjects[] = { 8, 9, 10, 99, 999 };

    for (size_t i = 0; i < COUNT(subjects); i++) {
        struct smtpstatus_code_info info;

        cr_expect_eq(lookup(5, subjects[i], 1, &info), SMTPSTATUS_OK, "5.%u.1", subjects[i]);
        cr_expect_not(info.flags & SMTPSTATUS_CODE_SUBJECT_KNOWN, "5.%u.1", subjects[i]);
        cr_expect_not(info.flags & SMTPSTATUS_CODE_REGISTERED, "5.%u.1", subjects[i]);
        cr_expect_null(info.subject_title, "5.%u.1", subjects[i]);
        cr_expect_null(info.subject_description, "5.%u.1", subjects[i]);
        cr_expect_null(info.title, "5.%u.1", subjects[i]);
        cr_expect_not_null(info.class_title, "5.%u.1", subjects[i]);
    }
}

Test(table, class_0_has_no_class_strings)
{
    struct smtpstatus_code_info info;

    cr_assert_eq(lookup(0, 7, 606, &info), SMTPSTATUS_OK);
    cr_expect_null(info.class_title);
    cr_expect_null(info.class_description);
    cr_expect_not_null(info.subject_title);
    cr_expect_not(info.flags & SMTPSTATUS_CODE_REGISTERED);
}

Test(table, lookup_rejects_bad_classes_and_sub_codes)
{
    static const struct smtpstatus_enhanced bad[] = {
        { 1, 0, 1, 1 },    { 3, 0, 1, 1 },    { 6, 0, 1, 1 },     { 7, 0, 0, 0 },
        { 9, 0, 0, 0 },    { 255, 0, 1, 1 },  { 5, 0, 1000, 1 },  { 5, 0, 1, 1000 },
        { 2, 0, 65535, 0 }, { 0, 0, 0, 1000 },
    };

    for (size_t i = 0; i < COUNT(bad); i++) {
        struct smtpstatus_code_info info = dirty_code_info();
        int rc = smtpstatus_lookup_enhanced(&bad[i], &info);

        cr_expect_eq(rc, SMTPSTATUS_E_BAD_CODE, "%u.%u.%u: rc %s", bad[i].cls, bad[i].subject,
                     bad[i].detail, smtpstatus_result_name(rc));
    }
}

Test(table, lookup_rejects_null_arguments)
{
    const struct smtpstatus_enhanced code = { 5, 0, 1, 1 };
    struct smtpstatus_code_info info = SMTPSTATUS_CODE_INFO_INIT;

    cr_expect_eq(smtpstatus_lookup_enhanced(NULL, &info), SMTPSTATUS_E_INVALID_ARG);
    cr_expect_eq(smtpstatus_lookup_enhanced(&code, NULL), SMTPSTATUS_E_INVALID_ARG);
    cr_expect_eq(smtpstatus_enhanced_at(0, NULL), SMTPSTATUS_E_INVALID_ARG);
}

/* ------------------------------------------------------------------------ */
/* The size-member contract                                                  */
/* ------------------------------------------------------------------------ */

#define CANARY 0xA5
#define SLACK 64

Test(table, code_info_init_sets_the_size)
{
    struct smtpstatus_code_info info = SMTPSTATUS_CODE_INFO_INIT;
    struct smtpstatus_reply_info reply = SMTPSTATUS_REPLY_INFO_INIT;

    cr_expect_eq(info.size, sizeof info);
    cr_expect_eq(reply.size, sizeof reply);
    cr_expect_eq(smtpstatus_enhanced_at(0, &info), SMTPSTATUS_OK);
    cr_expect_eq(smtpstatus_lookup_reply_code(550, &reply), SMTPSTATUS_OK);
}

Test(table, a_size_smaller_than_the_first_version_is_refused_without_writing_past_it)
{
    /* Sizes an older or confused caller might pass: the struct is V1, so
     * anything smaller is refused. Nothing at or past `size` is touched. */
    const size_t full = sizeof(struct smtpstatus_code_info);
    const size_t sizes[] = { 0, 1, sizeof(size_t), full / 2, full - 1 };
    const struct smtpstatus_enhanced code = { 5, 0, 1, 1 };

    for (size_t i = 0; i < COUNT(sizes); i++) {
        union {
            struct smtpstatus_code_info info;
            unsigned char bytes[sizeof(struct smtpstatus_code_info) + SLACK];
        } u;

        memset(u.bytes, CANARY, sizeof u.bytes);
        u.info.size = sizes[i];
        cr_expect_eq(smtpstatus_lookup_enhanced(&code, &u.info), SMTPSTATUS_E_STRUCT_SIZE,
                     "size %zu", sizes[i]);
        cr_expect_eq(smtpstatus_enhanced_at(0, &u.info), SMTPSTATUS_E_STRUCT_SIZE,
                     "size %zu", sizes[i]);
        for (size_t k = sizeof(size_t) > sizes[i] ? sizeof(size_t) : sizes[i];
             k < sizeof u.bytes; k++)
            cr_expect_eq(u.bytes[k], CANARY, "size %zu: byte %zu written", sizes[i], k);
    }
}

Test(table, reply_info_smaller_than_the_first_version_is_refused)
{
    const size_t sizes[] = { 0, sizeof(size_t), sizeof(struct smtpstatus_reply_info) - 1 };

    for (size_t i = 0; i < COUNT(sizes); i++) {
        union {
            struct smtpstatus_reply_info info;
            unsigned char bytes[sizeof(struct smtpstatus_reply_info) + SLACK];
        } u;

        memset(u.bytes, CANARY, sizeof u.bytes);
        u.info.size = sizes[i];
        cr_expect_eq(smtpstatus_lookup_reply_code(550, &u.info), SMTPSTATUS_E_STRUCT_SIZE,
                     "size %zu", sizes[i]);
        cr_expect_eq(smtpstatus_reply_code_at(0, &u.info), SMTPSTATUS_E_STRUCT_SIZE,
                     "size %zu", sizes[i]);
        for (size_t k = sizeof(size_t) > sizes[i] ? sizeof(size_t) : sizes[i];
             k < sizeof u.bytes; k++)
            cr_expect_eq(u.bytes[k], CANARY, "size %zu: byte %zu written", sizes[i], k);
    }
    cr_expect_eq(smtpstatus_lookup_reply_code(550, NULL), SMTPSTATUS_E_INVALID_ARG);
    cr_expect_eq(smtpstatus_reply_code_at(0, NULL), SMTPSTATUS_E_INVALID_ARG);
}

Test(table, code_info_is_filled_and_nothing_past_size_is_written)
{
    /* A newer caller's bigger struct (size > sizeof), and an exact one: the
     * library fills what it knows, keeps the caller's size, and leaves the
     * bytes past `size` alone. */
    const size_t full = sizeof(struct smtpstatus_code_info);
    const size_t sizes[] = { full, full + 8, full + SLACK / 2 };
    const struct smtpstatus_enhanced code = { 5, 0, 1, 1 };

    for (size_t i = 0; i < COUNT(sizes); i++) {
        union {
            struct smtpstatus_code_info info;
            unsigned char bytes[sizeof(struct smtpstatus_code_info) + SLACK];
        } u;

        memset(u.bytes, CANARY, sizeof u.bytes);
        u.info.size = sizes[i];
        cr_assert_eq(smtpstatus_lookup_enhanced(&code, &u.info), SMTPSTATUS_OK, "size %zu",
                     sizes[i]);
        cr_expect_eq(u.info.size, sizes[i], "the caller's size was changed");
        cr_expect_eq(u.info.code.cls, 5);
        cr_expect_eq(u.info.code.subject, 1);
        cr_expect_eq(u.info.code.detail, 1);
        cr_expect(u.info.flags & SMTPSTATUS_CODE_REGISTERED);
        cr_assert_not_null(u.info.title);
        cr_expect_str_eq(u.info.title, "Bad destination mailbox address");
        cr_expect_eq(u.info.basic_code_count, 2);
        for (size_t k = sizes[i]; k < sizeof u.bytes; k++)
            cr_expect_eq(u.bytes[k], CANARY, "size %zu: byte %zu written", sizes[i], k);

        memset(u.bytes, CANARY, sizeof u.bytes);
        u.info.size = sizes[i];
        cr_assert_eq(smtpstatus_enhanced_at(80, &u.info), SMTPSTATUS_OK);
        cr_expect_eq(u.info.size, sizes[i]);
        cr_expect_eq(u.info.code.subject, 7);
        cr_expect_eq(u.info.code.detail, 30);
        for (size_t k = sizes[i]; k < sizeof u.bytes; k++)
            cr_expect_eq(u.bytes[k], CANARY, "enhanced_at, size %zu: byte %zu written",
                         sizes[i], k);
    }
}

Test(table, reply_info_is_filled_and_nothing_past_size_is_written)
{
    const size_t full = sizeof(struct smtpstatus_reply_info);
    const size_t sizes[] = { full, full + 8, full + SLACK / 2 };

    for (size_t i = 0; i < COUNT(sizes); i++) {
        union {
            struct smtpstatus_reply_info info;
            unsigned char bytes[sizeof(struct smtpstatus_reply_info) + SLACK];
        } u;

        memset(u.bytes, CANARY, sizeof u.bytes);
        u.info.size = sizes[i];
        cr_assert_eq(smtpstatus_lookup_reply_code(550, &u.info), SMTPSTATUS_OK);
        cr_expect_eq(u.info.size, sizes[i]);
        cr_expect_eq(u.info.code, 550);
        cr_expect_not_null(u.info.meaning);
        for (size_t k = sizes[i]; k < sizeof u.bytes; k++)
            cr_expect_eq(u.bytes[k], CANARY, "size %zu: byte %zu written", sizes[i], k);

        memset(u.bytes, CANARY, sizeof u.bytes);
        u.info.size = sizes[i];
        cr_assert_eq(smtpstatus_reply_code_at(0, &u.info), SMTPSTATUS_OK);
        cr_expect_eq(u.info.size, sizes[i]);
        cr_expect_not_null(u.info.meaning);
        for (size_t k = sizes[i]; k < sizeof u.bytes; k++)
            cr_expect_eq(u.bytes[k], CANARY, "reply_code_at, size %zu: byte %zu written",
                         sizes[i], k);
    }
}

/* ------------------------------------------------------------------------ */
/* The reply-code table                                                      */
/* ------------------------------------------------------------------------ */

/* lib/data/smtp-reply-codes.csv has 70 data rows (a code defined in several
 * contexts, e.g. 501 for RFC 5321, AUTH and STARTTLS, has a row each). */
#define REPLY_ROWS 70

Test(table, reply_code_count_matches_the_data_rows)
{
    cr_expect_eq(smtpstatus_reply_code_count(), REPLY_ROWS);
}

Test(table, reply_rows_are_sorted_and_complete)
{
    size_t n = smtpstatus_reply_code_count();
    unsigned prev = 0;

    cr_assert_eq(n, REPLY_ROWS);
    for (size_t i = 0; i < n; i++) {
        struct smtpstatus_reply_info info = dirty_reply_info();

        cr_assert_eq(smtpstatus_reply_code_at(i, &info), SMTPSTATUS_OK, "index %zu", i);
        cr_expect_geq(info.code, prev, "index %zu: %u after %u", i, info.code, prev);
        prev = info.code;
        cr_expect(info.code >= 100 && info.code <= 599, "index %zu: %u", i, info.code);
        cr_expect_eq(info.size, sizeof info);
        cr_expect_eq(info.class_digit, info.code / 100, "%u", info.code);
        cr_expect_eq(info.category_digit, info.code / 10 % 10, "%u", info.code);
        cr_expect_neq(info.kind, SMTPSTATUS_REPLY_KIND_UNKNOWN, "%u", info.code);
        cr_expect_leq(info.kind, SMTPSTATUS_REPLY_KIND_DEPRECATED, "%u", info.code);
        cr_expect_not_null(info.meaning, "%u", info.code);
        cr_expect_not_null(info.context, "%u", info.code);
        cr_expect_not_null(info.class_name, "%u", info.code);
        cr_expect_not_null(info.reference, "%u", info.code);
    }
    {
        struct smtpstatus_reply_info info = dirty_reply_info();

        cr_expect_eq(smtpstatus_reply_code_at(n, &info), SMTPSTATUS_E_NOT_FOUND);
        cr_expect_eq(smtpstatus_reply_code_at(SIZE_MAX, &info), SMTPSTATUS_E_NOT_FOUND);
    }
}

Test(table, lookup_prefers_the_rfc_5321_meaning)
{
    /* "The RFC 5321 ("general") meaning is preferred when the code has several." */
    size_t n = smtpstatus_reply_code_count();

    for (size_t i = 0; i < n; i++) {
        struct smtpstatus_reply_info row = dirty_reply_info();
        struct smtpstatus_reply_info found = dirty_reply_info();
        bool has_general = false;

        cr_assert_eq(smtpstatus_reply_code_at(i, &row), SMTPSTATUS_OK);
        for (size_t j = 0; j < n; j++) {
            struct smtpstatus_reply_info other = dirty_reply_info();

            cr_assert_eq(smtpstatus_reply_code_at(j, &other), SMTPSTATUS_OK);
            if (other.code == row.code && other.context && strcmp(other.context, "general") == 0)
                has_general = true;
        }
        cr_assert_eq(smtpstatus_lookup_reply_code(row.code, &found), SMTPSTATUS_OK);
        cr_assert_not_null(found.context, "%u", row.code);
        if (has_general)
            cr_expect_str_eq(found.context, "general", "%u", row.code);
    }
}

Test(table, reply_550_is_the_rfc_5321_mailbox_unavailable)
{
    struct smtpstatus_reply_info info = dirty_reply_info();

    cr_assert_eq(smtpstatus_lookup_reply_code(550, &info), SMTPSTATUS_OK);
    cr_expect_eq(info.code, 550);
    cr_assert_not_null(info.context);
    cr_expect_str_eq(info.context, "general");
    cr_expect_eq(info.class_digit, 5);
    cr_expect_eq(info.category_digit, 5);
    cr_expect_eq(info.kind, SMTPSTATUS_REPLY_KIND_STANDARD);
    cr_assert_not_null(info.class_name);
    cr_expect_str_eq(info.class_name, "permanent negative completion");
    cr_assert_not_null(info.category_name);
    cr_expect_str_eq(info.category_name, "mail system");
    cr_assert_not_null(info.recommended_text);
    cr_expect_str_eq(info.recommended_text, "Requested action not taken: mailbox unavailable");
    cr_assert_not_null(info.reference);
    cr_expect_not_null(strstr(info.reference, "RFC 5321"), "\"%s\"", info.reference);
    cr_expect_not_null(info.meaning);
}

Test(table, standard_reply_codes_are_known)
{
    /* RFC 5321 §4.2.3 (421, 250, 354) and RFC 7504 (521, 556). */
    static const unsigned codes[] = { 211, 214, 220, 221, 250, 251, 252, 354, 421, 450, 451,
                                      452, 455, 500, 501, 502, 503, 504, 521, 550, 551, 552,
                                      553, 554, 555, 556 };

    for (size_t i = 0; i < COUNT(codes); i++) {
        struct smtpstatus_reply_info info = dirty_reply_info();

        cr_assert_eq(smtpstatus_lookup_reply_code(codes[i], &info), SMTPSTATUS_OK, "%u",
                     codes[i]);
        cr_expect_eq(info.kind, SMTPSTATUS_REPLY_KIND_STANDARD, "%u: kind %u", codes[i],
                     info.kind);
        cr_assert_not_null(info.context, "%u", codes[i]);
        cr_expect_str_eq(info.context, "general", "%u", codes[i]);
        cr_expect_not_null(info.meaning, "%u", codes[i]);
    }
}

Test(table, reply_kinds_of_nonstandard_and_registry_only_codes)
{
    struct smtpstatus_reply_info info = dirty_reply_info();

    /* 571: Microsoft/La Poste usage; its second digit is outside RFC 5321's 0-5. */
    cr_assert_eq(smtpstatus_lookup_reply_code(571, &info), SMTPSTATUS_OK);
    cr_expect_eq(info.kind, SMTPSTATUS_REPLY_KIND_NONSTANDARD);
    cr_expect_eq(info.category_digit, 7);
    cr_expect_null(info.category_name, "a second digit over 5 has no category");
    cr_expect_not_null(info.meaning);

    /* 523: only listed with X.7.10 in the enhanced-code registry. */
    info = dirty_reply_info();
    cr_assert_eq(smtpstatus_lookup_reply_code(523, &info), SMTPSTATUS_OK);
    cr_expect_eq(info.kind, SMTPSTATUS_REPLY_KIND_REGISTRY_ONLY);
    cr_expect_not_null(info.meaning);

    /* 538: RFC 4954 documents it for history only. */
    info = dirty_reply_info();
    cr_assert_eq(smtpstatus_lookup_reply_code(538, &info), SMTPSTATUS_OK);
    cr_expect_eq(info.kind, SMTPSTATUS_REPLY_KIND_DEPRECATED);
}

Test(table, unknown_reply_codes_are_read_by_their_digits)
{
    /* RFC 5321 §4.2.1: a client reads an unknown code by its first digit. */
    static const struct {
        unsigned code;
        const char *class_name;
    } unknown[] = {
        { 299, "positive completion" },
        { 599, "permanent negative completion" },
        { 499, "transient negative completion" },
        { 399, "positive intermediate" },
        { 100, "positive preliminary" },
    };

    for (size_t i = 0; i < COUNT(unknown); i++) {
        struct smtpstatus_reply_info info = dirty_reply_info();

        cr_assert_eq(smtpstatus_lookup_reply_code(unknown[i].code, &info), SMTPSTATUS_OK, "%u",
                     unknown[i].code);
        cr_expect_eq(info.kind, SMTPSTATUS_REPLY_KIND_UNKNOWN, "%u", unknown[i].code);
        cr_expect_eq(info.code, unknown[i].code);
        cr_expect_eq(info.class_digit, unknown[i].code / 100);
        cr_expect_eq(info.category_digit, 9 * (unknown[i].code != 100));
        cr_assert_not_null(info.class_name, "%u", unknown[i].code);
        cr_expect_str_eq(info.class_name, unknown[i].class_name);
        /* Not in the table: no table strings. */
        cr_expect_null(info.meaning, "%u", unknown[i].code);
        cr_expect_null(info.context, "%u", unknown[i].code);
        cr_expect_null(info.notes, "%u", unknown[i].code);
    }
    {
        struct smtpstatus_reply_info info = dirty_reply_info();

        /* A known second digit still gets its RFC 5321 §4.2.1 category name. */
        cr_assert_eq(smtpstatus_lookup_reply_code(559, &info), SMTPSTATUS_OK);
        cr_expect_eq(info.kind, SMTPSTATUS_REPLY_KIND_UNKNOWN);
        cr_assert_not_null(info.category_name);
        cr_expect_str_eq(info.category_name, "mail system");
    }
}

Test(table, reply_codes_outside_100_to_599_are_bad)
{
    static const unsigned bad[] = { 0, 1, 5, 55, 99, 600, 999, 1000, 5500, UINT_MAX };

    for (size_t i = 0; i < COUNT(bad); i++) {
        struct smtpstatus_reply_info info = dirty_reply_info();
        int rc = smtpstatus_lookup_reply_code(bad[i], &info);

        cr_expect_eq(rc, SMTPSTATUS_E_BAD_CODE, "%u: rc %s", bad[i], smtpstatus_result_name(rc));
    }
}

/* ------------------------------------------------------------------------ */
/* Versions                                                                  */
/* ------------------------------------------------------------------------ */

Test(table, registry_version_is_the_snapshot_date)
{
    const char *v = smtpstatus_registry_version();

    cr_assert_not_null(v);
    cr_expect_str_eq(v, "2024-12-06");
}

Test(table, run_time_version_matches_the_header)
{
    char from_parts[32];

    cr_assert_not_null(smtpstatus_version());
    cr_expect_str_eq(smtpstatus_version(), SMTPSTATUS_VERSION_STRING);
    cr_expect_eq(smtpstatus_version_number(), (uint32_t)SMTPSTATUS_VERSION_NUMBER);

    /* The three forms of the version agree with one another. */
    snprintf(from_parts, sizeof from_parts, "%d.%d.%d", SMTPSTATUS_VERSION_MAJOR,
             SMTPSTATUS_VERSION_MINOR, SMTPSTATUS_VERSION_PATCH);
    cr_expect_str_eq(SMTPSTATUS_VERSION_STRING, from_parts);
    cr_expect_eq(smtpstatus_version_number(),
                 ((uint32_t)SMTPSTATUS_VERSION_MAJOR << 16) |
                     ((uint32_t)SMTPSTATUS_VERSION_MINOR << 8) | (uint32_t)SMTPSTATUS_VERSION_PATCH);
}

/* ------------------------------------------------------------------------ */
/* Result names and descriptions                                             */
/* ------------------------------------------------------------------------ */

static const struct {
    int value;
    const char *name;
} defined_results[] = {
    { SMTPSTATUS_OK, "SMTPSTATUS_OK" },
    { SMTPSTATUS_INCOMPLETE, "SMTPSTATUS_INCOMPLETE" },
    { SMTPSTATUS_E_INVALID_ARG, "SMTPSTATUS_E_INVALID_ARG" },
    { SMTPSTATUS_E_SYNTAX, "SMTPSTATUS_E_SYNTAX" },
    { SMTPSTATUS_E_BAD_CODE, "SMTPSTATUS_E_BAD_CODE" },
    { SMTPSTATUS_E_TOO_LONG, "SMTPSTATUS_E_TOO_LONG" },
    { SMTPSTATUS_E_TOO_MANY, "SMTPSTATUS_E_TOO_MANY" },
    { SMTPSTATUS_E_UNSUPPORTED, "SMTPSTATUS_E_UNSUPPORTED" },
    { SMTPSTATUS_E_NOT_FOUND, "SMTPSTATUS_E_NOT_FOUND" },
    { SMTPSTATUS_E_TRUNCATED, "SMTPSTATUS_E_TRUNCATED" },
    { SMTPSTATUS_E_STRUCT_SIZE, "SMTPSTATUS_E_STRUCT_SIZE" },
    { SMTPSTATUS_E_NO_SPACE, "SMTPSTATUS_E_NO_SPACE" },
};

static bool is_defined_result(int v)
{
    for (size_t i = 0; i < COUNT(defined_results); i++)
        if (defined_results[i].value == v)
            return true;
    return false;
}

Test(table, result_values_are_the_documented_numbers)
{
    /* "Values are stable and never reused": bindings hard-code them. */
    cr_expect_eq(SMTPSTATUS_OK, 0);
    cr_expect_eq(SMTPSTATUS_INCOMPLETE, 1);
    cr_expect_eq(SMTPSTATUS_E_INVALID_ARG, -1);
    cr_expect_eq(SMTPSTATUS_E_SYNTAX, -2);
    cr_expect_eq(SMTPSTATUS_E_BAD_CODE, -3);
    cr_expect_eq(SMTPSTATUS_E_TOO_LONG, -4);
    cr_expect_eq(SMTPSTATUS_E_TOO_MANY, -5);
    cr_expect_eq(SMTPSTATUS_E_UNSUPPORTED, -6);
    cr_expect_eq(SMTPSTATUS_E_NOT_FOUND, -7);
    cr_expect_eq(SMTPSTATUS_E_TRUNCATED, -8);
    cr_expect_eq(SMTPSTATUS_E_STRUCT_SIZE, -9);
    cr_expect_eq(SMTPSTATUS_E_NO_SPACE, -10);
}

Test(table, result_name_and_strerror_name_every_defined_value)
{
    for (size_t i = 0; i < COUNT(defined_results); i++) {
        int v = defined_results[i].value;
        const char *name = smtpstatus_result_name(v);
        const char *text = smtpstatus_strerror(v);

        cr_assert_not_null(name, "%d", v);
        cr_expect_str_eq(name, defined_results[i].name);
        cr_assert_not_null(text, "%d", v);
        cr_expect_neq(text[0], '\0', "%d: empty description", v);
        cr_expect_str_neq(text, "unknown result", "%d", v);
        /* Each description tells its value apart from the others. */
        for (size_t j = 0; j < i; j++)
            cr_expect_str_neq(text, smtpstatus_strerror(defined_results[j].value), "%d and %d",
                              v, defined_results[j].value);
    }
}

Test(table, result_name_and_strerror_never_return_null)
{
    static const int extremes[] = { INT_MIN, INT_MIN + 1, INT_MAX, INT_MAX - 1 };

    for (int v = -100; v <= 100; v++) {
        const char *name = smtpstatus_result_name(v);
        const char *text = smtpstatus_strerror(v);

        cr_assert_not_null(name, "%d", v);
        cr_assert_not_null(text, "%d", v);
        if (!is_defined_result(v)) {
            cr_expect_str_eq(name, "SMTPSTATUS_UNKNOWN", "%d", v);
            cr_expect_str_eq(text, "unknown result", "%d", v);
        }
    }
    for (size_t i = 0; i < COUNT(extremes); i++) {
        const char *name = smtpstatus_result_name(extremes[i]);
        const char *text = smtpstatus_strerror(extremes[i]);

        cr_assert_not_null(name, "%d", extremes[i]);
        cr_assert_not_null(text, "%d", extremes[i]);
        cr_expect_str_eq(name, "SMTPSTATUS_UNKNOWN", "%d", extremes[i]);
        cr_expect_str_eq(text, "unknown result", "%d", extremes[i]);
    }
}
