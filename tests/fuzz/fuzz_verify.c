/* fuzz_verify: any bytes as an archive PDF through pb_verify_bytes, with a stub rebuild.
 * libqpdf reads the file (the name tree, the XMP, the sources decoded within their limits),
 * the sources go to a private temporary folder, the stub "rebuilds" in this process (the real
 * typesetter is fuzz_pipeline's and fuzz_layout_values' job), and the result is compared and
 * explained (libqpdf on both files again). A hash of the input picks what the stub writes: the
 * input itself (identical), the input with one byte changed (a difference to explain), the
 * sources joined (not a PDF), or nothing (a failed rebuild).
 * Properties: never a crash; success says "identical" and no error; every failure is one error
 * message, or a "differs" verdict and none; no raw control character in any message; the stub
 * sees both sources in the folder; TMPDIR is empty afterwards. */
#define _GNU_SOURCE /* mkdtemp, open_memstream are POSIX; setenv */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "require.h"
#include "diag.h"
#include "verify.h"

#define NAME "fuzz.pdf"
/* Larger inputs take long to read twice; paiban's own archives are well under this. */
#define INPUT_BYTES_MAX (1 << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef enum { STUB_SAME, STUB_CHANGED, STUB_SOURCES, STUB_FAIL, STUB_KINDS } stub_kind;

typedef struct {
    const uint8_t *data;
    size_t size;
    stub_kind kind;
    int called;
} stub;

static char g_tmpdir[64];

static void fini(void)
{
    if (*g_tmpdir)
        rmdir(g_tmpdir);
}

static void init_once(void)
{
    if (*g_tmpdir)
        return;
    snprintf(g_tmpdir, sizeof g_tmpdir, "/tmp/fuzz-verify-XXXXXX");
    REQUIRE(mkdtemp(g_tmpdir));
    REQUIRE(setenv("TMPDIR", g_tmpdir, 1) == 0);
    atexit(fini);
}

static int tmpdir_empty(void)
{
    DIR *d = opendir(g_tmpdir);
    REQUIRE(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n == 0;
}

static long file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode) ? (long)sb.st_size : -1;
}

static int append_file(FILE *out, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        fwrite(buf, 1, n, out);
    fclose(f);
    return 1;
}

static pb_status build(void *ctx, const pb_verify_rebuild *r)
{
    stub *s = ctx;
    s->called++;
    /* both sources are in the private folder, beside each other, and not the output */
    REQUIRE(strncmp(r->corpus, g_tmpdir, strlen(g_tmpdir)) == 0);
    REQUIRE(file_size(r->corpus) >= 0 && file_size(r->layout) >= 0);
    REQUIRE(strcmp(r->corpus, r->layout) != 0 && file_size(r->out) < 0);
    REQUIRE(r->section >= 0 && r->epoch >= 0);
    if (s->kind == STUB_FAIL)
        return PB_EINPUT;
    FILE *out = fopen(r->out, "wb");
    REQUIRE(out);
    if (s->kind == STUB_SOURCES) {
        REQUIRE(append_file(out, r->corpus) && append_file(out, r->layout));
    } else {
        fwrite(s->data, 1, s->size, out);
        if (s->kind == STUB_CHANGED && s->size > 0) { /* one byte of the middle changed */
            REQUIRE(fseek(out, (long)(s->size / 2), SEEK_SET) == 0);
            fputc(s->data[s->size / 2] ^ 0x20, out);
        }
    }
    REQUIRE(fclose(out) == 0);
    return PB_OK;
}

/* No control character but the line ends in text (the messages escape them). */
static int clean_text(const char *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)t[i];
        if ((c < 0x20 && c != '\n') || c == 0x7F)
            return 0;
    }
    return 1;
}

static size_t count_lines(const char *t, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += t[i] == '\n';
    return k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > INPUT_BYTES_MAX)
        return 0;
    init_once();
    uint32_t h = 2166136261u; /* FNV-1a of the input picks the stub */
    for (size_t i = 0; i < size; i++)
        h = (h ^ data[i]) * 16777619u;
    stub s = {data, size, (stub_kind)(h % STUB_KINDS), 0};

    char *msgs = NULL, *verdict = NULL;
    size_t msgs_len = 0, verdict_len = 0;
    FILE *diag = open_memstream(&msgs, &msgs_len);
    FILE *out = open_memstream(&verdict, &verdict_len);
    REQUIRE(diag && out);
    pb_diag_reset();
    pb_diag_set_sink(diag);
    pb_verify_opts o = {build, &s, 0, 1};
    pb_status st = pb_verify_bytes(NAME, data, size, &o, out);
    pb_diag_set_sink(NULL);
    REQUIRE(fclose(diag) == 0 && fclose(out) == 0);

    int errors = pb_diag_error_count();
    REQUIRE(tmpdir_empty());
    REQUIRE(clean_text(msgs, msgs_len) && clean_text(verdict, verdict_len));
    REQUIRE(s.called <= 1);
    if (st == PB_OK) {
        REQUIRE(errors == 0 && s.called == 1 && s.kind == STUB_SAME);
        REQUIRE(strstr(verdict, "verify: " NAME ": identical (SHA-256 ") == verdict);
    } else if (st == PB_EINPUT && strstr(verdict, ": differs from its rebuild")) {
        REQUIRE(errors == 0 && s.called == 1 && s.kind != STUB_FAIL);
        REQUIRE(count_lines(verdict, verdict_len) >= 2); /* the verdict and what differs */
    } else {
        REQUIRE(st == PB_EINPUT || st == PB_ESYSTEM);
        REQUIRE(errors == 1 && count_lines(msgs, msgs_len) == 1 && verdict_len == 0);
        REQUIRE(strncmp(msgs, NAME ": error: ", strlen(NAME ": error: ")) == 0 ||
                strncmp(msgs, "paiban: error: ", strlen("paiban: error: ")) == 0);
    }
    free(msgs);
    free(verdict);
    return 0;
}
