// Preloaded with `node --require` by timer.mjs: records the process's peak resident set size (KB) when it exits.
// CommonJS on purpose: the CLI itself never starts the ESM loader, and an --import hook would (a few MB more).
'use strict';
const { writeFileSync } = require('node:fs');

process.on('exit', () => writeFileSync(process.env.PVPN_BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)));
