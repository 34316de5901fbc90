#!/usr/bin/env bash
# Installs what syscost needs on Debian 12 that is not there yet, and nothing when all is.
# Swift 6 itself is expected on PATH (or at /opt/swift/usr/bin).
set -euo pipefail

packages=(
  libpfm4-dev   # perf counters by event name (libpfm4)
  linux-perf    # perf bench: the anchor the README compares against
  gcc           # builds the plain C reference loops in scripts/reference
  prometheus    # promtool (lint, rule tests) and the server of the end-to-end fleet test
  prometheus-node-exporter  # its textfile collector reads --format openmetrics (the fleet test)
  libbenchmark-tools        # google/benchmark's tools/compare.py: the tests read --format google-benchmark with it
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Debian starts a server it installs, listening on every interface (prometheus :9090,
  # node_exporter :9100). The tests start their own on loopback: stop and disable the ones this
  # script's install started, so the machine has no new listener. Servers that were there
  # before are not touched.
  if [ -d /run/systemd/system ]; then
    for service in prometheus prometheus-node-exporter; do
      if [[ " ${missing[*]} " == *" $service "* ]]; then
        echo "setup: stopping and disabling the $service service Debian started (the tests run their own)" >&2
        systemctl disable --now "$service" >/dev/null 2>&1 || true
      fi
    done
  fi
fi

# The tests validate reports against docs/report-schema.json with jsonschema; compare.py needs
# numpy and scipy. All three from PyPI, into the python3 on PATH (the one the tests run).
for module in jsonschema numpy scipy; do
  if ! python3 -c "import $module" 2>/dev/null; then
    echo "setup: installing the $module Python package" >&2
    python3 -m pip install -q "$module" >/dev/null
  fi
done

if ! command -v swift >/dev/null 2>&1; then
  if [ -x /opt/swift/usr/bin/swift ]; then
    echo 'setup: swift is at /opt/swift/usr/bin; add it to PATH' >&2
  else
    echo 'setup: Swift 6 is not installed (https://www.swift.org/install/linux/)' >&2
  fi
  exit 1
fi
