#!/usr/bin/env bash
# The README's test command: install what is missing, build once, run the test tiers.
#   bash scripts/test.sh [unit|cli|integration|measuring]...   (default: all four)
# unit         SysCostStatisticsTests, SysCostAnalysisTests: pure (saved reports, fixtures, the
#              schema); no benchmark is measured
# cli          SysCostCLITests: the CLI against hostile input, failed writes and signals; no
#              figure is asserted
# integration  SysCostIntegrationTests: the .deb (built once: the three scripts that build an
#              optimised syscost share .build-static), the fleet through Prometheus, the kernel
#              matrix's usage, every command of README.md and docs/; no figure is asserted
# measuring    SysCostTests: runs of syscost whose figures are asserted, one test at a time
#              (--no-parallel), so no two measure at once
# The tiers that assert no figure run first, together and in parallel (one `swift test`); the
# measuring tier runs after them, alone. docs/testing.md says what each holds and its time.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
[ -x /opt/swift/usr/bin/swift ] && PATH="/opt/swift/usr/bin:$PATH"
tiers=("$@")
[ ${#tiers[@]} -gt 0 ] || tiers=(unit cli integration measuring)
parallel=()
measuring=no
for tier in "${tiers[@]}"; do
  case "$tier" in
    unit) parallel+=('SysCostStatisticsTests\.' 'SysCostAnalysisTests\.') ;;
    cli) parallel+=('SysCostCLITests\.') ;;
    integration) parallel+=('SysCostIntegrationTests\.') ;;
    measuring) measuring=yes ;;
    *) echo "test.sh: unknown tier '$tier' (unit, cli, integration, measuring)" >&2; exit 2 ;;
  esac
done
bash scripts/setup.sh
# The integration tier needs the optimised build (the .deb, run-matrix.sh, kernel-matrix.sh):
# started now, beside the tests' build, it is mostly made by the time a test asks for it
# (the tests' call waits on its lock, then finds it up to date; a failure shows there).
if [[ " ${tiers[*]} " == *" integration "* ]]; then
  mkdir -p .build
  bash scripts/build-optimised.sh >.build/optimised-build.log 2>&1 &
fi
swift build --build-tests
failed=()
# run NAME SWIFT-TEST-ARGS…: one pass, its time and status said on stderr.
run() {
  local name=$1 start status=0
  shift
  echo "test.sh: $name" >&2
  start=$(date +%s)
  swift test --skip-build "$@" || status=$?
  echo "test.sh: $name took $(( $(date +%s) - start )) s, exit $status" >&2
  [ "$status" -eq 0 ] || failed+=("$name")
}
if [ ${#parallel[@]} -gt 0 ]; then
  filter=$(IFS='|'; echo "${parallel[*]}")
  run "the tiers that assert no figure ($filter)" --filter "$filter"
fi
[ "$measuring" = no ] || run "the measuring tier" --no-parallel --filter 'SysCostTests\.'
if [ ${#failed[@]} -gt 0 ]; then
  echo "test.sh: failed: ${failed[*]}" >&2
  exit 1
fi
