/* failalloc.so: an LD_PRELOAD shim for tests/errors.sh. With PB_FAILALLOC=N (N >= 1) the N-th
 * malloc, calloc or realloc that paiban's own code calls (the caller is in the executable, not
 * in a library) fails, and so does every later one: out of memory from that point on, while the
 * libraries keep working. PB_FAILALLOC=0 fails nothing and prints on exit how many such calls
 * the run made ("failalloc: N"). glibc only (its __libc_* entry points). */
#define _GNU_SOURCE
#include <link.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);

static uintptr_t exe_lo, exe_hi; /* the executable's code */
static long fail_at = -1;        /* -1: off */
static atomic_long calls;

static int find_exe(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    (void)data;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X)) {
            exe_lo = info->dlpi_addr + ph->p_vaddr;
            exe_hi = exe_lo + ph->p_memsz;
        }
    }
    return 1; /* the first object is the executable */
}

__attribute__((constructor)) static void start(void)
{
    const char *s = getenv("PB_FAILALLOC");
    if (!s || !*s)
        return;
    fail_at = strtol(s, NULL, 10);
    dl_iterate_phdr(find_exe, NULL);
}

__attribute__((destructor)) static void stop(void)
{
    if (fail_at != 0)
        return;
    char msg[64];
    int n = snprintf(msg, sizeof msg, "failalloc: %ld\n", atomic_load(&calls));
    if (write(2, msg, (size_t)n) < 0)
        return;
}

/* Should this call, made from return address ra, fail? */
static int fails(void *ra)
{
    uintptr_t a = (uintptr_t)ra;
    if (fail_at < 0 || a < exe_lo || a >= exe_hi)
        return 0;
    long k = atomic_fetch_add(&calls, 1) + 1;
    return fail_at > 0 && k >= fail_at;
}

void *malloc(size_t n)
{
    return fails(__builtin_return_address(0)) ? NULL : __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
    return fails(__builtin_return_address(0)) ? NULL : __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
    return fails(__builtin_return_address(0)) ? NULL : __libc_realloc(p, n);
}
