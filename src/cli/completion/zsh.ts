/**
 * The zsh completion function: an autoloadable `_pvpn-gen` (the file in a directory of $fpath) that also works when
 * sourced after compinit. Options and commands are offered with their help as descriptions.
 */
import { quoted, valueFlags, type CompletionModel, type OptionWord, type ValueKind } from './model.js';

function fill(kind: ValueKind): string {
  if (kind === 'none') return '_message value';
  if (kind === 'file') return '_files';
  if (kind === 'dir') return '_files -/';
  if (kind === 'services' || kind === 'keys') return `compadd -- \${(f)"$(_pvpn_gen_list ${kind})"}`;
  return `compadd -- ${kind.words.map(quoted).join(' ')}`;
}

const flags = (o: OptionWord) => (o.short ? [o.long, o.short] : [o.long]);
/** `_describe` entries: 'word:help' (a colon in the word would need a backslash; ours have none) */
const described = (options: readonly OptionWord[]) => options.flatMap((o) => flags(o).map((f) => quoted(`${f}:${o.help}`))).join(' ');

export function zshScript(model: CompletionModel): string {
  const valueCases = [
    ...model.commands.flatMap((c) =>
      c.options.filter((o) => o.value !== undefined).map((o) => `    (${flags(o).map((f) => `${c.name}:${f}`).join('|')}) ${fill(o.value as ValueKind)}; return ;;`),
    ),
    ...model.globals.filter((o) => o.value !== undefined).map((o) => `    (${flags(o).map((f) => `*:${f}`).join('|')}) ${fill(o.value as ValueKind)}; return ;;`),
  ];
  const skipCases = [
    `      (${valueFlags(model.globals).map((f) => `*:${f}`).join('|')}) (( i++ )); [[ $w == --spec ]] && spec=(--spec "\${words[i]}") ;;`,
    ...model.commands
      .filter((c) => valueFlags(c.options).length > 0)
      .map((c) => `      (${valueFlags(c.options).map((f) => `${c.name}:${f}`).join('|')}) (( i++ )) ;;`),
  ];
  const optionCases = model.commands.map((c) => `    (${c.name}) opts+=(${described(c.options)}) ;;`);
  const argCases = model.commands
    .filter((c) => c.args.length > 0)
    .map((c) => {
      const positions = c.args.map((kind, n) => `(${n}) ${fill(kind)} ;;`);
      const rest = c.variadic ? fill(c.args[c.args.length - 1] as ValueKind) : ':';
      return `    (${c.name}) case $npos in ${positions.join(' ')} (*) ${rest} ;; esac ;;`;
    });
  return `#compdef pvpn-gen
# zsh completion for pvpn-gen, generated from its command list by \`pvpn-gen completion zsh\`.
# Install: pvpn-gen completion zsh > "\${fpath[1]}/_pvpn-gen" (any directory of $fpath), then restart zsh;
# or, after compinit: source <(pvpn-gen completion zsh)

# what the spec of this command line holds: pvpn-gen prints it (services, or the keys set takes)
_pvpn_gen_list() {
  \${words[1]} "\${spec[@]}" completion --list "$1" 2>/dev/null
}

_pvpn-gen() {
  local cur=\${words[CURRENT]} prev=\${words[CURRENT-1]} cmd='' w
  local -i npos=0 i=2
  local -a spec opts
  while (( i < CURRENT )); do
    w=\${words[i]}
    case "$cmd:$w" in
      (*:--spec=*) spec=("$w") ;;
${skipCases.join('\n')}
      (*:-*) ;;
      (:*) cmd=$w ;;
      (*) (( npos++ )) ;;
    esac
    (( i++ ))
  done
  # --opt=value
  if [[ $cur == --*=* ]]; then
    prev=\${cur%%=*}
    compset -P '*='
  fi
  case "$cmd:$prev" in
${valueCases.join('\n')}
  esac
  if [[ $cur == -* ]]; then
    opts=(${described(model.globals)})
    case $cmd in
${optionCases.join('\n')}
    esac
    _describe -t options option opts
    return
  fi
  if [[ -z $cmd ]]; then
    local -a commands=(${model.commands.map((c) => quoted(`${c.name}:${c.help}`)).join(' ')})
    _describe -t commands command commands
    return
  fi
  case $cmd in
${argCases.join('\n')}
  esac
}

if [[ \${zsh_eval_context[-1]} == loadautofunc ]]; then
  _pvpn-gen "$@"
else
  compdef _pvpn-gen pvpn-gen
fi
`;
}
