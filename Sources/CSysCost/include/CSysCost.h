#ifndef CSYSCOST_H
#define CSYSCOST_H
#include "sc_batch.h"
#include "sc_child.h"
#include "sc_indirect.h"
#include "sc_linux.h"
#include "sc_loops.h"
#include "sc_perf.h"
#include "sc_pingpong.h"
#include "sc_ops.h"
#include "sc_syscall.h"
#include "sc_tsc.h"
#include <gnu/libc-version.h>
#endif
