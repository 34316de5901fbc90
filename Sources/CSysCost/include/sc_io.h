// The io suite's operations: read and write of a cached tmpfs file by size, and select, poll
// and epoll_wait over many descriptors with a zero timeout, as LEBench's tests make them.
#ifndef SC_IO_H
#define SC_IO_H

#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>

#include "sc_batch.h"
#include "sc_syscall.h"

/// pread of `len` bytes at offset 0 of fd[0] into buf.
static inline long sc_op_pread_size(sc_ctx *c) {
    return sc_syscall4(SYS_pread64, c->fd[0], (long)c->buf, (long)c->len, 0);
}

/// pwrite of `len` bytes from buf at offset 0 of fd[0] (page-cache pages already there).
static inline long sc_op_pwrite_size(sc_ctx *c) {
    return sc_syscall4(SYS_pwrite64, c->fd[0], (long)c->buf, (long)c->len, 0);
}

/// send of `len` bytes from buf on the AF_UNIX stream fd[1] (non-blocking: a full buffer is an
/// error, never a hang), then recv of all of them from fd[0] into page. Bytes received, or -errno.
static inline long sc_op_send_recv_size(sc_ctx *c) {
    long sent = sc_syscall6(SYS_sendto, c->fd[1], (long)c->buf, (long)c->len, MSG_DONTWAIT, 0, 0);
    if (sent != (long)c->len) return sent < 0 ? sent : -EMSGSIZE;
    long got = 0;
    while (got < (long)c->len) {
        long r = sc_syscall6(SYS_recvfrom, c->fd[0], (long)c->page + got, (long)c->len - got, MSG_DONTWAIT, 0, 0);
        if (r <= 0) return r < 0 ? r : -EPIPE;
        got += r;
    }
    return got;
}

// One context serves all three calls over the same descriptors: select's set at buf (`len`
// bytes, for descriptors below arg[0]) and its working copy at page; the arg[1] pollfds at aux;
// the epoll set fd[2] and room for arg[1] events at touch; a zeroed timeout at peer_touch.

/// select for reading: the set is copied to page first (the kernel overwrites it). Ready descriptors.
static inline long sc_op_select_many(sc_ctx *c) {
    memcpy(c->page, c->buf, c->len);
#ifdef SYS_select
    return sc_syscall5(SYS_select, c->arg[0], (long)c->page, 0, 0, (long)c->peer_touch);
#else
    return sc_syscall6(SYS_pselect6, c->arg[0], (long)c->page, 0, 0, (long)c->peer_touch, 0);
#endif
}

/// poll of the arg[1] pollfds at aux, zero timeout. Ready descriptors.
static inline long sc_op_poll_many(sc_ctx *c) {
#ifdef SYS_poll
    return sc_syscall3(SYS_poll, (long)c->aux, c->arg[1], 0);
#else
    return sc_syscall5(SYS_ppoll, (long)c->aux, c->arg[1], (long)c->peer_touch, 0, 0);
#endif
}

/// epoll_wait on the epoll set fd[2] (level-triggered), zero timeout. Ready events.
static inline long sc_op_epoll_many(sc_ctx *c) {
#ifdef SYS_epoll_wait
    return sc_syscall4(SYS_epoll_wait, c->fd[2], (long)c->touch, c->arg[1], 0);
#else
    return sc_syscall6(SYS_epoll_pwait, c->fd[2], (long)c->touch, c->arg[1], 0, 0, 8);
#endif
}

#endif
