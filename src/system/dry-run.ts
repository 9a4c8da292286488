/**
 * --dry-run: a System that reads through to the machine and writes nothing. Every write is kept in memory, so what
 * the same code reads back afterwards (a temp file it wrote, a link it renamed) is what it would find, and every
 * write and program is recorded as one line of what would happen. install and uninstall run exactly their code on
 * it (the journal, the temps, the renames, the actions), so a dry run cannot drift from a real one.
 */
import type { ProcessResult } from './exec.js';
import type { NewItem } from './fs-write.js';
import type { PathInfo, Reader, System } from './port.js';

type Entry = { readonly info: PathInfo; readonly content?: Buffer; readonly target?: string } | 'deleted';

function fsError(code: string, syscall: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${syscall} '${path}' (dry run)`), { code, syscall, path });
}

const parentOf = (path: string) => path.slice(0, path.lastIndexOf('/')) || '/';
const euid = () => process.geteuid?.() ?? 0;

/** `record` gets each would-be effect, in order, as one line. */
export function dryRunSystem(inner: Reader & Pick<System, 'now' | 'run'>, record: (line: string) => void): System {
  const overlay = new Map<string, Entry>();

  const get = (path: string): Entry | undefined => {
    const own = overlay.get(path);
    if (own !== undefined) return own;
    // under a directory removed here, nothing of the machine's is left
    for (let p = parentOf(path); p !== '/'; p = parentOf(p)) if (overlay.get(p) === 'deleted') return 'deleted';
    return undefined;
  };
  const info = (path: string): PathInfo | null => {
    const entry = get(path);
    if (entry === 'deleted') return null;
    return entry ? entry.info : inner.info(path);
  };
  const list = (path: string): string[] | null => {
    const entry = get(path);
    if (entry === 'deleted') return null;
    const names = new Set(entry ? [] : (inner.list(path) ?? []));
    const prefix = path.endsWith('/') ? path : `${path}/`;
    for (const [p, e] of overlay) {
      if (!p.startsWith(prefix) || p.slice(prefix.length).includes('/')) continue;
      if (e === 'deleted') names.delete(p.slice(prefix.length));
      else names.add(p.slice(prefix.length));
    }
    for (const name of names) if (info(prefix + name) === null) names.delete(name);
    return entry || inner.info(path) ? [...names].sort() : null;
  };
  const put = (path: string, entry: Entry) => overlay.set(path, entry);
  const mustBeFree = (path: string, syscall: string) => {
    if (info(path) !== null) throw fsError('EEXIST', syscall, path);
    if (info(parentOf(path))?.type !== 'directory') throw fsError('ENOENT', syscall, path);
  };
  const writeNew = (path: string, content: string | Uint8Array, mode: number) => {
    mustBeFree(path, 'open');
    put(path, { info: { type: 'file', mode, uid: euid() }, content: Buffer.from(content) });
    record(`write ${path} (mode ${mode.toString(8).padStart(4, '0')})`);
  };
  const symlinkNew = (path: string, target: string) => {
    mustBeFree(path, 'symlink');
    put(path, { info: { type: 'symlink', mode: 0o777, uid: euid() }, target });
    record(`link ${path} -> ${target}`);
  };

  return {
    dryRun: true,
    info,
    list,
    read(path) {
      const entry = get(path);
      if (entry === 'deleted') return null;
      return entry ? (entry.content ?? null) : inner.read(path);
    },
    readlink(path) {
      const entry = get(path);
      if (entry === 'deleted') throw fsError('ENOENT', 'readlink', path);
      return entry?.target ?? inner.readlink(path);
    },
    mkdir(path, mode) {
      mustBeFree(path, 'mkdir');
      put(path, { info: { type: 'directory', mode, uid: euid() } });
      record(`mkdir ${path} (mode ${mode.toString(8).padStart(4, '0')})`);
    },
    writeNew,
    symlinkNew,
    rename(from, to) {
      const entry = get(from) ?? (inner.info(from) ? readEntry(inner, from) : undefined);
      if (entry === undefined || entry === 'deleted') throw fsError('ENOENT', 'rename', from);
      put(to, entry);
      put(from, 'deleted');
      record(`rename ${from} -> ${to}`);
    },
    unlink(path) {
      if (info(path) === null) throw fsError('ENOENT', 'unlink', path);
      put(path, 'deleted');
      record(`remove ${path}`);
    },
    rmdir(path) {
      if (info(path) === null) throw fsError('ENOENT', 'rmdir', path);
      if ((list(path) ?? []).length > 0) throw fsError('ENOTEMPTY', 'rmdir', path);
      put(path, 'deleted');
      record(`rmdir ${path}`);
    },
    fsyncDir() {
      // durability only: nothing to show
    },
    chmod(path, mode) {
      const current = info(path);
      if (!current) throw fsError('ENOENT', 'chmod', path);
      const entry = get(path) ?? readEntry(inner, path);
      if (entry !== 'deleted') put(path, { ...entry, info: { ...current, mode } });
      record(`chmod ${mode.toString(8).padStart(4, '0')} ${path}`);
    },
    chown(path, uid, gid) {
      record(`chown ${uid}:${gid} ${path}`);
    },
    link(existing, newPath) {
      const entry = get(existing) ?? readEntry(inner, existing);
      if (entry === 'deleted') throw fsError('ENOENT', 'link', existing);
      mustBeFree(newPath, 'link');
      put(newPath, entry);
      record(`link ${newPath} (a second name of ${existing})`);
    },
    removeTree(path) {
      if (info(path) === null) return;
      put(path, 'deleted');
      record(`remove ${path} and everything in it`);
    },
    async writeNewMany(items: readonly NewItem[]) {
      for (const item of items) {
        if ('target' in item) symlinkNew(item.path, item.target);
        else writeNew(item.path, item.content, item.mode);
      }
    },
    async run(file, args, options = {}): Promise<ProcessResult> {
      if (options.query) return inner.run(file, args, options);
      record(`run ${[file, ...args].join(' ')}`);
      return { exitCode: 0, stdout: '', stderr: '' };
    },
    now: () => inner.now(),
    async waitUntil(describe) {
      record(describe);
      return true;
    },
  };
}

/** What the machine has at `path`, as an overlay entry (so it can be renamed or linked in memory). */
function readEntry(inner: Reader, path: string): Entry {
  const info = inner.info(path);
  if (!info) return 'deleted';
  if (info.type === 'file') return { info, content: inner.read(path) ?? Buffer.alloc(0) };
  if (info.type === 'symlink') return { info, target: inner.readlink(path) };
  return { info };
}
