// The signal suite's handler: a per-thread count (the catch benchmark's signal is sent to its
// own thread, so the count of the thread that measures is exact whatever others do).
#include "sc_signal.h"

static _Thread_local volatile unsigned long caught;

void sc_signal_count(int sig) {
    (void)sig;
    caught++;
}

unsigned long sc_signal_caught_here(void) { return caught; }
