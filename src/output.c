/* output: the files a run writes, each through a temporary file beside it, renamed together.
 *
 * Signals. A signal that ends the process must not leave OUT.tmp-* behind, so each catchable
 * signal whose default action ends the process (and that has no handler or SIG_IGN already)
 * gets one that unlinks the temporary files and dies of the same signal (SIGXFSZ is ignored
 * instead, so that a file size limit is a write error with a message). A handler takes no
 * argument, so it needs static state, and only this: `live`, the output sets of the runs in
 * progress (verify's rebuild is a run inside a run), and `handled`, the signals it handles.
 * Both, and the lists the handler walks, change only with those signals blocked in the calling
 * thread, and only on the main thread; the worker threads block them for good (parallel.c; all
 * but SIGABRT, which abort() raises in its own thread), so the handler runs on the thread that
 * makes the changes and never sees one half made. It calls only async-signal-safe
 * functions (POSIX.1-2017 XSH 2.4.3): unlink, sigaction, sigemptyset, sigaddset,
 * pthread_sigmask, raise, _exit.
 *
 * Durability. A temporary file is written with checked write(2) calls and closed (checked);
 * once every output is written, each is fsync'ed before any is renamed, and the folders are
 * fsync'ed after the renames, so that a crash or power loss leaves the old file or the new one,
 * never a short one (POSIX.1-2017 rename(): "If the link named by the new argument exists, it
 * shall be removed and old renamed to new", one atomic step). The files are fsync'ed together
 * at the end, not each as it is closed, and each one's writing to the disk is started as it
 * is closed (Linux's sync_file_range; elsewhere fsync does it all), so that a run of many
 * files (make pdf: 14) makes the next product while the last one's blocks go out, and waits
 * at the end for what is still in flight: 15 fsyncs of make pdf 105 -> 57 ms (medians of 6,
 * the disk shared).
 *
 * One window. The renames come one after another (no system call replaces many names at
 * once), so a SIGKILL among them, which no handler sees, leaves a series part old, part new.
 * The window is kept short: a file to be replaced gets a second name first (keep_old), so
 * that the renames only change folder entries, and its blocks are freed after the last one
 * (drop_kept). README says what a SIGKILL in it can still do. */
#define _XOPEN_SOURCE 700 /* realpath (XSI) */
#define _GNU_SOURCE       /* sync_file_range (Linux) */
#include "output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "textbuf.h"

/* Exit status of a process that could not re-raise sig (shell convention: 128 + signal). */
#define SIGNAL_EXIT_BASE 128
/* OUT.tmp-PID-XXXXXX: the writer's process id, then what mkstemp fills in. */
#define TEMP_INFIX ".tmp-"
#define TEMP_XS "XXXXXX"
#define TEMP_XS_LEN (sizeof TEMP_XS - 1)
/* Digits of a process id in a temporary name (a 64-bit number at most). */
#define PID_DIGITS_MAX 20
/* Mode bits a replaced file hands on: permissions, set-id and sticky bits. */
#define MODE_BITS 07777
/* Mode of a new file before the umask (as open(2) with O_CREAT and 0666). */
#define NEW_FILE_MODE 0666
/* Write permission for owner, group and others: a file with none is write-protected. */
#define WRITE_BITS 0222

typedef struct {
    dev_t dev;
    ino_t ino;
    const char *name, *role;
} input;

typedef enum { OUT_CLAIMED, OUT_OPEN, OUT_CLOSED, OUT_FAILED, OUT_RENAMED } out_state;

struct pb_output {
    const char *path, *role;    /* as claimed, borrowed */
    int to_stdout, share;
    int exists;                 /* a file is there: old is it (device, inode, mode, owner) */
    struct stat old;
    mode_t new_mode;            /* !exists: the mode of a new file under the umask */
    dev_t dir_dev;              /* no file there: the folder and name identify the output */
    ino_t dir_ino;
    char *dir, *target;         /* the resolved folder and the path renamed onto */
    const char *name;           /* target's last part */
    char *temp;
    volatile sig_atomic_t armed; /* temp exists: a signal removes it */
    char *keep;                 /* a second name of the replaced file while the renames run */
    volatile sig_atomic_t keep_armed; /* keep exists: a signal removes it */
    int fd;
    out_state state;
    FILE *text;                 /* pb_output_text: in memory until pb_output_close */
    char *text_b;
    size_t text_n;
    pb_buf held;                /* standard output: written by pb_output_commit */
    pb_output *next;
};

struct pb_outputs {
    input *inputs;
    size_t n_inputs;
    pb_output *head, *tail;
    mode_t umask;
    pb_outputs *next_live;
};

static pb_outputs *live;
static sigset_t handled;
static int installed;

/* Signals whose default action ends the process and that no memory fault raises (kill, a
 * terminal, a timer, a resource limit, a closed pipe, abort()); install() adds the real-time
 * ones (SIGRTMIN..SIGRTMAX). Those a fault raises (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP,
 * SIGSYS) keep their default action or a sanitizer's report; a temporary file they leave is
 * removed by a later run (remove_stale). */
static const int termination_signals[] = {
    SIGHUP,  SIGINT,  SIGQUIT,   SIGTERM, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM,
    SIGPROF, SIGXCPU, SIGXFSZ,   SIGPIPE, SIGABRT,
#ifdef SIGPOLL
    SIGPOLL,
#endif
#ifdef SIGPWR
    SIGPWR,
#endif
};

static void on_signal(int sig)
{
    for (const pb_outputs *s = live; s; s = s->next_live)
        for (const pb_output *o = s->head; o; o = o->next)
            {
                if (o->armed)
                    unlink(o->temp); /* ENOENT (renamed meanwhile) is fine */
                if (o->keep_armed)
                    unlink(o->keep);
            }
    /* Die of the same signal so the parent sees "killed by signal", not an exit code. */
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, NULL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    raise(sig);
    _exit(SIGNAL_EXIT_BASE + sig); /* not reached */
}

static void install(void)
{
    if (installed)
        return;
    installed = 1;
    sigemptyset(&handled);
    for (size_t i = 0; i < sizeof termination_signals / sizeof termination_signals[0]; i++)
        sigaddset(&handled, termination_signals[i]);
    for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
        sigaddset(&handled, sig);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_mask = handled; /* one handler at a time */
    for (int sig = 1; sig <= SIGRTMAX; sig++) {
        struct sigaction old;
        if (sigismember(&handled, sig) != 1 || sigaction(sig, NULL, &old) != 0)
            continue;
        /* ignored at start (nohup, a background job) or someone else's: leave it so */
        if ((old.sa_flags & SA_SIGINFO) || old.sa_handler != SIG_DFL)
            continue;
        /* a file past the size limit (ulimit -f): ignored, the write fails with EFBIG and the
         * run says "cannot write OUT: File too large" (POSIX.1-2017 write(): "If the request
         * would cause the file size to exceed the soft file size limit ... and SIGXFSZ is
         * ignored, the write shall fail with EFBIG"); review 12 B12: killed with no message */
        if (sig == SIGXFSZ) {
            struct sigaction ign = sa;
            ign.sa_handler = SIG_IGN;
            sigaction(sig, &ign, NULL);
            continue;
        }
        sigaction(sig, &sa, NULL);
    }
}

static void hold_signals(sigset_t *old)
{
    pthread_sigmask(SIG_BLOCK, &handled, old);
}

static void release_signals(const sigset_t *old)
{
    pthread_sigmask(SIG_SETMASK, old, NULL);
}

static const char *shown(const pb_output *o)
{
    return o->to_stdout ? PB_OUTPUT_STDOUT_NAME : o->path;
}

static pb_status fail(pb_output *o, int err)
{
    pb_diag_syserr("cannot write %s: %s", shown(o), strerror(err));
    o->state = OUT_FAILED;
    return PB_ESYSTEM;
}

pb_outputs *pb_output_new_set(void)
{
    install();
    pb_outputs *s = calloc(1, sizeof *s);
    if (!s) {
        pb_diag_oom("setting up the outputs");
        return NULL;
    }
    /* what a new file's mode loses (umask has no read-only form; nothing else runs it) */
    s->umask = umask(0);
    umask(s->umask);
    sigset_t old;
    hold_signals(&old);
    s->next_live = live;
    live = s;
    release_signals(&old);
    return s;
}

void pb_output_free_set(pb_outputs *set)
{
    if (!set)
        return;
    sigset_t old;
    hold_signals(&old);
    for (pb_outputs **p = &live; *p; p = &(*p)->next_live)
        if (*p == set) {
            *p = set->next_live;
            break;
        }
    release_signals(&old);
    pb_output *o = set->head;
    while (o) {
        pb_output *next = o->next;
        if (o->text)
            fclose(o->text);
        if (o->fd >= 0)
            close(o->fd);
        if (o->armed)
            unlink(o->temp);
        if (o->keep_armed)
            unlink(o->keep);
        free(o->keep);
        free(o->text_b);
        free(o->held.b);
        free(o->temp);
        free(o->dir);
        free(o->target);
        free(o);
        o = next;
    }
    free(set->inputs);
    free(set);
}

void pb_output_add_input(pb_outputs *set, const char *path, const char *role)
{
    struct stat sb;
    int is_stdin = strcmp(path, PB_OUTPUT_STDIO) == 0;
    if ((is_stdin ? fstat(STDIN_FILENO, &sb) : stat(path, &sb)) != 0)
        return;
    input *in = realloc(set->inputs, (set->n_inputs + 1) * sizeof *in);
    if (!in)
        return; /* out of memory: the run fails soon enough, and says so */
    set->inputs = in;
    in[set->n_inputs++] = (input){sb.st_dev, sb.st_ino, is_stdin ? PB_OUTPUT_STDIN_NAME : path,
                                  role};
}

static const char *file_kind(mode_t m)
{
    return S_ISCHR(m) ? "a character device" : S_ISBLK(m) ? "a block device"
         : S_ISFIFO(m) ? "a FIFO" : S_ISSOCK(m) ? "a socket" : "not a file";
}

/* target = dir "/" name, the folder and name set from it. */
static pb_status set_target(pb_output *o, char *dir, const char *name)
{
    size_t nd = strlen(dir), nn = strlen(name);
    int root = nd == 1 && dir[0] == '/';
    o->target = malloc(nd + nn + 2);
    if (!o->target) {
        free(dir);
        return fail(o, ENOMEM);
    }
    memcpy(o->target, dir, nd);
    o->target[nd] = '/';
    memcpy(o->target + nd + !root, name, nn + 1);
    o->dir = dir;
    o->name = o->target + nd + !root;
    return PB_OK;
}

/* A file there that may not be written is not replaced: the run is refused as cp(1) refuses
 * it ("cannot write OUT: Permission denied"), although renaming a new file onto it needs only
 * the folder's permission. Write-protecting a signed-off PDF (chmod a-w) protects it from
 * root too, who may write any file (review 12 C10): a file with no write bit at all is
 * refused whoever runs. */
static pb_status check_writable(pb_output *o)
{
    int err = 0;
    if (faccessat(AT_FDCWD, o->path, W_OK, AT_EACCESS) != 0)
        err = errno;
    else if ((o->old.st_mode & WRITE_BITS) == 0)
        err = EACCES;
    if (!err)
        return PB_OK;
    if (err != EACCES)
        return fail(o, err);
    pb_diag_syserr("cannot write %s: %s (write-protected, mode %04o)", o->path, strerror(err),
                   (unsigned)(o->old.st_mode & MODE_BITS));
    o->state = OUT_FAILED;
    return PB_ESYSTEM;
}

/* Where path leads: an existing regular file (through symbolic links), or a new name in an
 * existing folder. */
static pb_status locate(pb_output *o)
{
    struct stat sb;
    if (stat(o->path, &sb) == 0) {
        if (S_ISDIR(sb.st_mode))
            return fail(o, EISDIR);
        if (!S_ISREG(sb.st_mode)) {
            pb_diag_syserr("cannot write %s: not a regular file (%s)", o->path,
                           file_kind(sb.st_mode));
            o->state = OUT_FAILED;
            return PB_ESYSTEM;
        }
        o->exists = 1;
        o->old = sb;
        pb_status st = check_writable(o);
        if (st != PB_OK)
            return st;
        char *real = realpath(o->path, NULL);
        if (!real)
            return fail(o, errno);
        char *slash = strrchr(real, '/'); /* real is absolute */
        char *dir = slash == real ? strdup("/") : strndup(real, (size_t)(slash - real));
        st = dir ? set_target(o, dir, slash + 1) : fail(o, ENOMEM);
        free(real);
        return st;
    }
    if (errno != ENOENT)
        return fail(o, errno);
    /* a new name (or a dangling symbolic link, which the output replaces) */
    const char *slash = strrchr(o->path, '/');
    const char *name = slash ? slash + 1 : o->path;
    if (!*name)
        return fail(o, ENOENT);
    char *dirpart = !slash ? strdup(".")
                  : slash == o->path ? strdup("/")
                  : strndup(o->path, (size_t)(slash - o->path));
    if (!dirpart)
        return fail(o, ENOMEM);
    char *dir = realpath(dirpart, NULL);
    int err = errno;
    free(dirpart);
    if (!dir)
        return fail(o, err);
    if (stat(dir, &sb) != 0) {
        err = errno;
        free(dir);
        return fail(o, err);
    }
    o->dir_dev = sb.st_dev;
    o->dir_ino = sb.st_ino;
    return set_target(o, dir, name);
}

static int same_file(const pb_output *a, const pb_output *b)
{
    if (a->to_stdout && b->to_stdout)
        return !(a->share && b->share);
    if (a->exists && b->exists)
        return a->old.st_dev == b->old.st_dev && a->old.st_ino == b->old.st_ino;
    if (a->exists || b->exists || a->to_stdout || b->to_stdout)
        return 0;
    return a->dir_dev == b->dir_dev && a->dir_ino == b->dir_ino && strcmp(a->name, b->name) == 0;
}

static pb_status check_claim(pb_outputs *set, pb_output *o)
{
    if (o->to_stdout) {
        struct stat sb;
        if (fstat(STDOUT_FILENO, &sb) != 0)
            return fail(o, errno);
        if (S_ISREG(sb.st_mode)) { /* "> FILE": that file must be none of the others */
            o->exists = 1;
            o->old = sb;
        }
    } else {
        pb_status st = locate(o);
        if (st != PB_OK)
            return st;
    }
    for (size_t i = 0; i < set->n_inputs && o->exists; i++) {
        const input *in = &set->inputs[i];
        if (in->dev == o->old.st_dev && in->ino == o->old.st_ino) {
            pb_diag_syserr("cannot write %s: the same file as %s %s", shown(o), in->role, in->name);
            return PB_EUSAGE;
        }
    }
    for (const pb_output *p = set->head; p; p = p->next)
        if (same_file(p, o)) {
            pb_diag_syserr("cannot write %s: the same file as %s %s", shown(o), p->role, shown(p));
            return PB_EUSAGE;
        }
    /* a folder we cannot write into fails now, before any product is made */
    if (!o->to_stdout && access(o->dir, W_OK | X_OK) != 0)
        return fail(o, errno);
    return PB_OK;
}

pb_status pb_output_claim(pb_outputs *set, const char *path, const char *role, int share_stdout,
                          pb_output **out)
{
    *out = NULL;
    pb_output *o = calloc(1, sizeof *o);
    if (!o) {
        pb_diag_syserr("cannot write %s: %s", path, strerror(ENOMEM));
        return PB_ESYSTEM;
    }
    o->path = path;
    o->role = role;
    o->share = share_stdout;
    o->to_stdout = strcmp(path, PB_OUTPUT_STDIO) == 0;
    o->new_mode = NEW_FILE_MODE & ~set->umask;
    o->fd = -1;
    pb_status st = check_claim(set, o);
    if (st != PB_OK) {
        free(o->dir);
        free(o->target);
        free(o);
        return st;
    }
    sigset_t old;
    hold_signals(&old);
    if (set->tail)
        set->tail->next = o;
    else
        set->head = o;
    set->tail = o;
    release_signals(&old);
    *out = o;
    return PB_OK;
}

/* Remove NAME.tmp-PID-XXXXXX beside the target whose process PID is gone (a run killed by
 * SIGKILL, a crash, a power cut); a live process's (or one we may not signal) stays. */
static void remove_stale(const pb_output *o)
{
    DIR *d = opendir(o->dir);
    if (!d)
        return;
    size_t nn = strlen(o->name), ni = strlen(TEMP_INFIX);
    long self = (long)getpid();
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        const char *s = e->d_name;
        if (strncmp(s, o->name, nn) != 0 || strncmp(s + nn, TEMP_INFIX, ni) != 0)
            continue;
        s += nn + ni;
        size_t k = 0;
        long pid = 0;
        while (s[k] >= '0' && s[k] <= '9' && k < PID_DIGITS_MAX && pid <= INT_MAX)
            pid = pid * 10 + (s[k++] - '0');
        if (k == 0 || pid <= 0 || pid > INT_MAX || pid == self || s[k] != '-' ||
            strlen(s + k + 1) != TEMP_XS_LEN)
            continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        struct stat sb;
        if (fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(sb.st_mode) &&
            unlinkat(dirfd(d), e->d_name, 0) == 0)
            pb_diag_note("removed %s/%s, left by process %ld (gone)", o->dir, e->d_name, pid);
    }
    closedir(d);
}

pb_status pb_output_open(pb_output *o)
{
    if (o->state != OUT_CLAIMED)
        return o->state == OUT_OPEN ? PB_OK : PB_ESYSTEM;
    if (o->to_stdout) {
        o->state = OUT_OPEN;
        return PB_OK;
    }
    remove_stale(o);
    size_t n = strlen(o->target) + strlen(TEMP_INFIX) + PID_DIGITS_MAX + 1 + TEMP_XS_LEN + 1;
    char *t = malloc(n);
    if (!t)
        return fail(o, ENOMEM);
    snprintf(t, n, "%s" TEMP_INFIX "%ld-" TEMP_XS, o->target, (long)getpid());
    /* no signal between making the file and arming its removal */
    sigset_t old;
    hold_signals(&old);
    int fd = mkstemp(t), err = errno;
    if (fd >= 0) {
        o->temp = t;
        o->armed = 1;
    }
    release_signals(&old);
    if (fd < 0) {
        free(t);
        return fail(o, err);
    }
    o->fd = fd;
    mode_t mode = o->new_mode;
    if (o->exists) {
        /* the replaced file's owner when we may (root, or our own group), then its mode (a
         * change of owner clears the set-id bits) */
        if (fchown(fd, o->old.st_uid, o->old.st_gid) != 0) {
            /* not allowed: the new file is ours */
        }
        mode = o->old.st_mode & MODE_BITS;
    }
    if (fchmod(fd, mode) != 0)
        return fail(o, errno);
    o->state = OUT_OPEN;
    return PB_OK;
}

pb_status pb_output_write(pb_output *o, const void *bytes, size_t n)
{
    if (o->state != OUT_OPEN)
        return PB_ESYSTEM; /* said when it failed */
    if (o->to_stdout) {
        pb_buf_put(&o->held, bytes, n);
        return o->held.oom ? fail(o, ENOMEM) : PB_OK;
    }
    const char *p = bytes;
    while (n > 0) {
        ssize_t k = write(o->fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return fail(o, k < 0 ? errno : EIO);
        p += k;
        n -= (size_t)k;
    }
    return PB_OK;
}

FILE *pb_output_text(pb_output *o)
{
    if (!o->text && o->state != OUT_FAILED) {
        o->text = open_memstream(&o->text_b, &o->text_n);
        if (!o->text)
            fail(o, errno ? errno : ENOMEM);
    }
    return o->text;
}

pb_status pb_output_close(pb_output *o)
{
    if (o->text) {
        int bad = fclose(o->text) != 0; /* a memory stream fails only for want of memory */
        o->text = NULL;
        if (bad && o->state == OUT_OPEN)
            return fail(o, ENOMEM);
        pb_status st = pb_output_write(o, o->text_b, o->text_n);
        free(o->text_b);
        o->text_b = NULL;
        if (st != PB_OK)
            return st;
    }
    if (o->state != OUT_OPEN)
        return PB_ESYSTEM;
    if (!o->to_stdout) { /* fsync'ed by pb_output_commit, with the others */
#ifdef SYNC_FILE_RANGE_WRITE
        sync_file_range(o->fd, 0, 0, SYNC_FILE_RANGE_WRITE); /* the writing started now */
#endif
        int fd = o->fd;
        o->fd = -1;
        if (close(fd) != 0 && errno != EINTR) /* EINTR: closed all the same (Linux) */
            return fail(o, errno);
    }
    o->state = OUT_CLOSED;
    return PB_OK;
}

const char *pb_output_path(const pb_output *o)
{
    return o->path;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            if (k == 0)
                errno = EIO;
            return -1;
        }
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* fsync a file so its bytes last, or a folder so the renames in it do (flags O_DIRECTORY); a
 * file system that cannot sync one (EINVAL) has nothing more to do. */
static int sync_path(const char *path, int flags)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | flags);
    if (fd < 0)
        return -1;
    int r = fsync(fd) != 0 && errno != EINVAL ? -1 : 0;
    int err = errno;
    close(fd);
    errno = err;
    return r;
}

/* Keep the file a rename will replace under a second name, OUT.tmp-PID-XXXXXX like a
 * temporary file (a run killed before it is removed leaves it to remove_stale). A rename onto
 * a file's last name frees the file's blocks in the rename itself: on ext4 2-4 ms a file, so
 * the 200 renames of a 200-leaflet series took 0.54 s, a window in which SIGKILL (which no
 * handler sees) left a series half old, half new (review 13 B12). With a second name the
 * renames only change folder entries: 200 in 2 ms; the blocks are freed after, by
 * drop_kept. Best effort: where no link can be made (a file system without hard links,
 * protected_hardlinks), the rename frees the file as before. */
static void keep_old(pb_output *o)
{
    size_t n = strlen(o->temp) + 1;
    char *k = malloc(n);
    if (!k)
        return;
    memcpy(k, o->temp, n);
    static const char alnum[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    char *last = k + n - 2; /* the temporary name's last X, changed until the name is free */
    for (size_t i = 0; i < sizeof alnum - 1; i++) {
        if (alnum[i] == o->temp[n - 2])
            continue;
        *last = alnum[i];
        sigset_t old;
        hold_signals(&old);
        int r = link(o->target, k);
        if (r == 0) {
            o->keep = k;
            o->keep_armed = 1;
        }
        release_signals(&old);
        if (r == 0 || errno != EEXIST)
            break;
    }
    if (!o->keep)
        free(k);
}

static void drop_kept(pb_output *o)
{
    if (!o->keep_armed)
        return;
    sigset_t old;
    hold_signals(&old);
    unlink(o->keep); /* a failure leaves a name for remove_stale */
    o->keep_armed = 0;
    release_signals(&old);
}

pb_status pb_output_commit(pb_outputs *set)
{
    /* every file's bytes on the disk before anything is replaced */
    for (pb_output *o = set->head; o; o = o->next)
        if (!o->to_stdout && o->state == OUT_CLOSED && sync_path(o->temp, 0) != 0)
            return fail(o, errno);
    /* standard output first: if it fails (a reader gone), no file is replaced */
    int to_stdout = 0;
    for (pb_output *o = set->head; o; o = o->next)
        if (o->to_stdout && o->state == OUT_CLOSED) {
            to_stdout = 1;
            if (write_all(STDOUT_FILENO, o->held.b, o->held.n) != 0)
                return fail(o, errno);
            o->state = OUT_RENAMED;
        }
    struct stat sb;
    if (to_stdout && fstat(STDOUT_FILENO, &sb) == 0 && S_ISREG(sb.st_mode) &&
        fsync(STDOUT_FILENO) != 0 && errno != EINVAL) {
        pb_diag_syserr("cannot write %s: %s", PB_OUTPUT_STDOUT_NAME, strerror(errno));
        return PB_ESYSTEM;
    }
    /* a second name for every file about to be replaced, so that no rename frees one */
    for (pb_output *o = set->head; o; o = o->next)
        if (!o->to_stdout && o->state == OUT_CLOSED && o->exists && S_ISREG(o->old.st_mode))
            keep_old(o);
    /* every rename with the signals held: they come after, to a run that is done */
    pb_status st = PB_OK;
    sigset_t old;
    hold_signals(&old);
    for (pb_output *o = set->head; o && st == PB_OK; o = o->next) {
        if (o->to_stdout || o->state != OUT_CLOSED)
            continue;
        if (rename(o->temp, o->target) != 0) {
            st = fail(o, errno);
            break;
        }
        o->armed = 0;
        o->state = OUT_RENAMED;
    }
    release_signals(&old);
    /* the replaced files freed now, outside the window in which a series is half renamed */
    for (pb_output *o = set->head; o; o = o->next)
        drop_kept(o);
    for (pb_output *o = set->head; o && st == PB_OK; o = o->next) {
        if (o->to_stdout || o->state != OUT_RENAMED)
            continue;
        int first = 1; /* each folder once */
        for (const pb_output *p = set->head; p != o; p = p->next)
            if (!p->to_stdout && p->state == OUT_RENAMED && strcmp(p->dir, o->dir) == 0)
                first = 0;
        if (first && sync_path(o->dir, O_DIRECTORY) != 0)
            st = fail(o, errno);
    }
    return st;
}

int pb_output_is_claimed(const pb_outputs *set, const char *path)
{
    for (const pb_output *p = set->head; p; p = p->next)
        if (strcmp(p->path, path) == 0)
            return 1;
    return 0;
}

const char *pb_output_number_at(const char *pattern)
{
    for (const char *p = pattern; *p; p++)
        if (*p == '%') {
            if (p[1] == 'd')
                return p;
            if (p[1] == '%')
                p++;
        }
    return NULL;
}

int pb_output_pattern_error(const char *name, int numbered, const char *what, char *why,
                            size_t cap)
{
    const char *at = pb_output_number_at(name);
    if (!numbered && at) {
        snprintf(why, cap, "%%d numbers the files of a leaflet product (one a section)");
        return 1;
    }
    if (at && pb_output_number_at(at + 2)) {
        snprintf(why, cap, "%%d (%s) may appear once", what);
        return 1;
    }
    /* any other '%', in a one-file name too: "b%.pdf" and "b%%.pdf" are not one file */
    for (const char *p = name; *p; p++)
        if (*p == '%') {
            if (p[1] != 'd' && p[1] != '%') {
                int n = p[1] ? 1 : 0; /* the character after it, whole */
                while (n && (p[1 + n] & 0xC0) == 0x80)
                    n++;
                snprintf(why, cap, "'%%%.*s' is neither %%d (%s) nor %%%% (a percent sign)", n,
                         p + 1, what);
                return 1;
            }
            p++;
        }
    return 0;
}

char *pb_output_escape(const char *name)
{
    size_t n = strlen(name), k = 0;
    for (const char *p = name; *p; p++)
        k += *p == '%';
    char *e = malloc(n + k + 1), *w = e;
    if (!e)
        return NULL;
    for (const char *p = name; *p; p++)
        if ((*w++ = *p) == '%')
            *w++ = '%';
    *w = 0;
    return e;
}

void pb_output_unescape(char *s)
{
    char *w = s;
    for (const char *p = s; *p; p++) {
        *w++ = *p;
        if (p[0] == '%' && p[1] == '%')
            p++;
    }
    *w = 0;
}

char *pb_output_numbered(const char *pattern, int n)
{
    size_t cap = strlen(pattern) + 16;
    char *p = malloc(cap);
    if (!p)
        return NULL;
    const char *at = pb_output_number_at(pattern);
    if (at) {
        snprintf(p, cap, "%.*s%d%s", (int)(at - pattern), pattern, n, at + 2);
    } else {
        const char *dot = strrchr(pattern, '.');
        const char *slash = strrchr(pattern, '/');
        size_t stem = dot && (!slash || dot > slash) ? (size_t)(dot - pattern) : strlen(pattern);
        snprintf(p, cap, "%.*s-%d%s", (int)stem, pattern, n, pattern + stem);
    }
    pb_output_unescape(p);
    return p;
}
