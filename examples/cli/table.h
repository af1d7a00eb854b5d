/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/* A small string-keyed hash table for the CLI's aggregations (open
 * addressing, linear probing; keys are copied; ASCII case is folded). */

#ifndef SMTPSTATUS_CLI_TABLE_H
#define SMTPSTATUS_CLI_TABLE_H

#include <stddef.h>

struct table {
    char **keys;
    void **values;
    size_t cap, count, value_size;
};

void table_init(struct table *t, size_t value_size);
/* The value for key (created zero-filled when new), or NULL when out of
 * memory. */
void *table_get(struct table *t, const char *key, size_t len);
void table_free(struct table *t);

#endif
