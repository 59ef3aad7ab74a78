/* Unit tests for diag: GNU-style lines, the error count, a thread's messages dropped, control
 * characters escaped. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"

static char captured[4096];

static FILE *open_sink(void)
{
    FILE *f = tmpfile();
    assert_non_null(f);
    pb_diag_set_sink(f);
    pb_diag_reset();
    return f;
}

static const char *close_sink(FILE *f)
{
    pb_diag_set_sink(NULL);
    rewind(f);
    size_t n = fread(captured, 1, sizeof captured - 1, f);
    captured[n] = 0;
    fclose(f);
    return captured;
}

static void test_gnu_style(void **state)
{
    (void)state;
    FILE *f = open_sink();
    pb_diag_error("c.txt", 3, 5, "bad %s", "byte");
    pb_diag_warning("c.txt", 4, 0, "odd");
    pb_diag_syserr("no disk");
    assert_int_equal(pb_diag_error_count(), 2); /* warnings are not errors */
    assert_string_equal(close_sink(f), "c.txt:3:5: error: bad byte\n"
                                       "c.txt:4: warning: odd\n"
                                       "paiban: error: no disk\n");
}

static void *report_from_thread(void *arg)
{
    (void)arg;
    pb_diag_error("other.txt", 1, 1, "from another thread");
    return NULL;
}

static void test_thread_quiet(void **state)
{
    (void)state;
    FILE *f = open_sink();
    pb_diag_set_thread_quiet(1);
    pb_diag_error("c.txt", 1, 1, "dropped");
    pb_diag_syserr("dropped too");
    pb_diag_warning("c.txt", 1, 1, "dropped as well");
    /* another thread is not quiet */
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, report_from_thread, NULL), 0);
    pthread_join(t, NULL);
    pb_diag_set_thread_quiet(0);
    pb_diag_error("c.txt", 2, 1, "kept");
    assert_int_equal(pb_diag_error_count(), 2);
    assert_string_equal(close_sink(f), "other.txt:1:1: error: from another thread\n"
                                       "c.txt:2:1: error: kept\n");
}

/* Strings from input files (file names, values, a PDF's names) reach the terminal: control
 * characters (C0, DEL, C1) and bytes that are not UTF-8 are written as escapes, never raw. */
static void test_escapes(void **state)
{
    (void)state;
    FILE *f = open_sink();
    pb_diag_error("a\x1b.txt", 1, 2, "name '%s'", "x\x1b]0;t\x07\x1b[31my");
    pb_diag_syserr("tab\there, C1 \xc2\x9b, DEL \x7f, bad \xff\xc3, ok \xe4\xb8\xad \\x1B");
    pb_diag_warning("w", 0, 0, "nl\ncr\r");
    assert_string_equal(close_sink(f),
                        "a\\x1B.txt:1:2: error: name 'x\\x1B]0;t\\x07\\x1B[31my'\n"
                        "paiban: error: tab\\x09here, C1 \\u009B, DEL \\x7F, bad \\xFF\\xC3, "
                        "ok \xe4\xb8\xad \\x1B\n"
                        "w: warning: nl\\x0Acr\\x0D\n");
    /* verdict lines on another stream get the same treatment */
    FILE *g = tmpfile();
    assert_non_null(g);
    pb_diag_line(g, "verify: %s: identical", "e\x1b[2Jvil.pdf");
    rewind(g);
    size_t n = fread(captured, 1, sizeof captured - 1, g);
    captured[n] = 0;
    fclose(g);
    assert_string_equal(captured, "verify: e\\x1B[2Jvil.pdf: identical\n");
}

/* A message longer than any fixed buffer comes out whole. */
static void test_long_message(void **state)
{
    (void)state;
    static char big[3000];
    memset(big, 'a', sizeof big - 1);
    big[1500] = 0x1b;
    FILE *f = open_sink();
    pb_diag_syserr("%s", big);
    const char *got = close_sink(f);
    assert_int_equal(strlen(got), strlen("paiban: error: ") + sizeof big - 1 + 3 + 1);
    assert_non_null(strstr(got, "a\\x1Ba"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gnu_style),
        cmocka_unit_test(test_thread_quiet),
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_long_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
