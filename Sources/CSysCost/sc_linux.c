#define _GNU_SOURCE
#include "sc_linux.h"

#include <sys/single_threaded.h>
#include <errno.h>
#include <sys/mman.h>

#include <linux/seccomp.h>
#include <sched.h>
#include <sys/prctl.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int sc_getaffinity(uint8_t *mask, size_t size) {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) != 0) return -1;
    memcpy(mask, &set, size < sizeof set ? size : sizeof set);
    return 0;
}

int sc_setaffinity_one(int pid, int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return sched_setaffinity(pid, sizeof set, &set);
}

int sc_setaffinity(const uint8_t *mask, size_t size) {
    cpu_set_t set;
    CPU_ZERO(&set);
    memcpy(&set, mask, size < sizeof set ? size : sizeof set);
    return sched_setaffinity(0, sizeof set, &set);
}

int sc_sched_getcpu(void) { return sched_getcpu(); }
int sc_pipe2(int fds[2], int flags) { return pipe2(fds, flags); }
long sc_gettid(void) { return gettid(); }
int sc_sysinfo(struct sysinfo *info) { return sysinfo(info); }

int sc_install_seccomp(const struct sock_filter *filter, unsigned short length) {
    struct sock_fprog prog = {.len = length, .filter = (struct sock_filter *)filter};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return -1;
    return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
}

int sc_get_speculation_ctrl(unsigned long which) { return prctl(PR_GET_SPECULATION_CTRL, which, 0, 0, 0); }

int sc_set_speculation_ctrl(unsigned long which, unsigned long value) {
    return prctl(PR_SET_SPECULATION_CTRL, which, value, 0, 0);
}

int sc_pidfd_open(int pid) { return (int)syscall(SYS_pidfd_open, pid, 0); }

int sc_libc_single_threaded(void) { return __libc_single_threaded != 0; }

int sc_memfd_exec(const char *name) {
#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif
    int fd = memfd_create(name, MFD_CLOEXEC | MFD_EXEC);
    if (fd < 0 && errno == EINVAL) fd = memfd_create(name, MFD_CLOEXEC);
    return fd;
}
