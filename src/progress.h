/* progress: what a run is doing, for the person watching it.
 * Takes the stages of a run as they start; returns nothing, but notes each stage's time (-v)
 * and keeps a status line on a terminal once a run takes longer than a second. */
#ifndef PB_PROGRESS_H
#define PB_PROGRESS_H

typedef struct pb_progress pb_progress;

/* times: each stage ends with a note of its time (pb_diag_note: shown with -v). line: show a
 * status line (stderr is a terminal and the run is not quiet); it appears after
 * PB_PROGRESS_DELAY_S and is redrawn on its own thread. NULL (out of memory, or neither asked
 * for) is a valid progress that does nothing. */
pb_progress *pb_progress_new(int times, int line);
/* The run now does what fmt says ("typesetting booklet.ini"); the stage before it ends. */
void pb_progress_stage(pb_progress *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The last stage ends; the status line goes. */
void pb_progress_free(pb_progress *p);

/* A run shorter than this shows no status line (s). */
#define PB_PROGRESS_DELAY_S 1.0

#endif
