#!/usr/bin/env bash
# syscost against its anchors, measured in one go on one CPU:
#   1. the plain C inline-asm loop (scripts/reference/getppid_loop.c),
#   2. perf bench syscall basic (glibc's getppid(): compare it with syscall/getppid/libc),
#   3. syscost itself, then 1 and 2 again;
#   glibc's clock_gettime in a plain C loop against vdso/clock_gettime-monotonic/*;
#   and the pipe ping-pong round trip (ns) against a plain C fork + two pipes loop (glibc's
#   read/write) and taskset -c CPU perf bench sched pipe (also glibc's);
#   what a cached seccomp filter adds to getppid: the plain C A/B (scripts/reference/seccomp_ab.c)
#   around syscost's --seccomp cached; and what disabling indirect-branch speculation adds to a
#   same-CPU process round trip: the plain C A/B (spec_pingpong.c) around --speculation
#   indirect-branch (both say so and go on where the kernel offers no such control); and a
#   caught signal and a signal-mask round trip against the plain C loops of signal_catch.c; glibc's
#   read over the raw call single-threaded and with an idle thread (threaded_read.c) beside
#   syscall/read/libc and libc-threaded; and LEBench test by test (scripts/lebench.sh).
# Usage: scripts/anchors.sh [CPU]   (default: the last allowed CPU)
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
[ -x /opt/swift/usr/bin/swift ] && PATH="/opt/swift/usr/bin:$PATH"
bash scripts/setup.sh
cpu="${1:-$(taskset -cp $$ | sed 's/.*[,:-] *//')}"
swift build -c release --product syscost >&2
ref=$(mktemp -d)
trap 'rm -rf "$ref"' EXIT
gcc -O2 -o "$ref/getppid_loop" scripts/reference/getppid_loop.c
gcc -O2 -o "$ref/clock_gettime_loop" scripts/reference/clock_gettime_loop.c
gcc -O2 -o "$ref/pipe_pingpong" scripts/reference/pipe_pingpong.c
gcc -O2 -falign-functions=64 -o "$ref/seccomp_ab" scripts/reference/seccomp_ab.c
gcc -O2 -o "$ref/spec_pingpong" scripts/reference/spec_pingpong.c
gcc -O2 -o "$ref/signal_catch" scripts/reference/signal_catch.c
gcc -O2 -pthread -o "$ref/threaded_read" scripts/reference/threaded_read.c

perf_ns() { taskset -c "$cpu" perf bench syscall basic | awk '/usecs\/op/ { printf "%.2f\n", $1 * 1000 }'; }
syscost_ns() {
  .build/release/syscost run --cpu "$cpu" "$1" --format csv | awk -F, 'NR == 2 { printf "%.2f\n", $6 }'
}

echo "CPU $cpu, ns per call (medians)"
printf '%-44s %s\n' "C inline-asm loop (before)" "$("$ref/getppid_loop" "$cpu")"
printf '%-44s %s\n' "perf bench syscall basic (before)" "$(perf_ns)"
printf '%-44s %s\n' "syscost syscall/getppid/raw" "$(syscost_ns syscall/getppid/raw)"
printf '%-44s %s\n' "syscost syscall/getppid/libc" "$(syscost_ns syscall/getppid/libc)"
printf '%-44s %s\n' "C inline-asm loop (after)" "$("$ref/getppid_loop" "$cpu")"
printf '%-44s %s\n' "perf bench syscall basic (after)" "$(perf_ns)"
printf '%-44s %s\n' "C clock_gettime loop (before)" "$("$ref/clock_gettime_loop" "$cpu")"
printf '%-44s %s\n' "syscost vdso/clock_gettime-monotonic/libc" "$(syscost_ns vdso/clock_gettime-monotonic/libc)"
printf '%-44s %s\n' "syscost vdso/clock_gettime-monotonic/vdso" "$(syscost_ns vdso/clock_gettime-monotonic/vdso)"
printf '%-44s %s\n' "syscost vdso/clock_gettime-monotonic/syscall" "$(syscost_ns vdso/clock_gettime-monotonic/syscall)"
printf '%-44s %s\n' "C clock_gettime loop (after)" "$("$ref/clock_gettime_loop" "$cpu")"
round_trip() {
  .build/release/syscost run --cpu "$cpu" "$1" --format csv | awk -F, -v id="$1" '$1 == id { printf "%.0f\n", $6 * 2 }'
}
echo "pipe ping-pong on CPU $cpu, ns per round trip (medians)"
printf '%-44s %s\n' "C fork + two pipes, glibc (before)" "$("$ref/pipe_pingpong" "$cpu")"
printf '%-44s %s\n' "perf bench sched pipe (before)" "$(taskset -c "$cpu" perf bench sched pipe | awk '/usecs\/op/ { printf "%.0f\n", $1 * 1000 }')"
printf '%-44s %s\n' "syscost ctxswitch/pipe_libc-process/same-cpu" "$(round_trip ctxswitch/pipe_libc-process/same-cpu)"
printf '%-44s %s\n' "syscost ctxswitch/pipe-process/same-cpu" "$(round_trip ctxswitch/pipe-process/same-cpu)"
printf '%-44s %s\n' "C fork + two pipes, glibc (after)" "$("$ref/pipe_pingpong" "$cpu")"
printf '%-44s %s\n' "perf bench sched pipe (after)" "$(taskset -c "$cpu" perf bench sched pipe | awk '/usecs\/op/ { printf "%.0f\n", $1 * 1000 }')"
ab_row() {  # syscost's A/B row for $1 (without, with, it adds, unit), or why there is none
  .build/release/syscost run --cpu "$cpu" "$@" 2>&1 | awk -v id="$1" '
    $1 == id && $NF ~ /^ns\// { $1 = ""; print; found = 1; exit }
    /^error:/ { print; found = 1; exit }
    END { if (!found) print "no A/B row" }'
}
echo "in-run A/B on CPU $cpu (without, with, what it adds)"
printf '%-44s %s\n' "C getppid, cached seccomp filter A/B (before)" "$("$ref/seccomp_ab" "$cpu")"
printf '%-44s %s\n' "syscost syscall/getppid/raw --seccomp cached" "$(ab_row syscall/getppid/raw --seccomp cached)"
printf '%-44s %s\n' "C getppid, cached seccomp filter A/B (after)" "$("$ref/seccomp_ab" "$cpu")"
printf '%-44s %s\n' "C ping-pong, indirect-branch off A/B" "$("$ref/spec_pingpong" "$cpu" || true)"
printf '%-44s %s\n' "syscost --speculation indirect-branch" "$(ab_row ctxswitch/pipe-process/same-cpu --speculation indirect-branch)"
echo "signals on CPU $cpu, ns per op (medians)"
printf '%-44s %s\n' "C tgkill + handler, mask round trip (before)" "$("$ref/signal_catch" "$cpu" | tr '\n' ' ')"
printf '%-44s %s\n' "syscost signal/catch/raw" "$(syscost_ns signal/catch/raw)"
printf '%-44s %s\n' "syscost signal/sigprocmask-roundtrip/raw" "$(syscost_ns signal/sigprocmask-roundtrip/raw)"
printf '%-44s %s\n' "C tgkill + handler, mask round trip (after)" "$("$ref/signal_catch" "$cpu" | tr '\n' ' ')"
echo "glibc's read over the raw call on CPU $cpu, single-threaded and with one idle thread (ns)"
printf '%s\n' "C reference (before): $("$ref/threaded_read" "$cpu" | tr '\n' ';')"
.build/release/syscost run --cpu "$cpu" syscall/read syscall/getppid 2>/dev/null | grep -E "a second thread adds|single-threaded, glibc's read" || true
printf '%s\n' "C reference (after): $("$ref/threaded_read" "$cpu" | tr '\n' ';')"
echo "LEBench beside syscost"
bash scripts/lebench.sh "$cpu"
