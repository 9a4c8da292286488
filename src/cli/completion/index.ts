/** `pvpn-gen completion SHELL`: the script for that shell, from the command list. */
import type { CommandDef } from '../define.js';
import { bashScript } from './bash.js';
import { fishScript } from './fish.js';
import { completionModel, type Shell } from './model.js';
import { zshScript } from './zsh.js';

export { SHELLS, type Shell } from './model.js';

const SCRIPTS: Record<Shell, (model: ReturnType<typeof completionModel>) => string> = { bash: bashScript, zsh: zshScript, fish: fishScript };

export function completionScript(shell: Shell, commands: readonly CommandDef[]): string {
  return SCRIPTS[shell](completionModel(commands));
}
