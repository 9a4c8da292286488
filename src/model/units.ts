/**
 * Time spans and byte sizes: parsed from the spec's forms into plain numbers, and formatted back the way
 * systemd writes them (so units read naturally: `OnUnitActiveSec=1h`, `MemoryMax=50M`).
 * The schema's patterns accept exactly what these parsers accept; both are tested against each other.
 */

const MS_PER_UNIT: Readonly<Record<string, number>> = {
  ms: 1,
  msec: 1,
  s: 1000,
  sec: 1000,
  secs: 1000,
  second: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hrs: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
  w: 604_800_000,
  week: 604_800_000,
  weeks: 604_800_000,
};

const SPAN_PART = /([0-9]+(?:\.[0-9]+)?) *([a-z]*)/gy;

/**
 * `90`, `90s`, `5min`, `2h 30min`, `1.5h` -> milliseconds; undefined when it is not a span (systemd.time(7)) or too
 * long to count exactly (beyond 2^53 ms, some 285,000 years).
 */
export function parseDuration(value: number | string): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 && Number.isSafeInteger(value * 1000) ? value * 1000 : undefined;
  const text = value.trim();
  if (text === '') return undefined;
  let total = 0;
  let index = 0;
  SPAN_PART.lastIndex = 0;
  while (index < text.length) {
    SPAN_PART.lastIndex = index;
    const match = SPAN_PART.exec(text);
    if (!match || match[0] === '') return undefined;
    const [, amount = '', unit = ''] = match;
    const first = index === 0;
    index = SPAN_PART.lastIndex;
    while (text[index] === ' ') index++;
    // A bare number means seconds, as in systemd, but only on its own: "2h 30" is more likely a slip than 2h 30s.
    const factor = unit === '' ? (first && index >= text.length ? 1000 : undefined) : MS_PER_UNIT[unit];
    if (factor === undefined) return undefined;
    total += Number(amount) * factor;
  }
  const ms = Math.round(total);
  return Number.isSafeInteger(ms) ? ms : undefined;
}

const SPAN_UNITS: ReadonlyArray<[string, number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['min', 60_000],
  ['s', 1000],
  ['ms', 1],
];

/** Milliseconds -> systemd's own normal form: `1h`, `5min`, `1min 30s`, `0`. Weeks stay days, as systemd prints them. */
export function formatSpan(ms: number): string {
  if (ms === 0) return '0';
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of SPAN_UNITS) {
    const count = Math.floor(rest / size);
    if (count > 0) {
      parts.push(`${count}${unit}`);
      rest -= count * size;
    }
  }
  return parts.join(' ');
}

/** Whole seconds for sleep(1) in the runit loop, rounded up so a job never runs early. */
export function toSeconds(ms: number): number {
  return Math.ceil(ms / 1000);
}

const SIZE_FACTORS: Readonly<Record<string, number>> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** `50M` -> 52428800 bytes (1024-based, as systemd and svlogd count). */
export function parseSize(value: number | string): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : undefined;
  const match = /^([1-9][0-9]*)([KMGT]?)$/.exec(value);
  if (!match) return undefined;
  const bytes = Number(match[1]) * (SIZE_FACTORS[match[2] ?? ''] ?? 1);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** Bytes -> the largest exact K/M/G/T form systemd accepts: 52428800 -> `50M`. */
export function formatSize(bytes: number): string {
  for (const suffix of ['T', 'G', 'M', 'K'] as const) {
    const factor = SIZE_FACTORS[suffix] ?? 1;
    if (bytes % factor === 0) return `${bytes / factor}${suffix}`;
  }
  return String(bytes);
}
