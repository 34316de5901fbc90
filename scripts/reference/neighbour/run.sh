#!/usr/bin/env bash
# What a busy neighbour vCPU changes (issue 27): probe measures kernel entry (getppid, ENOSYS)
# beside three user-space canaries (multiply chain, indirect branches, pointer chase) on CPU 1,
# while CPU 0 is idle or runs one kind of load: the shell loop of the guide, a tight spin, pause,
# a syscall loop, a memory walk, a branchy loop. Three passes, interleaved; p10 in TSC cycles.
set -euo pipefail
cd "$(dirname "$0")"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
gcc -O2 -o "$out/probe" probe.c
gcc -O2 -o "$out/hog" hog.c
for pass in 1 2 3; do
  for nb in idle sh spin pause syscall mem branchy; do
    pid=
    case $nb in
      idle) ;;
      sh) taskset -c 0 sh -c 'while :; do :; done' & pid=$! ;;
      *) taskset -c 0 "$out/hog" "$nb" & pid=$! ;;
    esac
    "$out/probe" 100 | awk -v nb=$nb -v p=$pass '{ printf "%s %-8s %-10s p10 %8.1f  median %8.1f\n", p, nb, $1, $2, $3 }'
    if [ -n "$pid" ]; then kill "$pid"; wait "$pid" 2>/dev/null || true; fi
  done
done
