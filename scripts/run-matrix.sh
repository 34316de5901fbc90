#!/usr/bin/env bash
# The README's benchmark command: install what is missing, build optimised, run the default
# matrix (every suite). Arguments go to `syscost run` (patterns, --quick, --cpu N, ...).
# The JSON report goes to $SYSCOST_OUTPUT (default .build/last-run.json).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /opt/swift/usr/bin/swift ] && PATH="/opt/swift/usr/bin:$PATH"
bash scripts/setup.sh
swift build -c release --product syscost >&2
output="${SYSCOST_OUTPUT:-.build/last-run.json}"
exec .build/release/syscost run --output "$output" "$@"
