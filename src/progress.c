/* progress: stage times (-v) and a status line on a terminal for long runs. */
#include "progress.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "diag.h"
#include "parallel.h"

/* The status line is redrawn this often (ms): often enough for the seconds to move. */
#define REDRAW_MS 250
#define STAGE_BYTES 160
#define NS_PER_S 1000000000L

struct pb_progress {
    int times, line;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int done;                  /* the ticker stops */
    double start;              /* s: the run's start */
    double stage_start;        /* s: the current stage's start */
    char stage[STAGE_BYTES];   /* what the run does now ("" before the first stage) */
    pb_background *ticker;
};

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / NS_PER_S;
}

/* The ticker: after the delay, the status line every REDRAW_MS until done. */
static void tick(void *ctx)
{
    pb_progress *p = ctx;
    pthread_mutex_lock(&p->mu);
    while (!p->done) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += REDRAW_MS * 1000000L;
        if (until.tv_nsec >= NS_PER_S) {
            until.tv_sec++;
            until.tv_nsec -= NS_PER_S;
        }
        pthread_cond_timedwait(&p->cv, &p->mu, &until);
        double t = now_s() - p->start;
        if (!p->done && t >= PB_PROGRESS_DELAY_S && p->stage[0]) {
            char text[STAGE_BYTES + 32];
            snprintf(text, sizeof text, "paiban: %s ... %.0f s", p->stage, t);
            pb_diag_status(text);
        }
    }
    pthread_mutex_unlock(&p->mu);
}

pb_progress *pb_progress_new(int times, int line)
{
    if (!times && !line)
        return NULL;
    pb_progress *p = calloc(1, sizeof *p);
    if (!p)
        return NULL; /* nothing to show is no failure */
    p->times = times;
    p->line = line;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    p->start = p->stage_start = now_s();
    if (line)
        p->ticker = pb_background_thread(tick, p); /* NULL: no thread, so no line */
    return p;
}

/* The current stage ends (called with mu held). */
static void end_stage(pb_progress *p, double t)
{
    if (p->times && p->stage[0])
        pb_diag_note("%s: %.1f ms", p->stage, (t - p->stage_start) * 1000);
}

void pb_progress_stage(pb_progress *p, const char *fmt, ...)
{
    if (!p)
        return;
    double t = now_s();
    pthread_mutex_lock(&p->mu);
    end_stage(p, t);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->stage, sizeof p->stage, fmt, ap);
    va_end(ap);
    p->stage_start = t;
    pthread_mutex_unlock(&p->mu);
}

void pb_progress_free(pb_progress *p)
{
    if (!p)
        return;
    double t = now_s();
    pthread_mutex_lock(&p->mu);
    end_stage(p, t);
    p->done = 1;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
    pb_background_free(p->ticker);
    pb_diag_status(NULL);
    if (p->times)
        pb_diag_note("total: %.1f ms", (t - p->start) * 1000);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    free(p);
}
