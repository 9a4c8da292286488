# pvpn_nsenter - an Ansible connection into a test sandbox of pvpn-gen (runit-sandbox.sh, systemd-sandbox.sh):
# every command runs in ALL namespaces of the sandbox's PID 1 and under its root directory, as root.
#
# Why not community.docker.nsenter: it enters ipc/mnt/net/pid/uts but not the root directory. The runit sandbox
# chroots (its mount namespace's root is still a copy of the host's /), so that plugin lands on the host's files
# and the host's /proc. Why not community.general.chroot into /proc/PID/root: the command stays in the host's pid
# namespace, so /proc/self is missing inside and systemctl's calls over /run/systemd/private fail with
# "Transport endpoint is not connected" (is-system-running alone works).
from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = '''
name: pvpn_nsenter
short_description: run tasks inside a pvpn-gen test sandbox (nsenter into the namespaces and root of its PID 1)
description:
  - Runs C(nsenter --target PID --all --root --wd) with a clean environment, then the command under /bin/sh.
  - Test harness only (test/harness/fleet.sh); the controller must be root.
author: pvpn-gen
extends_documentation_fragment:
  - connection_pipelining
options:
  nsenter_pid:
    description: host pid of the sandbox's PID 1 (runsvdir or systemd)
    type: int
    required: true
    vars:
      - name: ansible_nsenter_pid
'''

import os
import subprocess

from ansible.errors import AnsibleConnectionFailure, AnsibleError
from ansible.module_utils.common.text.converters import to_bytes
from ansible.module_utils.six.moves import shlex_quote
from ansible.plugins.connection import ConnectionBase, BUFSIZE
from ansible.utils.display import Display

display = Display()

# the environment a command gets inside: nothing of the controller's (vitest, npm, pyenv) leaks in
CLEAN_ENV = ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOME=/root', 'LANG=C.UTF-8']


class Connection(ConnectionBase):
    transport = 'pvpn_nsenter'
    has_pipelining = True
    has_tty = False
    default_user = 'root'

    def _connect(self):
        if os.geteuid() != 0:
            raise AnsibleError('pvpn_nsenter needs root on the controller')
        self._pid = self.get_option('nsenter_pid')
        if not os.path.isdir('/proc/%d' % self._pid):
            raise AnsibleConnectionFailure('sandbox PID 1 %d is gone' % self._pid)
        self._play_context.remote_user = 'root'
        self._connected = True
        return self

    def _spawn(self, cmd, stdin=subprocess.PIPE):
        # --wd: the target's cwd, which lies inside its root; the nsenter default would keep a cwd outside it.
        # `cd /` then gives every command the same start.
        argv = ['nsenter', '--target', str(self._pid), '--all', '--root', '--wd', '--', 'env', '-i'] + CLEAN_ENV + \
            ['/bin/sh', '-c', 'cd / && ' + cmd]
        display.vvv('EXEC %s' % argv, host=self._play_context.remote_addr)
        return subprocess.Popen([to_bytes(a, errors='surrogate_or_strict') for a in argv],
                                stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def exec_command(self, cmd, in_data=None, sudoable=False):
        super(Connection, self).exec_command(cmd, in_data=in_data, sudoable=sudoable)
        p = self._spawn(cmd)
        stdout, stderr = p.communicate(in_data)
        return p.returncode, stdout, stderr

    def put_file(self, in_path, out_path):
        super(Connection, self).put_file(in_path, out_path)
        with open(to_bytes(in_path, errors='surrogate_or_strict'), 'rb') as in_file:
            p = self._spawn('cat > %s' % shlex_quote(out_path), stdin=in_file)
            stdout, stderr = p.communicate()
        if p.returncode != 0:
            raise AnsibleError('failed to transfer %s to %s: %s' % (in_path, out_path, stderr))

    def fetch_file(self, in_path, out_path):
        super(Connection, self).fetch_file(in_path, out_path)
        p = self._spawn('cat %s' % shlex_quote(in_path))
        with open(to_bytes(out_path, errors='surrogate_or_strict'), 'wb') as out_file:
            chunk = p.stdout.read(BUFSIZE)
            while chunk:
                out_file.write(chunk)
                chunk = p.stdout.read(BUFSIZE)
        stderr = p.stderr.read()
        if p.wait() != 0:
            raise AnsibleError('failed to fetch %s: %s' % (in_path, stderr))

    def close(self):
        super(Connection, self).close()
        self._connected = False
