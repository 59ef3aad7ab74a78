/* Unit tests for diag: GNU-style lines, the error count, a thread's messages dropped. */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gnu_style),
        cmocka_unit_test(test_thread_quiet),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
