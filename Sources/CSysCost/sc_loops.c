#include "sc_loops.h"
#include "sc_ops.h"

#define SC_DEFINE_LOOP(op)                                      \
    void sc_loop_##op(sc_ctx *ctx, uint64_t iterations) {       \
        for (uint64_t i = 0; i < iterations; i++) {             \
            (void)sc_op_##op(ctx);                              \
        }                                                       \
    }
SC_LOOP_OPS(SC_DEFINE_LOOP)
