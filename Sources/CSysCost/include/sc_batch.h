// The shape every measured operation shares: a context Swift prepares, a loop that runs
// the operation N times, and one timed batch around that loop.
#ifndef SC_BATCH_H
#define SC_BATCH_H

#include <stddef.h>
#include <signal.h>
#include <stdint.h>

/// What an operation works on. Swift opens the descriptors and allocates the buffers;
/// C only uses them.
typedef struct sc_ctx {
    int fd[4];
    void *buf;        ///< scratch buffer, `len` bytes
    size_t len;
    void *aux;        ///< a second buffer (capget data, epoll events, poll fds, ...)
    void *page;       ///< one page of its own mapping (mprotect)
    const char *path; ///< a path of a cached file
    const void *fn;   ///< a function resolved from the vDSO
    long arg[2];
    uint32_t word;    ///< a futex word
    void *shared;     ///< ping-pong: the sc_shared both tasks see
    void *touch;      ///< ping-pong: this side's working set, `touch_len` bytes
    size_t touch_len;
    void *peer_touch; ///< ping-pong: a buffer the size of the peer's (for the no-switch baseline)
    long error;       ///< set by a loop that had to stop early: a negative errno, or SC_PEER_GONE
    uint64_t timeout_ns; ///< when non-zero, a batch that runs longer is interrupted (SIGALRM)
    /// Set by an op that times only part of itself (a fork's return in the parent, a mapping
    /// made but not the unmapping after it): the nanoseconds of its timed parts so far, added
    /// between two CLOCK_MONOTONIC_RAW reads. A batch that ends with it non-zero counts this,
    /// not the loop's whole time; the batch resets it.
    uint64_t part_ns;
} sc_ctx;

/// `sc_ctx.error` when the peer closed its end (it exited).
#define SC_PEER_GONE 1L

typedef void (*sc_loop_fn)(sc_ctx *ctx, uint64_t iterations);

/// Times each of `iterations` single ops between fenced TSC reads, into `cycles[i]`.
typedef void (*sc_each_fn)(sc_ctx *ctx, uint64_t *cycles, uint64_t iterations);

typedef struct sc_batch_time {
    uint64_t ns;     ///< CLOCK_MONOTONIC_RAW nanoseconds
    uint64_t cycles; ///< TSC (reference) cycles
    uint64_t part_ns; ///< the ops' timed parts (`sc_ctx.part_ns`), or 0: the whole batch counts
    uint64_t involuntary; ///< a twin's batch: the scheduler's preemptions of the twin during it
} sc_batch_time;

/// Runs `loop(ctx, iterations)` once between fenced clock and TSC reads.
void sc_time_batch(sc_loop_fn loop, sc_ctx *ctx, uint64_t iterations, sc_batch_time *out);

/// Arms a per-thread timer that sends this thread SIGALRM (which interrupts a blocking
/// syscall with EINTR) after `ns`; 0 disarms it. 0 or -1 with errno.
int sc_timeout_arm(uint64_t ns);

/// CLOCK_MONOTONIC_RAW in nanoseconds.
uint64_t sc_clock_raw_ns(void);

/// Async-signal-safe stop request: SIGINT/SIGTERM handlers store the signal here and the
/// runner looks at it between batches.
void sc_stop_handler(int signal);
/// The same, as an SA_SIGINFO handler that also notes whether the signal was sent to this
/// process alone (kill, sigqueue) rather than by the terminal to its whole process group:
/// `syscost profile` passes on only the former, which its command did not also receive.
void sc_stop_info_handler(int signal, siginfo_t *info, void *context);
int sc_stop_was_sent(void);
int sc_stop_signal(void);
void sc_stop_reset(void);

#endif
