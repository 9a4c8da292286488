/**
 * Generated specs of N services, deterministic (same N -> same bytes), so that runs and machines compare.
 * Realistic mix, not N copies of one service: ~60 % interval jobs, ~15 % calendar jobs, ~25 % daemons; names,
 * intervals, delays, users, environment (0-4 variables), limits, hardening profiles, failure hooks, preconditions,
 * logging and ordering vary per service. Every generated spec validates for systemd (checked by run.mjs).
 */
import { writeFileSync } from 'node:fs';

const WORDS = ['vpn', 'backup', 'sync', 'health', 'metrics', 'mail', 'index', 'cache', 'report', 'rotate', 'fetch', 'scan', 'notify', 'mirror', 'prune'];
const USERS = ['protonvpn', 'backup', 'www-data', 'metrics', 'mailer', '_sync', 'svc-runner'];
const INTERVALS = ['30s', '90s', '5min', '15min', '1h', '2h 30min', '6h', '1d', 3600, '12h'];
const CALENDARS = ['*-*-* 03:30:00', 'Mon *-*-* 04:00:00', '*-*-* *:00/15:00', '*-*-01 00:00:00', 'Sat,Sun *-*-* 12:00:00', 'daily', 'hourly'];
const PROFILES = ['none', 'basic', 'strict'];

/** A tiny deterministic PRNG (mulberry32), so the spec does not depend on Math.random. */
function rng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const q = (s) => JSON.stringify(String(s)); // a JSON string is a valid YAML flow scalar

/** The YAML text of a spec with `count` services. */
export function specText(count) {
  const r = rng(count * 7919 + 1);
  const pick = (list) => list[Math.floor(r() * list.length)];
  const lines = ['version: 1', `project: bench-${count}`, 'defaults:', '  environment: { LANG: C.UTF-8 }', 'services:'];
  for (let i = 0; i < count; i++) {
    const word = pick(WORDS);
    const name = `${word}-${pick(WORDS)}-${String(i).padStart(5, '0')}`;
    const user = pick(USERS);
    const kind = r();
    lines.push(`  ${name}:`);
    lines.push(`    description: ${q(`${word} task number ${i} for ${user}`)}`);
    lines.push(`    command: [${q(`/usr/local/bin/${word}-tool`)}, ${q(`--job=${name}`)}, ${q(`--level=${Math.floor(r() * 5)}`)}]`);
    if (kind < 0.6) {
      lines.push(`    interval: ${q(pick(INTERVALS))}`);
      if (r() < 0.7) lines.push(`    randomizedDelay: ${q(`${1 + Math.floor(r() * 30)}s`)}`);
      if (r() < 0.5) lines.push(`    onBoot: ${q(`${1 + Math.floor(r() * 10)}min`)}`);
    } else if (kind < 0.75) {
      lines.push(`    calendar: ${q(pick(CALENDARS))}`);
      if (r() < 0.5) lines.push('    persistent: true');
    } else {
      lines.push(`    restart: ${pick(['always', 'on-failure'])}`);
      if (r() < 0.5) lines.push(`    restartDelay: ${q(`${1 + Math.floor(r() * 9)}s`)}`);
      if (r() < 0.5) lines.push('    after: [network-online.target]', '    wants: [network-online.target]');
    }
    lines.push(`    user: ${user}`);
    if (r() < 0.6) lines.push(`    workingDirectory: /var/lib/${name}`);
    const envCount = Math.floor(r() * 5);
    if (envCount > 0) {
      lines.push('    environment:');
      for (let e = 0; e < envCount; e++) lines.push(`      ${word.toUpperCase()}_VAR_${e}: ${q(`value ${Math.floor(r() * 1e6)} for ${name}`)}`);
    }
    if (r() < 0.3) lines.push(`    precondition: [/usr/bin/test, -e, ${q(`/etc/${word}/enabled`)}]`);
    if (r() < 0.3) lines.push(`    onFailure: [/usr/local/bin/notify, ${q(`${name} failed`)}]`);
    if (r() < 0.7) lines.push(`    limits: { memory: ${16 << Math.floor(r() * 4)}M, nofile: ${pick([256, 1024, 4096])}, runtime: ${q(pick(['1min', '10min', '1h']))} }`);
    lines.push(`    hardening: ${pick(PROFILES)}`);
    if (r() < 0.4) lines.push(`    logging: { dir: /var/log/${name}, maxSize: 1M, keep: ${1 + Math.floor(r() * 9)} }`);
  }
  return lines.join('\n') + '\n';
}

export function writeSpec(path, count) {
  writeFileSync(path, specText(count));
  return path;
}
