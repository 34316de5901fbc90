// A raw syscall behind a call of its own: the shape of a libc wrapper (a call, the syscall, a
// return) with none of its work, so glibc's own work is what a wrapper costs beyond it. Out of
// line on purpose: on CPUs whose kernel exit refills the return stack buffer, the return right
// after `syscall` mispredicts, and every wrapper pays that.
#include "sc_ops.h"

__attribute__((noinline)) long sc_read_behind_call(sc_ctx *c) {
    long r = sc_op_read_raw(c);
    __asm__ volatile("" : : : "memory");  // keep the call a call, not a tail jump
    return r;
}
