#include "sc_indirect.h"
#include "sc_ops.h"

static inline void *sc_chase(void *p, long steps) {
    for (long i = 0; i < steps; i++) p = *(void **)p;
    return p;
}

void sc_loop_walk_none(sc_ctx *ctx, uint64_t iterations) {
    void *p = ctx->aux;
    for (uint64_t i = 0; i < iterations; i++) {
        p = sc_chase(p, ctx->arg[0]);
        __asm__ volatile("" : "+r"(p) : : "memory");
    }
    ctx->aux = p;
}

void sc_loop_walk_getppid(sc_ctx *ctx, uint64_t iterations) {
    void *p = ctx->aux;
    for (uint64_t i = 0; i < iterations; i++) {
        p = sc_chase(p, ctx->arg[0]);
        __asm__ volatile("" : "+r"(p) : : "memory");
        (void)sc_op_getppid_raw(ctx);
    }
    ctx->aux = p;
}

void sc_loop_walk_stat(sc_ctx *ctx, uint64_t iterations) {
    void *p = ctx->aux;
    for (uint64_t i = 0; i < iterations; i++) {
        p = sc_chase(p, ctx->arg[0]);
        __asm__ volatile("" : "+r"(p) : : "memory");
        (void)sc_op_stat_raw(ctx);
    }
    ctx->aux = p;
}
