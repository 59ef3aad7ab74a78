/* Unit tests for parallel: every job runs once whatever the thread count; background jobs. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parallel.h"

#define JOBS 1000

typedef struct {
    atomic_int runs[JOBS];
    uint64_t out[JOBS];
} counts;

static void count_job(void *ctx, size_t i)
{
    counts *c = ctx;
    atomic_fetch_add(&c->runs[i], 1);
    uint64_t h = i + 1;
    for (int k = 0; k < 1000; k++) /* some work, so that the threads overlap */
        h = h * 6364136223846793005ULL + 1442695040888963407ULL;
    c->out[i] = h;
}

static void run_with(const char *threads, counts *c)
{
    if (threads)
        setenv("PAIBAN_THREADS", threads, 1);
    else
        unsetenv("PAIBAN_THREADS");
    memset(c, 0, sizeof *c);
    pb_parallel_run(JOBS, count_job, c);
}

static void test_each_job_once_same_results(void **state)
{
    (void)state;
    static counts one, four, all;
    run_with("1", &one);
    run_with("4", &four);
    run_with(NULL, &all);
    for (size_t i = 0; i < JOBS; i++) {
        assert_int_equal(atomic_load(&one.runs[i]), 1);
        assert_int_equal(atomic_load(&four.runs[i]), 1);
        assert_int_equal(atomic_load(&all.runs[i]), 1);
    }
    assert_memory_equal(one.out, four.out, sizeof one.out);
    assert_memory_equal(one.out, all.out, sizeof one.out);
    unsetenv("PAIBAN_THREADS");
}

static void test_no_jobs(void **state)
{
    (void)state;
    counts *c = calloc(1, sizeof *c);
    assert_non_null(c);
    pb_parallel_run(0, count_job, c);
    for (size_t i = 0; i < JOBS; i++)
        assert_int_equal(atomic_load(&c->runs[i]), 0);
    free(c);
}

static void test_thread_count_from_environment(void **state)
{
    (void)state;
    setenv("PAIBAN_THREADS", "3", 1);
    assert_int_equal(pb_parallel_threads(), 3);
    /* out of range or not a number: the machine's count, at least 1 */
    setenv("PAIBAN_THREADS", "0", 1);
    size_t a = pb_parallel_threads();
    setenv("PAIBAN_THREADS", "65", 1);
    size_t b = pb_parallel_threads();
    setenv("PAIBAN_THREADS", "2x", 1);
    size_t c = pb_parallel_threads();
    unsetenv("PAIBAN_THREADS");
    size_t machine = pb_parallel_threads();
    assert_true(machine >= 1);
    assert_int_equal(a, machine);
    assert_int_equal(b, machine);
    assert_int_equal(c, machine);
}

static void slow_set(void *ctx)
{
    struct timespec ts = {0, 20 * 1000 * 1000}; /* 20 ms: wait must really wait */
    nanosleep(&ts, NULL);
    *(atomic_int *)ctx = 42;
}

static void test_background_wait(void **state)
{
    (void)state;
    const char *modes[] = {"1", "2"}; /* one thread: runs inline; two: on its own thread */
    for (size_t m = 0; m < 2; m++) {
        setenv("PAIBAN_THREADS", modes[m], 1);
        atomic_int v = 0;
        pb_background *bg = pb_background_new(slow_set, &v);
        if (m == 0)
            assert_null(bg);
        else
            assert_non_null(bg);
        pb_background_wait(bg);
        assert_int_equal(atomic_load(&v), 42);
        pb_background_wait(bg); /* a second wait returns at once */
        pb_background_free(bg);
    }
    unsetenv("PAIBAN_THREADS");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_job_once_same_results),
        cmocka_unit_test(test_no_jobs),
        cmocka_unit_test(test_thread_count_from_environment),
        cmocka_unit_test(test_background_wait),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
