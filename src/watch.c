/* watch: inotify on the folders of the watched files (editors replace a file by renaming a new
 * one onto it, which a watch on the file itself would lose), a rebuild per burst of changes. */
#include "watch.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#define NS_PER_S 1000000000.0
/* inotify(7): a buffer for at least one event with the longest name */
#define EVENT_BUF (sizeof(struct inotify_event) + NAME_MAX + 1)
/* what changes a file: written and closed, renamed or moved in, created, touched */
#define WATCH_MASK (IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_ATTRIB)

typedef struct {
    int wd;           /* the watch on its folder */
    char *dir, *name; /* the file's folder and name in it */
} watched;

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / NS_PER_S;
}

/* One build and its status line: the time of day, how it ended, how long, and which file
 * changed (NULL for the first). */
static void build_once(pb_status (*build)(void *), void *ctx, const char *changed)
{
    double t0 = now_s();
    pb_status st = build(ctx);
    double t = now_s() - t0;
    char clock[16] = "";
    time_t wall = time(NULL);
    struct tm tm;
    if (localtime_r(&wall, &tm))
        strftime(clock, sizeof clock, "%H:%M:%S", &tm);
    char why[PATH_MAX + 16] = "";
    if (changed)
        snprintf(why, sizeof why, " (%s changed)", changed);
    if (st == PB_OK)
        pb_diag_line(stderr, "paiban: %s built in %.2f s%s; watching for changes", clock, t, why);
    else
        pb_diag_line(stderr, "paiban: %s failed (exit %d) after %.2f s%s; watching for changes",
                     clock, (int)st, t, why);
}

/* Split path into its folder ("." for none) and name. */
static int split(const char *path, watched *w)
{
    const char *slash = strrchr(path, '/');
    w->dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
    w->name = strdup(slash ? slash + 1 : path);
    return w->dir && w->name;
}

pb_status pb_watch_run(const char *const *paths, size_t n, pb_status (*build)(void *ctx),
                       void *ctx)
{
    pb_status st = PB_ESYSTEM;
    watched *w = calloc(n, sizeof *w);
    int fd = inotify_init1(IN_CLOEXEC);
    if (!w) {
        st = pb_diag_oom("watching the inputs");
        goto done;
    }
    if (fd < 0) {
        pb_diag_syserr("cannot watch the inputs (inotify): %s", strerror(errno));
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        if (!split(paths[i], &w[i])) {
            st = pb_diag_oom("watching the inputs");
            goto done;
        }
        /* one watch per folder: inotify gives the same descriptor for a folder watched twice */
        if ((w[i].wd = inotify_add_watch(fd, w[i].dir, WATCH_MASK)) < 0) {
            pb_diag_syserr("cannot watch %s (for %s): %s", w[i].dir, paths[i], strerror(errno));
            goto done;
        }
    }
    build_once(build, ctx, NULL);
    for (;;) {
        /* wait for a change to a watched file, then for the burst to settle */
        const char *changed = NULL;
        int timeout = -1;
        for (;;) {
            struct pollfd p = {fd, POLLIN, 0};
            int r = poll(&p, 1, timeout);
            if (r < 0 && errno == EINTR)
                continue;
            if (r < 0) {
                pb_diag_syserr("cannot watch the inputs: %s", strerror(errno));
                goto done;
            }
            if (r == 0)
                break; /* settled */
            _Alignas(struct inotify_event) char buf[16 * EVENT_BUF];
            ssize_t len = read(fd, buf, sizeof buf);
            if (len < 0 && errno == EINTR)
                continue;
            if (len <= 0) {
                pb_diag_syserr("cannot watch the inputs: %s", len ? strerror(errno) : "end of events");
                goto done;
            }
            for (char *e = buf; e < buf + len;) {
                struct inotify_event ev;
                memcpy(&ev, e, sizeof ev);
                const char *name = e + sizeof ev;
                for (size_t i = 0; i < n; i++)
                    if (ev.wd == w[i].wd && ev.len && strcmp(name, w[i].name) == 0 && !changed)
                        changed = paths[i];
                if (ev.mask & IN_IGNORED) {
                    pb_diag_syserr("cannot watch the inputs: a watched folder went away");
                    goto done;
                }
                e += sizeof ev + ev.len;
            }
            if (changed)
                timeout = PB_WATCH_SETTLE_MS;
        }
        build_once(build, ctx, changed);
    }
done:
    if (fd >= 0)
        close(fd);
    for (size_t i = 0; w && i < n; i++) {
        free(w[i].dir);
        free(w[i].name);
    }
    free(w);
    return st;
}
