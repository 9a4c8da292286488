/**
 * The targets without timers (runit, s6) run calendar jobs with snooze(1): a systemd calendar expression (parsed
 * once, in src/model/calendar.ts) as snooze's arguments, where snooze can express it. Pure.
 */
import { USEC_PER_SEC, WEEKDAY_NAMES, formatCalendar, formatField, q, type CalendarFieldMatch, type CalendarSpec, type CalendarValueRange } from '../model/calendar.js';

export type SnoozeArgsResult = { ok: true; args: string[] } | { ok: false; reason: string };

/** Days in the Gregorian 400-year cycle; weekdays repeat with it too (146097 = 7 * 20871). */
const DAYS_PER_400_YEARS = 146_097;
/**
 * snooze.c find_next() gives up ("no satisfying date found within a year", exit 2) once the next
 * candidate day is more than 366*24h after the time it searches from. A schedule whose matching
 * days can be further apart than that makes snooze (and so the runit service) fail.
 */
const SNOOZE_LOOKAHEAD_DAYS = 366;

/** The whole values a field matches, ascending, limited to min..max (the field's natural range). */
function expandField(match: CalendarFieldMatch, min: number, max: number): number[] {
  const values = new Set<number>();
  if (match === 'any') {
    for (let v = min; v <= max; v++) values.add(v);
  } else {
    for (const r of match) {
      if (r.repeat <= 0) {
        if (r.start >= min && r.start <= max) values.add(r.start);
        continue;
      }
      const last = Math.min(r.end ?? max, max);
      for (let v = r.start; v <= last; v += r.repeat) if (v >= min) values.add(v);
    }
  }
  return [...values].sort((a, b) => a - b);
}

/** Seconds in whole seconds, or the offending entry when one is fractional (snooze has no sub-second field). */
function expandSeconds(match: CalendarFieldMatch): number[] | { fractional: CalendarValueRange } {
  if (match === 'any') return expandField('any', 0, 59);
  const limit = 60 * USEC_PER_SEC - 1;
  for (const r of match) {
    const startFractional = r.start % USEC_PER_SEC !== 0;
    const stepFractional = r.repeat % USEC_PER_SEC !== 0 && r.start + r.repeat <= Math.min(r.end ?? limit, limit);
    if (startFractional || stepFractional) return { fractional: r };
  }
  const inSeconds = match.map((r) => ({
    start: r.start / USEC_PER_SEC,
    end: r.end === null ? null : Math.floor(r.end / USEC_PER_SEC),
    repeat: r.repeat / USEC_PER_SEC,
  }));
  return expandField(inSeconds, 0, 59);
}

/**
 * A snooze(1) pattern for a sorted, non-empty set of values of a field whose values run min..max.
 * Only digits, ",", "-" and "/" are used (never "*"), so the pattern is safe unquoted in a shell
 * script. Chooses the shorter of
 *  - "a/r": snooze's "shifted repetition", a, a+r, ... up to the field's end. The start is always
 *    written: for -d and -m, a bare "/5" makes snooze start at index -1 and write one byte before its
 *    table (snooze.c parse()); and
 *  - a list of values and "a-b" ranges. snooze's "a-b/r" is NOT a stepped range: "/" restarts from
 *    the previous number (b) and repeats to the field's end, so stepped ranges are written out as lists.
 */
function snoozePattern(values: readonly number[], min: number, max: number, allowRepetition: boolean): string {
  const parts: string[] = [];
  for (let i = 0; i < values.length; ) {
    let j = i;
    while (j + 1 < values.length && values[j + 1] === (values[j] ?? 0) + 1) j++;
    const lo = values[i] ?? 0;
    const hi = values[j] ?? 0;
    if (j - i >= 2) parts.push(`${lo}-${hi}`);
    else for (let k = i; k <= j; k++) parts.push(String(values[k]));
    i = j + 1;
  }
  const list = parts.join(',');
  if (!allowRepetition || values.length < 2) return list;
  const first = values[0] ?? min;
  const step = (values[1] ?? 0) - first;
  if (step < 2) return list;
  const progression: number[] = [];
  for (let v = first; v <= max; v += step) progression.push(v);
  const isProgression = progression.length === values.length && progression.every((v, i) => v === values[i]);
  const repetition = `${first}/${step}`;
  return isProgression && repetition.length < list.length ? repetition : list;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * The longest distance in days between two consecutive days that match month, day of month and
 * weekday (ISO numbering, 1 = Monday), over the whole 400-year Gregorian cycle (which repeats,
 * weekdays included), or null if no day ever matches ("*-02-30").
 */
function longestGapBetweenMatchingDays(
  months: ReadonlySet<number>,
  days: ReadonlySet<number>,
  isoWeekdays: ReadonlySet<number>,
): number | null {
  let index = 0;
  let isoWeekday = 6; // 2000-01-01 was a Saturday
  let first = -1;
  let previous = -1;
  let longest = 0;
  for (let year = 2000; year < 2400; year++) {
    for (let month = 1; month <= 12; month++) {
      const length = daysInMonth(year, month);
      if (!months.has(month)) {
        index += length;
        isoWeekday = ((isoWeekday - 1 + length) % 7) + 1;
        continue;
      }
      for (let day = 1; day <= length; day++) {
        if (days.has(day) && isoWeekdays.has(isoWeekday)) {
          if (first < 0) first = index;
          else longest = Math.max(longest, index - previous);
          previous = index;
        }
        index++;
        isoWeekday = (isoWeekday % 7) + 1;
      }
    }
  }
  if (first < 0) return null;
  return Math.max(longest, first + DAYS_PER_400_YEARS - previous);
}

/**
 * The options for `snooze [options] command` (snooze(1)) that run the command on the schedule of
 * `spec`, e.g. `Mon..Fri 09:30` -> ["-w", "1-5", "-H", "9", "-M", "30", "-S", "0"].
 *
 * -d/-m/-w are only given when they restrict something; -H/-M/-S are always given because snooze's
 * defaults for them are 0, not "*". Weekdays use 1..7 for Mon..Sun (snooze takes 7 as Sunday).
 * Every value contains only digits and , - / so the args need no shell quoting.
 *
 * Fails, naming the part, where snooze would not run at the same times as systemd:
 *  - a year (snooze has no year field);
 *  - days counted back from the month's end (`~`);
 *  - fractional seconds;
 *  - ` UTC`: snooze has no timezone option; it uses the local time of its process (TZ);
 *  - a date part that never matches, or whose matching days can be more than 366 days apart
 *    (`*-02-29`, `Fri *-*-13`): snooze gives up searching after 366 days and exits with status 2.
 *
 * Known differences that are NOT refused, because snooze runs what the expression says:
 *  - systemd 252 skips a run when a repetition overflows its field and the carry crosses two units,
 *    e.g. `*:5/25` never runs at 00:05 (tm_within_bounds() in calendarspec.c resets only the unit
 *    directly below the one that changed); snooze runs it.
 *  - in a local timezone with DST, snooze runs twice in the repeated autumn hour (02:30 CEST and
 *    02:30 CET), systemd once. Both skip the missing spring hour.
 */
export function toSnoozeArgs(spec: CalendarSpec): SnoozeArgsResult {
  const normalizedForm = formatCalendar(spec);
  const failWith = (reason: string): SnoozeArgsResult => ({ ok: false, reason: `${reason} (in ${q(normalizedForm)})` });

  if (spec.year !== 'any') {
    return failWith(`year ${q(formatField(spec.year, 4, false))}: snooze has no year field; use "*" for the year`);
  }
  if (spec.dayCountsBackFromMonthEnd) {
    return failWith(`day "~${formatField(spec.day, 2, false)}" (counted back from the end of the month): snooze only counts days from the 1st`);
  }
  if (spec.timezone === 'UTC') {
    return failWith('timezone UTC: snooze has no timezone option and matches the local time of its process (TZ); drop " UTC" to schedule in local time');
  }

  const seconds = expandSeconds(spec.secondMicros);
  if (!Array.isArray(seconds)) {
    const shown = formatField([seconds.fractional], 2, true);
    return failWith(`seconds ${q(shown)}: snooze only matches whole seconds`);
  }
  const months = expandField(spec.month, 1, 12);
  const days = expandField(spec.day, 1, 31);
  // Like systemd, no weekdays at all means every weekday.
  const listed = spec.weekdays === 'any' ? [] : [...new Set(spec.weekdays.map((w) => WEEKDAY_NAMES.indexOf(w) + 1))];
  const isoWeekdays = listed.length === 0 ? [1, 2, 3, 4, 5, 6, 7] : listed.sort((a, b) => a - b);
  const hours = expandField(spec.hour, 0, 23);
  const minutes = expandField(spec.minute, 0, 59);

  // "[WEEKDAYS ]*-MM-DD" of the normalized form: the date is the first word containing "-".
  const words = normalizedForm.split(' ');
  const datePart = words.slice(0, words.findIndex((word) => word.includes('-')) + 1).join(' ');
  const gap = longestGapBetweenMatchingDays(new Set(months), new Set(days), new Set(isoWeekdays));
  if (gap === null) {
    return failWith(`date ${q(datePart)} never matches a real day, so neither systemd nor snooze would ever run it`);
  }
  if (gap > SNOOZE_LOOKAHEAD_DAYS) {
    return failWith(
      `date ${q(datePart)}: matching days can be ${gap} days apart, but snooze stops searching after ` +
        `${SNOOZE_LOOKAHEAD_DAYS} days and exits ("no satisfying date found within a year"); ` +
        `pick dates that are never more than ${SNOOZE_LOOKAHEAD_DAYS} days apart`,
    );
  }

  const args: string[] = [];
  if (days.length < 31) args.push('-d', snoozePattern(days, 1, 31, true));
  if (months.length < 12) args.push('-m', snoozePattern(months, 1, 12, true));
  if (isoWeekdays.length < 7) args.push('-w', snoozePattern(isoWeekdays, 1, 7, false));
  args.push('-H', snoozePattern(hours, 0, 23, true));
  args.push('-M', snoozePattern(minutes, 0, 59, true));
  args.push('-S', snoozePattern(seconds, 0, 59, true));
  return { ok: true, args };
}
