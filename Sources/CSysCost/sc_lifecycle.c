#define _GNU_SOURCE
// The lifecycle suite's thread entry points and its raw clone3 stub.
#include "sc_lifecycle.h"

void sc_thread_mark(void *slot) { ((sc_life_slot *)slot)->child_ns = sc_clock_raw_ns(); }

void *sc_pthread_mark(void *slot) {
    sc_thread_mark(slot);
    return 0;
}

/// struct clone_args as of Linux 5.3, spelled out so older headers do.
struct sc_clone_args {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

long sc_clone3_thread(void *stack, size_t size, volatile int32_t *tid, void (*fn)(void *), void *arg) {
#if defined(__x86_64__)
    struct sc_clone_args args = {
        .flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
                 CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID,
        .child_tid = (uint64_t)(uintptr_t)tid,
        .parent_tid = (uint64_t)(uintptr_t)tid,
        .stack = (uint64_t)(uintptr_t)stack,
        .stack_size = size & ~(size_t)15,
    };
    // The new thread starts on the top of its stack (16-byte aligned, so the call below enters
    // fn as the ABI expects), with fn and arg in the callee-saved r12 and r13 it inherits, and
    // leaves by exit (this thread only) without returning here.
    register void (*entry)(void *) __asm__("r12") = fn;
    register void *entry_arg __asm__("r13") = arg;
    long ret;
    __asm__ volatile("syscall\n\t"
                     "test %%rax, %%rax\n\t"
                     "jnz 1f\n\t"
                     "xor %%ebp, %%ebp\n\t"
                     "mov %%r13, %%rdi\n\t"
                     "call *%%r12\n\t"
                     "mov %[exit], %%eax\n\t"
                     "xor %%edi, %%edi\n\t"
                     "syscall\n\t"
                     "hlt\n"
                     "1:"
                     : "=a"(ret)
                     : "a"((long)SYS_clone3), "D"(&args), "S"(sizeof args), "r"(entry), "r"(entry_arg),
                       [exit] "i"(SYS_exit)
                     : "rcx", "r11", "rdx", "r8", "r9", "r10", "memory");
    return ret;
#else
    (void)stack; (void)size; (void)tid; (void)fn; (void)arg;
    return -ENOSYS;
#endif
}
