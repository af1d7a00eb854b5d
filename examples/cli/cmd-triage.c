/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * smtpstatus triage [--json|--csv] [--top N] [--quiet] INPUT ...
 *
 * A campaign-level report from a mail log (Postfix, Exim, Sendmail) or a
 * collection of bounce messages (a maildir, an mbox, .eml files): counts
 * by outcome, reason, bounce type and action; the addresses to suppress;
 * the receiving domains with transient trouble and when to retry; the
 * problems on the sender's side and what to fix.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "table.h"
#include "triage-log.h"

#define REASONS 64
#define ACTIONS 16
/* Soft bounces to one address before it is worth suppressing. */
#define SOFT_LIMIT 3

enum format { FORMAT_TEXT, FORMAT_JSON, FORMAT_CSV };

struct address {
    unsigned hard, soft, complaints, delivered;
    unsigned last_reason;
};

struct domain {
    unsigned transient, permanent;
    unsigned reasons[REASONS];
    unsigned retry_after; /* the longest the servers asked for */
};

struct problem {
    unsigned events;
    struct table domains; /* value: unsigned count */
    char *sample;
};

struct triage {
    enum format format;
    size_t top;
    int progress;
    size_t lines, messages, events, unreadable;
    unsigned outcomes[8], bounces[3], reasons[REASONS], actions[ACTIONS];
    struct table addresses, domains;
    struct problem problems[REASONS];
};

/* ---- Collecting ---- */

static void record(struct triage *t, const struct smtpstatus_text *rcpt,
                   const struct smtpstatus_verdict *v, const struct smtpstatus_text *diag)
{
    struct address *a = NULL;
    const char *at;
    unsigned reason = v->reason < REASONS ? v->reason : 0;

    t->events++;
    t->outcomes[v->outcome < 8 ? v->outcome : 0]++;
    t->bounces[v->bounce < 3 ? v->bounce : 0]++;
    t->reasons[reason]++;
    t->actions[v->action < ACTIONS ? v->action : 0]++;
    if (rcpt->ptr && rcpt->len > 0)
        a = table_get(&t->addresses, rcpt->ptr, rcpt->len);
    if (a) {
        if (v->outcome == SMTPSTATUS_OUTCOME_SUCCESS)
            a->delivered++;
        else if (v->reason == SMTPSTATUS_REASON_COMPLAINT)
            a->complaints++;
        else if (v->bounce == SMTPSTATUS_BOUNCE_HARD)
            a->hard++;
        else if (v->bounce == SMTPSTATUS_BOUNCE_SOFT)
            a->soft++;
        if (v->outcome != SMTPSTATUS_OUTCOME_SUCCESS)
            a->last_reason = reason;
    }
    at = rcpt->ptr ? memchr(rcpt->ptr, '@', rcpt->len) : NULL;
    if (at && v->outcome != SMTPSTATUS_OUTCOME_SUCCESS) {
        size_t dlen = rcpt->len - (size_t)(at + 1 - rcpt->ptr);
        struct domain *d = table_get(&t->domains, at + 1, dlen);
        if (d) {
            if (v->outcome == SMTPSTATUS_OUTCOME_TRANSIENT) {
                d->transient++;
                d->reasons[reason]++;
                if (v->retry_after > d->retry_after)
                    d->retry_after = v->retry_after;
            } else {
                d->permanent++;
            }
        }
        if (v->party == SMTPSTATUS_PARTY_SENDER_SETUP || v->party == SMTPSTATUS_PARTY_SENDER_REPUTATION) {
            struct problem *p = &t->problems[reason];
            unsigned *count;
            if (p->events++ == 0)
                table_init(&p->domains, sizeof(unsigned));
            count = table_get(&p->domains, at + 1, dlen);
            if (count)
                (*count)++;
            if (p->sample == NULL && diag->ptr && diag->len > 0) {
                size_t n = diag->len > 200 ? 200 : diag->len;
                p->sample = malloc(n + 1);
                if (p->sample) {
                    memcpy(p->sample, diag->ptr, n);
                    p->sample[n] = '\0';
                    for (size_t i = 0; i < n; i++)
                        if (p->sample[i] == '\n' || p->sample[i] == '\r' || p->sample[i] == '\t')
                            p->sample[i] = ' ';
                }
            }
        }
    }
}

static void progress(struct triage *t, int force)
{
    if (t->progress && (force || (t->lines + t->messages) % 100000 == 0))
        fprintf(stderr, "\rsmtpstatus: %zu lines, %zu messages, %zu events%s", t->lines,
                t->messages, t->events, force ? "\n" : "");
}

static int log_line(const char *line, size_t len, void *ctx)
{
    struct triage *t = ctx;
    struct log_event ev;
    struct smtpstatus_classify_input in = SMTPSTATUS_CLASSIFY_INPUT_INIT;
    struct smtpstatus_verdict v = SMTPSTATUS_VERDICT_INIT;
    struct smtpstatus_reply reply = SMTPSTATUS_REPLY_INIT;

    t->lines++;
    progress(t, 0);
    if (!log_event(line, len, &ev))
        return 0;
    in.text = ev.diagnostic.ptr;
    in.text_len = ev.diagnostic.len;
    in.host = ev.host.ptr;
    in.host_len = ev.host.len;
    if (ev.diagnostic.len > 0 &&
        smtpstatus_parse_reply(ev.diagnostic.ptr, ev.diagnostic.len, SMTPSTATUS_REPLY_LENIENT, &reply) ==
            SMTPSTATUS_OK) {
        in.reply_code = reply.code;
        in.has_enhanced = reply.has_enhanced;
        in.enhanced = reply.enhanced;
        in.stage = reply.stage;
    }
    /* The log's own dsn= is what the MTA concluded. */
    if (ev.has_dsn) {
        in.has_enhanced = true;
        in.enhanced = ev.dsn;
    }
    if (ev.status == LOG_SENT) {
        in.has_enhanced = true;
        in.enhanced.cls = 2;
    }
    smtpstatus_classify(&in, &v);
    /* The log says what became of the message, whatever the codes say. */
    if (ev.status == LOG_SENT) {
        v.outcome = SMTPSTATUS_OUTCOME_SUCCESS;
        v.reason = SMTPSTATUS_REASON_DELIVERED;
        v.bounce = SMTPSTATUS_BOUNCE_NONE;
        v.action = SMTPSTATUS_ACTION_NONE;
    } else if (ev.status == LOG_DEFERRED && v.outcome != SMTPSTATUS_OUTCOME_TRANSIENT) {
        v.outcome = SMTPSTATUS_OUTCOME_TRANSIENT;
        v.bounce = SMTPSTATUS_BOUNCE_SOFT;
    } else if (ev.status == LOG_EXPIRED) {
        v.outcome = SMTPSTATUS_OUTCOME_PERMANENT;
        v.reason = SMTPSTATUS_REASON_EXPIRED;
        v.bounce = SMTPSTATUS_BOUNCE_SOFT;
        v.action = SMTPSTATUS_ACTION_STOP;
        v.party = SMTPSTATUS_PARTY_NETWORK;
    } else if (ev.status == LOG_BOUNCED && v.outcome == SMTPSTATUS_OUTCOME_TRANSIENT) {
        /* Bounced after retries on a temporary error: the queue expired. */
        v.outcome = SMTPSTATUS_OUTCOME_PERMANENT;
    }
    record(t, &ev.recipient, &v, &ev.diagnostic);
    return 0;
}

static int message(const char *buf, size_t len, size_t index, void *ctx)
{
    struct triage *t = ctx;
    struct cli_report report;
    int rc;

    (void)index;
    t->messages++;
    progress(t, 0);
    rc = cli_parse_dsn(buf, len, &report);
    for (size_t i = 0; i < report.n; i++)
        record(t, &report.rcpts[i].recipient, &report.rcpts[i].verdict, &report.rcpts[i].diagnostic);
    cli_report_free(&report);
    return rc == SMTPSTATUS_OK ? 0 : 1;
}

/* A message file starts with header fields; a log starts with a date. */
static int looks_like_message(const char *buf, size_t len)
{
    static const char *const starts[] = { "Return-Path:", "Received:", "From:", "Delivered-To:",
                                          "Date:", "Message-ID:", "Subject:", "X-", "Envelope-to:",
                                          "Return-path:", "MIME-Version:" };
    for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++) {
        size_t n = strlen(starts[i]);
        if (len >= n && memcmp(buf, starts[i], n) == 0)
            return 1;
    }
    return 0;
}

static int one_input(const char *path, void *ctx)
{
    struct triage *t = ctx;
    size_t len = 0;
    char *buf = cli_read_file(path, &len);
    int status = 0;

    if (buf == NULL) {
        fprintf(stderr, "smtpstatus: %s: %s\n", path, strerror(errno));
        t->unreadable++;
        return 1;
    }
    if (cli_is_mbox(buf, len) || looks_like_message(buf, len)) {
        status = cli_for_each_message(buf, len, message, t);
    } else {
        size_t start = 0;
        for (size_t i = 0; i <= len; i++)
            if (i == len || buf[i] == '\n') {
                size_t end = i;
                if (end > start && buf[end - 1] == '\r')
                    end--;
                if (end > start)
                    log_line(buf + start, end - start, t);
                start = i + 1;
            }
    }
    free(buf);
    return status;
}

/* ---- Reporting ---- */

struct ranked {
    const char *key;
    unsigned count;
    const void *value;
};

static int by_count(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->key, y->key);
}

/* The entries of a table, ranked by a count the caller derives. */
static struct ranked *rank(const struct table *tab, unsigned (*count)(const void *value), size_t *n)
{
    struct ranked *out = malloc((tab->count ? tab->count : 1) * sizeof *out);
    size_t k = 0;

    if (out == NULL) {
        *n = 0;
        return NULL;
    }
    for (size_t i = 0; i < tab->cap; i++) {
        if (tab->keys[i] == NULL)
            continue;
        out[k].key = tab->keys[i];
        out[k].value = tab->values[i];
        out[k].count = count(tab->values[i]);
        if (out[k].count > 0)
            k++;
    }
    qsort(out, k, sizeof *out, by_count);
    *n = k;
    return out;
}

static unsigned suppress_weight(const void *value)
{
    const struct address *a = value;
    /* Hard bounces and complaints at once; soft ones when they repeat and
     * nothing got through. */
    if (a->hard > 0 || a->complaints > 0 || (a->soft >= SOFT_LIMIT && a->delivered == 0))
        return a->hard * 100 + a->complaints * 100 + a->soft;
    return 0;
}

static unsigned domain_weight(const void *value)
{
    return ((const struct domain *)value)->transient;
}

static unsigned count_value(const void *value)
{
    return *(const unsigned *)value;
}

static const char *suppress_why(const struct address *a)
{
    if (a->complaints)
        return "complaint";
    if (a->hard)
        return "hard bounce";
    return "repeated soft bounces";
}

static void print_duration(FILE *f, unsigned secs)
{
    if (secs >= 86400 && secs % 3600 == 0)
        fprintf(f, "%u day%s", secs / 86400, secs / 86400 == 1 ? "" : "s");
    else if (secs >= 3600)
        fprintf(f, "%u hour%s", secs / 3600, secs / 3600 == 1 ? "" : "s");
    else if (secs >= 60)
        fprintf(f, "%u minute%s", secs / 60, secs / 60 == 1 ? "" : "s");
    else
        fprintf(f, "%u second%s", secs, secs == 1 ? "" : "s");
}

static unsigned top_reason(const unsigned *reasons)
{
    unsigned best = 0;
    for (unsigned r = 1; r < REASONS; r++)
        if (reasons[r] > reasons[best])
            best = r;
    return best;
}

static void report_text(struct triage *t)
{
    size_t n;
    struct ranked *list;

    printf("smtpstatus triage: %zu delivery events from %zu log lines and %zu messages\n\n",
           t->events, t->lines, t->messages);
    printf("Outcome:  delivered %u   deferred %u   failed %u   other %u\n",
           t->outcomes[SMTPSTATUS_OUTCOME_SUCCESS], t->outcomes[SMTPSTATUS_OUTCOME_TRANSIENT],
           t->outcomes[SMTPSTATUS_OUTCOME_PERMANENT],
           t->outcomes[SMTPSTATUS_OUTCOME_UNKNOWN] + t->outcomes[SMTPSTATUS_OUTCOME_INTERMEDIATE]);
    printf("Bounces:  hard %u   soft %u   none %u\n\n", t->bounces[SMTPSTATUS_BOUNCE_HARD],
           t->bounces[SMTPSTATUS_BOUNCE_SOFT], t->bounces[SMTPSTATUS_BOUNCE_NONE]);

    printf("By reason\n");
    for (unsigned pass = 0, shown = 0; pass < 1; pass++) {
        unsigned order[REASONS];
        for (unsigned r = 0; r < REASONS; r++)
            order[r] = r;
        for (unsigned i = 0; i < REASONS; i++)
            for (unsigned j = i + 1; j < REASONS; j++)
                if (t->reasons[order[j]] > t->reasons[order[i]]) {
                    unsigned tmp = order[i];
                    order[i] = order[j];
                    order[j] = tmp;
                }
        for (unsigned i = 0; i < REASONS && t->reasons[order[i]] > 0; i++, shown++) {
            struct smtpstatus_reason_info info = SMTPSTATUS_REASON_INFO_INIT;
            smtpstatus_reason_info((int)order[i], &info);
            printf("  %-22s %7u  %s\n", smtpstatus_reason_name((int)order[i]), t->reasons[order[i]],
                   info.title ? info.title : "");
        }
    }
    printf("\nBy action\n");
    for (unsigned a = 0; a < ACTIONS; a++)
        if (t->actions[a])
            printf("  %-22s %7u\n", smtpstatus_action_name((int)a), t->actions[a]);

    list = rank(&t->addresses, suppress_weight, &n);
    printf("\nAddresses to suppress (%zu)\n", n);
    for (size_t i = 0; i < n && i < t->top; i++) {
        const struct address *a = list[i].value;
        printf("  %-40s %-22s %s\n", list[i].key, smtpstatus_reason_name((int)a->last_reason),
               suppress_why(a));
    }
    if (n > t->top)
        printf("  ... and %zu more (--csv lists them all)\n", n - t->top);
    free(list);

    list = rank(&t->domains, domain_weight, &n);
    printf("\nDomains with transient trouble (%zu)\n", n);
    for (size_t i = 0; i < n && i < t->top; i++) {
        const struct domain *d = list[i].value;
        printf("  %-30s %5u deferred, mostly %s; retry in ", list[i].key, d->transient,
               smtpstatus_reason_name((int)top_reason(d->reasons)));
        print_duration(stdout, d->retry_after ? d->retry_after : 1800);
        printf("\n");
    }
    free(list);

    printf("\nProblems on the sender's side\n");
    for (unsigned r = 0; r < REASONS; r++) {
        struct problem *p = &t->problems[r];
        struct smtpstatus_reason_info info = SMTPSTATUS_REASON_INFO_INIT;
        if (p->events == 0)
            continue;
        smtpstatus_reason_info((int)r, &info);
        list = rank(&p->domains, count_value, &n);
        printf("  %s: %u events at %zu domain%s (", smtpstatus_reason_name((int)r), p->events, n,
               n == 1 ? "" : "s");
        for (size_t i = 0; i < n && i < 5; i++)
            printf("%s%s", i ? ", " : "", list[i].key);
        printf("%s)\n", n > 5 ? ", ..." : "");
        free(list);
        if (p->sample)
            printf("    e.g.  %s\n", p->sample);
        if (info.remedy) {
            printf("    fix:  ");
            cli_print_wrapped_after(info.remedy, 10, "          ");
        }
    }
}

static void report_json(struct triage *t)
{
    size_t n;
    struct ranked *list;
    int first = 1;

    printf("{\"events\":%zu,\"log_lines\":%zu,\"messages\":%zu,\"unreadable\":%zu,", t->events,
           t->lines, t->messages, t->unreadable);
    printf("\"outcomes\":{\"delivered\":%u,\"deferred\":%u,\"failed\":%u},",
           t->outcomes[SMTPSTATUS_OUTCOME_SUCCESS], t->outcomes[SMTPSTATUS_OUTCOME_TRANSIENT],
           t->outcomes[SMTPSTATUS_OUTCOME_PERMANENT]);
    printf("\"bounces\":{\"hard\":%u,\"soft\":%u,\"none\":%u},\"reasons\":{",
           t->bounces[SMTPSTATUS_BOUNCE_HARD], t->bounces[SMTPSTATUS_BOUNCE_SOFT],
           t->bounces[SMTPSTATUS_BOUNCE_NONE]);
    for (unsigned r = 0; r < REASONS; r++)
        if (t->reasons[r]) {
            printf("%s\"%s\":%u", first ? "" : ",", smtpstatus_reason_name((int)r), t->reasons[r]);
            first = 0;
        }
    printf("},\"actions\":{");
    first = 1;
    for (unsigned a = 0; a < ACTIONS; a++)
        if (t->actions[a]) {
            printf("%s\"%s\":%u", first ? "" : ",", smtpstatus_action_name((int)a), t->actions[a]);
            first = 0;
        }
    printf("},\"suppress\":[");
    list = rank(&t->addresses, suppress_weight, &n);
    for (size_t i = 0; i < n; i++) {
        const struct address *a = list[i].value;
        printf("%s{\"address\":", i ? "," : "");
        json_cstring(stdout, list[i].key);
        printf(",\"reason\":\"%s\",\"why\":\"%s\",\"hard\":%u,\"soft\":%u,\"complaints\":%u}",
               smtpstatus_reason_name((int)a->last_reason), suppress_why(a), a->hard, a->soft,
               a->complaints);
    }
    free(list);
    printf("],\"transient_domains\":[");
    list = rank(&t->domains, domain_weight, &n);
    for (size_t i = 0; i < n; i++) {
        const struct domain *d = list[i].value;
        printf("%s{\"domain\":", i ? "," : "");
        json_cstring(stdout, list[i].key);
        printf(",\"deferred\":%u,\"failed\":%u,\"main_reason\":\"%s\",\"retry_after\":%u}",
               d->transient, d->permanent, smtpstatus_reason_name((int)top_reason(d->reasons)),
               d->retry_after ? d->retry_after : 1800);
    }
    free(list);
    printf("],\"sender_problems\":[");
    first = 1;
    for (unsigned r = 0; r < REASONS; r++) {
        struct problem *p = &t->problems[r];
        struct smtpstatus_reason_info info = SMTPSTATUS_REASON_INFO_INIT;
        if (p->events == 0)
            continue;
        smtpstatus_reason_info((int)r, &info);
        printf("%s{\"reason\":\"%s\",\"events\":%u,\"domains\":[", first ? "" : ",",
               smtpstatus_reason_name((int)r), p->events);
        first = 0;
        list = rank(&p->domains, count_value, &n);
        for (size_t i = 0; i < n; i++) {
            printf("%s", i ? "," : "");
            json_cstring(stdout, list[i].key);
        }
        free(list);
        printf("],\"example\":");
        json_cstring(stdout, p->sample);
        printf(",\"fix\":");
        json_cstring(stdout, info.remedy);
        printf("}");
    }
    printf("]}\n");
}

static void csv_field(const char *s)
{
    putchar('"');
    for (; s && *s; s++) {
        if (*s == '"')
            putchar('"');
        putchar(*s);
    }
    putchar('"');
}

/* One row per address that had a failure: what a list manager imports. */
static void report_csv(struct triage *t)
{
    printf("address,suppress,why,last_reason,hard,soft,complaints,delivered\n");
    for (size_t i = 0; i < t->addresses.cap; i++) {
        const struct address *a = t->addresses.values[i];
        if (t->addresses.keys[i] == NULL || (a->hard + a->soft + a->complaints) == 0)
            continue;
        csv_field(t->addresses.keys[i]);
        printf(",%s,", suppress_weight(a) ? "yes" : "no");
        csv_field(suppress_weight(a) ? suppress_why(a) : "");
        printf(",%s,%u,%u,%u,%u\n", smtpstatus_reason_name((int)a->last_reason), a->hard, a->soft,
               a->complaints, a->delivered);
    }
}

static void usage(FILE *f)
{
    fputs("usage: smtpstatus triage [--json|--csv] [--top N] [--quiet] INPUT ...\n"
          "  INPUT: a mail log (Postfix, Exim, Sendmail), a maildir, an mbox or .eml files of\n"
          "         bounces, or - for standard input\n",
          f);
}

int cmd_triage(int argc, char **argv)
{
    struct triage t;
    int status = 0, i;

    memset(&t, 0, sizeof t);
    t.top = 20;
    t.progress = isatty(2);
    table_init(&t.addresses, sizeof(struct address));
    table_init(&t.domains, sizeof(struct domain));
    for (i = 0; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            t.format = FORMAT_JSON;
        } else if (strcmp(argv[i], "--csv") == 0) {
            t.format = FORMAT_CSV;
        } else if (strcmp(argv[i], "--quiet") == 0) {
            t.progress = 0;
        } else if (strcmp(argv[i], "--top") == 0 && i + 1 < argc && atoi(argv[i + 1]) > 0) {
            t.top = (size_t)atoi(argv[++i]);
        } else if (strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return CLI_EXIT_OK;
        } else if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        } else {
            fprintf(stderr, "smtpstatus: triage: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (i >= argc) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    for (; i < argc; i++)
        status |= cli_walk(argv[i], one_input, &t);
    if (t.progress)
        progress(&t, 1);
    if (t.format == FORMAT_JSON)
        report_json(&t);
    else if (t.format == FORMAT_CSV)
        report_csv(&t);
    else
        report_text(&t);
    table_free(&t.addresses);
    table_free(&t.domains);
    for (unsigned r = 0; r < REASONS; r++) {
        if (t.problems[r].events)
            table_free(&t.problems[r].domains);
        free(t.problems[r].sample);
    }
    return (t.unreadable || status) ? CLI_EXIT_NOT_FOUND : CLI_EXIT_OK;
}
