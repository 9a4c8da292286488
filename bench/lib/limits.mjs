/**
 * The limits the project is judged on that both run.mjs (the whole benchmark) and probe-rows.mjs (a few rows, to
 * check one change without the whole run) compare with: one place, so the two cannot disagree.
 */

/** `diff` of 1,000 generated services, whole CLI run (validate+render+plan), median. */
export const DIFF_1000_MS = 500;

/** Peak resident memory of the `diff` of 10,000 generated services (the largest size measured). */
export const DIFF_10000_PEAK_RSS_MB = 200;

/** render of the example spec against `node -e 0` timed in the same interleaved group. */
export const RENDER_RATIO = 1.5;
