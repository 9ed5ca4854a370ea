#!/usr/bin/env bash
# Print the path of the Terraform-compatible CLI to use (stdout); say which one on stderr.
#
# Usage: scripts/tf/terraform-bin.sh [--tofu]
#   1. $TF_BIN if set (must be executable),
#   2. `terraform` on PATH,
#   3. otherwise (or with --tofu) OpenTofu built from its Go module, cached under
#      <cache>/tofu-bin/<version>/tofu. The version is OPENTOFU_VERSION (default below).
#
# OpenTofu cannot be built with `go install module@version` because its go.mod has a replace
# directive, so the module is downloaded with `go mod download` and built inside the module dir.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/tf/lib.sh
source "$here/lib.sh"

# A recent v1.x release that the Go module proxy serves.
OPENTOFU_VERSION="${OPENTOFU_VERSION:-v1.10.10}"

want_tofu=0
case "${1:-}" in
  --tofu) want_tofu=1 ;;
  "") ;;
  -h | --help) sed -n '2,12p' "$0"; exit 0 ;;
  *) log "unknown argument: $1"; exit 2 ;;
esac

describe() {
  # First line of `<bin> version`, e.g. "Terraform v1.11.4" or "OpenTofu v1.10.10".
  "$1" version 2>/dev/null | head -n 1 || true
}

if [[ $want_tofu -eq 0 && -n "${TF_BIN:-}" ]]; then
  [[ -x "$TF_BIN" ]] || { log "TF_BIN=$TF_BIN is not executable"; exit 1; }
  log "using TF_BIN $TF_BIN ($(describe "$TF_BIN"))"
  printf '%s\n' "$TF_BIN"
  exit 0
fi

if [[ $want_tofu -eq 0 ]] && bin="$(command -v terraform)"; then
  log "using terraform from PATH: $bin ($(describe "$bin"))"
  printf '%s\n' "$bin"
  exit 0
fi

tofu="$TF_TOOLS_CACHE/tofu-bin/$OPENTOFU_VERSION/tofu"
if [[ -x "$tofu" ]]; then
  log "using OpenTofu (cached): $tofu ($(describe "$tofu"))"
  printf '%s\n' "$tofu"
  exit 0
fi

command -v go >/dev/null || { log "no terraform on PATH and no go to build OpenTofu"; exit 1; }
start="$(now)"
if [[ $want_tofu -eq 1 ]]; then reason="--tofu"; else reason="no terraform on PATH"; fi
log "$reason: building OpenTofu $OPENTOFU_VERSION from the Go module proxy"
# Run outside any module so `go mod download` takes module@version.
moddir="$(cd / && GOFLAGS=-mod=mod go mod download -json "github.com/opentofu/opentofu@$OPENTOFU_VERSION" |
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
[[ -n "$moddir" && -d "$moddir" ]] || { log "go mod download did not report a module dir"; exit 1; }
mkdir -p "$(dirname "$tofu")"
# The module cache is read-only; the build writes only the -o target and the Go build cache.
# version.dev=no is what release builds set; without it the binary calls itself "<version>-dev".
(cd "$moddir" && GOFLAGS=-mod=readonly go build -trimpath -buildvcs=false \
  -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" -o "$tofu.tmp" ./cmd/tofu)
mv "$tofu.tmp" "$tofu"
log "built OpenTofu $OPENTOFU_VERSION in $(elapsed "$start")s: $tofu ($(describe "$tofu"))"
printf '%s\n' "$tofu"
