/**
 * One environment file, read by both targets: systemd's EnvironmentFile= (the systemd e2e job) and the reader in
 * runit's run script (test/render/hostile-runit.test.ts). The lines of the common cases give the same variables on
 * both; the ones listed in ENV_FILE_DIFFERENCES are where runit's reader approximates (no escapes; trailing blanks
 * inside quotes are dropped by chpst -e, which hands the values over without a command line), pinned so that a
 * change on either side is noticed.
 */
export const ENV_FILE_TEXT = [
  '# a comment',
  '   ; another comment, indented',
  '',
  '   ',
  'PROBE_TOKEN=s3cret value',
  'PLAIN=value',
  '  SPACED  =   spaced value   ',
  'DQ="double quoted  "',
  "SQ='single # quoted'",
  'EMPTY=',
  'URL=https://example.com/?a=1&b=2;c',
  'HASH=a#b',
  'DOLLAR=$HOME ${X} $(id)',
  'EQUALS=a=b=c',
  'TAB=\tx',
  'UNICODE=é ✓',
  'LAST=no newline at the end',
  'BACKSLASH=a\\b',
  'DQ_ESCAPE="say \\"hi\\""',
].join('\n');

/** What both readers give. */
export const ENV_FILE_EXPECTED: Readonly<Record<string, string>> = {
  PROBE_TOKEN: 's3cret value',
  PLAIN: 'value',
  SPACED: 'spaced value',
  SQ: 'single # quoted',
  EMPTY: '',
  URL: 'https://example.com/?a=1&b=2;c',
  HASH: 'a#b',
  DOLLAR: '$HOME ${X} $(id)',
  EQUALS: 'a=b=c',
  TAB: 'x',
  UNICODE: 'é ✓',
  LAST: 'no newline at the end',
};

/**
 * Where they differ: systemd reads backslash escapes, runit's reader takes the text as it is; chpst's envdir drops
 * trailing blanks.
 */
export const ENV_FILE_DIFFERENCES: Readonly<Record<string, { readonly systemd: string; readonly runit: string }>> = {
  DQ: { systemd: 'double quoted  ', runit: 'double quoted' },
  BACKSLASH: { systemd: 'ab', runit: 'a\\b' },
  DQ_ESCAPE: { systemd: 'say "hi"', runit: 'say \\"hi\\"' },
};
