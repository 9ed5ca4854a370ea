#!/usr/bin/env bash
# Synthesize every example with the cdktf CLI (the path a user takes) into OUT (default cdktf.out/examples).
# Usage: scripts/synth-examples.sh [OUT]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-cdktf.out/examples}
export CHECKPOINT_DISABLE=1 CI=${CI:-true}
rm -rf "$out" && mkdir -p "$out"
for main in examples/*/main.ts; do
  name=$(basename "$(dirname "$main")")
  start=$(date +%s.%N)
  npx cdktf synth --app "npx tsx $main" --output "$out/$name" >/dev/null
  printf 'synth %-16s %.1f s\n' "$name" "$(echo "$(date +%s.%N) - $start" | bc)"
done
