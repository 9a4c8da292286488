/**
 * The directives pvpn-gen writes into a service's units from spec settings, by section, with the setting they
 * come from. A raw directive of the same name (hardening.systemd) is written after pvpn-gen's own, so systemd sees
 * two assignments: a list setting (ExecStart= of a oneshot job, Environment=, After=) then holds both, a single
 * value the raw one. That is almost never what a spec means, so render warns (an error with --strict) and names the
 * setting to use. Hardening directives are not here: overriding those is what hardening.systemd is for.
 */
export type RawSection = 'Unit' | 'Service' | 'Timer';

export const SPEC_OWNED_DIRECTIVES: Readonly<Record<RawSection, Readonly<Record<string, string>>>> = {
  Unit: { Description: 'description', Wants: 'wants', After: 'after', OnFailure: 'onFailure' },
  Service: {
    Type: 'interval, calendar or restart (they decide the kind of service)',
    ExecStart: 'command',
    ExecCondition: 'precondition',
    Restart: 'restart',
    RestartSec: 'restartDelay',
    TimeoutStartSec: 'limits.runtime',
    RuntimeMaxSec: 'limits.runtime',
    User: 'user',
    Group: 'group',
    SupplementaryGroups: 'supplementaryGroups',
    DynamicUser: 'dynamicUser',
    WorkingDirectory: 'workingDirectory',
    Environment: 'environment',
    EnvironmentFile: 'environmentFile',
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

/** The raw directives of a service that pvpn-gen also writes from a spec setting. */
export function rawOverlaps(raw: Readonly<Record<RawSection, ReadonlyArray<readonly [string, readonly string[]]>>>): Array<{ section: RawSection; name: string; setting: string }> {
  return (Object.keys(SPEC_OWNED_DIRECTIVES) as RawSection[]).flatMap((section) =>
    raw[section].flatMap(([name]) => {
      const setting = SPEC_OWNED_DIRECTIVES[section][name];
      return setting ? [{ section, name, setting }] : [];
    }),
  );
}
