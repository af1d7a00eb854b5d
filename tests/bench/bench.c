/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * The benchmark (`meson test --benchmark`, or run it directly): replies per
 * second for parse, parse+classify and explain over the labelled real
 * replies of tests/vectors/replies.tsv, and bounces per second and MB/s
 * for DSN parse+classify over a directory of .eml files held in memory
 * (../shared/corpus/emails/bsd when it is there, else examples/samples).
 * One thread; figures, not assertions.
 */

#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <smtpstatus.h>

#include "replies-vectors.h"

#define NVECTORS (sizeof vectors / sizeof vectors[0])

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void cpu_model(void)
{
    char line[512];
    FILE *f = fopen("/proc/cpuinfo", "r");

    if (f == NULL)
        return;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "model name", 10) == 0) {
            printf("cpu:%s", strchr(line, ':') + 1);
            break;
        }
    fclose(f);
}

/* The machine's neighbours move a rate by 10 to 20 % from one second to
 * the next, so a run is also cut into slices of about SLICE seconds, and
 * the median, slowest and fastest slice are printed with the overall
 * rate: a target met by the median but not the slowest is met only in a
 * typical moment. */
#define SLICE 0.1
#define SLICES_MAX 4096

struct slices {
    double rate[SLICES_MAX];
    size_t n;
};

static int by_rate(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void add_slice(struct slices *s, size_t done, double elapsed)
{
    if (s->n < SLICES_MAX && elapsed > 0)
        s->rate[s->n++] = (double)done / elapsed;
}

static void print_slices(struct slices *s)
{
    if (s->n < 2) {
        printf("\n");
        return;
    }
    qsort(s->rate, s->n, sizeof s->rate[0], by_rate);
    printf("  [%zu slices of %.1f s: median %.0f, slowest %.0f, fastest %.0f]\n", s->n, SLICE,
           s->rate[s->n / 2], s->rate[0], s->rate[s->n - 1]);
}

/* Run `fn` over the vectors until at least `seconds` have passed. */
static void rate(const char *name, double seconds, unsigned (*fn)(const struct vector *))
{
    struct slices s;
    double start = now(), elapsed, slice_start = start, t;
    size_t done = 0, slice_done = 0;
    volatile unsigned sink = 0;

    s.n = 0;
    do {
        for (size_t i = 0; i < NVECTORS; i++)
            sink += fn(&vectors[i]);
        done += NVECTORS;
        slice_done += NVECTORS;
        t = now();
        if (t - slice_start >= SLICE) {
            add_slice(&s, slice_done, t - slice_start);
            slice_start = t;
            slice_done = 0;
        }
        elapsed = t - start;
    } while (elapsed < seconds);
    printf("%-28s %12.0f replies/s  (%zu in %.2f s)", name, (double)done / elapsed, done, elapsed);
    print_slices(&s);
    (void)sink;
}

static unsigned do_parse(const struct vector *t)
{
    struct smtpstatus_reply r = SMTPSTATUS_REPLY_INIT;
    smtpstatus_parse_reply(t->text, t->len, SMTPSTATUS_REPLY_LENIENT, &r);
    return r.code;
}

static unsigned do_classify(const struct vector *t)
{
    struct smtpstatus_reply r = SMTPSTATUS_REPLY_INIT;
    struct smtpstatus_verdict v = SMTPSTATUS_VERDICT_INIT;
    if (smtpstatus_parse_reply(t->text, t->len, SMTPSTATUS_REPLY_LENIENT, &r) == SMTPSTATUS_OK)
        smtpstatus_classify_reply(t->text, t->len, &r, 0, &v);
    else
        smtpstatus_classify_text(t->text, t->len, 0, &v);
    return v.reason;
}

static unsigned do_explain(const struct vector *t)
{
    struct smtpstatus_verdict v = SMTPSTATUS_VERDICT_INIT;
    char buf[2048];
    smtpstatus_classify_text(t->text, t->len, 0, &v);
    return (unsigned)smtpstatus_explain_verdict(t->text, t->len, &v, buf, sizeof buf);
}

struct message {
    char *buf;
    size_t len;
};

static size_t load_dir(const char *dir, struct message **out)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t n = 0, cap = 0;

    *out = NULL;
    if (d == NULL)
        return 0;
    while ((e = readdir(d)) != NULL) {
        char path[4096];
        FILE *f;
        long size;
        size_t len = strlen(e->d_name);
        if (len < 4 || strcmp(e->d_name + len - 4, ".eml") != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if ((f = fopen(path, "rb")) == NULL)
            continue;
        fseek(f, 0, SEEK_END);
        size = ftell(f);
        rewind(f);
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            *out = realloc(*out, cap * sizeof **out);
        }
        (*out)[n].buf = malloc((size_t)size + 1);
        (*out)[n].len = fread((*out)[n].buf, 1, (size_t)size, f);
        fclose(f);
        n++;
    }
    closedir(d);
    return n;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "examples/samples";
    double seconds = argc > 2 ? atof(argv[2]) : 2.0;
    /* A third argument, "replies" or "dsn", runs one part alone (for a
     * profiler). */
    const char *part = argc > 3 ? argv[3] : "all";
    struct message *msgs;
    size_t nmsgs, total = 0, maxlen = 0, rounds = 0, recipients = 0;
    struct smtpstatus_dsn_recipient rcpts[64];
    char *scratch;
    double start, elapsed, slice_start, t;
    size_t slice_rounds = 0;
    struct slices bounce_slices;

    printf("smtpstatus %s benchmark, one thread\n", smtpstatus_version());
    cpu_model();
    if (strcmp(part, "dsn") != 0) {
        printf("replies: %zu labelled real replies (tests/vectors/replies.tsv)\n", NVECTORS);
        rate("parse (lenient)", seconds, do_parse);
        rate("parse + classify", seconds, do_classify);
        rate("classify + explain", seconds, do_explain);
    }
    if (strcmp(part, "replies") == 0)
        return 0;

    nmsgs = load_dir(dir, &msgs);
    if (nmsgs == 0) {
        printf("bounces: no .eml files in %s\n", dir);
        return 0;
    }
    for (size_t i = 0; i < nmsgs; i++) {
        total += msgs[i].len;
        if (msgs[i].len > maxlen)
            maxlen = msgs[i].len;
    }
    scratch = malloc(maxlen + 1);
    bounce_slices.n = 0;
    start = slice_start = now();
    do {
        for (size_t i = 0; i < nmsgs; i++) {
            struct smtpstatus_dsn dsn = SMTPSTATUS_DSN_INIT;
            size_t n = 64;
            rcpts[0].size = sizeof rcpts[0];
            smtpstatus_parse_dsn(msgs[i].buf, msgs[i].len, 0, &dsn, rcpts, &n, scratch, maxlen + 1);
            recipients += n;
        }
        rounds++;
        slice_rounds++;
        t = now();
        if (t - slice_start >= SLICE) {
            add_slice(&bounce_slices, slice_rounds * nmsgs, t - slice_start);
            slice_start = t;
            slice_rounds = 0;
        }
        elapsed = t - start;
    } while (elapsed < seconds);
    printf("bounces: %zu messages (%.1f MB) from %s, %zu rounds\n", nmsgs, (double)total / 1e6, dir,
           rounds);
    printf("%-28s %12.0f bounces/s  %.1f MB/s  (%zu recipients/round)", "dsn parse + classify",
           (double)(rounds * nmsgs) / elapsed, (double)(rounds * total) / elapsed / 1e6,
           recipients / rounds);
    print_slices(&bounce_slices);
    for (size_t i = 0; i < nmsgs; i++)
        free(msgs[i].buf);
    free(msgs);
    free(scratch);
    return 0;
}
