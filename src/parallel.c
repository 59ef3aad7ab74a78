/* parallel: a job counter shared by a few POSIX threads; a joinable background job. */
#include "parallel.h"

#include "diag.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

/* More threads than this gain nothing for a handful of fonts and streams. */
#define PB_THREADS_MAX 64

/* PAIBAN_THREADS as a number of threads, 0 when unset or empty, -1 when not 1 to the most. */
static long threads_env(void)
{
    const char *env = getenv("PAIBAN_THREADS");
    if (!env || !*env)
        return 0;
    char *end;
    long v = strtol(env, &end, 10);
    return *end == 0 && v >= 1 && v <= PB_THREADS_MAX ? v : -1;
}

int pb_parallel_env_ok(void)
{
    if (threads_env() >= 0)
        return 1;
    pb_diag_usage("PAIBAN_THREADS must be a number of threads from 1 to %d, got '%s'",
                  PB_THREADS_MAX, getenv("PAIBAN_THREADS"));
    return 0;
}

size_t pb_parallel_threads(void)
{
    long v = threads_env();
    if (v > 0)
        return (size_t)v;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        return 1;
    return n > PB_THREADS_MAX ? PB_THREADS_MAX : (size_t)n;
}

struct pb_parallel {
    pb_job_fn fn;
    void *ctx;
    size_t n;
    atomic_size_t next;       /* the next job to take */
    pthread_t th[PB_THREADS_MAX];
    size_t started;           /* threads running worker() */
};

/* Threads made here take no signal sent to the process: it goes to the main thread, where
 * output.c's handler (which removes the temporary files) expects to run. The signals a fault
 * raises stay open in every thread, for their default action or a sanitizer's report. The new
 * thread inherits the mask; the caller's is restored by end_spawn. */
static void begin_spawn(sigset_t *old)
{
    static const int faults[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS, SIGABRT};
    sigset_t set;
    sigfillset(&set);
    for (size_t i = 0; i < sizeof faults / sizeof faults[0]; i++)
        sigdelset(&set, faults[i]);
    pthread_sigmask(SIG_BLOCK, &set, old);
}

static void end_spawn(const sigset_t *old)
{
    pthread_sigmask(SIG_SETMASK, old, NULL);
}

static void *worker(void *arg)
{
    pb_parallel *p = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&p->next, 1);
        if (i >= p->n)
            return NULL;
        p->fn(p->ctx, i);
    }
}

pb_parallel *pb_parallel_start(size_t n, pb_job_fn fn, void *ctx)
{
    pb_parallel *p = malloc(sizeof *p);
    if (!p) { /* no handle to hand back: the jobs run now, here */
        for (size_t i = 0; i < n; i++)
            fn(ctx, i);
        return NULL;
    }
    p->fn = fn;
    p->ctx = ctx;
    p->n = n;
    atomic_init(&p->next, 0);
    p->started = 0;
    size_t t = pb_parallel_threads();
    if (t > n)
        t = n;
    sigset_t mask;
    begin_spawn(&mask);
    for (size_t k = 1; k < t; k++) { /* the caller is the last worker (pb_parallel_finish) */
        if (pthread_create(&p->th[p->started], NULL, worker, p) != 0)
            break; /* those started and the caller share the rest */
        p->started++;
    }
    end_spawn(&mask);
    return p;
}

void pb_parallel_finish(pb_parallel *p)
{
    if (!p)
        return;
    worker(p);
    for (size_t k = 0; k < p->started; k++)
        pthread_join(p->th[k], NULL);
    free(p);
}

void pb_parallel_run(size_t n, pb_job_fn fn, void *ctx)
{
    pb_parallel_finish(pb_parallel_start(n, fn, ctx));
}

struct pb_background {
    void (*fn)(void *ctx);
    void *ctx;
    pthread_t th;
    int running; /* joinable thread not yet joined */
};

static void *background_main(void *arg)
{
    pb_background *bg = arg;
    bg->fn(bg->ctx);
    return NULL;
}

pb_background *pb_background_thread(void (*fn)(void *ctx), void *ctx)
{
    pb_background *bg = calloc(1, sizeof *bg);
    if (!bg)
        return NULL;
    bg->fn = fn;
    bg->ctx = ctx;
    sigset_t mask;
    begin_spawn(&mask);
    int made = pthread_create(&bg->th, NULL, background_main, bg) == 0;
    end_spawn(&mask);
    if (!made) {
        free(bg);
        return NULL;
    }
    bg->running = 1;
    return bg;
}

pb_background *pb_background_new(void (*fn)(void *ctx), void *ctx)
{
    pb_background *bg = pb_parallel_threads() > 1 ? pb_background_thread(fn, ctx) : NULL;
    if (!bg)
        fn(ctx);
    return bg;
}

void pb_background_wait(pb_background *bg)
{
    if (bg && bg->running) {
        pthread_join(bg->th, NULL);
        bg->running = 0;
    }
}

void pb_background_free(pb_background *bg)
{
    pb_background_wait(bg);
    free(bg);
}
