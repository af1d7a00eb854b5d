/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * smtpstatus explain: what a code, a reply or a log line means, and what to
 * do about it.
 *
 *   smtpstatus explain 4.4.1
 *   smtpstatus explain 550
 *   smtpstatus explain "550 5.1.1 <bob@example.com>: user unknown"
 *   smtpstatus explain filtered          (a reason, as dsn and classify print it)
 */

#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Render with a library call that has snprintf() semantics, growing the
 * buffer once if the first guess was short. */
typedef int (*render_fn)(const void *ctx, char *buf, size_t size);

static int print_rendered(render_fn fn, const void *ctx, const char *indent)
{
    char small[2048];
    int n = fn(ctx, small, sizeof small);
    char *buf = small;

    if (n < 0)
        return n;
    if ((size_t)n >= sizeof small) {
        buf = malloc((size_t)n + 1);
        if (buf == NULL)
            return SMTPSTATUS_E_TOO_LONG;
        fn(ctx, buf, (size_t)n + 1);
    }
    cli_print_wrapped(buf, indent);
    if (buf != small)
        free(buf);
    return SMTPSTATUS_OK;
}

static int render_code(const void *ctx, char *buf, size_t size)
{
    return smtpstatus_explain_enhanced(ctx, buf, size);
}

static int render_reply_code(const void *ctx, char *buf, size_t size)
{
    return smtpstatus_explain_reply_code(*(const unsigned *)ctx, buf, size);
}

struct verdict_ctx {
    const char *input;
    size_t len;
    const struct smtpstatus_verdict *verdict;
};

static int render_verdict(const void *ctx, char *buf, size_t size)
{
    const struct verdict_ctx *v = ctx;
    return smtpstatus_explain_verdict(v->input, v->len, v->verdict, buf, size);
}

static void print_code_details(const struct smtpstatus_enhanced *code, int with_paragraph)
{
    struct smtpstatus_code_info info = SMTPSTATUS_CODE_INFO_INIT;
    char text[SMTPSTATUS_ENHANCED_TEXT_MAX];

    if (smtpstatus_lookup_enhanced(code, &info) != SMTPSTATUS_OK)
        return;
    smtpstatus_format_enhanced(code, text, sizeof text);
    printf("%s  %s\n", text,
           info.title ? info.title
                      : (info.flags & SMTPSTATUS_CODE_REGISTERED ? "(deprecated)"
                                                                : "(not registered; provider-specific detail)"));
    if (with_paragraph) {
        print_rendered(render_code, code, "  ");
        putchar('\n');
    }
    cli_print_field("in practice", info.practical_meaning);
    cli_print_field("causes", info.causes);
    cli_print_field("what to do", info.remedy);
    if (info.party)
        cli_print_field("who acts", smtpstatus_party_name((int)info.party));
    cli_print_field("class", info.class_title);
    cli_print_field("subject", info.subject_title);
    cli_print_field("reply codes", info.basic_codes_text);
    cli_print_field("reference", info.reference);
    cli_print_field("replaced by", info.replaced_by);
}

static void print_reply_code_details(unsigned code, int with_paragraph)
{
    struct smtpstatus_reply_info info = SMTPSTATUS_REPLY_INFO_INIT;

    if (smtpstatus_lookup_reply_code(code, &info) != SMTPSTATUS_OK)
        return;
    printf("%u  %s\n", code, info.recommended_text && info.recommended_text[0]
                                 ? info.recommended_text
                                 : (info.kind ? "" : "(not a defined reply code)"));
    if (with_paragraph) {
        print_rendered(render_reply_code, &code, "  ");
        putchar('\n');
    }
    cli_print_field("class", info.class_name);
    cli_print_field("category", info.category_name);
    cli_print_field("context", info.context);
    cli_print_field("reference", info.reference);
    cli_print_field("in practice", info.notes);
}

static int is_reply_code(const char *s, size_t len)
{
    return len == 3 && s[0] >= '1' && s[0] <= '5' && s[1] >= '0' && s[1] <= '9' && s[2] >= '0' &&
           s[2] <= '9';
}

/* Accept the registry's own "X.1.1" form too. */
static int parse_code_arg(const char *s, size_t len, struct smtpstatus_enhanced *code)
{
    if (len > 2 && (s[0] == 'X' || s[0] == 'x') && s[1] == '.') {
        char tmp[16];
        if (len >= sizeof tmp)
            return SMTPSTATUS_E_SYNTAX;
        memcpy(tmp, s, len);
        tmp[0] = '5';
        if (smtpstatus_parse_enhanced(tmp, len, 0, code, NULL) != SMTPSTATUS_OK)
            return SMTPSTATUS_E_SYNTAX;
        code->cls = 0;
        return SMTPSTATUS_OK;
    }
    return smtpstatus_parse_enhanced(s, len, 0, code, NULL);
}

/* A reason's name ("filtered", as dsn and classify print it): its plain
 * words and what it implies. */
static int explain_reason(const char *arg, size_t len)
{
    struct smtpstatus_reason_info info = SMTPSTATUS_REASON_INFO_INIT;
    int reason = smtpstatus_reason_from_name(arg, len);
    char actions[160];

    /* "unknown" is a reason too; any other unknown name is not one. */
    if (reason == SMTPSTATUS_REASON_UNKNOWN && !(len == 7 && memcmp(arg, "unknown", 7) == 0))
        return 0;
    if (smtpstatus_reason_info(reason, &info) != SMTPSTATUS_OK)
        return 0;
    printf("%s: %s\n\n", info.name, info.title);
    cli_print_wrapped(info.meaning, "  ");
    puts("\n  Likely causes:");
    cli_print_wrapped(info.causes, "    ");
    puts("\n  What to do:");
    cli_print_wrapped(info.remedy, "    ");
    putchar('\n');
    cli_print_field("party", smtpstatus_party_name((int)info.party));
    cli_print_field("bounce", info.address_dead ? "hard when permanent (the address is dead), else soft"
                                                : "soft (the address may still be good)");
    snprintf(actions, sizeof actions, "%s when transient, %s when permanent",
             smtpstatus_action_name((int)info.transient_action),
             smtpstatus_action_name((int)info.permanent_action));
    cli_print_field("action", actions);
    cli_print_field("sisimai", info.sisimai_reason);
    return 1;
}

static int explain_one(const char *arg, size_t len)
{
    struct smtpstatus_enhanced code;
    struct smtpstatus_reply reply = SMTPSTATUS_REPLY_INIT;
    struct smtpstatus_verdict verdict = SMTPSTATUS_VERDICT_INIT;
    int rc;

    if (parse_code_arg(arg, len, &code) == SMTPSTATUS_OK) {
        print_code_details(&code, 1);
        return CLI_EXIT_OK;
    }
    if (explain_reason(arg, len))
        return CLI_EXIT_OK;
    if (is_reply_code(arg, len)) {
        print_reply_code_details((unsigned)((arg[0] - '0') * 100 + (arg[1] - '0') * 10 + (arg[2] - '0')), 1);
        return CLI_EXIT_OK;
    }
    if (smtpstatus_parse_enhanced(arg, len, 0, &code, NULL) == SMTPSTATUS_E_BAD_CODE) {
        fprintf(stderr, "smtpstatus: %.*s: not an enhanced status code: the class must be 2, 4 "
                        "or 5 and each part one to three digits without a leading zero "
                        "(RFC 3463)\n", (int)len, arg);
        return CLI_EXIT_NOT_FOUND;
    }
    rc = smtpstatus_parse_reply(arg, len, SMTPSTATUS_REPLY_LENIENT, &reply);
    if (rc != SMTPSTATUS_OK) {
        /* No reply, but perhaps a code: a log's "dsn=5.1.1", a "Status:". */
        struct smtpstatus_span where;
        if (smtpstatus_find_enhanced(arg, len, 0, &code, &where) == SMTPSTATUS_OK) {
            smtpstatus_classify_text(arg, len, 0, &verdict);
            printf("%.*s\n", (int)len, arg);
            {
                struct verdict_ctx ctx = { arg, len, &verdict };
                print_rendered(render_verdict, &ctx, "  ");
            }
            putchar('\n');
            print_code_details(&code, 0);
            return CLI_EXIT_OK;
        }
        fprintf(stderr, "smtpstatus: %.*s: no SMTP reply or status code found (%s, at byte %zu)\n",
                (int)len, arg, smtpstatus_strerror(rc), reply.error_offset);
        return CLI_EXIT_NOT_FOUND;
    }
    smtpstatus_classify_reply(arg, len, &reply, 0, &verdict);
    printf("%.*s\n", (int)reply.span.len, arg + reply.span.off);
    {
        struct verdict_ctx ctx = { arg, len, &verdict };
        print_rendered(render_verdict, &ctx, "  ");
    }
    putchar('\n');
    cli_print_field("outcome", smtpstatus_outcome_name((int)verdict.outcome));
    cli_print_field("bounce", smtpstatus_bounce_name((int)verdict.bounce));
    cli_print_field("reason", smtpstatus_reason_name((int)verdict.reason));
    cli_print_field("action", smtpstatus_action_name((int)verdict.action));
    if (reply.stage != SMTPSTATUS_STAGE_UNKNOWN)
        cli_print_field("stage", smtpstatus_stage_name((int)reply.stage));
    cli_print_field("provider", verdict.provider);
    putchar('\n');
    print_reply_code_details(reply.code, 0);
    if (reply.has_enhanced) {
        putchar('\n');
        print_code_details(&reply.enhanced, 0);
    }
    return CLI_EXIT_OK;
}

struct stdin_state {
    int first;
};

static int explain_line(const char *line, size_t len, void *ctx)
{
    struct stdin_state *st = ctx;

    if (len == 0 || line[0] == '#')
        return 0;
    if (!st->first)
        fputs("\n----\n\n", stdout);
    st->first = 0;
    return explain_one(line, len);
}

int cmd_explain(int argc, char **argv)
{
    int status = CLI_EXIT_OK;

    if (argc < 1 || (argc == 1 && strcmp(argv[0], "-") == 0)) {
        struct stdin_state st = { 1 };
        return cli_for_each_line(stdin, explain_line, &st) ? CLI_EXIT_NOT_FOUND : CLI_EXIT_OK;
    }
    for (int i = 0; i < argc; i++) {
        if (i > 0)
            putchar('\n');
        if (explain_one(argv[i], strlen(argv[i])) != CLI_EXIT_OK)
            status = CLI_EXIT_NOT_FOUND;
    }
    return status;
}
