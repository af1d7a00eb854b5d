/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * smtpstatus: the command-line face of libsmtpstatus, and the reference
 * example of its API.
 */

#include <string.h>

#include "cli.h"

static void usage(FILE *f)
{
    fputs("usage: smtpstatus COMMAND [ARGS]\n"
          "\n"
          "  explain [CODE|REPLY|REASON ...] what a code, reply, log line or reason means, what to do\n"
          "      explain 4.4.1              an enhanced status code (RFC 3463 / IANA)\n"
          "      explain 550                a reply code (RFC 5321)\n"
          "      explain filtered           a reason, as dsn and classify print it\n"
          "      explain \"550 5.1.1 <bob@example.com>: user unknown\"\n"
          "                                 a reply, or a log line or DSN field that quotes one\n"
          "  classify [--json] [--stage STAGE] [TEXT ...]\n"
          "                                 a verdict per argument, or per line of standard input\n"
          "  dsn [--json] FILE|DIR|- ...    bounce messages in, one line per recipient out\n"
          "                                 (a directory is read as a maildir, a file starting\n"
          "                                 with \"From \" as an mbox)\n"
          "  triage [--json|--csv] [--top N] [--quiet] INPUT ...\n"
          "                                 a campaign report from a mail log (Postfix, Exim,\n"
          "                                 Sendmail) or bounces (maildir, mbox, .eml files)\n"
          "  --version                      the library and registry versions\n"
          "\n"
          "With no TEXT, explain and classify read one input per line of standard input.\n"
          "Exit status: 0 success, 1 some input had no reply or code, 2 usage error.\n",
          f);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("smtpstatus %s (IANA registry %s)\n", smtpstatus_version(),
               smtpstatus_registry_version());
        return CLI_EXIT_OK;
    }
    if (strcmp(argv[1], "explain") == 0)
        return cmd_explain(argc - 2, argv + 2);
    if (strcmp(argv[1], "classify") == 0)
        return cmd_classify(argc - 2, argv + 2);
    if (strcmp(argv[1], "dsn") == 0)
        return cmd_dsn(argc - 2, argv + 2);
    if (strcmp(argv[1], "triage") == 0)
        return cmd_triage(argc - 2, argv + 2);
    fprintf(stderr, "smtpstatus: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return CLI_EXIT_USAGE;
}
