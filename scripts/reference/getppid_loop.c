/* The plain C reference for syscall/getppid/raw: the same inline-asm syscall in a bare loop,
 * pinned to one CPU, after a 200 ms warm-up; median of 15 batches of >= 10 ms, in ns per call,
 * or with "best" the best of five 0.2 s passes. Built and run by scripts/anchors.sh.
 * Usage: getppid_loop [CPU [best]] */
#include "reference.h"
#include <string.h>
#include <sys/syscall.h>

static inline long raw0(long n) {
    long r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n) : "rcx", "r11", "memory");
    return r;
}

int main(int argc, char **argv) {
    pin(argc > 1 ? atoi(argv[1]) : 1);
    for (double end = now_ns() + 200e6; now_ns() < end;) raw0(999);
    if (argc > 2 && strcmp(argv[2], "best") == 0) BEST_OF_5_PASSES("%.2f\n", raw0(SYS_getppid));
    else MEDIAN_OF_15_BATCHES("%.2f\n", raw0(SYS_getppid));
    return 0;
}
