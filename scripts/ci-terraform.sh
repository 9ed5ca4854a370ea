#!/usr/bin/env bash
# Validate every example stack against the real Databricks provider 1.99.0, offline:
# build (or reuse) the provider, synthesize the examples, terraform init + validate + plan each,
# prove a broken fixture fails, and run `cdktf diff` on the default example.
set -euo pipefail
cd "$(dirname "$0")/.."
export CHECKPOINT_DISABLE=1
t0=$SECONDS
if ! cli_config=$(scripts/tf/build-provider.sh | tail -n 1); then
  echo "ci-terraform: could not build provider databricks 1.99.0." >&2
  echo "  The Go module proxy does not serve v1.99.0; pass the provider source once:" >&2
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
echo "ci-terraform: total $((SECONDS - t0)) s"
