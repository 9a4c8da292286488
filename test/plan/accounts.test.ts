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
    const plan = planAccounts({ services: [runit('a', 'alpha', ['shared', 'wheel'])], neededElsewhere: new Set(), recorded: none, existing: existing(['root'], ['wheel']), desired: [] });
    expect(plan.create).toEqual([
      { kind: 'ensure-group', name: 'shared' },
      { kind: 'ensure-user', name: 'alpha', home: '/var/lib/a' },
    ]);
    expect(plan.record).toEqual({ users: ['alpha'], groups: ['shared'] });
  });

  test('systemd: systemd-sysusers creates them from the sysusers.d files', () => {
    const plan = planAccounts({ services: [systemd('a', 'alpha')], neededElsewhere: new Set(), recorded: none, existing: existing([]), desired: [{ kind: 'file', path: '/etc/sysusers.d/pvpn-gen-a.conf', mode: 0o644, content: '', service: 'a' }] });
    expect(plan.create).toEqual([{ kind: 'exec', argv: ['systemd-sysusers', '/etc/sysusers.d/pvpn-gen-a.conf'] }]);
  });

  test('a staging root creates and records nothing', () => {
    const plan = planAccounts({ services: [runit('a', 'alpha')], neededElsewhere: new Set(), recorded: none, existing: null, desired: [] });
    expect(plan).toEqual({ create: [], remove: [], record: none });
  });

  test('only accounts pvpn-gen created are removed, and only once nothing needs them', () => {
    const recorded = { users: ['alpha', 'beta', 'gamma'], groups: ['shared'] };
    const plan = planAccounts({ services: [runit('a', 'alpha')], neededElsewhere: new Set(['gamma']), recorded, existing: existing(['alpha', 'beta', 'gamma', 'daemon'], ['shared']), desired: [] });
    expect(plan.create).toEqual([]);
    expect(plan.remove).toEqual([
      { kind: 'remove-user', name: 'beta' },
      { kind: 'remove-group', name: 'shared' },
    ]);
    expect(plan.record).toEqual({ users: ['alpha', 'gamma'], groups: [] });
  });

  test('a user runit named after the service that is somebody else\'s existing account is refused', () => {
    const derived = (name: string): ServiceHandle => ({ ...runit(name, name), accounts: { users: [{ name, home: '/', derived: true }], groups: [] } });
    const input = { services: [derived('www-data')], neededElsewhere: new Set<string>(), recorded: none, existing: existing(['www-data']), desired: [] };
    expect(() => planAccounts(input)).toThrow(/the account www-data already exists and pvpn-gen did not create it/);
    // one pvpn-gen created (this project's or another's) is its own
    expect(planAccounts({ ...input, recorded: { users: ['www-data'], groups: [] } }).create).toEqual([]);
    expect(planAccounts({ ...input, createdAnywhere: new Set(['www-data']) }).create).toEqual([]);
  });
});
