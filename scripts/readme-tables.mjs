#!/usr/bin/env node
// Rewrites the generated tables in README.md from the tables in the code, so the README cannot drift from what
// pvpn-gen does. Run after `npm run build`; test/readme.test.ts fails when the README is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { capabilityTableMarkdown, hardeningTableMarkdown } from '../dist/index.mjs';
import { withReadmeSection } from './readme-sections.mjs';

const file = new URL('../README.md', import.meta.url);
let text = readFileSync(file, 'utf8');
text = withReadmeSection(text, 'capabilities', capabilityTableMarkdown());
text = withReadmeSection(text, 'hardening', hardeningTableMarkdown());
writeFileSync(file, text);
