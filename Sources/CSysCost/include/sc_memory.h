// The memory suite's operations, by size (`len` bytes, arg[0] pages of 4 KiB): a file mapped,
// a populated mapping unmapped, and page faults on a file mapping and on anonymous memory.
// Each op makes what it needs and tears it down again, and times only its own part (in
// `sc_ctx.part_ns`, as LEBench times them): a mapping's setup is not a fault's cost.
#ifndef SC_MEMORY_H
#define SC_MEMORY_H

#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "sc_batch.h"
#include "sc_syscall.h"

#define SC_PAGE 4096L

/// Whether a raw mmap's return is an address (not -4095 … -1).
static inline int sc_mapped(long a) { return a > 0 || a < -4095; }

/// mmap of `len` bytes of the file fd[0] (read-only, private), timed; unmapped untimed. The
/// address made is kept in arg[1]. Returns it, or a negative errno.
static inline long sc_op_mmap_file(sc_ctx *c) {
    uint64_t t0 = sc_clock_raw_ns();
    long a = sc_syscall6(SYS_mmap, 0, (long)c->len, PROT_READ, MAP_PRIVATE, c->fd[0], 0);
    uint64_t t1 = sc_clock_raw_ns();
    if (!sc_mapped(a)) return a;
    c->part_ns += t1 - t0;
    c->arg[1] = a;
    sc_syscall2(SYS_munmap, a, (long)c->len);
    return a;
}

/// munmap, timed, of `len` bytes of the file fd[0] mapped private and writable with
/// MAP_POPULATE (every page written, as LEBench's munmap test writes each byte: the unmapping
/// frees each page's private copy). The address is kept in arg[1]. munmap's return, or -errno.
static inline long sc_op_munmap_file(sc_ctx *c) {
    long a = sc_syscall6(SYS_mmap, 0, (long)c->len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_POPULATE, c->fd[0], 0);
    if (!sc_mapped(a)) return a;
    c->arg[1] = a;
    uint64_t t0 = sc_clock_raw_ns();
    long r = sc_syscall2(SYS_munmap, a, (long)c->len);
    uint64_t t1 = sc_clock_raw_ns();
    c->part_ns += t1 - t0;
    return r;
}

/// The pages one read fault on a file mapping maps (the kernel's fault-around, 64 KiB by default).
#define SC_FAULT_AROUND_PAGES 16

/// Read faults on a file mapping this op takes: one per 64 KiB window of `pages` pages.
static inline long sc_file_faults(long pages) { return (pages + SC_FAULT_AROUND_PAGES - 1) / SC_FAULT_AROUND_PAGES; }

/// A fresh read-only private mapping of the file fd[0], one byte read in every 64 KiB window of
/// it, timed: each read faults once and the kernel maps up to 16 cached pages around it (so
/// LEBench's one-read page fault test is one such fault). Returns the sum of the bytes read.
static inline long sc_op_fault_file(sc_ctx *c) {
    long a = sc_syscall6(SYS_mmap, 0, (long)c->len, PROT_READ, MAP_PRIVATE, c->fd[0], 0);
    if (!sc_mapped(a)) return a;
    long sum = 0;
    uint64_t t0 = sc_clock_raw_ns();
    for (long i = 0; i < c->arg[0]; i += SC_FAULT_AROUND_PAGES) sum += ((volatile uint8_t *)a)[i * SC_PAGE];
    uint64_t t1 = sc_clock_raw_ns();
    c->part_ns += t1 - t0;
    sc_syscall2(SYS_munmap, a, (long)c->len);
    return sum;
}

/// Fresh anonymous memory of `len` bytes (MADV_NOHUGEPAGE: 4 KiB pages whatever the host's
/// THP setting), a byte written to each of its arg[0] pages, timed: arg[0] faults that each
/// allocate and zero a page. Returns the pages written, or a negative errno.
static inline long sc_op_fault_anon(sc_ctx *c) {
    long a = sc_syscall6(SYS_mmap, 0, (long)c->len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (!sc_mapped(a)) return a;
    sc_syscall3(SYS_madvise, a, (long)c->len, MADV_NOHUGEPAGE);
    long written = 0;
    uint64_t t0 = sc_clock_raw_ns();
    for (long i = 0; i < c->arg[0]; i++, written++) ((volatile uint8_t *)a)[i * SC_PAGE] = 1;
    uint64_t t1 = sc_clock_raw_ns();
    c->part_ns += t1 - t0;
    sc_syscall2(SYS_munmap, a, (long)c->len);
    return written;
}

#endif
