/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * smtpstatus classify [--json] [--stage STAGE] [TEXT ...]: a verdict for
 * each argument, or for each line of standard input.
 */

#include <string.h>

#include "cli.h"

struct options {
    int json;
    int stage;
    int from_stdin; /* lines starting with '#' are comments there */
};

static void print_json(const char *text, size_t len, const struct smtpstatus_verdict *v)
{
    char status[SMTPSTATUS_ENHANCED_TEXT_MAX];

    fputs("{\"input\":", stdout);
    json_string(stdout, text, len);
    fputs(",\"reply_code\":", stdout);
    if (v->reply_code)
        printf("%u", v->reply_code);
    else
        fputs("null", stdout);
    fputs(",\"status\":", stdout);
    if (v->has_enhanced && smtpstatus_format_enhanced(&v->enhanced, status, sizeof status) > 0)
        json_cstring(stdout, status);
    else
        fputs("null", stdout);
    printf(",\"outcome\":\"%s\",\"bounce\":\"%s\",\"reason\":\"%s\"",
           smtpstatus_outcome_name((int)v->outcome), smtpstatus_bounce_name((int)v->bounce),
           smtpstatus_reason_name((int)v->reason));
    fputs(",\"sisimai_reason\":", stdout);
    json_cstring(stdout, v->sisimai_reason);
    fputs(",\"powermta_category\":", stdout);
    json_cstring(stdout, v->powermta_category);
    printf(",\"sparkpost_class\":%u", v->sparkpost_class);
    printf(",\"action\":\"%s\",\"retry_after\":", smtpstatus_action_name((int)v->action));
    if (v->retry_after)
        printf("%u", v->retry_after);
    else
        fputs("null", stdout);
    printf(",\"party\":\"%s\",\"stage\":", smtpstatus_party_name((int)v->party));
    if (v->stage)
        json_cstring(stdout, smtpstatus_stage_name((int)v->stage));
    else
        fputs("null", stdout);
    fputs(",\"provider\":", stdout);
    json_cstring(stdout, v->provider);
    fputs(",\"rule\":", stdout);
    json_cstring(stdout, v->evidence_count ? v->evidence[0].rule : NULL);
    printf(",\"confidence\":%u,\"evidence\":[", v->confidence);
    for (unsigned i = 0; i < v->evidence_count; i++) {
        const struct smtpstatus_evidence *e = &v->evidence[i];
        printf("%s{\"kind\":\"%s\",\"rule\":", i ? "," : "", smtpstatus_evidence_kind_name((int)e->kind));
        json_cstring(stdout, e->rule);
        printf(",\"reason\":\"%s\",\"confidence\":%u,\"offset\":%zu,\"length\":%zu,\"source\":",
               smtpstatus_reason_name((int)e->reason), e->confidence, e->span.off, e->span.len);
        json_cstring(stdout, e->source);
        fputs("}", stdout);
    }
    fputs("]}\n", stdout);
}

static void print_text(const char *text, size_t len, const struct smtpstatus_verdict *v)
{
    char status[SMTPSTATUS_ENHANCED_TEXT_MAX] = "-";

    if (v->has_enhanced)
        smtpstatus_format_enhanced(&v->enhanced, status, sizeof status);
    printf("%-9s %-4s %-20s %-18s", smtpstatus_outcome_name((int)v->outcome),
           smtpstatus_bounce_name((int)v->bounce), smtpstatus_reason_name((int)v->reason),
           smtpstatus_action_name((int)v->action));
    if (v->retry_after)
        printf(" %6us", v->retry_after);
    else
        printf(" %7s", "-");
    printf("  %3u %-8s %.*s\n", v->reply_code, status, (int)(len > 200 ? 200 : len), text);
}

static int classify_one(const char *text, size_t len, void *ctx)
{
    const struct options *opt = ctx;
    struct smtpstatus_verdict v = SMTPSTATUS_VERDICT_INIT;

    if (len == 0 || (opt->from_stdin && text[0] == '#'))
        return 0;
    if (smtpstatus_classify_text(text, len, opt->stage, &v) != SMTPSTATUS_OK)
        return 1;
    if (opt->json)
        print_json(text, len, &v);
    else
        print_text(text, len, &v);
    /* Printed either way, but a text with no code and no words the rules
     * know gave nothing to go on: the exit status says so, as for explain. */
    return v.reply_code == 0 && !v.has_enhanced && v.reason == SMTPSTATUS_REASON_UNKNOWN;
}

int cmd_classify(int argc, char **argv)
{
    struct options opt = { 0, 0, 0 };
    int i, rc = CLI_EXIT_OK;

    for (i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            opt.json = 1;
        } else if (strcmp(argv[i], "--stage") == 0 && i + 1 >= argc) {
            fputs("smtpstatus: classify: --stage needs a stage (connect, ehlo, starttls, auth, "
                  "mail, rcpt, data, end-of-data, bdat)\n", stderr);
            return CLI_EXIT_USAGE;
        } else if (strcmp(argv[i], "--stage") == 0) {
            opt.stage = smtpstatus_stage_from_name(argv[i + 1], strlen(argv[i + 1]));
            if (opt.stage == SMTPSTATUS_STAGE_UNKNOWN) {
                fprintf(stderr, "smtpstatus: unknown stage '%s' (connect, ehlo, starttls, auth, "
                                "mail, rcpt, data, end-of-data, bdat)\n",
                        argv[i + 1]);
                return CLI_EXIT_USAGE;
            }
            i++;
        } else if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "smtpstatus: classify: unknown option '%s'\n", argv[i]);
            return CLI_EXIT_USAGE;
        } else {
            break;
        }
    }
    if (i >= argc) {
        opt.from_stdin = 1;
        return cli_for_each_line(stdin, classify_one, &opt) ? CLI_EXIT_NOT_FOUND : CLI_EXIT_OK;
    }
    for (; i < argc; i++)
        if (classify_one(argv[i], strlen(argv[i]), &opt))
            rc = CLI_EXIT_NOT_FOUND;
    return rc;
}
