/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * smtpstatus dsn [--json] FILE ...: read bounce messages and print one
 * line (or JSON object) per recipient. FILE may be "-" (standard input), a
 * directory (a maildir: its cur/ and new/, or its files), or an mbox (a
 * file starting with "From ").
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct dsn_options {
    int json;
    size_t messages, recipients, failures;
};

static void print_text_field(const struct smtpstatus_text *t)
{
    if (t->ptr)
        json_string(stdout, t->ptr, t->len);
    else
        fputs("null", stdout);
}

/* "hardbounce" is Sisimai's flag, kept beside "sisimai_reason" so that a
 * pipeline built on Sisimai's output can switch without changing meaning.
 * Sisimai derives it from its reason alone: hard for userunknown,
 * hostunknown and hasmoved, and for notaccept with a permanent code;
 * soft for everything else, a suspended mailbox included. smtpstatus's own
 * judgment, which also calls a disabled mailbox hard, is "bounce". */
static int sisimai_hardbounce(const struct smtpstatus_verdict *v)
{
    static const char *const hard[] = { "userunknown", "hostunknown", "hasmoved" };
    const char *name = v->sisimai_reason;

    if (name == NULL)
        return 0;
    for (size_t i = 0; i < sizeof hard / sizeof hard[0]; i++)
        if (strcmp(name, hard[i]) == 0)
            return 1;
    /* Sisimai reads notaccept's permanence from the code, not the Action. */
    if (strcmp(name, "notaccept") != 0)
        return 0;
    if (v->has_enhanced)
        return v->enhanced.cls == 5;
    return v->reply_code ? v->reply_code / 100 == 5 : v->outcome == SMTPSTATUS_OUTCOME_PERMANENT;
}

static void print_recipient(const char *file, size_t index, int mbox,
                            const struct smtpstatus_dsn *dsn, const struct smtpstatus_dsn_recipient *r,
                            const struct dsn_options *opt)
{
    const struct smtpstatus_verdict *v = &r->verdict;
    char status[SMTPSTATUS_ENHANCED_TEXT_MAX] = "";

    /* The code the verdict rests on: the Status field, or the remote
     * server's code of the same class in the diagnostic (the raw field is
     * "dsn_status"). */
    if (v->has_enhanced)
        smtpstatus_format_enhanced(&v->enhanced, status, sizeof status);
    else if (r->has_status)
        smtpstatus_format_enhanced(&r->status, status, sizeof status);
    if (!opt->json) {
        if (mbox)
            printf("%s#%zu\t", file, index);
        else
            printf("%s\t", file);
        printf("%.*s\t%s\t%u\t%s\t%s\t%s\t%s\t%s\n", (int)r->recipient.len, r->recipient.ptr ? r->recipient.ptr : "", status[0] ? status : "-",
               r->reply_code, smtpstatus_reason_name((int)v->reason), smtpstatus_bounce_name((int)v->bounce),
               smtpstatus_action_name((int)v->action), smtpstatus_decoder_name((int)r->decoder),
               smtpstatus_message_kind_name((int)dsn->kind));
        return;
    }
    fputs("{\"file\":", stdout);
    json_cstring(stdout, file);
    if (mbox)
        printf(",\"message\":%zu", index);
    fputs(",\"recipient\":", stdout);
    print_text_field(&r->recipient);
    fputs(",\"status\":", stdout);
    json_cstring(stdout, status[0] ? status : NULL);
    fputs(",\"dsn_status\":", stdout);
    if (r->has_status) {
        char raw[SMTPSTATUS_ENHANCED_TEXT_MAX];
        smtpstatus_format_enhanced(&r->status, raw, sizeof raw);
        json_cstring(stdout, raw);
    } else {
        fputs("null", stdout);
    }
    fputs(",\"reply_code\":", stdout);
    if (r->reply_code)
        printf("%u", r->reply_code);
    else
        fputs("null", stdout);
    printf(",\"kind\":\"%s\",\"action\":\"%s\",\"dsn_action\":\"%s\",\"outcome\":\"%s\","
           "\"reason\":\"%s\"",
           smtpstatus_message_kind_name((int)dsn->kind), smtpstatus_action_name((int)v->action),
           smtpstatus_dsn_action_name((int)r->action), smtpstatus_outcome_name((int)v->outcome),
           smtpstatus_reason_name((int)v->reason));
    fputs(",\"sisimai_reason\":", stdout);
    json_cstring(stdout, v->sisimai_reason);
    printf(",\"hardbounce\":%s,\"bounce\":\"%s\",\"retry_after\":",
           sisimai_hardbounce(v) ? "true" : "false", smtpstatus_bounce_name((int)v->bounce));
    if (v->retry_after)
        printf("%u", v->retry_after);
    else
        fputs("null", stdout);
    printf(",\"party\":\"%s\",\"stage\":\"%s\",\"decoded_by\":\"%s\",\"rule\":",
           smtpstatus_party_name((int)v->party), smtpstatus_stage_name((int)r->stage),
           smtpstatus_decoder_name((int)r->decoder));
    json_cstring(stdout, v->evidence_count ? v->evidence[0].rule : NULL);
    fputs(",\"provider\":", stdout);
    json_cstring(stdout, v->provider);
    fputs(",\"remote_mta\":", stdout);
    print_text_field(&r->remote_mta);
    fputs(",\"diagnostic\":", stdout);
    print_text_field(&r->diagnostic);
    printf(",\"status_mismatch\":%s}\n", (r->flags & SMTPSTATUS_DSN_STATUS_MISMATCH) ? "true" : "false");
}

struct file_ctx {
    const char *file;
    struct dsn_options *opt;
};

static int one_message(const char *buf, size_t len, size_t index, void *ctx)
{
    const struct file_ctx *fc = ctx;
    struct cli_report report;
    int rc = cli_parse_dsn(buf, len, &report);

    fc->opt->messages++;
    if (rc != SMTPSTATUS_OK) {
        fprintf(stderr, "smtpstatus: %s: %s\n", fc->file, smtpstatus_strerror(rc));
        fc->opt->failures++;
    }
    for (size_t i = 0; i < report.n; i++)
        print_recipient(fc->file, index, index > 0, &report.dsn, &report.rcpts[i], fc->opt);
    fc->opt->recipients += report.n;
    cli_report_free(&report);
    return rc == SMTPSTATUS_OK ? 0 : 1;
}

static int one_file(const char *path, void *ctx)
{
    struct file_ctx fc = { path, ctx };
    size_t len = 0;
    char *buf = cli_read_file(path, &len);
    int status;

    if (buf == NULL) {
        fprintf(stderr, "smtpstatus: %s: %s\n", path, strerror(errno));
        return 1;
    }
    status = cli_for_each_message(buf, len, one_message, &fc);
    free(buf);
    return status;
}

int cmd_dsn(int argc, char **argv)
{
    struct dsn_options opt = { 0, 0, 0, 0 };
    int i, status = 0;

    for (i = 0; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            opt.json = 1;
        } else if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        } else {
            fprintf(stderr, "smtpstatus: dsn: unknown option '%s'\n", argv[i]);
            return CLI_EXIT_USAGE;
        }
    }
    if (i >= argc) {
        fputs("usage: smtpstatus dsn [--json] FILE|DIR|- ...\n", stderr);
        return CLI_EXIT_USAGE;
    }
    for (; i < argc; i++)
        status |= cli_walk(argv[i], one_file, &opt);
    return status ? CLI_EXIT_NOT_FOUND : CLI_EXIT_OK;
}
