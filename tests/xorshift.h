/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * The differential tests' texts come from a fixed-seed xorshift generator
 * (Marsaglia's 13/7/17 triple): the same texts on every run and machine,
 * so that a failure's message names an input that comes back. Each test
 * file has its own state; a file may define RND_SEED before including
 * this to draw other texts.
 */

#ifndef SMTPSTATUS_TESTS_XORSHIFT_H
#define SMTPSTATUS_TESTS_XORSHIFT_H

#ifndef RND_SEED
#define RND_SEED 0x2545F4914F6CDD1Dull
#endif

static unsigned long long rnd_state = RND_SEED;

/* A number in [0, n), n > 0. */
static inline unsigned rnd(unsigned n)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 7;
    rnd_state ^= rnd_state << 17;
    return (unsigned)(rnd_state % n);
}

#endif
