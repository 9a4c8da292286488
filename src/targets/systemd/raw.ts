/**
 * Checks of the raw systemd directives a spec adds (hardening.systemd), for the warnings render gives (errors with
 * --strict): names systemd does not know, and names pvpn-gen already writes from a spec setting.
 *
 * The directives pvpn-gen writes into a service's units from spec settings, by section, with the setting they
 * come from. A raw directive of the same name (hardening.systemd) is written after pvpn-gen's own, so systemd sees
 * two assignments: a list setting (ExecStart= of a oneshot job, Environment=, After=) then holds both, a single
 * value the raw one. That is almost never what a spec means, so render warns (an error with --strict) and names the
 * setting to use. Hardening directives are not here: overriding those is what hardening.systemd is for.
 */
import { closest } from '../../model/suggest.js';
import { SYSTEMD_DIRECTIVES } from './directives.js';

export type RawSection = 'Unit' | 'Service' | 'Timer';

export const SPEC_OWNED_DIRECTIVES: Readonly<Record<RawSection, Readonly<Record<string, string>>>> = {
  Unit: {
    Description: 'description',
    Documentation: 'documentation',
    Wants: 'wants',
    After: 'after',
    Requires: 'requires',
    Before: 'before',
    Conflicts: 'conflicts',
    OnFailure: 'onFailure or notify',
    OnSuccess: 'notify',
    StartLimitBurst: 'restartLimit',
    StartLimitIntervalSec: 'restartLimit',
  },
  Service: {
    Type: 'readiness (notify), forking (with its pidFile) or oneshot',
    NotifyAccess: 'readiness',
    PIDFile: 'forking',
    RemainAfterExit: 'remainAfterExit',
    ExecStart: 'command',
    ExecCondition: 'precondition',
    ExecStartPre: 'beforeStart',
    ExecReload: 'reload',
    ExecStop: 'stop',
    ExecStopPost: 'afterStop',
    Restart: 'restart',
    RestartSec: 'restartDelay',
    // not limits.runtime: on a daemon that is RuntimeMaxSec=, which ends it
    TimeoutStartSec: 'timeouts.start (limits.runtime on a periodic job)',
    TimeoutStopSec: 'timeouts.stop',
    RuntimeMaxSec: 'limits.runtime',
    KillSignal: 'stopSignal',
    KillMode: 'killMode',
    SuccessExitStatus: 'exitStatus.success (changedExitStatus on a periodic job)',
    RestartPreventExitStatus: 'exitStatus.preventRestart',
    RuntimeDirectory: 'directories.runtime',
    User: 'user',
    Group: 'group',
    SupplementaryGroups: 'supplementaryGroups',
    DynamicUser: 'dynamicUser',
    WorkingDirectory: 'workingDirectory',
    Environment: 'environment',
    EnvironmentFile: 'environmentFile or environmentFiles',
    LoadCredential: 'credentials',
    MemoryMax: 'limits.memory',
    CPUQuota: 'limits.cpu',
    LimitNOFILE: 'limits.nofile',
    LimitNPROC: 'limits.nproc',
    Nice: 'nice',
  },
  Timer: {
    OnBootSec: 'onBoot',
    OnUnitActiveSec: 'interval',
    OnCalendar: 'calendar',
    Persistent: 'persistent',
    RandomizedDelaySec: 'randomizedDelay',
    AccuracySec: 'accuracy',
  },
};

let known: Record<RawSection, readonly string[]> | undefined;

/** What is wrong with each raw directive of a service, if anything: one note per directive. */
export function rawDirectiveNotes(raw: Readonly<Record<RawSection, ReadonlyArray<readonly [string, readonly string[]]>>>): Array<{ section: RawSection; name: string; message: string }> {
  return (Object.keys(SPEC_OWNED_DIRECTIVES) as RawSection[]).flatMap((section) =>
    raw[section].flatMap(([name]) => {
      const setting = SPEC_OWNED_DIRECTIVES[section][name];
      if (setting) {
        const message = `${name}= is written from ${setting}; a raw one comes after it, so systemd sees both (a list keeps both, a single value takes the raw one): set ${setting} instead`;
        return [{ section, name, message }];
      }
      // systemd logs "Unknown key name" and goes on without it: a misspelt hardening directive would simply not
      // protect anything
      known ??= { Unit: SYSTEMD_DIRECTIVES.Unit.split(' '), Service: SYSTEMD_DIRECTIVES.Service.split(' '), Timer: SYSTEMD_DIRECTIVES.Timer.split(' ') };
      if (known[section].includes(name)) return [];
      const guess = closest(name, known[section]);
      const message = `systemd 252 knows no ${name}= in [${section}] and would ignore it${guess ? `; did you mean ${guess}?` : ''}`;
      return [{ section, name, message }];
    }),
  );
}
