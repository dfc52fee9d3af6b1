#!/usr/bin/env bash
# Builds web/dist for the server to embed: local Node 24, `npm ci` when
# node_modules is missing or older than the lockfile, then `npm run build`.
# Skips the build when dist is newer than every source file (BUILD_FORCE=1
# builds anyway).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-env.sh
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ] || [ ! -f node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
  touch node_modules
fi
if [ "${BUILD_FORCE:-0}" != "1" ] && [ -f dist/index.html ] && \
   [ -z "$(find src index.html graphiql.html package-lock.json vite.config.ts ../schema.graphql -newer dist/index.html -print -quit 2>/dev/null)" ]; then
  echo "web: dist is current"
  exit 0
fi
npm run --silent build
echo "web: built $(du -sh dist | cut -f1) into web/dist"
