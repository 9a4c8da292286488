// Reads the directive names out of systemd's core library (its unit-file parser table holds "Section.Name" keys).
import { readdirSync, readFileSync } from 'node:fs';

const SECTIONS = ['Unit', 'Service', 'Timer'];

/** /usr/lib/<triplet>/systemd/libsystemd-core-<version>.so, or undefined. */
export function findCoreLibrary() {
  for (const lib of ['/usr/lib', '/lib']) {
    let entries = [];
    try {
      entries = readdirSync(lib);
    } catch {
      continue;
    }
    for (const dir of [lib, ...entries.map((e) => `${lib}/${e}`)]) {
      try {
        const found = readdirSync(`${dir}/systemd`).find((f) => /^libsystemd-core-\d+\.so$/.test(f));
        if (found) return `${dir}/systemd/${found}`;
      } catch {
        // not a directory with systemd in it
      }
    }
  }
  return undefined;
}

/** { Unit: [...], Service: [...], Timer: [...] }, each sorted. */
export function directivesInLibrary(path) {
  const text = readFileSync(path).toString('latin1');
  const found = Object.fromEntries(SECTIONS.map((s) => [s, new Set()]));
  // NUL-terminated strings in .rodata: "Service.ProtectSystem\0"
  for (const match of text.matchAll(/(?<=\0)(Unit|Service|Timer)\.([A-Z][A-Za-z0-9]+)(?=\0)/g)) found[match[1]].add(match[2]);
  return Object.fromEntries(SECTIONS.map((s) => [s, [...found[s]].sort()]));
}
