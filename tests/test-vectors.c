/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * Labelled real replies (tests/vectors/replies.tsv: from the RFCs, provider
 * documentation, MTA logs and the Diagnostic-Code lines of real bounces),
 * each with the reason and bounce type a postmaster would give. Every row
 * must classify as labelled, except rows marked as known disagreements,
 * which are reported. The agreement with sisimai's reason is printed for
 * the rows where sisimai's verdict is known.
 */

#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <smtpstatus.h>

#include "replies-vectors.h"

#define NVECTORS (sizeof vectors / sizeof vectors[0])

static int classify(const struct vector *t, struct smtpstatus_verdict *v)
{
    int stage = t->stage[0] ? smtpstatus_stage_from_name(t->stage, strlen(t->stage)) : 0;
    return smtpstatus_classify_text(t->text, t->len, stage, v);
}

Test(vectors, every_labelled_reply_classifies_as_labelled)
{
    size_t failures = 0, known_failures = 0, known_passes = 0;

    cr_assert_gt(NVECTORS, 300, "the labelled set is too small");
    for (size_t i = 0; i < NVECTORS; i++) {
        const struct vector *t = &vectors[i];
        struct smtpstatus_verdict v = SMTPSTATUS_VERDICT_INIT;
        int ok;

        cr_assert_eq(classify(t, &v), SMTPSTATUS_OK, "line %d", t->line);
        cr_assert_neq(smtpstatus_reason_from_name(t->reason, strlen(t->reason)) == 0 &&
                          strcmp(t->reason, "unknown") != 0,
                      1, "line %d: unknown label %s", t->line, t->reason);
        ok = strcmp(smtpstatus_reason_name((int)v.reason), t->reason) == 0 &&
             strcmp(smtpstatus_bounce_name((int)v.bounce), t->bounce) == 0;
        if (t->known[0]) {
            if (ok)
                known_passes++;
            else
                known_failures++;
            continue;
        }
        if (!ok) {
            failures++;
            cr_log_error("replies.tsv:%d: want %s/%s, got %s/%s (rule %s): %.*s", t->line,
                         t->reason, t->bounce, smtpstatus_reason_name((int)v.reason),
                         smtpstatus_bounce_name((int)v.bounce),
                         v.evidence_count ? v.evidence[0].rule : "-", (int)(t->len > 160 ? 160 : t->len),
                         t->text);
        }
    }
    cr_log_info("%zu vectors: %zu wrong, %zu known disagreements (%zu of them now agree)",
                NVECTORS, failures, known_failures + known_passes, known_passes);
    cr_assert_eq(failures, 0, "%zu labelled replies classified wrongly (see the log)", failures);
}

/* sisimai's reason names (its 5.x taxonomy): every verdict names one. */
static const char *const sisimai_names[] = {
    "authfailure", "badreputation", "blocked", "contenterror", "delivered", "exceedlimit",
    "expired", "failedstarttls", "feedback", "filtered", "hasmoved", "hostunknown", "mailboxfull",
    "mailererror", "mesgtoobig", "networkerror", "norelaying", "notaccept", "notcompliantrfc",
    "onhold", "policyviolation", "rejected", "requireptr", "securityerror", "spamdetected",
    "speeding", "suppressed", "suspend", "syntaxerror", "systemerror", "systemfull", "toomanyconn",
    "undefined", "userunknown", "vacation", "virusdetected",
};

static int known_sisimai_name(const char *name)
{
    for (size_t i = 0; i < sizeof sisimai_names / sizeof sisimai_names[0]; i++)
        if (name && strcmp(name, sisimai_names[i]) == 0)
            return 1;
    return 0;
}

Test(vectors, every_verdict_names_a_real_sisimai_reason)
{
    for (size_t i = 0; i < NVECTORS; i++) {
        struct smtpstatus_verdict v = SMTPSTATUS_VERDICT_INIT;
        cr_assert_eq(classify(&vectors[i], &v), SMTPSTATUS_OK);
        cr_assert(known_sisimai_name(v.sisimai_reason), "line %d: %s", vectors[i].line,
                  v.sisimai_reason ? v.sisimai_reason : "(null)");
        cr_assert_not_null(v.powermta_category);
    }
}

Test(vectors, agreement_with_sisimai_is_reported)
{
    size_t rows = 0, agree = 0;

    for (size_t i = 0; i < NVECTORS; i++) {
        const struct vector *t = &vectors[i];
        struct smtpstatus_verdict v = SMTPSTATUS_VERDICT_INIT;
        if (!t->sisimai[0])
            continue;
        cr_assert_eq(classify(t, &v), SMTPSTATUS_OK);
        rows++;
        if (v.sisimai_reason && strcmp(v.sisimai_reason, t->sisimai) == 0)
            agree++;
    }
    /* Printed for the record (docs/classification.md quotes it); the
     * per-row assertions above are what must hold. */
    printf("sisimai agreement: %zu of %zu rows (%.1f%%)\n", agree, rows,
           rows ? 100.0 * (double)agree / (double)rows : 0.0);
    cr_assert_gt(rows, 0);
}
