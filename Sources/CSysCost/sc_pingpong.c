#define _GNU_SOURCE
#include "sc_pingpong.h"

#include <sched.h>
#include "sc_linux.h"
#include "sc_syscall.h"

#include <errno.h>
#include <linux/futex.h>
#include <signal.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

static inline long sc_futex(uint32_t *word, int op, uint32_t value) {
    // Not FUTEX_PRIVATE: a forked peer shares the word through a MAP_SHARED mapping.
    return sc_syscall6(SYS_futex, (long)word, op, value, 0, 0, 0);
}

static inline uint32_t sc_load(const uint32_t *p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }
static inline void sc_store(uint32_t *p, uint32_t v) { __atomic_store_n(p, v, __ATOMIC_RELEASE); }

void sc_touch(void *p, size_t len) {
    volatile unsigned char *b = p;
    for (size_t off = 0; off < len; off += 64) b[off]++;
}

// ---- the peer ----

static void sc_peer_run(const sc_peer *p) {
    sc_shared *sh = p->shared;
    uint64_t value = 1;
    char byte = 0;
    for (;;) {
        switch (p->transport) {
        case SC_PIPE:
        case SC_UNIX:
            if (sc_syscall3(SYS_read, p->in_fd, (long)&byte, 1) != 1) return;
            break;
        case SC_PIPE_LIBC:
            if (read(p->in_fd, &byte, 1) != 1) return;
            break;
        case SC_EVENTFD:
            if (sc_syscall3(SYS_read, p->in_fd, (long)&value, 8) != 8) return;
            break;
        case SC_FUTEX:
            while (sc_load(&sh->turn) != 1 && !sc_load(&sh->stop)) sc_futex(&sh->turn, FUTEX_WAIT, 0);
            break;
        case SC_YIELD:
            if (sc_load(&sh->stop)) return;
            // Between batches the peer sleeps, so it does not share the CPU with whatever
            // else syscost measures there.
            while (!sc_load(&sh->active) && !sc_load(&sh->stop)) sc_futex(&sh->active, FUTEX_WAIT, 0);
            sc_syscall0(SYS_sched_yield);
            continue;
        }
        if (sc_load(&sh->stop)) return;
        if (p->touch_len) sc_touch(p->touch, p->touch_len);
        switch (p->transport) {
        case SC_PIPE:
        case SC_UNIX:
            if (sc_syscall3(SYS_write, p->out_fd, (long)&byte, 1) != 1) return;
            break;
        case SC_PIPE_LIBC:
            if (write(p->out_fd, &byte, 1) != 1) return;
            break;
        case SC_EVENTFD:
            if (sc_syscall3(SYS_write, p->out_fd, (long)&value, 8) != 8) return;
            break;
        case SC_FUTEX:
            sc_store(&sh->turn, 0);
            sc_futex(&sh->turn, FUTEX_WAKE, 1);
            break;
        }
    }
}

pid_t sc_fork_peer(const sc_peer *peer) {
    pid_t pid = fork();
    if (pid != 0) return pid;
    // A terminal's Ctrl-C reaches the whole process group: the peer leaves it to syscost,
    // which stops and reaps it. Should syscost itself die, the peer dies with it.
    signal(SIGINT, SIG_IGN);
    prctl(PR_SET_NAME, "syscost-peer");
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() == 1) _exit(0);
    sc_setaffinity_one(0, peer->cpu);
    sc_peer_run(peer);
    _exit(0);
}

static void *sc_peer_thread_main(void *arg) {
    sc_peer *peer = arg;
    // The peer takes a descriptor table of its own (the same open files): while two threads
    // share one, the kernel takes a reference on the file of every descriptor-taking call
    // instead of its single-threaded shortcut (+30 to +76 ns a raw read here), and every other
    // benchmark the runner times beside this ping-pong would pay it. The peer is stopped by
    // its shared flag, not by EOF, so the copies it holds keep nothing waiting.
    unshare(CLONE_FILES);
    prctl(PR_SET_NAME, "syscost-peer");
    sc_setaffinity_one(0, peer->cpu);
    __atomic_store_n(&peer->tid, (pid_t)sc_syscall0(SYS_gettid), __ATOMIC_RELEASE);
    sc_peer_run(peer);
    return 0;
}

int sc_start_peer_thread(sc_peer *peer, pthread_t *thread) {
    return pthread_create(thread, 0, sc_peer_thread_main, (void *)peer);
}

int sc_join_peer_thread(pthread_t thread, uint64_t ns) {
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += (time_t)(ns / 1000000000u);
    deadline.tv_nsec += (long)(ns % 1000000000u);
    if (deadline.tv_nsec >= 1000000000L) { deadline.tv_sec++; deadline.tv_nsec -= 1000000000L; }
    return pthread_timedjoin_np(thread, 0, &deadline);
}

void sc_wake_peer(const sc_peer *peer, int parent_write_fd) {
    uint64_t value = 1;
    switch (peer->transport) {
    case SC_PIPE:
    case SC_PIPE_LIBC:
    case SC_UNIX:
        sc_syscall3(SYS_write, parent_write_fd, (long)&value, 1);
        break;
    case SC_EVENTFD:
        sc_syscall3(SYS_write, parent_write_fd, (long)&value, 8);
        break;
    case SC_FUTEX:
        sc_store(&peer->shared->turn, 1);
        sc_futex(&peer->shared->turn, FUTEX_WAKE, 1);
        break;
    case SC_YIELD:
        sc_futex(&peer->shared->active, FUTEX_WAKE, 1);
        break;
    }
}

void sc_set_peer_active(sc_shared *shared, uint32_t active) {
    sc_store(&shared->active, active);
    if (active) sc_futex(&shared->active, FUTEX_WAKE, 1);
}

// ---- the parent side ----

#define SC_CHECK(r, want)                                           \
    if ((r) != (want)) {                                            \
        ctx->error = (r) == 0 ? SC_PEER_GONE : ((r) < 0 ? (r) : -EIO); \
        return;                                                     \
    }

void sc_loop_pingpong_pipe(sc_ctx *ctx, uint64_t iterations) {
    char byte = 0;
    for (uint64_t i = 0; i < iterations; i++) {
        if (ctx->touch_len) sc_touch(ctx->touch, ctx->touch_len);
        long w = sc_syscall3(SYS_write, ctx->fd[1], (long)&byte, 1);
        SC_CHECK(w, 1);
        long r = sc_syscall3(SYS_read, ctx->fd[0], (long)&byte, 1);
        SC_CHECK(r, 1);
    }
}

void sc_loop_pingpong_pipe_libc(sc_ctx *ctx, uint64_t iterations) {
    char byte = 0;
    for (uint64_t i = 0; i < iterations; i++) {
        if (ctx->touch_len) sc_touch(ctx->touch, ctx->touch_len);
        long w = write(ctx->fd[1], &byte, 1);
        SC_CHECK(w, 1);
        long r = read(ctx->fd[0], &byte, 1);
        if (r < 0) r = -errno;
        SC_CHECK(r, 1);
    }
}

void sc_loop_pingpong_eventfd(sc_ctx *ctx, uint64_t iterations) {
    uint64_t value = 1;
    for (uint64_t i = 0; i < iterations; i++) {
        if (ctx->touch_len) sc_touch(ctx->touch, ctx->touch_len);
        long w = sc_syscall3(SYS_write, ctx->fd[1], (long)&value, 8);
        SC_CHECK(w, 8);
        long r = sc_syscall3(SYS_read, ctx->fd[0], (long)&value, 8);
        SC_CHECK(r, 8);
    }
}

void sc_loop_pingpong_futex(sc_ctx *ctx, uint64_t iterations) {
    sc_shared *sh = ctx->shared;
    for (uint64_t i = 0; i < iterations; i++) {
        if (ctx->touch_len) sc_touch(ctx->touch, ctx->touch_len);
        sc_store(&sh->turn, 1);
        sc_futex(&sh->turn, FUTEX_WAKE, 1);
        while (sc_load(&sh->turn) != 0) {
            long r = sc_futex(&sh->turn, FUTEX_WAIT, 1);
            if (r == -EINTR) { ctx->error = r; return; }
        }
    }
}

void sc_loop_pingpong_yield(sc_ctx *ctx, uint64_t iterations) {
    for (uint64_t i = 0; i < iterations; i++) sc_syscall0(SYS_sched_yield);
}

void sc_loop_noswitch_pipe(sc_ctx *ctx, uint64_t iterations) {
    char byte = 0;
    for (uint64_t i = 0; i < iterations; i++) {
        if (ctx->touch_len) sc_touch(ctx->touch, ctx->touch_len);
        sc_syscall3(SYS_write, ctx->fd[1], (long)&byte, 1);
        sc_syscall3(SYS_read, ctx->fd[0], (long)&byte, 1);
        if (ctx->touch_len) sc_touch(ctx->peer_touch, ctx->touch_len);
        sc_syscall3(SYS_write, ctx->fd[3], (long)&byte, 1);
        sc_syscall3(SYS_read, ctx->fd[2], (long)&byte, 1);
    }
}

void sc_loop_noswitch_pipe_libc(sc_ctx *ctx, uint64_t iterations) {
    char byte = 0;
    for (uint64_t i = 0; i < iterations; i++) {
        if (write(ctx->fd[1], &byte, 1) != 1 || read(ctx->fd[0], &byte, 1) != 1) return;
        if (write(ctx->fd[3], &byte, 1) != 1 || read(ctx->fd[2], &byte, 1) != 1) return;
    }
}

void sc_loop_noswitch_eventfd(sc_ctx *ctx, uint64_t iterations) {
    uint64_t value = 1;
    for (uint64_t i = 0; i < iterations; i++) {
        sc_syscall3(SYS_write, ctx->fd[1], (long)&value, 8);
        sc_syscall3(SYS_read, ctx->fd[0], (long)&value, 8);
        sc_syscall3(SYS_write, ctx->fd[3], (long)&value, 8);
        sc_syscall3(SYS_read, ctx->fd[2], (long)&value, 8);
    }
}

void sc_loop_noswitch_futex(sc_ctx *ctx, uint64_t iterations) {
    sc_shared *sh = ctx->shared;
    for (uint64_t i = 0; i < iterations; i++) {
        // Each side's wake, and a wait that returns at once (the word already changed).
        sc_store(&sh->turn, 1);
        sc_futex(&sh->turn, FUTEX_WAKE, 1);
        sc_futex(&sh->turn, FUTEX_WAIT, 0);
        sc_store(&sh->turn, 0);
        sc_futex(&sh->turn, FUTEX_WAKE, 1);
        sc_futex(&sh->turn, FUTEX_WAIT, 1);
    }
}

void sc_loop_noswitch_yield(sc_ctx *ctx, uint64_t iterations) {
    (void)ctx;
    for (uint64_t i = 0; i < iterations; i++) {
        sc_syscall0(SYS_sched_yield);
        sc_syscall0(SYS_sched_yield);
    }
}
