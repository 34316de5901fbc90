// The signal suite's operations. A signal sent to the measuring thread itself (tgkill, not
// kill: a process-directed signal may go to any thread that does not block it) is delivered
// before the call returns to user space: the kernel pushes a signal frame, runs the handler,
// and rt_sigreturn restores the frame. The handler only counts, on the thread it ran on, so an
// op's cost is the kernel's and the count proves every signal was caught.
#ifndef SC_SIGNAL_H
#define SC_SIGNAL_H

#include <signal.h>
#include <sys/syscall.h>

#include "sc_batch.h"
#include "sc_syscall.h"

/// The signal the catch benchmark sends itself, and the one its mask round trip blocks.
#define SC_SIGNAL_CAUGHT SIGUSR1
#define SC_SIGNAL_MASKED SIGUSR2

/// The handler the signal suite installs: counts the signals caught on this thread.
void sc_signal_count(int sig);
/// Signals `sc_signal_count` caught on the calling thread.
unsigned long sc_signal_caught_here(void);

/// tgkill(arg[0] = pid, arg[1] = tid, SC_SIGNAL_CAUGHT): sent, delivered, handled, returned from.
static inline long sc_op_signal_catch_raw(sc_ctx *c) {
    return sc_syscall3(SYS_tgkill, c->arg[0], c->arg[1], SC_SIGNAL_CAUGHT);
}

/// Blocks the 8-byte kernel sigset at buf (old mask to buf + 8), then restores the old mask.
static inline long sc_op_sigprocmask_roundtrip_raw(sc_ctx *c) {
    long r = sc_syscall4(SYS_rt_sigprocmask, SIG_BLOCK, (long)c->buf, (long)((char *)c->buf + 8), 8);
    if (r != 0) return r;
    return sc_syscall4(SYS_rt_sigprocmask, SIG_SETMASK, (long)((char *)c->buf + 8), 0, 8);
}

#endif
