/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * The text decoders, tried in order; the first that finds recipients
 * wins. Each checks for its own layout before doing any work, so the
 * order matters only between layouts that look alike; the generic decoder
 * comes last.
 *
 * The text is scanned once, before any decoder runs, for every phrase the
 * decoders open with (marks.tsv); each decoder then asks where its phrases
 * are (smtpstatus__mark_find(), which answers exactly what a search of the
 * text would) and returns at once when they are not there. That is where
 * most of the work went: most decoders tried on a text are the wrong ones,
 * and each searched the whole text for its phrases in turn.
 */

#include "decoders.h"

typedef size_t (*decoder_fn)(const struct smtpstatus__bounce *b,
                             const struct smtpstatus__marks *mk, struct smtpstatus__sink *sink);

static const struct {
    decoder_fn fn;
    unsigned id;
} decoders[] = {
    { smtpstatus__decode_postfix, SMTPSTATUS_DECODER_POSTFIX },
    { smtpstatus__decode_exim, SMTPSTATUS_DECODER_EXIM },
    { smtpstatus__decode_qmail, SMTPSTATUS_DECODER_QMAIL },
    { smtpstatus__decode_sendmail, SMTPSTATUS_DECODER_SENDMAIL },
    { smtpstatus__decode_courier, SMTPSTATUS_DECODER_COURIER },
    { smtpstatus__decode_opensmtpd, SMTPSTATUS_DECODER_OPENSMTPD },
    { smtpstatus__decode_exchange, SMTPSTATUS_DECODER_EXCHANGE },
    { smtpstatus__decode_gmail, SMTPSTATUS_DECODER_GMAIL },
    { smtpstatus__decode_yahoo, SMTPSTATUS_DECODER_YAHOO },
    { smtpstatus__decode_amazonses, SMTPSTATUS_DECODER_AMAZON_SES },
    { smtpstatus__decode_mdaemon, SMTPSTATUS_DECODER_MDAEMON },
    { smtpstatus__decode_imail, SMTPSTATUS_DECODER_IMAIL },
    { smtpstatus__decode_domino, SMTPSTATUS_DECODER_DOMINO },
    { smtpstatus__decode_hosted, SMTPSTATUS_DECODER_GENERIC },
    { smtpstatus__decode_generic, SMTPSTATUS_DECODER_GENERIC },
};

size_t smtpstatus__decode_text(const struct smtpstatus__bounce *b, struct smtpstatus__sink *sink,
                               unsigned *decoder)
{
    /* Only for a message that presents itself as a bounce: an ordinary
     * message may well quote a bounce's words. */
    struct smtpstatus__marks mk;

    if (b->text.ptr == NULL || b->text.len == 0 || !b->presents_as_bounce)
        return 0;
    smtpstatus__marks_scan(&mk, b->text.ptr, b->text.len);
    for (size_t i = 0; i < sizeof decoders / sizeof decoders[0]; i++) {
        struct smtpstatus__sink probe = *sink;
        size_t n = decoders[i].fn(b, &mk, &probe);
        if (n > 0) {
            *sink = probe;
            *decoder = decoders[i].id;
            return n;
        }
    }
    return 0;
}
