/* cleanup: removes the registered temporary file when SIGINT or SIGTERM arrives, then dies of
 * that signal. Takes one path at a time (NULL clears it); returns nothing. */
#ifndef PB_CLEANUP_H
#define PB_CLEANUP_H

/* Install the SIGINT and SIGTERM handlers (once; a signal ignored at start stays ignored, as
 * for a background job or nohup). Call first thing in main. */
void pb_cleanup_install(void);
/* Register the temporary file the next signal must unlink (copied; a path longer than
 * PATH_MAX - 1 bytes is not registered). NULL clears it: call it after the file was renamed
 * or removed. */
void pb_cleanup_set_temp(const char *path);

#endif
