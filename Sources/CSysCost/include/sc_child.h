// Work done in a forked child, where only async-signal-safe calls are allowed: plain C.
#ifndef SC_CHILD_H
#define SC_CHILD_H

#include <linux/filter.h>
#include <stdint.h>
#include <sys/types.h>

#include "sc_batch.h"

/// Forks a child that pins itself to `cpu`, installs the seccomp `filter`, times `reps`
/// batches of `iterations` raw getppid calls and writes each batch's ns per call (a double)
/// to `fd`, then exits 0 (1 when the filter cannot be installed). Returns the child's pid,
/// or -1 with errno.
pid_t sc_fork_seccomp_probe(const struct sock_filter *filter, unsigned short length, int cpu,
                            uint64_t iterations, int reps, int fd);

/// One benchmark the twin can time: its loop and its context (the parent's, copied by fork).
typedef struct sc_twin_job {
    sc_loop_fn loop;
    sc_ctx *ctx;
} sc_twin_job;

/// The command that ends a twin. Closing the command pipe is not enough: a process forked
/// after the twin (another twin, a ping-pong's peer) holds a copy of its write end.
#define SC_TWIN_QUIT (-1)

/// What the parent asks of the twin: time `iterations` of job `job`, or SC_TWIN_QUIT.
typedef struct sc_twin_cmd {
    int32_t job;
    uint64_t iterations;
} sc_twin_cmd;

/// Forks a twin of the measuring process: a child that pins itself to `cpu`, installs the
/// seccomp `filter` when it is not NULL (exits 1 when it cannot), starts one extra thread that
/// only waits when `idle_thread` is set (exits 5 when it cannot), writes one byte to
/// `result_fd` to say it is ready, then answers each sc_twin_cmd read from `cmd_fd` with the
/// sc_batch_time of that batch (`involuntary` set: the twin's preemptions in it), written to
/// `result_fd`, until SC_TWIN_QUIT comes or `cmd_fd` closes. The twin works on copies of the parent's contexts
/// (fork), so each batch sees the same fixtures. A twin forked from a process that never had a
/// second thread is single-threaded as glibc sees it (glibc never forgets a second thread,
/// not even in a forked child), and glibc's cancellation-point wrappers take their short path
/// there; with `idle_thread` they take the long one. The child closes `parent_fds` (the
/// parent's ends of the two pipes, `nparent` of them), or it would never see `cmd_fd` close.
/// Returns the child's pid, or -1 with errno.
pid_t sc_fork_twin(const struct sock_filter *filter, unsigned short length, int cpu, int cmd_fd, int result_fd,
                   const int *parent_fds, int nparent, const sc_twin_job *jobs, int count, int idle_thread);

/// Forks the command `syscost profile` runs, held before exec: the child closes
/// `parent_fds` (`nparent` of them), gives SIGINT and SIGTERM back the dispositions syscost
/// was started with (ignored when `ignore_int` / `ignore_term`, else the default: a shell
/// starts background jobs with SIGINT ignored, and the command must see that too) and
/// unblocks every signal (a mask survives exec), waits for
/// one byte on `go_fd` (exits 126 on EOF: the parent gave up), pins itself to `cpu` when it
/// is not negative, then execvp(argv[0], argv). When exec fails it writes its errno (an int)
/// to `err_fd` (close-on-exec: a successful exec closes it, so the parent reads EOF) and exits
/// 127. The parent opens the counters on the held child between fork and go. Returns the
/// child's pid, or -1 with errno.
pid_t sc_spawn_held(char *const argv[], int go_fd, int err_fd, const int *parent_fds, int nparent, int cpu,
                    int ignore_int, int ignore_term);

/// Releases `fds` (`count` of them) in a detached process, then unmounts `unmount` (when not
/// NULL) there: closing a syscall tracepoint's perf event waits for an RCU grace period
/// (~35 ms here, 13 s for every syscall's), so the last references are handed to a grandchild
/// named `syscost-release`, that closes everything else first (no pipe of the caller stays
/// open) and is reaped by init. The caller then closes its own copies at once. Returns 0, or -1 with errno.
int sc_release_in_background(const int *fds, int count, const char *unmount);

#endif
