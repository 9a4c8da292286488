/**
 * Secrets stay secret, and root reads only its own: an environmentFile or credential is read as root (systemd's
 * EnvironmentFile=/LoadCredential=, runit's run script), so at install it must be a regular file (not a link),
 * owned by root, readable by root alone (0600 or 0400), in directories only root can change: otherwise another user
 * could put a link to /etc/shadow in its place and have root hand that to the job. One that does not exist yet is a
 * warning (the service cannot start until it does). environmentFiles are packaged files (/etc/default/NAME, 0644),
 * not secrets: others may read them, only root may write them. Read-only; paths are looked up under the root being
 * installed into. `install` refuses what this finds and `diff` reports it the same way. The generated runit scripts
 * check the same again at every start (templates/sh/_secrets.hbs, _environment_files.hbs).
 */
import type { SpecModel } from '../model/types.js';
import { pointerOf, type Problem } from '../model/problem.js';
import type { Reader } from './port.js';
import { checkWays } from './trusted-paths.js';

export function secretProblems(reader: Reader, root: string, model: SpecModel, services: ReadonlySet<string> | null): Problem[] {
  const problems: Problem[] = [];
  const owners = new Set([0, ...(root === '' ? [] : [process.geteuid?.() ?? 0])]);
  for (const service of model.services) {
    if (services && !services.has(service.name)) continue;
    const secrets: Array<[string[], string]> = [
      ...(service.environmentFile ? [[['environmentFile'], service.environmentFile] as [string[], string]] : []),
      ...service.environmentFiles.map(({ path }, i): [string[], string] => [['environmentFiles', String(i)], path]),
      ...service.credentials.map(([name, path]): [string[], string] => [['credentials', name], path]),
    ];
    for (const [key, path] of secrets) {
      const pointer = pointerOf(['services', service.name, ...key]);
      const problem = (severity: Problem['severity'], message: string) => problems.push({ severity, file: model.specName, pointer, message });
      const stat = reader.info(root + path);
      if (stat === null) {
        // an optional environment file may be missing (systemd EnvironmentFile=-)
        if (key[0] === 'environmentFiles' && service.environmentFiles[Number(key[1])]?.optional) continue;
        problem('warning', `${path} does not exist yet; the service cannot start until it does (create it owned by root with mode 0600)`);
        continue;
      }
      const mode = stat.mode;
      const octal = mode.toString(8).padStart(4, '0');
      if (stat.type === 'symlink') {
        problem('error', `${path} holds secrets but is a symbolic link: root would read whatever it points to; name the file itself`);
      } else if (stat.type !== 'file') {
        problem('error', `${path} holds secrets but is not a regular file`);
      } else if (!owners.has(stat.uid)) {
        problem('error', `${path} holds secrets but belongs to uid ${stat.uid}, who could swap it for a link to any file root can read; run: chown root: ${path}`);
      } else if (key[0] === 'environmentFiles' && mode & 0o022) {
        problem('error', `${path} is read as root but ${mode & 0o002 ? 'everyone' : 'its group'} can write it (mode ${octal}); run: chmod go-w ${path}`);
      } else if (key[0] !== 'environmentFiles' && mode & 0o077) {
        problem('error', `${path} holds secrets but is readable by ${mode & 0o007 ? 'everyone' : 'its group'} (mode ${octal}); run: chmod 600 ${path}`);
      } else {
        try {
          checkWays(reader, root, [path]);
        } catch (error) {
          problem('error', `${path} holds secrets, but ${(error as Error).message}`);
        }
      }
    }
  }
  return problems;
}
