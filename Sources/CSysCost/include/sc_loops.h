// The batch loops: sc_loop_<op>(ctx, n) runs sc_op_<op>(ctx) n times; sc_each_<op> times
// each of n ops on its own between fenced TSC reads (per-call latency distributions).
#ifndef SC_LOOPS_H
#define SC_LOOPS_H

#include "sc_batch.h"

#define SC_LOOP_OPS(X)                                                                   \
    X(empty)                                                                             \
    X(getpid_raw) X(getppid_raw) X(getppid_libc) X(gettid_raw) X(sched_yield_raw)         \
    X(getpriority_raw) X(invalid_raw)                                                    \
    X(read_raw) X(read_libc) X(write_raw) X(write_libc) X(pread_raw) X(lseek_raw)        \
    X(fstat_raw) X(stat_raw) X(openat_close_raw) X(dup_close_raw) X(fcntl_getfl_raw)     \
    X(access_raw) X(getcwd_raw)                                                          \
    X(ioctl_fionread_raw) X(ioctl_tcgets_raw) X(getrandom_raw)                           \
    X(uname_raw) X(getrusage_raw) X(sysinfo_raw) X(times_raw) X(getrlimit_raw)           \
    X(clock_gettime_raw) X(clock_gettime_libc) X(gettimeofday_raw) X(getcpu_raw)         \
    X(pipe_write_read_raw) X(eventfd_write_read_raw) X(socketpair_send_recv_raw)         \
    X(futex_wake_raw) X(poll_raw) X(epoll_wait_raw) X(kill_self_raw)                     \
    X(getuid_raw) X(geteuid_raw) X(umask_raw) X(capget_raw) X(rt_sigprocmask_raw)        \
    X(mprotect_toggle_raw) X(madvise_fault_raw)                                          \
    X(clock_gettime_glibc) X(clock_gettime_vdso) X(clock_getres_glibc) X(clock_getres_vdso) \
    X(clock_getres_raw) X(gettimeofday_glibc) X(gettimeofday_vdso) X(time_glibc)          \
    X(time_vdso) X(time_raw) X(getcpu_glibc) X(getcpu_vdso)                              \
    X(rdtsc) X(rdtscp) X(rdpid) X(canary)                                               \
    X(signal_catch_raw) X(sigprocmask_roundtrip_raw)                                     \
    X(pread_libc) X(openat_close_libc) X(poll_libc) X(epoll_wait_libc) X(read_raw_call)                   \
    X(fork_parent) X(fork_child) X(fork_big_parent) X(fork_big_child) X(vfork_exit) X(fork_exec) X(posix_spawn_libc) X(exit_mapped) \
    X(clone3_thread_parent) X(clone3_thread_child) X(pthread_create_parent) X(pthread_create_child) \
    X(mmap_file) X(munmap_file) X(fault_file) X(fault_anon)                              \
    X(pread_size) X(pwrite_size) X(select_many) X(poll_many) X(epoll_many) X(send_recv_size)

#define SC_DECLARE_LOOP(op)                                   \
    void sc_loop_##op(sc_ctx *ctx, uint64_t iterations);      \
    void sc_each_##op(sc_ctx *ctx, uint64_t *cycles, uint64_t iterations);
SC_LOOP_OPS(SC_DECLARE_LOOP)
#undef SC_DECLARE_LOOP

/// The per-call timing loop of the same op as `loop`, or NULL for a loop of another kind.
sc_each_fn sc_each_for(sc_loop_fn loop);

#endif
