#!/usr/bin/env bash
# The QDG envelope slope and its bootstrap interval at N = 2,000, 5,000, 10,000 and 20,000 gradients
# (issue 20): the largest shared model (pythia8k-h128-l4-step1200) on ../shared's held-out text
# (mixed-heldout + lambada-test), tokens below 1 bit selected as in configs/demo.json, the demo's QDG
# settings. Prints a table and writes it to bench/results/qdg-slope-vs-n.md.
#   scripts/qdg-slope-vs-n.sh [WORK_FOLDER]    (default: a temporary folder, removed at the end)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
shared="$root/../shared"
work=${1:-$(mktemp -d)}
dotnet build src/Cli -c Release --nologo -v q > /dev/null
quanta() { dotnet "$root/src/Cli/bin/Release/net10.0/quanta.dll" "$@"; }
mkdir -p "$work/corpus"
ln -sf "$shared/corpora/mixed-heldout.jsonl" "$shared/corpora/lambada-test.jsonl" "$work/corpus/"
model=pythia8k-h128-l4-step1200
base="$work/base"
if [ ! -f "$base/losses/model=$model/part-00001.parquet" ]; then
  quanta ingest --corpus "$work/corpus" --tokenizer "$shared/tokenizers/pythia-8k/tokenizer.json" --out "$base" --context-length 256 > /dev/null
  quanta export --checkpoint "$shared/models/$model" --out "$base/models" > /dev/null
  quanta infer --run "$base" > /dev/null
fi
table=$(mktemp)
{
  echo "| N | selected | envelope slope [95% interval] | fitted ranks | gradients | decompose |"
  echo "|---|---|---|---|---|---|"
} > "$table"
for n in 2000 5000 10000 20000; do
  run="$work/n$n"
  rm -rf "$run" && mkdir -p "$run"
  for x in tokens documents models losses ingest.json; do cp -r "$base/$x" "$run/"; done
  start=$(date +%s)
  quanta gradients --run "$run" --model "$model" --max-loss 0.693 --n "$n" --seed 0 > "$run.gradients.log"
  mid=$(date +%s)
  quanta decompose --run "$run" --k 10,20,30,40,50,60,80,100,125,150,200 --reference-k 100 --resamples 1000 > "$run.decompose.log"
  end=$(date +%s)
  python3 - "$run/decompose/summary.json" "$model" "$n" $((mid - start)) $((end - mid)) >> "$table" <<'PY'
import json, sys
path, model, n, grad, dec = sys.argv[1:]
m = json.load(open(path))["qdg"]["models"][model]
s = m["envelope_slope"]
ranks = m.get("envelope_rank_range") or m["settings"].get("rank_range")
print(f"| {int(n):,} | {m['samples']:,} | {s['value']:.3f} [{s['ci'][0]:.3f}, {s['ci'][1]:.3f}] | {ranks[0]}–{ranks[1]} | {grad} s | {dec} s |")
PY
done
out="$root/bench/results/qdg-slope-vs-n.md"
{
  echo "# QDG envelope slope against N ($(date -u +%Y-%m-%d), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
  echo
  echo "Regenerate: \`scripts/qdg-slope-vs-n.sh\`. Model $model, held-out text (mixed-heldout + lambada-test, 256-token documents), tokens below 0.693 nats, QDG k = 10…200, reference k 100, 200 bootstrap resamples of the envelope."
  echo
  cat "$table"
} > "$out.tmp" && mv "$out.tmp" "$out"
cat "$out"
[ -n "${1:-}" ] || rm -rf "$work"
