#!/usr/bin/env bash
# Build the Databricks Terraform provider (default v1.99.0, the version @cdktf/provider-databricks
# 15.16.1 pins) with Go and lay it out as a Terraform filesystem mirror, so that `terraform init`
# installs it without the Terraform registry. Also writes the CLI config that points at the mirror.
#
# Usage: scripts/tf/build-provider.sh [--force] [--src PATH]
#   --force     rebuild even if the binary is cached
#   --src PATH  provider source to build from when neither the Go module proxy nor the vendored
#               tarball provides it: a git repository (bare or not) that has the tag v<version>, or
#               a source tree of that version. Same as DATABRICKS_PROVIDER_SRC=PATH.
# Environment: DATABRICKS_PROVIDER_VERSION (default 1.99.0), DATABRICKS_PROVIDER_TARBALL (default
#   <repo>/../shared/vendor/terraform-provider-databricks-<version>.tar.gz), DATABRICKS_PROVIDER_PROBE_TIMEOUT
#   (seconds for the Go module proxy lookup, default 30).
# Prints the path of the generated CLI config file on stdout (use it as TF_CLI_CONFIG_FILE).
#
# Order of attempts when the binary is not cached:
#   1. go install github.com/databricks/terraform-provider-databricks@v<version>  (Go module proxy;
#      only if a quick `go list -m` lookup says the proxy serves that version)
#   2. the vendored tarball (git archive of tag v<version>), sha256-checked against the table in
#      lib.sh, extracted into <cache>/provider-src/<version>, then go build
#   3. a source tree already extracted into <cache>/provider-src/<version>
#   4. --src / DATABRICKS_PROVIDER_SRC (git archive of tag v<version>, or a plain tree)
#   In 2-4 the provider's dependencies still come from the Go module proxy (checked against go.sum).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/tf/lib.sh
source "$here/lib.sh"

force=0
src="${DATABRICKS_PROVIDER_SRC:-}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --force) force=1; shift ;;
    --src) src="${2:?--src needs a path}"; shift 2 ;;
    --src=*) src="${1#--src=}"; shift ;;
    -h | --help) sed -n '2,24p' "$0"; exit 0 ;;
    *) log "unknown argument: $1"; exit 2 ;;
  esac
done

command -v go >/dev/null || { log "go is not on PATH"; exit 1; }

version="$DATABRICKS_PROVIDER_VERSION"
platform="$(tf_platform)"
gobin="$TF_TOOLS_CACHE/provider-bin/$version"
built="$gobin/terraform-provider-databricks"
src_cache="$TF_TOOLS_CACHE/provider-src/$version"
# Unpacked filesystem mirror layout: HOSTNAME/NAMESPACE/TYPE/VERSION/TARGET/ holding what the release
# zip holds, i.e. one executable named terraform-provider-<TYPE>_v<VERSION>. (Terraform accepts any
# file there whose name starts with terraform-provider-<TYPE>.)
# Terraform resolves source "databricks/databricks" to registry.terraform.io, OpenTofu to
# registry.opentofu.org: the mirror holds the same binary under both hostnames.
mirror_hosts=(registry.terraform.io registry.opentofu.org)

# Is DIR a provider source tree of the wanted version?
is_provider_tree() {
  [[ -f "$1/go.mod" && -f "$1/common/version.go" ]] &&
    grep -q "^module $DATABRICKS_PROVIDER_MODULE\$" "$1/go.mod" &&
    grep -q "version = \"$version\"" "$1/common/version.go"
}

build_from_tree() {
  local tree="$1"
  log "provider $version: go build in $tree (dependencies from the Go module proxy)"
  (cd "$tree" && go build -trimpath -buildvcs=false -ldflags "-s -w" -o "$built.tmp" .)
  mv "$built.tmp" "$built"
}

# Does the Go module proxy serve the module at this version? A metadata lookup only (under a second
# when it answers); the slow `go install` runs only after a yes.
proxy_serves() {
  local t=() err
  command -v timeout >/dev/null && t=(timeout "${DATABRICKS_PROVIDER_PROBE_TIMEOUT:-30}")
  if err="$(cd / && ${t[@]+"${t[@]}"} go list -m "$DATABRICKS_PROVIDER_MODULE@v$version" 2>&1 >/dev/null)"; then
    return 0
  fi
  log "provider $version: the Go module proxy does not serve it (${err%%$'\n'*})"
  return 1
}

# Verify the vendored tarball's sha256 and extract it into $src_cache (replacing what was there).
extract_tarball() {
  local tarball="$1" want got top tmp commit
  want="$(provider_tarball_sha256 "$version")"
  if [[ -z "$want" ]]; then
    log "provider $version: found $tarball, but scripts/tf/lib.sh has no sha256 for version $version."
    log "Fix: add the sha256 of the git archive of tag v$version to provider_tarball_sha256 in scripts/tf/lib.sh."
    exit 1
  fi
  got="$(sha256_of "$tarball")"
  if [[ "$got" != "$want" ]]; then
    log "provider $version: refusing $tarball"
    log "  found    sha256 $got"
    log "  expected sha256 $want (scripts/tf/lib.sh, git archive of tag v$version)"
    log "Fix: replace the file with the vendored tarball of v$version (see ../shared/vendor/README.md),"
    log "  or point DATABRICKS_PROVIDER_TARBALL at it, or pass --src with a clone that has tag v$version."
    exit 1
  fi
  log "provider $version: using $tarball (sha256 $got)"
  top="terraform-provider-databricks-$version"
  mkdir -p "$(dirname "$src_cache")"
  tmp="$(mktemp -d "$src_cache.tmp.XXXXXX")"
  tar -xzf "$tarball" -C "$tmp"
  if [[ ! -d "$tmp/$top" ]]; then
    rm -rf "$tmp"
    log "provider $version: $tarball does not unpack into $top/"
    exit 1
  fi
  commit="$({ gzip -dc "$tarball" | git get-tar-commit-id; } 2>/dev/null || true)"
  printf 'vendored tarball %s sha256 %s%s\n' "$tarball" "$got" "${commit:+ commit $commit}" >"$tmp/$top/.source-info"
  rm -rf "$src_cache"
  mv "$tmp/$top" "$src_cache"
  rm -rf "$tmp"
  is_provider_tree "$src_cache" || { log "$tarball is not provider source of version $version"; exit 1; }
}

tarball="$(provider_tarball_path "$version")"
if [[ -n "${DATABRICKS_PROVIDER_TARBALL:-}" && ! -f "$tarball" ]]; then
  log "DATABRICKS_PROVIDER_TARBALL=$tarball: no such file"
  exit 1
fi

start="$(now)"
how=""
if [[ $force -eq 0 && -x "$built" ]]; then
  how="cached"
  log "provider $version: cached ($built)"
else
  mkdir -p "$gobin"
  log "provider $version: building (a cold build takes 2-6 minutes on 2 cores)"
  if proxy_serves && GOBIN="$gobin" go install -trimpath -ldflags "-s -w" "$DATABRICKS_PROVIDER_MODULE@v$version"; then
    how="go install"
  elif [[ -z "$src" && -f "$tarball" ]]; then  # an explicit --src / DATABRICKS_PROVIDER_SRC wins
    extract_tarball "$tarball"
    build_from_tree "$src_cache"
    how="go build (vendored tarball)"
  elif [[ -z "$src" ]] && is_provider_tree "$src_cache"; then
    log "provider $version: no vendored tarball at $tarball; using $src_cache"
    build_from_tree "$src_cache"
    how="go build (cached source)"
  elif [[ -n "$src" ]]; then
    log "provider $version: no vendored tarball at $tarball; using source $src"
    if git -C "$src" rev-parse --verify --quiet "refs/tags/v$version^{commit}" >/dev/null 2>&1; then
      rm -rf "$src_cache.tmp"
      mkdir -p "$src_cache.tmp"
      git -C "$src" archive "refs/tags/v$version" | tar -x -C "$src_cache.tmp"
      printf 'tag v%s commit %s from %s\n' "$version" \
        "$(git -C "$src" rev-parse "refs/tags/v$version^{commit}")" "$src" >"$src_cache.tmp/.source-info"
      rm -rf "$src_cache"
      mv "$src_cache.tmp" "$src_cache"
      tree="$src_cache"
    elif is_provider_tree "$src"; then
      tree="$src"
    else
      log "$src is neither a git repository with tag v$version nor a source tree of version $version"
      exit 1
    fi
    is_provider_tree "$tree" || { log "$tree is not provider source of version $version"; exit 1; }
    build_from_tree "$tree"
    how="go build (from $src)"
  else
    log "provider $version: the Go module proxy does not serve it and there is no vendored tarball at"
    log "  $tarball"
    log "Fix: put terraform-provider-databricks-$version.tar.gz there (or set DATABRICKS_PROVIDER_TARBALL),"
    log "  or pass a clone of github.com/databricks/terraform-provider-databricks that has tag v$version:"
    log "  $0 --src /path/to/terraform-provider-databricks   (or DATABRICKS_PROVIDER_SRC=...)"
    exit 1
  fi
  {
    printf 'built %s by %s with %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$how" "$(go version)"
    if [[ "$how" == go\ build* ]]; then cat "$src_cache/.source-info" 2>/dev/null || true; fi
  } >"$gobin/build-info.txt"
  log "provider $version: built in $(elapsed "$start")s ($how)"
fi

include=""
for host in "${mirror_hosts[@]}"; do
  mirror_pkg_dir="$TF_MIRROR_DIR/$host/databricks/databricks/$version/$platform"
  mirror_bin="$mirror_pkg_dir/terraform-provider-databricks_v$version"
  mkdir -p "$mirror_pkg_dir"
  # A copy, not a symlink, so the mirror stays valid on its own; skipped when identical.
  if ! cmp -s "$built" "$mirror_bin"; then
    cp "$built" "$mirror_bin.tmp"
    chmod 0755 "$mirror_bin.tmp"
    mv "$mirror_bin.tmp" "$mirror_bin"
  fi
  log "provider $version: mirror $mirror_bin"
  include+="${include:+, }\"$host/databricks/databricks\""
done

cat >"$TF_CLI_CONFIG.tmp" <<CONF
# Generated by scripts/tf/build-provider.sh: offline installation of databricks/databricks $version.
provider_installation {
  filesystem_mirror {
    path    = "$TF_MIRROR_DIR"
    include = [$include]
  }
  direct {
    exclude = [$include]
  }
}
# No upgrade/security-bulletin calls to checkpoint-api.hashicorp.com.
disable_checkpoint = true
CONF
mv "$TF_CLI_CONFIG.tmp" "$TF_CLI_CONFIG"

log "provider $version: $how, $(elapsed "$start")s"
printf '%s\n' "$TF_CLI_CONFIG"
