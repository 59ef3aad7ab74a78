#include "diag.h"

#include <stdarg.h>

static FILE *g_sink;
static int g_errors;
static int g_verbose;

static FILE *sink(void) { return g_sink ? g_sink : stderr; }

void pb_diag_set_sink(FILE *s) { g_sink = s; }
void pb_diag_set_verbose(int v) { g_verbose = v; }
int pb_diag_error_count(void) { return g_errors; }
void pb_diag_reset(void) { g_errors = 0; }

static void vreport(const char *kind, const char *file, int line, int col, const char *fmt,
                    va_list ap)
{
    FILE *f = sink();
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
}

void pb_diag_error(const char *file, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport("error", file, line, col, fmt, ap);
    va_end(ap);
    g_errors++;
}

void pb_diag_warning(const char *file, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport("warning", file, line, col, fmt, ap);
    va_end(ap);
}

void pb_diag_syserr(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport("error", NULL, 0, 0, fmt, ap);
    va_end(ap);
    g_errors++;
}

void pb_diag_note(const char *fmt, ...)
{
    if (!g_verbose)
        return;
    va_list ap;
    va_start(ap, fmt);
    vreport("note", NULL, 0, 0, fmt, ap);
    va_end(ap);
}
