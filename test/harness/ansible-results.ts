/**
 * What a playbook run says, read from the json stdout callback of ansible-core 2.14 (ANSIBLE_STDOUT_CALLBACK=json):
 * one JSON document on stdout at the end, `plays[].tasks[].hosts[HOST]` holding each task's result (loops in
 * `results[]`, handlers as tasks too) and `stats[HOST]` the PLAY RECAP counters. Warnings go to stderr.
 *
 * The drift gate lives here because ansible-playbook cannot give it: `--check --diff` exits 0 whatever would
 * change (changed is not failure), and 2 for a failed host, the code the gate keeps for errors.
 */

export interface HostStats {
  readonly ok: number;
  readonly changed: number;
  readonly failures: number;
  readonly unreachable: number;
  readonly skipped: number;
  readonly rescued: number;
  readonly ignored: number;
}

export interface Diff {
  readonly before?: unknown;
  readonly after?: unknown;
  readonly before_header?: string;
  readonly after_header?: string;
}

/** A module's result as the callback prints it: the keys this file reads, and whatever else the module returned. */
export interface TaskResult {
  readonly changed?: boolean;
  readonly failed?: boolean;
  readonly skipped?: boolean;
  readonly unreachable?: boolean;
  readonly msg?: unknown;
  readonly dest?: string;
  readonly path?: string;
  readonly diff?: Diff | readonly Diff[];
  readonly invocation?: { readonly module_args?: Record<string, unknown> };
  readonly ansible_facts?: Record<string, unknown>;
  /** one per item of a loop */
  readonly results?: readonly TaskResult[];
  readonly [key: string]: unknown;
}

export interface PlaybookJson {
  readonly plays: ReadonlyArray<{
    readonly play: { readonly name: string };
    readonly tasks: ReadonlyArray<{
      readonly task: { readonly name: string; readonly id: string };
      readonly hosts: Readonly<Record<string, TaskResult>>;
    }>;
  }>;
  readonly stats: Readonly<Record<string, HostStats>>;
}

/** The document, or undefined when stdout holds none (ansible-playbook failed before the play: see stderr). */
export function parsePlaybookJson(stdout: string): PlaybookJson | undefined {
  const start = stdout.indexOf('{'); // nothing else is printed on stdout with this callback, but be lenient
  if (start < 0) return undefined;
  try {
    const data = JSON.parse(stdout.slice(start)) as PlaybookJson;
    return Array.isArray(data.plays) && data.stats && typeof data.stats === 'object' ? data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Every result of HOST in play order, each with its task's name and module (a loop's items follow their task).
 * The task name is a hint only: with the linear strategy (lockstep), a handler that runs on some hosts only can
 * have its result filed under the next task's name (measured with ansible.posix 1.5.4); `action` comes with the
 * result itself and is always right.
 */
export function resultsOf(json: PlaybookJson, host: string): Array<{ task: string; action: string; result: TaskResult }> {
  const out: Array<{ task: string; action: string; result: TaskResult }> = [];
  for (const play of json.plays) {
    for (const { task, hosts } of play.tasks) {
      const result = hosts[host];
      if (result === undefined) continue;
      const action = typeof result.action === 'string' ? result.action : '?';
      out.push({ task: task.name, action, result });
      for (const item of result.results ?? []) out.push({ task: task.name, action, result: item });
    }
  }
  return out;
}

/** A fact gathered on HOST (e.g. ansible_service_mgr), from the setup task's result. */
export function factOf(json: PlaybookJson, host: string, name: string): unknown {
  for (const { result } of resultsOf(json, host)) {
    if (result.ansible_facts && name in result.ansible_facts) return result.ansible_facts[name];
  }
  return undefined;
}

/** The path a changed result is about: dest/path, or the module's arguments (check mode returns no dest), or the diff. */
function pathOf(result: TaskResult): string | undefined {
  const args = result.invocation?.module_args ?? {};
  const diffs = result.diff === undefined ? [] : Array.isArray(result.diff) ? (result.diff as readonly Diff[]) : [result.diff as Diff];
  const candidates = [result.dest, result.path, args.dest, args.path, ...diffs.map((d) => d.before_header)];
  return candidates.find((c): c is string => typeof c === 'string' && c.startsWith('/'));
}

/** A change that is not about a path: the module and its command or unit. */
function labelOf(action: string, result: TaskResult): string {
  const args = result.invocation?.module_args ?? {};
  const cmd = result.cmd ?? args._raw_params ?? args.name;
  return cmd === undefined ? action : `${action}: ${Array.isArray(cmd) ? cmd.join(' ') : String(cmd)}`;
}

/** What changed (or, under --check, would change) on HOST: the paths, and the other changes by module, sorted. */
export function changesOf(json: PlaybookJson, host: string): string[] {
  const changes = new Set<string>();
  for (const { action, result } of resultsOf(json, host)) {
    if (!result.changed || (result.results && result.results.length > 0)) continue; // a loop: its items say which
    changes.add(pathOf(result) ?? labelOf(action, result));
  }
  return [...changes].sort();
}

export interface Drift {
  /** 0: every host matches; 1: some host drifted; 2: an error (a failed or unreachable host, no result) */
  readonly code: 0 | 1 | 2;
  readonly drifted: ReadonlyArray<{ readonly host: string; readonly files: readonly string[] }>;
  /** one line per drifted or failed host, for a person */
  readonly message: string;
}

/** The drift gate over a `--check --diff` run: its exit code and the hosts and files it names. */
export function driftOf(run: { readonly code: number; readonly json: PlaybookJson | undefined; readonly stderr: string }): Drift {
  const json = run.json;
  if (!json) return { code: 2, drifted: [], message: `ansible-playbook gave no result (exit ${run.code}): ${run.stderr.trim()}` };
  const hosts = Object.keys(json.stats).sort();
  const failed = hosts.filter((h) => (json.stats[h]?.failures ?? 0) + (json.stats[h]?.unreachable ?? 0) > 0);
  if (failed.length > 0 || run.code !== 0) {
    const lines = failed.map((h) => `${h}: failed: ${failedMessages(json, h).join('; ')}`);
    return { code: 2, drifted: [], message: lines.join('\n') || `ansible-playbook exited ${run.code}` };
  }
  const drifted = hosts.filter((h) => (json.stats[h]?.changed ?? 0) > 0).map((host) => ({ host, files: changesOf(json, host) }));
  return {
    code: drifted.length > 0 ? 1 : 0,
    drifted,
    message: drifted.map((d) => `${d.host}: drifted: ${d.files.join(', ')}`).join('\n'),
  };
}

/** The messages of HOST's failed results (to say why a run failed). */
export function failedMessages(json: PlaybookJson, host: string): string[] {
  return resultsOf(json, host)
    .filter(({ result }) => result.failed || result.unreachable)
    .map(({ task, result }) => `${task}: ${typeof result.msg === 'string' ? result.msg : JSON.stringify(result.msg)}`);
}
