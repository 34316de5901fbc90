/* The plain C reference for ctxswitch/pipe_libc-process/same-cpu: fork, two pipes, both tasks
 * pinned with sched_setaffinity, a 1-byte ping-pong through glibc's read/write; 200 ms
 * warm-up, median of 15 batches of >= 10 ms. Prints the round trip in ns. With ROUND_TRIPS,
 * makes exactly that many round trips and nothing else (for `syscost profile` to count).
 * Usage: pipe_pingpong [CPU [PEER_CPU [ROUND_TRIPS]]] */
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
    if (argc > 3) {
        for (long n = atol(argv[3]); n > 0; n--) { write(a[1], &c, 1); read(b[0], &c, 1); }
        close(a[1]);
        waitpid(pid, 0, 0);
        return 0;
    }
    for (double end = now_ns() + 200e6; now_ns() < end;) { write(a[1], &c, 1); read(b[0], &c, 1); }
    MEDIAN_OF_15_BATCHES("%.1f\n", write(a[1], &c, 1); read(b[0], &c, 1));
    close(a[1]);
    waitpid(pid, 0, 0);
    return 0;
}
