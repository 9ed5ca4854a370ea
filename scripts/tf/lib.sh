# shellcheck shell=bash disable=SC2034  # variables are used by the scripts that source this file
# Shared settings for scripts/tf/*.sh. Source it; do not execute it.

# Cache root for everything these scripts build (provider binary, mirror, CLI config, OpenTofu).
TF_TOOLS_CACHE="${CDKTF_DATABRICKS_AGENTS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdktf-databricks-agents}"

# The provider that @cdktf/provider-databricks 15.16.1 pins in required_providers.
DATABRICKS_PROVIDER_MODULE="github.com/databricks/terraform-provider-databricks"
DATABRICKS_PROVIDER_VERSION="${DATABRICKS_PROVIDER_VERSION:-1.99.0}"

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
