#!/usr/bin/env bash
# The README's test command: install what is missing, then run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /opt/swift/usr/bin/swift ] && PATH="/opt/swift/usr/bin:$PATH"
bash scripts/setup.sh
# The .deb first (its release build in .build-package), so PackageTests finds it up to date
# instead of compiling beside the timing tests.
bash scripts/package.sh >/dev/null
swift build --build-tests
swift test "$@"
