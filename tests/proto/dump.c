/* Prototype measurement (not built by meson): dump the compiled patterns
 * and today's matches over the 602 vectors, for analyse.py.
 * cc -O2 -I../../include -I../../lib -I../../build/lib -I../../build/include -I../../build/tests dump.c ../../build/lib/libsmtpstatus.a */
#include <stdio.h>
#include "internal.h"
#include "replies-vectors.h"

int main(void)
{
    size_t n = smtpstatus__pattern_count();
    for (unsigned i = 0; i < n; i++) {
        size_t len;
        unsigned flags;
        const unsigned char *p = smtpstatus__pattern_text(i, &len, &flags);
        printf("P\t%u\t%u\t", i, flags);
        for (size_t k = 0; k < len; k++)
            printf("%02x", p[k]);
        printf("\n");
    }
    for (size_t v = 0; v < sizeof vectors / sizeof vectors[0]; v++) {
        struct smtpstatus__phrase_scan s;
        unsigned pid;
        size_t end;
        printf("T\t%zu\t", v);
        for (size_t k = 0; k < vectors[v].len; k++)
            printf("%02x", (unsigned char)vectors[v].text[k]);
        printf("\n");
        smtpstatus__phrase_start(&s, vectors[v].text, vectors[v].len);
        while (smtpstatus__phrase_next(&s, &pid, &end))
            printf("M\t%zu\t%u\t%zu\n", v, pid, end);
    }
    return 0;
}
