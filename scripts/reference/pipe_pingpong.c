/* The plain C reference for ctxswitch/pipe_libc-process/same-cpu: fork, two pipes, both tasks
 * pinned with sched_setaffinity, a 1-byte ping-pong through glibc's read/write; 200 ms
 * warm-up, median of 15 batches of >= 10 ms. Prints the round trip in ns.
 * Usage: pipe_pingpong [CPU [PEER_CPU]] */
#include "reference.h"
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
    int cpu = argc > 1 ? atoi(argv[1]) : 1;
    int peer_cpu = argc > 2 ? atoi(argv[2]) : cpu;
    int a[2], b[2];
    char c = 0;
    pid_t pid = fork_echo_peer(a, b, peer_cpu);
    pin(cpu);
    for (double end = now_ns() + 200e6; now_ns() < end;) { write(a[1], &c, 1); read(b[0], &c, 1); }
    MEDIAN_OF_15_BATCHES("%.1f\n", write(a[1], &c, 1); read(b[0], &c, 1));
    close(a[1]);
    waitpid(pid, 0, 0);
    return 0;
}
