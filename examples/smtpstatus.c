/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * smtpstatus: the command-line face of libsmtpstatus, and the reference
 * example of its API.
 *
 *   smtpstatus explain 4.4.1
 *   smtpstatus explain 550
 *   smtpstatus explain "550 5.1.1 <bob@example.com>: user unknown"
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smtpstatus.h>

#define WRAP_COLUMNS 76

static void usage(FILE *f)
{
    fputs("usage: smtpstatus explain [CODE|REPLY ...]\n"
          "       smtpstatus --version\n"
          "\n"
          "  explain 4.4.1     what an enhanced status code means (RFC 3463 / IANA)\n"
          "  explain 550       what a reply code means (RFC 5321)\n"
          "  explain \"550 5.1.1 <bob@example.com>: user unknown\"\n"
          "                    a whole reply, or a log line or DSN field that quotes one\n"
          "  explain           with no argument (or -): one input per line of standard input\n",
          f);
}

/* Print text wrapped at WRAP_COLUMNS: the first line after `first` (already
 * printed, `first_width` columns wide), the others indented by `indent`. */
static void print_wrapped_after(const char *text, size_t first_width, const char *indent)
{
    size_t col = first_width;
    const char *p = text;

    while (*p) {
        const char *word = p;
        size_t n;

        while (*p && *p != ' ')
            p++;
        n = (size_t)(p - word);
        if (col > strlen(indent) && col + 1 + n > WRAP_COLUMNS) {
            putchar('\n');
            col = 0;
        }
        if (col == 0) {
            fputs(indent, stdout);
            col = strlen(indent);
        } else if (col > first_width || p - n != text) {
            putchar(' ');
            col++;
        }
        fwrite(word, 1, n, stdout);
        col += n;
        while (*p == ' ')
            p++;
    }
    putchar('\n');
}

static void print_wrapped(const char *text, const char *indent)
{
    fputs(indent, stdout);
    print_wrapped_after(text, strlen(indent), indent);
}

/* Render with a library call that has snprintf() semantics, growing the
 * buffer once if the first guess was short. */
typedef int (*render_fn)(const void *ctx, char *buf, size_t size);

static int print_rendered(render_fn fn, const void *ctx, const char *indent)
{
    char small[1024];
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
    print_wrapped(buf, indent);
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

struct reply_ctx {
    const char *input;
    size_t len;
    const struct smtpstatus_reply *reply;
};

static int render_reply(const void *ctx, char *buf, size_t size)
{
    const struct reply_ctx *r = ctx;
    return smtpstatus_explain_reply(r->input, r->len, r->reply, buf, size);
}

static void print_field(const char *name, const char *value)
{
    if (value == NULL || value[0] == '\0')
        return;
    printf("  %-12s ", name);
    print_wrapped_after(value, 15, "               ");
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
    print_field("class", info.class_title);
    print_field("subject", info.subject_title);
    print_field("reply codes", info.basic_codes_text);
    print_field("reference", info.reference);
    print_field("replaced by", info.replaced_by);
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
    print_field("class", info.class_name);
    print_field("category", info.category_name);
    print_field("context", info.context);
    print_field("reference", info.reference);
    print_field("in practice", info.notes);
}

static int is_reply_code(const char *s)
{
    return strlen(s) == 3 && s[0] >= '1' && s[0] <= '5' && s[1] >= '0' && s[1] <= '9' &&
           s[2] >= '0' && s[2] <= '9';
}

/* Accept the registry's own "X.1.1" form too. */
static int parse_code_arg(const char *s, struct smtpstatus_enhanced *code)
{
    size_t len = strlen(s);

    if (len > 2 && (s[0] == 'X' || s[0] == 'x') && s[1] == '.') {
        char tmp[16];
        if (len >= sizeof tmp)
            return SMTPSTATUS_E_SYNTAX;
        memcpy(tmp, s, len + 1);
        tmp[0] = '5';
        if (smtpstatus_parse_enhanced(tmp, len, 0, code, NULL) != SMTPSTATUS_OK)
            return SMTPSTATUS_E_SYNTAX;
        code->cls = 0;
        return SMTPSTATUS_OK;
    }
    return smtpstatus_parse_enhanced(s, len, 0, code, NULL);
}

static int explain_one(const char *arg)
{
    struct smtpstatus_enhanced code;
    struct smtpstatus_reply reply = SMTPSTATUS_REPLY_INIT;
    size_t len = strlen(arg);
    int rc;

    if (parse_code_arg(arg, &code) == SMTPSTATUS_OK) {
        print_code_details(&code, 1);
        return 0;
    }
    if (is_reply_code(arg)) {
        print_reply_code_details((unsigned)atoi(arg), 1);
        return 0;
    }
    rc = smtpstatus_parse_reply(arg, len, SMTPSTATUS_REPLY_LENIENT, &reply);
    if (rc != SMTPSTATUS_OK) {
        fprintf(stderr, "smtpstatus: %s: no SMTP reply or status code found (%s, at byte %zu)\n",
                arg, smtpstatus_strerror(rc), reply.error_offset);
        return 1;
    }
    {
        struct reply_ctx ctx = { arg, len, &reply };
        printf("%.*s\n", (int)reply.span.len, arg + reply.span.off);
        print_rendered(render_reply, &ctx, "  ");
    }
    putchar('\n');
    print_reply_code_details(reply.code, 0);
    if (reply.stage != SMTPSTATUS_STAGE_UNKNOWN)
        print_field("stage", smtpstatus_stage_name((int)reply.stage));
    if (reply.has_enhanced) {
        putchar('\n');
        print_code_details(&reply.enhanced, 0);
    }
    return 0;
}

/* One input per line of standard input: a code, a reply or a log line.
 * Blank lines and lines starting with '#' are skipped. */
static int explain_stdin(void)
{
    char line[16384];
    int status = 0, first = 1;

    while (fgets(line, sizeof line, stdin)) {
        size_t n = strlen(line);
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n == 0 || line[0] == '#')
            continue;
        if (!first)
            fputs("\n----\n\n", stdout);
        first = 0;
        if (explain_one(line) != 0)
            status = 1;
    }
    return status;
}

static int cmd_explain(int argc, char **argv)
{
    int status = 0;

    if (argc < 1 || (argc == 1 && strcmp(argv[0], "-") == 0))
        return explain_stdin();
    for (int i = 0; i < argc; i++) {
        if (i > 0)
            putchar('\n');
        if (explain_one(argv[i]) != 0)
            status = 1;
    }
    return status;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("smtpstatus %s (IANA registry %s)\n", smtpstatus_version(),
               smtpstatus_registry_version());
        return 0;
    }
    if (strcmp(argv[1], "explain") == 0)
        return cmd_explain(argc - 2, argv + 2);
    fprintf(stderr, "smtpstatus: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
