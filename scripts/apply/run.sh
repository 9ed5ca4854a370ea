#!/usr/bin/env bash
# Apply-time harness (issue 12): apply, plan, apply again and destroy synthesized stacks with the real
# Databricks provider against a stateful loopback API double, and check that nothing that existed
# before apply is missing or lowered after apply or after destroy.
#
# Usage: scripts/apply/run.sh [options] DIR...
#   DIR is a stack directory holding cdk.tf.json, or a directory searched for them (e.g. the OUT of
#   scripts/synth-examples.sh OUT).
# Options:
#   --expect-violation   controls: every stack must break an invariant (exit 0 only then)
#   --keep               keep the work directories (seed, journal, logs, state) and print their path
#   --deployer NAME      the applying identity (default: the deployer named in agent-report.json,
#                        else deployer@example.com)
#   --extra-seed FILE    JSON merged into every generated seed
#   --seed-profile P     full (default): the stack's principals already hold what it asks for, plus
#                        other privileges or a higher level; fresh: they hold nothing there yet;
#                        mixed: full or fresh per (object, principal), by a hash of the pair
#   --json-out FILE      per-stack results as JSON (harness.py summary FILE... merges several)
#   --jobs N             stacks run in parallel (default $APPLY_JOBS, else 1)
#   --forbid-principal P no entry may name P after apply or destroy (repeatable; P is put in the
#                        directory, so that a grant injected for it would show)
#   --label NAME         label of this run's results (for harness.py summary)
#   --tofu               use OpenTofu (see scripts/tf/terraform-bin.sh)
# Environment: TF_APPLY_TIMEOUT (seconds per terraform step, default 300), APPLY_JOBS, TF_LOG, TF_LOG_PATH.
#
# The last line on stdout is "apply-harness: N passed, M failed"; exit code non-zero on any failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tf_dir="$here/../tf"

pass=()
tofu_flag=()
dirs=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --expect-violation | --keep) pass+=("$1"); shift ;;
    --deployer | --extra-seed | --json-out | --seed-profile | --jobs | --forbid-principal | --label)
      pass+=("$1" "${2:?$1 needs a value}"); shift 2 ;;
    --tofu) tofu_flag=(--tofu); shift ;;
    -h | --help) sed -n '2,29p' "$0"; exit 0 ;;
    --) shift; dirs+=("$@"); break ;;
    -*) echo "run.sh: unknown option: $1" >&2; exit 2 ;;
    *) dirs+=("$1"); shift ;;
  esac
done
if [[ ${#dirs[@]} -eq 0 ]]; then
  sed -n '2,29p' "$0" >&2
  exit 2
fi

command -v python3 >/dev/null || { echo "run.sh: python3 is needed" >&2; exit 1; }
tf="$("$tf_dir/terraform-bin.sh" "${tofu_flag[@]}")"
cli_config="$("$tf_dir/build-provider.sh")"

exec python3 "$here/harness.py" run --tf "$tf" --cli-config "$cli_config" \
  --timeout "${TF_APPLY_TIMEOUT:-300}" ${pass[@]+"${pass[@]}"} -- "${dirs[@]}"
