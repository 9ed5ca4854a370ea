#!/usr/bin/env bash
# Validate every example stack against the real Databricks provider 1.99.0, offline:
# build (or reuse) the provider, synthesize the examples, terraform init + validate + plan each,
# prove a broken fixture fails, and run `cdktf diff` on the default example.
set -euo pipefail
cd "$(dirname "$0")/.."
export CHECKPOINT_DISABLE=1
t0=$SECONDS
# The Go module proxy does not serve v1.99.0: build-provider.sh builds it from the sha256-checked
# tarball in ../shared/vendor/ (or DATABRICKS_PROVIDER_TARBALL / DATABRICKS_PROVIDER_SRC); cached after.
if ! cli_config=$(scripts/tf/build-provider.sh | tail -n 1); then
  echo "ci-terraform: could not build provider databricks 1.99.0 (see the [tf] lines above)." >&2
  echo "  Expected ../shared/vendor/terraform-provider-databricks-1.99.0.tar.gz beside the repository;" >&2
  echo "  or set DATABRICKS_PROVIDER_TARBALL=<file>, or pass the source once:" >&2
  echo "  scripts/tf/build-provider.sh --src <checkout of databricks/terraform-provider-databricks>" >&2
  exit 1
fi
echo "ci-terraform: provider ready in $((SECONDS - t0)) s (CLI config $cli_config)"
out=$(mktemp -d "${TMPDIR:-/tmp}/dba-examples.XXXXXX")
trap 'rm -rf "$out"' EXIT
scripts/synth-examples.sh "$out"
stacks=()
for d in "$out"/*/stacks/*; do stacks+=("$d"); done
scripts/tf/validate-stacks.sh --record-api "${stacks[@]}"
scripts/tf/self-test.sh

# The check can fail on our own output too: a library stack broken through the escape hatch.
mkdir -p "$out/broken"
CDKTF_OUTDIR="$out/broken" npx tsx scripts/tf/fixtures-ts/broken-escape-hatch.ts
scripts/tf/validate-stacks.sh --expect-fail --expect-error 'workload_sizes' "$out/broken/stacks/broken-escape-hatch"

# The path a user takes: `cdktf diff` on the default example, offline, against the built provider.
t1=$SECONDS
TF_CLI_CONFIG_FILE=$cli_config DATABRICKS_HOST=https://placeholder.cloud.databricks.com \
  DATABRICKS_TOKEN=dapi-placeholder DATABRICKS_AUTH_TYPE=pat CI=true \
  npx cdktf diff --skip-provider-lock --output "$out/cdktf-diff" >"$out/diff.log" 2>&1 || { cat "$out/diff.log"; exit 1; }
summary=$(sed 's/\x1b\[[0-9;]*m//g' "$out/diff.log" | grep -Eo 'Plan: [0-9]+ to add, [0-9]+ to change, [0-9]+ to destroy' | head -n 1 || true)
[ -n "$summary" ] || { cat "$out/diff.log"; echo "ci-terraform: cdktf diff printed no plan" >&2; exit 1; }
echo "cdktf diff health-monitor: $summary"
echo "ci-terraform: cdktf diff $((SECONDS - t1)) s"
echo "ci-terraform: total $((SECONDS - t0)) s"
