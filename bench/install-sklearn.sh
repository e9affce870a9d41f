#!/usr/bin/env bash
# Installs scikit-learn (Debian's python3-sklearn) for the QDG benchmark's comparison and for
# regenerating tests/QuantaProbe.Tests/Fixtures/sklearn (the tests themselves do not need it).
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
if ! /usr/bin/python3 -c "import sklearn" 2>/dev/null; then
  $SUDO apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-sklearn >/dev/null
fi
/usr/bin/python3 -c "import sklearn; print('scikit-learn', sklearn.__version__)"
