/* The plain C reference for syscall/read/libc and syscall/read/libc-threaded: what glibc's
 * read() costs over the raw syscall in a process that never had a second thread, then the same
 * after one idle thread is started (glibc's cancellation-point wrappers take their longer path
 * from then on), with getppid (not a cancellation point) beside it for the call and return any
 * wrapper pays. Pinned to one CPU after a 200 ms warm-up; 1-byte reads of /dev/zero; each
 * figure the best of eight 0.1 s passes, the raw and glibc passes alternating. Built and run
 * by scripts/anchors.sh. Usage: threaded_read [CPU]
 * Prints "single-threaded|one idle thread: read raw R glibc G (+D), getppid raw P glibc Q (+W)",
 * ns per call, then what the thread added to each: a second thread costs the kernel too (an
 * fd-taking call takes a reference on its file once the descriptor table is shared), so raw
 * read moves as well, and getppid, which takes no descriptor, does not. */
#include "reference.h"
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>

static inline long raw3(long n, long a, long b, long c) {
    long r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
    return r;
}

static void *idle(void *arg) {
    (void)arg;
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, 0);
    for (;;) pause();
    return 0;
}

static double measure(const char *what, int fd, double *out) {
    char byte;
    long n_read, n_null;
    CALIBRATE(n_read, 100e6, raw3(SYS_read, fd, (long)&byte, 1));
    CALIBRATE(n_null, 100e6, raw3(SYS_getppid, 0, 0, 0));
    double best[4] = {1e300, 1e300, 1e300, 1e300};
    for (int pass = 0; pass < 8; pass++) {
        double t[4] = {TIME_PASS(n_read, raw3(SYS_read, fd, (long)&byte, 1)), TIME_PASS(n_read, read(fd, &byte, 1)),
                       TIME_PASS(n_null, raw3(SYS_getppid, 0, 0, 0)), TIME_PASS(n_null, getppid())};
        for (int i = 0; i < 4; i++) if (t[i] < best[i]) best[i] = t[i];
    }
    printf("%s: read raw %.1f glibc %.1f (%+.1f), getppid raw %.1f glibc %.1f (%+.1f)\n", what, best[0], best[1],
           best[1] - best[0], best[2], best[3], best[3] - best[2]);
    fflush(stdout);
    for (int i = 0; i < 4; i++) out[i] = best[i];
    return best[1];
}

int main(int argc, char **argv) {
    pin(argc > 1 ? atoi(argv[1]) : 1);
    int fd = open("/dev/zero", O_RDONLY);
    if (fd < 0) { perror("/dev/zero"); return 1; }
    for (double end = now_ns() + 200e6; now_ns() < end;) raw3(999, 0, 0, 0);
    double single[4], threaded[4];
    measure("single-threaded", fd, single);
    pthread_t thread;
    if (pthread_create(&thread, 0, idle, 0) != 0) { perror("pthread_create"); return 1; }
    measure("one idle thread", fd, threaded);
    printf("the thread added: glibc read %+.1f, raw read %+.1f, glibc getppid %+.1f, raw getppid %+.1f\n",
           threaded[1] - single[1], threaded[0] - single[0], threaded[3] - single[3], threaded[2] - single[2]);
    return 0;
}
