#!/bin/bash
# s6-sandbox.sh - a throwaway machine with the REAL s6-svscan (Debian's s6 2.11) as its PID 1 and s6-rc 0.5.4 (from
# ../shared/inits/build.sh) managing its services.
#
#   s6-sandbox.sh start [--owner PID] [--bind PATH]...   prints the machine id
#   s6-sandbox.sh exec ID -- CMD [ARGS...]               runs CMD inside as root (clean environment)
#   s6-sandbox.sh stop ID                                brings every service down, then nothing of it survives
#
# Laid out as Artix's s6 (the s6-rc 0.5 era, before s6-frontend): package sources in /etc/s6/sv, the admin's in
# /etc/s6/adminsv, which holds the `default` bundle (empty here) that boot brings up; the compiled database at
# /etc/s6/rc/compiled (a link to compiled-NAME), the scan directory /run/service, the live directory /run/s6-rc, and
# the s6-rc tools in /usr/bin. Boot does what Artix's rc.init does: s6-rc-init, then `s6-rc -u change default`.
# See init-machine.sh for the machine itself; PVPN_INITS names the build prefix (default /opt/pvpn-inits).
KIND=s6
PID1_COMM=s6-svscan
# shellcheck source=init-machine.sh source-path=SCRIPTDIR
. "$(dirname "$(readlink -f "$0")")/init-machine.sh"

kind_check() {
	need_prefix bin/s6-rc bin/s6-rc-compile bin/s6-rc-init bin/s6-rc-update
	need_tools "s6 execline" s6-svscan s6-supervise s6-svc s6-svstat s6-log s6-setuidgid s6-envdir s6-softlimit execlineb
}

kind_layout() {
	local root=$1
	link_tools "$root" bin s6-rc s6-rc-bundle s6-rc-compile s6-rc-db s6-rc-dryrun s6-rc-init s6-rc-update
	rm -rf "$root/etc/s6"
	mkdir -p "$root/etc/s6/sv" "$root/etc/s6/adminsv/default/contents.d" "$root/etc/s6/rc" "$root/run/service"
	echo bundle >"$root/etc/s6/adminsv/default/type"
	"$PREFIX/bin/s6-rc-compile" "$root/etc/s6/rc/compiled-boot" "$root/etc/s6/sv" "$root/etc/s6/adminsv"
	ln -s compiled-boot "$root/etc/s6/rc/compiled"
}

kind_pid1() { printf '%s\n' /usr/bin/s6-svscan /run/service; }

kind_ready() {
	local id=$1
	for _ in $(seq 1 250); do
		machine_exec "$id" test -p /run/service/.s6-svscan/control && break
		sleep 0.02
	done
	machine_exec "$id" sh -ec 's6-rc-init -c /etc/s6/rc/compiled -l /run/s6-rc /run/service; s6-rc -u change default'
}

# every service down (oneshots run their `down`), then s6-svscan stops its supervisors and exits
kind_shutdown() {
	machine_exec "$1" s6-rc -bda change
	machine_exec "$1" s6-svscanctl -t /run/service
}

machine_main "$@"
