/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * A host names a provider when it is one of the provider's domains or
 * inside one (lib/data/providers.tsv). smtpstatus__providers_for_host()
 * finds them in one pass with a hash table the generator writes; it must
 * answer exactly as the binary search of each suffix does, over every
 * domain and names made from it (case, labels before and after, parts of
 * labels, trailing dots and brackets), over names longer than a domain can
 * be, and over pseudo-random names built from the domains' own bytes.
 */

#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "internal.h"

static size_t compared;

static uint64_t same_answer(const char *host, size_t len)
{
    uint64_t hashed = smtpstatus__providers_for_host(host, len);
    uint64_t searched = smtpstatus__providers_for_host_searched(host, len);

    cr_assert_eq(hashed, searched, "\"%.*s\": %#llx, the search says %#llx", (int)len, host,
                 (unsigned long long)hashed, (unsigned long long)searched);
    compared++;
    return hashed;
}

static void upper(char *s)
{
    for (; *s; s++)
        if (*s >= 'a' && *s <= 'z')
            *s = (char)(*s - 'a' + 'A');
}

Test(providers, every_domain_and_names_made_from_it)
{
    /* Each name is prefix, domain, suffix. */
    static const struct {
        const char *prefix, *suffix;
    } forms[] = {
        { "", "" }, { "mx.", "" }, { "a.b.c.", "" }, { "", "." }, { "", "]" }, { "", ". " },
        { "x", "" }, { "mx.x", "" }, { "", "x" }, { "", ".example" }, { "-.", "" }, { "..", "" },
        { "gmail.com.", "" }, { "", ".outlook.com" },
    };
    unsigned n = 0;
    size_t len;
    const char *d;

    while ((d = smtpstatus__domain_name(n, &len)) != NULL) {
        char name[300], host[700];

        cr_assert_lt(len, sizeof name);
        memcpy(name, d, len);
        name[len] = '\0';
        cr_assert_neq(same_answer(name, len), 0, "%s is a provider's domain", name);
        for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++) {
            int k = snprintf(host, sizeof host, "%s%s%s", forms[f].prefix, name, forms[f].suffix);
            cr_assert(k > 0 && (size_t)k < sizeof host);
            same_answer(host, (size_t)k);
            upper(host);
            same_answer(host, (size_t)k);
            /* Every tail and every head of it. */
            for (size_t i = 0; i <= (size_t)k; i++) {
                same_answer(host + i, (size_t)k - i);
                same_answer(host, i);
            }
        }
        n++;
    }
    cr_assert_gt(n, 10, "the provider domains are there");
    cr_log_info("%u domains, %zu names", n, compared);
}

Test(providers, long_and_odd_names)
{
    char host[1200];
    uint32_t seed = 12345;
    size_t len;
    const char *domain = NULL;

    same_answer(NULL, 0);
    same_answer("", 0);
    same_answer(".", 1);
    same_answer("...", 3);
    /* Labels in front of a domain until the name is far past 255 bytes. */
    for (unsigned i = 0; (domain = smtpstatus__domain_name(i, &len)) != NULL; i++)
        if (len > 4)
            break;
    cr_assert_not_null(domain);
    for (size_t pad = 0; pad + len < sizeof host; pad += 7) {
        memset(host, 'a', pad);
        for (size_t i = 3; i < pad; i += 4)
            host[i] = '.';
        memcpy(host + pad, domain, len);
        same_answer(host, pad + len);
        if (pad > 0) {
            host[pad - 1] = '.'; /* the domain a label of its own */
            same_answer(host, pad + len);
        }
    }
    /* Names of bytes taken from the domains, dots and any byte at all. */
    for (int round = 0; round < 200000; round++) {
        size_t n;
        seed = seed * 1103515245u + 12345u;
        n = (seed >> 16) % 40;
        for (size_t i = 0; i < n; i++) {
            const char *d;
            size_t dl;
            seed = seed * 1103515245u + 12345u;
            d = smtpstatus__domain_name((seed >> 16) % 100, &dl);
            if ((seed >> 8) % 5 == 0)
                host[i] = '.';
            else if ((seed >> 8) % 17 == 1)
                host[i] = (char)(seed >> 24);
            else if (d != NULL)
                host[i] = d[(seed >> 4) % dl];
            else
                host[i] = (char)('a' + (seed >> 4) % 26);
        }
        same_answer(host, n);
    }
}
