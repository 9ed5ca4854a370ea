#!/usr/bin/env bash
# Consumer test: the library as a user gets it. Packs the repo (npm pack, which runs the prepack
# build), then for each engine creates a scratch platform repo with the engine's own
# `init --template typescript`, installs the tarball with the install lines below, adds the fixture
# app and tests from test/consumer/ and checks:
#   - the tarball's package.json points only at files it ships, and exports "./cdktn";
#   - one copy of constructs in the app's dependencies, and none of the other engine's packages;
#   - tsc (the template's tsconfig), `npm test` twice (writes the snapshots, then --ci), the CLI's
#     synth of the two-stack app, and the CLI's synth of a broken app failing with the rule id;
#   - both engines synthesize the same stacks: same files, resources and content but for the
#     provider and engine version strings; the jest snapshots are the same likewise.
# cdktf runs on the machine's Node.js (>= 20.9); cdktn-cli needs >= 22.19, from scripts/node-runtime.sh.
#
# Usage: scripts/consumer-test.sh            (CI runs it from .ci/run after `npm ci`)
#   CONSUMER_TEST_TARBALL=path.tgz  test that tarball instead of packing the repo
#   CONSUMER_TEST_KEEP=1            keep the scratch directory (it is kept anyway on failure)
#
# Why the real `init`: both CLIs' `init --template typescript --local` run non-interactively here
# (about 15 s each, warm), so the scratch repos are exactly what a user gets, hook installs
# included, rather than a copy of the template files that could drift from the CLI.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

# ---------------------------------------------------------------------------------------------------
# The install lines, as a user types them in a repo made by `<engine> init --template typescript`.
# The README's Install section shows these same lines (a test compares them); this script runs them
# with the package name replaced by the packed tarball. The dev line comes first: `cdktf init` leaves
# typescript 7 beside ts-jest 29 (peer typescript <7), so any other `npm install` before the
# typescript pin fails with ERESOLVE.
CDKTF_INSTALL_DEV='npm install -D cdktf-cli@0.21.0 typescript@~5.9.3'
CDKTF_INSTALL='npm install cdktf-databricks-agents @cdktf/provider-databricks@15.16.1'
CDKTN_INSTALL_DEV='npm install -D cdktn-cli@0.24.0'
CDKTN_INSTALL='npm install cdktf-databricks-agents @cdktn/provider-databricks@18.7.0'
# ---------------------------------------------------------------------------------------------------

PACKAGE=cdktf-databricks-agents
FIXTURES=$ROOT/test/consumer
CHECK=$FIXTURES/check.js
export CHECKPOINT_DISABLE=1 # the CLIs' version check calls home; there is no network but the registries
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
# As in CI, wherever it runs: the CLIs print no spinner, and jest does not write snapshots unless told.
export CI=${CI:-true}
# Terraform (which the CLIs ask for its version) warns on every call about a missing config file.
if [ -n "${TF_CLI_CONFIG_FILE:-}" ] && [ ! -f "$TF_CLI_CONFIG_FILE" ]; then unset TF_CLI_CONFIG_FILE; fi

START=$SECONDS
WORK=$(mktemp -d "${TMPDIR:-/tmp}/consumer-test.XXXXXX")
TIMINGS=$WORK/timings.tsv
cleanup() {
  local rc=$?
  if [ "$rc" -eq 0 ] && [ -z "${CONSUMER_TEST_KEEP:-}" ]; then
    rm -rf "$WORK"
  else
    echo "::: scratch directory kept: $WORK"
  fi
}
trap cleanup EXIT

# phase NAME CMD...: run CMD, print and record how long it took.
phase() {
  local name=$1
  shift
  local start=$SECONDS
  echo "::: ${name}"
  "$@"
  echo "::: ${name}: $((SECONDS - start)) s"
  printf '%s\t%s\n' "$((SECONDS - start))" "$name" >>"$TIMINGS"
}

# version_at_least HAVE WANT
version_at_least() {
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

echo "::: install lines (README, Install):"
echo "    cdktf:  $CDKTF_INSTALL_DEV"
echo "            $CDKTF_INSTALL"
echo "    cdktn:  $CDKTN_INSTALL_DEV"
echo "            $CDKTN_INSTALL"

# --- the tarball -------------------------------------------------------------------------------------
pack() {
  mkdir -p "$WORK/pack"
  if [ -n "${CONSUMER_TEST_TARBALL:-}" ]; then
    cp "$CONSUMER_TEST_TARBALL" "$WORK/pack/"
  elif ! npm pack --pack-destination "$WORK/pack" >"$WORK/pack.log" 2>&1; then
    cat "$WORK/pack.log"
    echo "FAIL: npm pack (its prepack build needs the repo's dev dependencies: npm ci)"
    return 1
  fi
  TARBALL=$(ls "$WORK"/pack/*.tgz)
  echo "tarball: $(basename "$TARBALL"), $(du -k "$TARBALL" | cut -f1) KiB, $(tar -tzf "$TARBALL" | wc -l) files"
  mkdir -p "$WORK/unpacked"
  tar -xzf "$TARBALL" -C "$WORK/unpacked"
  node "$CHECK" tarball "$WORK/unpacked/package"
}
phase "npm pack" pack

# --- Node.js for each engine ---------------------------------------------------------------------------
node_runtimes() {
  if ! version_at_least "$(node -p process.versions.node)" 20.9.0; then
    echo "FAIL: cdktf-cli needs Node.js >= 20.9; this machine has $(node --version)"
    return 1
  fi
  NODE_CDKTN_BIN=$(scripts/node-runtime.sh)
  echo "cdktf runs on the machine's Node.js $(node --version); cdktn on $("$NODE_CDKTN_BIN/node" --version)"
}
phase "Node.js runtimes (cdktn: scripts/node-runtime.sh)" node_runtimes
# The registry package's npm has its own global config: give it the machine npm's CA file (a TLS
# proxy's certificate would otherwise fail with SELF_SIGNED_CERT_IN_CHAIN), unless one is set.
if [ -z "${npm_config_cafile:-}" ]; then
  cafile=$(npm config get cafile 2>/dev/null || true)
  if [ -n "$cafile" ] && [ "$cafile" != null ] && [ "$cafile" != undefined ]; then export npm_config_cafile=$cafile; fi
fi

# --- one scratch platform repo per engine --------------------------------------------------------------
# run_install LINE: run an install line with the package name replaced by the tarball.
run_install() {
  local -a words
  read -ra words <<<"$1"
  local i
  for i in "${!words[@]}"; do
    [ "${words[$i]}" = "$PACKAGE" ] && words[i]=$TARBALL
  done
  "${words[@]}"
}

# place_fixtures ENGINE: the fixture app and tests, with the engine's module names.
place_fixtures() {
  local engine=$1 bindings=@$1/provider-databricks library=$PACKAGE
  [ "$engine" = cdktn ] && library=$PACKAGE/cdktn
  local f dest
  for f in stacks.ts main.ts main-broken.ts __tests__/agents-test.ts; do
    dest=$PWD/$f
    sed -e "s#{{engine}}#$engine#g" -e "s#{{bindings}}#$bindings#g" -e "s#{{library}}#$library#g" \
      "$FIXTURES/$f.tmpl" >"$dest"
    if grep -n '{{\(engine\|bindings\|library\)}}' "$dest"; then
      echo "FAIL: $f: placeholder left"
      return 1
    fi
  done
  echo "imports: $engine, $bindings, $library"
}

# expect_synth_failure ENGINE RULE: the CLI's synth of main-broken.ts fails and names RULE.
expect_synth_failure() {
  local engine=$1 rule=$2 rc=0
  npx "$engine" synth --app "npx ts-node main-broken.ts" --output cdktf.out.broken >"$WORK/$engine-broken.log" 2>&1 || rc=$?
  if [ "$rc" -eq 0 ]; then
    cat "$WORK/$engine-broken.log"
    echo "FAIL: $engine synth of main-broken.ts exited 0"
    return 1
  fi
  if ! grep -q "$rule" "$WORK/$engine-broken.log"; then
    cat "$WORK/$engine-broken.log"
    echo "FAIL: $engine synth of main-broken.ts does not name $rule"
    return 1
  fi
  echo "exit code $rc; the lines naming $rule:"
  grep "$rule" "$WORK/$engine-broken.log" | head -n 5 | cut -c1-300 | sed 's/^/    /'
}

# expect_load_failure ENTRY RULE: loading the other flavour's entry in this repo fails and names RULE.
expect_load_failure() { # entry rule fix-text
  local entry=$1 rule=$2 fix=$3 rc=0 log
  log=$WORK/$(basename "$PWD")-load.log
  node -e "require('$entry')" >"$log" 2>&1 || rc=$?
  if [ "$rc" -eq 0 ] || ! grep -q "$rule" "$log" || ! grep -qF "$fix" "$log"; then
    cat "$log"
    echo "FAIL: require('$entry') exited $rc without naming $rule and the fix: $fix"
    return 1
  fi
  grep -m1 "$rule" "$log" | cut -c1-300 | sed 's/^/    /'
  grep -m1 -F "$fix" "$log" | cut -c1-300 | sed 's/^/    /'
}

# bin_runs: the package's bin is linked and loads (with no arguments it prints its usage).
bin_runs() {
  local out
  out=$(npx --no-install dba-check-auth-policy 2>&1 || true)
  if ! grep -q "usage: dba-check-auth-policy" <<<"$out"; then
    echo "$out"
    echo "FAIL: npx dba-check-auth-policy does not run"
    return 1
  fi
  echo "$out"
}

# no_absolute_paths DIR: nothing the synth wrote for the stacks names the scratch directory.
no_absolute_paths() {
  if grep -rl -e "$WORK" -e "$ROOT" "$1"; then
    echo "FAIL: absolute paths in the files above"
    return 1
  fi
}

# platform_repo ENGINE: create, install, test and synth one platform repo (run in a subshell).
platform_repo() {
  local engine=$1 other other_entry entry dev_line main_line cli
  if [ "$engine" = cdktf ]; then entry=$PACKAGE; else entry=$PACKAGE/cdktn; fi
  if [ "$engine" = cdktf ]; then
    other=cdktn other_entry=$PACKAGE/cdktn dev_line=$CDKTF_INSTALL_DEV main_line=$CDKTF_INSTALL
  else
    other=cdktf other_entry=$PACKAGE dev_line=$CDKTN_INSTALL_DEV main_line=$CDKTN_INSTALL
    PATH=$NODE_CDKTN_BIN:$PATH
  fi
  cli=$(grep -o "$engine-cli@[^ ]*" <<<"$dev_line")
  mkdir -p "$WORK/$engine-platform"
  cd "$WORK/$engine-platform"
  phase "$engine: $engine init --template typescript (Node.js $(node --version), $cli)" \
    npx -y -p "$cli" "$engine" init --template typescript --local --project-name "$engine-platform" \
    --project-description "consumer test of $PACKAGE" --enable-crash-reporting=false
  phase "$engine: $dev_line" run_install "$dev_line"
  phase "$engine: $main_line" run_install "$main_line"
  phase "$engine: fixture app and tests" place_fixtures "$engine"
  phase "$engine: one constructs, no $other" node "$CHECK" deps "$PWD" "$engine" "$other"
  phase "$engine: the $other flavour ($other_entry) refuses to load here" \
    expect_load_failure "$other_entry" DBA-PKG-001 "import from \"$entry\" instead of \"$other_entry\""
  phase "$engine: npx dba-check-auth-policy runs" bin_runs
  phase "$engine: tsc --noEmit (the template's tsconfig)" npx tsc --noEmit
  phase "$engine: npm test (writes the snapshots)" npm test -- --ci=false
  phase "$engine: npm test -- --ci (the snapshots hold)" \
    npm test -- --ci --json --outputFile="$WORK/$engine-jest.json"
  phase "$engine: every fixture test ran and passed" \
    node "$CHECK" jest "$WORK/$engine-jest.json" __tests__/agents-test.ts
  phase "$engine: $engine synth" npx "$engine" synth
  phase "$engine: no absolute path in cdktf.out/stacks" no_absolute_paths cdktf.out/stacks
  phase "$engine: $engine synth of a broken app fails with DBA-GENIE-004" \
    expect_synth_failure "$engine" DBA-GENIE-004
}

# Both repos at once: the installs wait on the network, the tests on the CPU.
pids=()
for engine in cdktf cdktn; do
  (platform_repo "$engine") >"$WORK/$engine.log" 2>&1 &
  pids+=($!)
done
failed=()
for i in 0 1; do
  engine=$([ "$i" = 0 ] && echo cdktf || echo cdktn)
  rc=0
  wait "${pids[$i]}" || rc=$?
  echo "================ $engine platform repo ================"
  cat "$WORK/$engine.log"
  [ "$rc" -eq 0 ] || failed+=("$engine")
done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "FAIL: the platform repo of ${failed[*]}"
  exit 1
fi

# --- the engines agree -----------------------------------------------------------------------------------
forbidden=("$WORK" "$ROOT")
[ "${#HOME}" -gt 1 ] && forbidden+=("$HOME")
phase "compare the engines' cdktf.out" node "$CHECK" compare "$WORK/cdktf-platform" "$WORK/cdktn-platform"
phase "compare the engines' jest snapshots" \
  node "$CHECK" snapshots "$WORK/cdktf-platform" "$WORK/cdktn-platform" "${forbidden[@]}"

echo "::: timings (s; the two platform repos ran at the same time)"
for group in '^[^c]|^co' '^cdktf:' '^cdktn:'; do
  awk -F'\t' -v g="$group" '$2 ~ g { printf "  %4d  %s\n", $1, $2 }' "$TIMINGS"
done
echo "::: consumer test passed in $((SECONDS - START)) s"
