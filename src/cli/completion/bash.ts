/**
 * The bash completion script: plain bash (compgen, COMPREPLY), so it needs no bash-completion package, and it is
 * loaded the way bash-completion loads any (a file named pvpn-gen in its completions directory) or by `source`.
 */
import { quoted, valueFlags, type CompletionModel, type OptionWord, type ValueKind } from './model.js';

/** bash code that fills COMPREPLY with the candidates of KIND for the word $cur. */
function fill(kind: ValueKind): string {
  if (kind === 'none') return 'COMPREPLY=()';
  if (kind === 'file') return 'compopt -o filenames 2>/dev/null; _pvpn_gen_compgen -f';
  if (kind === 'dir') return 'compopt -o filenames 2>/dev/null; _pvpn_gen_compgen -d';
  if (kind === 'services' || kind === 'keys') return `_pvpn_gen_words "$(_pvpn_gen_list ${kind})"`;
  return `_pvpn_gen_words ${quoted(kind.words.join(' '))}`;
}

const flagPattern = (o: OptionWord) => (o.short ? `${o.long}|${o.short}` : o.long);

export function bashScript(model: CompletionModel): string {
  const fn = '_pvpn_gen';
  const globalsWithValue = valueFlags(model.globals);
  // "command:option" -> the option's values; the command's own options first, then the global ones (any command)
  const valueCases = [
    ...model.commands.flatMap((c) =>
      c.options
        .filter((o) => o.value !== undefined)
        .map((o) => `    ${flagPattern(o).split('|').map((f) => `${c.name}:${f}`).join('|')}) ${fill(o.value as ValueKind)}; return ;;`),
    ),
    ...model.globals.filter((o) => o.value !== undefined).map((o) => `    ${flagPattern(o).split('|').map((f) => `*:${f}`).join('|')}) ${fill(o.value as ValueKind)}; return ;;`),
  ];
  const commandValueFlags = model.commands
    .map((c) => [c.name, valueFlags(c.options)] as const)
    .filter(([, flags]) => flags.length > 0)
    .map(([name, flags]) => `      ${flags.map((f) => `${name}:${f}`).join('|')}) _pvpn_gen_skip ;;`);
  const optionWords = model.commands.map((c) => `    ${c.name}) words=${quoted(c.options.flatMap((o) => (o.short ? [o.long, o.short] : [o.long])).join(' '))} ;;`);
  const argCases = model.commands
    .filter((c) => c.args.length > 0)
    .map((c) => {
      const positions = c.args.map((kind, n) => `${n}) ${fill(kind)} ;;`);
      const rest = c.variadic ? fill(c.args[c.args.length - 1] as ValueKind) : 'COMPREPLY=()';
      return `    ${c.name}) case $npos in ${positions.join(' ')} *) ${rest} ;; esac ;;`;
    });
  return `# bash completion for pvpn-gen, generated from its command list by \`pvpn-gen completion bash\`.
# Install: pvpn-gen completion bash > ~/.local/share/bash-completion/completions/pvpn-gen
# (or: source <(pvpn-gen completion bash)).

# the candidates compgen ARGS... gives for $cur, one a line (a file name may hold spaces)
_pvpn_gen_compgen() {
  mapfile -t COMPREPLY < <(compgen "$@" -- "$cur")
}

# the words of $1 that start with $cur
_pvpn_gen_words() {
  _pvpn_gen_compgen -W "$1"
}

# what the spec of this command line holds: pvpn-gen prints it (services, or the keys set takes)
_pvpn_gen_list() {
  "\${COMP_WORDS[0]}" "\${spec[@]}" completion --list "$1" 2>/dev/null
}

# the word at $i is an option that takes a value: step over the value (also as --opt=value); keep --spec's
_pvpn_gen_skip() {
  local flag=\${COMP_WORDS[i]}
  ((i++))
  if [[ \${COMP_WORDS[i]} == = ]]; then ((i++)); fi
  if [[ $flag == --spec ]]; then spec=(--spec "\${COMP_WORDS[i]}"); fi
}

${fn}() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]} cword=$COMP_CWORD
  # --opt=value: bash splits it at '=' (COMP_WORDBREAKS)
  if [[ $cur == = ]]; then cur=''; fi
  if [[ $prev == = && $cword -ge 2 ]]; then prev=\${COMP_WORDS[cword-2]}; fi
  local cmd='' npos=0 i w spec=()
  for ((i = 1; i < cword; i++)); do
    w=\${COMP_WORDS[i]}
    case "$cmd:$w" in
${['      ' + globalsWithValue.map((f) => `*:${f}`).join('|') + ') _pvpn_gen_skip ;;', ...commandValueFlags].join('\n')}
      *:-*) ;;
      :*) cmd=$w ;;
      *) ((npos++)) ;;
    esac
  done
  case "$cmd:$prev" in
${valueCases.join('\n')}
  esac
  if [[ $cur == -* ]]; then
    local words=''
    case $cmd in
${optionWords.join('\n')}
    esac
    _pvpn_gen_words "$words ${model.globals.flatMap((o) => (o.short ? [o.long, o.short] : [o.long])).join(' ')}"
    return
  fi
  if [[ -z $cmd ]]; then
    _pvpn_gen_words ${quoted(model.commands.map((c) => c.name).join(' '))}
    return
  fi
  case $cmd in
${argCases.join('\n')}
  esac
}

complete -F ${fn} pvpn-gen
`;
}
