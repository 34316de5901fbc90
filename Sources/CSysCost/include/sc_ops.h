// One operation of each benchmark, as a static inline function: the loops in sc_loops.c
// repeat it, and Swift calls it once to check it against libc before timing.
// Raw ops return the kernel's value (negative errno); libc ops return libc's.
#ifndef SC_OPS_H
#define SC_OPS_H

#include <fcntl.h>
#include <linux/futex.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/types.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "sc_batch.h"
#include "sc_syscall.h"
#include "sc_tsc.h"

// glibc declares getcpu only under _GNU_SOURCE, which Swift's view of the headers lacks.
extern int getcpu(unsigned int *cpu, unsigned int *node);

/// A syscall number no kernel implements: the kernel's entry and exit with nothing between.
#define SC_INVALID_SYSCALL 999L

#define SC_L(x) ((long)(x))

static inline long sc_op_empty(sc_ctx *c) {
    (void)c;
    __asm__ volatile("" : : : "memory");
    return 0;
}

// process-control
static inline long sc_op_getpid_raw(sc_ctx *c) { (void)c; return sc_syscall0(SYS_getpid); }
static inline long sc_op_getppid_raw(sc_ctx *c) { (void)c; return sc_syscall0(SYS_getppid); }
static inline long sc_op_getppid_libc(sc_ctx *c) { (void)c; return getppid(); }
static inline long sc_op_gettid_raw(sc_ctx *c) { (void)c; return sc_syscall0(SYS_gettid); }
static inline long sc_op_sched_yield_raw(sc_ctx *c) { (void)c; return sc_syscall0(SYS_sched_yield); }
static inline long sc_op_getpriority_raw(sc_ctx *c) {
    (void)c;
    return sc_syscall2(SYS_getpriority, PRIO_PROCESS, 0);
}
static inline long sc_op_invalid_raw(sc_ctx *c) { (void)c; return sc_syscall0(SC_INVALID_SYSCALL); }

// file-management: fd[0] is the file, path its name
static inline long sc_op_read_raw(sc_ctx *c) { return sc_syscall3(SYS_read, c->fd[0], SC_L(c->buf), 1); }
static inline long sc_op_read_libc(sc_ctx *c) { return read(c->fd[0], c->buf, 1); }
/// The raw read behind a call and a return of its own (sc_called.c): a wrapper's shape, no libc.
long sc_read_behind_call(sc_ctx *c);
static inline long sc_op_read_raw_call(sc_ctx *c) { return sc_read_behind_call(c); }
static inline long sc_op_write_raw(sc_ctx *c) { return sc_syscall3(SYS_write, c->fd[0], SC_L(c->buf), 1); }
static inline long sc_op_write_libc(sc_ctx *c) { return write(c->fd[0], c->buf, 1); }
static inline long sc_op_pread_raw(sc_ctx *c) {
    return sc_syscall4(SYS_pread64, c->fd[0], SC_L(c->buf), 1, 0);
}
static inline long sc_op_lseek_raw(sc_ctx *c) { return sc_syscall3(SYS_lseek, c->fd[0], 0, SEEK_SET); }
static inline long sc_op_fstat_raw(sc_ctx *c) { return sc_syscall2(SYS_fstat, c->fd[0], SC_L(c->buf)); }
static inline long sc_op_stat_raw(sc_ctx *c) {
    return sc_syscall4(SYS_newfstatat, AT_FDCWD, SC_L(c->path), SC_L(c->buf), 0);
}
static inline long sc_op_pread_libc(sc_ctx *c) { return pread(c->fd[0], c->buf, 1, 0); }
static inline long sc_op_openat_close_raw(sc_ctx *c) {
    long fd = sc_syscall3(SYS_openat, AT_FDCWD, SC_L(c->path), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) sc_syscall1(SYS_close, fd);
    return fd;
}
static inline long sc_op_openat_close_libc(sc_ctx *c) {
    int fd = openat(AT_FDCWD, c->path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) close(fd);
    return fd;
}
static inline long sc_op_dup_close_raw(sc_ctx *c) {
    long fd = sc_syscall1(SYS_dup, c->fd[0]);
    if (fd >= 0) sc_syscall1(SYS_close, fd);
    return fd;
}
static inline long sc_op_fcntl_getfl_raw(sc_ctx *c) { return sc_syscall2(SYS_fcntl, c->fd[0], F_GETFL); }
static inline long sc_op_access_raw(sc_ctx *c) {
#ifdef SYS_access
    return sc_syscall2(SYS_access, SC_L(c->path), R_OK);
#else
    return sc_syscall3(SYS_faccessat, AT_FDCWD, SC_L(c->path), R_OK);
#endif
}
static inline long sc_op_getcwd_raw(sc_ctx *c) { return sc_syscall2(SYS_getcwd, SC_L(c->buf), SC_L(c->len)); }

// device-management
static inline long sc_op_ioctl_fionread_raw(sc_ctx *c) {
    return sc_syscall3(SYS_ioctl, c->fd[0], FIONREAD, SC_L(c->buf));
}
static inline long sc_op_ioctl_tcgets_raw(sc_ctx *c) {
    return sc_syscall3(SYS_ioctl, c->fd[0], TCGETS, SC_L(c->buf));
}
static inline long sc_op_getrandom_raw(sc_ctx *c) { return sc_syscall3(SYS_getrandom, SC_L(c->buf), 1, 0); }

// information-maintenance
static inline long sc_op_uname_raw(sc_ctx *c) { return sc_syscall1(SYS_uname, SC_L(c->buf)); }
static inline long sc_op_getrusage_raw(sc_ctx *c) { return sc_syscall2(SYS_getrusage, RUSAGE_SELF, SC_L(c->buf)); }
static inline long sc_op_sysinfo_raw(sc_ctx *c) { return sc_syscall1(SYS_sysinfo, SC_L(c->buf)); }
static inline long sc_op_times_raw(sc_ctx *c) { return sc_syscall1(SYS_times, SC_L(c->buf)); }
static inline long sc_op_getrlimit_raw(sc_ctx *c) {
#ifdef SYS_getrlimit
    return sc_syscall2(SYS_getrlimit, RLIMIT_NOFILE, SC_L(c->buf));
#else
    return sc_syscall4(SYS_prlimit64, 0, RLIMIT_NOFILE, 0, SC_L(c->buf));
#endif
}
// arg[0] is the clock id
static inline long sc_op_clock_gettime_raw(sc_ctx *c) {
    return sc_syscall2(SYS_clock_gettime, c->arg[0], SC_L(c->buf));
}
static inline long sc_op_clock_gettime_libc(sc_ctx *c) { return syscall(SYS_clock_gettime, c->arg[0], c->buf); }
static inline long sc_op_gettimeofday_raw(sc_ctx *c) { return sc_syscall2(SYS_gettimeofday, SC_L(c->buf), 0); }
static inline long sc_op_getcpu_raw(sc_ctx *c) {
    unsigned *cpu_node = (unsigned *)c->buf;
    return sc_syscall3(SYS_getcpu, SC_L(&cpu_node[0]), SC_L(&cpu_node[1]), 0);
}

// communication: fd[0] read end, fd[1] write end (pipe, eventfd, socketpair)
static inline long sc_op_pipe_write_read_raw(sc_ctx *c) {
    sc_syscall3(SYS_write, c->fd[1], SC_L(c->buf), 1);
    return sc_syscall3(SYS_read, c->fd[0], SC_L(c->buf), 1);
}
static inline long sc_op_eventfd_write_read_raw(sc_ctx *c) {
    sc_syscall3(SYS_write, c->fd[0], SC_L(c->aux), 8);
    return sc_syscall3(SYS_read, c->fd[0], SC_L(c->buf), 8);
}
static inline long sc_op_socketpair_send_recv_raw(sc_ctx *c) {
    sc_syscall6(SYS_sendto, c->fd[1], SC_L(c->buf), 1, 0, 0, 0);
    return sc_syscall6(SYS_recvfrom, c->fd[0], SC_L(c->buf), 1, 0, 0, 0);
}
static inline long sc_op_futex_wake_raw(sc_ctx *c) {
    return sc_syscall6(SYS_futex, SC_L(&c->word), FUTEX_WAKE_PRIVATE, 1, 0, 0, 0);
}
static inline long sc_op_poll_raw(sc_ctx *c) {
#ifdef SYS_poll
    return sc_syscall3(SYS_poll, SC_L(c->aux), 1, 0);
#else
    return sc_syscall5(SYS_ppoll, SC_L(c->aux), 1, SC_L(c->buf), 0, 0);  // buf: a zero timespec
#endif
}
static inline long sc_op_epoll_wait_raw(sc_ctx *c) {
#ifdef SYS_epoll_wait
    return sc_syscall4(SYS_epoll_wait, c->fd[2], SC_L(c->aux), 1, 0);
#else
    return sc_syscall6(SYS_epoll_pwait, c->fd[2], SC_L(c->aux), 1, 0, 0, 8);
#endif
}
static inline long sc_op_poll_libc(sc_ctx *c) { return poll(c->aux, 1, 0); }
static inline long sc_op_epoll_wait_libc(sc_ctx *c) { return epoll_wait(c->fd[2], c->aux, 1, 0); }
static inline long sc_op_kill_self_raw(sc_ctx *c) { return sc_syscall2(SYS_kill, c->arg[0], 0); }

// protection
static inline long sc_op_getuid_raw(sc_ctx *c) { (void)c; return sc_syscall0(SYS_getuid); }
static inline long sc_op_geteuid_raw(sc_ctx *c) { (void)c; return sc_syscall0(SYS_geteuid); }
static inline long sc_op_umask_raw(sc_ctx *c) { return sc_syscall1(SYS_umask, c->arg[0]); }
static inline long sc_op_capget_raw(sc_ctx *c) { return sc_syscall2(SYS_capget, SC_L(c->buf), SC_L(c->aux)); }
static inline long sc_op_rt_sigprocmask_raw(sc_ctx *c) {
    return sc_syscall4(SYS_rt_sigprocmask, SIG_BLOCK, 0, SC_L(c->buf), 8);
}
/// Drops `len` bytes of an anonymous mapping, then writes one byte to each of its pages:
/// one syscall, then one minor page fault (an exception entry) per page.
static inline long sc_op_madvise_fault_raw(sc_ctx *c) {
    long r = sc_syscall3(SYS_madvise, SC_L(c->page), SC_L(c->len), MADV_DONTNEED);
    for (size_t off = 0; off < c->len; off += 4096) ((volatile char *)c->page)[off] = 1;
    return r;
}
static inline long sc_op_mprotect_toggle_raw(sc_ctx *c) {
    sc_syscall3(SYS_mprotect, SC_L(c->page), 4096, PROT_READ);
    return sc_syscall3(SYS_mprotect, SC_L(c->page), 4096, PROT_READ | PROT_WRITE);
}

// vDSO: each call three ways — glibc's function, the vDSO symbol syscost resolved itself
// (ctx->fn), the raw syscall. arg[0] is the clock id where there is one.
typedef int (*sc_vdso_clock_fn)(clockid_t, struct timespec *);
typedef int (*sc_vdso_gettimeofday_fn)(struct timeval *, void *);
typedef long (*sc_vdso_time_fn)(long *);
typedef int (*sc_vdso_getcpu_fn)(unsigned *, unsigned *, void *);

static inline long sc_op_clock_gettime_glibc(sc_ctx *c) { return clock_gettime((clockid_t)c->arg[0], c->buf); }
static inline long sc_op_clock_gettime_vdso(sc_ctx *c) {
    return ((sc_vdso_clock_fn)c->fn)((clockid_t)c->arg[0], (struct timespec *)c->buf);
}
static inline long sc_op_clock_getres_glibc(sc_ctx *c) { return clock_getres((clockid_t)c->arg[0], c->buf); }
static inline long sc_op_clock_getres_vdso(sc_ctx *c) {
    return ((sc_vdso_clock_fn)c->fn)((clockid_t)c->arg[0], (struct timespec *)c->buf);
}
static inline long sc_op_clock_getres_raw(sc_ctx *c) { return sc_syscall2(SYS_clock_getres, c->arg[0], SC_L(c->buf)); }
static inline long sc_op_gettimeofday_glibc(sc_ctx *c) { return gettimeofday(c->buf, 0); }
static inline long sc_op_gettimeofday_vdso(sc_ctx *c) {
    return ((sc_vdso_gettimeofday_fn)c->fn)((struct timeval *)c->buf, 0);
}
static inline long sc_op_time_glibc(sc_ctx *c) { (void)c; return time(0); }
static inline long sc_op_time_vdso(sc_ctx *c) { return ((sc_vdso_time_fn)c->fn)(0); }
static inline long sc_op_time_raw(sc_ctx *c) {
    (void)c;
#ifdef SYS_time
    return sc_syscall1(SYS_time, 0);
#else
    return -38;  /* no time syscall on this architecture: ENOSYS */
#endif
}
static inline long sc_op_getcpu_glibc(sc_ctx *c) {
    unsigned *cpu_node = (unsigned *)c->buf;
    return getcpu(&cpu_node[0], &cpu_node[1]);
}
static inline long sc_op_getcpu_vdso(sc_ctx *c) {
    unsigned *cpu_node = (unsigned *)c->buf;
    return ((sc_vdso_getcpu_fn)c->fn)(&cpu_node[0], &cpu_node[1], 0);
}

// timer baselines: the bare instructions (unfenced), what a timestamp itself costs
#if defined(__x86_64__)
static inline long sc_op_rdtsc(sc_ctx *c) {
    (void)c;
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (long)(((uint64_t)hi << 32) | lo);
}
static inline long sc_op_rdtscp(sc_ctx *c) {
    (void)c;
    uint32_t lo, hi, aux;
    __asm__ volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux));
    return (long)(((uint64_t)hi << 32) | lo);
}
static inline long sc_op_rdpid(sc_ctx *c) {
    (void)c;
    uint64_t id;
    __asm__ volatile("rdpid %0" : "=r"(id));
    return (long)id;
}
#else
static inline long sc_op_rdtsc(sc_ctx *c) { (void)c; return (long)sc_tsc_begin(); }
static inline long sc_op_rdtscp(sc_ctx *c) { (void)c; return (long)sc_tsc_end(); }
static inline long sc_op_rdpid(sc_ctx *c) { (void)c; return -38; }
#endif

// The host canary: work that never leaves user space and touches no memory, so its time
// moves only with the core's speed and with whatever else the core runs (another task, a
// hypervisor's steal). SC_CANARY_CHAIN dependent multiplies per op: at imul's latency of
// 3 cycles (every x86 core since Nehalem/Zen), ns per op gives the effective clock.
#define SC_CANARY_CHAIN 64
static inline long sc_op_canary(sc_ctx *c) {
    unsigned long x = (unsigned long)c->arg[1] | 1;
    for (int i = 0; i < SC_CANARY_CHAIN; i++) {
        x *= 0x9E3779B97F4A7C15ul;
        __asm__ volatile("" : "+r"(x));  // keep the chain a chain: no folding, no vectorising
    }
    c->arg[1] = (long)x;
    return (long)x;
}

#undef SC_L

#include "sc_signal.h"
#include "sc_lifecycle.h"
#include "sc_memory.h"
#include "sc_io.h"

#endif
