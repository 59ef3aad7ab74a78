#include "diag.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "uchar.h"

/* A message is formatted here first; a longer one gets a buffer of its size. */
#define MESSAGE_BYTES 512
/* C0 controls and DEL (ISO/IEC 6429), then the C1 controls U+0080..U+009F */
#define C0_END 0x20
#define DEL 0x7F
#define C1_FIRST 0x80
#define C1_LAST 0x9F

static FILE *g_sink;
static atomic_int g_errors;  /* messages may come from worker threads (parallel.c) */
static atomic_int g_oom;     /* "out of memory" was said: once a run, whoever meets it next */
static int g_verbose;
static int g_quiet;
static int g_hold;             /* pb_diag_hold_warnings */
static atomic_int g_held;      /* warnings counted, not printed, while g_hold */
static int g_colour;
static atomic_int g_status_shown; /* a status line is on stderr (changed with stderr locked) */
/* ECMA-48 SGR: bold red, bold magenta, bold cyan, and back to normal (as GCC colours these) */
#define SGR_ERROR "\033[1;31m"
#define SGR_WARNING "\033[1;35m"
#define SGR_NOTE "\033[1;36m"
#define SGR_RESET "\033[0m"
/* carriage return, then ECMA-48 EL (erase to the end of the line) */
#define ERASE_LINE "\r\033[K"
/* This thread's messages are dropped (work done ahead that is redone in order on failure). */
static _Thread_local int t_quiet;

static FILE *sink(void) { return g_sink ? g_sink : stderr; }

void pb_diag_set_sink(FILE *s) { g_sink = s; }
void pb_diag_set_verbose(int v) { g_verbose = v; }
void pb_diag_set_quiet(int q) { g_quiet = q; }

static const char *g_alias_prefix, *g_alias; /* pb_diag_set_alias */
void pb_diag_set_alias(const char *prefix, const char *alias)
{
    g_alias_prefix = prefix;
    g_alias = alias;
}
int pb_diag_aliased(const char *file)
{
    return file && g_alias_prefix && strncmp(file, g_alias_prefix, strlen(g_alias_prefix)) == 0;
}
void pb_diag_set_colour(int c) { g_colour = c; }

int pb_diag_colour_wanted(void)
{
    const char *no = getenv("NO_COLOR"), *term = getenv("TERM");
    return isatty(STDERR_FILENO) && !(no && *no) && !(term && strcmp(term, "dumb") == 0);
}

/* Erase the status line before a message on f (f locked). */
static void erase_status(FILE *f)
{
    if (f == stderr && atomic_exchange(&g_status_shown, 0))
        fputs(ERASE_LINE, f);
}

void pb_diag_status(const char *text)
{
    flockfile(stderr);
    erase_status(stderr);
    if (text) {
        fputs(text, stderr);
        atomic_store(&g_status_shown, 1);
    }
    fflush(stderr);
    funlockfile(stderr);
}
int pb_diag_error_count(void) { return atomic_load(&g_errors); }
void pb_diag_reset(void)
{
    atomic_store(&g_errors, 0);
    atomic_store(&g_oom, 0);
}
void pb_diag_set_thread_quiet(int quiet) { t_quiet = quiet; }

/* s onto f with every control character (C0, DEL, C1) and every byte that is not UTF-8
 * written as an escape (\x1B, \u009B, \xFF): a file's names and values never reach a
 * terminal as its commands. */
static void put_escaped(FILE *f, const char *s, size_t n)
{
    const uint8_t *p = (const uint8_t *)s;
    while (n) {
        uint32_t c;
        size_t k = pb_uchar_decode(p, n, &c);
        if (!k)
            fprintf(f, "\\x%02X", p[0]);
        else if (c < C0_END || c == DEL)
            fprintf(f, "\\x%02X", (unsigned)c);
        else if (c >= C1_FIRST && c <= C1_LAST)
            fprintf(f, "\\u%04X", (unsigned)c);
        else
            fwrite(p, 1, k, f);
        if (!k)
            k = 1;
        p += k;
        n -= k;
    }
}

/* fmt formatted and escaped onto f (the caller holds f's lock). */
static void vput(FILE *f, const char *fmt, va_list ap)
{
    char small[MESSAGE_BYTES];
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    char *text = small;
    if (n >= (int)sizeof small) {
        char *big = malloc((size_t)n + 1);
        if (big && vsnprintf(big, (size_t)n + 1, fmt, again) == n)
            text = big;
        else
            free(big); /* out of memory: the message cut at MESSAGE_BYTES - 1 */
    }
    va_end(again);
    if (n > 0)
        put_escaped(f, text, text == small && n >= (int)sizeof small ? sizeof small - 1
                                                                      : (size_t)n);
    if (text != small)
        free(text);
}

static void put(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(FILE *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vput(f, fmt, ap);
    va_end(ap);
}

static void vreport(const char *kind, const char *file, int line, int col, const char *fmt,
                    va_list ap)
{
    FILE *f = sink();
    flockfile(f); /* one message stays one line when threads report */
    erase_status(f);
    const char *alias = "";
    if (file && g_alias_prefix && strncmp(file, g_alias_prefix, strlen(g_alias_prefix)) == 0)
        alias = g_alias, file += strlen(g_alias_prefix);
    if (file && line > 0 && col > 0)
        put(f, "%s%s:%d:%d: ", alias, file, line, col);
    else if (file && line > 0)
        put(f, "%s%s:%d: ", alias, file, line);
    else if (file)
        put(f, "%s%s: ", alias, file);
    else
        fputs("paiban: ", f);
    if (g_colour && f == stderr)
        fprintf(f, "%s%s:" SGR_RESET " ",
                kind[0] == 'e' ? SGR_ERROR : kind[0] == 'w' ? SGR_WARNING : SGR_NOTE, kind);
    else
        fprintf(f, "%s: ", kind);
    vput(f, fmt, ap);
    fputc('\n', f);
    fflush(f);
    funlockfile(f);
}

void pb_diag_line(FILE *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    flockfile(f);
    erase_status(f);
    vput(f, fmt, ap);
    fputc('\n', f);
    funlockfile(f);
    va_end(ap);
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

void pb_diag_hold_warnings(int hold)
{
    g_hold = hold && !g_verbose;
    atomic_store(&g_held, 0);
}

int pb_diag_held_warnings(void) { return atomic_load(&g_held); }

void pb_diag_warning(const char *file, int line, int col, const char *fmt, ...)
{
    if (t_quiet || g_quiet)
        return;
    if (g_hold) {
        atomic_fetch_add(&g_held, 1);
        return;
    }
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

pb_status pb_diag_usage(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport("error", NULL, 0, 0, fmt, ap);
    va_end(ap);
    atomic_fetch_add(&g_errors, 1);
    pb_diag_line(sink(), "try 'paiban --help'");
    return PB_EUSAGE;
}

void pb_diag_note(const char *fmt, ...)
{
    if (!g_verbose || g_quiet || t_quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    vreport("note", NULL, 0, 0, fmt, ap);
    va_end(ap);
}
