/**
 * pvpn-gen(1), in man(7) roff, from the command list (the same definitions --help prints) and the README's exit
 * code table (scripts/build.mjs reads it and writes dist/pvpn-gen.1). Pure: the date comes in (SOURCE_DATE_EPOCH),
 * so the same sources give the same page.
 */
import { argUsage, flagName, GLOBAL_OPTIONS, type CommandDef, type OptionDef, type OptionDefs } from './define.js';

export interface ManInput {
  readonly commands: readonly CommandDef[];
  readonly version: string;
  /** YYYY-MM-DD */
  readonly date: string;
  /** [code, meaning] rows, meaning in Markdown (`code` spans become bold) */
  readonly exitCodes: ReadonlyArray<readonly [string, string]>;
}

/** Text for a roff text line: backslashes and hyphens escaped, a leading . or ' made literal. */
export function roffText(text: string): string {
  return text
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .replace(/^([.'])/gm, '\\&$1');
}

/** Markdown `code` spans as bold, the rest escaped. */
const fromMarkdown = (text: string) =>
  text
    .split(/(`[^`]*`)/)
    .map((part) => (part.startsWith('`') ? `\\fB${roffText(part.slice(1, -1))}\\fR` : roffText(part.replace(/\\\|/g, '|'))))
    .join('');

function optionEntry(key: string, option: OptionDef): string[] {
  const value = 'value' in option ? ` \\fI${roffText(option.value)}\\fR` : '';
  const names = [...(option.short ? [`\\fB\\-${option.short}\\fR`] : []), `\\fB\\-\\-${roffText(flagName(key))}\\fR`].join(', ');
  const choices = option.type === 'choice' ? ` One of: ${option.choices.map((c) => `\\fB${roffText(c)}\\fR`).join(', ')}.` : '';
  const fallback = option.type === 'number' && option.default !== undefined ? ` Default: ${option.default}.` : '';
  const required = 'required' in option && option.required ? ' Required.' : '';
  return ['.TP', `${names}${value}`, `${roffText(capitalised(option.help))}.${choices}${fallback}${required}`];
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const options = (defs: OptionDefs) => Object.entries(defs).flatMap(([key, option]) => optionEntry(key, option));

function commandSection(command: CommandDef): string[] {
  const usage = [command.name, ...(command.args ?? []).map(argUsage)].join(' ');
  return [
    `.SS ${roffText(usage)}`,
    `${roffText(capitalised(command.help))}.`,
    ...(command.details ? ['.PP', '.nf', roffText(command.details), '.fi'] : []),
    ...(Object.keys(command.options).length > 0 ? ['.RS', ...options(command.options), '.RE'] : []),
  ];
}

export function manPage(input: ManInput): string {
  return [
    `.TH PVPN\\-GEN 1 "${input.date}" "pvpn\\-gen ${roffText(input.version)}" "User Commands"`,
    '.SH NAME',
    'pvpn\\-gen \\- turn one service spec into installed, supervised runit services or systemd units',
    '.SH SYNOPSIS',
    '.B pvpn\\-gen',
    '[\\fIoptions\\fR] \\fIcommand\\fR [\\fIcommand options\\fR] [\\fIarguments\\fR]',
    '.SH DESCRIPTION',
    'pvpn\\-gen reads one checked\\-in service spec (YAML or JSON) and renders, plans, installs and controls the',
    'services it describes on runit or systemd: periodic jobs and daemons, with their user, limits, hardening and',
    'logging. The same spec gives byte\\-identical files on every machine. Installs are atomic and journaled, and',
    'recorded in a manifest that uninstall, status and the control commands read.',
    '.SH OPTIONS',
    'These options are understood by every command.',
    ...options(GLOBAL_OPTIONS),
    '.SH COMMANDS',
    ...input.commands.flatMap(commandSection),
    '.SH EXIT STATUS',
    ...input.exitCodes.flatMap(([code, meaning]) => ['.TP', `.B ${roffText(code)}`, `${fromMarkdown(capitalised(meaning))}.`]),
    '.SH FILES',
    '.TP',
    '.I pvpn\\-gen.yaml',
    'The spec, searched from the current directory upwards when \\fB\\-\\-spec\\fR is not given (also',
    '\\fIpvpn\\-gen.yml\\fR, \\fIpvpn\\-gen.json\\fR, \\fI.pvpn\\-genrc\\fR[\\fI.yaml\\fR|\\fI.yml\\fR|\\fI.json\\fR],',
    '\\fI.config/pvpn\\-genrc*\\fR and the \\fBpvpn\\-gen\\fR key of \\fIpackage.json\\fR).',
    '.SH ENVIRONMENT',
    '.TP',
    '.B NO_COLOR',
    'Set (to anything): no colour in the output (neither is there any with TERM=dumb or when not on a terminal).',
    '.SH EXAMPLES',
    '.nf',
    'pvpn\\-gen init',
    'pvpn\\-gen set protonvpn\\-updater.interval 2h',
    'pvpn\\-gen validate && pvpn\\-gen diff',
    'sudo pvpn\\-gen install',
    'pvpn\\-gen status \\-\\-json',
    'pvpn\\-gen completion bash > ~/.local/share/bash\\-completion/completions/pvpn\\-gen',
    '.fi',
    '.SH SEE ALSO',
    '.BR systemd.service (5),',
    '.BR systemd.timer (5),',
    '.BR runsv (8),',
    '.BR sv (8),',
    '.BR svlogd (8),',
    '.BR chpst (8)',
    '',
  ].join('\n');
}

/** The rows of the README's `## Exit codes` table. */
export function readmeExitCodes(readme: string): Array<[string, string]> {
  const section = readme.split(/^## Exit codes\n/m)[1]?.split(/^## /m)[0] ?? '';
  return section
    .split('\n')
    .map((line) => /^\| (\d+) \| (.*) \|$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1] as string, m[2] as string]);
}
