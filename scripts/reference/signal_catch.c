/* The plain C reference for syscost's signal suite, with the same inline-asm syscalls:
 * signal/catch/raw — SIGUSR1 sent to this thread (tgkill) and caught by a handler that counts
 * (delivery, handler, rt_sigreturn; the count proves each was caught) — and
 * signal/sigprocmask-roundtrip/raw — SIGUSR2 blocked, the old mask restored (two
 * rt_sigprocmask). Pinned, after a 200 ms warm-up; the median of 15 batches of >= 10 ms, in
 * ns per op, or with "best" the best of five 0.2 s passes. Usage: signal_catch [CPU [best]] */
#include "reference.h"

#include <signal.h>
#include <string.h>
#include <sys/syscall.h>

static inline long raw3(long n, long a, long b, long c) {
    long r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
    return r;
}

static inline long raw4(long n, long a, long b, long c, long d) {
    long r;
    register long r10 __asm__("r10") = d;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10) : "rcx", "r11", "memory");
    return r;
}

static volatile unsigned long caught;
static void count(int sig) { (void)sig; caught++; }

int main(int argc, char **argv) {
    pin(argc > 1 ? atoi(argv[1]) : 1);
    int best = argc > 2 && strcmp(argv[2], "best") == 0;
    struct sigaction action = {0};
    action.sa_handler = count;
    sigemptyset(&action.sa_mask);
    sigaction(SIGUSR1, &action, NULL);
    long pid = getpid(), tid = syscall(SYS_gettid);
    unsigned long block = 1UL << (SIGUSR2 - 1), old = 0;
    for (double end = now_ns() + 200e6; now_ns() < end;) raw3(SYS_tgkill, pid, tid, SIGUSR1);
    unsigned long before = caught;
    raw3(SYS_tgkill, pid, tid, SIGUSR1);
    if (caught != before + 1) { fprintf(stderr, "the signal was not caught\n"); return 1; }
#define CATCH raw3(SYS_tgkill, pid, tid, SIGUSR1)
#define MASK (raw4(SYS_rt_sigprocmask, SIG_BLOCK, (long)&block, (long)&old, 8), raw4(SYS_rt_sigprocmask, SIG_SETMASK, (long)&old, 0, 8))
    if (best) {
        BEST_OF_5_PASSES("catch %.2f\n", CATCH);
        BEST_OF_5_PASSES("sigprocmask-roundtrip %.2f\n", MASK);
    } else {
        MEDIAN_OF_15_BATCHES("catch %.2f\n", CATCH);
        MEDIAN_OF_15_BATCHES("sigprocmask-roundtrip %.2f\n", MASK);
    }
    return 0;
}
