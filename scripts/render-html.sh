#!/usr/bin/env bash
# Renders a syscost HTML report in headless Chromium (Debian's `chromium`) to a PNG, and
# checks that the page asks for nothing from the network: no external reference in the file,
# and no request initiated by the page in Chromium's own network log (Chromium's background
# requests, which have no page as initiator, are ignored). The PNG holds the whole page: it is
# rendered in a window taller than the page (doubled until the page ends inside it), then
# cropped below the last row that is not background.
#   scripts/render-html.sh REPORT.html OUT.png
set -euo pipefail
[[ $# -eq 2 && -f $1 ]] || { echo "usage: scripts/render-html.sh REPORT.html OUT.png (REPORT.html must exist)" >&2; exit 2; }
html=$(realpath "$1"); png=$2
if ! command -v chromium >/dev/null; then
    echo "render-html: installing chromium" >&2
    apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
python3 -c 'import PIL' 2>/dev/null || { echo "render-html: installing pillow (to crop the page)" >&2; pip install -q pillow; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

# 1. Nothing in the file points outside it.
if grep -Eion '<script|<link|<img|<iframe|@import|url\(|(src|href)=' "$html" | head -5 | grep .; then
    echo "render-html: $1 refers to something outside itself (above)" >&2; exit 1
fi

# 2. Render; log the network and the console. A window taller than the page, then cropped.
height=8000
while :; do
    rm -f "$png"
    timeout 180 chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync --disable-default-apps \
        --user-data-dir="$work/profile" --log-net-log="$work/netlog.json" --enable-logging=stderr --v=0 \
        --window-size=1280,"$height" --screenshot="$png" "file://$html" >"$work/out" 2>"$work/err" || {
        cat "$work/err" >&2; echo "render-html: chromium failed" >&2; exit 1; }
    test -s "$png" || { echo "render-html: no screenshot written" >&2; exit 1; }
    # The last 40 rows blank: the page ended inside the window. Crop to its end and stop.
    if python3 - "$png" <<'PY'
import sys
from PIL import Image, ImageChops
img = Image.open(sys.argv[1]).convert("RGB")
box = ImageChops.difference(img, Image.new("RGB", img.size, img.getpixel((0, img.height - 1)))).getbbox()
bottom = (box[3] if box else 0) + 24
if bottom > img.height - 16: sys.exit(1)
img.crop((0, 0, img.width, bottom)).save(sys.argv[1])
print(f"render-html: page is {bottom} px tall", file=sys.stderr)
PY
    then break; fi
    (( height < 64000 )) || { echo "render-html: the page is taller than 64000 px; kept the first $height" >&2; break; }
    height=$((height * 2))
done
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
