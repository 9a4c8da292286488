/**
 * Secrets stay secret: an environmentFile or credential that group or others can read is refused at install
 * (the fix is one chmod); one that does not exist yet is a warning (the service fails to start until it does).
 * Read-only; paths are looked up under the root being installed into.
 */
import { statSync } from 'node:fs';
import type { SpecModel } from '../spec/types.js';
import { pointerOf, type Problem } from '../spec/problem.js';

export function secretProblems(root: string, model: SpecModel, services: ReadonlySet<string> | null): Problem[] {
  const problems: Problem[] = [];
  for (const service of model.services) {
    if (services && !services.has(service.name)) continue;
    const secrets: Array<[string[], string]> = [
      ...(service.environmentFile ? [[['environmentFile'], service.environmentFile] as [string[], string]] : []),
      ...service.credentials.map(([name, path]): [string[], string] => [['credentials', name], path]),
    ];
    for (const [key, path] of secrets) {
      const pointer = pointerOf(['services', service.name, ...key]);
      let mode: number;
      try {
        mode = statSync(root + path).mode & 0o7777;
      } catch {
        problems.push({ severity: 'warning', file: model.specName, pointer, message: `${path} does not exist yet; the service cannot start until it does (create it with mode 0600)` });
        continue;
      }
      if (mode & 0o077) {
        problems.push({
          severity: 'error',
          file: model.specName,
          pointer,
          message: `${path} holds secrets but is readable by ${mode & 0o007 ? 'everyone' : 'its group'} (mode ${mode.toString(8).padStart(4, '0')}); run: chmod 600 ${path}`,
        });
      }
    }
  }
  return problems;
}
