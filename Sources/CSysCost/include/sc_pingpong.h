// Two tasks handing a token back and forth, so the CPU must switch between them: the parent
// side (timed loops, one round trip per iteration) and the peer side (a forked child or a
// thread, plain C, only async-signal-safe calls). Transports: pipe, eventfd, futex, unix
// socketpair, sched_yield.
#ifndef SC_PINGPONG_H
#define SC_PINGPONG_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "sc_batch.h"

enum { SC_PIPE = 0, SC_EVENTFD = 1, SC_FUTEX = 2, SC_UNIX = 3, SC_YIELD = 4, SC_PIPE_LIBC = 5 };

/// What both tasks share (in a MAP_SHARED mapping for a forked peer).
typedef struct sc_shared {
    uint32_t turn;  ///< futex: 0 the parent's turn, 1 the peer's
    uint32_t stop;  ///< set to ask the peer to exit
    uint32_t active; ///< yield: the peer spins only while this is 1, and sleeps otherwise
} sc_shared;

/// Everything the peer needs; owned by Swift, alive as long as the peer.
typedef struct sc_peer {
    int transport;
    int in_fd, out_fd;  ///< the peer reads in_fd and writes out_fd (pipe, eventfd, unix)
    sc_shared *shared;
    int cpu;            ///< the CPU the peer pins itself to
    void *touch;        ///< the peer's working set, touched after every token it receives
    size_t touch_len;
    pid_t tid;          ///< a peer thread stores its thread id here once it runs
} sc_peer;

/// Forks a peer process running the peer loop; returns its pid or -1 with errno.
pid_t sc_fork_peer(const sc_peer *peer);
/// Starts a peer thread; 0 or an errno.
int sc_start_peer_thread(sc_peer *peer, pthread_t *thread);
/// Joins a peer thread, waiting at most `ns`; 0 or an errno (ETIMEDOUT).
int sc_join_peer_thread(pthread_t thread, uint64_t ns);
/// Hands the peer one more token after `shared->stop` was set, so a blocked peer wakes and
/// exits; `parent_write_fd` is the parent's end the peer reads from.
void sc_wake_peer(const sc_peer *peer, int parent_write_fd);

/// Parent side, one round trip per iteration: ctx->fd[0] reads, ctx->fd[1] writes,
/// ctx->shared is the sc_shared, ctx->touch/touch_len this side's working set.
void sc_loop_pingpong_pipe(sc_ctx *ctx, uint64_t iterations);    // pipe and unix: 1 byte
void sc_loop_pingpong_pipe_libc(sc_ctx *ctx, uint64_t iterations);  // through glibc's read/write
void sc_loop_pingpong_eventfd(sc_ctx *ctx, uint64_t iterations);
void sc_loop_pingpong_futex(sc_ctx *ctx, uint64_t iterations);
void sc_loop_pingpong_yield(sc_ctx *ctx, uint64_t iterations);

/// The same syscalls (and touches) in one task, no switch: ctx->fd[0..3] are
/// A-read, A-write, B-read, B-write of two pipes / eventfds / socket pairs of its own.
void sc_loop_noswitch_pipe(sc_ctx *ctx, uint64_t iterations);
void sc_loop_noswitch_pipe_libc(sc_ctx *ctx, uint64_t iterations);
void sc_loop_noswitch_eventfd(sc_ctx *ctx, uint64_t iterations);
void sc_loop_noswitch_futex(sc_ctx *ctx, uint64_t iterations);
void sc_loop_noswitch_yield(sc_ctx *ctx, uint64_t iterations);

/// yield: wakes the peer before a batch (1) or lets it sleep after one (0).
void sc_set_peer_active(sc_shared *shared, uint32_t active);

/// Writes one byte in every cache line of `len` bytes at `p`.
void sc_touch(void *p, size_t len);

#endif
