#!/usr/bin/env bash
# Self-test of the apply harness: the doubles' semantics, a positive control that must pass, and
# controls that must fail (the harness can fail).
# Usage: scripts/apply/self-test.sh [--tofu]
# Last line: "apply-self-test: N passed, M failed"; exit code non-zero if any check failed.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tofu=("$@")
out="$(mktemp -d "${TMPDIR:-/tmp}/apply-self-test.XXXXXX")"
trap 'rm -rf "$out"' EXIT
passed=0
failed=0
check() { # check NAME COMMAND...
  local name="$1"
  shift
  local start=$EPOCHREALTIME
  if "$@" >"$out/$name.log" 2>&1; then
    passed=$((passed + 1))
    printf 'PASS %-28s %5.1fs\n' "$name" "$(awk -v s="$start" -v e="$EPOCHREALTIME" 'BEGIN{print e-s}')"
  else
    failed=$((failed + 1))
    printf 'FAIL %-28s %5.1fs\n' "$name" "$(awk -v s="$start" -v e="$EPOCHREALTIME" 'BEGIN{print e-s}')"
    tail -n 40 "$out/$name.log" | sed 's/^/    | /'
  fi
}
check doubles python3 "$here/test_double.py"
# Only the hand-written fixtures: the cdktf ones (hyphen-id, injection) run in scripts/apply-ci.sh.
check synth-fixtures "$here/synth-fixtures.sh" "$out/fx" owned-only clobber cli-dash-id
# Positive control: a stack that touches only what it creates keeps every invariant.
check owned-only-passes "$here/run.sh" "${tofu[@]}" "$out/fx/owned-only"
# Controls that must break an invariant.
check clobber-violates "$here/run.sh" "${tofu[@]}" --expect-violation "$out/fx/clobber"
check cli-dash-id-violates "$here/run.sh" "${tofu[@]}" --expect-violation --seed-profile fresh "$out/fx/cli-dash-id"
# The control's violation must be the one it is about.
check clobber-names-resources grep -q "databricks_grants.catalog_main" "$out/clobber-violates.log"
check clobber-names-app-acl grep -q "removed by apply: databricks_permissions.shared_app (PUT /api/2.0/permissions/apps/shared-agent-app)" "$out/clobber-violates.log"
check cli-dash-id-names-the-grant grep -q "granted but missing: ACL genie/--help" "$out/cli-dash-id-violates.log"
printf 'apply-self-test: %d passed, %d failed\n' "$passed" "$failed"
[[ $failed -eq 0 ]]
