/* A program for `syscost profile` to count: exactly 1,000,000 getppid calls (the inline-asm
 * syscall of syscost's raw loop) and 1,000 one-byte writes to /dev/null, and nothing else of
 * its own but the one line it writes to stderr at the end, the time its getppid loop took, so
 * profile's estimate (calls x this machine's price) can be set beside it.
 * Build: gcc -O2 -falign-functions=64 -o profile_target profile_target.c
 * Usage: profile_target */
#include "reference.h"
#include <fcntl.h>
#include <sys/syscall.h>

__attribute__((noinline)) static void getppid_loop(long n) {
    for (long i = 0; i < n; i++) {
        long r;
        __asm__ volatile("syscall" : "=a"(r) : "a"((long)SYS_getppid) : "rcx", "r11", "memory");
    }
}

int main(void) {
    int fd = open("/dev/null", O_WRONLY);
    if (fd < 0) { perror("/dev/null"); return 1; }
    /* 200 ms of user-space work first (the clock is the vDSO's: no syscall): an idle vCPU runs
     * the first ~70 ms of a syscall loop slower. */
    for (double end = now_ns() + 200e6; now_ns() < end;) {}
    double t0 = now_ns();
    getppid_loop(1000000);
    double ns = now_ns() - t0;
    for (int i = 0; i < 1000; i++) if (write(fd, "x", 1) != 1) { perror("write"); return 1; }
    fprintf(stderr, "getppid loop: 1000000 calls in %.2f ms (%.2f ns per call)\n", ns / 1e6, ns / 1e6);
    return 0;
}
