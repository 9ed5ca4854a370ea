#!/usr/bin/env bash
# Apply-time checks of issue 12, as CI runs them (see scripts/apply/README.md):
#   1. scripts/apply/self-test.sh: the doubles, a positive control, controls that must fail;
#   2. every example synthesized as written (report mechanism) and with configureGrants({ mechanism:
#      "additive" }), the fixtures (hyphen-id, injection cases) and APPLY_FUZZ_COUNT (default 60)
#      fuzz-generated stacks (fixed seed);
#   3. the harness on all of them: examples and fixtures with --seed-profile full and fresh, the fuzz
#      stacks with mixed (full or fresh per object and principal), every run with
#      --forbid-principal attacker (and attacker@example.com); every invariant must hold, and in the
#      injection cases each crafted principal holds exactly the planned entries (harness.py exact);
#   4. controls that must break an invariant: clobber (databricks_grants/databricks_permissions on
#      shared objects), cli-dash-id (an id "--help" before `--`), and the injection break-outs with
#      the reference pasted raw into the payload (fixtures/raw-interpolation.py) granting "attacker";
#   5. one table over every run, the totals and the wall time.
# Environment: APPLY_JOBS (stacks in parallel, default 2), APPLY_FUZZ_COUNT (default 60),
#   APPLY_FUZZ_SEED (default: the generator's), APPLY_CI_KEEP=1 (keep the output directory).
# Last line: "apply-ci: passed" or "apply-ci: FAILED (...)"; exit code non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
export APPLY_JOBS="${APPLY_JOBS:-2}" CHECKPOINT_DISABLE=1 CI="${CI:-true}"
fuzz_count="${APPLY_FUZZ_COUNT:-60}"
out="$(mktemp -d "${TMPDIR:-/tmp}/apply-ci.XXXXXX")"
if [[ "${APPLY_CI_KEEP:-}" == 1 ]]; then
  echo "apply-ci: output kept in $out"
else
  trap 'rm -rf "$out"' EXIT
fi
failures=()
fail() {
  failures+=("$1")
  echo "FAIL $1"
}
elapsed() { echo "$((SECONDS - $1)) s"; }

# Terraform and the provider mirror, once (run.sh finds them cached afterwards).
t=$SECONDS
scripts/tf/terraform-bin.sh >/dev/null && scripts/tf/build-provider.sh >/dev/null || {
  echo "apply-ci: FAILED (no terraform or provider)"
  exit 1
}
echo "::: terraform + provider mirror: $(elapsed "$t")"

t=$SECONDS
if scripts/apply/self-test.sh >"$out/self-test.log" 2>&1; then
  grep -E '^(PASS|FAIL) ' "$out/self-test.log"
else
  cat "$out/self-test.log"
  fail "self-test"
fi
echo "::: self-test: $(elapsed "$t")"

# Synthesize everything (three programs at once).
t=$SECONDS
npx tsx scripts/apply/fixtures/examples.ts "$out/examples" >"$out/synth-examples.log" 2>&1 &
p_examples=$!
npx tsx scripts/apply/fixtures/fuzz-stacks.ts "$out/fuzz" "$fuzz_count" ${APPLY_FUZZ_SEED:+"$APPLY_FUZZ_SEED"} \
  >"$out/synth-fuzz.log" 2>&1 &
p_fuzz=$!
scripts/apply/synth-fixtures.sh "$out/fixtures" hyphen-id injection clobber cli-dash-id >"$out/synth-fixtures.log" 2>&1 &
p_fixtures=$!
for p in examples fuzz fixtures; do
  pid_var="p_$p"
  if ! wait "${!pid_var}"; then
    grep -v '^\[cdktf-databricks-agents\]\|^  ' "$out/synth-$p.log" | tail -n 30
    fail "synth $p"
  fi
done
grep -h '^fuzz-stacks:' "$out/synth-fuzz.log" || true
mkdir -p "$out/controls"
mv "$out/fixtures/clobber" "$out/fixtures/cli-dash-id" "$out/controls/" 2>/dev/null || fail "control fixtures"
python3 scripts/apply/fixtures/raw-interpolation.py "$out/fixtures/injection/stacks/inject-breakout" \
  "$out/controls/inject-breakout-raw/stacks/inject-breakout-raw" || fail "raw-interpolation control"
echo "::: synth: $(elapsed "$t")"

# harness LABEL LOG-CHECK [run.sh options and dirs]: one run.sh invocation, its table to LABEL.log.
harness() {
  local label="$1"
  shift
  local t=$SECONDS
  if scripts/apply/run.sh --forbid-principal attacker --forbid-principal attacker@example.com --label "$label" \
    --json-out "$out/$label.json" "$@" \
    >"$out/$label.log" 2>"$out/$label.stderr"; then
    echo "::: harness $label: $(grep '^apply-harness:' "$out/$label.log"), $(elapsed "$t")"
  else
    grep -E '^(FAIL|    )' "$out/$label.log" | head -n 80
    tail -n 5 "$out/$label.stderr"
    fail "harness $label"
  fi
}
harness examples --seed-profile full,fresh "$out/examples"
harness fixtures --seed-profile full,fresh "$out/fixtures"
# The injection cases: each crafted principal holds exactly what was planned for it (fresh profile).
python3 scripts/apply/harness.py exact "$out/fixtures.json" inject- || fail "injection: a principal differs from the plan"
harness fuzz --seed-profile mixed "$out/fuzz"
harness controls --expect-violation --seed-profile fresh "$out/controls"
# Each control must fail for its own reason.
grep -q 'removed by apply: databricks_grants.catalog_main' "$out/controls.log" || fail "clobber control: no removal by databricks_grants"
grep -q 'granted but missing: ACL genie/--help' "$out/controls.log" || fail "cli-dash-id control: the --help grant is not missing"
grep -q 'forbidden principal: .*attacker' "$out/controls.log" || fail "raw-interpolation control: no grant for attacker"

echo
jsons=()
for f in examples fixtures fuzz controls; do [[ -f "$out/$f.json" ]] && jsons+=("$out/$f.json"); done
if [[ ${#jsons[@]} -gt 0 ]]; then
  python3 scripts/apply/harness.py summary "${jsons[@]}" || fail "summary"
fi
echo "apply-ci: wall time $(elapsed "$start") (APPLY_JOBS=$APPLY_JOBS)"
if [[ ${#failures[@]} -gt 0 ]]; then
  echo "apply-ci: FAILED (${failures[*]})"
  exit 1
fi
echo "apply-ci: passed"
