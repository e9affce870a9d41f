#!/usr/bin/env bash
# Peak memory of `quanta ingest` on a corpus and on the same corpus 8 times over (the second
# has 8x the documents): prints both peak RSS figures and their ratio, then re-runs the large
# one under a 192 MB GC heap limit, which only passes if live memory does not grow with the corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /usr/bin/time ] || { echo "bench: needs /usr/bin/time (Debian package: time)" >&2; exit 1; }
shared=${1:-../shared}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build src/Cli -c Release --verbosity quiet -nologo >/dev/null
quanta="dotnet src/Cli/bin/Release/net10.0/quanta.dll"
tokenizer="$shared/tokenizers/gpt-neox-20b/tokenizer.json"
cp "$shared/corpora/mixed-train.jsonl" "$work/x1.jsonl"
for _ in 1 2 3 4 5 6 7 8; do cat "$shared/corpora/mixed-train.jsonl"; done >"$work/x8.jsonl"
peak() { /usr/bin/time -f "%M" $quanta ingest --corpus "$1" --tokenizer "$tokenizer" --out "$2" 2>&1 >/dev/null | tail -1; }
p1=$(peak "$work/x1.jsonl" "$work/r1")
p8=$(peak "$work/x8.jsonl" "$work/r8")
echo "corpus x1: $(wc -l <"$work/x1.jsonl") documents, peak RSS ${p1} KB"
echo "corpus x8: $(wc -l <"$work/x8.jsonl") documents, peak RSS ${p8} KB"
awk -v a="$p1" -v b="$p8" 'BEGIN { printf "peak RSS ratio x8/x1: %.2f (documents ratio 8.00)\n", b / a }'
rm -rf "$work/r8"
if DOTNET_GCHeapHardLimit=0xC000000 $quanta ingest --corpus "$work/x8.jsonl" --tokenizer "$tokenizer" --out "$work/r8" >/dev/null 2>&1; then
  echo "corpus x8 under a 192 MB GC heap limit: completed"
else
  echo "corpus x8 under a 192 MB GC heap limit: FAILED"; exit 1
fi
