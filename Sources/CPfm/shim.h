// libpfm4: event names (as `perf list` and the vendors' manuals spell them) to perf_event_attr.
#ifndef CPFM_SHIM_H
#define CPFM_SHIM_H
// The kernel's definition of perf_event_attr first, so libpfm4's copy of it stands aside and
// Swift sees one type, the same one CSysCost opens events with.
#include <linux/perf_event.h>
#include <perfmon/pfmlib_perf_event.h>
#endif
