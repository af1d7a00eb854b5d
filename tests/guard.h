/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * Place test input flush against an unreadable page (picohttpparser's
 * trick): reading one byte past `len` faults at once, with or without a
 * sanitizer.
 */

#ifndef SMTPSTATUS_TESTS_GUARD_H
#define SMTPSTATUS_TESTS_GUARD_H

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <criterion/criterion.h>

struct guard {
    char *map;
    size_t map_len;
    size_t data_pages;
};

/* Copy `len` bytes so that they end exactly at a PROT_NONE page; returns
 * the copy. Release it with guard_release(). */
static inline const char *guard_place(struct guard *g, const void *bytes, size_t len)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);

    g->data_pages = len / page + 1;
    g->map_len = (g->data_pages + 1) * page;
    g->map = mmap(NULL, g->map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    cr_assert(g->map != MAP_FAILED, "mmap failed");
    cr_assert_eq(mprotect(g->map + g->data_pages * page, page, PROT_NONE), 0, "mprotect failed");
    char *start = g->map + g->data_pages * page - len;
    if (len > 0)
        memcpy(start, bytes, len);
    return start;
}

static inline void guard_release(struct guard *g)
{
    munmap(g->map, g->map_len);
}

#endif
