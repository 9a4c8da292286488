/** System accounts: created when missing (sysusers on systemd, useradd/groupadd on runit), removed only if pvpn-gen made them. */
import { describe, expect, test } from 'vitest';
import { planAccounts } from '../../src/plan/actions.js';
import type { ServiceHandle } from '../../src/render/types.js';

const runit = (name: string, user: string, groups: string[] = []): ServiceHandle => ({
  target: 'runit',
  name,
  periodic: true,
  serviceDir: `/etc/sv/${name}`,
  enableLink: `/var/service/${name}`,
  scanDir: '/var/service',
  logDir: `/var/log/${name}`,
  accounts: { users: [{ name: user, home: `/var/lib/${name}` }], groups },
});
const systemd = (name: string, user: string): ServiceHandle => ({
  target: 'systemd',
  name,
  periodic: true,
  mainUnit: `${name}.timer`,
  serviceUnit: `${name}.service`,
  units: [`${name}.service`, `${name}.timer`],
  accounts: { users: [{ name: user, home: '/' }], groups: [] },
});
const none = { users: [], groups: [] };
const existing = (users: string[], groups: string[] = []) => ({ users: new Set(users), groups: new Set(groups) });

describe('planAccounts', () => {
  test('runit: missing groups then users are created; existing ones are left alone', () => {
    const plan = planAccounts({ services: [runit('a', 'alpha', ['shared', 'wheel'])], neededElsewhere: new Set(), recorded: none, existing: existing(['root'], ['wheel']), sysusersFiles: [] });
    expect(plan.create).toEqual([
      { kind: 'ensure-group', name: 'shared' },
      { kind: 'ensure-user', name: 'alpha', home: '/var/lib/a' },
    ]);
    expect(plan.record).toEqual({ users: ['alpha'], groups: ['shared'] });
  });

  test('systemd: systemd-sysusers creates them from the sysusers.d files', () => {
    const plan = planAccounts({ services: [systemd('a', 'alpha')], neededElsewhere: new Set(), recorded: none, existing: existing([]), sysusersFiles: ['/etc/sysusers.d/pvpn-gen-a.conf'] });
    expect(plan.create).toEqual([{ kind: 'command', argv: ['systemd-sysusers', '/etc/sysusers.d/pvpn-gen-a.conf'] }]);
  });

  test('a staging root creates and records nothing', () => {
    const plan = planAccounts({ services: [runit('a', 'alpha')], neededElsewhere: new Set(), recorded: none, existing: null, sysusersFiles: [] });
    expect(plan).toEqual({ create: [], remove: [], record: none });
  });

  test('only accounts pvpn-gen created are removed, and only once nothing needs them', () => {
    const recorded = { users: ['alpha', 'beta', 'gamma'], groups: ['shared'] };
    const plan = planAccounts({ services: [runit('a', 'alpha')], neededElsewhere: new Set(['gamma']), recorded, existing: existing(['alpha', 'beta', 'gamma', 'daemon'], ['shared']), sysusersFiles: [] });
    expect(plan.create).toEqual([]);
    expect(plan.remove).toEqual([
      { kind: 'remove-user', name: 'beta' },
      { kind: 'remove-group', name: 'shared' },
    ]);
    expect(plan.record).toEqual({ users: ['alpha', 'gamma'], groups: [] });
  });
});
