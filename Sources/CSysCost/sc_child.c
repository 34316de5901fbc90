#define _GNU_SOURCE
#include "sc_child.h"
#include "sc_batch.h"
#include "sc_linux.h"
#include "sc_loops.h"

#include <unistd.h>

pid_t sc_fork_seccomp_probe(const struct sock_filter *filter, unsigned short length, int cpu,
                            uint64_t iterations, int reps, int fd) {
    pid_t pid = fork();
    if (pid != 0) return pid;
    sc_setaffinity_one(0, cpu);
    if (sc_install_seccomp(filter, length) != 0) _exit(1);
    sc_ctx ctx = {0};
    sc_loop_getppid_raw(&ctx, iterations);  // warm the filtered path
    for (int r = 0; r < reps; r++) {
        sc_batch_time t;
        sc_time_batch(sc_loop_getppid_raw, &ctx, iterations, &t);
        double ns = (double)t.ns / (double)iterations;
        if (write(fd, &ns, sizeof ns) != sizeof ns) _exit(2);
    }
    _exit(0);
}
