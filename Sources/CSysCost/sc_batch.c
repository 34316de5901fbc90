#define _GNU_SOURCE
#include "sc_batch.h"
#include "sc_tsc.h"

#include <signal.h>
#include <time.h>

uint64_t sc_clock_raw_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void sc_time_batch(sc_loop_fn loop, sc_ctx *ctx, uint64_t iterations, sc_batch_time *out) {
    uint64_t ns0 = sc_clock_raw_ns();
    uint64_t tsc0 = sc_tsc_begin();
    loop(ctx, iterations);
    uint64_t tsc1 = sc_tsc_end();
    uint64_t ns1 = sc_clock_raw_ns();
    out->ns = ns1 - ns0;
    out->cycles = tsc1 - tsc0;
}

static volatile sig_atomic_t sc_stop;

void sc_stop_handler(int signal) { sc_stop = signal; }
int sc_stop_signal(void) { return sc_stop; }
void sc_stop_reset(void) { sc_stop = 0; }
