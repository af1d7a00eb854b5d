/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The smtpstatus developers */

/*
 * A main() for the fuzz targets when they are not linked with libFuzzer
 * (after libpsl's fuzz/main.c): every file of the directories (or every
 * file) named on the command line goes through LLVMFuzzerTestOneInput()
 * once, in name order, so each target's corpus and the saved crash inputs
 * run as an ordinary `meson test` in every build. A broken invariant traps
 * and the test fails; under -Db_sanitize=address,undefined the sanitizers
 * report as well.
 *
 * Names that start with "." are skipped (.gitkeep). A path that cannot be
 * read fails the test, as does a run with no input at all: a wrong path
 * must not pass quietly.
 */

#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    unsigned char *data = NULL;
    size_t size = 0, cap = 0;

    if (f == NULL) {
        perror(path);
        return -1;
    }
    for (;;) {
        size_t got;
        if (size == cap) {
            unsigned char *more;
            cap = cap ? cap * 2 : 65536;
            more = realloc(data, cap);
            if (more == NULL) {
                free(data);
                fclose(f);
                fprintf(stderr, "%s: out of memory\n", path);
                return -1;
            }
            data = more;
        }
        got = fread(data + size, 1, cap - size, f);
        size += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        perror(path);
        free(data);
        fclose(f);
        return -1;
    }
    fclose(f);
    /* The target copies the bytes into a block of exactly their size. */
    LLVMFuzzerTestOneInput(data, size);
    free(data);
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of a directory, in name order. */
static long replay_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0;
    long done = 0;

    if (d == NULL) {
        perror(dir);
        return -1;
    }
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            char **more;
            cap = cap ? cap * 2 : 64;
            more = realloc(names, cap * sizeof *names);
            if (more == NULL)
                abort();
            names = more;
        }
        names[n] = malloc(strlen(dir) + strlen(e->d_name) + 2);
        if (names[n] == NULL)
            abort();
        sprintf(names[n], "%s/%s", dir, e->d_name);
        n++;
    }
    closedir(d);
    if (n > 0)
        qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (done >= 0 && stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
            if (replay_file(names[i]) != 0)
                done = -1;
            else
                done++;
        }
        free(names[i]);
    }
    free(names);
    return done;
}

int main(int argc, char **argv)
{
    long total = 0;

    if (argc < 2) {
        fprintf(stderr, "usage: %s DIR|FILE...\n"
                        "Replays every file through LLVMFuzzerTestOneInput().\n",
                argv[0]);
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        struct stat st;
        long done;

        if (stat(argv[i], &st) != 0) {
            perror(argv[i]);
            return 1;
        }
        if (S_ISDIR(st.st_mode)) {
            done = replay_dir(argv[i]);
        } else {
            done = replay_file(argv[i]) == 0 ? 1 : -1;
        }
        if (done < 0)
            return 1;
        printf("%s: %ld inputs\n", argv[i], done);
        total += done;
    }
    printf("replayed %ld inputs\n", total);
    return total > 0 ? 0 : 1;
}
