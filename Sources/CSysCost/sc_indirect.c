#include "sc_indirect.h"
#include "sc_ops.h"

static inline void *sc_chase(void *p, long steps) {
    for (long i = 0; i < steps; i++) p = *(void **)p;
    return p;
}

static inline long sc_no_syscall(sc_ctx *ctx) {
    (void)ctx;
    return 0;
}

// K dependent loads, then `syscall(ctx)`; the chase's cursor survives between batches.
#define SC_DEFINE_WALK(name, syscall)                           \
    void sc_loop_walk_##name(sc_ctx *ctx, uint64_t iterations) { \
        void *p = ctx->aux;                                     \
        for (uint64_t i = 0; i < iterations; i++) {             \
            p = sc_chase(p, ctx->arg[0]);                       \
            __asm__ volatile("" : "+r"(p) : : "memory");        \
            (void)syscall(ctx);                                 \
        }                                                       \
        ctx->aux = p;                                           \
    }

SC_DEFINE_WALK(none, sc_no_syscall)
SC_DEFINE_WALK(getppid, sc_op_getppid_raw)
SC_DEFINE_WALK(stat, sc_op_stat_raw)
