#!/usr/bin/env bash
# The README's benchmark command: install what is missing, build optimised, run the default
# matrix (every suite). Arguments go to `syscost run` (patterns, --quick, --cpu N, ...).
# The JSON report goes to $SYSCOST_OUTPUT (default .build/last-run.json).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
[ -x /opt/swift/usr/bin/swift ] && PATH="/opt/swift/usr/bin:$PATH"
bash scripts/setup.sh
# The build's log goes to a file, shown only when the build fails: the first screen is the run's.
mkdir -p .build
# The optimised build tree package.sh and kernel-matrix.sh share (same flags): one build for all three.
echo "run-matrix: building syscost (release; log in .build/run-matrix-build.log)" >&2
if ! bash scripts/build-optimised.sh >.build/run-matrix-build.log 2>&1; then
  cat .build/run-matrix-build.log >&2
  exit 1
fi
output="${SYSCOST_OUTPUT:-.build/last-run.json}"
exec .build-static/release/syscost run --output "$output" "$@"
