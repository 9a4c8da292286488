/**
 * Finding and reading the spec: the only file I/O of the spec stage. `--spec FILE` reads that file; otherwise
 * cosmiconfig searches YAML and JSON places only (a tool run with sudo must not run a config file as code unless
 * the user asks for it with --allow-code-config).
 */
import { lstatSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { OperationError, SpecError, isSpecError } from '../errors.js';
import { compileSpec, compileSpecSource } from './compile.js';
import type { SourcePosition } from './problem.js';
import { formatOf } from './source.js';
import type { SpecModel } from './types.js';

const MODULE_NAME = 'pvpn-gen';

/** Searched in each directory from the current one upwards, in this order. */
const SEARCH_PLACES = [
  'pvpn-gen.yaml',
  'pvpn-gen.yml',
  'pvpn-gen.json',
  '.pvpn-genrc',
  '.pvpn-genrc.yaml',
  '.pvpn-genrc.yml',
  '.pvpn-genrc.json',
  '.config/pvpn-genrc',
  '.config/pvpn-genrc.yaml',
  '.config/pvpn-genrc.yml',
  '.config/pvpn-genrc.json',
  'package.json',
] as const;

const CODE_PLACES = ['.pvpn-genrc.js', '.pvpn-genrc.cjs', '.pvpn-genrc.mjs', 'pvpn-gen.config.js', 'pvpn-gen.config.cjs', 'pvpn-gen.config.mjs'];

export interface LoadOptions {
  /** explicit spec file (--spec) */
  readonly spec?: string | undefined;
  readonly cwd?: string | undefined;
  /** let cosmiconfig also find and run JavaScript config files */
  readonly allowCode?: boolean | undefined;
}

export interface LoadedSpec {
  readonly model: SpecModel;
  /** absolute path of the spec file */
  readonly path: string;
  /** what messages call it: relative to the working directory when below it */
  readonly displayPath: string;
  /** the text it was compiled from (for the manifest's spec hash) */
  readonly text: string;
  /** where a JSON pointer sits in the file, for warnings found after compiling */
  readonly locate: (pointer: string) => SourcePosition | undefined;
}

export async function loadSpec(options: LoadOptions = {}): Promise<LoadedSpec> {
  const cwd = options.cwd ?? process.cwd();
  const path = options.spec ? resolve(cwd, options.spec) : await findSpec(cwd, options.allowCode ?? false);
  if (!options.spec && process.geteuid?.() === 0) refuseUntrusted(path, cwd);
  const rel = relative(cwd, path);
  const displayPath = options.spec ?? (rel.startsWith('..') ? path : rel);
  if (/\.(c|m)?js$/.test(path)) {
    // --spec names the file, but running it as code is still the user's explicit choice, as for the search
    if (!options.allowCode) throw new OperationError(`${displayPath} is JavaScript; pvpn-gen only runs code config files with --allow-code-config`);
    return loadCodeSpec(path, displayPath);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new OperationError(
      code === 'ENOENT' ? `${displayPath}: no such file; check --spec, or run \`pvpn-gen init\` to create one` : `${displayPath}: cannot read: ${(error as Error).message}`,
    );
  }
  const isPackageJson = path.endsWith('/package.json');
  const { model, source } = compileSpecSource(text, displayPath, { format: formatOf(path), ...(isPackageJson ? { basePath: [MODULE_NAME] } : {}) });
  const locate = source.locate; // kept for the whole run: the source's closure holds the text, not the data
  return { model, path, displayPath, text, locate: (pointer) => locate(pointer, 'key') };
}

async function findSpec(cwd: string, allowCode: boolean): Promise<string> {
  // cosmiconfig is CommonJS: its exports sit on the default export both in Node and in the esbuild bundle
  const { cosmiconfig } = (await import('cosmiconfig')).default as typeof import('cosmiconfig');
  // The loaders only confirm that a file is there; the text is parsed by our own parser, which knows positions.
  const found = () => ({ found: true });
  const refuseCode = (path: string) => {
    throw new OperationError(`${path} is JavaScript; pvpn-gen only runs code config files with --allow-code-config`);
  };
  const explorer = cosmiconfig(MODULE_NAME, {
    searchPlaces: allowCode ? [...SEARCH_PLACES, ...CODE_PLACES] : [...SEARCH_PLACES],
    searchStrategy: 'project',
    cache: false,
    loaders: {
      '.yaml': found,
      '.yml': found,
      noExt: found,
      // package.json: cosmiconfig needs the parsed object to see whether it has a "pvpn-gen" key
      '.json': (path: string, content: string) => (path.endsWith('/package.json') ? JSON.parse(content) : found()),
      ...(allowCode ? {} : { '.js': refuseCode, '.cjs': refuseCode, '.mjs': refuseCode, '.ts': refuseCode }),
    },
  });
  const result = await explorer.search(cwd);
  if (!result) {
    throw new OperationError(
      `no spec found in ${cwd} or above (looked for ${SEARCH_PLACES.slice(0, 3).join(', ')}, .pvpn-genrc*, package.json "pvpn-gen"); pass --spec FILE or run \`pvpn-gen init\``,
    );
  }
  return result.filepath;
}

/** A JavaScript spec (opt-in): its export is validated like any other spec, without source positions. */
async function loadCodeSpec(path: string, displayPath: string): Promise<LoadedSpec> {
  const module = (await import(path)) as { default?: unknown };
  const text = JSON.stringify(module.default ?? module);
  try {
    return { model: compileSpec(text, displayPath, { format: 'json' }), path, displayPath, text, locate: () => undefined };
  } catch (error) {
    if (isSpecError(error)) throw new SpecError(error.problems.map((p) => ({ ...p, position: undefined })));
    throw error;
  }
}

/**
 * As root, a spec found by searching upwards must be root's: the file and every directory above it owned by root,
 * and none of them writable by another user, except a sticky one (/tmp), where nobody else can touch what root
 * owns. Otherwise another user may have put it there (or could swap it) for root to install. Naming the file with
 * --spec is the way to say it is the one meant.
 */
function refuseUntrusted(path: string, cwd: string): void {
  const shown = relative(cwd, path).startsWith('..') ? path : relative(cwd, path);
  for (let at = path; ; at = dirname(at)) {
    const stat = lstatSync(at);
    const writable = stat.mode & 0o022 && !(stat.isDirectory() && stat.mode & 0o1000);
    const why = stat.isSymbolicLink() ? 'is a symbolic link' : stat.uid !== 0 ? `belongs to uid ${stat.uid}` : writable ? `is writable by ${stat.mode & 0o002 ? 'everyone' : 'its group'}` : null;
    if (why) {
      throw new OperationError(
        `refusing ${shown}, found by searching from ${cwd}: running as root, and ${at} ${why}, so another user could have put it there; if it is the spec you mean, name it: --spec ${shown}`,
      );
    }
    if (at === '/') return;
  }
}

export interface SpecFile {
  /** absolute path */
  readonly path: string;
  /** what messages call it (as loadSpec's displayPath) */
  readonly displayPath: string;
  /** where the spec sits in the file's document: ['pvpn-gen'] in package.json */
  readonly basePath: readonly string[];
}

/**
 * Which file holds the spec, found as loadSpec finds it, without reading or validating it: for the commands that
 * edit the file (set, unset) or only skim it (the completions' service names), which must work on a spec that is
 * not valid yet.
 */
export async function findSpecFile(options: LoadOptions = {}): Promise<SpecFile> {
  const cwd = options.cwd ?? process.cwd();
  const path = options.spec ? resolve(cwd, options.spec) : await findSpec(cwd, options.allowCode ?? false);
  if (!options.spec && process.geteuid?.() === 0) refuseUntrusted(path, cwd);
  const rel = relative(cwd, path);
  const displayPath = options.spec ?? (rel.startsWith('..') ? path : rel);
  return { path, displayPath, basePath: path.endsWith('/package.json') ? [MODULE_NAME] : [] };
}
