/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * The classifier's mechanics: precedence, outcome, bounce, action, retry
 * delays, evidence, flags, the names and the retry advice. The labelled
 * real replies are in test-vectors.c.
 */

#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <smtpstatus.h>

static struct smtpstatus_verdict classify(const char *text, int stage)
{
    struct smtpstatus_verdict v = SMTPSTATUS_VERDICT_INIT;
    size_t len = strlen(text);
    /* An exactly sized copy, so a sanitizer sees any read past the end. */
    char *copy = malloc(len ? len : 1);
    memcpy(copy, text, len);
    cr_assert_eq(smtpstatus_classify_text(copy, len, stage, &v), SMTPSTATUS_OK, "%s", text);
    for (unsigned i = 0; i < v.evidence_count; i++)
        cr_assert_leq(v.evidence[i].span.off + v.evidence[i].span.len, len);
    free(copy);
    return v;
}

#define assert_reason(v, want) \
    cr_assert_str_eq(smtpstatus_reason_name((int)(v).reason), (want), "rule %s", \
                     (v).evidence_count ? (v).evidence[0].rule : "-")

Test(classify, unknown_user_is_a_hard_bounce)
{
    struct smtpstatus_verdict v = classify("550 5.1.1 <bob@example.com>: Recipient address "
                                           "rejected: User unknown in virtual mailbox table",
                                           0);
    assert_reason(v, "recipient_unknown");
    cr_assert_eq(v.outcome, SMTPSTATUS_OUTCOME_PERMANENT);
    cr_assert_eq(v.bounce, SMTPSTATUS_BOUNCE_HARD);
    cr_assert_eq(v.action, SMTPSTATUS_ACTION_SUPPRESS_RECIPIENT);
    cr_assert_eq(v.party, SMTPSTATUS_PARTY_RECIPIENT);
    cr_assert_str_eq(v.sisimai_reason, "userunknown");
    cr_assert_eq(v.reply_code, 550);
    cr_assert(v.has_enhanced);
    cr_assert_eq(v.retry_after, 0);
    cr_assert_geq(v.evidence_count, 1);
    cr_assert_not_null(v.evidence[0].rule);
    cr_assert_not_null(v.evidence[0].source);
}

Test(classify, the_same_reason_as_4xx_is_soft_and_retried)
{
    struct smtpstatus_verdict v = classify("450 4.1.1 <bob@example.com>: Recipient address "
                                           "rejected: User unknown", 0);
    assert_reason(v, "recipient_unknown");
    cr_assert_eq(v.outcome, SMTPSTATUS_OUTCOME_TRANSIENT);
    cr_assert_eq(v.bounce, SMTPSTATUS_BOUNCE_SOFT);
    cr_assert_eq(v.action, SMTPSTATUS_ACTION_RETRY_LATER);
    cr_assert_gt(v.retry_after, 0);
}

Test(classify, text_beats_a_misused_specific_code)
{
    /* GoDaddy sends 5.1.1 for its hourly recipient limit (p5-sisimai#236). */
    struct smtpstatus_verdict v = classify("550 5.1.1 <bob@example.com> sent to too many "
                                           "recipients this hour", 0);
    cr_assert_neq(v.reason, SMTPSTATUS_REASON_RECIPIENT_UNKNOWN);
    cr_assert_neq(v.bounce, SMTPSTATUS_BOUNCE_HARD);
    cr_assert(v.reason == SMTPSTATUS_REASON_RATE_LIMITED ||
                  v.reason == SMTPSTATUS_REASON_TOO_MANY_RECIPIENTS,
              "got %s", smtpstatus_reason_name((int)v.reason));
    /* The code's default is still in the evidence, and it lost. */
    int saw_code = 0;
    for (unsigned i = 0; i < v.evidence_count; i++)
        if (v.evidence[i].kind == SMTPSTATUS_EVIDENCE_ENHANCED_CODE &&
            v.evidence[i].reason == SMTPSTATUS_REASON_RECIPIENT_UNKNOWN)
            saw_code = 1;
    cr_assert(saw_code);
    cr_assert_gt(v.evidence[0].confidence, 80);
}

Test(classify, text_beats_a_generic_code)
{
    struct smtpstatus_verdict v = classify("550 5.0.0 <bob@example.com>: mailbox full", 0);
    assert_reason(v, "mailbox_full");
    cr_assert_eq(v.bounce, SMTPSTATUS_BOUNCE_SOFT);

    v = classify("554 5.7.1 <bob@example.com>: Recipient address rejected: user unknown", 0);
    assert_reason(v, "recipient_unknown");
}

Test(classify, a_reliable_specific_code_beats_a_weak_phrase)
{
    struct smtpstatus_verdict v = classify("550 5.7.26 Message rejected", 0);
    assert_reason(v, "auth_failure");
    cr_assert_eq(v.evidence[0].kind, SMTPSTATUS_EVIDENCE_ENHANCED_CODE);
    cr_assert_eq(v.action, SMTPSTATUS_ACTION_FIX_SENDER_SETUP);
    cr_assert_eq(v.party, SMTPSTATUS_PARTY_SENDER_SETUP);
}

Test(classify, a_provider_rule_beats_the_registry_meaning)
{
    /* Gmail's 4.7.23 is a PTR problem; IANA's X.7.23 is an SPF failure. */
    struct smtpstatus_verdict v = classify(
        "421-4.7.23 The sending IP address for this message does not have a PTR record, or\r\n"
        "421 4.7.23 the PTR record's forward DNS entry does not match the sending IP. - gsmtp",
        0);
    assert_reason(v, "reverse_dns");
    cr_assert_eq(v.evidence[0].kind, SMTPSTATUS_EVIDENCE_PROVIDER);
    cr_assert_str_eq(v.provider, "gmail");
    cr_assert_eq(v.outcome, SMTPSTATUS_OUTCOME_TRANSIENT);
}

Test(classify, the_host_hint_recognises_the_provider)
{
    static const char text[] = "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found "
                               "by SMTP address lookup";
    struct smtpstatus_classify_input in = SMTPSTATUS_CLASSIFY_INPUT_INIT;
    struct smtpstatus_verdict v = SMTPSTATUS_VERDICT_INIT;
    static const char host[] = "example-com.mail.protection.outlook.com";

    in.text = text;
    in.text_len = sizeof text - 1;
    in.reply_code = 550;
    in.has_enhanced = true;
    in.enhanced.cls = 5;
    in.enhanced.subject = 1;
    in.enhanced.detail = 10;
    in.host = host;
    in.host_len = sizeof host - 1;
    cr_assert_eq(smtpstatus_classify(&in, &v), SMTPSTATUS_OK);
    assert_reason(v, "recipient_unknown");
    cr_assert_eq(v.bounce, SMTPSTATUS_BOUNCE_HARD);
    cr_assert_str_eq(v.provider, "microsoft");
}

Test(classify, success_and_intermediate_replies)
{
    struct smtpstatus_verdict v = classify("250 2.0.0 Ok: queued as 3F2A1C0", 0);
    cr_assert_eq(v.outcome, SMTPSTATUS_OUTCOME_SUCCESS);
    cr_assert_eq(v.reason, SMTPSTATUS_REASON_DELIVERED);
    cr_assert_eq(v.bounce, SMTPSTATUS_BOUNCE_NONE);
    cr_assert_eq(v.action, SMTPSTATUS_ACTION_NONE);

    v = classify("354 End data with <CR><LF>.<CR><LF>", SMTPSTATUS_STAGE_DATA);
    cr_assert_eq(v.outcome, SMTPSTATUS_OUTCOME_INTERMEDIATE);
    cr_assert_eq(v.bounce, SMTPSTATUS_BOUNCE_NONE);
    cr_assert_eq(v.action, SMTPSTATUS_ACTION_NONE);
    cr_assert_eq(v.stage, SMTPSTATUS_STAGE_DATA);
}

Test(classify, the_reply_code_decides_the_outcome_on_a_class_mismatch)
{
    /* RFC 2034 §3 requires the classes to agree; Google's STARTTLS reply
     * does not. The reply code is what the client acts on. */
    struct smtpstatus_verdict v = classify("454 5.5.1 STARTTLS may not be repeated", 0);
    cr_assert_eq(v.outcome, SMTPSTATUS_OUTCOME_TRANSIENT);
    cr_assert(v.flags & SMTPSTATUS_VERDICT_CLASS_MISMATCH);
}

Test(classify, a_552_for_too_many_recipients_is_transient)
{
    /* RFC 5321 §4.5.3.1.10. */
    struct smtpstatus_verdict v = classify("552 5.5.3 Too many recipients", SMTPSTATUS_STAGE_RCPT);
    assert_reason(v, "too_many_recipients");
    cr_assert_eq(v.outcome, SMTPSTATUS_OUTCOME_TRANSIENT);
    cr_assert(v.flags & SMTPSTATUS_VERDICT_552_AS_452);
    cr_assert_eq(v.action, SMTPSTATUS_ACTION_SPLIT_RECIPIENTS);
}

Test(classify, a_delay_in_the_text_is_read)
{
    static const struct {
        const char *text;
        unsigned seconds;
    } cases[] = {
        { "451 4.7.1 Greylisted, please try again in 5 minutes", 300 },
        { "450 4.2.0 Greylisted, see http://postgrey.example.com; retry after 300 seconds", 300 },
        { "421 4.7.0 Too many connections, try again in 2 hours", 7200 },
        { "451 4.7.1 Please try again later (wait 90 sec)", 90 },
        { "421 4.7.28 Rate limited. Retry in 1 day", 86400 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct smtpstatus_verdict v = classify(cases[i].text, 0);
        cr_assert_eq(v.retry_after, cases[i].seconds, "%s: %u", cases[i].text, v.retry_after);
        cr_assert(v.flags & SMTPSTATUS_VERDICT_DELAY_FROM_TEXT, "%s", cases[i].text);
    }
}

Test(classify, numbers_that_are_not_delays_are_ignored)
{
    struct smtpstatus_verdict v = classify("451 4.3.0 Server 192.0.2.1 busy 5 m", 0);
    cr_assert_not(v.flags & SMTPSTATUS_VERDICT_DELAY_FROM_TEXT);
    cr_assert_gt(v.retry_after, 0, "a transient failure still gets a default delay");
    v = classify("451 4.7.1 Greylisted for 99999999 hours", 0);
    cr_assert_not(v.flags & SMTPSTATUS_VERDICT_DELAY_FROM_TEXT);
}

Test(classify, words_alone_infer_the_outcome)
{
    /* Sendmail's log says "stat=User unknown" with no code in sight. */
    struct smtpstatus_verdict v = classify("stat=User unknown", 0);
    assert_reason(v, "recipient_unknown");
    cr_assert(v.flags & SMTPSTATUS_VERDICT_OUTCOME_INFERRED);
    cr_assert_eq(v.outcome, SMTPSTATUS_OUTCOME_PERMANENT);
    cr_assert_eq(v.bounce, SMTPSTATUS_BOUNCE_HARD);
}

Test(classify, a_log_dsn_field_gives_the_code)
{
    struct smtpstatus_verdict v = classify(
        "Nov 23 10:00:00 mx postfix/smtp[4242]: 3F2A1C0: to=<bob@example.com>, relay=none, "
        "delay=300, delays=0.1/0/300/0, dsn=4.4.1, status=deferred (connect to "
        "mx.example.com[192.0.2.1]:25: Connection timed out)",
        0);
    cr_assert(v.has_enhanced);
    cr_assert_eq(v.enhanced.cls, 4);
    cr_assert_eq(v.enhanced.subject, 4);
    cr_assert_eq(v.enhanced.detail, 1);
    assert_reason(v, "connection_failure");
    cr_assert_eq(v.outcome, SMTPSTATUS_OUTCOME_TRANSIENT);
    cr_assert_eq(v.action, SMTPSTATUS_ACTION_RETRY_LATER);
    cr_assert_geq(v.retry_after, 1800, "RFC 5321 §4.5.4.1: at least 30 minutes");
}

Test(classify, stage_comes_from_the_log_text_or_the_caller)
{
    struct smtpstatus_verdict v = classify(
        "host mx.example.com[192.0.2.1] said: 550 5.1.1 <bob@example.com>: Recipient address "
        "rejected (in reply to RCPT TO command)", 0);
    cr_assert_eq(v.stage, SMTPSTATUS_STAGE_RCPT);
    v = classify("550 5.1.1 <bob@example.com>: Recipient address rejected",
                 SMTPSTATUS_STAGE_END_OF_DATA);
    cr_assert_eq(v.stage, SMTPSTATUS_STAGE_END_OF_DATA);
}

/* An "unknown user" once the message was sent comes from a filter: the
 * recipient had been accepted at RCPT TO (RFC 5321 §3.3). An addressing
 * code (X.1.y) or a provider's documented reply keeps it a dead address. */
Test(classify, an_unknown_user_after_data_is_a_filter)
{
    struct smtpstatus_verdict v = classify("550 Unknown user bob@example.jp", SMTPSTATUS_STAGE_END_OF_DATA);
    assert_reason(v, "filtered");
    cr_assert_eq(v.outcome, SMTPSTATUS_OUTCOME_PERMANENT);
    cr_assert_eq(v.bounce, SMTPSTATUS_BOUNCE_SOFT);
    cr_assert_eq(v.action, SMTPSTATUS_ACTION_STOP);
    cr_assert_str_eq(v.sisimai_reason, "filtered");
    v = classify("host mx.example.jp[192.0.2.1] said: 550 Unknown user bob@example.jp (in reply to end "
                 "of DATA command)", 0);
    assert_reason(v, "filtered");
    v = classify("550 Unknown user bob@example.jp", SMTPSTATUS_STAGE_DATA);
    assert_reason(v, "filtered");
    v = classify("550 Unknown user bob@example.jp", SMTPSTATUS_STAGE_RCPT);
    assert_reason(v, "recipient_unknown");
    v = classify("550 Unknown user bob@example.jp", 0);
    assert_reason(v, "recipient_unknown");
    v = classify("550 5.1.1 Unknown user bob@example.jp", SMTPSTATUS_STAGE_END_OF_DATA);
    assert_reason(v, "recipient_unknown");
    cr_assert_eq(v.bounce, SMTPSTATUS_BOUNCE_HARD);
    v = classify("554 delivery error: dd This user doesn't have a yahoo.com account "
                 "(bob@yahoo.com) [0] - mta1234.mail.bf1.yahoo.com", SMTPSTATUS_STAGE_END_OF_DATA);
    assert_reason(v, "recipient_unknown");
    /* Other reasons are not touched by the stage. */
    v = classify("552 5.2.2 Mailbox full", SMTPSTATUS_STAGE_END_OF_DATA);
    assert_reason(v, "mailbox_full");
}

/* Before MAIL FROM the server knows only the client: a permanent generic
 * refusal of the greeting or of EHLO is a refusal of the client. */
Test(classify, a_generic_refusal_before_mail_is_a_block)
{
    struct smtpstatus_verdict v = classify("550 Rejected", SMTPSTATUS_STAGE_EHLO);
    assert_reason(v, "blocklisted");
    cr_assert_str_eq(v.sisimai_reason, "blocked");
    v = classify("554 Access denied", SMTPSTATUS_STAGE_CONNECT);
    assert_reason(v, "blocklisted");
    v = classify("550 Rejected", SMTPSTATUS_STAGE_RCPT);
    assert_reason(v, "policy");
    /* A transient refusal may be load; a named cause stays. */
    v = classify("421 Service not available, closing transmission channel", SMTPSTATUS_STAGE_CONNECT);
    assert_reason(v, "system_error");
    v = classify("550 5.7.25 Reverse DNS validation failed", SMTPSTATUS_STAGE_CONNECT);
    assert_reason(v, "reverse_dns");
}

Test(classify, any_bytes_are_safe)
{
    unsigned char junk[512];
    unsigned seed = 12345;
    for (int round = 0; round < 200; round++) {
        struct smtpstatus_verdict v = SMTPSTATUS_VERDICT_INIT;
        size_t len = (size_t)round * 2 + 1;
        for (size_t i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            junk[i] = (unsigned char)(seed >> 16);
        }
        if (round % 3 == 0)
            memcpy(junk, "550 ", 4);
        cr_assert_eq(smtpstatus_classify_text((const char *)junk, len, 0, &v), SMTPSTATUS_OK);
        cr_assert_leq(v.evidence_count, SMTPSTATUS_EVIDENCE_MAX);
    }
}

Test(classify, non_english_phrases)
{
    struct smtpstatus_verdict v = classify("550 Benutzer unbekannt", 0);
    assert_reason(v, "recipient_unknown");
    v = classify("550 5.2.2 Boîte aux lettres pleine", 0);
    assert_reason(v, "mailbox_full");
}

Test(classify, bad_arguments)
{
    struct smtpstatus_verdict v = SMTPSTATUS_VERDICT_INIT;
    struct smtpstatus_classify_input in = SMTPSTATUS_CLASSIFY_INPUT_INIT;
    struct smtpstatus_reply reply = SMTPSTATUS_REPLY_INIT;

    cr_assert_eq(smtpstatus_classify(NULL, &v), SMTPSTATUS_E_INVALID_ARG);
    cr_assert_eq(smtpstatus_classify(&in, NULL), SMTPSTATUS_E_INVALID_ARG);
    in.text_len = 3;
    cr_assert_eq(smtpstatus_classify(&in, &v), SMTPSTATUS_E_INVALID_ARG);
    in.text_len = 0;
    in.reply_code = 650;
    cr_assert_eq(smtpstatus_classify(&in, &v), SMTPSTATUS_E_BAD_CODE);
    in.reply_code = 550;
    in.has_enhanced = true;
    in.enhanced.cls = 3;
    cr_assert_eq(smtpstatus_classify(&in, &v), SMTPSTATUS_E_BAD_CODE);
    in.has_enhanced = false;
    in.size = 8;
    cr_assert_eq(smtpstatus_classify(&in, &v), SMTPSTATUS_E_STRUCT_SIZE);
    v.size = 8;
    cr_assert_eq(smtpstatus_classify_text("550", 3, 0, &v), SMTPSTATUS_E_STRUCT_SIZE);
    v.size = sizeof v;
    cr_assert_eq(smtpstatus_classify_text(NULL, 3, 0, &v), SMTPSTATUS_E_INVALID_ARG);
    cr_assert_eq(smtpstatus_classify_text("550", 3, -1, &v), SMTPSTATUS_E_INVALID_ARG);
    cr_assert_eq(smtpstatus_classify_reply("550", 3, &reply, 0, &v), SMTPSTATUS_E_INVALID_ARG,
                 "an unparsed reply");
    cr_assert_eq(smtpstatus_classify_text("", 0, 0, &v), SMTPSTATUS_OK);
    cr_assert_eq(v.reason, SMTPSTATUS_REASON_UNKNOWN);
}

Test(classify, classify_reply_reads_only_the_reply)
{
    /* Two pipelined replies: classifying the first must not read the second. */
    static const char wire[] = "250 2.1.0 Ok\r\n550 5.1.1 User unknown\r\n";
    struct smtpstatus_reply reply = SMTPSTATUS_REPLY_INIT;
    struct smtpstatus_verdict v = SMTPSTATUS_VERDICT_INIT;

    cr_assert_eq(smtpstatus_parse_reply(wire, sizeof wire - 1, 0, &reply), SMTPSTATUS_OK);
    cr_assert_eq(smtpstatus_classify_reply(wire, sizeof wire - 1, &reply, SMTPSTATUS_STAGE_MAIL, &v),
                 SMTPSTATUS_OK);
    cr_assert_eq(v.outcome, SMTPSTATUS_OUTCOME_SUCCESS);
    cr_assert_eq(v.stage, SMTPSTATUS_STAGE_MAIL);
}

Test(classify, every_enum_value_has_a_name)
{
    cr_assert_str_eq(smtpstatus_reason_name(SMTPSTATUS_REASON_UNKNOWN), "unknown");
    for (int r = 1; r < (int)smtpstatus_reason_count(); r++) {
        const char *name = smtpstatus_reason_name(r);
        cr_assert_str_neq(name, "unknown", "reason %d", r);
        cr_assert_eq(smtpstatus_reason_from_name(name, strlen(name)), r, "%s", name);
    }
    cr_assert_eq(smtpstatus_reason_count(), SMTPSTATUS_REASON_UNSUBSCRIBE_REQUEST + 1);
    cr_assert_str_eq(smtpstatus_reason_name(-1), "unknown");
    cr_assert_str_eq(smtpstatus_reason_name(1000), "unknown");
    cr_assert_str_eq(smtpstatus_outcome_name(SMTPSTATUS_OUTCOME_PERMANENT), "permanent");
    cr_assert_str_eq(smtpstatus_outcome_name(1), "unknown");
    cr_assert_str_eq(smtpstatus_bounce_name(SMTPSTATUS_BOUNCE_HARD), "hard");
    cr_assert_str_eq(smtpstatus_party_name(SMTPSTATUS_PARTY_CONTENT), "content");
    cr_assert_str_eq(smtpstatus_action_name(SMTPSTATUS_ACTION_STOP), "stop");
    cr_assert_str_eq(smtpstatus_action_name(99), "unknown");
    cr_assert_str_eq(smtpstatus_evidence_kind_name(SMTPSTATUS_EVIDENCE_PROVIDER), "provider");
    cr_assert_str_eq(smtpstatus_evidence_kind_name(SMTPSTATUS_EVIDENCE_STAGE), "stage");
}

/* When the command a reply answered turns the reason, the verdict says so
 * first, and the phrase it overrode follows with its span. */
Test(classify, a_stage_that_turns_the_reason_is_evidence)
{
    static const char text[] = "550 Unknown user bob@example.jp";
    struct smtpstatus_verdict v = classify(text, SMTPSTATUS_STAGE_END_OF_DATA);
    assert_reason(v, "filtered");
    cr_assert_geq(v.evidence_count, 2);
    cr_assert_eq(v.evidence[0].kind, SMTPSTATUS_EVIDENCE_STAGE);
    cr_assert_str_eq(v.evidence[0].rule, "stage.data.filtered");
    cr_assert_eq(v.evidence[0].reason, SMTPSTATUS_REASON_FILTERED);
    cr_assert_eq(v.evidence[0].span.len, 0);
    cr_assert_eq(v.evidence[1].kind, SMTPSTATUS_EVIDENCE_TEXT);
    cr_assert_eq(v.evidence[1].reason, SMTPSTATUS_REASON_RECIPIENT_UNKNOWN);
    cr_assert_eq(v.evidence[1].span.off, 4);
    cr_assert_eq(v.evidence[1].span.len, strlen("Unknown user"));

    v = classify("550 Access denied", SMTPSTATUS_STAGE_MAIL);
    assert_reason(v, "sender_rejected");
    cr_assert_str_eq(v.evidence[0].rule, "stage.mail.sender");
    v = classify("554 Denied by policy", SMTPSTATUS_STAGE_EHLO);
    assert_reason(v, "blocklisted");
    cr_assert_str_eq(v.evidence[0].rule, "stage.connect.client");
    cr_assert_eq(v.evidence_count, SMTPSTATUS_EVIDENCE_MAX, "a full list drops its weakest");
    cr_assert_eq(v.evidence[1].kind, SMTPSTATUS_EVIDENCE_TEXT);

    /* A turn with nothing to override (no rule knows reply 423) still
     * carries a confidence in 1..100. */
    v = classify("423 x", SMTPSTATUS_STAGE_MAIL);
    assert_reason(v, "sender_rejected");
    cr_assert_eq(v.evidence_count, 1);
    cr_assert(v.evidence[0].confidence >= 1 && v.evidence[0].confidence <= 100);

    /* No turn, no stage evidence. */
    v = classify(text, SMTPSTATUS_STAGE_RCPT);
    cr_assert_neq(v.evidence[0].kind, SMTPSTATUS_EVIDENCE_STAGE);
}

Test(classify, every_reason_is_described)
{
    for (int r = 0; r < (int)smtpstatus_reason_count(); r++) {
        struct smtpstatus_reason_info info = SMTPSTATUS_REASON_INFO_INIT;
        cr_assert_eq(smtpstatus_reason_info(r, &info), SMTPSTATUS_OK);
        cr_assert_not_null(info.title);
        cr_assert_not_null(info.meaning);
        cr_assert_not_null(info.causes);
        cr_assert_not_null(info.remedy);
        cr_assert_not_null(info.sisimai_reason);
        cr_assert_not_null(info.powermta_category);
        cr_assert_gt(info.sparkpost_class, 0);
    }
    struct smtpstatus_reason_info info = SMTPSTATUS_REASON_INFO_INIT;
    cr_assert_eq(smtpstatus_reason_info(-1, &info), SMTPSTATUS_E_NOT_FOUND);
    cr_assert_eq(smtpstatus_reason_info((int)smtpstatus_reason_count(), &info),
                 SMTPSTATUS_E_NOT_FOUND);
    cr_assert_eq(smtpstatus_reason_info(0, NULL), SMTPSTATUS_E_INVALID_ARG);
    cr_assert_eq(smtpstatus_reason_info(SMTPSTATUS_REASON_RECIPIENT_UNKNOWN, &info), SMTPSTATUS_OK);
    cr_assert(info.address_dead);
    cr_assert_eq(info.permanent_action, SMTPSTATUS_ACTION_SUPPRESS_RECIPIENT);
    cr_assert_str_eq(info.sisimai_reason, "userunknown");
}

Test(classify, every_registered_code_has_advice)
{
    for (size_t i = 0; i < smtpstatus_enhanced_count(); i++) {
        struct smtpstatus_code_info info = SMTPSTATUS_CODE_INFO_INIT;
        cr_assert_eq(smtpstatus_enhanced_at(i, &info), SMTPSTATUS_OK);
        cr_assert_not_null(info.practical_meaning, "X.%u.%u", info.code.subject, info.code.detail);
        cr_assert_not_null(info.causes);
        cr_assert_not_null(info.remedy);
        cr_assert_gt(info.party, 0);
    }
}

Test(classify, the_4_4_1_yardstick)
{
    /* No answer from the host: transient, the queue retries (RFC 5321
     * §4.5.4.1: 30 minutes, 4 to 5 days), and nothing about sizes. */
    struct smtpstatus_enhanced code = { 4, 0, 4, 1 };
    struct smtpstatus_code_info info = SMTPSTATUS_CODE_INFO_INIT;
    cr_assert_eq(smtpstatus_lookup_enhanced(&code, &info), SMTPSTATUS_OK);
    cr_assert_not_null(strstr(info.practical_meaning, "connection"));
    cr_assert_not_null(strstr(info.practical_meaning, "transient"));
    cr_assert_not_null(strstr(info.remedy, "30 minutes"));
    cr_assert_not_null(strstr(info.remedy, "4 to 5 days"));
    cr_assert_not_null(strstr(info.causes, "port 25"));
    cr_assert_null(strstr(info.practical_meaning, "size"));
    cr_assert_null(strstr(info.remedy, "size"));
    cr_assert_eq(info.party, SMTPSTATUS_PARTY_NETWORK);
}

Test(classify, explain_verdict)
{
    static const char text[] = "550 5.1.1 <bob@example.com>: Recipient address rejected: "
                               "User unknown";
    struct smtpstatus_verdict v = SMTPSTATUS_VERDICT_INIT;
    char buf[4096];
    int n;

    cr_assert_eq(smtpstatus_classify_text(text, sizeof text - 1, 0, &v), SMTPSTATUS_OK);
    n = smtpstatus_explain_verdict(text, sizeof text - 1, &v, buf, sizeof buf);
    cr_assert(n > 0 && (size_t)n < sizeof buf);
    cr_assert_not_null(strstr(buf, "hard bounce"), "%s", buf);
    cr_assert_not_null(strstr(buf, "What to do"), "%s", buf);
    cr_assert_not_null(strstr(buf, "Evidence"), "%s", buf);
    cr_assert_not_null(strstr(buf, "rule "), "%s", buf);
    cr_assert_eq(smtpstatus_explain_verdict(text, sizeof text - 1, &v, NULL, 0), n);
    cr_assert_eq(smtpstatus_explain_verdict(NULL, 0, &v, buf, sizeof buf) > 0, 1,
                 "no input: no quote, still a paragraph");
    cr_assert_eq(smtpstatus_explain_verdict(text, 3, NULL, buf, sizeof buf),
                 SMTPSTATUS_E_INVALID_ARG);
}

static struct smtpstatus_retry advise(const char *text, uint64_t queued, uint32_t attempts)
{
    struct smtpstatus_verdict v = classify(text, 0);
    struct smtpstatus_retry r = SMTPSTATUS_RETRY_INIT;
    cr_assert_eq(smtpstatus_retry_advice(&v, queued, attempts, &r), SMTPSTATUS_OK);
    return r;
}

Test(retry, greylisting_is_retried_in_minutes)
{
    struct smtpstatus_retry r = advise("451 4.7.1 Greylisted, please try again in 5 minutes", 0, 1);
    cr_assert_eq(r.decision, SMTPSTATUS_RETRY_AT);
    cr_assert_eq(r.delay, 300);
    r = advise("451 4.7.1 Greylisted, please try again in 5 minutes", 300, 2);
    cr_assert_eq(r.decision, SMTPSTATUS_RETRY_AT);
    cr_assert_leq(r.delay, 3600);
}

Test(retry, ordinary_transient_failures_follow_rfc_5321)
{
    struct smtpstatus_retry r = advise("451 4.3.0 Temporary local problem", 0, 1);
    cr_assert_eq(r.decision, SMTPSTATUS_RETRY_AT);
    cr_assert_geq(r.delay, 1800);
    cr_assert_geq(r.give_up_after, 4u * 86400u);
    cr_assert_leq(r.give_up_after, 5u * 86400u);
    struct smtpstatus_retry later = advise("451 4.3.0 Temporary local problem", 7200, 4);
    cr_assert_geq(later.delay, r.delay, "intervals grow");
    cr_assert_leq(later.delay, 4u * 3600u);
    r = advise("451 4.3.0 Temporary local problem", 5u * 86400u, 40);
    cr_assert_eq(r.decision, SMTPSTATUS_RETRY_GIVE_UP);
    r = advise("451 4.3.0 Temporary local problem", 5u * 86400u - 60, 30);
    cr_assert_eq(r.decision, SMTPSTATUS_RETRY_AT);
    cr_assert_leq(r.delay, 60, "one last try at the give-up time");
}

Test(retry, rate_limits_back_off)
{
    struct smtpstatus_retry a = advise("421 4.7.28 Our system has detected an unusual rate of "
                                       "unsolicited mail - gsmtp", 0, 1);
    struct smtpstatus_retry b = advise("421 4.7.28 Our system has detected an unusual rate of "
                                       "unsolicited mail - gsmtp", 600, 3);
    cr_assert_eq(a.decision, SMTPSTATUS_RETRY_AT);
    cr_assert_eq(b.decision, SMTPSTATUS_RETRY_AT);
    cr_assert_gt(b.delay, a.delay);
}

Test(retry, a_full_mailbox_is_given_up_sooner)
{
    struct smtpstatus_retry r = advise("452 4.2.2 The email account that you tried to reach is "
                                       "over quota - gsmtp", 0, 1);
    cr_assert_eq(r.decision, SMTPSTATUS_RETRY_AT);
    cr_assert_geq(r.delay, 3600);
    cr_assert_eq(r.give_up_after, 3u * 86400u);
}

Test(retry, permanent_and_successful_outcomes)
{
    struct smtpstatus_retry r = advise("550 5.1.1 User unknown", 0, 1);
    cr_assert_eq(r.decision, SMTPSTATUS_RETRY_GIVE_UP);
    r = advise("250 2.0.0 OK", 0, 1);
    cr_assert_eq(r.decision, SMTPSTATUS_RETRY_NONE);
    r = advise("452 4.5.3 Too many recipients", 0, 1);
    cr_assert_eq(r.decision, SMTPSTATUS_RETRY_AT);
    cr_assert_eq(r.delay, 0, "split the batch and send the rest at once");
}

Test(retry, bad_arguments)
{
    struct smtpstatus_verdict v = SMTPSTATUS_VERDICT_INIT;
    struct smtpstatus_retry r = SMTPSTATUS_RETRY_INIT;
    cr_assert_eq(smtpstatus_retry_advice(NULL, 0, 1, &r), SMTPSTATUS_E_INVALID_ARG);
    cr_assert_eq(smtpstatus_retry_advice(&v, 0, 1, NULL), SMTPSTATUS_E_INVALID_ARG);
    r.size = 4;
    cr_assert_eq(smtpstatus_retry_advice(&v, 0, 1, &r), SMTPSTATUS_E_STRUCT_SIZE);
}

Test(classify, the_host_hint_matches_whole_labels_of_a_domain)
{
    static const char *const hosts[] = {
        "outlook.com", "OUTLOOK.COM.", "mx.EU.Outlook.com", "[example-com.mail.protection.outlook.com]",
    };
    static const char *const others[] = {
        "notoutlook.com", "outlook.com.example.net", "outlook", "com", ".", "",
    };
    static const char text[] = "550 5.1.1 User unknown";

    for (size_t i = 0; i < sizeof hosts / sizeof hosts[0] + sizeof others / sizeof others[0]; i++) {
        int known = i < sizeof hosts / sizeof hosts[0];
        const char *host = known ? hosts[i] : others[i - sizeof hosts / sizeof hosts[0]];
        struct smtpstatus_classify_input in = SMTPSTATUS_CLASSIFY_INPUT_INIT;
        struct smtpstatus_verdict v = SMTPSTATUS_VERDICT_INIT;

        in.text = text;
        in.text_len = sizeof text - 1;
        in.reply_code = 550;
        in.host = host[0] == '[' ? host + 1 : host;
        in.host_len = strlen(in.host);
        cr_assert_eq(smtpstatus_classify(&in, &v), SMTPSTATUS_OK);
        if (known)
            cr_assert(v.provider && strcmp(v.provider, "microsoft") == 0, "%s: provider %s", host,
                      v.provider ? v.provider : "(none)");
        else
            cr_assert(v.provider == NULL, "%s: provider %s", host, v.provider);
    }
}

/* The verdict's bytes are all the library's, padding included: a verdict
 * filled with 0xA5 beforehand comes back byte for byte as one filled with
 * zeros, whether 0 to 4 items of evidence are kept, a stage turned the
 * reason, or the caller's struct is larger (filled through a copy). */
Test(classify, every_byte_of_a_verdict_is_set)
{
    static const struct {
        const char *text;
        int stage;
    } cases[] = {
        { "", 0 },
        { "250 2.0.0 Ok: queued", 0 },
        { "354 go ahead", 0 },
        { "550 5.1.1 <a@b.c>: Recipient address rejected: User unknown in virtual mailbox table", 0 },
        { "421 4.7.0 Try again in 5 minutes, rate limited, too many connections", 0 },
        { "550-5.7.1 [192.0.2.1] The IP you're using to send mail is not authorized\r\n"
          "550 5.7.1 to send email directly to our servers. - gsmtp",
          0 },
        { "550 5.1.1 mailbox unavailable", SMTPSTATUS_STAGE_MAIL },
        { "554 5.7.1 rejected", SMTPSTATUS_STAGE_CONNECT },
        { "550 user unknown", SMTPSTATUS_STAGE_END_OF_DATA },
        { "stat=User unknown", 0 },
        { "host mx.example.com said: 552 5.2.2 mailbox full, quota exceeded, over quota", 0 },
        { "\xff\xfe 5.5.5", 0 },
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct {
            struct smtpstatus_verdict v;
            unsigned char tail[16];
        } a, b;
        size_t len = strlen(cases[i].text);

        for (int big = 0; big < 2; big++) {
            size_t size = big ? sizeof a : sizeof a.v;
            memset(&a, 0xA5, sizeof a);
            memset(&b, 0, sizeof b);
            a.v.size = b.v.size = size;
            cr_assert_eq(smtpstatus_classify_text(cases[i].text, len, cases[i].stage, &a.v), SMTPSTATUS_OK);
            cr_assert_eq(smtpstatus_classify_text(cases[i].text, len, cases[i].stage, &b.v), SMTPSTATUS_OK);
            cr_assert(memcmp(&a.v, &b.v, sizeof a.v) == 0, "%s (size %zu): a byte was left as it was",
                      cases[i].text, size);
        }
    }
}
