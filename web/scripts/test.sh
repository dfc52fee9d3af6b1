#!/usr/bin/env bash
# The web UI's whole test run, as the project's test command calls it:
# local Node, dependencies, generated types current, typecheck + build,
# bundle budget, unit tests, Chromium, end-to-end tests against a real server.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n=== web: %s\n' "$*"; }

step "node"
source scripts/node-env.sh
node --version

step "dependencies"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ] || [ ! -f node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
  touch node_modules
else
  echo "node_modules is current"
fi

step "generated GraphQL types are current"
npm run --silent codegen:check

step "typecheck and build"
npm run --silent build

step "bundle budget"
node scripts/bundle-size.mjs

step "unit tests (vitest)"
npx vitest run

step "chromium"
scripts/ensure-chromium.sh

step "end-to-end tests (playwright, real server)"
scripts/e2e.sh
