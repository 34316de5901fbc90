/* The plain C reference for ctxswitch/pipe-process/same-cpu: fork, two pipes, both tasks
 * pinned to one CPU with sched_setaffinity, 1-byte ping-pong; 200 ms warm-up, median of 15
 * batches of >= 10 ms. Prints the median round trip in ns. */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC_RAW, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void pin(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0) { perror("sched_setaffinity"); exit(1); }
}

int main(int argc, char **argv) {
    int cpu = argc > 1 ? atoi(argv[1]) : 1;
    int peer_cpu = argc > 2 ? atoi(argv[2]) : cpu;
    int a[2], b[2];
    char c = 0;
    if (pipe(a) || pipe(b)) { perror("pipe"); return 1; }
    pid_t pid = fork();
    if (pid == 0) {
        close(a[1]);
        close(b[0]);
        pin(peer_cpu);
        while (read(a[0], &c, 1) == 1) if (write(b[1], &c, 1) != 1) break;
        _exit(0);
    }
    close(a[0]);
    close(b[1]);
    pin(cpu);
    long n = 64;
    for (double end = now_ns() + 200e6; now_ns() < end;) { write(a[1], &c, 1); read(b[0], &c, 1); }
    for (;;) {
        double t0 = now_ns();
        for (long i = 0; i < n; i++) { write(a[1], &c, 1); read(b[0], &c, 1); }
        if (now_ns() - t0 >= 10e6) break;
        n *= 2;
    }
    double samples[15];
    for (int r = 0; r < 15; r++) {
        double t0 = now_ns();
        for (long i = 0; i < n; i++) { write(a[1], &c, 1); read(b[0], &c, 1); }
        samples[r] = (now_ns() - t0) / n;
    }
    close(a[1]);
    waitpid(pid, 0, 0);
    qsort(samples, 15, sizeof samples[0], cmp);
    printf("%.1f\n", samples[7]);
    return 0;
}
