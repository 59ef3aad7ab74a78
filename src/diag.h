/* diag: the one diagnostics sink of paiban.
 * Takes messages (with a file:line:col for input problems) and writes them GNU-style to stderr
 * or to a sink a test installed; returns nothing but counts what it printed. */
#ifndef PB_DIAG_H
#define PB_DIAG_H

#include <stdio.h>

/* Every fallible function returns one of these; they double as the program's exit codes. */
typedef enum {
    PB_OK = 0,
    PB_EINPUT = 1,  /* bad input: corpus, layout, uncovered character */
    PB_EUSAGE = 2,  /* bad command line */
    PB_ESYSTEM = 3  /* unwritable output, missing font, out of memory, library failure */
} pb_status;

/* "file:line:col: error: msg" (col 0 omits the column, line 0 omits line and column). */
void pb_diag_error(const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void pb_diag_warning(const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* "paiban: error: msg" for problems that have no source position. */
void pb_diag_syserr(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "paiban: error: out of memory while DOING" for a failed allocation; returns PB_ESYSTEM. The
 * function whose allocation failed calls it; its callers pass the status on unprinted. Said
 * once a run: a later failure (a parallel job's, or one met while unwinding) stays quiet. */
pb_status pb_diag_oom(const char *doing);
/* A usage error: "paiban: error: msg" and "try 'paiban --help'"; returns PB_EUSAGE. */
pb_status pb_diag_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "paiban: note: msg", only when verbose. */
void pb_diag_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* One line on f (a verdict on stdout): fmt's text and a newline. Like every message above,
 * control characters (C0, DEL, C1) and bytes that are not UTF-8 are written as escapes
 * (\x1B, \u009B, \xFF), so strings from an input file never reach a terminal raw. */
void pb_diag_line(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Redirect all messages (NULL restores stderr). Borrowed: the caller keeps the FILE. */
void pb_diag_set_sink(FILE *sink);
void pb_diag_set_verbose(int verbose);
/* Messages about a file whose path starts with prefix name it as alias followed by the rest
 * (verify's rebuild: "out/a.pdf#corpus.txt" for the embedded corpus written to a temporary
 * folder that is gone when the message is read). NULL: none. Borrowed: kept while set. */
void pb_diag_set_alias(const char *prefix, const char *alias);
/* Is file under the alias's prefix (a file of verify's temporary folder, gone when the message
 * is read, so a message must not tell the reader to open it)? */
int pb_diag_aliased(const char *file);
/* quiet: warnings and notes are dropped (errors never are). */
void pb_diag_set_quiet(int quiet);
/* hold (1): warnings are counted, not printed (verify's rebuild: its typesetting advice is not
 * the verdict), unless verbose; 0 prints them again. Either way the count starts at 0. */
void pb_diag_hold_warnings(int hold);
int pb_diag_held_warnings(void);
/* colour: "error:", "warning:" and "note:" in colour (ECMA-48 SGR), for a terminal. */
void pb_diag_set_colour(int colour);
/* Whether messages should be in colour on stderr: a terminal, NO_COLOR unset or empty
 * (no-color.org), TERM not "dumb". */
int pb_diag_colour_wanted(void);
/* A status line on stderr (progress on a terminal): text replaces the one shown, NULL erases
 * it; every message erases it first. Written as given (the caller's own text). */
void pb_diag_status(const char *text);
int pb_diag_error_count(void);
void pb_diag_reset(void);
/* Drop (1) or print again (0) the messages of the calling thread only: for work done ahead on
 * another thread whose failure is redone, and reported, in order. */
void pb_diag_set_thread_quiet(int quiet);

#endif
