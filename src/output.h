/* output: every file a run writes. Takes the run's inputs and the paths it is to write; returns
 * them written whole or not at all: temporary files beside the targets, renamed together. */
#ifndef PB_OUTPUT_H
#define PB_OUTPUT_H

#include <stdio.h>

#include "diag.h"

/* "-o -": standard output (and a corpus "-" is standard input); named so in messages. */
#define PB_OUTPUT_STDIO "-"
#define PB_OUTPUT_STDOUT_NAME "<stdout>"
#define PB_OUTPUT_STDIN_NAME "<stdin>"
/* Where a number goes in an output's name (leaflets' sections, preview's pages). */
#define PB_OUTPUT_NUMBER "%d"

/* The files one run reads and writes. Every output is claimed (checked) before anything is
 * written, written to OUT.tmp-PID-XXXXXX beside its target, and renamed onto it only when all
 * of them were written (pb_output_commit); a run that ends otherwise leaves every target as it
 * was. A catchable signal that would end the process removes the temporary files first. */
typedef struct pb_outputs pb_outputs;
/* One file of a run (or standard output). All of these functions are for the main thread. */
typedef struct pb_output pb_output;

/* A new set, registered for the signal handlers (installed on first use). NULL: out of memory
 * (said). */
pb_outputs *pb_output_new_set(void);
/* Removes the temporary files of outputs not committed, unregisters, frees. NULL is fine. */
void pb_output_free_set(pb_outputs *set);

/* Remember an input (role: "the corpus", "the layout"; "-": standard input) by its device and
 * inode so no output can be it. A file that cannot be stat'ed is skipped (its reader says
 * why). path and role are borrowed for the set's lifetime. */
void pb_output_add_input(pb_outputs *set, const char *path, const char *role);

/* Claim path ("-": standard output) for writing, as role ("the output", "the report" ...):
 * PB_EUSAGE (said) when it is one of the inputs or an output claimed before (the same device
 * and inode, or for a file not there yet the same resolved folder and name); PB_ESYSTEM when
 * it is not a regular file (a device, FIFO, socket, directory) or its folder cannot be
 * written. Several text outputs (share_stdout) may go to standard output one after another.
 * path and role are borrowed for the set's lifetime. */
pb_status pb_output_claim(pb_outputs *set, const char *path, const char *role, int share_stdout,
                          pb_output **out);

/* Start writing: removes OUT.tmp-PID-* beside the target whose process is gone, makes the
 * temporary file (the replaced file's mode and, when allowed, owner; else the umask's). */
pb_status pb_output_open(pb_output *o);
/* Append bytes; every write is checked (the first failure is said, later calls fail too). */
pb_status pb_output_write(pb_output *o, const void *bytes, size_t n);
/* A stdio stream into the output (in memory until pb_output_close); NULL when out of memory
 * (said). */
FILE *pb_output_text(pb_output *o);
/* All written: flush the text stream, close the temporary file (each checked); it is
 * fsync'ed by pb_output_commit. */
pb_status pb_output_close(pb_output *o);
/* pattern with a number put in: "out/leaflet-%d.pdf" -> "out/leaflet-3.pdf", "%%" a percent
 * sign; a path without %d gets "-N" before its extension ("page.png" -> "page-3.png"). The
 * pattern is one pb_output_pattern_error() passes. malloc'ed; NULL: out of memory (not said). */
char *pb_output_numbered(const char *pattern, int n);
/* Whether name cannot be the -o of a product of one file or (numbered) of several, and why
 * (into why). Every name given for an output is read one way (review 12 C16): %% is a percent
 * sign, %d the number (what: "the section number") of a numbered name, at most once, and no
 * other '%'; a one-file name takes no %d (it would be written as those two characters). */
int pb_output_pattern_error(const char *name, int numbered, const char *what, char *why,
                            size_t cap);
/* Whether path, as written, is claimed already. */
int pb_output_is_claimed(const pb_outputs *set, const char *path);
/* Where pattern's %d is (not the 'd' after a %%), or NULL. */
const char *pb_output_number_at(const char *pattern);
/* name as a pattern that names it: each % doubled ("50%.pdf" -> "50%%.pdf"); for names made
 * from a file's (the corpus's, the PDF's). malloc'ed; NULL: out of memory (not said). */
char *pb_output_escape(const char *name);
/* s with each %% made %, in place. */
void pb_output_unescape(char *s);
/* The path as claimed (messages, the report). */
const char *pb_output_path(const pb_output *o);

/* Every claimed output closed: fsync each temporary file, write what goes to standard output,
 * then rename each temporary file onto its target and fsync their folders, with the signals
 * held off meanwhile. */
pb_status pb_output_commit(pb_outputs *set);

#endif
