/* What the plain C reference loops share: a clock, pinning, and two ways to read a loop:
 * the median of 15 batches, and the best of five 0.2 s passes (noise only adds time, so the
 * fastest long pass is the undisturbed cost this reference offers). */
#ifndef REFERENCE_H
#define REFERENCE_H
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

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

/* Runs BODY in batches: calibrated to >= 10 ms, then 15 timed; prints the median ns per iteration. */
#define MEDIAN_OF_15_BATCHES(FORMAT, BODY)                                     \
    do {                                                                       \
        long n_ = 64;                                                          \
        for (;;) {                                                             \
            double t0_ = now_ns();                                             \
            for (long i_ = 0; i_ < n_; i_++) { BODY; }                         \
            if (now_ns() - t0_ >= 10e6) break;                                 \
            n_ *= 2;                                                           \
        }                                                                      \
        double s_[15];                                                         \
        for (int r_ = 0; r_ < 15; r_++) {                                      \
            double t0_ = now_ns();                                             \
            for (long i_ = 0; i_ < n_; i_++) { BODY; }                         \
            s_[r_] = (now_ns() - t0_) / n_;                                    \
        }                                                                      \
        qsort(s_, 15, sizeof s_[0], cmp_double);                               \
        printf(FORMAT, s_[7]);                                                 \
    } while (0)

/* Runs BODY in five passes of >= 0.2 s each (the count calibrated once); prints the fastest
 * pass's ns per iteration. */
#define BEST_OF_5_PASSES(FORMAT, BODY)                                         \
    do {                                                                       \
        long n_ = 64;                                                          \
        for (;;) {                                                             \
            double t0_ = now_ns();                                             \
            for (long i_ = 0; i_ < n_; i_++) { BODY; }                         \
            if (now_ns() - t0_ >= 200e6) break;                                \
            n_ *= 2;                                                           \
        }                                                                      \
        double best_ = 1e300;                                                  \
        for (int r_ = 0; r_ < 5; r_++) {                                       \
            double t0_ = now_ns();                                             \
            for (long i_ = 0; i_ < n_; i_++) { BODY; }                         \
            double ns_ = (now_ns() - t0_) / n_;                                \
            if (ns_ < best_) best_ = ns_;                                      \
        }                                                                      \
        printf(FORMAT, best_);                                                 \
    } while (0)

#endif
