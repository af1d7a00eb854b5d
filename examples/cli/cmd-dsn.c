/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * smtpstatus dsn [--json] FILE ...: read bounce messages and print one
 * line (or JSON object) per recipient. FILE may be "-" (standard input), a
 * directory (a maildir: its cur/ and new/, or its files), or an mbox (a
 * file starting with "From ").
 */

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

static void print_recipient(const char *file, size_t index, int mbox,
                            const struct smtpstatus_dsn *dsn, const struct smtpstatus_dsn_recipient *r,
                            const struct dsn_options *opt)
{
    const struct smtpstatus_verdict *v = &r->verdict;
    char status[SMTPSTATUS_ENHANCED_TEXT_MAX] = "";

    if (r->has_status)
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
           v->bounce == SMTPSTATUS_BOUNCE_HARD ? "true" : "false", smtpstatus_bounce_name((int)v->bounce));
    if (v->retry_after)
        printf("%u", v->retry_after);
    else
        fputs("null", stdout);
    printf(",\"party\":\"%s\",\"decoded_by\":\"%s\",\"rule\":", smtpstatus_party_name((int)v->party),
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

/* Parse one message and print its recipients; the arrays grow as the
 * library asks. */
static int one_message(const char *file, size_t index, int mbox, const char *buf, size_t len,
                       struct dsn_options *opt)
{
    struct smtpstatus_dsn dsn = SMTPSTATUS_DSN_INIT;
    size_t cap = 16, n;
    struct smtpstatus_dsn_recipient *rcpts = NULL;
    char *scratch = malloc(len + 1);
    int rc;

    if (scratch == NULL)
        return 1;
    for (;;) {
        struct smtpstatus_dsn_recipient *bigger = realloc(rcpts, cap * sizeof *rcpts);
        if (bigger == NULL) {
            free(rcpts);
            free(scratch);
            return 1;
        }
        rcpts = bigger;
        rcpts[0].size = sizeof rcpts[0];
        n = cap;
        rc = smtpstatus_parse_dsn(buf, len, 0, &dsn, rcpts, &n, scratch, len + 1);
        if (rc != SMTPSTATUS_E_TOO_MANY)
            break;
        cap = dsn.recipient_count;
    }
    opt->messages++;
    if (rc != SMTPSTATUS_OK) {
        fprintf(stderr, "smtpstatus: %s: %s\n", file, smtpstatus_strerror(rc));
        opt->failures++;
    } else {
        for (size_t i = 0; i < n; i++)
            print_recipient(file, index, mbox, &dsn, &rcpts[i], opt);
        opt->recipients += n;
    }
    free(rcpts);
    free(scratch);
    return rc == SMTPSTATUS_OK ? 0 : 1;
}

static char *read_all(FILE *f, size_t *len)
{
    size_t cap = 65536, n = 0, got;
    char *buf = malloc(cap);

    if (buf == NULL)
        return NULL;
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *bigger = realloc(buf, cap * 2);
            if (bigger == NULL) {
                free(buf);
                return NULL;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    *len = n;
    return buf;
}

/* An mbox: messages start at lines beginning "From " (RFC 4155). */
static int one_mbox(const char *file, const char *buf, size_t len, struct dsn_options *opt)
{
    size_t start = 0, index = 0, i = 0;
    int status = 0;

    while (i <= len) {
        int boundary = i == len || (i > start && buf[i - 1] == '\n' && len - i >= 5 &&
                                    memcmp(buf + i, "From ", 5) == 0);
        if (boundary && i > start) {
            /* Skip the "From " line itself. */
            size_t body = start;
            while (body < i && buf[body] != '\n')
                body++;
            if (body < i)
                body++;
            status |= one_message(file, ++index, 1, buf + body, i - body, opt);
            start = i;
        }
        if (i == len)
            break;
        /* Jump to the next line. */
        const char *nl = memchr(buf + i, '\n', len - i);
        i = nl ? (size_t)(nl - buf) + 1 : len;
    }
    return status;
}

static int one_file(const char *path, struct dsn_options *opt);

static int one_dir(const char *path, struct dsn_options *opt)
{
    static const char *const subdirs[] = { "cur", "new" };
    int status = 0, is_maildir = 0;
    char sub[4096];

    for (size_t k = 0; k < 2; k++) {
        struct stat st;
        snprintf(sub, sizeof sub, "%s/%s", path, subdirs[k]);
        if (stat(sub, &st) == 0 && S_ISDIR(st.st_mode)) {
            is_maildir = 1;
            status |= one_dir(sub, opt);
        }
    }
    if (!is_maildir) {
        DIR *d = opendir(path);
        struct dirent *e;
        if (d == NULL) {
            fprintf(stderr, "smtpstatus: %s: %s\n", path, strerror(errno));
            return 1;
        }
        while ((e = readdir(d)) != NULL) {
            struct stat st;
            if (e->d_name[0] == '.')
                continue;
            snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
            if (stat(sub, &st) == 0 && S_ISREG(st.st_mode))
                status |= one_file(sub, opt);
        }
        closedir(d);
    }
    return status;
}

static int one_file(const char *path, struct dsn_options *opt)
{
    FILE *f;
    char *buf;
    size_t len = 0;
    int status;
    struct stat st;

    if (strcmp(path, "-") == 0) {
        f = stdin;
    } else {
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            return one_dir(path, opt);
        f = fopen(path, "rb");
        if (f == NULL) {
            fprintf(stderr, "smtpstatus: %s: %s\n", path, strerror(errno));
            return 1;
        }
    }
    buf = read_all(f, &len);
    if (f != stdin)
        fclose(f);
    if (buf == NULL) {
        fprintf(stderr, "smtpstatus: %s: out of memory\n", path);
        return 1;
    }
    if (len >= 5 && memcmp(buf, "From ", 5) == 0)
        status = one_mbox(path, buf, len, opt);
    else
        status = one_message(path, 0, 0, buf, len, opt);
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
        status |= one_file(argv[i], &opt);
    return status ? CLI_EXIT_NOT_FOUND : CLI_EXIT_OK;
}
