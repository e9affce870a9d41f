#!/usr/bin/env bash
# Issue 20's real run at scale: the largest shared model (pythia8k-h128-l4-step1200) on all of ../shared's
# mixed-heldout, mixed-train and lambada-test (1.27M tokens), `quanta gradients --n 100000` of the tokens below
# 0.693 nats (every one of them: 71,952), then the qdg-real benchmark (decompose with QDG's defaults, then
# report, each in a child process) on that run folder. Writes bench/results/qdg-100k-gradients.md (time, disk
# and peak RSS of the gradients) and, through the benchmark, bench/results/qdg-real.md.
#   scripts/qdg-100k.sh [WORK_FOLDER]    (default: a temporary folder, removed at the end; ~3 GB)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/quanta-cli.sh
work=${1:-$(mktemp -d)}
run="$work/run"
if [ ! -f "$work/infer.done" ]; then
  rm -rf "$run" "$work/corpus" && mkdir -p "$work/corpus"
  ln -sf "$shared/corpora/mixed-heldout.jsonl" "$shared/corpora/mixed-train.jsonl" "$shared/corpora/lambada-test.jsonl" "$work/corpus/"
  quanta ingest --corpus "$work/corpus" --tokenizer "$shared/tokenizers/pythia-8k/tokenizer.json" --out "$run" --context-length 256 > /dev/null
  quanta export --checkpoint "$shared/models/$model" --out "$run/models" > /dev/null
  quanta infer --run "$run" > /dev/null
  touch "$work/infer.done"
fi
rm -rf "$run/gradients" "$run/decompose" "$run/report"
# GNU time gives the peak RSS where it is installed (apt: time); without it the row says so.
measure=()
[ -x /usr/bin/time ] && measure=(/usr/bin/time -v -o "$work/gradients.time")
start=$(date +%s)
"${measure[@]}" dotnet "$quanta_dll" gradients --run "$run" --model "$model" --max-loss 0.693 --n 100000 --seed 0 > "$work/gradients.log"
seconds=$(( $(date +%s) - start ))
folder="$run/gradients/model=$model"
selected=$(grep -oE '[0-9,]+ selected tokens' "$work/gradients.log" | head -1 | cut -d' ' -f1)
megabytes=$(du -sm "$folder" | cut -f1)
parts=$(ls "$folder"/part-*.parquet | wc -l)
peak="not measured (no /usr/bin/time)"
[ -f "$work/gradients.time" ] && peak="$(awk '/Maximum resident/ { printf "%.0f MiB", $NF / 1024 }' "$work/gradients.time")"
tokens=$(python3 -c "import json; print(f\"{json.load(open('$run/ingest.json'))['tokens']:,}\")")
out="$root/bench/results/qdg-100k-gradients.md"
{
  echo "# Gradients at scale ($(date -u +%Y-%m-%d), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
  echo
  echo "Regenerate: \`scripts/qdg-100k.sh\`. \`quanta gradients --n 100000 --max-loss 0.693 --seed 0\` of $model with sketches (the default K) on $tokens tokens of ../shared's mixed-heldout, mixed-train and lambada-test (256-token documents)."
  echo
  echo "| tokens below 0.693 nats, all selected | time | gradients/s | on disk | parts | peak RSS |"
  echo "|---|---|---|---|---|---|"
  python3 -c "n = int('$selected'.replace(',', '')); print(f'| {n:,} | $seconds s | {n / max($seconds, 1):.0f} | $megabytes MB | $parts | $peak |')"
} > "$out.tmp" && mv "$out.tmp" "$out"
cat "$out"
dotnet run -c Release --project bench/QuantaProbe.Bench -- qdg-real "$run"
[ -n "${1:-}" ] || rm -rf "$work"
