// The shape every measured operation shares: a context Swift prepares, a loop that runs
// the operation N times, and one timed batch around that loop.
#ifndef SC_BATCH_H
#define SC_BATCH_H

#include <stddef.h>
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
} sc_ctx;

typedef void (*sc_loop_fn)(sc_ctx *ctx, uint64_t iterations);

/// Times each of `iterations` single ops between fenced TSC reads, into `cycles[i]`.
typedef void (*sc_each_fn)(sc_ctx *ctx, uint64_t *cycles, uint64_t iterations);

typedef struct sc_batch_time {
    uint64_t ns;     ///< CLOCK_MONOTONIC_RAW nanoseconds
    uint64_t cycles; ///< TSC (reference) cycles
} sc_batch_time;

/// Runs `loop(ctx, iterations)` once between fenced clock and TSC reads.
void sc_time_batch(sc_loop_fn loop, sc_ctx *ctx, uint64_t iterations, sc_batch_time *out);

/// CLOCK_MONOTONIC_RAW in nanoseconds.
uint64_t sc_clock_raw_ns(void);

/// Async-signal-safe stop request: SIGINT/SIGTERM handlers store the signal here and the
/// runner looks at it between batches.
void sc_stop_handler(int signal);
int sc_stop_signal(void);
void sc_stop_reset(void);

#endif
