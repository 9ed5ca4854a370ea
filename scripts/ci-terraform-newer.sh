#!/usr/bin/env bash
# Validate the Terraform of the cdktn flavour (@cdktn/provider-databricks, which pins provider 1.132.0)
# against the real Databricks provider 1.128.0, offline: the examples that use resources newer than 1.99
# plus scripts/tf/fixtures-ts/newer-resources.ts (native databricks_grant model_service / mcp_service,
# databricks_permissions database_project_name / knowledge_assistant_id / supervisor_agent_id, app
# resources postgres and uc_securable TABLE), synthesized under cdktn through scripts/engine-alias.cjs.
#
# Why 1.128.0 and not 1.132.0: the source of provider 1.132.0 is not available here (no vendored tarball,
# and the Go module proxy does not serve it); 1.128.0 is the newest vendored source. Each stack is copied
# and its required_providers.databricks.version pin is rewritten from 1.132.0 to 1.128.0 in the copy
# (the synthesized output is not changed). Everything these stacks use exists in 1.128.0.
#
# Provider 1.128 reads GET /.well-known/databricks-config during plan (host metadata discovery), so the
# API recorder allows exactly that path (validate-stacks.sh --allow-api-path); any other request fails.
# Last line: "ci-terraform-newer: passed" (exit 0), else non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export CHECKPOINT_DISABLE=1 CI=${CI:-true}
export DATABRICKS_PROVIDER_VERSION=1.128.0
bound=1.132.0
examples=(unity-gateway agent-bricks health-monitor-app genie-mcp-app)
allow_path=/.well-known/databricks-config
t0=$SECONDS

if ! cli_config=$(scripts/tf/build-provider.sh | tail -n 1); then
  echo "ci-terraform-newer: could not build provider databricks $DATABRICKS_PROVIDER_VERSION (see the [tf] lines above)." >&2
  echo "  Expected ../shared/vendor/terraform-provider-databricks-$DATABRICKS_PROVIDER_VERSION.tar.gz beside the repository," >&2
  echo "  or DATABRICKS_PROVIDER_TARBALL=<file> / scripts/tf/build-provider.sh --src <checkout>." >&2
  exit 1
fi
echo "ci-terraform-newer: provider $DATABRICKS_PROVIDER_VERSION ready in $((SECONDS - t0)) s (CLI config $cli_config)"

out=$(mktemp -d "${TMPDIR:-/tmp}/dba-newer.XXXXXX")
trap 'rm -rf "$out"' EXIT
mkdir -p "$out/synth" "$out/logs" "$out/tf"
# Under cdktn: the preload maps cdktf -> cdktn and @cdktf/provider-databricks -> @cdktn/provider-databricks.
alias_opts="--require \"$root/scripts/engine-alias.cjs\""
t1=$SECONDS
synth() { # example
  local start=$SECONDS
  if npx cdktf synth --app "env NODE_OPTIONS='$alias_opts' npx tsx examples/$1/main.ts" \
    --output "$out/synth/$1" >"$out/logs/$1.log" 2>&1; then
    echo "synth cdktn $1 $((SECONDS - start)) s"
  else
    echo "synth cdktn $1 FAILED:" >&2
    sed 's/^/  /' "$out/logs/$1.log" >&2
    return 1
  fi
}
pids=()
for name in "${examples[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "${JOBS:-2}" ]; do wait -n || true; done
  synth "$name" &
  pids+=($!)
done
CDKTF_OUTDIR="$out/synth/newer-resources" NODE_OPTIONS="--require $root/scripts/engine-alias.cjs" \
  npx tsx scripts/tf/fixtures-ts/newer-resources.ts >"$out/logs/newer-resources.log" 2>&1 ||
  { sed 's/^/  /' "$out/logs/newer-resources.log" >&2; echo "ci-terraform-newer: fixture synth failed" >&2; exit 1; }
for pid in "${pids[@]}"; do wait "$pid" || { echo "ci-terraform-newer: a synth failed" >&2; exit 1; }; done
echo "ci-terraform-newer: synth (cdktn) $((SECONDS - t1)) s"

# Copy each stack, check the pin is the bound provider's and the newer shapes are there, rewrite the pin.
node scripts/tf/rewrite-pin.cjs "$out/synth" "$out/tf" "$bound" "$DATABRICKS_PROVIDER_VERSION"
echo "ci-terraform-newer: pin rewritten $bound -> $DATABRICKS_PROVIDER_VERSION in $(find "$out/tf" -name cdk.tf.json | wc -l) stack copies"

t2=$SECONDS
scripts/tf/validate-stacks.sh --record-api --allow-api-path "$allow_path" "$out/tf" | tee "$out/validate.out"
tail -n 1 "$out/validate.out" | grep -Eq '^stacks: [1-9][0-9]* passed, 0 failed$' || { echo "ci-terraform-newer: failed" >&2; exit 1; }
echo "ci-terraform-newer: validate + plan $((SECONDS - t2)) s"

# Control: the allowance hides nothing else. fixtures/api-probe (a data source: plan calls /Me), pinned to
# 1.128.0 in a copy, must still fail with the /Me request reported.
mkdir -p "$out/probe"
cp -r scripts/tf/fixtures/api-probe "$out/probe/"
sed -i.bak 's/"version": "1\.99\.0"/"version": "'"$DATABRICKS_PROVIDER_VERSION"'"/' "$out/probe/api-probe/cdk.tf.json"
rm -f "$out/probe/api-probe/cdk.tf.json.bak"
if scripts/tf/validate-stacks.sh --record-api --allow-api-path "$allow_path" "$out/probe/api-probe" >"$out/probe.log" 2>&1 ||
  ! grep -Eq 'api: .*"GET".*/api/2\.0/preview/scim/v2/Me' "$out/probe.log"; then
  cat "$out/probe.log" >&2
  echo "ci-terraform-newer: control failed: api-probe must fail on GET /Me despite --allow-api-path" >&2
  exit 1
fi
echo "ci-terraform-newer: control api-probe (provider $DATABRICKS_PROVIDER_VERSION) fails on GET /Me as it must"
echo "ci-terraform-newer: total $((SECONDS - t0)) s"
echo "ci-terraform-newer: passed"
