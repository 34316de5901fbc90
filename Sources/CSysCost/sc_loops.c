#include "sc_loops.h"
#include "sc_ops.h"
#include "sc_tsc.h"

#define SC_DEFINE_LOOP(op)                                      \
    void sc_loop_##op(sc_ctx *ctx, uint64_t iterations) {       \
        for (uint64_t i = 0; i < iterations; i++) {             \
            (void)sc_op_##op(ctx);                              \
        }                                                       \
    }                                                           \
    void sc_each_##op(sc_ctx *ctx, uint64_t *cycles, uint64_t iterations) { \
        for (uint64_t i = 0; i < iterations; i++) {             \
            uint64_t t0 = sc_tsc_begin();                       \
            (void)sc_op_##op(ctx);                              \
            cycles[i] = sc_tsc_end() - t0;                      \
        }                                                       \
    }
SC_LOOP_OPS(SC_DEFINE_LOOP)

sc_each_fn sc_each_for(sc_loop_fn loop) {
#define SC_MATCH(op) if (loop == sc_loop_##op) return sc_each_##op;
    SC_LOOP_OPS(SC_MATCH)
#undef SC_MATCH
    return 0;
}
