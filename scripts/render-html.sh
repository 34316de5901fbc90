#!/usr/bin/env bash
# Renders a syscost HTML report in headless Chromium (Debian's `chromium`) to a PNG, and
# checks that the page asks for nothing from the network: no external reference in the file,
# and no request initiated by the page in Chromium's own network log (Chromium's background
# requests, which have no page as initiator, are ignored).
#   scripts/render-html.sh REPORT.html OUT.png [HEIGHT]
set -euo pipefail
[[ $# -ge 2 && -f $1 ]] || { echo "usage: scripts/render-html.sh REPORT.html OUT.png [HEIGHT] (REPORT.html must exist)" >&2; exit 2; }
html=$(realpath "$1"); png=$2; height=${3:-3000}
command -v chromium >/dev/null || apt-get install -y --no-install-recommends chromium >/dev/null
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

# 1. Nothing in the file points outside it.
if grep -Eion '<script|<link|<img|<iframe|@import|url\(|(src|href)=' "$html" | head -5 | grep .; then
    echo "render-html: $1 refers to something outside itself (above)" >&2; exit 1
fi

# 2. Render; log the network and the console.
timeout 180 chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --disable-default-apps \
    --user-data-dir="$work/profile" --log-net-log="$work/netlog.json" --enable-logging=stderr --v=0 \
    --window-size=1280,"$height" --screenshot="$png" "file://$html" >"$work/out" 2>"$work/err" || {
    cat "$work/err" >&2; echo "render-html: chromium failed" >&2; exit 1; }
test -s "$png" || { echo "render-html: no screenshot written" >&2; exit 1; }
if grep -E 'Refused to|Content Security Policy' "$work/err"; then
    echo "render-html: the page tried to load something (above)" >&2; exit 1
fi

# 3. No request that the page initiated (its initiator is the file's opaque origin).
python3 - "$work/netlog.json" <<'PY'
import json, sys
log = json.load(open(sys.argv[1]))
page = set()
for event in log["events"]:
    p = event.get("params", {})
    if "url" in p and p.get("initiator") not in (None, "not an origin") and not p["url"].startswith(("file:", "data:")):
        page.add((p["url"], p["initiator"]))
if page:
    for url, initiator in sorted(page): print(f"render-html: the page requested {url} (initiator {initiator})", file=sys.stderr)
    sys.exit(1)
print("render-html: no request left the page")
PY
echo "render-html: wrote $png"
