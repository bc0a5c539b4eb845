#!/usr/bin/env bash
# Installs playwright-core (npm ci, from package-lock.json) when missing, then
# runs a browser test (run.mjs unless another script is named) against the
# given daemon binary.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -d node_modules/playwright-core ]; then
    npm ci --no-audit --no-fund --loglevel=error
fi
exec node "${2:-run.mjs}" "$1"
