/* The plain C reference for vdso/clock_gettime-monotonic/libc: glibc's clock_gettime in a
 * bare loop, pinned, after a 200 ms warm-up; median of 15 batches of >= 10 ms, in ns per call. */
#include "reference.h"
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv) {
    pin(argc > 1 ? atoi(argv[1]) : 1);
    for (double end = now_ns() + 200e6; now_ns() < end;) syscall(999);
    struct timespec ts;
    MEDIAN_OF_15_BATCHES("%.2f\n", clock_gettime(CLOCK_MONOTONIC, &ts));
    return 0;
}
