#!/usr/bin/env bash
# Installs what QuantaProbe needs on a fresh Debian/Ubuntu machine, then restores and builds.
# Needs: Debian packages and NuGet reachable. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")"

SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi

apt_install() {
  if command -v apt-get >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
  else
    echo "setup: please install: $*" >&2
  fi
}

# ICU: string normalization (the tokenizer's NFC) needs it; .NET runs without it only in invariant mode.
if ! ldconfig -p 2>/dev/null | grep -q libicuuc; then
  $SUDO apt-get update -qq >/dev/null 2>&1 || true
  apt_install libicu-dev
fi

# Fonts for the report's figures (ScottPlot/SkiaSharp draw text with DejaVu Sans) and fontconfig to find them.
if ! fc-list 2>/dev/null | grep -qi 'DejaVu Sans'; then
  $SUDO apt-get update -qq >/dev/null 2>&1 || true
  apt_install fontconfig fonts-dejavu-core || echo "setup: could not install fontconfig fonts-dejavu-core: report figures may have no text" >&2
fi

# Headless Chromium for scripts/check-report.sh and its test (a screenshot of report/index.html).
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1 && ! command -v google-chrome >/dev/null 2>&1; then
  $SUDO apt-get update -qq >/dev/null 2>&1 || true
  apt_install chromium || echo "setup: could not install the 'chromium' package (apt-get install chromium): scripts/check-report.sh and its test need a headless Chromium; install one by hand" >&2
fi

if ! command -v dotnet >/dev/null 2>&1 || ! dotnet --list-sdks | grep -q '^10\.'; then
  $SUDO apt-get update -qq >/dev/null 2>&1 || true
  apt_install dotnet-sdk-10.0 || true
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "setup: the .NET 10 SDK is required (https://dotnet.microsoft.com/download, or the 'dotnet-sdk-10.0' package)" >&2
    exit 1
  fi
fi

dotnet restore QuantaProbe.sln --verbosity quiet
dotnet build QuantaProbe.sln -c Release --no-restore --verbosity quiet -nologo
echo "setup: ok ($(dotnet --version))"
