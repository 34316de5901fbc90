/* The plain C reference for vdso/clock_gettime-monotonic/libc: glibc's clock_gettime in a
 * bare loop, pinned, after a 200 ms warm-up, median of 15 batches of >= 10 ms (ns per call). */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC_RAW, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    int cpu = argc > 1 ? atoi(argv[1]) : 1;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0) { perror("sched_setaffinity"); return 1; }
    for (double end = now_ns() + 200e6; now_ns() < end;) syscall(999);
    struct timespec ts;
    long n = 1000;
    for (;;) {
        double t0 = now_ns();
        for (long i = 0; i < n; i++) clock_gettime(CLOCK_MONOTONIC, &ts);
        if (now_ns() - t0 >= 10e6) break;
        n *= 2;
    }
    double samples[15];
    for (int r = 0; r < 15; r++) {
        double t0 = now_ns();
        for (long i = 0; i < n; i++) clock_gettime(CLOCK_MONOTONIC, &ts);
        samples[r] = (now_ns() - t0) / n;
    }
    qsort(samples, 15, sizeof samples[0], cmp);
    printf("%.2f\n", samples[7]);
    return 0;
}
