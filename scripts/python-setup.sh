#!/usr/bin/env bash
# Create (or reuse) the cached Python venv for python/ and print its path.
#
# Usage:
#   scripts/python-setup.sh            # build if needed; last stdout line = venv path
#   scripts/python-setup.sh --force    # rebuild this venv even if it is complete
#   scripts/python-setup.sh --prune    # also delete other venv-* dirs in the cache
#   scripts/python-setup.sh --relock   # regenerate python/requirements.lock from requirements.in
#
#   VENV="$(scripts/python-setup.sh | tail -n1)" && "$VENV/bin/python" python/roundtrip.py ...
#
# Environment:
#   PYTHON                    interpreter to build the venv with (default: python3; needs >= 3.10)
#   XDG_CACHE_HOME            cache root (default: $HOME/.cache)
#   PYTHON_SETUP_INSTALLER    uv (default) or pip. uv (pinned, itself installed from PyPI into
#                             the cache once) installs the lock in ~1-7 s instead of ~20-50 s
#                             with pip; if uv cannot be installed or fails, pip is used.
#
# The venv lives in ${XDG_CACHE_HOME:-$HOME/.cache}/cdktf-databricks-agents/venv-<hash>, where
# <hash> covers python/requirements.lock and the interpreter's version/platform (a venv is
# bound to its interpreter). A marker file is written only after the install and an import
# check succeeded, so an interrupted build is detected and redone. Concurrent runs are
# serialised with flock when available. stdout carries only the venv path; everything else
# (installer output, timings) goes to stderr.
set -euo pipefail

START_NS=$(date +%s%N)
elapsed() { echo "$(( ($(date +%s%N) - START_NS) / 1000000 ))"; }
log() { echo "python-setup: $*" >&2; }
die() { log "error: $*"; exit 1; }

FORCE=0
PRUNE=0
RELOCK=0
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    --prune) PRUNE=1 ;;
    --relock) RELOCK=1 ;;
    -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 0 ;;
    *) die "unknown argument: $arg (see --help)" ;;
  esac
done

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY_DIR="$REPO_ROOT/python"
LOCK="$PY_DIR/requirements.lock"
REQS_IN="$PY_DIR/requirements.in"
PYTHON="${PYTHON:-python3}"
# Bump when this script changes how a venv is built, to invalidate old caches.
SETUP_FORMAT=1

command -v "$PYTHON" >/dev/null 2>&1 || die "interpreter '$PYTHON' not found (set PYTHON=...)"
# One interpreter call (pyenv shims are slow): version check + identity for the cache key.
PY_INFO="$("$PYTHON" -c 'import sys, platform
print(sys.executable)
print(sys.version.replace("\n", " "), platform.machine(), platform.system(), sys.version_info >= (3, 10))')" \
  || die "cannot run $PYTHON"
PY_EXE="${PY_INFO%%$'\n'*}"   # the real interpreter behind a shim, for uv
PY_ID="${PY_INFO#*$'\n'}"
[[ "$PY_ID" == *" True" ]] || die "$PYTHON is ${PY_ID% False}; mlflow needs Python >= 3.10"

PIP_FLAGS=(--disable-pip-version-check --no-input --only-binary=:all:)
UV_VERSION=0.13.9
INSTALLER="${PYTHON_SETUP_INSTALLER:-uv}"
[[ "$INSTALLER" == uv || "$INSTALLER" == pip ]] || die "PYTHON_SETUP_INSTALLER must be uv or pip"

if [[ "$RELOCK" == 1 ]]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  log "relocking from $REQS_IN"
  "$PYTHON" -m venv "$tmp/venv" >&2
  "$tmp/venv/bin/pip" install "${PIP_FLAGS[@]}" -q -r "$REQS_IN" >&2
  {
    sed -n '1,/^[^#]/p' "$LOCK" | sed '$d'   # keep the existing header comment
    "$tmp/venv/bin/pip" freeze --all --exclude pip --exclude setuptools
  } > "$tmp/lock"
  mv "$tmp/lock" "$LOCK"
  log "wrote $LOCK in $(elapsed) ms"
fi

[[ -f "$LOCK" ]] || die "missing $LOCK"

KEY="$(
  {
    cat "$LOCK"
    echo "$PY_ID"
    echo "format=$SETUP_FORMAT"
  } | sha256sum | cut -c1-16
)"
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/cdktf-databricks-agents"
VENV="$CACHE_ROOT/venv-$KEY"
MARKER="$VENV/.cdktf-databricks-agents-complete"
# Lock files live apart from the venvs so that deleting venv-* never breaks the locking.
mkdir -p "$CACHE_ROOT/locks"

is_complete() {
  [[ -f "$MARKER" ]] && [[ -x "$VENV/bin/python" ]] && "$VENV/bin/python" -c 'pass' 2>/dev/null
}

# Path of a cached uv binary (installed from PyPI once), or nothing if that fails.
uv_bin() {
  local tool="$CACHE_ROOT/uv-$UV_VERSION"
  (
    if command -v flock >/dev/null 2>&1; then
      exec 8>"$CACHE_ROOT/locks/uv-$UV_VERSION.lock"
      flock 8
    fi
    if [[ ! -f "$tool/.complete" ]]; then
      rm -rf "$tool"
      { "$PYTHON" -m venv "$tool" && "$tool/bin/python" -m pip install "${PIP_FLAGS[@]}" -q "uv==$UV_VERSION"; } >&2 \
        || { rm -rf "$tool"; exit 0; }
      touch "$tool/.complete"
    fi
  )
  if [[ -f "$tool/.complete" ]] && "$tool/bin/uv" --version >/dev/null 2>&1; then
    echo "$tool/bin/uv"
  fi
}

build() {
  log "building $VENV (python: ${PY_ID% True})"
  rm -rf "$VENV"
  local uv=""
  if [[ "$INSTALLER" == uv ]]; then
    uv="$(uv_bin)"
    [[ -n "$uv" ]] || log "could not install uv==$UV_VERSION; falling back to pip"
  fi
  if [[ -n "$uv" ]]; then
    log "installing with uv $UV_VERSION"
    if ! { "$uv" venv --quiet --seed --python "$PY_EXE" "$VENV" \
           && "$uv" pip install --quiet --python "$VENV/bin/python" --only-binary :all: -r "$LOCK"; } >&2; then
      log "uv install failed; falling back to pip"
      rm -rf "$VENV"
      uv=""
    fi
  fi
  if [[ -z "$uv" ]]; then
    log "installing with pip"
    "$PYTHON" -m venv "$VENV" >&2
    "$VENV/bin/python" -m pip install "${PIP_FLAGS[@]}" -q -r "$LOCK" >&2
  fi
  log "installed at $(elapsed) ms; import check (also writes the .pyc files)"
  "$VENV/bin/python" -c 'import mlflow.pyfunc, mlflow.models.auth_policy, databricks.sdk, databricks_ai_bridge, pytest' >&2 \
    || die "import check failed in $VENV"
  {
    echo "lock_sha256=$(sha256sum "$LOCK" | cut -d' ' -f1)"
    echo "built_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  } > "$MARKER"
}

STATE=cached
if [[ "$FORCE" == 1 ]] || ! is_complete; then
  STATE=built
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$CACHE_ROOT/locks/venv-$KEY.lock"
    flock 9
  fi
  # Re-check under the lock: another run may have finished the build meanwhile.
  if [[ "$FORCE" == 1 ]] || ! is_complete; then
    build
  else
    STATE=built-by-another-run
  fi
fi

if [[ "$PRUNE" == 1 ]]; then
  for d in "$CACHE_ROOT"/venv-*; do
    [[ -d "$d" && "$d" != "$VENV" ]] || continue  # (uv-* tool dirs are not venv-*)
    log "pruning $d"
    rm -rf "$d"
    rm -f "$CACHE_ROOT/locks/$(basename "$d").lock"
  done
fi

log "venv $STATE in $(elapsed) ms"
echo "$VENV"
