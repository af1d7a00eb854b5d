/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * The phrases of the text decoders (marks.tsv), found all at once by one
 * scan of a bounce's text, before any decoder runs. A decoder asks where a
 * phrase first occurs rather than searching the text for it: most of the
 * decoders tried on a text find their opening phrase missing, and each
 * used to search the whole text for it in turn.
 */

#ifndef SMTPSTATUS_DSN_MARKS_H
#define SMTPSTATUS_DSN_MARKS_H

#include "dsn.h"
#include "smtpstatus-marks.h"

struct smtpstatus__marks {
    /* The first occurrence of each phrase, ignoring case: where it starts
     * and ends; end is SIZE_MAX for a phrase that does not occur. `last`:
     * where its last occurrence starts (at, when it occurs once), so that
     * a search from past it is answered without searching. */
    struct {
        size_t at, end, last;
    } first[SMTPSTATUS__MARK_COUNT];
};

/* Scan text[0, len) for every phrase: linear in len. */
void smtpstatus__marks_scan(struct smtpstatus__marks *mk, const char *text, size_t len);

/* Exactly smtpstatus__find_nocase(text, lim, 0, phrase) for lim <= the
 * length scanned: where the phrase first occurs within text[0, lim), or
 * lim. The first occurrence in the whole text is the answer when it ends
 * within lim; when it does not, no later one does either. */
static inline size_t smtpstatus__mark_find(const struct smtpstatus__marks *mk,
                                           enum smtpstatus__mark id, size_t lim)
{
    return mk->first[id].end <= lim ? mk->first[id].at : lim;
}

/* Whether the phrase occurs within text[0, lim). */
static inline int smtpstatus__mark_in(const struct smtpstatus__marks *mk, enum smtpstatus__mark id,
                                      size_t lim)
{
    return smtpstatus__mark_find(mk, id, lim) < lim;
}

/* Exactly smtpstatus__find_nocase(text, lim, from, phrase), text being
 * the text scanned and lim at most its length: where the phrase first
 * occurs within text[from, lim), or lim. Searches only when the phrase
 * occurs both before `from` and at or after it, and then no further than
 * its last occurrence. */
size_t smtpstatus__mark_find_from(const struct smtpstatus__marks *mk, const char *text,
                                  enum smtpstatus__mark id, size_t from, size_t lim);

#endif
