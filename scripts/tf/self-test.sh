#!/usr/bin/env bash
# Self-test of the offline Terraform check, on the fixtures in scripts/tf/fixtures/:
#   good              init + validate + plan pass, and plan sends no request to the Databricks API
#   gap-no-object-id  passes too: provider v1.99.0 does not catch a databricks_permissions without an
#                     object id before apply (documented gap; the construct library must catch it)
#   broken            fails validate with the three expected errors
#   broken-plan       passes validate, fails plan (permission level check), no API request
#   api-probe         positive control: a data source makes plan call the API; --record-api sees it
# Usage: scripts/tf/self-test.sh [--tofu]
# Last line: "tf-self-test: N passed, M failed"; exit code non-zero if any check failed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/tf/lib.sh
source "$here/lib.sh"
fx="$here/fixtures"
extra=("$@")

out="$(mktemp "${TMPDIR:-/tmp}/tf-self-test.XXXXXX")"
trap 'rm -f "$out"' EXIT

passed=0
failed=0
# check NAME WANT_RC GREP_ERE ARGS... : run validate-stacks.sh ARGS, want exit status WANT_RC (0 or 1)
# and, if GREP_ERE is not empty, output matching it.
check() {
  local name="$1" want="$2" re="$3"
  shift 3
  local rc=0 t
  t="$(now)"
  "$here/validate-stacks.sh" "${extra[@]}" "$@" >"$out" 2>&1 || rc=$?
  [[ $rc -eq 0 ]] || rc=1
  if [[ $rc -eq $want ]] && { [[ -z "$re" ]] || grep -Eq -- "$re" "$out"; }; then
    log "ok   $name ($(elapsed "$t")s)"
    grep -E '^\[tf\] (PASS|FAIL) ' "$out" | sed 's/^/       /' >&2 || true
    passed=$((passed + 1))
  else
    log "FAIL $name: exit $rc, wanted $want${re:+ with /$re/} ($(elapsed "$t")s)"
    sed 's/^/       /' "$out" >&2
    failed=$((failed + 1))
  fi
}

check "good + gap-no-object-id: init/validate/plan pass, no API call" 0 'stacks: 2 passed, 0 failed' \
  --record-api "$fx/good" "$fx/gap-no-object-id"
check "broken: validate fails" 0 'stacks: 1 passed, 0 failed' \
  --record-api --expect-fail \
  --expect-error 'Conflicting configuration arguments' \
  --expect-error 'Insufficient access_control blocks' \
  --expect-error 'Missing required argument' \
  "$fx/broken"
check "broken-plan: plan fails offline" 0 'stacks: 1 passed, 0 failed' \
  --record-api --expect-fail-at plan \
  --expect-error 'permission_level CAN_USE is not supported with serving_endpoint_id objects' \
  "$fx/broken-plan"
check "broken is not accepted as good" 1 'validate failed' "$fx/broken"
check "api-probe: the recorder sees plan-time API calls" 1 'GET.*/api/2\.0/preview/scim/v2/Me' \
  --record-api "$fx/api-probe"

printf 'tf-self-test: %d passed, %d failed\n' "$passed" "$failed"
[[ $failed -eq 0 ]]
