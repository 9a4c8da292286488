/**
 * Which init system runs here: facts are read once (readFacts, the I/O), the decision is a pure function of them
 * (decide), so every rule is tested with plain data and `pvpn-gen detect` can show its reasoning.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { RUNIT_LAYOUTS, RUNIT_LAYOUT_NAMES } from '../render/targets.js';
import type { RunitLayoutName, TargetName } from '../render/types.js';

export interface InitFacts {
  /** sd_booted(3): the directory exists only when systemd is PID 1 */
  readonly systemdBooted: boolean;
  /** a runsvdir process is running, with the directory it scans */
  readonly runsvdirScanning: readonly string[];
  /** existing paths among each layout's service and enable directories */
  readonly existing: ReadonlySet<string>;
}

export type Detection =
  | { readonly ok: true; readonly target: TargetName; readonly layout: RunitLayoutName | null; readonly reasons: readonly string[] }
  | { readonly ok: false; readonly reasons: readonly string[] };

/** Paths whose existence the rules look at, under `root` ('' for the live system). */
export function factPaths(): string[] {
  return ['/run/systemd/system', ...RUNIT_LAYOUT_NAMES.flatMap((n) => [RUNIT_LAYOUTS[n].serviceDir, RUNIT_LAYOUTS[n].enableDir, RUNIT_LAYOUTS[n].scanDir])];
}

export function readFacts(root: string, live: boolean): InitFacts {
  const existing = new Set(factPaths().filter((p) => existsSync(root + p)));
  const runsvdirScanning: string[] = [];
  if (live) {
    for (const pid of safeReaddir('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      const argv = safeRead(`/proc/${pid}/cmdline`).split('\0');
      if (argv[0]?.endsWith('runsvdir')) runsvdirScanning.push(argv.slice(1).find((a) => a.startsWith('/')) ?? '?');
    }
  }
  return { systemdBooted: live ? existsSync('/run/systemd/system') : existing.has('/run/systemd/system'), runsvdirScanning, existing };
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

export function decide(facts: InitFacts): Detection {
  const reasons: string[] = [];
  if (facts.systemdBooted) {
    return { ok: true, target: 'systemd', layout: null, reasons: ['/run/systemd/system exists: systemd is PID 1'] };
  }
  reasons.push('/run/systemd/system does not exist: systemd is not running');
  const matchesLayout = (name: RunitLayoutName) => {
    const layout = RUNIT_LAYOUTS[name];
    return facts.existing.has(layout.serviceDir) && (facts.existing.has(layout.enableDir) || facts.existing.has(layout.scanDir));
  };
  // Artix first: its /etc/runit/sv is unambiguous; Void and Debian share /etc/sv and differ in the enable directory.
  const candidates = (['artix', 'void', 'debian'] as const).filter(matchesLayout);
  if (facts.runsvdirScanning.length > 0) reasons.push(`runsvdir is running (scanning ${facts.runsvdirScanning.join(', ')})`);
  const scanned = candidates.find((name) => facts.runsvdirScanning.includes(RUNIT_LAYOUTS[name].scanDir));
  const layout = scanned ?? candidates[0];
  if (layout) {
    const l = RUNIT_LAYOUTS[layout];
    reasons.push(`${l.serviceDir} and ${facts.existing.has(l.enableDir) ? l.enableDir : l.scanDir} exist: the ${l.distro} runit layout`);
    return { ok: true, target: 'runit', layout, reasons };
  }
  reasons.push(
    `no runit layout found (looked for ${RUNIT_LAYOUT_NAMES.map((n) => `${RUNIT_LAYOUTS[n].serviceDir} with ${RUNIT_LAYOUTS[n].enableDir}`).join('; ')})`,
  );
  return { ok: false, reasons };
}
