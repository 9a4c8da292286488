import type { CommandDef, CommandModule } from './define.js';

/**
 * A loaded module as the command it must be: its default export is { definition, run } for this command's name
 * (commands/NAME.ts, made with commandModule()). Each module's run is typed against its own definition when it
 * is compiled; this checks, at the one place a module arrives untyped, that the right module arrived.
 */
export function checkedModule<D extends CommandDef>(command: D, loaded: unknown): CommandModule<D> {
  const module = (loaded as { default?: Partial<CommandModule> } | undefined)?.default;
  if (module?.definition?.name !== command.name || typeof module.run !== 'function') {
    throw new Error(`the module of command ${command.name} does not export its definition and run (commandModule())`);
  }
  return module as CommandModule<D>;
}
