// Preloaded with `node --import` by timer.mjs: records the process's peak resident set size (KB) when it exits.
import { writeFileSync } from 'node:fs';

process.on('exit', () => writeFileSync(process.env.PVPN_BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)));
