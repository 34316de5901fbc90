// perf_event_open, which glibc does not wrap.
#ifndef SC_PERF_H
#define SC_PERF_H

#include <linux/perf_event.h>
#include <stdint.h>
#include <sys/types.h>

/// Opens a counting event for `pid` (0: this thread) on any CPU, enabled; returns the fd or
/// a negative errno.
int sc_perf_open(struct perf_event_attr *attr, pid_t pid, int group_fd);

/// A software event (PERF_COUNT_SW_*) for `pid`, counting user and kernel; fd or -errno.
int sc_perf_open_software(uint64_t config, pid_t pid, int exclude_kernel);

/// The current count of a non-group event; -1 on error.
int64_t sc_perf_read(int fd);

#endif
