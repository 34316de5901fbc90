// Thin wrappers for the Linux calls Swift's Glibc module does not show (they need
// _GNU_SOURCE or headers it leaves out). No policy: each passes its arguments on.
#ifndef SC_LINUX_H
#define SC_LINUX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/auxv.h>
#include <linux/filter.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/random.h>
#include <sys/sysinfo.h>

/// The allowed-CPU mask of this thread into `mask` (`size` bytes); 0 or -1 with errno.
int sc_getaffinity(uint8_t *mask, size_t size);
/// Pins this thread to `cpu` alone (`pid` 0) or another task; 0 or -1 with errno.
int sc_setaffinity_one(int pid, int cpu);
/// Sets this thread's allowed-CPU mask from `mask` (`size` bytes); 0 or -1 with errno.
int sc_setaffinity(const uint8_t *mask, size_t size);
int sc_sched_getcpu(void);
int sc_pipe2(int fds[2], int flags);
long sc_gettid(void);
int sc_sysinfo(struct sysinfo *info);
/// Sets no_new_privs and installs a classic-BPF seccomp filter on the calling thread;
/// 0 or -1 with errno.
int sc_install_seccomp(const struct sock_filter *filter, unsigned short length);
/// prctl(PR_GET_SPECULATION_CTRL, which): the PR_SPEC_* bits of the calling thread's control
/// `which` (PR_SPEC_STORE_BYPASS, PR_SPEC_INDIRECT_BRANCH), or -1 with errno. prctl is
/// variadic, which Swift cannot call.
int sc_get_speculation_ctrl(unsigned long which);
/// pidfd_open(pid, 0): a descriptor that polls readable when `pid` exits; -1 with errno.
int sc_pidfd_open(int pid);
/// prctl(PR_SET_SPECULATION_CTRL, which, value) on the calling thread: value PR_SPEC_ENABLE
/// or PR_SPEC_DISABLE; 0 or -1 with errno.
int sc_set_speculation_ctrl(unsigned long which, unsigned long value);
/// memfd_create(name, MFD_CLOEXEC), asking for an executable file where the kernel knows the
/// flag (MFD_EXEC, Linux 6.3) and without it where it does not; -1 with errno.
int sc_memfd_exec(const char *name);

/// Whether glibc sees this process as single-threaded (`__libc_single_threaded`): true until
/// the first pthread_create, and never true again, not even in a child forked after it.
int sc_libc_single_threaded(void);

#endif
