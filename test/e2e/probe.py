#!/usr/bin/python3
"""The job the end-to-end tests install with pvpn-gen (test/e2e/*.test.ts).

It records how systemd started it (argv from /proc/self/cmdline, environment, uid/gid, working directory) as
one JSON file per run in $PROBE_OUT, then does what its mode says. The mode is the first argument when that
names a mode (so the failure hook, which shares the job's environment, can be told apart), else $PROBE_MODE:

  record  only record
  hook    only record (the onFailure hook: MONITOR_* variables)
  spin    busy loop for $PROBE_SECONDS s of wall time, then record CPU time and the cgroup's cpu settings
  hog     write $PROBE_OUT/hog-limit-PID (the memory cgroup's limit), then touch $PROBE_MIB MiB of memory
  checks  try what a job under the hardening profile needs and what it must not do; record errno names
          ($PROBE_FILES "name=path ..." to read, $PROBE_PORT/$PROBE_OTHER_ADDR to connect to)
"""
import errno
import json
import os
import socket
import sys
import time

MODES = ('record', 'hook', 'spin', 'hog', 'checks')
mode = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] in MODES else os.environ.get('PROBE_MODE', 'record')
out = os.environ.get('PROBE_OUT', '.')

with open('/proc/self/cmdline', 'rb') as f:
    cmdline = [a.decode() for a in f.read().split(b'\0')[:-1]]
record = {
    'mode': mode,
    'argv': cmdline,
    'env': dict(os.environ),
    'uid': os.getuid(),
    'gid': os.getgid(),
    'cwd': os.getcwd(),
    'started': time.time(),
}


def cgroup_dir(controller):
    """This process's directory in a cgroup v1 hierarchy (or None)."""
    with open('/proc/self/cgroup') as f:
        for line in f:
            _, controllers, path = line.rstrip('\n').split(':', 2)
            if controller in controllers.split(','):
                for mount in ('/sys/fs/cgroup/' + controllers, '/sys/fs/cgroup/' + controller):
                    if os.path.isdir(mount + path):
                        return mount + path
    return None


def read(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return None


def attempt(action):
    """'ok' (or what action returned), else the errno name, e.g. 'EROFS'."""
    try:
        result = action()
        return 'ok' if result is None else result
    except OSError as e:
        return errno.errorcode.get(e.errno, str(e.errno)) if e.errno else type(e).__name__
    except Exception as e:  # noqa: BLE001 - a fact to report, whatever it is
        return type(e).__name__ + ': ' + str(e)


def write_file(path):
    def action():
        with open(path, 'w') as f:
            f.write('probe\n')
        os.unlink(path)
    return action


def read_file(path):
    def action():
        with open(path) as f:
            return 'ok:' + f.read().strip()
    return action


def tcp(host, port, timeout=2.0):
    def action():
        with socket.create_connection((host, port), timeout=timeout) as s:
            s.sendall(b'GET / HTTP/1.0\r\nHost: probe\r\n\r\n')
            line = s.makefile('rb').readline().decode().strip()
            return 'ok:' + line
    return action


def udp_multicast(group='224.0.0.251', port=5353):
    def action():
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            return 'ok:%d' % s.sendto(b'probe', (group, port))
    return action


if mode == 'spin':
    end = time.monotonic() + float(os.environ.get('PROBE_SECONDS', '2'))
    while time.monotonic() < end:
        pass
    record['wall_seconds'] = float(os.environ.get('PROBE_SECONDS', '2'))
    record['cpu_seconds'] = time.process_time()
    cpu = cgroup_dir('cpu')
    record['cfs_quota_us'] = read(cpu + '/cpu.cfs_quota_us') if cpu else None
    record['cfs_period_us'] = read(cpu + '/cpu.cfs_period_us') if cpu else None
    record['cpu_stat'] = read(cpu + '/cpu.stat') if cpu else None
    acct = cgroup_dir('cpuacct')
    record['cpuacct_usage'] = read(acct + '/cpuacct.usage') if acct else None

if mode == 'hog':
    memory = cgroup_dir('memory')
    limit = read(memory + '/memory.limit_in_bytes') if memory else None
    with open('%s/hog-limit-%d' % (out, os.getpid()), 'w') as f:
        f.write(str(limit))
    blocks = []
    for _ in range(int(os.environ.get('PROBE_MIB', '256'))):
        blocks.append(bytearray(1024 * 1024))  # zero-filled: every page is touched
    record['allocated_mib'] = len(blocks)

if mode == 'checks':
    checks = {}
    checks['write_state'] = attempt(write_file(os.getcwd() + '/probe-write-test'))
    for item in os.environ.get('PROBE_FILES', '').split():
        name, path = item.split('=', 1)
        checks['read_' + name] = attempt(read_file(path))
    if os.environ.get('CREDENTIALS_DIRECTORY'):
        checks['read_credential'] = attempt(read_file(os.environ['CREDENTIALS_DIRECTORY'] + '/secret'))
    checks['env_file_value'] = os.environ.get('PROBE_TOKEN')
    port = int(os.environ.get('PROBE_PORT', '0') or 0)
    if port:
        checks['tcp_127.0.0.1'] = attempt(tcp('127.0.0.1', port))
        other = os.environ.get('PROBE_OTHER_ADDR')
        if other:
            checks['tcp_' + other] = attempt(tcp(other, port))
        checks['udp_multicast'] = attempt(udp_multicast())
    checks['resolve_localhost'] = attempt(lambda: sorted({a[4][0] for a in socket.getaddrinfo('localhost', 80, socket.AF_INET)})[0])
    # AI_ADDRCONFIG makes glibc ask the kernel over netlink which addresses exist
    checks['resolve_addrconfig'] = attempt(lambda: sorted({a[4][0] for a in socket.getaddrinfo('localhost', 80, socket.AF_INET, 0, 0, socket.AI_ADDRCONFIG)})[0])
    checks['netlink_socket'] = attempt(lambda: socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0).close())
    for name, path in (('write_etc', '/etc/pvpn-e2e-probe'), ('write_usr', '/usr/local/pvpn-e2e-probe'),
                       ('write_home', '/home/pvpn-e2e-probe'), ('write_root', '/root/pvpn-e2e-probe'),
                       ('write_var_lib', '/var/lib/pvpn-e2e-probe'), ('write_tmp', '/tmp/pvpn-e2e-probe'),
                       ('write_var_tmp', '/var/tmp/pvpn-e2e-probe')):
        checks[name] = attempt(write_file(path))
    checks['list_home'] = attempt(lambda: 'ok:' + ','.join(sorted(os.listdir('/home'))))
    checks['read_proc_meminfo'] = attempt(lambda: read_file('/proc/meminfo')()[:3])
    checks['visible_pids'] = sorted(int(p) for p in os.listdir('/proc') if p.isdigit())
    checks['niceness'] = os.getpriority(os.PRIO_PROCESS, 0)
    checks['renice'] = attempt(lambda: os.setpriority(os.PRIO_PROCESS, 0, os.getpriority(os.PRIO_PROCESS, 0) + 1))

    def chown_own_file():
        open('probe-chown', 'w').close()
        try:
            os.chown('probe-chown', os.getuid(), os.getgid())
        finally:
            os.unlink('probe-chown')
    checks['chown_own_file'] = attempt(chown_own_file)
    checks['alloc_16mib'] = attempt(lambda: 'ok:%d' % len(bytearray(16 * 1024 * 1024)))
    checks['memory_limit'] = read(cgroup_dir('memory') + '/memory.limit_in_bytes') if cgroup_dir('memory') else None
    record['checks'] = checks

path = '%s/%s-%d-%d.json' % (out, mode, time.time_ns(), os.getpid())
with open(path + '.tmp', 'w') as f:
    json.dump(record, f)
os.rename(path + '.tmp', path)  # readers never see half a record
print('probe: %s run recorded in %s' % (mode, path), flush=True)
sys.exit(int(os.environ.get('PROBE_EXIT', '0')))
