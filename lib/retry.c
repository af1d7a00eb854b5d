/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * When to try again. The schedule is RFC 5321 §4.5.4.1's: a transient
 * failure is retried no sooner than 30 minutes later, with growing
 * intervals, and given up after 4 to 5 days. The reason adjusts it:
 *
 *   greylisted        first retry after the stated (or 5-minute) delay,
 *                     then doubling, at most hourly
 *   rate_limited      exponential back-off from the stated (or 15-minute)
 *                     delay, at most 4 hours apart
 *   mailbox_full,
 *   system_full       every few hours; give up after 3 days
 *   blocklisted       hourly (from another IP); give up after 1 day
 *   too_many_recipients  at once, in smaller batches
 *   others            30 minutes doubling to at most 4 hours; 5 days
 *
 * Permanent failures are not retried, except for the reasons whose
 * permanent form is routinely lifted (a full mailbox, a throttle, a block),
 * which follow the schedule above with the shorter give-up times.
 */

#include "internal.h"

#define MINUTE 60u
#define HOUR 3600u
#define DAY 86400u

/* RFC 5321 §4.5.4.1: "the retry interval SHOULD be at least 30 minutes",
 * "give up ... SHOULD be at least 4-5 days". */
#define RFC5321_MIN_INTERVAL (30u * MINUTE)
#define RFC5321_GIVE_UP (5u * DAY)
#define MAX_INTERVAL (4u * HOUR)

static uint32_t doubled(uint32_t base, uint32_t attempts, uint32_t cap)
{
    uint64_t d = base;

    for (uint32_t i = 1; i < attempts && d < cap; i++)
        d *= 2;
    return d > cap ? cap : (uint32_t)d;
}

int smtpstatus_retry_advice(const struct smtpstatus_verdict *v, uint64_t queued_for,
                            uint32_t attempts, struct smtpstatus_retry *out)
{
    struct smtpstatus_retry r;
    const struct smtpstatus__reason_row *reason;
    uint32_t base, delay, horizon = RFC5321_GIVE_UP;
    int permanent;

    if (v == NULL || out == NULL || v->size < sizeof *v)
        return SMTPSTATUS_E_INVALID_ARG;
    if (out->size < sizeof *out)
        return SMTPSTATUS_E_STRUCT_SIZE;
    memset(&r, 0, sizeof r);
    r.size = sizeof r;
    if (attempts == 0)
        attempts = 1;
    reason = smtpstatus__reason(v->reason);
    if (reason == NULL)
        reason = smtpstatus__reason(SMTPSTATUS_REASON_UNKNOWN);
    permanent = v->outcome == SMTPSTATUS_OUTCOME_PERMANENT;
    base = v->retry_after ? v->retry_after : reason->delay;

    switch (v->action) {
    case SMTPSTATUS_ACTION_NONE:
    case SMTPSTATUS_ACTION_IGNORE:
        r.decision = SMTPSTATUS_RETRY_NONE;
        goto done;
    case SMTPSTATUS_ACTION_SPLIT_RECIPIENTS:
        r.give_up_after = horizon;
        r.decision = queued_for >= horizon ? SMTPSTATUS_RETRY_GIVE_UP : SMTPSTATUS_RETRY_AT;
        r.delay = 0;
        goto done;
    case SMTPSTATUS_ACTION_RETRY:
    case SMTPSTATUS_ACTION_RETRY_LATER:
    case SMTPSTATUS_ACTION_RETRY_OTHER_IP:
    case SMTPSTATUS_ACTION_SLOW_DOWN:
        break;
    default:
        /* fix_message, fix_sender_setup, suppress_recipient, stop: a
         * transient failure still goes back to the queue (the condition
         * may pass); a permanent one is final. */
        if (permanent || v->outcome == SMTPSTATUS_OUTCOME_UNKNOWN) {
            r.decision = SMTPSTATUS_RETRY_GIVE_UP;
            goto done;
        }
        break;
    }

    switch (v->reason) {
    case SMTPSTATUS_REASON_GREYLISTED:
        delay = attempts == 1 ? base : doubled(base, attempts, HOUR);
        break;
    case SMTPSTATUS_REASON_RATE_LIMITED:
        delay = doubled(base ? base : 15u * MINUTE, attempts, MAX_INTERVAL);
        break;
    case SMTPSTATUS_REASON_MAILBOX_FULL:
    case SMTPSTATUS_REASON_SYSTEM_FULL:
        delay = base < HOUR ? HOUR : base;
        horizon = 3u * DAY;
        break;
    case SMTPSTATUS_REASON_BLOCKLISTED:
        delay = base < HOUR ? HOUR : base;
        horizon = DAY;
        break;
    default:
        delay = doubled(base > RFC5321_MIN_INTERVAL ? base : RFC5321_MIN_INTERVAL, attempts,
                        MAX_INTERVAL > base ? MAX_INTERVAL : base);
        break;
    }
    if (v->action == SMTPSTATUS_ACTION_RETRY && attempts == 1)
        delay = 0;
    if (permanent && horizon == RFC5321_GIVE_UP)
        horizon = DAY; /* a permanent refusal that is worth retrying at all: briefly */

    r.give_up_after = horizon;
    if (queued_for >= horizon) {
        r.decision = SMTPSTATUS_RETRY_GIVE_UP;
    } else {
        r.decision = SMTPSTATUS_RETRY_AT;
        /* One last try at the horizon rather than none. */
        r.delay = queued_for + delay > horizon ? (uint32_t)(horizon - queued_for) : delay;
    }
done:
    smtpstatus__copy_out(out, out->size, &r, sizeof r);
    return SMTPSTATUS_OK;
}
