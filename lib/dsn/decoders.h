/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * The text decoders. Each reads the human-readable text of a bounce that
 * has no usable delivery-status part, emits the recipients it finds with
 * smtpstatus__emit() (decoder id from enum smtpstatus_decoder), and returns
 * how many. A decoder must return 0 without emitting anything when the
 * text is not in its layout.
 */

#ifndef SMTPSTATUS_DSN_DECODERS_H
#define SMTPSTATUS_DSN_DECODERS_H

#include "marks.h"

/* Where the returned original message starts in a bounce text (the start
 * of the first line, within text[from, len), holding one of the usual
 * separators), or len. Decoders stop there so that addresses in the
 * original are not taken for recipients. `text` is the text the marks were
 * found in, len at most its length. */
size_t smtpstatus__original_starts(const struct smtpstatus__marks *mk, const char *text,
                                   size_t from, size_t len);

size_t smtpstatus__decode_postfix(const struct smtpstatus__bounce *b,
                                  const struct smtpstatus__marks *mk,
                                  struct smtpstatus__sink *sink);
size_t smtpstatus__decode_exim(const struct smtpstatus__bounce *b,
                               const struct smtpstatus__marks *mk, struct smtpstatus__sink *sink);
size_t smtpstatus__decode_qmail(const struct smtpstatus__bounce *b,
                                const struct smtpstatus__marks *mk, struct smtpstatus__sink *sink);
size_t smtpstatus__decode_sendmail(const struct smtpstatus__bounce *b,
                                   const struct smtpstatus__marks *mk,
                                   struct smtpstatus__sink *sink);
size_t smtpstatus__decode_courier(const struct smtpstatus__bounce *b,
                                  const struct smtpstatus__marks *mk,
                                  struct smtpstatus__sink *sink);
size_t smtpstatus__decode_opensmtpd(const struct smtpstatus__bounce *b,
                                    const struct smtpstatus__marks *mk,
                                    struct smtpstatus__sink *sink);
/* The names in a report's From that say Outlook.com or Office 365 to the
 * Exchange decoder: bit k is set when the k-th occurs in from[0, len),
 * ignoring case, as smtpstatus__find_nocase() would find it. */
enum {
    SMTPSTATUS__FROM_HOTMAIL = 1 << 0,            /* "hotmail" */
    SMTPSTATUS__FROM_OUTLOOK = 1 << 1,            /* "outlook" */
    SMTPSTATUS__FROM_MSN = 1 << 2,                /* "@msn.com" */
    SMTPSTATUS__FROM_LIVE = 1 << 3,               /* "@live." */
    SMTPSTATUS__FROM_ONMICROSOFT = 1 << 4,        /* ".onmicrosoft.com" */
    SMTPSTATUS__FROM_POSTMASTER_OUTLOOK = 1 << 5, /* "postmaster@outlook.com" */
};
unsigned smtpstatus__exchange_from_signs(const char *from, size_t len);

size_t smtpstatus__decode_exchange(const struct smtpstatus__bounce *b,
                                   const struct smtpstatus__marks *mk,
                                   struct smtpstatus__sink *sink);
size_t smtpstatus__decode_gmail(const struct smtpstatus__bounce *b,
                                const struct smtpstatus__marks *mk, struct smtpstatus__sink *sink);
size_t smtpstatus__decode_yahoo(const struct smtpstatus__bounce *b,
                                const struct smtpstatus__marks *mk, struct smtpstatus__sink *sink);
size_t smtpstatus__decode_amazonses(const struct smtpstatus__bounce *b,
                                    const struct smtpstatus__marks *mk,
                                    struct smtpstatus__sink *sink);
size_t smtpstatus__decode_mdaemon(const struct smtpstatus__bounce *b,
                                  const struct smtpstatus__marks *mk,
                                  struct smtpstatus__sink *sink);
size_t smtpstatus__decode_imail(const struct smtpstatus__bounce *b,
                                const struct smtpstatus__marks *mk, struct smtpstatus__sink *sink);
size_t smtpstatus__decode_domino(const struct smtpstatus__bounce *b,
                                 const struct smtpstatus__marks *mk, struct smtpstatus__sink *sink);
size_t smtpstatus__decode_hosted(const struct smtpstatus__bounce *b,
                                 const struct smtpstatus__marks *mk, struct smtpstatus__sink *sink);
size_t smtpstatus__decode_generic(const struct smtpstatus__bounce *b,
                                  const struct smtpstatus__marks *mk,
                                  struct smtpstatus__sink *sink);

#endif
