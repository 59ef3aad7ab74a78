#include "diag.h"

#include <stdarg.h>
#include <stdatomic.h>

static FILE *g_sink;
static atomic_int g_errors;  /* messages may come from worker threads (parallel.c) */
static atomic_int g_oom;     /* "out of memory" was said: once a run, whoever meets it next */
static int g_verbose;
/* This thread's messages are dropped (work done ahead that is redone in order on failure). */
static _Thread_local int t_quiet;

static FILE *sink(void) { return g_sink ? g_sink : stderr; }

void pb_diag_set_sink(FILE *s) { g_sink = s; }
void pb_diag_set_verbose(int v) { g_verbose = v; }
int pb_diag_error_count(void) { return atomic_load(&g_errors); }
void pb_diag_reset(void)
{
    atomic_store(&g_errors, 0);
    atomic_store(&g_oom, 0);
}
void pb_diag_set_thread_quiet(int quiet) { t_quiet = quiet; }

static void vreport(const char *kind, const char *file, int line, int col, const char *fmt,
                    va_list ap)
{
    FILE *f = sink();
    flockfile(f); /* one message stays one line when threads report */
    if (file && line > 0 && col > 0)
        fprintf(f, "%s:%d:%d: %s: ", file, line, col, kind);
    else if (file && line > 0)
        fprintf(f, "%s:%d: %s: ", file, line, kind);
    else if (file)
        fprintf(f, "%s: %s: ", file, kind);
    else
        fprintf(f, "paiban: %s: ", kind);
    vfprintf(f, fmt, ap);
    fputc('\n', f);
    fflush(f);
    funlockfile(f);
}

void pb_diag_error(const char *file, int line, int col, const char *fmt, ...)
{
    if (t_quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    vreport("error", file, line, col, fmt, ap);
    va_end(ap);
    atomic_fetch_add(&g_errors, 1);
}

void pb_diag_warning(const char *file, int line, int col, const char *fmt, ...)
{
    if (t_quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    vreport("warning", file, line, col, fmt, ap);
    va_end(ap);
}

void pb_diag_syserr(const char *fmt, ...)
{
    if (t_quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    vreport("error", NULL, 0, 0, fmt, ap);
    va_end(ap);
    atomic_fetch_add(&g_errors, 1);
}

pb_status pb_diag_oom(const char *doing)
{
    if (t_quiet)
        return PB_ESYSTEM;
    if (atomic_exchange(&g_oom, 1))
        atomic_fetch_add(&g_errors, 1); /* said already (by another job, or before unwinding) */
    else
        pb_diag_syserr("out of memory while %s", doing);
    return PB_ESYSTEM;
}

void pb_diag_note(const char *fmt, ...)
{
    if (!g_verbose || t_quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    vreport("note", NULL, 0, 0, fmt, ap);
    va_end(ap);
}
