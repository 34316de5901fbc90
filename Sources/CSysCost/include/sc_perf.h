// perf_event_open, which glibc does not wrap.
#ifndef SC_PERF_H
#define SC_PERF_H

#include <linux/perf_event.h>
#include <stdint.h>
#include <sys/types.h>

/// Opens a counting event for `pid` (0: this thread) on any CPU, enabled; returns the fd or
/// a negative errno.
int sc_perf_open(struct perf_event_attr *attr, pid_t pid, int group_fd);

/// Enables (`enable` 1) or disables (0) a whole group through its leader; 0 or -errno.
int sc_perf_group_enable(int leader, int enable);

/// Reads a group opened with PERF_FORMAT_GROUP | TOTAL_TIME_ENABLED | TOTAL_TIME_RUNNING
/// into `words`: [0] the number of events n, [1] time enabled, [2] time running, then n
/// counts in the order the events joined. Returns the words read or -errno.
int sc_perf_read_group(int leader, uint64_t *words, int capacity);

#endif
