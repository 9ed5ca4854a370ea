#!/usr/bin/env bash
# Synthesize every example twice with the cdktf CLI (the path of scripts/synth-examples.sh): once as
# written (cdktf 0.21 + @cdktf/provider-databricks) and once with the app run under cdktn through the
# preload scripts/engine-alias.cjs (cdktn 0.24 + @cdktn/provider-databricks, ENGINE_NAME "cdktn"; the
# preload refuses to load any cdktf module). Then compare the two trees file by file
# (test/engines/compare-outputs.ts): JSON-equal apart from the engine and provider version strings.
# Usage: scripts/compare-engines.sh [OUT]   (default cdktf.out/engines; JOBS=n synths at a time, default
# the number of cores; CDKTN_NODE=<bin dir> runs the cdktn app with that Node.js first on PATH, e.g.
# CDKTN_NODE="$(scripts/node-runtime.sh)", since @cdktn/provider-databricks declares node >= 22.11)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=${1:-cdktf.out/engines}
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
export CHECKPOINT_DISABLE=1 CI=${CI:-true}
rm -rf "$out" && mkdir -p "$out/cdktf" "$out/cdktn" "$out/logs"
report=$root/$out/alias-report.jsonl
case "$out" in /*) report=$out/alias-report.jsonl ;; esac
: >"$report"

# The preload is given to the app command only, never to the CLI process.
alias_opts="--require \"$root/scripts/engine-alias.cjs\""

synth() { # engine example
  local engine=$1 main=examples/$2/main.ts app start
  app="npx tsx $main"
  if [ "$engine" = cdktn ]; then
    app="env NODE_OPTIONS='$alias_opts' DBA_ENGINE_ALIAS_REPORT='$report' $app"
    [ -n "${CDKTN_NODE:-}" ] && app="env PATH='$CDKTN_NODE':\"\$PATH\" $app"
  fi
  start=$(date +%s%N)
  if npx cdktf synth --app "$app" --output "$out/$engine/$2" >"$out/logs/$engine-$2.log" 2>&1; then
    printf 'synth %-5s %-16s %5.1f s\n' "$engine" "$2" "$(( ($(date +%s%N) - start) / 1000000 ))e-3"
  else
    printf 'synth %-5s %-16s FAILED; log %s:\n' "$engine" "$2" "$out/logs/$engine-$2.log"
    grep -v -e terraformrc -e '^[│╷╵]' -e 'problems with the CLI' "$out/logs/$engine-$2.log" | sed 's/^/  /'
    return 1
  fi
}

total=$(date +%s%N)
examples=()
for main in examples/*/main.ts; do examples+=("$(basename "$(dirname "$main")")"); done
for name in "${examples[@]}"; do
  for engine in cdktf cdktn; do
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
    synth "$engine" "$name" || touch "$out/logs/$engine-$name.failed" &
  done
done
wait
printf 'synth total %.1f s (%d at a time)\n' "$(( ($(date +%s%N) - total) / 1000000 ))e-3" "$jobs"
if compgen -G "$out/logs/*.failed" >/dev/null; then
  echo "compare-engines: a synth failed" >&2
  exit 1
fi

npx tsx test/engines/compare-outputs.ts "$out/cdktf" "$out/cdktn" "$report" "${examples[@]}"
