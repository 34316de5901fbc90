#!/usr/bin/env bash
# The one optimised build of syscost that run-matrix.sh, package.sh and kernel-matrix.sh use:
# release, the Swift runtime linked in (a binary that runs where no Swift is installed), in
# .build-static, apart from .build (which a running `swift test` holds). SwiftPM refuses a
# second build of the same tree while one runs ("database is locked"), so the build holds a
# lock of its own, .build/optimised-build.lock (not the tree's .lock, which SwiftPM takes
# itself): a second caller waits for the first, then finds it up to date.
#   bash scripts/build-optimised.sh [SWIFT BUILD ARGS…]   (e.g. --show-bin-path)
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
[ -x /opt/swift/usr/bin/swift ] && PATH="/opt/swift/usr/bin:$PATH"
mkdir -p .build
exec flock .build/optimised-build.lock swift build -c release --static-swift-stdlib --scratch-path .build-static --product syscost "$@"
