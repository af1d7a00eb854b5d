/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

#include <stdlib.h>
#include <string.h>

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
