/** The command line: help, version, usage errors (exit 2), typed option values, one command list. */
import { describe, expect, expectTypeOf, test } from 'vitest';
import { parse as parseWith, type ParsedCommand } from '../../src/cli/args.js';
import { COMMANDS, install, type logs, type render } from '../../src/cli/commands-table.js';
import type { OptionsOf } from '../../src/cli/define.js';
import { TARGET_NAMES, type TargetName } from '../../src/targets/names.js';
import { UsageError } from '../../src/errors.js';
import { VERSION } from '../../src/version.js';
import { cli } from '../support/cli.js';

const parse = (argv: readonly string[]) => parseWith(argv, COMMANDS);
const options = (argv: readonly string[]) => (parse(argv) as ParsedCommand).options;

describe('parse', () => {
  test('global options before or after the command, values typed as their definitions say', () => {
    expect(parse(['--spec', 'x.yaml', 'install', '--dry-run', '--lock-wait', '5', '--no-start', '-s', 'a', '-s', 'b'])).toEqual({
      kind: 'command',
      command: install,
      options: {
        spec: 'x.yaml',
        strict: false,
        allowCodeConfig: false,
        verbose: false,
        target: undefined,
        layout: undefined,
        service: ['a', 'b'],
        root: undefined,
        yes: false,
        dryRun: true,
        force: false,
        lockWait: 5,
        noStart: true,
      },
      args: [],
    });
    expect(parse(['uninstall', 'a', 'b', '--spec=y.yaml']).kind === 'command' && parse(['uninstall', 'a', 'b', '--spec=y.yaml'])).toMatchObject({ args: ['a', 'b'], options: { spec: 'y.yaml' } });
  });

  test('short options with attached values, and -- ending the options', () => {
    expect(parse(['render', '-truntit'.replace('truntit', 'trunit'), '-lvoid'])).toMatchObject({ options: { target: 'runit', layout: 'void' } });
    expect(parse(['uninstall', '--', '--odd-name'])).toMatchObject({ args: ['--odd-name'] });
  });

  test('numbers are parsed once, defaults filled in', () => {
    expect(options(['install', '--lock-wait=0.5'])).toMatchObject({ lockWait: 0.5 });
    expect(options(['install'])).toMatchObject({ lockWait: 30 });
    expect(options(['logs', 'a', '-n5'])).toMatchObject({ lines: 5 });
    expect(options(['logs', 'a'])).toMatchObject({ lines: 50 });
  });

  test('the options a command runs with are typed from its definition', () => {
    expectTypeOf<OptionsOf<typeof install>['lockWait']>().toEqualTypeOf<number>();
    expectTypeOf<OptionsOf<typeof install>['noStart']>().toEqualTypeOf<boolean>();
    expectTypeOf<OptionsOf<typeof install>['target']>().toEqualTypeOf<TargetName | 'auto' | undefined>();
    expectTypeOf<OptionsOf<typeof render>['target']>().toEqualTypeOf<TargetName>();
    expectTypeOf<OptionsOf<typeof render>['service']>().toEqualTypeOf<string[]>();
    expectTypeOf<OptionsOf<typeof logs>['lines']>().toEqualTypeOf<number>();
    expectTypeOf<OptionsOf<typeof logs>['spec']>().toEqualTypeOf<string | undefined>();
  });

  test('--version is answered with or without a command; --help wins', () => {
    expect(parse(['--version'])).toEqual({ kind: 'version' });
    expect(parse(['render', '-V'])).toEqual({ kind: 'version' });
    expect(parse(['--version', '--help'])).toMatchObject({ kind: 'help' });
  });

  test.each([
    [['render', '--target=systemd', '--yes=1'], /Unknown option '--yes'/],
    [['install', '--yes=1'], /Option '--yes' takes no value/],
    [['bogus'], /unknown command 'bogus'; the commands are: validate, render/],
    [['render'], new RegExp(`render needs --target <target> \\(the init system: ${TARGET_NAMES.join(', ')}\\)`)],
    [['render', '--target', 'upstart'], new RegExp(`--target upstart is not one of ${TARGET_NAMES.join(', ')}`)],
    [['render', '--target', 'runit', '--frob'], /Unknown option '--frob'; see pvpn-gen render --help/],
    [['validate', 'extra'], /validate takes no arguments \(got extra\)/],
    [['logs', 'a', 'b'], /logs takes one service name/],
    [['install', '--lock-wait', 'soon'], /--lock-wait takes a number \(0 or more\) of seconds, not 'soon'/],
    [['install', '--lock-wait', '-1'], /--lock-wait takes a number \(0 or more\) of seconds, not '-1'/],
    [['install', '--lock-wait='], /--lock-wait takes a number/],
    [['logs', 'a', '-n', '2.5'], /-n\/--lines takes a whole number \(0 or more\) of lines, not '2.5'/],
    [['logs', 'a', '-n', 'ten'], /-n\/--lines takes a whole number/],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parse(argv)).toThrow(UsageError);
    expect(() => parse(argv)).toThrow(message);
  });
});

describe('the CLI', () => {
  test('--version and -V print the version', async () => {
    expect(await cli(['--version'])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    expect((await cli(['-V'])).stdout).toBe(`${VERSION}\n`);
  });

  test('--help lists every command; COMMAND --help its options', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['validate', 'render', 'diff', 'install', 'uninstall', 'status', 'run-now', 'logs', 'detect']) expect(help.stdout).toContain(`\n  ${command}`);
    const render = await cli(['render', '--help']);
    expect(render.stdout).toMatch(/Usage: pvpn-gen render \[options\]/);
    expect(render.stdout).toMatch(new RegExp(`-t, --target <target>\\s+the init system: ${TARGET_NAMES.join(', ')} \\(${TARGET_NAMES.join(', ')}\\) \\[required\\]`));
  });

  test('usage errors exit 2 with one line and no stack', async () => {
    const result = await cli(['render', '--target']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
