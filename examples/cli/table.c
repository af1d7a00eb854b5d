/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

static unsigned char fold(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c | 0x20) : c;
}

static uint64_t hash(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ fold((unsigned char)s[i])) * 1099511628211u;
    return h;
}

static int same(const char *key, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (key[i] == '\0' || fold((unsigned char)key[i]) != fold((unsigned char)s[i]))
            return 0;
    return key[len] == '\0';
}

void table_init(struct table *t, size_t value_size)
{
    memset(t, 0, sizeof *t);
    t->value_size = value_size;
}

static int grow(struct table *t)
{
    size_t cap = t->cap ? t->cap * 2 : 64;
    char **keys = calloc(cap, sizeof *keys);
    void **values = calloc(cap, sizeof *values);

    if (keys == NULL || values == NULL) {
        free(keys);
        free(values);
        return 0;
    }
    for (size_t i = 0; i < t->cap; i++) {
        size_t j;
        if (t->keys[i] == NULL)
            continue;
        j = hash(t->keys[i], strlen(t->keys[i])) & (cap - 1);
        while (keys[j])
            j = (j + 1) & (cap - 1);
        keys[j] = t->keys[i];
        values[j] = t->values[i];
    }
    free(t->keys);
    free(t->values);
    t->keys = keys;
    t->values = values;
    t->cap = cap;
    return 1;
}

void *table_get(struct table *t, const char *key, size_t len)
{
    size_t i;

    if ((t->count + 1) * 4 > t->cap * 3 && !grow(t))
        return NULL;
    i = hash(key, len) & (t->cap - 1);
    while (t->keys[i]) {
        if (same(t->keys[i], key, len))
            return t->values[i];
        i = (i + 1) & (t->cap - 1);
    }
    t->keys[i] = malloc(len + 1);
    t->values[i] = calloc(1, t->value_size);
    if (t->keys[i] == NULL || t->values[i] == NULL) {
        free(t->keys[i]);
        free(t->values[i]);
        t->keys[i] = NULL;
        t->values[i] = NULL;
        return NULL;
    }
    memcpy(t->keys[i], key, len);
    t->keys[i][len] = '\0';
    t->count++;
    return t->values[i];
}

void table_free(struct table *t)
{
    for (size_t i = 0; i < t->cap; i++) {
        free(t->keys[i]);
        free(t->values[i]);
    }
    free(t->keys);
    free(t->values);
    memset(t, 0, sizeof *t);
}
