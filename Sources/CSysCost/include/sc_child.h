// Work done in a forked child, where only async-signal-safe calls are allowed: plain C.
#ifndef SC_CHILD_H
#define SC_CHILD_H

#include <linux/filter.h>
#include <stdint.h>
#include <sys/types.h>

/// Forks a child that pins itself to `cpu`, installs the seccomp `filter`, times `reps`
/// batches of `iterations` raw getppid calls and writes each batch's ns per call (a double)
/// to `fd`, then exits 0 (1 when the filter cannot be installed). Returns the child's pid,
/// or -1 with errno.
pid_t sc_fork_seccomp_probe(const struct sock_filter *filter, unsigned short length, int cpu,
                            uint64_t iterations, int reps, int fd);

#endif
