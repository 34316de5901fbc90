// The lifecycle suite's operations: a process forked and reaped, a thread created and joined,
// a process that exits holding many mappings. Like LEBench, a fork is timed in two parts: the
// parent's return from it, and the time until the child's first instruction, each between two
// CLOCK_MONOTONIC_RAW reads (about 20 ns of timer, under 0.1% of a fork), kept in
// `sc_ctx.part_ns`; the child's exit and the parent's wait are the rest of the op, untimed. The
// children run only this file's code (a forked copy of a multi-threaded process may call only
// async-signal-safe functions) and leave with exit_group, never returning into the loop.
#ifndef SC_LIFECYCLE_H
#define SC_LIFECYCLE_H

#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "sc_batch.h"
#include "sc_syscall.h"

/// The exit status every child of this suite exits with, so the parent sees it really ran.
#define SC_CHILD_EXIT 7

/// What a child tells its parent through a MAP_SHARED page (`sc_ctx.shared`).
typedef struct sc_life_slot {
    volatile uint64_t child_ns; ///< when the child first ran (CLOCK_MONOTONIC_RAW)
    volatile uint64_t seen;     ///< what the child read of the parent's memory, or made before exiting
    volatile int32_t tid;       ///< a raw thread's id until it exits (the kernel clears it and wakes the waiter)
} sc_life_slot;

/// A new thread's first act: note the time in the slot it is given.
void sc_thread_mark(void *slot);
/// The same as a pthread start routine.
void *sc_pthread_mark(void *slot);

/// Starts a thread with raw clone3 (no glibc: no TLS, no stack cache, no robust list) on the
/// `size`-byte stack at `stack`, sharing everything a pthread shares; it runs fn(arg), then
/// exits alone. `tid` gets its id and is cleared, with a futex wake, when it has exited.
/// Returns the id or a negative errno (-ENOSYS off x86-64).
long sc_clone3_thread(void *stack, size_t size, volatile int32_t *tid, void (*fn)(void *), void *arg);

/// Blocks (`block` != 0) or restores the signals of the calling thread around a raw thread's
/// birth, so no signal is ever handled on a thread glibc does not know; `saved` keeps the mask.
static inline void sc_signals_held(int block, uint64_t *saved) {
    uint64_t all = ~(uint64_t)0;
    if (block) sc_syscall4(SYS_rt_sigprocmask, SIG_SETMASK, (long)&all, (long)saved, 8);
    else sc_syscall4(SYS_rt_sigprocmask, SIG_SETMASK, (long)saved, 0, 8);
}

/// The forked child's whole life: it notes when it first ran, reads the first and last byte of
/// the parent's buffer (when there is one, so a big fork's copy is proven), and exits.
static inline void sc_child_mark_and_exit(sc_ctx *c) {
    sc_life_slot *s = c->shared;
    s->child_ns = sc_clock_raw_ns();
    if (c->buf) s->seen = (uint64_t)((volatile uint8_t *)c->buf)[0] + ((volatile uint8_t *)c->buf)[c->len - 1];
    for (;;) sc_syscall1(SYS_exit_group, SC_CHILD_EXIT);
}

/// Reaps `pid`: its wait status, or a negative errno.
static inline long sc_reap(long pid) {
    int status = 0;
    long r;
    do r = sc_syscall4(SYS_wait4, pid, (long)&status, 0, 0); while (r == -EINTR);
    return r < 0 ? r : status;
}

/// fork as the kernel makes it for glibc (clone with SIGCHLD; glibc's atfork work left out),
/// the child marks and exits, the parent reaps it. Times the parent's return (`child_part` 0)
/// or the time until the child ran. Returns the child's wait status, or a negative errno.
static inline long sc_fork_timed(sc_ctx *c, int child_part) {
    sc_life_slot *s = c->shared;
    s->child_ns = 0;
    s->seen = 0;
    uint64_t t0 = sc_clock_raw_ns();
    long pid = sc_syscall5(SYS_clone, SIGCHLD, 0, 0, 0, 0);
    if (pid == 0) sc_child_mark_and_exit(c);
    uint64_t t1 = sc_clock_raw_ns();
    if (pid < 0) return pid;
    long status = sc_reap(pid);
    if (status >= 0) c->part_ns += child_part ? s->child_ns - t0 : t1 - t0;
    return status;
}

static inline long sc_op_fork_parent(sc_ctx *c) { return sc_fork_timed(c, 0); }
static inline long sc_op_fork_child(sc_ctx *c) { return sc_fork_timed(c, 1); }

/// The big fork's memory, `len` bytes of anonymous 4 KiB pages (MADV_NOHUGEPAGE), each page's
/// first byte written (0x5a) and the last byte of all (0xa5): made on the first op in each
/// process (a twin makes its own; arg[1] is the pid that made it) and kept out of every fork
/// (MADV_DONTFORK) but the big fork's own. 0, or a negative errno.
static inline long sc_big_memory(sc_ctx *c) {
    long me = sc_syscall0(SYS_getpid);
    if (c->arg[1] == me) return 0;
    long a = sc_syscall6(SYS_mmap, 0, (long)c->len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (a < 0 && a > -4096) return a;
    sc_syscall3(SYS_madvise, a, (long)c->len, MADV_NOHUGEPAGE);
    for (size_t off = 0; off < c->len; off += 4096) ((volatile uint8_t *)a)[off] = 0x5a;
    ((volatile uint8_t *)a)[c->len - 1] = 0xa5;
    sc_syscall3(SYS_madvise, a, (long)c->len, MADV_DONTFORK);
    c->buf = (void *)a;
    c->arg[1] = me;
    return 0;
}

/// A fork of a process holding the big memory: the parent's return, or the time until the
/// child ran (the child reads its first and last byte, so the copy is proven).
static inline long sc_fork_big_timed(sc_ctx *c, int child_part) {
    long r = sc_big_memory(c);
    if (r < 0) return r;
    sc_syscall3(SYS_madvise, (long)c->buf, (long)c->len, MADV_DOFORK);
    long status = sc_fork_timed(c, child_part);
    sc_syscall3(SYS_madvise, (long)c->buf, (long)c->len, MADV_DONTFORK);
    return status;
}

static inline long sc_op_fork_big_parent(sc_ctx *c) { return sc_fork_big_timed(c, 0); }
static inline long sc_op_fork_big_child(sc_ctx *c) { return sc_fork_big_timed(c, 1); }

/// vfork, and exit_group in the child straight away (it borrows the parent's stack, so it does
/// nothing else), then the parent reaps it; the whole op is timed. The wait status, or -errno.
static inline long sc_op_vfork_exit(sc_ctx *c) {
    (void)c;
#if defined(__x86_64__)
    long pid;
    __asm__ volatile("syscall\n\t"
                     "test %%rax, %%rax\n\t"
                     "jnz 1f\n\t"
                     "mov %[exit], %%eax\n\t"
                     "mov %[code], %%edi\n\t"
                     "syscall\n"
                     "1:"
                     : "=a"(pid)
                     : "a"((long)SYS_vfork), [exit] "i"(SYS_exit_group), [code] "i"(SC_CHILD_EXIT)
                     : "rcx", "r11", "rdi", "memory");
    return pid < 0 ? pid : sc_reap(pid);
#else
    return -ENOSYS;
#endif
}

/// fork, execve of the tiny program at `path` (argv arg[0], envp arg[1]) in the child, reap:
/// the whole op is timed. The program's wait status (127 when exec failed), or -errno.
static inline long sc_op_fork_exec(sc_ctx *c) {
    long pid = sc_syscall5(SYS_clone, SIGCHLD, 0, 0, 0, 0);
    if (pid == 0) {
        sc_syscall3(SYS_execve, (long)c->path, c->arg[0], c->arg[1]);
        for (;;) sc_syscall1(SYS_exit_group, 127);
    }
    return pid < 0 ? pid : sc_reap(pid);
}

/// glibc's posix_spawn of the tiny program (a vfork-style clone and exec), reaped.
static inline long sc_op_posix_spawn_libc(sc_ctx *c) {
    pid_t pid;
    int e = posix_spawn(&pid, c->path, 0, 0, (char *const *)c->arg[0], (char *const *)c->arg[1]);
    return e ? -e : sc_reap(pid);
}

/// A child that makes arg[0] one-page private mappings (every other one read-only, so none
/// merge), notes the time and exits; timed from that note to the parent's return from wait4:
/// the exit's teardown of the mappings, and the wake-up of the parent. The wait status, or -errno.
static inline long sc_op_exit_mapped(sc_ctx *c) {
    sc_life_slot *s = c->shared;
    s->child_ns = 0;
    s->seen = 0;
    long pid = sc_syscall5(SYS_clone, SIGCHLD, 0, 0, 0, 0);
    if (pid == 0) {
        uint64_t made = 0;
        for (long i = 0; i < c->arg[0]; i++) {
            long prot = i % 2 ? PROT_READ : PROT_READ | PROT_WRITE;
            long a = sc_syscall6(SYS_mmap, 0, 4096, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            made += a > 0 || a < -4095;
        }
        s->seen = made;
        s->child_ns = sc_clock_raw_ns();
        for (;;) sc_syscall1(SYS_exit_group, SC_CHILD_EXIT);
    }
    if (pid < 0) return pid;
    long status = sc_reap(pid);
    uint64_t t1 = sc_clock_raw_ns();
    if (status >= 0) c->part_ns += t1 - s->child_ns;
    return status;
}

/// A raw thread (clone3) on the stack at buf (len bytes) that marks the slot (`shared`, private
/// to this process) and exits; the creator waits on the cleared id. Signals are held around the
/// birth, outside the timed part. Times the creator's return or the time until the thread ran.
/// Returns the thread's id, or a negative errno.
static inline long sc_clone3_timed(sc_ctx *c, int child_part) {
    sc_life_slot *s = c->shared;
    s->child_ns = 0;
    uint64_t saved;
    sc_signals_held(1, &saved);
    uint64_t t0 = sc_clock_raw_ns();
    long tid = sc_clone3_thread(c->buf, c->len, &s->tid, sc_thread_mark, s);
    uint64_t t1 = sc_clock_raw_ns();
    sc_signals_held(0, &saved);
    if (tid < 0) return tid;
    int32_t seen;
    while ((seen = s->tid) != 0) sc_syscall4(SYS_futex, (long)&s->tid, FUTEX_WAIT, seen, 0);
    c->part_ns += child_part ? s->child_ns - t0 : t1 - t0;
    return tid;
}

static inline long sc_op_clone3_thread_parent(sc_ctx *c) { return sc_clone3_timed(c, 0); }
static inline long sc_op_clone3_thread_child(sc_ctx *c) { return sc_clone3_timed(c, 1); }

/// pthread_create and pthread_join, as LEBench times them: the creator's return, or the time
/// until the start routine ran. 0, or a negative errno.
static inline long sc_pthread_timed(sc_ctx *c, int child_part) {
    sc_life_slot *s = c->shared;
    s->child_ns = 0;
    pthread_t thread;
    uint64_t t0 = sc_clock_raw_ns();
    int e = pthread_create(&thread, 0, sc_pthread_mark, s);
    uint64_t t1 = sc_clock_raw_ns();
    if (e) return -e;
    pthread_join(thread, 0);
    c->part_ns += child_part ? s->child_ns - t0 : t1 - t0;
    return 0;
}

static inline long sc_op_pthread_create_parent(sc_ctx *c) { return sc_pthread_timed(c, 0); }
static inline long sc_op_pthread_create_child(sc_ctx *c) { return sc_pthread_timed(c, 1); }

#endif
