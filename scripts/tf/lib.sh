# shellcheck shell=bash disable=SC2034  # variables are used by the scripts that source this file
# Shared settings for scripts/tf/*.sh. Source it; do not execute it.

# Cache root for everything these scripts build (provider binary, mirror, CLI config, OpenTofu).
TF_TOOLS_CACHE="${CDKTF_DATABRICKS_AGENTS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdktf-databricks-agents}"

# The provider that @cdktf/provider-databricks 15.16.1 pins in required_providers.
DATABRICKS_PROVIDER_MODULE="github.com/databricks/terraform-provider-databricks"
DATABRICKS_PROVIDER_VERSION="${DATABRICKS_PROVIDER_VERSION:-1.99.0}"

# Repository root (this file is scripts/tf/lib.sh).
TF_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# Vendored provider sources: `git archive` of the release tag, beside the repository in
# ../shared/vendor/ (see its README.md). Each unpacks into terraform-provider-databricks-<version>/.
# DATABRICKS_PROVIDER_TARBALL overrides the path.
provider_tarball_path() {
  printf '%s\n' "${DATABRICKS_PROVIDER_TARBALL:-$TF_REPO_ROOT/../shared/vendor/terraform-provider-databricks-$1.tar.gz}"
}

# provider_tarball_sha256 VERSION -> the sha256 the vendored tarball must have (empty if unknown).
provider_tarball_sha256() {
  case "$1" in
    1.99.0) echo d4908bad79436751c5569e63fd02330db474e3c31cd44bd900b32a641528e830 ;;  # tag v1.99.0, commit 89280eb5b7e2a0ddf5d0a3ef99087e1683d9c0fa
    1.128.0) echo 0526b1c22c287d1e27b76c0bbb71583c1e1bec5024742ec5256b8ced1f3150b1 ;; # tag v1.128.0, commit 864cc835b01ba013e35c4a78e3e3ebe59a84c76c
    *) echo "" ;;
  esac
}

# sha256_of FILE -> hex digest (coreutils sha256sum, or shasum on macOS).
sha256_of() {
  if command -v sha256sum >/dev/null; then
    sha256sum "$1" | cut -d' ' -f1
  else
    shasum -a 256 "$1" | cut -d' ' -f1
  fi
}

# Terraform's platform naming (GOOS_GOARCH).
tf_platform() {
  printf '%s_%s\n' "$(go env GOOS)" "$(go env GOARCH)"
}

TF_MIRROR_DIR="$TF_TOOLS_CACHE/tf-mirror"
TF_CLI_CONFIG="$TF_TOOLS_CACHE/terraformrc"

# Seconds since the epoch with sub-second precision (bash 5 EPOCHREALTIME).
now() {
  printf '%s\n' "${EPOCHREALTIME:-$(date +%s.%N)}"
}

# elapsed START -> "12.3"
elapsed() {
  awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.1f", e - s }'
}

log() {
  printf '[tf] %s\n' "$*" >&2
}
