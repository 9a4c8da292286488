#!/bin/bash
# init-machine.sh - the throwaway "machine" that dinit-, s6- and openrc-sandbox.sh share. Sourced, not run.
#
# A machine is a private mount and PID namespace whose root is an overlay of the host's / (upper layer on a tmpfs),
# with a fresh tmpfs on /run, /tmp and /dev/shm: the init system under test is its PID 1, and what a test installs
# lands in the real paths (/etc/dinit.d, /etc/s6/sv, /etc/init.d...) without touching the host. Stopping it (or the
# test process dying: --owner) asks the init to stop its services, then kills what is left: the kernel ends every
# process of a PID namespace when its PID 1 goes, and stop waits until the namespace is empty.
#
# A sandbox script sets these, then calls machine_main "$@":
#   KIND                 id prefix and name in messages (dinit, s6, openrc)
#   PID1_COMM            comm of the PID 1 program, to find its host pid
#   kind_check           host side, before anything: die with what to install when a tool is missing
#   kind_layout ROOT     inside the namespaces, before PID 1 starts: the init's directories and tools under ROOT
#   kind_pid1            prints PID 1's argv, one word per line (run in the chroot with a clean environment)
#   kind_ready ID        host side: wait until the init accepts commands (machine_exec is available)
#   kind_shutdown ID     host side: ask the init to stop every service and exit (machine_stop kills what remains)
#
#   SCRIPT start [--owner PID] [--bind PATH]...   prints the machine id; PATH (host) is visible at the same path
#   SCRIPT exec ID -- CMD [ARGS...]               runs CMD inside as root with a clean environment; its exit code
#   SCRIPT stop ID                                stops the machine; no process of it survives
# Needs root. State: $PVPN_INITS_STATE/ID (default /tmp/pvpn-gen-inits), removed at stop. Exit 125: harness failure.
set -u
SELF=$(readlink -f "$0")
BASE=${PVPN_INITS_STATE:-/tmp/pvpn-gen-inits}
PREFIX=${PVPN_INITS:-/opt/pvpn-inits}
# The environment every command inside starts with (nothing of the caller's leaks in).
CLEAN_ENV=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 TERM=dumb)

die() { printf '%s-sandbox: %s\n' "$KIND" "$*" >&2; exit 125; }

# need_prefix FILE...: the inits that Debian 12 lacks come from ../shared/inits/build.sh
need_prefix() {
	local f
	for f; do
		[ -x "$PREFIX/$f" ] || die "$PREFIX/$f is missing: build the inits with \`bash ../shared/inits/build.sh $PREFIX\` (PVPN_INITS names another prefix)"
	done
}
# need_tools PACKAGE TOOL...: host tools from Debian packages
need_tools() {
	local package=$1 t
	shift
	for t; do
		command -v "$t" >/dev/null || die "$t is missing: apt-get install -y $package"
	done
}

# link_tools ROOT DIR NAME...: ROOT/usr/bin/NAME -> PREFIX/DIR/NAME, where Artix installs them (#!/usr/bin/openrc-run)
link_tools() {
	local root=$1 dir=$2 name
	shift 2
	for name; do ln -sfn "$PREFIX/$dir/$name" "$root/usr/bin/$name"; done
}

# alive PID: exists and is not a zombie (a killed unshare may wait a while for its new parent to reap it)
alive() {
	local stat
	[ -n "${1:-}" ] || return 1
	read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
	stat=${stat##*) } # "PID (COMM) STATE ...", COMM may hold anything
	case ${stat%% *} in Z | X) return 1 ;; esac
}
# pid namespace of a host pid, e.g. pid:[4026532301]
pid_ns() { readlink "/proc/$1/ns/pid" 2>/dev/null; }
# host pids whose pid namespace is $1 (one stat for all of /proc: a readlink per process is too slow for a poll)
ns_members() {
	local inode=${1#pid:[}
	inode=${inode%]}
	stat -L -c '%i %n' /proc/[0-9]*/ns/pid 2>/dev/null | awk -v i="$inode" '$1 == i { split($2, p, "/"); print p[3] }'
}

# Inside the new namespaces (PID 1 until it execs the init): build the root, chroot, exec the init.
machine_inner() {
	set -e
	local state=$1 root=$1/root bind
	mount --make-rprivate /
	mount -t tmpfs -o mode=0755 "pvpn-$KIND-ovl" "$state/ovl"
	mkdir -p "$state/ovl/upper" "$state/ovl/work"
	mount -t overlay "pvpn-$KIND-root" -o "lowerdir=/,upperdir=$state/ovl/upper,workdir=$state/ovl/work" "$root"
	mount -t proc proc "$root/proc" # this PID namespace's processes only
	mount --rbind /dev "$root/dev"
	mount -t tmpfs -o mode=1777 shm "$root/dev/shm" # the host's /dev/shm stays out (probe-shm writes there)
	mount --rbind /sys "$root/sys"
	mount -t tmpfs -o mode=0755 run "$root/run"
	mount -t tmpfs -o mode=1777 tmp "$root/tmp"
	while IFS= read -r bind; do
		[ -n "$bind" ] || continue
		mkdir -p "$root$bind"
		mount --rbind "$bind" "$root$bind"
	done <"$state/binds"
	kind_layout "$root"
	local -a pid1
	mapfile -t pid1 < <(kind_pid1)
	echo ready >"$state/ready"
	cd "$root"
	exec chroot "$root" /usr/bin/env -i "${CLEAN_ENV[@]}" "${pid1[@]}"
}

machine_start() {
	local owner=$1 binds=$2 id state unshare_pid pid=""
	[ "$(id -u)" = 0 ] || die "must run as root (mount and PID namespaces)"
	need_tools util-linux unshare nsenter
	kind_check
	id=$KIND-$$-$RANDOM
	state=$BASE/$id
	mkdir -p "$state/root" "$state/ovl"
	printf '%s' "$binds" >"$state/binds"
	# setsid: no terminal signals from the caller; --kill-child: when unshare dies, so does PID 1 and with it the
	# whole namespace
	setsid unshare --mount --pid --fork --kill-child -- /bin/bash "$SELF" __inner "$state" \
		</dev/null >"$state/console.log" 2>&1 &
	unshare_pid=$!
	echo "$unshare_pid" >"$state/unshare.pid"
	for _ in $(seq 1 200); do
		[ -e "$state/ready" ] && break
		alive "$unshare_pid" || break
		sleep 0.02
	done
	[ -e "$state/ready" ] || { cat "$state/console.log" >&2; machine_stop "$id"; die "the machine did not come up"; }
	for _ in $(seq 1 200); do
		pid=$(pgrep -P "$unshare_pid" | head -n 1)
		[ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$PID1_COMM" ] && break
		pid=""
		sleep 0.02
	done
	[ -n "$pid" ] || { cat "$state/console.log" >&2; machine_stop "$id"; die "$PID1_COMM did not start as PID 1"; }
	echo "$pid" >"$state/pid"
	pid_ns "$pid" >"$state/pidns"
	if ! kind_ready "$id"; then
		cat "$state/console.log" >&2
		machine_stop "$id"
		die "$KIND did not become ready"
	fi
	if [ -n "$owner" ]; then
		# the test process died without calling stop: the machine goes too (and this watcher ends with the machine)
		(
			while kill -0 "$owner" 2>/dev/null && [ -d "$state" ]; do sleep 0.5; done
			[ -d "$state" ] && "$SELF" stop "$id"
		) </dev/null >/dev/null 2>&1 &
	fi
	echo "$id"
}

machine_exec() {
	local id=$1 pid
	shift
	pid=$(cat "$BASE/$id/pid" 2>/dev/null) || die "no such machine: $id"
	nsenter -t "$pid" -m -p -r -w -- /usr/bin/env -i "${CLEAN_ENV[@]}" "$@"
}

machine_stop() {
	local id=$1 state=$BASE/$1 unshare_pid pid ns i
	case $id in "$KIND"-[0-9]*) ;; *) die "not a $KIND machine id: $id" ;; esac
	[ -d "$state" ] || return 0
	unshare_pid=$(cat "$state/unshare.pid" 2>/dev/null)
	pid=$(cat "$state/pid" 2>/dev/null)
	ns=$(cat "$state/pidns" 2>/dev/null)
	if alive "$pid"; then
		kind_shutdown "$id" >>"$state/console.log" 2>&1
		for _ in $(seq 1 250); do alive "$pid" || break; sleep 0.02; done
	fi
	if [ -n "$unshare_pid" ]; then
		kill -KILL "$unshare_pid" 2>/dev/null
		for _ in $(seq 1 250); do alive "$unshare_pid" || break; sleep 0.02; done
	fi
	# PID 1 is gone, so the kernel kills the rest of the namespace: wait until it is empty
	if [ -n "$ns" ]; then
		for i in $(seq 1 250); do
			[ -z "$(ns_members "$ns")" ] && break
			[ "$i" = 100 ] && ns_members "$ns" | xargs -r kill -KILL 2>/dev/null
			sleep 0.02
		done
		[ -z "$(ns_members "$ns")" ] || die "processes of $id survived: $(ns_members "$ns" | tr '\n' ' ')"
	fi
	rm -rf "$state"
}

machine_main() {
	local owner="" binds="" id
	case ${1:-} in
		__inner) machine_inner "$2" ;;
		start)
			shift
			while [ $# -gt 0 ]; do
				case $1 in
					--owner) owner=$2; shift 2 ;;
					--bind) binds="$binds$(readlink -f "$2")"$'\n'; shift 2 ;;
					*) die "unknown option $1" ;;
				esac
			done
			machine_start "$owner" "$binds" ;;
		exec)
			id=${2:-}
			shift 2
			[ "${1:-}" = -- ] && shift
			machine_exec "$id" "$@" ;;
		stop) machine_stop "${2:-}" ;;
		*) die "usage: $0 start [--owner PID] [--bind PATH]... | exec ID -- CMD... | stop ID" ;;
	esac
}
