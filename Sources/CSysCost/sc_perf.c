#define _GNU_SOURCE
#include "sc_perf.h"

#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int sc_perf_open(struct perf_event_attr *attr, pid_t pid, int group_fd) {
    attr->size = sizeof *attr;
    long fd = syscall(SYS_perf_event_open, attr, pid, -1, group_fd, PERF_FLAG_FD_CLOEXEC);
    return fd < 0 ? -errno : (int)fd;
}

int sc_perf_open_software(uint64_t config, pid_t pid, int exclude_kernel) {
    struct perf_event_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.type = PERF_TYPE_SOFTWARE;
    attr.config = config;
    attr.exclude_kernel = exclude_kernel ? 1 : 0;
    attr.exclude_hv = 1;
    return sc_perf_open(&attr, pid, -1);
}

int64_t sc_perf_read(int fd) {
    uint64_t value;
    return read(fd, &value, sizeof value) == sizeof value ? (int64_t)value : -1;
}
