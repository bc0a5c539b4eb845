#!/usr/bin/env node
// Lints an OpenAPI document with Redocly's linter (@redocly/openapi-core, the
// engine of `redocly lint`) and the rules in redocly.yaml beside this file.
// Prints every problem; exits 1 if there is any (error or warning), 2 on bad
// usage.
//
//   node lint.mjs ../../resources/openapi/openapi.json

import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { formatProblems, getTotals, lint, loadConfig } from '@redocly/openapi-core';

if (process.argv.length !== 3) {
  console.error('usage: node lint.mjs <openapi document>');
  process.exit(2);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const config = await loadConfig({ configPath: path.join(here, 'redocly.yaml') });
const problems = await lint({ ref: path.resolve(process.argv[2]), config });
const totals = getTotals(problems);
formatProblems(problems, { format: 'stylish', totals, version: 'openapi-core', color: false });
console.log(`${totals.errors} errors, ${totals.warnings} warnings, ${totals.ignored} ignored`);
process.exit(totals.errors + totals.warnings > 0 ? 1 : 0);
