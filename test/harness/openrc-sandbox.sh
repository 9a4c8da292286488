#!/bin/bash
# openrc-sandbox.sh - a throwaway machine with the REAL OpenRC 0.63 (from ../shared/inits/build.sh): openrc-init as
# its PID 1, which runs the sysinit, boot and default runlevels like a booting Artix OpenRC machine.
#
#   openrc-sandbox.sh start [--owner PID] [--bind PATH]...   prints the machine id
#   openrc-sandbox.sh exec ID -- CMD [ARGS...]               runs CMD inside as root (clean environment)
#   openrc-sandbox.sh stop ID                                the shutdown runlevel, then nothing of it survives
#
# Laid out as Artix: scripts in /etc/init.d (OpenRC's own stock scripts, in no runlevel), their settings in
# /etc/conf.d, /etc/rc.conf, runlevels in /etc/runlevels (enable = a link in /etc/runlevels/default), state in
# /run/openrc, and openrc-run, rc-service, rc-update, rc-status, supervise-daemon... in /usr/bin, so that
# #!/usr/bin/openrc-run works. The build must have sysconfdir=/etc: with meson's default (the relative "etc" under a
# non-/usr prefix) OpenRC resolves etc/init.d against its working directory, links started services as
# "etc/init.d/NAME" (dangling, so `status` says stopped) and gendepends cannot read any script (no depend()).
# `status` also needs the state that `openrc sysinit` creates in /run/openrc: openrc-init makes it at boot.
# See init-machine.sh for the machine itself; PVPN_INITS names the build prefix (default /opt/pvpn-inits).
KIND=openrc
PID1_COMM=openrc-init
# shellcheck source=init-machine.sh source-path=SCRIPTDIR
. "$(dirname "$(readlink -f "$0")")/init-machine.sh"

kind_check() {
	need_prefix sbin/openrc-init sbin/openrc sbin/openrc-run sbin/rc-service sbin/rc-update sbin/supervise-daemon bin/rc-status
	grep -qF '[ -e /etc/rc.conf ]' "$PREFIX/libexec/rc/sh/gendepends.sh" ||
		die "$PREFIX holds an OpenRC built without sysconfdir=/etc (its paths are relative to the working directory): rebuild it with \`bash ../shared/inits/build.sh\`"
}

kind_layout() {
	local root=$1 level
	link_tools "$root" sbin openrc openrc-init openrc-run rc-service rc-update rc-sstat supervise-daemon start-stop-daemon
	link_tools "$root" bin rc-status
	rm -rf "$root/etc/init.d" "$root/etc/conf.d" "$root/etc/runlevels" # Debian's sysv scripts are not this machine's
	mkdir -p "$root/etc/init.d" "$root/etc/conf.d" "$root/var/log"
	cp -a "$PREFIX/etc/init.d/." "$root/etc/init.d/" # the stock scripts the build keeps in PREFIX/etc
	cp -a "$PREFIX/etc/conf.d/." "$root/etc/conf.d/"
	cp -a "$PREFIX/etc/rc.conf" "$root/etc/rc.conf"
	for level in sysinit boot default nonetwork shutdown; do mkdir -p "$root/etc/runlevels/$level"; done
}

kind_pid1() { printf '%s\n' /usr/bin/openrc-init; }

# openrc-init makes its control FIFO once the default runlevel is up
kind_ready() {
	local id=$1
	for _ in $(seq 1 500); do
		# shellcheck disable=SC2016 # expanded inside the machine
		machine_exec "$id" sh -c 'test -p /run/openrc/init.ctl && test "$(cat /run/openrc/softlevel)" = default' && return 0
		sleep 0.02
	done
	return 1
}

# SIGTERM is openrc-init's poweroff: the shutdown runlevel stops every service, then TERM and KILL to the rest
kind_shutdown() { kill -TERM "$(cat "$BASE/$1/pid")"; }

machine_main "$@"
