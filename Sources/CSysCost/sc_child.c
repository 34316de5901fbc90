#define _GNU_SOURCE
#include "sc_child.h"
#include "sc_batch.h"
#include "sc_linux.h"
#include "sc_loops.h"

#include <errno.h>
#include <pthread.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <signal.h>
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

/// The twin's extra thread: it only waits, with every signal blocked, until the twin exits.
static void *sc_twin_idle(void *arg) {
    (void)arg;
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, 0);
    for (;;) pause();
    return 0;
}

/// The calling thread's involuntary context switches so far.
static uint64_t sc_involuntary_here(void) {
    struct rusage usage;
    return getrusage(RUSAGE_THREAD, &usage) == 0 ? (uint64_t)usage.ru_nivcsw : 0;
}

pid_t sc_fork_twin(const struct sock_filter *filter, unsigned short length, int cpu, int cmd_fd, int result_fd,
                   const int *parent_fds, int nparent, const sc_twin_job *jobs, int count, int idle_thread) {
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid != 0) return pid;
    // As a ping-pong's peer does: a terminal's Ctrl-C is syscost's to handle (it stops after
    // the batch and then sends SC_TWIN_QUIT), and should syscost die, the twin dies with it
    // (a later twin holds a copy of this one's command pipe, so EOF alone might never come).
    signal(SIGINT, SIG_IGN);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(0);
    for (int i = 0; i < nparent; i++) close(parent_fds[i]);
    sc_setaffinity_one(0, cpu);
    if (filter && sc_install_seccomp(filter, length) != 0) _exit(1);
    pthread_t idle;
    if (idle_thread && pthread_create(&idle, 0, sc_twin_idle, 0) != 0) _exit(5);
    char ready = 1;
    if (write(result_fd, &ready, 1) != 1) _exit(2);
    sc_twin_cmd cmd;
    for (;;) {
        ssize_t n = read(cmd_fd, &cmd, sizeof cmd);
        if (n < 0 && errno == EINTR) continue;
        if (n == 0) _exit(0);                 // the parent closed: done
        if (n == (ssize_t)sizeof cmd && cmd.job == SC_TWIN_QUIT) _exit(0);
        if (n != (ssize_t)sizeof cmd || cmd.job < 0 || cmd.job >= count) _exit(3);
        sc_batch_time t;
        uint64_t before = sc_involuntary_here();
        sc_time_batch(jobs[cmd.job].loop, jobs[cmd.job].ctx, cmd.iterations, &t);
        t.involuntary = sc_involuntary_here() - before;
        if (write(result_fd, &t, sizeof t) != (ssize_t)sizeof t) _exit(4);
    }
}

pid_t sc_spawn_held(char *const argv[], int go_fd, int err_fd, const int *parent_fds, int nparent, int cpu,
                    int ignore_int, int ignore_term) {
    pid_t pid = fork();
    if (pid != 0) return pid;
    for (int i = 0; i < nparent; i++) close(parent_fds[i]);
    signal(SIGINT, ignore_int ? SIG_IGN : SIG_DFL);
    signal(SIGTERM, ignore_term ? SIG_IGN : SIG_DFL);
    sigset_t none;  // a blocked mask would survive exec
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, 0);
    char go;
    if (read(go_fd, &go, 1) != 1) _exit(126);
    close(go_fd);
    if (cpu >= 0) sc_setaffinity_one(0, cpu);
    execvp(argv[0], argv);
    int e = errno;
    if (write(err_fd, &e, sizeof e) != (ssize_t)sizeof e) _exit(127);
    _exit(127);
}

int sc_release_in_background(const int *fds, int count, const char *unmount) {
    pid_t child = fork();
    if (child < 0) return -1;
    if (child == 0) {
        if (fork() != 0) _exit(0);  // the grandchild goes on alone; init reaps it
        setsid();
        prctl(PR_SET_NAME, "syscost-release");  // a profile measuring overhead looks for it
        struct rlimit limit;
        int top = getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < 65536 ? (int)limit.rlim_cur : 65536;
        for (int fd = 0; fd < top; fd++) {
            int keep = 0;
            for (int i = 0; i < count; i++) keep |= fds[i] == fd;
            if (!keep) close(fd);
        }
        for (int i = 0; i < count; i++) close(fds[i]);
        if (unmount) umount2(unmount, 0);
        _exit(0);
    }
    int status;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {}
    return 0;
}
