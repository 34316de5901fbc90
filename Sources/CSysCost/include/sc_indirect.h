// The indirect cost of a syscall: a user-mode pointer chase through a buffer, with and
// without a syscall every K steps. ctx->aux is the chase's current line (each line's first
// word points at the next, in a random cycle), ctx->arg[0] is K.
#ifndef SC_INDIRECT_H
#define SC_INDIRECT_H

#include "sc_batch.h"

void sc_loop_walk_none(sc_ctx *ctx, uint64_t iterations);
void sc_loop_walk_getppid(sc_ctx *ctx, uint64_t iterations);
void sc_loop_walk_stat(sc_ctx *ctx, uint64_t iterations);

#endif
