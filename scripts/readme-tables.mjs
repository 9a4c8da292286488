#!/usr/bin/env node
// Rewrites the generated tables in README.md (between <!-- NAME:start --> and <!-- NAME:end -->) from the tables
// in the code, so the README cannot drift from what pvpn-gen does. Run after `npm run build`;
// test/readme.test.ts fails when the README is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { capabilityTableMarkdown, hardeningTableMarkdown } from '../dist/index.mjs';

const file = new URL('../README.md', import.meta.url);
let text = readFileSync(file, 'utf8');
for (const [name, table] of [
  ['capabilities', capabilityTableMarkdown()],
  ['hardening', hardeningTableMarkdown()],
]) {
  const pattern = new RegExp(`(<!-- ${name}:start -->\\n)[\\s\\S]*?(<!-- ${name}:end -->)`);
  if (!pattern.test(text)) throw new Error(`README.md has no <!-- ${name}:start --> ... <!-- ${name}:end --> section`);
  text = text.replace(pattern, (_m, start, end) => `${start}${table}\n${end}`);
}
writeFileSync(file, text);
