/** Init-system detection: pure rules over facts, one line per case. */
import { describe, expect, test } from 'vitest';
import { decide, type InitFacts } from '../../src/system/detect.js';

const facts = (existing: string[], options: { systemd?: boolean; runsvdir?: string[] } = {}): InitFacts => ({
  existing: new Set([...existing, ...(options.systemd ? ['/run/systemd/system'] : [])]),
  processes: (options.runsvdir ?? []).map((dir) => ['runsvdir', '-P', dir]),
  live: true,
});

describe('decide', () => {
  test.each([
    ['systemd as PID 1 wins over any runit directories', facts(['/etc/sv', '/var/service'], { systemd: true }), 'systemd', null],
    ['Artix: /etc/runit/sv and the current runlevel', facts(['/etc/runit/sv', '/run/runit/service']), 'runit', 'artix'],
    ['Artix, enable directory only', facts(['/etc/runit/sv', '/etc/runit/runsvdir/default']), 'runit', 'artix'],
    ['Void: /etc/sv and /var/service', facts(['/etc/sv', '/var/service']), 'runit', 'void'],
    ['Debian: /etc/sv and /etc/service', facts(['/etc/sv', '/etc/service']), 'runit', 'debian'],
    ['both Void and Debian directories: the one runsvdir scans', facts(['/etc/sv', '/var/service', '/etc/service'], { runsvdir: ['/etc/service'] }), 'runit', 'debian'],
    ['OpenRC running: /run/openrc/softlevel', facts(['/run/openrc/softlevel', '/etc/init.d']), 'openrc', null],
    ['OpenRC staged: /etc/init.d beside /etc/runlevels', facts(['/etc/init.d', '/etc/runlevels']), 'openrc', null],
  ] as const)('%s', (_what, input, target, layout) => {
    expect(decide(input)).toMatchObject({ ok: true, target, layout });
  });

  test('nothing known: an error that says what was looked for', () => {
    const result = decide(facts(['/etc/sv']));
    expect(result.ok).toBe(false);
    // Debian's sysvinit has /etc/init.d but no /etc/runlevels: not OpenRC
    expect(decide(facts(['/etc/init.d'])).ok).toBe(false);
    expect(result.reasons.join('; ')).toMatch(/no runit layout found \(looked for \/etc\/runit\/sv with \/etc\/runit\/runsvdir\/default; \/etc\/sv with \/var\/service; \/etc\/sv with \/etc\/service\)/);
  });
});
