/* The plain C reference for `syscost run ctxswitch/pipe-process/same-cpu --speculation
 * indirect-branch`: fork, two pipes, both tasks pinned to one CPU, a 1-byte ping-pong through
 * the read/write syscalls; the parent disables indirect-branch speculation for itself
 * (prctl PR_SET_SPECULATION_CTRL: an IBPB on every switch into or out of it) around every
 * other batch and enables it again after, so both halves see the same host phases. After a
 * 200 ms warm-up, 21 pairs of >= 10 ms batches. Prints the round trip without, with, and the
 * median of the per-pair differences, in ns; exits 2 saying why where the kernel lets no task
 * choose. Usage: spec_pingpong [CPU] */
#include "reference.h"
#include <linux/prctl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAIRS 21

static int a[2], b[2];

static double batch(long n) {
    char c = 0;
    double t0 = now_ns();
    for (long i = 0; i < n; i++) {
        if (write(a[1], &c, 1) != 1 || read(b[0], &c, 1) != 1) { perror("ping-pong"); exit(1); }
    }
    return (now_ns() - t0) / n;
}

static void speculation(int disable) {
    if (prctl(PR_SET_SPECULATION_CTRL, PR_SPEC_INDIRECT_BRANCH, disable ? PR_SPEC_DISABLE : PR_SPEC_ENABLE, 0, 0) != 0) {
        perror("PR_SET_SPECULATION_CTRL");
        exit(1);
    }
}

int main(int argc, char **argv) {
    int cpu = argc > 1 ? atoi(argv[1]) : 1;
    int state = prctl(PR_GET_SPECULATION_CTRL, PR_SPEC_INDIRECT_BRANCH, 0, 0, 0);
    if (state < 0 || !(state & PR_SPEC_PRCTL) || (state & PR_SPEC_FORCE_DISABLE)) {
        printf("unavailable: PR_GET_SPECULATION_CTRL(PR_SPEC_INDIRECT_BRANCH) = %d (%s)\n", state,
               state < 0 ? "no such control" : state == 0 ? "not affected" : (state & PR_SPEC_FORCE_DISABLE) ? "force-disabled" : "PR_SPEC_PRCTL not set: tasks cannot choose");
        return 2;
    }
    pid_t pid = fork_echo_peer(a, b, cpu);
    pin(cpu);
    speculation(0);
    for (double end = now_ns() + 200e6; now_ns() < end;) batch(64);
    long n = 64;
    while (batch(n) * n < 10e6) n *= 2;
    double without[PAIRS], with[PAIRS], diff[PAIRS];
    for (int p = 0; p < PAIRS; p++) {
        int with_first = p & 1;  /* neither half always goes first */
        if (with_first) { speculation(1); with[p] = batch(n); speculation(0); }
        without[p] = batch(n);
        if (!with_first) { speculation(1); with[p] = batch(n); speculation(0); }
        diff[p] = with[p] - without[p];
    }
    close(a[1]);
    waitpid(pid, 0, 0);
    printf("round trip without %.0f  with %.0f  added %.0f\n", median_of(without, PAIRS), median_of(with, PAIRS),
           median_of(diff, PAIRS));
    return 0;
}
