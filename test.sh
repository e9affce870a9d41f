#!/usr/bin/env bash
# Runs the test suite (it reads ../shared beside the repository) and ends with one
# 'N passed, N failed' line.
#   ./test.sh          every test (what CI runs)
#   ./test.sh --fast   the edit loop: tests traited tier=fast (no browser, no namespaces; under 2 minutes)
# Other arguments go to `dotnet test`, e.g. ./test.sh --filter "tier=slow&needs=browser".
set -uo pipefail
cd "$(dirname "$0")"
args=()
for a in "$@"; do
  if [ "$a" = "--fast" ]; then args+=(--filter "tier=fast"); else args+=("$a"); fi
done
log=$(mktemp)
# The console logger at minimal prints each failure's message and stack (quiet would drop them).
dotnet test QuantaProbe.sln -c Release --nologo --verbosity quiet --logger "console;verbosity=minimal" "${args[@]}" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
echo "$passed passed, $failed failed"
if [ "$rc" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then exit 1; fi
