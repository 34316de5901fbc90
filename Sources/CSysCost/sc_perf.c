#define _GNU_SOURCE
#include "sc_perf.h"

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int sc_perf_open(struct perf_event_attr *attr, pid_t pid, int group_fd) {
    attr->size = sizeof *attr;
    long fd = syscall(SYS_perf_event_open, attr, pid, -1, group_fd, PERF_FLAG_FD_CLOEXEC);
    return fd < 0 ? -errno : (int)fd;
}

int sc_perf_group_enable(int leader, int enable) {
    unsigned long request = enable ? PERF_EVENT_IOC_ENABLE : PERF_EVENT_IOC_DISABLE;
    return ioctl(leader, request, PERF_IOC_FLAG_GROUP) < 0 ? -errno : 0;
}

int sc_perf_read_group(int leader, uint64_t *words, int capacity) {
    ssize_t n = read(leader, words, (size_t)capacity * sizeof *words);
    return n < 0 ? -errno : (int)(n / (ssize_t)sizeof *words);
}
