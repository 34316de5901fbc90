/* What the plain C reference loops share: a clock, pinning, an echoing peer, and two ways to read a loop:
 * the median of 15 batches, and the best of five 0.2 s passes (noise only adds time, so the
 * fastest long pass is the undisturbed cost this reference offers). */
#ifndef REFERENCE_H
#define REFERENCE_H
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC_RAW, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

static void pin(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0) { perror("sched_setaffinity"); exit(1); }
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of `n` values (sorts them in place). */
__attribute__((unused)) static double median_of(double *xs, int n) {
    qsort(xs, n, sizeof xs[0], cmp_double);
    return xs[n / 2];
}

/* Sets N_ to the iteration count (a power of two from 64) whose run of BODY lasts >= NS. */
#define CALIBRATE(N_, NS, BODY)                                                \
    for (N_ = 64;; N_ *= 2) {                                                  \
        double t0_ = now_ns();                                                 \
        for (long i_ = 0; i_ < N_; i_++) { BODY; }                             \
        if (now_ns() - t0_ >= (NS)) break;                                     \
    }

/* ns per iteration of N_ runs of BODY. */
#define TIME_PASS(N_, BODY)                                                    \
    ({                                                                         \
        double t0_ = now_ns();                                                 \
        for (long i_ = 0; i_ < N_; i_++) { BODY; }                             \
        (now_ns() - t0_) / N_;                                                 \
    })

/* Runs BODY in batches: calibrated to >= 10 ms, then 15 timed; prints the median ns per iteration. */
#define MEDIAN_OF_15_BATCHES(FORMAT, BODY)                                     \
    do {                                                                       \
        long n_;                                                               \
        CALIBRATE(n_, 10e6, BODY);                                             \
        double s_[15];                                                         \
        for (int r_ = 0; r_ < 15; r_++) s_[r_] = TIME_PASS(n_, BODY);          \
        printf(FORMAT, median_of(s_, 15));                                     \
    } while (0)

/* Runs BODY in five passes of >= 0.2 s each (the count calibrated once); prints the fastest
 * pass's ns per iteration. */
#define BEST_OF_5_PASSES(FORMAT, BODY)                                         \
    do {                                                                       \
        long n_;                                                               \
        CALIBRATE(n_, 200e6, BODY);                                            \
        double best_ = 1e300;                                                  \
        for (int r_ = 0; r_ < 5; r_++) {                                       \
            double ns_ = TIME_PASS(n_, BODY);                                  \
            if (ns_ < best_) best_ = ns_;                                      \
        }                                                                      \
        printf(FORMAT, best_);                                                 \
    } while (0)

/* Forks a peer pinned to `cpu` that echoes each byte read from pipe `a` back through pipe `b`
 * until `a` closes; the parent keeps a[1] and b[0]. Returns the peer's pid. */
__attribute__((unused)) static pid_t fork_echo_peer(int a[2], int b[2], int cpu) {
    if (pipe(a) || pipe(b)) { perror("pipe"); exit(1); }
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        close(a[1]);
        close(b[0]);
        pin(cpu);
        while (read(a[0], &c, 1) == 1) if (write(b[1], &c, 1) != 1) break;
        _exit(0);
    }
    close(a[0]);
    close(b[1]);
    return pid;
}

#endif
