#!/usr/bin/env bash
# Checks RUN/report/index.html as a reader would see it: every <img> source exists, nothing points at the
# network (http:// or https://), and headless Chromium renders it to a screenshot that is not blank.
# Usage: scripts/check-report.sh RUN [SCREENSHOT.png]   (default screenshot: a new file under /tmp)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ $# -lt 1 ]; then echo "usage: $0 RUN [SCREENSHOT.png]" >&2; exit 2; fi
report="$1/report"
index="$report/index.html"
shot="${2:-$(mktemp /tmp/quanta-report-XXXXXX.png)}"
fail() { echo "check-report: $*" >&2; exit 1; }

[ -f "$index" ] || fail "$index is missing: run quanta report --run $1 first"
if grep -qiE 'https?://' "$index"; then
  fail "$index refers to the network: $(grep -oiE 'https?://[^"<> ]*' "$index" | head -3 | tr '\n' ' ')"
fi
images=0
while IFS= read -r src; do
  [ -n "$src" ] || continue
  [ -s "$report/$src" ] || fail "$index shows <img src=\"$src\"> but $report/$src is missing or empty"
  images=$((images + 1))
done < <(grep -oE '<img [^>]*src="[^"]*"' "$index" | sed -E 's/.*src="([^"]*)"/\1/')

browser=""
for b in chromium chromium-browser google-chrome; do
  if command -v "$b" >/dev/null 2>&1; then browser="$b"; break; fi
done
[ -n "$browser" ] || fail "no headless Chromium found (chromium, chromium-browser or google-chrome): run ./setup.sh, which installs the 'chromium' package"
flags=(--headless --disable-gpu --hide-scrollbars --window-size=1280,2400 --user-data-dir="$(mktemp -d)")
if [ "$(id -u)" -eq 0 ]; then flags+=(--no-sandbox); fi
rm -f "$shot"
timeout 120 "$browser" "${flags[@]}" --screenshot="$shot" "file://$(cd "$report" && pwd)/index.html" >/dev/null 2>&1 || true
[ -s "$shot" ] || fail "$browser wrote no screenshot of $index"
read -r width height colours dominant < <(python3 "$here/png_stats.py" "$shot")
if [ "$colours" -lt 8 ] || awk -v d="$dominant" 'BEGIN { exit !(d > 0.99) }'; then
  fail "the screenshot $shot is blank ($colours colours, ${dominant} of pixels one colour)"
fi
echo "check-report: ok: $images images, no network references, screenshot $shot (${width}x${height}, $colours colours, dominant colour ${dominant})"
