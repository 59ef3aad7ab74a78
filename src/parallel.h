/* parallel: runs independent jobs on the machine's cores (POSIX threads).
 * Takes a job count and a function of (context, job index); returns when every job has run. */
#ifndef PB_PARALLEL_H
#define PB_PARALLEL_H

#include <stddef.h>

typedef void (*pb_job_fn)(void *ctx, size_t i);

/* Run fn(ctx, i) for every i in [0, n), each exactly once, on up to pb_parallel_threads()
 * threads (the calling thread is one of them). Jobs must not share mutable state; results go
 * to slots indexed by i, so the outcome does not depend on the order they ran in. If no thread
 * can be started, the jobs run on the calling thread. */
void pb_parallel_run(size_t n, pb_job_fn fn, void *ctx);

/* The same in two halves, so that the calling thread can do other work while the jobs start:
 * pb_parallel_start hands the jobs to the other threads (none on a one-core machine) and
 * returns at once; pb_parallel_finish runs the jobs still waiting on the calling thread, waits
 * for all, and frees the handle. Every started batch must be finished (also on error paths).
 * The caller must not touch what the jobs use in between. */
typedef struct pb_parallel pb_parallel;
pb_parallel *pb_parallel_start(size_t n, pb_job_fn fn, void *ctx);
void pb_parallel_finish(pb_parallel *p);

/* Threads pb_parallel_run uses: the online processors, or PAIBAN_THREADS (1..64) when set. */
size_t pb_parallel_threads(void);
/* PAIBAN_THREADS is unset, empty or a number of threads paiban takes; else a usage error is
 * printed (once, here) and 0 returned. */
int pb_parallel_env_ok(void);

/* A job started now on its own thread and waited for later (e.g. loading data while the
 * calling thread does other work). pb_background_wait may be called more than once. */
typedef struct pb_background pb_background;
pb_background *pb_background_new(void (*fn)(void *ctx), void *ctx); /* NULL: ran it inline */
/* fn(ctx) on a thread of its own whatever the thread count (a job that waits, such as a
 * timer); NULL when no thread could be started, and fn was not run. */
pb_background *pb_background_thread(void (*fn)(void *ctx), void *ctx);
void pb_background_wait(pb_background *bg);
void pb_background_free(pb_background *bg); /* waits first */

#endif
