#!/usr/bin/env bash
# Installs a local Node 24 under web/.node (idempotent) and puts it on PATH.
# Usage: source web/scripts/node-env.sh   (or run it to print the PATH line)
set -euo pipefail
_web_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_node_version="24.21.0"
_node_bin="$_web_dir/.node/node_modules/.bin"
if [ ! -x "$_node_bin/node" ] || [ "$("$_node_bin/node" --version 2>/dev/null)" != "v$_node_version" ]; then
  echo "node-env: installing node@$_node_version into $_web_dir/.node" >&2
  mkdir -p "$_web_dir/.node"
  npm install --no-save --no-audit --no-fund --prefix "$_web_dir/.node" "node@$_node_version" >&2
fi
export PATH="$_node_bin:$PATH"
if [[ "${BASH_SOURCE[0]}" == "${0}" ]]; then
  echo "export PATH=\"$_node_bin:\$PATH\""
else
  set +euo pipefail
fi
