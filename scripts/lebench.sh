#!/usr/bin/env bash
# LEBench (LinuxPerfStudy/LEBench, SOSP '19) beside syscost, measured in the same minutes on one
# CPU: OS_Eval, then `syscost run --preset lebench`, then OS_Eval again; the table has each
# LEBench test's kbest and average beside the syscost figure `syscost list --lebench` maps it
# to, with the ratio (scripts/lebench_table.py). LEBench's source is fetched (LEBENCH_GIT: a git
# repository or URL; default GitHub, or a local mirror when one is there) and built the way its
# makefile builds it (gcc -O0 -pthread), after two edits to the copy, both said here: BASE_ITER
# 10000 → LEBENCH_BASE_ITER (default 100; at 10,000 its context-switch test alone takes hours)
# and its sleep(60) before the first test removed. Nothing of LEBench is committed.
# Usage: scripts/lebench.sh [CPU]   (called by scripts/anchors.sh)
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
[ -x /opt/swift/usr/bin/swift ] && PATH="/opt/swift/usr/bin:$PATH"
cpu="${1:-$(taskset -cp $$ | sed 's/.*[,:-] *//')}"
mirror=/work/.mirror/LinuxPerfStudy+LEBench/repo
src="${LEBENCH_GIT:-$([ -d "$mirror" ] && echo "$mirror" || echo https://github.com/LinuxPerfStudy/LEBench)}"
iters="${LEBENCH_BASE_ITER:-100}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -d "$src" ]; then git --git-dir="$src" archive HEAD TEST_DIR | tar -x -C "$work"
else git clone -q --depth 1 "$src" "$work/clone" && mv "$work/clone/TEST_DIR" "$work/"; fi
sed -i "s/^#define BASE_ITER 10000\$/#define BASE_ITER $iters/; s/^\tsleep(60);/\t\/* sleep(60) removed by scripts\/lebench.sh *\//" "$work/TEST_DIR/OS_Eval.c"
grep -q "^#define BASE_ITER $iters\$" "$work/TEST_DIR/OS_Eval.c" || { echo "lebench.sh: OS_Eval.c has no BASE_ITER 10000 line to edit" >&2; exit 1; }
make -s -C "$work/TEST_DIR" >&2
swift build -c release --product syscost >&2
os_eval() {  # one OS_Eval run on $cpu; its CSV to $1
  (cd "$work/TEST_DIR" && LEBENCH_DIR="$work/" taskset -c "$cpu" ./OS_Eval 0 syscost > "$work/os_eval.log" 2>&1)
  mv "$work/output.syscost.csv" "$1"
}
echo "LEBench OS_Eval (BASE_ITER $iters) and syscost --preset lebench on CPU $cpu, A B A" >&2
start=$(date +%s)
os_eval "$work/before.csv"
.build/release/syscost run --preset lebench --cpu "$cpu" --format json --output "$work/syscost.json" 2> "$work/syscost.log"
os_eval "$work/after.csv"
.build/release/syscost list --lebench --format json > "$work/map.json"
echo "LEBench beside syscost on CPU $cpu ($(($(date +%s) - start)) s in all), ns:"
python3 scripts/lebench_table.py "$work/map.json" "$work/before.csv" "$work/syscost.json" "$work/after.csv"
# Why fork differs: syscost forks its lean twin, a small Swift process; a C process forks as
# fast as LEBench's until it holds what that twin holds (RssAnon and mappings, read here).
gcc -O2 -o "$work/fork_size" scripts/reference/fork_size.c
twin_rss=$(awk '/^RssAnon/ { print $2 }' /proc/self/status)  # a floor, replaced below when the twin is seen
.build/release/syscost run lifecycle/fork/parent --cpu "$cpu" --rounds 400 > /dev/null 2>&1 &
runner=$!
for _ in $(seq 50); do
  twin=$(pgrep -x -P "$runner" syscost | head -1 || true)
  [ -n "$twin" ] && [ -r "/proc/$twin/status" ] && break
  sleep 0.1
done
if [ -n "${twin:-}" ]; then
  twin_rss=$(awk '/^RssAnon/ { print $2 }' "/proc/$twin/status"); twin_maps=$(wc -l < "/proc/$twin/maps")
fi
kill "$runner" 2>/dev/null || true; wait "$runner" 2>/dev/null || true
echo "syscost's lean twin: RssAnon ${twin_rss} kB in ${twin_maps:-?} mappings; a C process holding as much:"
"$work/fork_size" "$cpu" "${twin_maps:-100}" "$twin_rss"
