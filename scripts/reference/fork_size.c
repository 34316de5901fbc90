/* What a fork costs by what the parent holds, the measurement behind syscost's fork against
 * LEBench's: the parent's return from a raw clone(SIGCHLD) (the child exits at once and is
 * reaped untimed), best of 200 and 10th percentile, in this small C process; then after it maps
 * MAPPINGS private anonymous regions holding KB kilobytes between them, touched (MAPPINGS
 * untouched regions cost a fork nearly nothing: touched pages are what it copies). Pinned to one
 * CPU. Built and run by scripts/lebench.sh. Usage: fork_size CPU MAPPINGS KB */
#include "reference.h"
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static int cmp(const void *a, const void *b) { return cmp_double(a, b); }

static void fork_times(const char *what) {
    enum { N = 200 };
    double t[N];
    for (int i = 0; i < N; i++) {
        double t0 = now_ns();
        long pid = syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
        if (pid == 0) syscall(SYS_exit_group, 7);
        t[i] = now_ns() - t0;
        waitpid((pid_t)pid, 0, 0);
    }
    qsort(t, N, sizeof t[0], cmp);
    printf("%s: fork (parent's return) best %.1f us, p10 %.1f us\n", what, t[0] / 1e3, t[N / 10] / 1e3);
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: fork_size CPU MAPPINGS KB\n"); return 2; }
    pin(atoi(argv[1]));
    long maps = atol(argv[2]), kb = atol(argv[3]);
    fork_times("this C process");
    long each = maps > 0 ? (kb * 1024 / maps + 4095) / 4096 * 4096 : 0;
    for (long i = 0; i < maps; i++) {
        /* alternate protections so neighbouring regions never merge into one mapping */
        char *p = mmap(0, each, PROT_READ | PROT_WRITE | (i % 2 ? PROT_EXEC : 0), MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) { perror("mmap"); return 1; }
        for (long off = 0; off < each; off += 4096) p[off] = 1;
    }
    char what[96];
    snprintf(what, sizeof what, "with %ld more mappings holding %ld KB, touched", maps, kb);
    fork_times(what);
    return 0;
}
