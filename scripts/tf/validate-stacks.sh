#!/usr/bin/env bash
# Offline `terraform init` + `validate` + `plan -refresh=false` of synthesized cdktf stacks against the
# real Databricks provider (built by build-provider.sh, installed from a local filesystem mirror).
#
# Usage: scripts/tf/validate-stacks.sh [options] DIR...
#   DIR is a stack directory holding cdk.tf.json, or a directory searched for them
#   (e.g. cdktf.out or cdktf.out/stacks).
# Options:
#   --expect-fail          every stack must pass init and FAIL validate (proves the check bites)
#   --expect-fail-at STAGE same, for STAGE validate or plan (plan: validate must pass, plan must fail)
#   --expect-error REGEX   with --expect-fail*: the failing step's output must match this ERE
#                          (repeatable; every pattern must match)
#   --record-api           point the provider at a loopback recorder (api-recorder.py) instead of the
#                          placeholder host, and fail a stack if any step sent it a request
#   --allow-api-path PATH  with --record-api: a GET of exactly PATH (no query) is allowed, counted and
#                          not a failure (repeatable; e.g. /.well-known/databricks-config, which
#                          provider 1.128 reads during plan for host metadata discovery)
#   --no-plan              stop after validate
#   --keep                 keep the temporary work directories (their path is printed)
#   --tofu                 use OpenTofu even if terraform is on PATH (see terraform-bin.sh)
# Environment:
#   TF_PLAN_TIMEOUT            seconds before any terraform step is killed (default 300)
#   VALIDATE_DATABRICKS_HOST   host given to the provider (default https://placeholder.cloud.databricks.com)
#   TF_LOG, TF_LOG_PATH        passed through to terraform when set
#
# Each stack directory is copied to a temporary directory first (without .terraform/, lock file or
# state), and its backend is overridden with a local backend inside that copy, so nothing is written
# into the repository. Terraform runs with a scrubbed environment: PATH, a throw-away HOME (so no
# ~/.databrickscfg or ~/.terraformrc is read), the generated CLI config and placeholder credentials
# DATABRICKS_HOST / DATABRICKS_TOKEN with DATABRICKS_AUTH_TYPE=pat. No other DATABRICKS_*, ARM_*,
# GOOGLE_* or TF_* variable reaches terraform or the provider.
# The last line on stdout is "stacks: N passed, M failed"; the exit code is non-zero if any failed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/tf/lib.sh
source "$here/lib.sh"

usage() { sed -n '2,34p' "$0"; }

expect_stage=""
expect_errors=()
run_plan=1
keep=0
record_api=0
allow_paths=()
tofu_flag=()
dirs=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --expect-fail) expect_stage="validate"; shift ;;
    --expect-fail-at) expect_stage="${2:?--expect-fail-at needs validate or plan}"; shift 2 ;;
    --expect-fail-at=*) expect_stage="${1#*=}"; shift ;;
    --expect-error) expect_errors+=("${2:?--expect-error needs a regex}"); shift 2 ;;
    --record-api) record_api=1; shift ;;
    --allow-api-path) allow_paths+=("${2:?--allow-api-path needs a path}"); shift 2 ;;
    --no-plan) run_plan=0; shift ;;
    --keep) keep=1; shift ;;
    --tofu) tofu_flag=(--tofu); shift ;;
    -h | --help) usage; exit 0 ;;
    --) shift; dirs+=("$@"); break ;;
    -*) log "unknown option: $1"; exit 2 ;;
    *) dirs+=("$1"); shift ;;
  esac
done
if [[ ${#dirs[@]} -eq 0 ]]; then
  usage >&2
  exit 2
fi
case "$expect_stage" in
  "" | validate | plan) ;;
  *) log "--expect-fail-at takes validate or plan, not $expect_stage"; exit 2 ;;
esac
if [[ ${#expect_errors[@]} -gt 0 && -z "$expect_stage" ]]; then
  log "--expect-error needs --expect-fail or --expect-fail-at"
  exit 2
fi
if [[ ${#allow_paths[@]} -gt 0 && $record_api -eq 0 ]]; then
  log "--allow-api-path needs --record-api"
  exit 2
fi
if [[ "$expect_stage" == "plan" && $run_plan -eq 0 ]]; then
  log "--expect-fail-at plan contradicts --no-plan"
  exit 2
fi

# Collect stack directories.
stacks=()
for d in "${dirs[@]}"; do
  if [[ -f "$d/cdk.tf.json" ]]; then
    stacks+=("$d")
  elif [[ -d "$d" ]]; then
    found=0
    while IFS= read -r f; do
      stacks+=("$(dirname "$f")")
      found=1
    done < <(find "$d" -name cdk.tf.json -not -path '*/.terraform/*' -not -path '*/node_modules/*' | sort)
    [[ $found -eq 1 ]] || { log "no cdk.tf.json under $d"; exit 2; }
  else
    log "not a directory: $d"
    exit 2
  fi
done

tf="$("$here/terraform-bin.sh" "${tofu_flag[@]}")"
cli_config="$("$here/build-provider.sh")"
log "terraform binary: $tf ($("$tf" version 2>/dev/null | head -n 1))"
log "CLI config: $cli_config"

timeout_s="${TF_PLAN_TIMEOUT:-300}"
db_host="${VALIDATE_DATABRICKS_HOST:-https://placeholder.cloud.databricks.com}"

tmproot="$(mktemp -d "${TMPDIR:-/tmp}/validate-stacks.XXXXXX")"
recorder_pid=""
cleanup() {
  if [[ -n "$recorder_pid" ]]; then
    kill "$recorder_pid" 2>/dev/null || true
    wait "$recorder_pid" 2>/dev/null || true
  fi
  if [[ $keep -eq 1 ]]; then
    log "kept work directories under $tmproot"
  else
    rm -rf "$tmproot"
  fi
}
trap cleanup EXIT

api_log="$tmproot/api-requests.jsonl"
if [[ $record_api -eq 1 ]]; then
  command -v python3 >/dev/null || { log "--record-api needs python3"; exit 1; }
  python3 "$here/api-recorder.py" "$tmproot/recorder.port" "$api_log" &
  recorder_pid=$!
  for _ in $(seq 1 50); do
    [[ -s "$tmproot/recorder.port" ]] && break
    sleep 0.1
  done
  [[ -s "$tmproot/recorder.port" ]] || { log "api-recorder did not start"; exit 1; }
  db_host="http://127.0.0.1:$(cat "$tmproot/recorder.port")"
  log "recording Databricks API requests at $db_host"
fi

# run_tf WORKDIR LOGFILE ARGS... : terraform in a scrubbed environment.
run_tf() {
  local work="$1" logfile="$2"
  shift 2
  local envs=(
    "PATH=$PATH"
    "HOME=$work/.home"
    "TMPDIR=$work/.tmp"
    "TF_CLI_CONFIG_FILE=$cli_config"
    "TF_IN_AUTOMATION=1"
    "TF_INPUT=0"
    "CHECKPOINT_DISABLE=1"
    "DATABRICKS_HOST=$db_host"
    "DATABRICKS_TOKEN=dapi-placeholder"
    "DATABRICKS_AUTH_TYPE=pat"
  )
  if [[ -n "${TF_LOG:-}" ]]; then envs+=("TF_LOG=$TF_LOG"); fi
  if [[ -n "${TF_LOG_PATH:-}" ]]; then envs+=("TF_LOG_PATH=$TF_LOG_PATH"); fi
  local rc=0
  env -i "${envs[@]}" timeout "$timeout_s" "$tf" -chdir="$work" "$@" >"$logfile" 2>&1 || rc=$?
  if [[ $rc -eq 124 ]]; then
    echo "validate-stacks: killed after ${timeout_s}s (TF_PLAN_TIMEOUT)" >>"$logfile"
  fi
  return "$rc"
}

show_log() {
  sed 's/^/    | /' "$1" | tail -n 60 >&2
}

# matches_expected LOGFILE: every --expect-error pattern occurs in LOGFILE.
matches_expected() {
  local re
  for re in "${expect_errors[@]}"; do
    grep -Eq -- "$re" "$1" || { log "  output does not match /$re/"; return 1; }
  done
}

passed=0
failed=0
n=0
for stack in "${stacks[@]}"; do
  n=$((n + 1))
  name="$(basename "$stack")"
  work="$tmproot/$n-$name"
  mkdir -p "$work/.home" "$work/.tmp"
  # Copy the stack (assets included) without local Terraform state, provider dirs or lock file:
  # a lock file written against the registry's zip hashes would reject the locally built binary.
  tar -C "$stack" --exclude=./.terraform --exclude=./.terraform.lock.hcl \
    --exclude='./*.tfstate' --exclude='./*.tfstate.*' -cf - . | tar -C "$work" -xf -
  # Whatever backend the stack declares (cdktf's app.synth() writes an absolute local path),
  # keep state inside the throw-away copy.
  printf '%s\n' '{"terraform": {"backend": {"local": {"path": "terraform.tfstate"}}}}' \
    >"$work/zz_validate_stacks_override.tf.json"
  : >"$api_log"

  # Steps: init always; validate; plan unless --no-plan or a validate failure is expected.
  steps=(init validate)
  if [[ $run_plan -eq 1 && "$expect_stage" != "validate" ]]; then
    steps+=(plan)
  fi
  timings=""
  failed_step=""
  for step in "${steps[@]}"; do
    case "$step" in
      init) args=(init -input=false -no-color) ;;
      validate) args=(validate -no-color) ;;
      plan) args=(plan -refresh=false -input=false -lock=false -no-color) ;;
    esac
    t="$(now)"
    rc=0
    run_tf "$work" "$work/$step.log" "${args[@]}" || rc=$?
    timings+="${timings:+, }$step $(elapsed "$t")s"
    if [[ $rc -ne 0 ]]; then
      failed_step="$step"
      break
    fi
  done

  verdict="PASS"
  detail=""
  if [[ -z "$expect_stage" ]]; then
    if [[ -n "$failed_step" ]]; then
      verdict="FAIL"
      detail="$failed_step failed"
    elif [[ -f "$work/plan.log" ]]; then
      detail="$(grep -E '^(Plan: |No changes\.)' "$work/plan.log" | head -n 1 || true)"
    fi
  else
    if [[ -z "$failed_step" ]]; then
      verdict="FAIL"
      detail="$expect_stage passed but was expected to fail"
    elif [[ "$failed_step" != "$expect_stage" ]]; then
      verdict="FAIL"
      detail="$failed_step failed, but the failure was expected at $expect_stage"
    elif ! matches_expected "$work/$failed_step.log"; then
      verdict="FAIL"
      detail="$failed_step failed, but not with the expected error"
    else
      detail="failed $expect_stage as expected"
    fi
  fi

  if [[ $record_api -eq 1 && ${#allow_paths[@]} -gt 0 && -s "$api_log" ]]; then
    # Move the allowed requests (GET of exactly an --allow-api-path) out of the log; count them.
    allowed_n="$(python3 - "$api_log" "${allow_paths[@]}" <<'PY'
import json, sys
log, allowed = sys.argv[1], set(sys.argv[2:])
lines = open(log, encoding="utf-8").read().splitlines()
keep = [l for l in lines if not (json.loads(l)["method"] == "GET" and json.loads(l)["path"] in allowed)]
open(log, "w", encoding="utf-8").write("".join(l + "\n" for l in keep))
print(len(lines) - len(keep))
PY
)"
    [[ "$allowed_n" -eq 0 ]] || detail+="${detail:+; }$allowed_n allowed request(s) (${allow_paths[*]})"
  fi
  if [[ $record_api -eq 1 && -s "$api_log" ]]; then
    verdict="FAIL"
    detail+="${detail:+; }$(wc -l <"$api_log") Databricks API request(s) recorded"
    sed 's/^/    api: /' "$api_log" >&2
  elif [[ $record_api -eq 1 ]]; then
    detail+="${detail:+; }0 API requests"
  fi

  log "$verdict $name: $timings${detail:+ -- $detail} [$stack]"
  if [[ -n "$failed_step" ]]; then
    if [[ "$verdict" == "FAIL" ]]; then
      show_log "$work/$failed_step.log"
    else
      sed -n 's/^Error: /    expected error: /p' "$work/$failed_step.log" | sort | uniq -c | sed 's/^ */    /' >&2
    fi
  fi
  if [[ "$verdict" == "PASS" ]]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
done

printf 'stacks: %d passed, %d failed\n' "$passed" "$failed"
[[ $failed -eq 0 ]]
