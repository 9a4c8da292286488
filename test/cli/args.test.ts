/** The command line: help, version, usage errors (exit 2), options camelCased, --no-start. */
import { describe, expect, test } from 'vitest';
import { parse } from '../../src/cli/args.js';
import { UsageError } from '../../src/errors.js';
import { VERSION } from '../../src/version.js';
import { cli } from '../support/cli.js';

describe('parse', () => {
  test('global options before or after the command, values camelCased', () => {
    expect(parse(['--spec', 'x.yaml', 'install', '--dry-run', '--lock-wait', '5', '--no-start', '-s', 'a', '-s', 'b'])).toEqual({
      kind: 'command',
      command: 'install',
      options: { spec: 'x.yaml', dryRun: true, lockWait: '5', start: false, service: ['a', 'b'] },
      args: [],
    });
    expect(parse(['uninstall', 'a', 'b', '--spec=y.yaml']).kind === 'command' && parse(['uninstall', 'a', 'b', '--spec=y.yaml'])).toMatchObject({ args: ['a', 'b'], options: { spec: 'y.yaml' } });
  });

  test('short options with attached values, and -- ending the options', () => {
    expect(parse(['render', '-truntit'.replace('truntit', 'trunit'), '-lvoid'])).toMatchObject({ options: { target: 'runit', layout: 'void' } });
    expect(parse(['uninstall', '--', '--odd-name'])).toMatchObject({ args: ['--odd-name'] });
  });

  test.each([
    [['render', '--target=systemd', '--yes=1'], /Unknown option '--yes'/],
    [['install', '--yes=1'], /Option '--yes' takes no value/],
    [['bogus'], /unknown command 'bogus'; the commands are: validate, render/],
    [['render'], /render needs --target <target> \(systemd or runit\)/],
    [['render', '--target', 'upstart'], /--target upstart is not one of systemd, runit/],
    [['render', '--target', 'runit', '--frob'], /Unknown option '--frob'; see pvpn-gen render --help/],
    [['validate', 'extra'], /validate takes no arguments \(got extra\)/],
    [['logs', 'a', 'b'], /logs takes one service name/],
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
    expect(render.stdout).toMatch(/-t, --target <target>\s+the init system: systemd, runit \(systemd, runit\) \[required\]/);
  });

  test('usage errors exit 2 with one line and no stack', async () => {
    const result = await cli(['render', '--target']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
