#!/usr/bin/env bash
# Installs Redocly's linter (npm ci, from package-lock.json) when it is missing
# or the lock file changed since, then lints the given OpenAPI document
# (lint.mjs, rules in redocly.yaml).
set -euo pipefail
cd "$(dirname "$0")"
stamp=node_modules/.installed-package-lock.json
if ! cmp -s package-lock.json "$stamp" 2>/dev/null; then
    npm ci --no-audit --no-fund --loglevel=error
    cp package-lock.json "$stamp"
fi
exec node lint.mjs "$1"
