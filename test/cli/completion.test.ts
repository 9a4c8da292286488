/**
 * `pvpn-gen completion bash|zsh|fish` (issue 15), driven through the real shells with the built pvpn-gen on PATH:
 * bash and zsh in tmux (type a partial command, press Tab, read the screen), bash's completion function and
 * fish's `complete -C` for the many cases. Commands, options, option values (--target, --layout), the services
 * of the spec (also one named by --spec), the keys of set. The scripts come from the command list, so a new
 * command or option is completed without touching them (the last test).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { COMMANDS } from '../../src/cli/commands-table.js';
import { completionScript } from '../../src/cli/completion/index.js';
import { binSync } from '../support/bin.js';
import { BIN, FIXTURES } from '../support/paths.js';
import { requireTool } from '../support/tools.js';
import { TARGET_NAMES } from '../../src/targets/names.js';

const SERVICES = ['protonvpn-healthcheck', 'protonvpn-tray-bridge', 'protonvpn-updater'];
let home: string;
let env: Record<string, string>;
const scripts: Record<string, string> = {};

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'pvpn-completion-'));
  // pvpn-gen on PATH as an installed one is: the built CLI
  mkdirSync(join(home, 'bin'));
  writeFileSync(join(home, 'bin/pvpn-gen'), `#!/bin/sh\nexec '${process.execPath}' '${BIN}' "$@"\n`, { mode: 0o755 });
  copyFileSync(join(FIXTURES, 'multi-service.yaml'), join(home, 'pvpn-gen.yaml'));
  mkdirSync(join(home, 'other'));
  writeFileSync(join(home, 'other/spec.yaml'), 'version: 1\nservices:\n  elsewhere:\n    command: [/bin/true]\n');
  for (const shell of ['bash', 'zsh', 'fish']) {
    const r = binSync(['completion', shell]);
    expect(r.code).toBe(0);
    scripts[shell] = join(home, `completion.${shell}`);
    writeFileSync(scripts[shell], r.stdout);
  }
  env = { PATH: `${join(home, 'bin')}:${process.env.PATH}`, HOME: home, TERM: 'xterm', LANG: 'C.UTF-8' };
});

afterAll(() => {
  if (tmux) spawnSync(tmux.bin, ['-S', tmux.socket, 'kill-server']);
});

/** bash's candidates for the line WORDS (the last word is the one being completed), from the function itself. */
function bashCandidates(words: readonly string[]): string[] {
  const quotedWords = words.map((w) => `'${w}'`).join(' ');
  const out = execFileSync(requireTool('bash'), ['--norc', '--noprofile', '-c', `source "$1"; COMP_WORDS=(${quotedWords}); COMP_CWORD=${words.length - 1}; COMP_LINE="\${COMP_WORDS[*]}"; _pvpn_gen; printf '%s\\n' "\${COMPREPLY[@]}"`, 'bash', scripts.bash as string], { cwd: home, env, encoding: 'utf8' });
  return out.split('\n').filter((l) => l !== '').sort();
}

/** fish's candidates (without descriptions) for LINE, through its own completion engine. */
function fishCandidates(line: string): string[] {
  const out = execFileSync(requireTool('fish'), ['--no-config', '-c', `source $argv[1]; complete -C $argv[2]`, scripts.fish as string, line], { cwd: home, env, encoding: 'utf8' });
  return out.split('\n').filter((l) => l !== '').map((l) => l.split('\t')[0] as string).sort();
}

const commandNames = COMMANDS.map((c) => c.name);

describe.each([
  ['bash', (line: string) => bashCandidates(line.split(' '))],
  ['fish', fishCandidates],
])('%s: what is offered', (_shell, candidates) => {
  test.each([
    ['pvpn-gen ', commandNames],
    ['pvpn-gen st', ['start', 'status', 'stop']],
    ['pvpn-gen --spec x.yaml re', ['render', 'restart']],
    ['pvpn-gen render --target ', [...TARGET_NAMES]],
    ['pvpn-gen diff --target ', ['auto', ...TARGET_NAMES]],
    ['pvpn-gen render --layout ', ['artix', 'debian', 'void']],
    ['pvpn-gen completion ', ['bash', 'fish', 'zsh']],
    ['pvpn-gen status ', SERVICES],
    ['pvpn-gen stop protonvpn-updater protonvpn-t', ['protonvpn-tray-bridge']],
    ['pvpn-gen render --service protonvpn-h', ['protonvpn-healthcheck']],
    ['pvpn-gen --spec other/spec.yaml status ', ['elsewhere']],
    ['pvpn-gen set protonvpn-updater.interv', ['protonvpn-updater.interval']],
    ['pvpn-gen set protonvpn-updater.limits.mem', ['protonvpn-updater.limits.memory']],
    ['pvpn-gen set defaults.us', ['defaults.user']],
  ])('%s', (line, expected) => {
    expect(candidates(line)).toEqual([...expected].sort());
  });

  test('options of the command, and the global ones', () => {
    const offered = candidates('pvpn-gen logs --');
    expect(offered).toEqual(expect.arrayContaining(['--follow', '--lines', '--project', '--spec', '--verbose', '--help']));
    expect(offered).not.toContain('--target');
  });
});

/** A tmux server of this test's own, on its own socket. */
let tmux: { bin: string; socket: string } | undefined;

async function screenOf(session: string, until: (screen: string) => boolean): Promise<string> {
  let screen = '';
  for (let i = 0; i < 100; i++) {
    screen = execFileSync(tmux!.bin, ['-S', tmux!.socket, 'capture-pane', '-p', '-t', session], { encoding: 'utf8' });
    if (until(screen)) return screen;
    await new Promise((r) => setTimeout(r, 100));
  }
  return screen;
}

/**
 * Starts SHELL in tmux with the script loaded, then for each case types the partial line, Tab, and a marker, and
 * returns the line the screen shows: `$ pvpn-gen render @` proves Tab wrote `render ` (the word and a space).
 */
async function typeAndTab(shell: 'bash' | 'zsh', setup: string, partials: readonly string[]): Promise<string[]> {
  tmux ??= { bin: requireTool('tmux'), socket: join(home, 'tmux.sock') };
  const session = `pvpn-${shell}`;
  const argv = shell === 'bash' ? [requireTool('bash'), '--norc', '--noprofile'] : [requireTool('zsh'), '-f'];
  execFileSync(tmux.bin, ['-S', tmux.socket, 'new-session', '-d', '-s', session, '-x', '160', '-y', '40', '-c', home, 'env', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...argv]);
  const send = (...keys: string[]) => execFileSync(tmux!.bin, ['-S', tmux!.socket, 'send-keys', '-t', session, ...keys]);
  send(`PS1='$ '; ${setup}; clear`, 'Enter');
  await screenOf(session, (s) => s.trim() === '$');
  const lines: string[] = [];
  for (const partial of partials) {
    send('-l', partial);
    send('Tab');
    // the completion runs pvpn-gen for services and keys: wait until the line has grown, then mark its end
    await screenOf(session, (s) => (s.trim().split('\n').at(-1) ?? '').length > `$ ${partial}`.length);
    send('-l', '@');
    const screen = await screenOf(session, (s) => s.includes('@'));
    lines.push(screen.split('\n').find((l) => l.includes('@'))?.trimEnd() ?? screen);
    send('C-u');
    send('C-l');
    await screenOf(session, (s) => !s.includes('@'));
  }
  return lines;
}

const TYPED: ReadonlyArray<readonly [string, string]> = [
  ['pvpn-gen ren', '$ pvpn-gen render @'],
  ['pvpn-gen render --tar', '$ pvpn-gen render --target @'],
  ['pvpn-gen render --target sys', '$ pvpn-gen render --target systemd @'],
  ['pvpn-gen diff --layout vo', '$ pvpn-gen diff --layout void @'],
  ['pvpn-gen status protonvpn-u', '$ pvpn-gen status protonvpn-updater @'],
  ['pvpn-gen set protonvpn-updater.interv', '$ pvpn-gen set protonvpn-updater.interval @'],
];

test('bash in tmux: Tab completes commands, options, targets, services and keys', async () => {
  const lines = await typeAndTab('bash', `source '${scripts.bash}'`, TYPED.map(([typed]) => typed));
  expect(lines).toEqual(TYPED.map(([, shown]) => shown));
});

test('zsh in tmux (compinit): the same', async () => {
  const lines = await typeAndTab('zsh', `autoload -U compinit; compinit -u -D; source '${scripts.zsh}'`, TYPED.map(([typed]) => typed));
  expect(lines).toEqual(TYPED.map(([, shown]) => shown));
});

test('zsh: the function also loads from $fpath as _pvpn-gen, as packages install it', async () => {
  const dir = join(home, 'site-functions');
  mkdirSync(dir, { recursive: true });
  copyFileSync(scripts.zsh as string, join(dir, '_pvpn-gen'));
  tmux ??= { bin: requireTool('tmux'), socket: join(home, 'tmux.sock') };
  spawnSync(tmux.bin, ['-S', tmux.socket, 'kill-session', '-t', 'pvpn-zsh']);
  const lines = await typeAndTab('zsh', `fpath=('${dir}' $fpath); autoload -U compinit; compinit -u -D`, ['pvpn-gen unse']);
  expect(lines).toEqual(['$ pvpn-gen unset @']);
});

test('the scripts pass their shells\' own checks: bash -n, shellcheck, zsh -n, fish -n', () => {
  execFileSync(requireTool('bash'), ['-n', scripts.bash as string]);
  execFileSync(requireTool('shellcheck'), ['-s', 'bash', scripts.bash as string]);
  execFileSync(requireTool('zsh'), ['-n', scripts.zsh as string]);
  execFileSync(requireTool('fish'), ['--no-execute', scripts.fish as string]);
});

test('a command added to the list is completed, with its options, by every script', () => {
  const extra = { name: 'frobnicate', help: 'test only', options: { wibble: { type: 'flag', help: 'w' } } } as const;
  for (const shell of ['bash', 'zsh', 'fish'] as const) {
    const script = completionScript(shell, [...COMMANDS, extra]);
    expect(script).toContain('frobnicate');
    expect(script).toContain(shell === 'fish' ? '-l wibble' : '--wibble');
  }
});

test('no shell: a usage error naming the shells; unknown: the same', () => {
  expect(binSync(['completion']).stderr).toContain('bash, zsh, fish');
  expect(binSync(['completion', 'tcsh']).code).toBe(2);
});
