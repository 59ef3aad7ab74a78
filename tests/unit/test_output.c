#define _XOPEN_SOURCE 700 /* getrlimit, setrlimit (XSI) */
/* Unit tests for output: claims refused (same file, input, not a regular file,
 * write-protected), the one rule of output names, all or nothing, mode kept, a failed write
 * said and nothing replaced, stale temporary files, signals. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "output.h"

static char dir[256];
static char captured[4096];
static FILE *sink;

static int setup(void **state)
{
    (void)state;
    const char *t = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/test_output.XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(dir))
        return -1;
    sink = tmpfile();
    pb_diag_set_sink(sink);
    return sink ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    pb_diag_set_sink(NULL);
    fclose(sink);
    DIR *d = opendir(dir);
    struct dirent *e;
    char p[512];
    while (d && (e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            unlink(p);
        }
    if (d)
        closedir(d);
    return rmdir(dir);
}

/* What diag printed since the last call. */
static const char *said(void)
{
    fflush(sink);
    rewind(sink);
    size_t n = fread(captured, 1, sizeof captured - 1, sink);
    captured[n] = 0;
    fclose(sink);
    sink = tmpfile();
    pb_diag_set_sink(sink);
    return captured;
}

static const char *in_dir(const char *name)
{
    static char p[8][512];
    static int k;
    k = (k + 1) % 8;
    snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
    return p[k];
}

static void put(const char *name, const char *text)
{
    FILE *f = fopen(in_dir(name), "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static const char *get(const char *name)
{
    static char b[256];
    FILE *f = fopen(in_dir(name), "r");
    if (!f)
        return "(none)";
    size_t n = fread(b, 1, sizeof b - 1, f);
    b[n] = 0;
    fclose(f);
    return b;
}

/* Entries of the folder that hold ".tmp-". */
static int temps(void)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d)) != NULL)
        n += strstr(e->d_name, ".tmp-") != NULL;
    closedir(d);
    return n;
}

static void write_text(pb_output *o, const char *text)
{
    assert_int_equal(pb_output_open(o), PB_OK);
    assert_int_equal(pb_output_write(o, text, strlen(text)), PB_OK);
    assert_int_equal(pb_output_close(o), PB_OK);
}

static void test_commit_all_or_nothing(void **state)
{
    (void)state;
    put("a", "old a");
    put("b", "old b");
    chmod(in_dir("a"), 0640);
    pb_outputs *set = pb_output_new_set();
    pb_output *a, *b;
    assert_int_equal(pb_output_claim(set, in_dir("a"), "the output", 0, &a), PB_OK);
    assert_int_equal(pb_output_claim(set, in_dir("b"), "the report", 0, &b), PB_OK);
    write_text(a, "new a");
    write_text(b, "new b");
    assert_int_equal(temps(), 2);
    pb_output_free_set(set); /* the run failed after both were written: nothing replaced */
    assert_string_equal(get("a"), "old a");
    assert_string_equal(get("b"), "old b");
    assert_int_equal(temps(), 0);

    set = pb_output_new_set();
    assert_int_equal(pb_output_claim(set, in_dir("a"), "the output", 0, &a), PB_OK);
    assert_int_equal(pb_output_claim(set, in_dir("b"), "the report", 0, &b), PB_OK);
    write_text(a, "new a");
    FILE *f = pb_output_text(b);
    assert_non_null(f);
    assert_int_equal(pb_output_open(b), PB_OK);
    fprintf(f, "new %c", 'b');
    assert_int_equal(pb_output_close(b), PB_OK);
    assert_int_equal(pb_output_commit(set), PB_OK);
    pb_output_free_set(set);
    assert_string_equal(get("a"), "new a");
    assert_string_equal(get("b"), "new b");
    struct stat sb;
    assert_int_equal(stat(in_dir("a"), &sb), 0);
    assert_int_equal(sb.st_mode & 07777, 0640); /* the replaced file's mode */
    assert_int_equal(temps(), 0);
    assert_string_equal(said(), "");
}

static void test_claims_refused(void **state)
{
    (void)state;
    put("corpus.txt", "text");
    assert_int_equal(symlink("corpus.txt", in_dir("link.pdf")), 0);
    assert_int_equal(link(in_dir("corpus.txt"), in_dir("hard.pdf")), 0);
    assert_int_equal(mkfifo(in_dir("fifo"), 0600), 0);
    pb_outputs *set = pb_output_new_set();
    pb_output_add_input(set, in_dir("corpus.txt"), "the corpus");
    pb_output *o;
    char want[1024];

    assert_int_equal(pb_output_claim(set, in_dir("link.pdf"), "the output", 0, &o), PB_EUSAGE);
    assert_null(o);
    snprintf(want, sizeof want, "paiban: error: cannot write %s/link.pdf: the same file as the "
             "corpus %s/corpus.txt\n", dir, dir);
    assert_string_equal(said(), want);
    assert_int_equal(pb_output_claim(set, in_dir("hard.pdf"), "the output", 0, &o), PB_EUSAGE);
    said();

    assert_int_equal(pb_output_claim(set, in_dir("x.pdf"), "the output", 0, &o), PB_OK);
    assert_int_equal(pb_output_claim(set, in_dir("./x.pdf"), "the imposed output", 0, &o),
                     PB_EUSAGE);
    snprintf(want, sizeof want, "paiban: error: cannot write %s/./x.pdf: the same file as the "
             "output %s/x.pdf\n", dir, dir);
    assert_string_equal(said(), want);

    assert_int_equal(pb_output_claim(set, in_dir("fifo"), "the output", 0, &o), PB_ESYSTEM);
    snprintf(want, sizeof want, "paiban: error: cannot write %s/fifo: not a regular file (a "
             "FIFO)\n", dir);
    assert_string_equal(said(), want);
    assert_int_equal(pb_output_claim(set, dir, "the output", 0, &o), PB_ESYSTEM);
    snprintf(want, sizeof want, "paiban: error: cannot write %s: Is a directory\n", dir);
    assert_string_equal(said(), want);
    assert_int_equal(pb_output_claim(set, in_dir("no/x.pdf"), "the output", 0, &o), PB_ESYSTEM);
    said();

    /* standard output: traces one after another, a PDF alone */
    assert_int_equal(pb_output_claim(set, "-", "the trace", 1, &o), PB_OK);
    assert_int_equal(pb_output_claim(set, "-", "the trace", 1, &o), PB_OK);
    assert_int_equal(pb_output_claim(set, "-", "the output", 0, &o), PB_EUSAGE);
    assert_string_equal(said(), "paiban: error: cannot write <stdout>: the same file as the "
                                "trace <stdout>\n");
    pb_output_free_set(set);
    assert_int_equal(temps(), 0);
    unlink(in_dir("fifo"));
}

/* A write-protected file (review 12 C10) is refused at its claim, even for root: no write
 * bit at all; a writable one is claimed. */
static void test_write_protected(void **state)
{
    (void)state;
    put("signed.pdf", "signed");
    assert_int_equal(chmod(in_dir("signed.pdf"), 0444), 0);
    pb_outputs *set = pb_output_new_set();
    pb_output *o;
    char want[1024];
    assert_int_equal(pb_output_claim(set, in_dir("signed.pdf"), "the output", 0, &o),
                     PB_ESYSTEM);
    assert_null(o);
    snprintf(want, sizeof want, "paiban: error: cannot write %s/signed.pdf: Permission denied "
             "(write-protected, mode 0444)\n", dir);
    assert_string_equal(said(), want);
    assert_int_equal(chmod(in_dir("signed.pdf"), 0644), 0);
    assert_int_equal(pb_output_claim(set, in_dir("signed.pdf"), "the output", 0, &o), PB_OK);
    pb_output_free_set(set);
    assert_int_equal(temps(), 0);
}

/* One rule for every name given for an output (review 12 C16): %% a percent sign, %d a
 * numbered name's number, no other '%'; a file's own name escaped names that file. */
static void test_name_rule(void **state)
{
    (void)state;
    char why[128];
    assert_int_equal(pb_output_pattern_error("b (50%%).pdf", 0, "n", why, sizeof why), 0);
    assert_int_equal(pb_output_pattern_error("b 50%.pdf", 0, "n", why, sizeof why), 1);
    assert_string_equal(why, "'%.' is neither %d (n) nor %% (a percent sign)");
    assert_int_equal(pb_output_pattern_error("b%", 0, "n", why, sizeof why), 1);
    assert_int_equal(pb_output_pattern_error("b-%d.pdf", 0, "n", why, sizeof why), 1);
    assert_int_equal(pb_output_pattern_error("合約%%-%d.pdf", 1, "n", why, sizeof why), 0);
    assert_int_equal(pb_output_pattern_error("%d-%d", 1, "n", why, sizeof why), 1);
    char *e = pb_output_escape("合約 50% (%d).pdf");
    assert_string_equal(e, "合約 50%% (%%d).pdf");
    assert_int_equal(pb_output_pattern_error(e, 0, "n", why, sizeof why), 0);
    char *n = pb_output_numbered(e, 3); /* no %d in it: -3 before the extension */
    assert_string_equal(n, "合約 50% (%d)-3.pdf");
    pb_output_unescape(e);
    assert_string_equal(e, "合約 50% (%d).pdf");
    free(n);
    free(e);
}

/* A write past RLIMIT_FSIZE (SIGXFSZ ignored) fails with EFBIG: said once, the output fails
 * to the end, the old file stays and the temporary file goes. */
static void test_failed_write(void **state)
{
    (void)state;
    put("big.pdf", "old");
    struct rlimit old, small = {4096, 4096};
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    small.rlim_max = old.rlim_max;
    void (*was)(int) = signal(SIGXFSZ, SIG_IGN);
    pb_outputs *set = pb_output_new_set();
    pb_output *o;
    assert_int_equal(pb_output_claim(set, in_dir("big.pdf"), "the output", 0, &o), PB_OK);
    assert_int_equal(pb_output_open(o), PB_OK);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
    static char block[8192];
    assert_int_equal(pb_output_write(o, block, sizeof block), PB_ESYSTEM);
    assert_int_equal(pb_output_write(o, block, 1), PB_ESYSTEM);
    assert_int_equal(pb_output_close(o), PB_ESYSTEM);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, was);
    char want[1024];
    snprintf(want, sizeof want, "paiban: error: cannot write %s/big.pdf: File too large\n", dir);
    assert_string_equal(said(), want);
    pb_output_free_set(set);
    assert_string_equal(get("big.pdf"), "old");
    assert_int_equal(temps(), 0);
}

static void test_stale_temps(void **state)
{
    (void)state;
    pid_t dead = fork();
    if (dead == 0)
        _exit(0);
    assert_true(dead > 0);
    assert_int_equal(waitpid(dead, NULL, 0), dead);
    char name[128];
    snprintf(name, sizeof name, "s.pdf.tmp-%ld-AbCdEf", (long)dead);
    put(name, "stale");
    snprintf(name, sizeof name, "s.pdf.tmp-%ld-GhIjKl", (long)getppid()); /* alive */
    put(name, "alive");
    snprintf(name, sizeof name, "t.pdf.tmp-%ld-MnOpQr", (long)dead); /* another target's */
    put(name, "other");
    put("s.pdf.tmp-1x-AbCdEf", "not ours"); /* not a PID */
    pb_outputs *set = pb_output_new_set();
    pb_output *o;
    assert_int_equal(pb_output_claim(set, in_dir("s.pdf"), "the output", 0, &o), PB_OK);
    assert_int_equal(pb_output_open(o), PB_OK);
    pb_output_free_set(set);
    snprintf(name, sizeof name, "s.pdf.tmp-%ld-AbCdEf", (long)dead);
    assert_string_equal(get(name), "(none)");
    snprintf(name, sizeof name, "s.pdf.tmp-%ld-GhIjKl", (long)getppid());
    assert_string_equal(get(name), "alive");
    snprintf(name, sizeof name, "t.pdf.tmp-%ld-MnOpQr", (long)dead);
    assert_string_equal(get(name), "other");
    assert_string_equal(get("s.pdf.tmp-1x-AbCdEf"), "not ours");
}

/* A child makes a temporary file and gets SIGUSR1: it dies of it, the file gone. */
static void test_signal_removes_temp(void **state)
{
    (void)state;
    put("sig.pdf", "old");
    pid_t child = fork();
    if (child == 0) {
        pb_outputs *set = pb_output_new_set();
        pb_output *o;
        if (pb_output_claim(set, in_dir("sig.pdf"), "the output", 0, &o) != PB_OK ||
            pb_output_open(o) != PB_OK || pb_output_write(o, "new", 3) != PB_OK)
            _exit(1);
        raise(SIGUSR1);
        _exit(2);
    }
    int status = 0;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGUSR1);
    assert_string_equal(get("sig.pdf"), "old");
    assert_int_equal(temps(), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_commit_all_or_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_claims_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_protected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_name_rule, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_write, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stale_temps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_signal_removes_temp, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
