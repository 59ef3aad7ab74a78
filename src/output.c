/* cleanup: signal-time removal of the temporary output file.
 *
 * The handler only uses async-signal-safe calls (POSIX.1-2017 XSH 2.4.3): unlink, sigaction,
 * sigprocmask, raise, _exit. The path lives in a static buffer that is written with the two
 * signals blocked, so the handler never sees half a path; `armed` says whether it holds one. */
#include "cleanup.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

/* Exit status of a process that could not re-raise sig (shell convention: 128 + signal). */
#define SIGNAL_EXIT_BASE 128

static const int signals[] = {SIGINT, SIGTERM};
#define N_SIGNALS (sizeof signals / sizeof signals[0])

static char temp_path[PATH_MAX];
static volatile sig_atomic_t armed;
static int installed;

static void on_signal(int sig)
{
    if (armed)
        unlink(temp_path); /* ENOENT (already renamed or removed) is fine */
    armed = 0;
    /* Die of the same signal so the parent sees "killed by signal", not an exit code. */
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, NULL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(sig);
    _exit(SIGNAL_EXIT_BASE + sig); /* not reached */
}

void pb_cleanup_install(void)
{
    if (installed)
        return;
    installed = 1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < N_SIGNALS; i++)
        sigaddset(&sa.sa_mask, signals[i]); /* one handler at a time */
    for (size_t i = 0; i < N_SIGNALS; i++) {
        struct sigaction old;
        if (sigaction(signals[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue; /* started ignoring it (nohup, background job): keep ignoring it */
        sigaction(signals[i], &sa, NULL);
    }
}

void pb_cleanup_set_temp(const char *path)
{
    sigset_t block, old;
    sigemptyset(&block);
    for (size_t i = 0; i < N_SIGNALS; i++)
        sigaddset(&block, signals[i]);
    sigprocmask(SIG_BLOCK, &block, &old);
    armed = 0;
    if (path) {
        size_t n = strlen(path);
        if (n < sizeof temp_path) {
            memcpy(temp_path, path, n + 1);
            armed = 1;
        }
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
}

/* Suffix of a temporary file beside its target; mkstemp fills in the Xs. */
#define TEMP_SUFFIX ".tmp-XXXXXX"

FILE *pb_cleanup_temp_open(const char *path, char **tmp)
{
    *tmp = NULL;
    size_t n = strlen(path) + sizeof TEMP_SUFFIX;
    char *t = malloc(n);
    if (!t) {
        pb_diag_syserr("cannot write %s: out of memory", path);
        return NULL;
    }
    memcpy(t, path, n - sizeof TEMP_SUFFIX);
    memcpy(t + n - sizeof TEMP_SUFFIX, TEMP_SUFFIX, sizeof TEMP_SUFFIX);
    /* no signal between creating the file and registering it for removal */
    sigset_t block, old;
    sigemptyset(&block);
    for (size_t i = 0; i < N_SIGNALS; i++)
        sigaddset(&block, signals[i]);
    sigprocmask(SIG_BLOCK, &block, &old);
    int fd = mkstemp(t);
    if (fd >= 0)
        pb_cleanup_set_temp(t);
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (fd < 0) {
        pb_diag_syserr("cannot write %s: %s", path, strerror(errno));
        free(t);
        return NULL;
    }
    /* mkstemp makes the file private; an output gets the mode any new file would (umask) */
    mode_t mask = umask(0);
    umask(mask);
    FILE *f = fchmod(fd, 0666 & ~mask) == 0 ? fdopen(fd, "wb") : NULL;
    if (!f) {
        pb_diag_syserr("cannot write %s: %s", path, strerror(errno));
        close(fd);
        pb_cleanup_temp_abandon(NULL, t);
        return NULL;
    }
    *tmp = t;
    return f;
}

pb_status pb_cleanup_temp_commit(FILE *f, char *tmp, const char *path)
{
    int bad = 0;
    if (f) {
        bad = ferror(f);
        bad |= fclose(f) != 0;
    }
    if (bad || rename(tmp, path) != 0) {
        pb_diag_syserr("cannot write %s: %s", path, errno ? strerror(errno) : "write error");
        pb_cleanup_temp_abandon(NULL, tmp);
        return PB_ESYSTEM;
    }
    pb_cleanup_set_temp(NULL);
    free(tmp);
    return PB_OK;
}

void pb_cleanup_temp_abandon(FILE *f, char *tmp)
{
    if (f)
        fclose(f);
    if (tmp)
        unlink(tmp);
    pb_cleanup_set_temp(NULL);
    free(tmp);
}
