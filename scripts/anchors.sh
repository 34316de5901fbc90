#!/usr/bin/env bash
# syscost against its anchors, measured in one go on one CPU:
#   1. the plain C inline-asm loop (scripts/reference/getppid_loop.c),
#   2. perf bench syscall basic (glibc's getppid(): compare it with syscall/getppid/libc),
#   3. syscost itself, then 1 and 2 again;
#   and glibc's clock_gettime in a plain C loop against vdso/clock_gettime-monotonic/*.
# Usage: scripts/anchors.sh [CPU]   (default: the last allowed CPU)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /opt/swift/usr/bin/swift ] && PATH="/opt/swift/usr/bin:$PATH"
bash scripts/setup.sh
cpu="${1:-$(taskset -cp $$ | sed 's/.*[,:-] *//')}"
swift build -c release --product syscost >&2
ref=$(mktemp -d)
trap 'rm -rf "$ref"' EXIT
gcc -O2 -o "$ref/getppid_loop" scripts/reference/getppid_loop.c
gcc -O2 -o "$ref/clock_gettime_loop" scripts/reference/clock_gettime_loop.c

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
