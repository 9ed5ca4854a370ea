#!/usr/bin/env bash
# Lay out the apply-harness fixtures as synthesized stacks: OUT/<fixture>/stacks/<stack>/cdk.tf.json.
# Hand-written fixtures (scripts/apply/fixtures/<name>/cdk.tf.json) are copied; cdktf apps
# (scripts/apply/fixtures/<name>/main.ts, built on the library in lib/) are run with tsx, the App
# writing into OUT/<name> (CDKTF_OUTDIR: what `cdktf synth --app ... --output` does, without the CLI's
# start-up; the cdktf CLI path is covered by scripts/synth-examples.sh and compare-engines.sh).
# Usage: scripts/apply/synth-fixtures.sh OUT [NAME...]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:?usage: synth-fixtures.sh OUT [NAME...]}"
shift
names=("$@")
if [[ ${#names[@]} -eq 0 ]]; then
  for d in "$here"/fixtures/*/; do names+=("$(basename "$d")"); done
fi
mkdir -p "$out"
out="$(cd "$out" && pwd)"
export CHECKPOINT_DISABLE=1 CI="${CI:-true}"
cd "$here/../.."
for name in "${names[@]}"; do
  src="$here/fixtures/$name"
  rm -rf "${out:?}/$name"
  start=$(date +%s.%N)
  if [[ -f "$src/main.ts" ]]; then
    mkdir -p "$out/$name"
    CDKTF_OUTDIR="$out/$name" npx tsx "$src/main.ts" >/dev/null
  elif [[ -f "$src/cdk.tf.json" ]]; then
    mkdir -p "$out/$name/stacks/$name"
    cp "$src/cdk.tf.json" "$out/$name/stacks/$name/"
  else
    echo "synth-fixtures: $src has neither main.ts nor cdk.tf.json" >&2
    exit 1
  fi
  printf 'fixture %-12s %.1f s\n' "$name" "$(echo "$(date +%s.%N) - $start" | bc)"
done
