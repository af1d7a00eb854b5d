/* Prototype harness (not built by meson): check words.c against today's
 * matcher, and fixed work for callgrind.
 *   bench check      matches of the word path == today's matches of the word-path patterns
 *   bench 0|1|2 K    K rounds over the 602 vectors: nothing / words.c / today's scan */
#include "words.c"
#include "internal.h"
#include "replies-vectors.h"
#define NV (sizeof vectors / sizeof vectors[0])

int main(int argc, char **argv)
{
    uint64_t out[MAXM];
    if (argc > 1 && strcmp(argv[1], "check") == 0) {
        unsigned bad = 0, total = 0;
        for (size_t v = 0; v < NV; v++) {
            struct smtpstatus__phrase_scan s;
            unsigned pid, n = word_match(vectors[v].text, vectors[v].len, out), k = 0;
            size_t end;
            smtpstatus__phrase_start(&s, vectors[v].text, vectors[v].len);
            while (smtpstatus__phrase_next(&s, &pid, &end)) {
                if (!wpath[pid])
                    continue;
                total++;
                if (k >= n || (unsigned)(out[k] & 0xFFFF) != pid || (size_t)(out[k] >> 24) != end) {
                    printf("vector %zu: today %u@%zu, words %s\n", v, pid, end, k < n ? "other" : "none");
                    bad++;
                }
                k++;
            }
            if (k != n) {
                printf("vector %zu: words found %u, today %u\n", v, n, k);
                bad++;
            }
        }
        printf("word-path matches %u, differences %u\n", total, bad);
        return bad != 0;
    }
    int mode = atoi(argv[1]), K = atoi(argv[2]);
    volatile unsigned sink = 0;
    for (int r = 0; r < K; r++)
        for (size_t v = 0; v < NV; v++) {
            if (mode == 1)
                sink += word_match(vectors[v].text, vectors[v].len, out);
            else if (mode == 2) {
                struct smtpstatus__phrase_scan s;
                unsigned pid;
                size_t end;
                smtpstatus__phrase_start(&s, vectors[v].text, vectors[v].len);
                while (smtpstatus__phrase_next(&s, &pid, &end))
                    sink += pid;
            }
        }
    return 0;
}
