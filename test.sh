#!/usr/bin/env bash
# Runs the whole test suite (it reads ../shared beside the repository) and ends with one
# 'N passed, N failed' line.
set -uo pipefail
cd "$(dirname "$0")"
log=$(mktemp)
dotnet test QuantaProbe.sln -c Release --nologo --verbosity quiet 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
echo "$passed passed, $failed failed"
if [ "$rc" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then exit 1; fi
