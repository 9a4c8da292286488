/**
 * Calendar schedules for services: `calendar: "<systemd OnCalendar expression>"`.
 *
 * {@link parseCalendar} reads the calendar-event syntax of systemd.time(7) and prints it back in the exact
 * "Normalized form:" that `systemd-analyze calendar` (systemd 252) prints. The parser is a line-by-line port of
 * systemd's src/shared/calendarspec.c (calendar_spec_from_string, calendar_spec_normalize, calendar_spec_valid,
 * calendar_spec_to_string), because the accepted language is defined by that code, not by the man page: several
 * comments below point at places where the two differ. The parsed form is what the targets translate (runit:
 * src/targets/snooze.ts).
 *
 * Pure: no I/O, no clock, no environment (the local timezone is never consulted).
 */

/** Weekday names as systemd prints them, Monday first (systemd.time(7): weeks start on Monday). */
export const WEEKDAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
export type Weekday = (typeof WEEKDAY_NAMES)[number];

/**
 * One comma-separated entry of a calendar field, as systemd stores it after normalization
 * (CalendarComponent in calendarspec.c): `start`, `start..end`, `start/repeat` or `start..end/repeat`.
 * Matching values are start, start+repeat, start+2*repeat, ... up to `end` (or the field's maximum).
 */
export interface CalendarValueRange {
  readonly start: number;
  /**
   * Inclusive end of a `..` range, or null. Normalization trims it to the last value the repetition
   * actually reaches (`1..10/4` is stored and printed as `01..09/4`).
   */
  readonly end: number | null;
  /**
   * Step between matching values; 0 = just `start`. A `..` range without `/N` has repeat 1
   * (1 second for the seconds field), which is how systemd stores it.
   */
  readonly repeat: number;
}

/** `'any'` is `*`; otherwise the entries sorted by (start, end, repeat) without duplicates, as systemd sorts them. */
export type CalendarFieldMatch = 'any' | readonly CalendarValueRange[];

/** A parsed and normalized calendar event (systemd.time(7), "CALENDAR EVENTS"). */
export interface CalendarSpec {
  /** Days of the week the event may fall on, Monday first; `'any'` also when all seven are listed (systemd drops them). */
  readonly weekdays: 'any' | readonly Weekday[];
  /** Four-digit years, 1970..2199 (two-digit input is already widened: 00..69 -> 20xx, 70..99 -> 19xx). */
  readonly year: CalendarFieldMatch;
  /** Months 1..12. */
  readonly month: CalendarFieldMatch;
  /** Days of the month 1..31, or with {@link dayCountsBackFromMonthEnd} 1..28 days back from the last day. */
  readonly day: CalendarFieldMatch;
  /** True for the `~` separator: `*-02~03` is the third-last day of February (1 = the last day). */
  readonly dayCountsBackFromMonthEnd: boolean;
  /** Hours 0..23. */
  readonly hour: CalendarFieldMatch;
  /** Minutes 0..59. */
  readonly minute: CalendarFieldMatch;
  /**
   * Seconds in MICROseconds (0..59_999_999), because systemd accepts fractions (`00:00:01.5`) and keeps
   * them with 6 digits. `'any'` is `*` (systemd stores that as 0/1s).
   */
  readonly secondMicros: CalendarFieldMatch;
  /** `'UTC'` for a trailing ` UTC`; `'local'` means the timezone of whoever evaluates it (systemd's or snooze's TZ). */
  readonly timezone: 'local' | 'UTC';
}

export type ParseCalendarResult =
  | { ok: true; value: CalendarSpec; normalized: string }
  | { ok: false; message: string };


// ---------------------------------------------------------------------------------------------
// Internal draft: the same shape as systemd's struct CalendarSpec, so the port stays checkable
// against calendarspec.c line by line.

export const USEC_PER_SEC = 1_000_000;
const INT_MAX = 2_147_483_647;
/** calendarspec.c BITS_WEEKDAYS: all seven weekday bits set. */
const BITS_WEEKDAYS = 127;
const MIN_YEAR = 1970;
const MAX_YEAR = 2199;
/** calendarspec.c CALENDARSPEC_COMPONENTS_MAX: a list may have at most 241 entries (nesting 0..240). */
const COMPONENTS_MAX = 240;

interface Component {
  start: number;
  /** -1 = no `..` range, as in calendarspec.c */
  stop: number;
  repeat: number;
}
/** null = `*` */
type Chain = Component[] | null;

interface Draft {
  /** bit 0 = Monday; 0 or >= 127 mean "any" after normalization (-1) */
  weekdayBits: number;
  year: Chain;
  month: Chain;
  day: Chain;
  endOfMonth: boolean;
  hour: Chain;
  minute: Chain;
  usec: Chain;
  utc: boolean;
}

class CalendarSyntaxError extends Error {}

function fail(message: string): never {
  throw new CalendarSyntaxError(message);
}

const SHORTHAND_NAMES =
  'minutely, hourly, daily, weekly, monthly, quarterly, semiannually, yearly';
const WEEKDAY_HELP = 'use Mon, Tue, ... Sun (or Monday ... Sunday)';

/** calendarspec.c parse_weekdays(): long names are tried before their 3-letter prefix. */
const WEEKDAY_INPUT_NAMES: ReadonlyArray<readonly [string, number]> = [
  ['monday', 0], ['mon', 0],
  ['tuesday', 1], ['tue', 1],
  ['wednesday', 2], ['wed', 2],
  ['thursday', 3], ['thu', 3],
  ['friday', 4], ['fri', 4],
  ['saturday', 5], ['sat', 5],
  ['sunday', 6], ['sun', 6],
];

const single = (value: number): Component => ({ start: value, stop: -1, repeat: 0 });
/** How parse_chain() stores "*" in the seconds field: 0, every 1s. */
const isEverySecondComponent = (c: Component): boolean => c.start === 0 && c.stop < 0 && c.repeat === USEC_PER_SEC;

function emptyDraft(): Draft {
  return {
    weekdayBits: 0,
    year: null,
    month: null,
    day: null,
    endOfMonth: false,
    hour: null,
    minute: null,
    usec: null,
    utc: false,
  };
}

/**
 * The shorthands of systemd.time(7), compared case-insensitively like calendar_spec_from_string().
 * Besides the documented names systemd also takes "anually" (old misspelling) and the hyphenated
 * "bi-annually"/"semi-annually", so they are accepted here too.
 */
const SHORTHANDS: ReadonlyMap<string, (d: Draft) => void> = (() => {
  const time = (d: Draft, hour: Chain, minute: Chain): void => {
    d.hour = hour;
    d.minute = minute;
    d.usec = [single(0)];
  };
  const midnight = (d: Draft): void => time(d, [single(0)], [single(0)]);
  const yearly = (d: Draft): void => {
    d.month = [single(1)];
    d.day = [single(1)];
    midnight(d);
  };
  const semiannually = (d: Draft): void => {
    d.month = [single(1), single(7)];
    d.day = [single(1)];
    midnight(d);
  };
  // A Map, not an object literal: "constructor" or "toString" must not count as shorthands.
  return new Map<string, (d: Draft) => void>([
    ['minutely', (d) => time(d, null, null)],
    ['hourly', (d) => time(d, null, [single(0)])],
    ['daily', midnight],
    [
      'monthly',
      (d) => {
        d.day = [single(1)];
        midnight(d);
      },
    ],
    ['annually', yearly],
    ['yearly', yearly],
    ['anually', yearly],
    [
      'weekly',
      (d) => {
        d.weekdayBits = 1;
        midnight(d);
      },
    ],
    [
      'quarterly',
      (d) => {
        d.month = [single(1), single(4), single(7), single(10)];
        d.day = [single(1)];
        midnight(d);
      },
    ],
    ['biannually', semiannually],
    ['bi-annually', semiannually],
    ['semiannually', semiannually],
    ['semi-annually', semiannually],
  ]);
})();

// ---------------------------------------------------------------------------------------------
// Parsing

/** A read position in the expression; `peek()` returns '' past the end, like C's NUL. */
class Cursor {
  pos = 0;
  constructor(readonly text: string) {}
  peek(offset = 0): string {
    return this.text[this.pos + offset] ?? '';
  }
  atEnd(): boolean {
    return this.pos >= this.text.length;
  }
  rest(): string {
    return this.text.slice(this.pos);
  }
  skipSpaces(): void {
    while (this.peek() === ' ') this.pos++;
  }
}

const isDigit = (ch: string): boolean => ch >= '0' && ch <= '9';
const isLetter = (ch: string): boolean => /^[A-Za-z]$/.test(ch);

/** The run of letters/digits/-/ at `pos`, for messages ("Mnd", "Europe/Berlin"). */
function wordAt(text: string, pos: number): string {
  return /^[A-Za-z0-9_/+-]*/.exec(text.slice(pos))?.[0] ?? '';
}

/** The rest of the current date or time token (up to the next space), for messages. */
function tokenAt(text: string, pos: number): string {
  return text.slice(pos).split(' ')[0] ?? '';
}

/** Quote for a message: JSON quoting keeps control characters visible and the message on one line. */
export const q = (s: string): string => JSON.stringify(s);

function parseWeekdays(c: Cursor, d: Draft): void {
  // Port of calendarspec.c parse_weekdays(). Quirks kept on purpose:
  //  - "Mon-Fri" is accepted as an old spelling of "Mon..Fri";
  //  - a trailing comma is accepted ("Mon," and "Mon, 12:00");
  //  - a range cannot be extended ("Mon..Wed..Fri" is an error, "Mon..Wed,Fri" is fine);
  //  - if the text does not start with a weekday name, there simply is no weekday part.
  let rangeStart = -1;
  let rangeStartPos = -1;
  let first = true;
  for (;;) {
    const lower = c.rest().toLowerCase();
    const match = WEEKDAY_INPUT_NAMES.find(([name]) => lower.startsWith(name));
    if (!match) {
      if (first) return;
      const found = tokenAt(c.text, c.pos);
      if (isLetter(c.peek())) fail(`unknown weekday ${q(wordAt(c.text, c.pos))}; ${WEEKDAY_HELP}`);
      if (c.peek() === ',' || c.peek() === '.') fail(`empty entry in the weekday list ${q(tokenAt(c.text, 0))}; write e.g. "Mon,Tue" or "Mon..Fri"`);
      fail(
        `expected a weekday after ${q(c.text.slice(0, c.pos))}, found ${q(found)}; ` +
          'separate the weekdays from the date and time with a space',
      );
    }
    const [name, nr] = match;
    const after = c.peek(name.length);
    if (!['', '-', '.', ',', ' '].includes(after)) {
      if (isLetter(after) || isDigit(after)) {
        fail(`unknown weekday ${q(wordAt(c.text, c.pos))}; ${WEEKDAY_HELP}`);
      }
      fail(
        `weekday ${q(c.text.slice(c.pos, c.pos + name.length))} is followed by ${q(after)}; ` +
          'after a weekday write ",", "..", a space or nothing',
      );
    }
    d.weekdayBits |= 1 << nr;
    if (rangeStart >= 0) {
      if (rangeStart > nr) {
        const range = c.text.slice(rangeStartPos, c.pos + name.length);
        let wrapped = 0;
        for (let j = 0; j <= nr; j++) wrapped |= 1 << j;
        for (let j = rangeStart; j < 7; j++) wrapped |= 1 << j;
        fail(
          `weekday range ${q(range)} runs backwards; ranges go from Monday towards Sunday, ` +
            `so write ${q(formatWeekdays(wrapped))}`,
        );
      }
      for (let j = rangeStart + 1; j < nr; j++) d.weekdayBits |= 1 << j;
    }
    c.pos += name.length;

    if (c.atEnd()) return;
    if (c.peek() === ' ') {
      c.skipSpaces();
      return;
    }
    if (c.peek() === '.' || c.peek() === '-') {
      const sep = c.peek() === '.' ? '..' : '-';
      if (rangeStart >= 0) {
        fail(
          `weekday range ${q(c.text.slice(rangeStartPos, c.pos))} cannot continue with ${q(sep)}; ` +
            `use a list such as "Mon..Wed,Fri"`,
        );
      }
      if (sep === '..' && c.peek(1) !== '.') {
        fail(`single "." after weekday ${q(c.text.slice(c.pos - name.length, c.pos))}; use ".." for a range (Mon..Fri) or "," for a list`);
      }
      rangeStart = nr;
      rangeStartPos = c.pos - name.length;
      c.pos += sep.length;
    } else if (c.peek() === ',') {
      rangeStart = -1;
      c.pos += 1;
    }
    if (c.atEnd() || c.peek() === ' ') {
      c.skipSpaces();
      if (rangeStart >= 0) {
        fail(`weekday range ${q(c.text.slice(rangeStartPos, c.pos).trimEnd())} has no end; write e.g. "Mon..Fri"`);
      }
      return;
    }
    first = false;
  }
}

/**
 * Port of parse_component_decimal(): digits only (no sign, no spaces); for the seconds field an
 * optional fraction, where "1.5" is a decimal point but "1..5" a range. The fraction keeps 6 digits
 * and rounds on the 7th (parse_fractional_part_u), so "0.9999995" becomes 1 second.
 */
function parseDecimal(c: Cursor, usec: boolean): number {
  const ch = c.peek();
  if (!isDigit(ch)) failExpectedNumber(c);
  const start = c.pos;
  while (isDigit(c.peek())) c.pos++;
  const digits = c.text.slice(start, c.pos);
  let value = Number(digits);
  if (usec) {
    value *= USEC_PER_SEC;
    if (c.peek() === '.' && c.peek(1) !== '.') {
      c.pos++;
      if (!isDigit(c.peek())) {
        fail(`expected digits after the decimal point in ${q(tokenAt(c.text, start))}; write e.g. "01.5"`);
      }
      let micros = 0;
      for (let i = 0; i < 6; i++) {
        const digit = c.peek();
        micros = micros * 10 + (isDigit(digit) ? Number(digit) : 0);
        if (isDigit(digit)) c.pos++;
      }
      const seventh = c.peek();
      if (seventh >= '5' && seventh <= '9') micros++;
      while (isDigit(c.peek())) c.pos++;
      value += micros;
    }
  }
  if (value > INT_MAX) {
    fail(`number ${q(c.text.slice(start, c.pos))} is far too large for any calendar field`);
  }
  return value;
}

function failExpectedNumber(c: Cursor): never {
  const ch = c.peek();
  const word = wordAt(c.text, c.pos);
  const lower = word.toLowerCase();
  if (c.pos === 0 && isLetter(ch)) {
    fail(
      `unknown weekday or shorthand ${q(word)}; ${WEEKDAY_HELP}, ` +
        `or one of ${SHORTHAND_NAMES}`,
    );
  }
  if (isLetter(ch) && SHORTHANDS.has(lower)) {
    fail(`shorthand ${q(word)} must stand alone (optionally followed by " UTC"); write the full form instead, e.g. "Mon *-*-* 00:00:00"`);
  }
  if (isLetter(ch) && WEEKDAY_INPUT_NAMES.some(([name]) => name === lower)) {
    fail(`weekday ${q(word)} is out of place; list all weekdays first, separated by commas (e.g. "Mon,Fri 12:00")`);
  }
  if (ch === '') fail(`expression ends where a number or "*" was expected: ${q(c.text)}`);
  if (ch === ' ') fail(`unexpected space in ${q(c.text)}; separate date and time with one space, nothing else`);
  if (ch === '*') fail(`"*" cannot be part of a list or range; use "*" alone or list numbers`);
  fail(`expected a number or "*" at ${q(tokenAt(c.text, c.pos))}`);
}

/** Port of parse_chain() + prepend_component(): `*`, or a comma list of start[..stop][/repeat]. */
function parseChain(c: Cursor, usec: boolean): Chain {
  if (c.peek() === '*') {
    c.pos++;
    if (c.peek() === '/') {
      fail(`${q('*' + tokenAt(c.text, c.pos))} is cron syntax; systemd repeats from a start value: write "0/5" (every 5 from 0), not "*/5"`);
    }
    // The seconds field stores "*" as 0/1s (parse_chain), all other fields as "no restriction".
    return usec ? [{ start: 0, stop: -1, repeat: USEC_PER_SEC }] : null;
  }
  const chain: Component[] = [];
  for (let nesting = 0; ; nesting++) {
    if (nesting > COMPONENTS_MAX) fail(`more than ${COMPONENTS_MAX + 1} comma-separated values in one field; use a range or repetition instead`);
    const entryPos = c.pos;
    const start = parseDecimal(c, usec);
    let stop = -1;
    let repeat = 0;
    if (c.peek() === '.' && c.peek(1) === '.') {
      c.pos += 2;
      stop = parseDecimal(c, usec);
      repeat = usec ? USEC_PER_SEC : 1;
    }
    if (c.peek() === '/') {
      c.pos++;
      repeat = parseDecimal(c, usec);
      if (repeat === 0) fail(`repetition ${q(c.text.slice(entryPos, c.pos))} has step 0; use a positive step such as "/2"`);
    } else if (usec && stop >= 0 && start + repeat > stop) {
      // prepend_component(): a seconds range without "/" must span at least one second.
      fail(
        stop < start
          ? `seconds range ${q(c.text.slice(entryPos, c.pos))} runs backwards; write the smaller value first`
          : `seconds range ${q(c.text.slice(entryPos, c.pos))} is shorter than one second; write a single value or a wider range`,
      );
    }
    const next = c.peek();
    if (!['', ' ', ',', '-', '~', ':'].includes(next)) {
      const entry = tokenAt(c.text, entryPos);
      if (next === '.' && !usec) fail(`${q(entry)}: only the seconds may have a fractional part; ranges are written "a..b"`);
      if (next === 'T' || next === 't') fail(`${q(entry)}: separate the date and the time with a space, not "T"`);
      if (next === '/') fail(`${q(entry)}: only one "/step" per value; write start/step or start..end/step`);
      fail(`unexpected ${q(next)} in ${q(entry)}; a value is N, N..M, N/STEP or N..M/STEP`);
    }
    chain.push({ start, stop, repeat });
    if (next !== ',') return chain;
    c.pos++;
  }
}

/** Port of parse_date(). Returns true for @TIMESTAMP, which also sets the time. */
function parseDate(c: Cursor, d: Draft): boolean {
  if (c.atEnd()) return false;

  if (c.peek() === '@') {
    // calendarspec_from_time_t(): a fixed UTC date and time. systemd reads the number with strtoul(),
    // which would also take "@ 5" and "@+5"; only plain digits are accepted here.
    const digits = /^@([0-9]+)/.exec(c.rest())?.[1];
    if (digits === undefined) fail(`${q(c.rest())}: write "@" followed by the seconds since 1970-01-01 UTC, digits only`);
    c.pos += 1 + digits.length;
    const seconds = Number(digits);
    const date = new Date(seconds * 1000);
    const year = date.getUTCFullYear();
    if (!Number.isFinite(seconds) || Number.isNaN(date.getTime()) || year > MAX_YEAR) {
      fail(`@${digits} is after the year ${MAX_YEAR}; systemd only handles years ${MIN_YEAR}..${MAX_YEAR}`);
    }
    d.year = [single(year)];
    d.month = [single(date.getUTCMonth() + 1)];
    d.day = [single(date.getUTCDate())];
    d.hour = [single(date.getUTCHours())];
    d.minute = [single(date.getUTCMinutes())];
    d.usec = [single(date.getUTCSeconds() * USEC_PER_SEC)];
    d.utc = true;
    return true;
  }

  const partStart = c.pos;
  const first = parseChain(c, false);
  // Already at the end, or a ':'? Then that was an hour, not a date: parse it again as time.
  if (c.atEnd() || c.peek() === ':') {
    c.pos = partStart;
    return false;
  }
  const sep1 = c.peek();
  if (sep1 === '~') d.endOfMonth = true;
  else if (sep1 !== '-') failDateSeparator(c, partStart);
  c.pos++;
  const second = parseChain(c, false);
  if (c.atEnd() || c.peek() === ' ') {
    c.skipSpaces();
    d.month = first;
    d.day = second;
    return false;
  }
  if (d.endOfMonth) {
    fail(`${q(tokenAt(c.text, partStart))}: "~" may only separate the month from the day (e.g. "*-02~01"), so nothing can follow the day`);
  }
  const sep2 = c.peek();
  if (sep2 === '~') d.endOfMonth = true;
  else if (sep2 !== '-') failDateSeparator(c, partStart);
  c.pos++;
  const third = parseChain(c, false);
  if (!(c.atEnd() || c.peek() === ' ')) {
    fail(`${q(tokenAt(c.text, partStart))}: a date has at most three parts, YEAR-MONTH-DAY; put a space before the time`);
  }
  c.skipSpaces();
  d.year = first;
  d.month = second;
  d.day = third;
  return false;
}

function failDateSeparator(c: Cursor, partStart: number): never {
  const part = tokenAt(c.text, partStart);
  if (c.peek() === ' ') {
    fail(`${q(c.text.slice(partStart).split(' ').slice(0, 2).join(' '))}: a date is YEAR-MONTH-DAY or MONTH-DAY and a time HH:MM[:SS]; ${q(part)} is neither`);
  }
  fail(`unexpected ${q(c.peek())} in ${q(part)}; separate date fields with "-" (or "~" before the day) and time fields with ":"`);
}

/** Port of parse_calendar_time(): HH:MM[:SS]; no time at all means 00:00:00, no seconds mean :00. */
function parseTime(c: Cursor, d: Draft): void {
  if (c.atEnd()) {
    d.hour = [single(0)];
    d.minute = [single(0)];
    d.usec = [single(0)];
    return;
  }
  const partStart = c.pos;
  const hour = parseChain(c, false);
  if (c.peek() !== ':') {
    const part = tokenAt(c.text, partStart);
    fail(
      c.atEnd()
        ? `${q(part)} is not a time; write hours and minutes as HH:MM (e.g. "${part}:00")`
        : `unexpected ${q(c.peek())} in time ${q(part)}; write HH:MM or HH:MM:SS`,
    );
  }
  c.pos++;
  const minute = parseChain(c, false);
  let usec: Chain = [single(0)];
  if (!c.atEnd()) {
    if (c.peek() !== ':') {
      fail(`unexpected ${q(c.rest())} after time ${q(c.text.slice(partStart, c.pos))}; the time must come last (HH:MM or HH:MM:SS), only " UTC" may follow`);
    }
    c.pos++;
    usec = parseChain(c, true);
    if (!c.atEnd()) {
      fail(`unexpected ${q(c.rest())} after time ${q(c.text.slice(partStart, c.pos))}; the time must come last (HH:MM or HH:MM:SS), only " UTC" may follow`);
    }
  }
  d.hour = hour;
  d.minute = minute;
  d.usec = usec;
}

/**
 * Words that look like a timezone a user might append: a tzdata name ("Europe/Berlin") or an
 * upper-case abbreviation ("CET", "EST5EDT", "GMT+1"). systemd accepts any of them there.
 */
const TIMEZONE_LIKE = /^(?:[A-Za-z][A-Za-z0-9_+-]*\/[A-Za-z0-9_+/-]+|[A-Z][A-Z0-9+-]+)$/;

function parseDraft(expr: string): Draft {
  const d = emptyDraft();
  let body = expr;
  // calendar_spec_from_string(): " UTC" (any case) is cut off first.
  if (expr.length >= 4 && expr.slice(-4).toLowerCase() === ' utc') {
    d.utc = true;
    body = expr.slice(0, -4);
  } else {
    // systemd also takes the local zone's abbreviations (tzname[], e.g. "CET") and any tzdata name
    // ("Europe/Berlin") as the last word. Both depend on the machine (tzdata, TZ) and snooze has no
    // timezone option, so only UTC is supported.
    const lastSpace = expr.lastIndexOf(' ');
    const word = expr.slice(lastSpace + 1);
    const lower = word.toLowerCase();
    const isWeekdayish = WEEKDAY_INPUT_NAMES.some(([name]) => lower.startsWith(name));
    if (lastSpace >= 0 && TIMEZONE_LIKE.test(word) && !isWeekdayish && !SHORTHANDS.has(lower)) {
      fail(`timezone ${q(word)} is not supported; end the expression with " UTC", or leave the timezone out for local time`);
    }
  }
  if (body === '') fail(expr === '' ? 'empty calendar expression; write e.g. "daily" or "Mon..Fri *-*-* 09:00"' : `nothing before " UTC"; write e.g. "daily UTC"`);

  const shorthand = SHORTHANDS.get(body.toLowerCase());
  if (shorthand) {
    shorthand(d);
    return d;
  }

  const c = new Cursor(body);
  parseWeekdays(c, d);
  const isTimestamp = parseDate(c, d);
  if (!isTimestamp) parseTime(c, d);
  if (!c.atEnd()) fail(`unexpected ${q(c.rest())} after ${q(c.text.slice(0, c.pos).trimEnd())}; only " UTC" may follow`);
  return d;
}

// ---------------------------------------------------------------------------------------------
// Normalization and validation (calendar_spec_normalize, calendar_spec_valid)

function compareComponents(a: Component, b: Component): number {
  return a.start - b.start || a.stop - b.stop || a.repeat - b.repeat;
}

/** Port of normalize_chain(). */
function normalizeChain(chain: Chain): Chain {
  if (chain === null) return null;
  const out = chain.map((component) => {
    let { start, stop, repeat } = component;
    // Trim `stop` so the range length is a multiple of `repeat`: "1..10/4" becomes "01..09/4".
    if (stop > start && repeat > 0) stop -= (stop - start) % repeat;
    // A repetition that cannot fire twice, or a range "a..a", becomes a single value: "1..5/10" is "01".
    // (This runs before validation, so "1..5/100" is valid although 100 exceeds any field.)
    if ((stop > start && repeat > 0 && start + repeat > stop) || start === stop) {
      repeat = 0;
      stop = -1;
    }
    return { start, stop, repeat };
  });
  out.sort(compareComponents);
  return out.filter((component, i) => {
    const previous = out[i - 1];
    return previous === undefined || compareComponents(previous, component) !== 0;
  });
}

/** Port of fix_year(): 00..69 -> 2000..2069, 70..99 -> 1970..1999, for start and stop (not repeat). */
function widenYears(chain: Chain): Chain {
  if (chain === null) return null;
  const widen = (v: number): number => (v >= 0 && v < 70 ? v + 2000 : v >= 70 && v < 100 ? v + 1900 : v);
  return chain.map(({ start, stop, repeat }) => ({ start: widen(start), stop: widen(stop), repeat }));
}

function withNormalization(d: Draft): Draft {
  normalize(d);
  return d;
}

function normalize(d: Draft): void {
  if (d.weekdayBits <= 0 || d.weekdayBits >= BITS_WEEKDAYS) d.weekdayBits = -1;
  // "*-*~*" has nothing to count back from: systemd prints it as "*-*-*".
  if (d.endOfMonth && d.day === null) d.endOfMonth = false;
  d.year = normalizeChain(widenYears(d.year));
  d.month = normalizeChain(d.month);
  d.day = normalizeChain(d.day);
  d.hour = normalizeChain(d.hour);
  d.minute = normalizeChain(d.minute);
  d.usec = normalizeChain(d.usec);
}

interface FieldInfo {
  readonly name: string;
  readonly from: number;
  readonly to: number;
  /** microsecond field: shown as seconds */
  readonly usec?: boolean;
}

const YEAR_FIELD: FieldInfo = { name: 'year', from: MIN_YEAR, to: MAX_YEAR };
const MONTH_FIELD: FieldInfo = { name: 'month', from: 1, to: 12 };
const DAY_FIELD: FieldInfo = { name: 'day', from: 1, to: 31 };
const HOUR_FIELD: FieldInfo = { name: 'hour', from: 0, to: 23 };
const MINUTE_FIELD: FieldInfo = { name: 'minute', from: 0, to: 59 };
const SECOND_FIELD: FieldInfo = { name: 'second', from: 0, to: 60 * USEC_PER_SEC - 1, usec: true };

function showValue(field: FieldInfo, v: number): string {
  if (!field.usec) return String(v);
  const frac = v % USEC_PER_SEC;
  return String(Math.floor(v / USEC_PER_SEC)) + (frac > 0 ? '.' + String(frac).padStart(6, '0').replace(/0+$/, '') : '');
}

function showComponent(field: FieldInfo, eom: boolean, comp: Component): string {
  const prefix = eom ? '~' : '';
  let s = prefix + showValue(field, comp.start);
  if (comp.stop >= 0) s += '..' + showValue(field, comp.stop);
  if (comp.repeat > 0 && !(comp.stop >= 0 && comp.repeat === (field.usec ? USEC_PER_SEC : 1))) s += '/' + showValue(field, comp.repeat);
  return s;
}

/** Port of chain_valid(), run on the normalized chain, with a message for each way it can fail. */
function validateChain(chain: Chain, field: FieldInfo, eom: boolean): void {
  if (chain === null) return;
  const from = field.from;
  let to = field.to;
  let entries = 0;
  for (const comp of chain) {
    entries++;
    // Days counted back from the month's end stop at ~28 ("Forbid dates more than 28 days from the end
    // of the month"). chain_valid() does `to -= 3` on every recursive call, so in systemd 252 the limit
    // shrinks by 3 for each further list entry: "*-*~7,11,16,20" is rejected (20 > 31-4*3 = 19).
    if (eom) to -= 3;
    const range = `${eom ? '~' : ''}${showValue(field, from)}..${eom ? '~' : ''}${showValue(field, to)}`;
    const shown = q(showComponent(field, eom, comp));
    const note =
      field === YEAR_FIELD
        ? ' (two digits: 70..99 mean 19xx, 00..69 mean 20xx)'
        : eom && entries > 1
          ? ` (systemd lowers the "~" limit by 3 for each further list entry; this is entry ${entries} in ascending order)`
          : '';
    if (comp.start < from || comp.start > to) {
      fail(`${field.name} ${q((eom ? '~' : '') + showValue(field, comp.start))} is out of range; use ${range}${note}`);
    }
    if (comp.repeat > to - from) {
      fail(`step ${q('/' + showValue(field, comp.repeat))} in ${field.name} ${shown} is too large; ${field.name} steps can be at most ${showValue(field, to - from)}`);
    }
    if (comp.stop >= 0) {
      if (comp.stop < from || comp.stop > to) {
        fail(`${field.name} ${q((eom ? '~' : '') + showValue(field, comp.stop))} is out of range; use ${range}${note}`);
      }
      if (comp.start + comp.repeat > comp.stop) {
        fail(`${field.name} range ${shown} runs backwards; write the smaller value first`);
      }
    } else if (eom && comp.start - comp.repeat < from) {
      fail(`day ${shown} would step past the last day of the month; with "~" the step must be smaller than the start`);
    } else if (!eom && comp.start + comp.repeat > to) {
      fail(`${field.name} ${shown} never repeats: ${showValue(field, comp.start + comp.repeat)} is past ${showValue(field, to)}; drop the step or use a smaller one`);
    }
  }
}

function validate(d: Draft): void {
  validateChain(d.year, YEAR_FIELD, false);
  validateChain(d.month, MONTH_FIELD, false);
  validateChain(d.day, DAY_FIELD, d.endOfMonth);
  validateChain(d.hour, HOUR_FIELD, false);
  validateChain(d.minute, MINUTE_FIELD, false);
  validateChain(d.usec, SECOND_FIELD, false);
}

// ---------------------------------------------------------------------------------------------
// Formatting (calendar_spec_to_string)

/** Port of format_weekdays(): runs of 3+ days as "a..b", pairs as "a,b". */
function formatWeekdays(bits: number): string {
  let out = '';
  let needComma = false;
  let l = -1;
  let x = 0;
  for (; x < 7; x++) {
    if (bits & (1 << x)) {
      if (l < 0) {
        if (needComma) out += ',';
        else needComma = true;
        out += WEEKDAY_NAMES[x];
        l = x;
      }
    } else if (l >= 0) {
      if (x > l + 1) out += (x > l + 2 ? '..' : ',') + WEEKDAY_NAMES[x - 1];
      l = -1;
    }
  }
  if (l >= 0 && x > l + 1) out += (x > l + 2 ? '..' : ',') + WEEKDAY_NAMES[x - 1];
  return out;
}

const pad = (value: number, width: number): string => String(value).padStart(width, '0');

/** Port of _format_chain() / chain_is_star(). */
function formatChain(chain: Chain, width: number, usec: boolean): string {
  const unit = usec ? USEC_PER_SEC : 1;
  if (chain === null) return '*';
  // chain_is_star(): in systemd 252 a seconds list is printed as "*" as soon as ONE entry is 0/1s,
  // whatever else is listed ("0/1,5.5" prints "*", though 5.5 is not a whole second).
  if (usec && chain.some(isEverySecondComponent)) return '*';
  return chain
    .map((c) => {
      let s = pad(Math.floor(c.start / unit), width);
      if (c.start % unit > 0) s += '.' + pad(c.start % unit, 6);
      if (c.stop > 0) s += '..' + pad(Math.floor(c.stop / unit), width);
      if (c.stop % unit > 0) s += '.' + pad(c.stop % unit, 6);
      // A range's implicit step of 1 (1s) is not printed; "/0.250000" is how a sub-second step prints.
      if (c.repeat > 0 && !(c.stop > 0 && c.repeat === unit)) s += '/' + String(Math.floor(c.repeat / unit));
      if (c.repeat % unit > 0) s += '.' + pad(c.repeat % unit, 6);
      return s;
    })
    .join(',');
}

function formatDraft(d: Draft): string {
  let out = '';
  if (d.weekdayBits > 0 && d.weekdayBits <= BITS_WEEKDAYS) out += formatWeekdays(d.weekdayBits) + ' ';
  out += formatChain(d.year, 4, false) + '-' + formatChain(d.month, 2, false);
  out += (d.endOfMonth ? '~' : '-') + formatChain(d.day, 2, false);
  out += ' ' + formatChain(d.hour, 2, false) + ':' + formatChain(d.minute, 2, false);
  out += ':' + formatChain(d.usec, 2, true);
  if (d.utc) out += ' UTC';
  return out;
}

// ---------------------------------------------------------------------------------------------
// Draft <-> public CalendarSpec

function chainToMatch(chain: Chain): CalendarFieldMatch {
  if (chain === null) return 'any';
  return chain.map((c) => ({ start: c.start, end: c.stop >= 0 ? c.stop : null, repeat: c.repeat }));
}

function matchToChain(match: CalendarFieldMatch): Chain {
  if (match === 'any') return null;
  return match.map((r) => ({ start: r.start, stop: r.end ?? -1, repeat: r.repeat }));
}

const isEverySecond = (chain: Chain): boolean => chain !== null && chain.length === 1 && chain.every(isEverySecondComponent);

function draftToSpec(d: Draft): CalendarSpec {
  const weekdays: Weekday[] = WEEKDAY_NAMES.filter((_, i) => d.weekdayBits > 0 && (d.weekdayBits & (1 << i)) !== 0);
  return {
    weekdays: d.weekdayBits > 0 && d.weekdayBits < BITS_WEEKDAYS ? weekdays : 'any',
    year: chainToMatch(d.year),
    month: chainToMatch(d.month),
    day: chainToMatch(d.day),
    dayCountsBackFromMonthEnd: d.endOfMonth,
    hour: chainToMatch(d.hour),
    minute: chainToMatch(d.minute),
    secondMicros: isEverySecond(d.usec) ? 'any' : chainToMatch(d.usec),
    timezone: d.utc ? 'UTC' : 'local',
  };
}

function specToDraft(spec: CalendarSpec): Draft {
  let bits = 0;
  if (spec.weekdays !== 'any') for (const day of spec.weekdays) bits |= 1 << WEEKDAY_NAMES.indexOf(day);
  return {
    weekdayBits: bits > 0 && bits < BITS_WEEKDAYS ? bits : -1,
    year: matchToChain(spec.year),
    month: matchToChain(spec.month),
    day: matchToChain(spec.day),
    endOfMonth: spec.dayCountsBackFromMonthEnd,
    hour: matchToChain(spec.hour),
    minute: matchToChain(spec.minute),
    usec: spec.secondMicros === 'any' ? [{ start: 0, stop: -1, repeat: USEC_PER_SEC }] : matchToChain(spec.secondMicros),
    utc: spec.timezone === 'UTC',
  };
}

// ---------------------------------------------------------------------------------------------
// Public API: systemd side

/**
 * Parses a systemd.time(7) calendar event. On success `normalized` is byte-for-byte what
 * `systemd-analyze calendar EXPR` (systemd 252) prints as "Normalized form:".
 *
 * Accepted: the shorthands, weekdays (names, lists, ranges), dates YEAR-MONTH-DAY / MONTH-DAY with `*`,
 * lists, `a..b` ranges, `/step` repetitions and `~` (days back from the month's end), times HH:MM[:SS]
 * with the same syntax and fractional seconds, `@SECONDS` and a trailing ` UTC`.
 * Rejected although systemd may accept them: other timezones ("Europe/Berlin", "CET"; they depend on the
 * machine), and "@" followed by anything but digits.
 */
export function parseCalendar(expr: string): ParseCalendarResult {
  try {
    const draft = parseDraft(expr);
    normalize(draft);
    validate(draft);
    return { ok: true, value: draftToSpec(draft), normalized: formatDraft(draft) };
  } catch (error) {
    if (!(error instanceof CalendarSyntaxError)) throw error;
    return { ok: false, message: explainFailure(expr, error.message) };
  }
}

/** Prints a spec in systemd's normalized form (the same string {@link parseCalendar} returns). */
export function formatCalendar(spec: CalendarSpec): string {
  return formatDraft(specToDraft(spec));
}

/** Replaces the parser's message where the whole expression tells a better story. */
function explainFailure(expr: string, message: string): string {
  // systemd takes extra spaces after the weekdays and the date, but not at the start, before " UTC"
  // or after a time or shorthand. If tidying the spaces is all it takes, say so.
  if (expr !== '' && expr.trim() === '') return 'blank calendar expression; write e.g. "daily" or "Mon..Fri *-*-* 09:00"';
  const tidy = expr.trim().replace(/ +/g, ' ');
  if (tidy !== expr && tidy !== '') {
    try {
      validate(withNormalization(parseDraft(tidy)));
      return `stray whitespace in ${q(expr)}; write ${q(tidy)}`;
    } catch (error) {
      if (!(error instanceof CalendarSyntaxError)) throw error;
    }
  }
  // "0 5 * * *": five cron fields.
  if (/^[0-9*/,-]+( [0-9*/,-]+){4}$/.test(expr)) {
    return `${q(expr)} looks like a crontab line; systemd calendar events read "[WEEKDAYS] YEAR-MONTH-DAY HH:MM:SS", e.g. "*-*-* 05:00"`;
  }
  return message;
}

/** One field of a parsed expression as systemd prints it (`2026`, `01..05`, `00/15`), for messages. */
export function formatField(match: CalendarFieldMatch, width: number, usec: boolean): string {
  return formatChain(matchToChain(match), width, usec);
}
