#!/usr/bin/env bash
# The QDG envelope slope and its bootstrap interval against N (issue 20), with QDG's default k list and
# reference k, which scale with N (k × N/10,000; fitted ranks N/100 to N/15; reference k N/25):
#   - the largest shared model (pythia8k-h128-l4-step1200) on ../shared's held-out text (mixed-heldout +
#     lambada-test) at N = 2,000, 5,000, 10,000, 20,000 and all its selected tokens (above the dense limit:
#     nearest-neighbour QDG, beside the dense method on a 10,000 subsample);
#   - the embedded default (the same model in models/ on data/'s demo corpus) at the same N, up to all its
#     selected tokens.
# Tokens below 0.693 nats are selected, as configs/demo.json does. Prints a table and writes it to
# bench/results/qdg-slope-vs-n.md.
#   scripts/qdg-slope-vs-n.sh [WORK_FOLDER]    (default: a temporary folder, removed at the end)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/quanta-cli.sh
work=${1:-$(mktemp -d)}

# base FOLDER TOKENIZER CHECKPOINT CORPUS_FILE...: ingest, export and infer once (kept across runs of the script).
base() {
  local folder=$1 tokenizer=$2 checkpoint=$3; shift 3
  if [ ! -f "$folder/infer.done" ]; then
    rm -rf "$folder" && mkdir -p "$folder/corpus"
    ln -sf "$@" "$folder/corpus/"
    quanta ingest --corpus "$folder/corpus" --tokenizer "$tokenizer" --out "$folder" --context-length 256 > /dev/null
    quanta export --checkpoint "$checkpoint" --out "$folder/models" > /dev/null
    quanta infer --run "$folder" > /dev/null
    touch "$folder/infer.done"
  fi
}
base "$work/heldout" "$shared/tokenizers/pythia-8k/tokenizer.json" "$shared/models/$model" "$shared/corpora/mixed-heldout.jsonl" "$shared/corpora/lambada-test.jsonl"
base "$work/demo" "$root/models/pythia-8k-tokenizer/tokenizer.json" "$root/models/pythia8k/$model" "$root/data/demo-corpus.jsonl"

table=$(mktemp)
{
  echo "| corpus | N asked | N selected | envelope slope [95% interval] | width | fitted ranks | largest k | reference k | similarity | gradients | decompose |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
} > "$table"
# measure CORPUS_NAME BASE N [DECOMPOSE_ARGUMENT...]
measure() {
  local name=$1 from=$2 n=$3; shift 3
  local run="$work/$name-n$n${1:+-alt}"
  rm -rf "$run" && mkdir -p "$run"
  for x in tokens documents models losses ingest.json; do cp -r "$from/$x" "$run/"; done
  local start mid end
  start=$(date +%s)
  quanta gradients --run "$run" --model "$model" --max-loss 0.693 --n "$n" --seed 0 > "$run.gradients.log"
  mid=$(date +%s)
  quanta decompose --run "$run" --resamples 1000 "$@" > "$run.decompose.log"
  end=$(date +%s)
  python3 - "$run/decompose/summary.json" "$model" "$name" "$n" $((mid - start)) $((end - mid)) >> "$table" <<'PY'
import json, sys
path, model, name, n, grad, dec = sys.argv[1:]
m = json.load(open(path))["qdg"]["models"][model]
s = m["envelope_slope"]
lo, hi = s["ci"]
ranks = m["envelope_rank_range"]
sub = m.get("dense_subsample")
similarity = "dense" if sub is None else (f"nearest neighbours (dense on a {sub['samples']:,} subsample: {sub['envelope_slope']:.3f} "
    f"[{sub['envelope_slope_ci'][0]:.3f}, {sub['envelope_slope_ci'][1]:.3f}] over ranks {sub['envelope_rank_range'][0]}–{sub['envelope_rank_range'][1]})")
print(f"| {name} | {int(n):,} | {m['samples']:,} | {s['value']:.3f} [{lo:.3f}, {hi:.3f}] | {hi - lo:.2f} | {ranks[0]}–{ranks[1]} | {max(m['ks']):,} | {m['reference_k']:,} | {similarity} | {grad} s | {dec} s |")
PY
}
# sweep CORPUS_NAME BASE: N = 2,000 … 20,000, then all selected tokens (up to 100,000), stopping once every one is taken.
sweep() {
  for n in 2000 5000 10000 20000 100000; do
    measure "$1" "$2" "$n"
    tail -1 "$table" | awk -F'|' '{ gsub(/[ ,]/, "", $3); gsub(/[ ,]/, "", $4); exit !($4 + 0 < $3 + 0) }' && break
  done
}
sweep held-out "$work/heldout"
# The nearest-neighbour method where the dense one also runs: held-out N = 20,000 with the dense limit at 10,000.
measure held-out "$work/heldout" 20000 --dense-limit 10000
sweep demo "$work/demo"

out="$root/bench/results/qdg-slope-vs-n.md"
{
  echo "# QDG envelope slope against N ($(date -u +%Y-%m-%d), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
  echo
  echo "Regenerate: \`scripts/qdg-slope-vs-n.sh\`. Model $model; held-out: ../shared's mixed-heldout + lambada-test; demo: the embedded default (models/ + data/); 256-token documents, tokens below 0.693 nats (N asked: \`quanta gradients --n\`), QDG's default k list and reference k (both scale with N), 200 bootstrap resamples of the envelope. The second held-out row at N = 20,000 ran with \`--dense-limit 10000\`: the nearest-neighbour method where the dense one also runs."
  echo
  cat "$table"
} > "$out.tmp" && mv "$out.tmp" "$out"
cat "$out"
[ -n "${1:-}" ] || rm -rf "$work"
