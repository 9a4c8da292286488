/** systemd: unit files in /etc/systemd/system, enabled by the links `systemctl enable` makes, controlled with systemctl. */
import { pointerOf, type Problem } from '../../model/problem.js';
import type { Target } from '../target.js';
import { systemdActions, systemdCreateAccounts } from './actions.js';
import { SYSTEMD_CAPABILITIES } from './capabilities.js';
import { detectSystemd, SYSTEMD_DETECT_PATHS } from './detect.js';
import { asSystemd, systemdHandleOk } from './handle.js';
import { rawDirectiveNotes } from './raw.js';
import { renderSystemdService } from './render.js';
import { systemdStatus } from './status.js';

const ROOT_UNDER_STRICT =
  'user: root under the strict profile: no capabilities (CapabilityBoundingSet= is empty unless hardening.capabilities lists some), a read-only system but for writablePaths, and a user namespace (PrivateUsers=yes): root can read what the sandbox shows and write only its writable paths; list the capabilities it needs, or use profile: basic';

export const systemd: Target = {
  name: 'systemd',
  layouts: [],
  capabilities: SYSTEMD_CAPABILITIES,
  checkSpec: () => [],
  notes(service, strict, specName) {
    const severity = strict ? 'error' : 'warning';
    const notes: Problem[] = rawDirectiveNotes(service.hardening.rawSystemd).map((note) => ({
      severity,
      file: specName,
      pointer: pointerOf(['services', service.name, 'hardening', 'systemd', note.section, note.name]),
      message: note.message,
    }));
    if (service.identity.kind === 'user' && service.identity.user === 'root' && service.hardening.profile === 'strict') {
      notes.push({ severity, file: specName, pointer: pointerOf(['services', service.name, 'user']), message: ROOT_UNDER_STRICT });
    }
    return notes;
  },
  render: (service, model, _layout, templates) => renderSystemdService(service, model, templates),
  handleOk: systemdHandleOk,
  actions: systemdActions,
  createAccounts: systemdCreateAccounts,
  relinkWhileChanging: () => null,
  leftovers: () => [],
  control(handle, verb) {
    const s = asSystemd(handle);
    switch (verb) {
      case 'start':
        return { argv: ['systemctl', 'start', s.mainUnit] };
      case 'stop':
        // a periodic job: the timer, and a run that may be going on
        return { argv: ['systemctl', 'stop', s.mainUnit, ...(s.periodic ? [s.serviceUnit] : [])] };
      case 'restart':
        return { argv: ['systemctl', 'restart', s.mainUnit] };
      case 'run-now':
        // triggers the job now, as the timer would; --no-block: like `sv hup`, it does not wait for the run to end
        return s.periodic ? { argv: ['systemctl', 'start', '--no-block', s.serviceUnit] } : null;
    }
  },
  logs(handle, { follow, lines }) {
    const units = asSystemd(handle).units.flatMap((u) => (u.endsWith('.timer') ? [] : ['-u', u]));
    return { argv: ['journalctl', ...units, '-n', String(lines), '--no-pager', ...(follow ? ['-f'] : [])] };
  },
  status: (handle, port) => systemdStatus(asSystemd(handle), port),
  detectPaths: SYSTEMD_DETECT_PATHS,
  detect: detectSystemd,
  pid1Names: ['systemd'],
};
