/**
 * The fish completions: `complete` lines, each guarded by which command the line holds so far
 * (__pvpn_gen_using), with the help as descriptions.
 */
import { valueFlags, type CompletionModel, type OptionWord, type ValueKind } from './model.js';

/** fish's single quotes: backslash escapes a quote or a backslash */
const q = (text: string) => `'${text.replace(/[\\']/g, (c) => `\\${c}`)}'`;

/** `complete` switches for a value of KIND */
function valueSwitches(kind: ValueKind): string {
  if (kind === 'none') return '-x';
  if (kind === 'file') return '-r -F';
  if (kind === 'dir') return `-x -a ${q('(__fish_complete_directories)')}`;
  if (kind === 'services' || kind === 'keys') return `-x -a ${q(`(__pvpn_gen_list ${kind})`)}`;
  return `-x -a ${q(kind.words.join(' '))}`;
}

function optionLine(o: OptionWord, condition?: string): string {
  const when = condition ? ` -n ${q(condition)}` : '';
  const short = o.short ? ` -s ${o.short.slice(1)}` : '';
  const value = o.value === undefined ? '' : ` ${valueSwitches(o.value)}`;
  return `complete -c pvpn-gen${when}${short} -l ${o.long.slice(2)}${value} -d ${q(o.help)}`;
}

function argLine(command: string, kind: ValueKind, position: number | undefined): string | undefined {
  if (kind === 'none') return undefined;
  const when = q(`__pvpn_gen_using ${command}${position === undefined ? '' : ` ${position}`}`);
  if (kind === 'file') return `complete -c pvpn-gen -n ${when} -F`;
  return `complete -c pvpn-gen -n ${when} ${valueSwitches(kind).replace(/^-x /, '')}`;
}

export function fishScript(model: CompletionModel): string {
  const skips = [
    `            case ${valueFlags(model.globals).map((f) => q(`*:${f}`)).join(' ')}\n                set skip 1`,
    ...model.commands
      .filter((c) => valueFlags(c.options).length > 0)
      .map((c) => `            case ${valueFlags(c.options).map((f) => q(`${c.name}:${f}`)).join(' ')}\n                set skip 1`),
  ];
  const lines = [
    ...model.commands.map((c) => `complete -c pvpn-gen -n __pvpn_gen_needs_command -a ${c.name} -d ${q(c.help)}`),
    ...model.globals.map((o) => optionLine(o)),
    ...model.commands.flatMap((c) => c.options.map((o) => optionLine(o, `__pvpn_gen_using ${c.name}`))),
    ...model.commands.flatMap((c) =>
      c.args.map((kind, n) => argLine(c.name, kind, c.variadic && n === c.args.length - 1 ? undefined : n)).filter((l): l is string => l !== undefined),
    ),
  ];
  return `# fish completion for pvpn-gen, generated from its command list by \`pvpn-gen completion fish\`.
# Install: pvpn-gen completion fish > ~/.config/fish/completions/pvpn-gen.fish

# the command of the line so far and how many arguments it has, as "COMMAND NPOS"; the --spec given, as "spec FILE"
function __pvpn_gen_state
    set -l cmd
    set -l npos 0
    set -l skip 0
    set -l prev ''
    for t in (commandline -opc)[2..-1]
        if test $skip = 1
            set skip 0
            test "$prev" = --spec; and echo spec $t
            continue
        end
        set prev $t
        switch "$cmd:$t"
            case '*:--spec=*'
                echo spec (string replace -- --spec= '' $t)
${skips.join('\n')}
            case '*:-*'
            case ':*'
                set cmd $t
            case '*'
                set npos (math $npos + 1)
        end
    end
    echo state $cmd $npos
end

function __pvpn_gen_needs_command
    set -l state (string split ' ' (__pvpn_gen_state)[-1])
    test (count $state) -eq 2
end

# __pvpn_gen_using COMMAND [N]: the line's command is COMMAND (and N arguments are there already)
function __pvpn_gen_using
    set -l state (string split ' ' (__pvpn_gen_state)[-1])
    test (count $state) -eq 3; and test "$state[2]" = $argv[1]; or return 1
    test (count $argv) -lt 2; or test "$state[3]" = $argv[2]
end

# what the spec of this command line holds: pvpn-gen prints it (services, or the keys set takes)
function __pvpn_gen_list
    set -l spec
    for line in (__pvpn_gen_state)
        set -l words (string split ' ' -- $line)
        test "$words[1]" = spec; and set spec --spec $words[2..-1]
    end
    set -l program (commandline -opc)[1]
    $program $spec completion --list $argv[1] 2>/dev/null
end

complete -c pvpn-gen -f
${lines.join('\n')}
`;
}
