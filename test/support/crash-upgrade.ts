/**
 * Crash consistency (test/system/crash*.test.ts): an upgrade of a multi-service spec is killed with SIGKILL at every
 * mutating step in turn (the in-process fault point in src/system/fs-write.ts counts mkdir, each write/fsync of a temp, rename, unlink,
 * directory fsync...). After each kill: every file is entirely old or entirely new, no enabled runit service has a
 * mixed run/log/run, and the next install converges: it says what it finished or rolled back, diff exits 0, no
 * temporary file is left, and the tree equals a clean install of the new spec.
 */
import { readdirSync, rmSync } from 'node:fs';
import fse from 'fs-extra';
import { describe, expect, test } from 'vitest';
import { binSync } from './bin.js';
import { specText, tempRoot, writeSpec } from './specs.js';
import { snapshotTree, type TreeEntry } from './tree.js';

const v1 = specText([
  { name: 'alpha' },
  { name: 'beta', extra: 'logging: { maxSize: 64K }' },
  { name: 'gamma' },
]);
const v2 = specText([
  { name: 'alpha', command: '/usr/bin/false' },
  { name: 'beta', interval: '2h', extra: 'logging: { maxSize: 128K }' },
  { name: 'delta' },
]);

const STATE = '/var/lib/pvpn-gen';

/** The tree without pvpn-gen's lock file (it holds the pid of the last run). */
function tree(root: string): Record<string, TreeEntry> {
  const t = snapshotTree(root);
  delete t[`${STATE}/lock`];
  return t;
}

function tempFiles(root: string): string[] {
  return Object.keys(snapshotTree(root)).filter((p) => /\.pvpn-gen-(?!backup)/.test(p));
}

/** A target's name, its CLI arguments, and for runit its enable and service directories (null elsewhere). */
export type CrashVariant = readonly [name: string, target: readonly string[], enableDir: string | null, serviceDir: string | null];

/** One test per variant: an upgrade killed at every mutating step; `timeoutMs` is a hang guard, not a speed target. */
export function crashEveryStep(variants: readonly CrashVariant[], timeoutMs: number): void {
  describe.each(variants)('%s: SIGKILL at every step of an upgrade', (_name, target, enableDir, serviceDir) => {
    test('each kill leaves old-or-new files and the next run converges', () => {
      const spec1 = writeSpec(v1);
      const spec2 = writeSpec(v2, 'pvpn-gen.yaml');
      const install = (spec: string, root: string, env: Record<string, string> = {}) =>
        binSync(['--spec', spec, 'install', ...target, '--root', root, '--yes'], env);

      const template = tempRoot();
      expect(install(spec1, template).code).toBe(0);
      const old = tree(template);
      const fresh = tempRoot();
      expect(install(spec1, fresh).code).toBe(0);
      expect(install(spec2, fresh).code).toBe(0);
      const expected = tree(fresh);

      let kills = 0;
      for (let step = 1; step < 500; step++) {
        const root = tempRoot();
        // links copied as they are (they point at live paths, which do not exist here)
        fse.copySync(template, root, { dereference: false });
        const killed = install(spec2, root, { PVPN_GEN_TEST_KILL_AT: String(step) });
        if (killed.signal === null) {
          // the run finished before reaching this step: every step has been tried
          expect(killed.code).toBe(0);
          expect(tree(root)).toEqual(expected);
          rmSync(root, { recursive: true, force: true });
          break;
        }
        expect(killed.signal).toBe('SIGKILL');
        kills++;

        // 1. every path holds its old or its new version (or nothing, where one of them has nothing)
        const now = tree(root);
        for (const path of new Set([...Object.keys(old), ...Object.keys(expected)])) {
          if (path.startsWith(STATE) || /\.pvpn-gen-/.test(path)) continue;
          const entry = now[path];
          const candidates = [old[path], expected[path]];
          // an enabled runit service is disabled (its link taken away) while its files change: see buildOps
          const disabledOnPurpose = enableDir !== null && path.startsWith(`${enableDir}/`);
          if (entry === undefined) expect(disabledOnPurpose ? [undefined] : candidates, `${path} vanished at step ${step}`).toContain(undefined);
          else expect(candidates, `${path} is neither old nor new at step ${step}`).toContainEqual(entry);
        }
        // 2. an enabled runit service never has run and log/run from different versions
        if (enableDir && serviceDir) {
          for (const name of readdirSync(root + enableDir)) {
            if (name.startsWith('.')) continue;
            const run = now[`${serviceDir}/${name}/run`];
            const logRun = now[`${serviceDir}/${name}/log/run`];
            const pair = (t: Record<string, TreeEntry>) => [t[`${serviceDir}/${name}/run`], t[`${serviceDir}/${name}/log/run`]];
            expect([pair(old), pair(expected)], `${name} is enabled with a mixed run/log/run at step ${step}`).toContainEqual([run, logRun]);
          }
        }
        // 3. the next run finishes or rolls back what was interrupted, and converges
        const next = install(spec2, root);
        expect(next.code, next.stderr).toBe(0);
        if (now[`${STATE}/journal.json`]) expect(next.stderr).toMatch(/finished an interrupted run|rolled back an interrupted run/);
        const diff = binSync(['--spec', spec2, 'diff', ...target, '--root', root]);
        expect(diff.code, diff.stdout).toBe(0);
        expect(tempFiles(root), `temp files left after step ${step}`).toEqual([]);
        expect(tree(root)).toEqual(expected);
        rmSync(root, { recursive: true, force: true });
      }
      // the upgrade has dozens of steps; make sure the loop really exercised them
      expect(kills).toBeGreaterThan(20);
    }, timeoutMs);
  });
}
