/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/* Shared pieces of the smtpstatus command-line tool. */

#ifndef SMTPSTATUS_CLI_H
#define SMTPSTATUS_CLI_H

#include <stddef.h>
#include <stdio.h>

#include <smtpstatus.h>

/* Exit statuses (documented in smtpstatus(1)). */
#define CLI_EXIT_OK 0
#define CLI_EXIT_NOT_FOUND 1 /* some input had nothing to explain or classify */
#define CLI_EXIT_USAGE 2

int cmd_explain(int argc, char **argv);
int cmd_classify(int argc, char **argv);
int cmd_dsn(int argc, char **argv);
int cmd_triage(int argc, char **argv);

/* Read standard input line by line (any length, CRLF or LF), calling
 * fn(line, len, ctx) for each; returns the bitwise OR of the results. */
int cli_for_each_line(FILE *in, int (*fn)(const char *line, size_t len, void *ctx), void *ctx);

/* Text wrapped at 76 columns; continuation lines indented by `indent`. */
void cli_print_wrapped(const char *text, const char *indent);
void cli_print_wrapped_after(const char *text, size_t first_width, const char *indent);
/* "  name         value", the value wrapped. Nothing for a NULL or empty value. */
void cli_print_field(const char *name, const char *value);

/* A file's bytes ("-" is standard input), or NULL with errno set. */
char *cli_read_file(const char *path, size_t *len);

/* Call file_fn for a file, or for each file of a directory (a maildir: its
 * cur/ and new/). Returns the OR of the results. */
int cli_walk(const char *path, int (*file_fn)(const char *path, void *ctx), void *ctx);

/* Whether a file is an mbox, and each message of it (index from 1), or the
 * file as one message (index 0). */
int cli_is_mbox(const char *buf, size_t len);
int cli_for_each_message(const char *buf, size_t len,
                         int (*fn)(const char *msg, size_t len, size_t index, void *ctx), void *ctx);

/* smtpstatus_parse_dsn() with arrays that grow as the library asks. The
 * recipients point into the message and into `scratch`: free both with
 * cli_report_free() after use, and the message after that. */
struct cli_report {
    struct smtpstatus_dsn dsn;
    struct smtpstatus_dsn_recipient *rcpts;
    size_t n;
    char *scratch;
};

int cli_parse_dsn(const char *buf, size_t len, struct cli_report *report);
void cli_report_free(struct cli_report *report);

/* JSON output. */
void json_string(FILE *f, const char *s, size_t len);
void json_cstring(FILE *f, const char *s); /* null for NULL */

#endif
