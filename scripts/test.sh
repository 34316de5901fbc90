#!/usr/bin/env bash
# The README's test command: install what is missing, build once, run the test tiers.
#   bash scripts/test.sh [unit|measuring|integration]...    (default: all three, in this order)
# unit         SysCostStatisticsTests and SysCostAnalysisTests: pure (saved reports, fixtures,
#              the schema), in parallel; no benchmark is measured
# measuring    SysCostTests: runs of syscost on this machine, one test at a time (--no-parallel),
#              so no two measure at once
# integration  SysCostIntegrationTests: the .deb (built once, here), the fleet through
#              Prometheus, the kernel matrix's usage, every command of README.md and docs/;
#              one test at a time
# docs/testing.md says what each holds and how long each takes.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
[ -x /opt/swift/usr/bin/swift ] && PATH="/opt/swift/usr/bin:$PATH"
tiers=("$@")
[ ${#tiers[@]} -gt 0 ] || tiers=(unit measuring integration)
for tier in "${tiers[@]}"; do
  case "$tier" in
    unit|measuring|integration) ;;
    *) echo "test.sh: unknown tier '$tier' (unit, measuring, integration)" >&2; exit 2 ;;
  esac
done
bash scripts/setup.sh
swift build --build-tests
failed=()
for tier in "${tiers[@]}"; do
  case "$tier" in
    unit)        args=(--filter 'SysCostStatisticsTests\.|SysCostAnalysisTests\.') ;;
    measuring)   args=(--no-parallel --filter 'SysCostTests\.') ;;
    integration) args=(--no-parallel --filter 'SysCostIntegrationTests\.') ;;
  esac
  echo "test.sh: the $tier tier" >&2
  start=$(date +%s)
  status=0
  swift test --skip-build "${args[@]}" || status=$?
  echo "test.sh: the $tier tier took $(( $(date +%s) - start )) s, exit $status" >&2
  [ "$status" -eq 0 ] || failed+=("$tier")
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "test.sh: failed: ${failed[*]}" >&2
  exit 1
fi
