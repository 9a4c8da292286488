// Untimed `prepare` step: DIR/root becomes a new empty directory. The previous one is renamed aside, not deleted:
// a mass delete on this disk (mounted with discard) can slow the next writes 10x. run.mjs removes all at the end.
import { existsSync, mkdirSync, renameSync } from 'node:fs';

const dir = process.argv[2];
if (existsSync(`${dir}/root`)) renameSync(`${dir}/root`, `${dir}/old-${process.pid}-${Date.now()}`);
mkdirSync(`${dir}/root`, { recursive: true });
