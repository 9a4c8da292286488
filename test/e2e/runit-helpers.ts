/** Shared by the runit end-to-end tests: a shell and pvpn-gen inside a runit sandbox, and polling. */
import type { RunitSandbox } from '../harness/runit-sandbox.js';
import { BIN } from '../support/paths.js';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 200 ms until it holds; fails naming `what` after `ms`. */
export async function waitUntil(what: string, check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/** `sh -c SCRIPT` and `pvpn-gen ARGS` (no task list, no colour) inside the sandbox. */
export function runitCommands(box: () => RunitSandbox) {
  return {
    sh: (script: string, input?: string) => box().exec(['sh', '-c', script], input === undefined ? {} : { input }),
    pvpn: (...args: string[]) =>
      box().exec(['env', 'PVPN_GEN_RENDERER=silent', 'NO_COLOR=1', process.execPath, BIN, ...args], { timeoutMs: 60_000 }),
  };
}
