#!/bin/bash
# runit-sandbox.sh - a throwaway "machine" running the REAL runsvdir, for end-to-end tests of pvpn-gen.
#
#   runit-sandbox.sh start SCANDIR [--owner PID] [--bind PATH]...
#                                                  prints an id; runsvdir scans SCANDIR inside the sandbox;
#                                                  each PATH of the host is visible at the same path inside
#   runit-sandbox.sh exec ID -- CMD [ARGS...]      runs CMD inside (as root), returns its exit code
#   runit-sandbox.sh stop ID                       stops runsvdir and with it every process of the sandbox
#
# The sandbox is a private mount and PID namespace whose root is an overlay of the host's / with a tmpfs on top:
# pvpn-gen installs into the real paths (/etc/sv, /var/service, /etc/runit/...) without touching the host, and
# runsvdir is PID 1 there, so stopping it (or the test dying: --kill-child, --owner) leaves no process behind.
# Needs root (mount, unshare). State: $PVPN_RUNIT_STATE (default /tmp/pvpn-gen-runit), removed at stop.
set -u
SELF=$(readlink -f "$0")
BASE=${PVPN_RUNIT_STATE:-/tmp/pvpn-gen-runit}
die() { printf 'runit-sandbox: %s\n' "$*" >&2; exit 125; }

# Inside the new namespaces (PID 1 until it execs runsvdir): build the root and chroot into it.
inner() {
	set -e
	local state=$1 scandir=$2 root=$1/root bind
	mount --make-rprivate /
	mount -t tmpfs -o mode=0755 pvpn-runit-ovl "$state/ovl"
	mkdir -p "$state/ovl/upper" "$state/ovl/work"
	mount -t overlay pvpn-runit-root -o "lowerdir=/,upperdir=$state/ovl/upper,workdir=$state/ovl/work" "$root"
	mount -t proc proc "$root/proc"          # this PID namespace's processes only
	mount --rbind /dev "$root/dev"
	mount --rbind /sys "$root/sys"
	mount -t tmpfs -o mode=0755 run "$root/run"
	mount -t tmpfs -o mode=1777 tmp "$root/tmp"
	# the project under test (a checkout may live under /tmp, which is private inside)
	while IFS= read -r bind; do
		[ -n "$bind" ] || continue
		mkdir -p "$root$bind"
		mount --rbind "$bind" "$root$bind"
	done <"$state/binds"
	# The layouts' directories, as a fresh distribution would have them; Artix's scan directory is a link.
	mkdir -p "$root/etc/sv" "$root/var/service" "$root/etc/service" "$root/etc/runit/sv" "$root/etc/runit/runsvdir/default" "$root/run/runit"
	ln -sfn /etc/runit/runsvdir/default "$root/run/runit/service"
	# The host's own runit services (Debian's default-syslog) are not part of this machine.
	find "$root/etc/service" "$root/etc/sv" "$root/etc/runit/runsvdir/default" "$root/etc/runit/sv" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
	echo ready >"$state/ready"
	exec chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		runsvdir -P "$scandir"
}

start() {
	local scandir=$1 owner=$2 binds=$3
	[ "$(id -u)" = 0 ] || die "must run as root"
	local id=runit-$$-$RANDOM state
	state=$BASE/$id
	mkdir -p "$state/root" "$state/ovl"
	printf '%s' "$binds" >"$state/binds"
	# setsid: the sandbox must not get the caller's terminal signals; --kill-child: when unshare dies, so does
	# runsvdir (PID 1), which takes the whole PID namespace down.
	setsid unshare --mount --pid --fork --kill-child -- /bin/bash "$SELF" __inner "$state" "$scandir" \
		</dev/null >"$state/console.log" 2>&1 &
	echo $! >"$state/unshare.pid"

	for _ in $(seq 1 100); do [ -e "$state/ready" ] && break; sleep 0.05; done
	[ -e "$state/ready" ] || { cat "$state/console.log" >&2; stop "$id"; die "sandbox did not come up"; }
	# the host pid of the sandbox's PID 1 (runsvdir): the child of unshare
	local pid=""
	for _ in $(seq 1 100); do
		pid=$(pgrep -P "$(cat "$state/unshare.pid")" | head -n 1)
		[ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = runsvdir ] && break
		pid=""
		sleep 0.05
	done
	[ -n "$pid" ] || { cat "$state/console.log" >&2; stop "$id"; die "runsvdir did not start"; }
	echo "$pid" >"$state/pid"
	if [ -n "$owner" ]; then
		# if the test process dies without calling stop, the sandbox goes too
		( while kill -0 "$owner" 2>/dev/null; do sleep 0.5; done; "$SELF" stop "$id" ) </dev/null >/dev/null 2>&1 &
	fi
	echo "$id"
}

run_in() {
	local id=$1; shift
	local pid
	pid=$(cat "$BASE/$id/pid" 2>/dev/null) || die "no such sandbox $id"
	exec nsenter -t "$pid" -m -p -r -w -- "$@"
}

stop() {
	local id=$1 state=$BASE/$1
	case $id in runit-*) ;; *) die "not a sandbox id: $id" ;; esac
	[ -d "$state" ] || return 0
	local unshare_pid pid
	unshare_pid=$(cat "$state/unshare.pid" 2>/dev/null)
	pid=$(cat "$state/pid" 2>/dev/null)
	# runsvdir on SIGHUP sends TERM to every runsv and exits; then the namespace is torn down by the kernel
	if [ -n "$pid" ]; then
		kill -HUP "$pid" 2>/dev/null
		for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
	fi
	if [ -n "$unshare_pid" ]; then
		kill -KILL "$unshare_pid" 2>/dev/null
		for _ in $(seq 1 100); do kill -0 "$unshare_pid" 2>/dev/null || break; sleep 0.05; done
	fi
	rm -rf "$state"
}

case ${1:-} in
	__inner) inner "$2" "$3" ;;
	start)
		shift
		scandir=${1:-}; shift
		owner=; binds=
		while [ $# -gt 0 ]; do
			case $1 in
				--owner) owner=$2; shift 2 ;;
				--bind) binds="$binds$(readlink -f "$2")"$'\n'; shift 2 ;;
				*) die "unknown option $1" ;;
			esac
		done
		start "$scandir" "$owner" "$binds" ;;
	exec) id=${2:-}; shift 2; [ "${1:-}" = -- ] && shift; run_in "$id" "$@" ;;
	stop) stop "${2:-}" ;;
	*) die "usage: $0 start SCANDIR [--owner PID] | exec ID -- CMD... | stop ID" ;;
esac
