/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

#define WRAP_COLUMNS 76

int cli_for_each_line(FILE *in, int (*fn)(const char *line, size_t len, void *ctx), void *ctx)
{
    size_t cap = 4096, len = 0;
    char *line = malloc(cap);
    int status = 0, c;

    if (line == NULL)
        return 1;
    while ((c = getc(in)) != EOF) {
        if (c == '\n') {
            if (len > 0 && line[len - 1] == '\r')
                len--;
            status |= fn(line, len, ctx);
            len = 0;
            continue;
        }
        if (len + 1 >= cap) {
            char *bigger = realloc(line, cap * 2);
            if (bigger == NULL) {
                free(line);
                return 1;
            }
            line = bigger;
            cap *= 2;
        }
        line[len++] = (char)c;
    }
    if (len > 0)
        status |= fn(line, len, ctx);
    free(line);
    return status;
}

void cli_print_wrapped_after(const char *text, size_t first_width, const char *indent)
{
    size_t col = first_width, indent_len = strlen(indent);
    const char *p = text;
    int first_word = 1;

    while (*p) {
        const char *word = p;
        size_t n;

        while (*p && *p != ' ')
            p++;
        n = (size_t)(p - word);
        if (!first_word && col + 1 + n > WRAP_COLUMNS) {
            putchar('\n');
            fputs(indent, stdout);
            col = indent_len;
        } else if (!first_word) {
            putchar(' ');
            col++;
        }
        fwrite(word, 1, n, stdout);
        col += n;
        first_word = 0;
        while (*p == ' ')
            p++;
    }
    putchar('\n');
}

void cli_print_wrapped(const char *text, const char *indent)
{
    fputs(indent, stdout);
    cli_print_wrapped_after(text, strlen(indent), indent);
}

void cli_print_field(const char *name, const char *value)
{
    if (value == NULL || value[0] == '\0')
        return;
    printf("  %-12s ", name);
    cli_print_wrapped_after(value, 15, "               ");
}

void json_string(FILE *f, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";

    putc('"', f);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"':
            fputs("\\\"", f);
            break;
        case '\\':
            fputs("\\\\", f);
            break;
        case '\n':
            fputs("\\n", f);
            break;
        case '\r':
            fputs("\\r", f);
            break;
        case '\t':
            fputs("\\t", f);
            break;
        default:
            if (c < 0x20 || c == 0x7F) {
                fprintf(f, "\\u00%c%c", hex[c >> 4], hex[c & 15]);
            } else if (c < 0x80) {
                putc(c, f);
            } else {
                /* Keep valid UTF-8 as it is; write any other byte as the
                 * Latin-1 character of that value, so the output is always
                 * valid JSON. */
                size_t n = c >= 0xF0 && c < 0xF5 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
                size_t k = 1;
                if (n && c < 0xF5 && i + n <= len)
                    for (; k < n && ((unsigned char)s[i + k] & 0xC0) == 0x80; k++)
                        ;
                if (n && k == n) {
                    fwrite(s + i, 1, n, f);
                    i += n - 1;
                } else {
                    fprintf(f, "\\u00%c%c", hex[c >> 4], hex[c & 15]);
                }
            }
        }
    }
    putc('"', f);
}

void json_cstring(FILE *f, const char *s)
{
    if (s == NULL)
        fputs("null", f);
    else
        json_string(f, s, strlen(s));
}

char *cli_read_file(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    size_t cap = 1 << 16, n = 0, got;
    char *buf;

    if (f == NULL)
        return NULL;
    buf = malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *bigger = realloc(buf, cap * 2);
            if (bigger == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    if (f != stdin)
        fclose(f);
    *len = n;
    return buf;
}

int cli_walk(const char *path, int (*file_fn)(const char *path, void *ctx), void *ctx)
{
    static const char *const maildir_parts[] = { "cur", "new" };
    char sub[4096];
    struct stat st;
    int status = 0, maildir = 0;
    DIR *d;
    struct dirent *e;

    if (strcmp(path, "-") == 0 || stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return file_fn(path, ctx);
    /* A maildir keeps its messages in cur/ and new/. */
    for (size_t k = 0; k < 2; k++) {
        snprintf(sub, sizeof sub, "%s/%s", path, maildir_parts[k]);
        if (stat(sub, &st) == 0 && S_ISDIR(st.st_mode)) {
            maildir = 1;
            status |= cli_walk(sub, file_fn, ctx);
        }
    }
    if (maildir)
        return status;
    if ((d = opendir(path)) == NULL) {
        fprintf(stderr, "smtpstatus: %s: %s\n", path, strerror(errno));
        return 1;
    }
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
        if (stat(sub, &st) == 0 && S_ISREG(st.st_mode))
            status |= file_fn(sub, ctx);
    }
    closedir(d);
    return status;
}

int cli_is_mbox(const char *buf, size_t len)
{
    return len >= 5 && memcmp(buf, "From ", 5) == 0;
}

/* Whether offset i (> 0) starts a line: after an LF, or after a CR that no
 * LF follows. */
static int at_line_start(const char *buf, size_t i)
{
    return buf[i - 1] == '\n' || (buf[i - 1] == '\r' && buf[i] != '\n');
}

int cli_for_each_message(const char *buf, size_t len,
                         int (*fn)(const char *msg, size_t len, size_t index, void *ctx), void *ctx)
{
    size_t start = 0, index = 0;
    int status = 0;

    if (!cli_is_mbox(buf, len))
        return fn(buf, len, 0, ctx);
    /* An mbox (RFC 4155): each message starts at a line beginning "From ".
     * Lines end in LF, CRLF or a bare CR, as the library accepts. */
    for (size_t i = 0; i <= len; i++) {
        if (i == len || (buf[i] == 'F' && i > 0 && at_line_start(buf, i) && len - i >= 5 &&
                         memcmp(buf + i, "From ", 5) == 0)) {
            size_t body = start;
            while (body < i && buf[body] != '\n' && buf[body] != '\r')
                body++;
            if (body < i && buf[body] == '\r')
                body++;
            if (body < i && buf[body] == '\n')
                body++;
            if (i > body)
                status |= fn(buf + body, i - body, ++index, ctx);
            start = i;
        }
    }
    return status;
}

int cli_parse_dsn(const char *buf, size_t len, struct cli_report *report)
{
    size_t cap = 16;
    int rc = SMTPSTATUS_E_TOO_MANY;

    memset(report, 0, sizeof *report);
    report->scratch = malloc(len + 1);
    if (report->scratch == NULL)
        return rc;
    /* The library says how many recipients there are when the array is
     * short; a scratch area the size of the message always suffices. */
    for (;;) {
        struct smtpstatus_dsn_recipient *bigger = realloc(report->rcpts, cap * sizeof *bigger);
        if (bigger == NULL)
            break;
        report->rcpts = bigger;
        report->rcpts[0].size = sizeof *bigger;
        report->n = cap;
        report->dsn.size = sizeof report->dsn;
        rc = smtpstatus_parse_dsn(buf, len, 0, &report->dsn, report->rcpts, &report->n,
                                  report->scratch, len + 1);
        if (rc != SMTPSTATUS_E_TOO_MANY)
            break;
        cap = report->dsn.recipient_count;
    }
    if (rc != SMTPSTATUS_OK)
        report->n = 0;
    return rc;
}

void cli_report_free(struct cli_report *report)
{
    free(report->rcpts);
    free(report->scratch);
    memset(report, 0, sizeof *report);
}
