#!/bin/bash
# dinit-sandbox.sh - a throwaway machine with the REAL dinit (0.22, from ../shared/inits/build.sh) as its PID 1.
#
#   dinit-sandbox.sh start [--owner PID] [--bind PATH]...   prints the machine id
#   dinit-sandbox.sh exec ID -- CMD [ARGS...]               runs CMD inside as root (clean environment)
#   dinit-sandbox.sh stop ID                                `dinitctl shutdown`, then nothing of it survives
#
# The machine is laid out as Artix's dinit packages expect: service files in /etc/dinit.d, a `boot` service whose
# `waits-for.d = boot.d` is where `dinitctl enable` puts its links, logs in /var/log/dinit, the control socket at
# /run/dinitctl, and dinit, dinitctl, dinit-check in /usr/bin. dinit runs in system mode with --container: it
# manages services but leaves reboot and poweroff alone, and exits when it has stopped everything.
# See init-machine.sh for the machine itself; PVPN_INITS names the build prefix (default /opt/pvpn-inits).
KIND=dinit
PID1_COMM=dinit
# shellcheck source=init-machine.sh source-path=SCRIPTDIR
. "$(dirname "$(readlink -f "$0")")/init-machine.sh"

kind_check() { need_prefix bin/dinit bin/dinitctl bin/dinit-check; }

kind_layout() {
	local root=$1
	link_tools "$root" bin dinit dinitctl dinit-check dinit-monitor
	rm -rf "$root/etc/dinit.d" "$root/etc/dinit"
	mkdir -p "$root/etc/dinit.d/boot.d" "$root/var/log/dinit"
	# Artix's boot service also waits for its own early services (getty, rclocal...); this machine has none
	printf '%s\n' '# the machine'\''s primary service: what is linked in boot.d starts at boot' \
		'type = internal' 'waits-for.d = boot.d' >"$root/etc/dinit.d/boot"
}

# --container: no reboot/poweroff; --log-file: dinit's own messages (syslog's /dev/log is the host's, dangling here)
kind_pid1() { printf '%s\n' /usr/bin/dinit --container --log-file /run/dinit.log; }

kind_ready() {
	local id=$1
	for _ in $(seq 1 250); do
		machine_exec "$id" dinitctl is-started boot >/dev/null 2>&1 && return 0
		sleep 0.02
	done
	return 1
}

kind_shutdown() { machine_exec "$1" dinitctl shutdown; }

machine_main "$@"
