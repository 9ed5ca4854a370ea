#!/usr/bin/env bash
# The MLflow contract, end to end, for every example:
#   1. synthesize each example (mlflow.json per stack: every endpoint's auth policy + metadata);
#   2. save a pyfunc model with each policy through real MLflow (python/roundtrip.py --all);
#   3. dba-check-auth-policy must accept every logged model (exit 0);
#   4. a tampered model (a table removed, a scope added) must be refused (exit 1) with both listed,
#      and a hand-edited model with api_version 1 (a number) must be an input error (exit 2).
set -euo pipefail
cd "$(dirname "$0")/.."
t0=$SECONDS
venv=$(scripts/python-setup.sh | tail -n 1)
export MLFLOW_DISABLE_TELEMETRY=true
out=$(mktemp -d "${TMPDIR:-/tmp}/dba-roundtrip.XXXXXX")
trap 'rm -rf "$out"' EXIT
check=(node bin/dba-check-auth-policy.js)

for main in examples/*/main.ts; do
  name=$(basename "$(dirname "$main")")
  mkdir -p "$out/synth/$name"
  CDKTF_OUTDIR="$out/synth/$name" npx tsx "$main" >/dev/null
  # An example with only Databricks Apps logs no model (its handoff is in apps.json; mlflow.json is {}).
  grep -qs '"auth_policy"' "$out/synth/$name"/stacks/*/mlflow.json || continue
  "$venv/bin/python" python/roundtrip.py --all "$out/synth/$name" "$out/models/$name" >/dev/null
done

# The endpoints' keys in a stack's mlflow.json, one a line.
keys() { "$venv/bin/python" -c 'import json, sys; print("\n".join(sorted(json.load(open(sys.argv[1])))))' "$1"; }
count=0
for mlflow_json in "$out"/synth/*/stacks/*/mlflow.json; do
  rel=${mlflow_json#"$out/synth/"}        # <example>/stacks/<stack>/mlflow.json
  example=${rel%%/*}
  stack=$(echo "$rel" | cut -d/ -f3)
  while read -r endpoint; do
    [ -n "$endpoint" ] || continue
    "${check[@]}" "$(dirname "$mlflow_json")" --target "$endpoint" "$out/models/$example/$stack/$endpoint" >/dev/null
    count=$((count + 1))
  done < <(keys "$mlflow_json")
done
echo "mlflow-roundtrip: $count logged models agree with their synthesized policies"

# Tamper with the seed-000 model: drop a table, add a scope.
policy=("$out/synth/health-monitor/stacks/health-monitor" --target health-monitor-agent)
model="$out/models/health-monitor/health-monitor/health-monitor-agent"
cp -r "$model" "$out/tampered"
"$venv/bin/python" - "$out/tampered/MLmodel" <<'PY'
import sys, yaml
path = sys.argv[1]
doc = yaml.safe_load(open(path))
tables = doc["auth_policy"]["system_auth_policy"]["resources"]["databricks"]["table"]
doc["auth_policy"]["system_auth_policy"]["resources"]["databricks"]["table"] = [t for t in tables if t["name"] != "main.health_monitor.fact_usage"]
doc["auth_policy"]["user_auth_policy"]["api_scopes"].append("sql.warehouses")
yaml.safe_dump(doc, open(path, "w"), default_flow_style=False)
PY
set +e
msg=$("${check[@]}" "${policy[@]}" "$out/tampered" 2>&1); rc=$?
set -e
[ "$rc" = 1 ] || { echo "tampered model: expected exit 1, got $rc: $msg" >&2; exit 1; }
grep -q "table:main.health_monitor.fact_usage" <<<"$msg" || { echo "tampered model: removed table not listed: $msg" >&2; exit 1; }
grep -q "sql.warehouses" <<<"$msg" || { echo "tampered model: extra scope not listed: $msg" >&2; exit 1; }
echo "mlflow-roundtrip: tampered model refused (exit 1), listing the removed table and the extra scope"

sed -i "s/api_version: '1'/api_version: 1/" "$out/tampered/MLmodel"
set +e
msg=$("${check[@]}" "${policy[@]}" "$out/tampered" 2>&1); rc=$?
set -e
[ "$rc" = 2 ] && grep -q 'api_version: expected the string "1"' <<<"$msg" || { echo "malformed model: expected exit 2, got $rc: $msg" >&2; exit 1; }
echo "mlflow-roundtrip: hand-edited model refused (exit 2): $msg"
echo "mlflow-roundtrip: $((SECONDS - t0)) s"
