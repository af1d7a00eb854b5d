/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * Writes docs/reference.md at build time from the library's own tables:
 * every enhanced status code of the IANA registry with its plain-words
 * advice, every reply code, and every reason with its mappings. Because
 * it reads the compiled tables, the page cannot drift from the library.
 */

#include <stdio.h>
#include <string.h>

#include <smtpstatus.h>

/* Markdown table cells: no pipes or line breaks. */
static void cell(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '|')
            fputs("\\|", f);
        else if (*s == '\n' || *s == '\r')
            fputc(' ', f);
        else
            fputc(*s, f);
    }
}

int main(int argc, char **argv)
{
    FILE *f = argc > 1 ? fopen(argv[1], "w") : stdout;

    if (f == NULL) {
        perror(argv[1]);
        return 1;
    }
    fprintf(f, "# smtpstatus reference\n\n"
               "Generated from the library's tables (smtpstatus %s, IANA registry of %s); do not "
               "edit.\n\n",
            smtpstatus_version(), smtpstatus_registry_version());

    fprintf(f, "## Enhanced status codes (%zu registered)\n\n", smtpstatus_enhanced_count());
    fprintf(f, "Codes are written `X.s.d`: the class X is 2 (success), 4 (persistent transient "
               "failure) or 5 (permanent failure), RFC 3463 §3.1.\n\n");
    for (size_t i = 0; i < smtpstatus_enhanced_count(); i++) {
        struct smtpstatus_code_info info = SMTPSTATUS_CODE_INFO_INIT;
        char code[SMTPSTATUS_ENHANCED_TEXT_MAX];
        if (smtpstatus_enhanced_at(i, &info) != SMTPSTATUS_OK)
            return 1;
        smtpstatus_format_enhanced(&info.code, code, sizeof code);
        fprintf(f, "### %s %s\n\n", code,
                info.title ? info.title : (info.flags & SMTPSTATUS_CODE_DEPRECATED ? "(deprecated)" : ""));
        fprintf(f, "- **Registry:** ");
        cell(f, info.description);
        fprintf(f, "\n- **In practice:** ");
        cell(f, info.practical_meaning);
        fprintf(f, "\n- **Causes:** ");
        cell(f, info.causes);
        fprintf(f, "\n- **What to do:** ");
        cell(f, info.remedy);
        fprintf(f, "\n- **Who acts:** %s", smtpstatus_party_name((int)info.party));
        if (info.basic_codes_text) {
            fprintf(f, "\n- **Reply codes:** ");
            cell(f, info.basic_codes_text);
        }
        fprintf(f, "\n- **Reference:** ");
        cell(f, info.reference);
        if (info.replaced_by)
            fprintf(f, "\n- **Deprecated:** read it as %s", info.replaced_by);
        fprintf(f, "\n\n");
    }

    fprintf(f, "## Reply codes\n\n| code | context | kind | text | meaning | reference |\n"
               "| --- | --- | --- | --- | --- | --- |\n");
    for (size_t i = 0; i < smtpstatus_reply_code_count(); i++) {
        struct smtpstatus_reply_info info = SMTPSTATUS_REPLY_INFO_INIT;
        static const char *const kinds[] = { "unknown", "standard", "registry-only", "draft",
                                             "non-standard", "legacy", "deprecated" };
        if (smtpstatus_reply_code_at(i, &info) != SMTPSTATUS_OK)
            return 1;
        fprintf(f, "| %u | %s | %s | ", info.code, info.context ? info.context : "",
                info.kind < 7 ? kinds[info.kind] : "");
        cell(f, info.recommended_text);
        fputs(" | ", f);
        cell(f, info.meaning);
        fputs(" | ", f);
        cell(f, info.reference);
        fputs(" |\n", f);
    }

    fprintf(f, "\n## Reasons (%zu)\n\n", smtpstatus_reason_count());
    fprintf(f, "| reason | value | who acts | hard when permanent | action (4xx / 5xx) | sisimai | "
               "PowerMTA | SparkPost |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (size_t r = 0; r < smtpstatus_reason_count(); r++) {
        struct smtpstatus_reason_info info = SMTPSTATUS_REASON_INFO_INIT;
        if (smtpstatus_reason_info((int)r, &info) != SMTPSTATUS_OK)
            return 1;
        fprintf(f, "| `%s` | %zu | %s | %s | %s / %s | %s | %s | %u |\n", info.name, r,
                smtpstatus_party_name((int)info.party), info.address_dead ? "yes" : "no",
                smtpstatus_action_name((int)info.transient_action),
                smtpstatus_action_name((int)info.permanent_action), info.sisimai_reason,
                info.powermta_category, info.sparkpost_class);
    }
    fputs("\n", f);
    for (size_t r = 0; r < smtpstatus_reason_count(); r++) {
        struct smtpstatus_reason_info info = SMTPSTATUS_REASON_INFO_INIT;
        smtpstatus_reason_info((int)r, &info);
        fprintf(f, "### `%s`: %s\n\n", info.name, info.title);
        cell(f, info.meaning);
        fprintf(f, "\n\n- **Causes:** ");
        cell(f, info.causes);
        fprintf(f, "\n- **What to do:** ");
        cell(f, info.remedy);
        fprintf(f, "\n\n");
    }
    if (f != stdout)
        fclose(f);
    return 0;
}
