/* The plain C reference for `syscost run syscall/getppid/raw --seccomp cached`: getppid through
 * the inline-asm syscall without a filter (this process) and with one (a forked child that
 * installs the same arch-check-only filter, which Linux >= 5.11 caches per syscall number),
 * both pinned to one CPU, taking turns A B A B through two pipes so both see the same host
 * phases. Each turn is one >= 20 ms batch; after a 200 ms warm-up, 21 turns each.
 * Prints: without, with, and the median of the per-turn differences, in ns per call.
 * Build with -falign-functions=64, as syscost's C loops are: the batch loop is a function of
 * its own, and on this project's AMD EPYC VM the same loop cost 120.6 ns aligned and 160-170 ns
 * (the filter adding 30-39 instead of 27 ns) where plain -O2 happened to place it.
 * Usage: seccomp_ab [CPU] */
#include "reference.h"
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define TURNS 21

static inline long raw0(long n) {
    long r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n) : "rcx", "r11", "memory");
    return r;
}

__attribute__((noinline)) static double batch(long n) {
    double t0 = now_ns();
    for (long i = 0; i < n; i++) raw0(SYS_getppid);
    return (now_ns() - t0) / n;
}

static int install_cached_filter(void) {
    struct sock_filter f[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1),
    };
    struct sock_fprog prog = {.len = 4, .filter = f};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return -1;
    return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
}

int main(int argc, char **argv) {
    int cpu = argc > 1 ? atoi(argv[1]) : 1;
    pin(cpu);
    for (double end = now_ns() + 200e6; now_ns() < end;) raw0(SYS_getppid);
    long n = 64;
    while (batch(n) * n < 20e6) n *= 2;
    int go[2], done[2];
    if (pipe(go) || pipe(done)) { perror("pipe"); return 1; }
    pid_t pid = fork();
    if (pid == 0) {  /* the filtered half: a batch per token, its ns/call written back */
        close(go[1]);
        close(done[0]);
        if (install_cached_filter() != 0) { perror("seccomp"); _exit(1); }
        char c;
        while (read(go[0], &c, 1) == 1) {
            double ns = batch(n);
            if (write(done[1], &ns, sizeof ns) != sizeof ns) break;
        }
        _exit(0);
    }
    close(go[0]);
    close(done[1]);
    double without[TURNS], with[TURNS], diff[TURNS];
    for (int t = 0; t < TURNS; t++) {
        char c = 0;
        without[t] = batch(n);
        if (write(go[1], &c, 1) != 1 || read(done[0], &with[t], sizeof with[t]) != sizeof with[t]) {
            fprintf(stderr, "the filtered child went away\n");
            return 1;
        }
        diff[t] = with[t] - without[t];
    }
    close(go[1]);
    waitpid(pid, 0, 0);
    printf("without %.2f  with %.2f  added %.2f\n", median_of(without, TURNS), median_of(with, TURNS), median_of(diff, TURNS));
    return 0;
}
