#!/usr/bin/env bash
# Set up the cached Python venv (scripts/python-setup.sh), type-check python/ with mypy, and run
# the pytest suite in python/tests, printing the time each step took.
#
# Usage:
#   scripts/python-test.sh                  # setup + mypy + pytest
#   scripts/python-test.sh -k roundtrip -x  # extra arguments go to pytest
#   PYTHON_TEST_SKIP_MYPY=1 scripts/python-test.sh
#
# Exit status: the first failing step's (pytest's own codes; 5 = no tests collected).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
T0=$(now_ms)

VENV="$("$REPO_ROOT/scripts/python-setup.sh" | tail -n1)"
T1=$(now_ms)
echo "python-test: setup $((T1 - T0)) ms ($VENV)" >&2

cd "$REPO_ROOT/python"
export MLFLOW_DISABLE_TELEMETRY=true

MYPY_MS=skipped
if [[ "${PYTHON_TEST_SKIP_MYPY:-0}" != 1 ]]; then
  "$VENV/bin/python" -m mypy
  T2=$(now_ms)
  MYPY_MS="$((T2 - T1)) ms"
  echo "python-test: mypy $MYPY_MS" >&2
fi

T3=$(now_ms)
status=0
"$VENV/bin/python" -m pytest "$@" || status=$?
T4=$(now_ms)
echo "python-test: pytest $((T4 - T3)) ms (exit $status)" >&2
echo "python-test: total $((T4 - T0)) ms (setup $((T1 - T0)) ms, mypy $MYPY_MS, pytest $((T4 - T3)) ms)" >&2
exit "$status"
