#!/bin/bash
# systemd-sandbox.sh - boot a REAL, throwaway systemd as PID 1 of private namespaces, for the
# end-to-end tests of pvpn-gen (they install units and must see them really run).
#
#   systemd-sandbox.sh start [--bind SRC[:DST]]... [--owner PID]   boot, print the instance id, leave it running
#   systemd-sandbox.sh exec ID -- CMD [ARG]...                     run CMD in all namespaces of the instance
#   systemd-sandbox.sh stop ID                                     poweroff (SIGKILL after 10 s), remove cgroups
#   systemd-sandbox.sh gc                                          clean leftovers of dead instances
#
# The instance sees: / = overlay(lower = host /, upper = tmpfs), so nothing written inside reaches the host
# disk except through --bind (read-write, DST defaults to SRC); fresh /run and /tmp; only `lo` (private netns);
# the host's cgroup layout (hybrid here: the v1 controllers enforce MemoryMax= etc.). It boots into a target
# that only requires basic.target, with the host's enabled units (*.wants links) hidden.
# `exec` runs CMD as root with a clean environment (PATH, HOME, LANG, TERM, PVPN_SANDBOX_ID) and returns its
# exit status; CMD sits outside the manager's cgroups: wrap it in `systemd-run` where limits matter.
# --owner PID: stop the instance as soon as process PID is gone (the test runner passes its own pid).
# State (pid files, PID 1 console log) lives in $PVPN_SANDBOX_STATE/ID, default /tmp/pvpn-gen-sandbox.
# Needs real root, util-linux, overlayfs and /lib/systemd/systemd. Exit status 125: the harness failed.
#
# "fact N" below refers to the numbered facts of the systemd sandbox recipe this follows: cgroups stay as the
# host has them (1), per-instance child cgroups (2), namespaces + a pty (3), payload cgroup then cgroupns (4),
# the root file system (5), trimmed unit set (6), pivot_root + exec systemd (7), readiness and stop (8).
set -u
SELF=$(readlink -f "$0")
BASE=${PVPN_SANDBOX_STATE:-/tmp/pvpn-gen-sandbox}
SYSTEMD=/lib/systemd/systemd
BOOT_TIMEOUT=30
TARGET=pvpn-sandbox.target
PATH=$PATH:/usr/sbin:/sbin # pivot_root lives in sbin

die() { printf 'systemd-sandbox: %s\n' "$*" >&2; exit 125; }
# a pid that exists and is not a zombie (bash builtins only: the watchdog calls this 10 times a second)
alive() {
	local stat
	[ -n "${1:-}" ] || return 1
	read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
	stat=${stat##*) } # "PID (COMM) STATE ...", COMM may hold anything
	case ${stat%% *} in Z | X) return 1 ;; esac
}
# wait_gone PID SECONDS: wait for PID to go; false if it is still there after SECONDS
wait_gone() { local i; for ((i = 0; i < $2 * 50; i++)); do alive "$1" || return 0; sleep 0.02; done; ! alive "$1"; }

# One line "MOUNTPOINT FSTYPE OPTIONS OUR_CGROUP" per cgroup hierarchy we are in (v1 controllers or the
# cgroup2 one), so that the instance gets exactly the host's layout: never a forced unified view (fact 1).
hierarchies() {
	local _ ctrls path mp fstype opts root c mounts
	mounts=$(findmnt -rn -t cgroup,cgroup2 -o TARGET,FSTYPE,FS-OPTIONS,FSROOT)
	while IFS=: read -r _ ctrls path; do
		while read -r mp fstype opts root; do
			[ "$root" = / ] || continue
			if [ -z "$ctrls" ]; then
				[ "$fstype" = cgroup2 ] || continue
				opts=- # a cgroup2 mount takes no controller options
			else
				[ "$fstype" = cgroup ] || continue
				for c in ${ctrls//,/ }; do case ",$opts," in *",$c,"*) ;; *) continue 2 ;; esac; done
				opts=${opts#r[ow],} # keep the controller options (cpu, name=systemd, ...)
			fi
			printf '%s %s %s %s\n' "$mp" "$fstype" "$opts" "$path"
			break
		done <<<"$mounts"
	done </proc/self/cgroup
}

# --- inside, step 1: PID 1 of the new pid/mount/uts/ipc/net namespaces, still in the supervisor cgroups ---
pid1_cgroups() {
	set -e
	local S=$1 hostpid d
	# fact 4: leave script(1) and unshare behind in `supervisor`, so that the cgroup namespace created next
	# is rooted at `payload` and holds no foreign process (systemd fails with EIO on those)
	while read -r d; do echo 0 >"$d/payload/cgroup.procs"; done <"$S/cgroups"
	read -r hostpid _ </proc/self/stat # /proc is still the host's here: this is our host pid
	echo "$hostpid" >"$S/pid"
	exec unshare --cgroup -- /bin/bash "$SELF" __pid1-root "$S"
}

# --- inside, step 2: build the instance's root file system (fact 5) and exec systemd (fact 7) ---
pid1_root() {
	set -e
	local S=$1 R=$1/fs/root E mp fstype opts src dst n u
	mount --make-rprivate / # nothing mounted from here on may propagate to the host
	mkdir -p "$S/fs"
	mount -t tmpfs -o mode=0755 pvpn-sandbox "$S/fs"
	mkdir "$S/fs/upper" "$S/fs/work" "$R"
	mount -t overlay -o "lowerdir=/,upperdir=$S/fs/upper,workdir=$S/fs/work" pvpn-sandbox "$R"

	# API file systems; the host's kernel knobs stay read-only
	mount -t proc -o nosuid,nodev,noexec proc "$R/proc"
	for n in sys sysrq-trigger; do
		[ -e "$R/proc/$n" ] || continue # no sysrq-trigger on kernels built without it
		mount --bind "$R/proc/$n" "$R/proc/$n"
		mount -o remount,bind,ro "$R/proc/$n"
	done
	mount -t sysfs -o ro,nosuid,nodev,noexec sysfs "$R/sys"
	# every hierarchy mounted again: inside our cgroup namespace they are rooted at `payload` (facts 1, 5)
	mount -t tmpfs -o mode=0755,nosuid,nodev,noexec cgroup "$R/sys/fs/cgroup"
	while read -r mp fstype opts _; do
		mkdir -p "$R$mp"
		if [ "$opts" = - ]; then opts=; else opts=,$opts; fi
		mount -t "$fstype" -o "nosuid,nodev,noexec$opts" "$fstype" "$R$mp"
	done <"$S/hierarchies"

	# a minimal /dev; the pty of script(1) becomes /dev/console, which systemd insists on (fact 3)
	mount -t tmpfs -o mode=0755,nosuid,size=4m dev "$R/dev"
	for n in null zero full random urandom tty; do touch "$R/dev/$n" && mount --bind "/dev/$n" "$R/dev/$n"; done
	mkdir "$R/dev/pts" "$R/dev/shm"
	mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5,nosuid,noexec devpts "$R/dev/pts"
	ln -s pts/ptmx "$R/dev/ptmx"
	mount -t tmpfs -o mode=1777,nosuid,nodev shm "$R/dev/shm"
	ln -s /proc/self/fd "$R/dev/fd"
	for n in 0:stdin 1:stdout 2:stderr; do ln -s "/proc/self/fd/${n%:*}" "$R/dev/${n#*:}"; done
	touch "$R/dev/console"
	mount --bind "$(tty)" "$R/dev/console"
	mount -t tmpfs -o mode=0755,nosuid,nodev run "$R/run"
	mount -t tmpfs -o mode=1777,nosuid,nodev tmp "$R/tmp"

	# --bind SRC:DST, read-write
	while IFS=$'\t' read -r src dst; do
		if [ -d "$src" ]; then mkdir -p "$R$dst"; else mkdir -p "$(dirname "$R$dst")" && touch "$R$dst"; fi
		mount --rbind "$src" "$R$dst"
	done <"$S/binds"

	# fact 6, written to the overlay only: hide what the host admin enabled (postgresql, apt timers...),
	# mask what would touch host kernel state or devices, boot into basic.target and nothing else
	E=$R/etc/systemd/system
	find "$E" -mindepth 2 -maxdepth 2 -path '*.wants/*' -type l -delete
	for u in systemd-udevd.service systemd-udevd-control.socket systemd-udevd-kernel.socket \
		systemd-hwdb-update.service getty.target console-getty.service serial-getty@.service getty@.service \
		systemd-sysctl.service systemd-modules-load.service systemd-binfmt.service \
		proc-sys-fs-binfmt_misc.automount proc-sys-fs-binfmt_misc.mount systemd-timesyncd.service \
		systemd-random-seed.service systemd-firstboot.service systemd-machine-id-commit.service \
		systemd-pstore.service systemd-repart.service systemd-journald-audit.socket; do
		ln -sfn /dev/null "$E/$u"
	done
	printf '[Unit]\nDescription=pvpn-gen test sandbox\nRequires=basic.target\nAfter=basic.target\n' >"$E/$TARGET"
	basename "$S" >"$R/etc/hostname"

	# fact 7: switch root, then become systemd, without capabilities that reach the host kernel/clock
	cd "$R"
	mkdir .oldroot
	pivot_root . .oldroot
	umount -l /.oldroot
	rmdir /.oldroot
	cd /
	exec </dev/null >/dev/console 2>&1
	exec env -i container=pvpn-gen-sandbox TERM=dumb PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		setpriv --bounding-set=-sys_module,-sys_time,-sys_rawio,-syslog,-wake_alarm,-mac_admin,-mac_override -- \
		"$SYSTEMD" --unit="$TARGET" --log-target=journal-or-kmsg --show-status=true
}

# --- host side ---
start() {
	local ID S d c mp path src dst launcher cmd pid='' owner=''
	local -a binds=()
	while [ $# -gt 0 ]; do
		case $1 in
			--bind)
				[ $# -ge 2 ] || die "--bind needs SRC[:DST]"
				src=${2%%:*}; dst=${2#"$src"}; dst=${dst#:}; dst=${dst:-$src}
				[ -e "$src" ] || die "bind source $src does not exist"
				case $dst in /*) ;; *) die "bind destination $dst must be absolute" ;; esac
				binds+=("$(readlink -f "$src")"$'\t'"$dst"); shift 2 ;;
			--owner) owner=${2:?--owner needs a pid}; shift 2 ;;
			*) die "start: unknown option $1" ;;
		esac
	done
	gc >/dev/null
	ID=$(printf 'pvpn-%d-%04x' $$ "$RANDOM")
	S=$BASE/$ID
	mkdir -p "$S" || die "cannot create $S"
	echo $$ >"$S/start.pid" # first file written: gc leaves instances that are still starting alone
	: >"$S/binds"
	for d in ${binds[@]+"${binds[@]}"}; do printf '%s\n' "$d" >>"$S/binds"; done
	hierarchies >"$S/hierarchies"
	[ -s "$S/hierarchies" ] || die "no cgroup hierarchy found"

	# fact 2: <our cgroup>/ID/{supervisor,payload} in every hierarchy; v1 cpusets start empty, copy the parent's
	while read -r mp _ _ path; do
		d=$mp${path%/}/$ID
		echo "$d" >>"$S/cgroups"
		for c in "$d" "$d/supervisor" "$d/payload"; do
			mkdir "$c" || { stop "$ID"; die "cannot create cgroup $c"; }
			if [ -e "$c/cpuset.cpus" ]; then
				cat "${c%/*}/cpuset.cpus" >"$c/cpuset.cpus" && cat "${c%/*}/cpuset.mems" >"$c/cpuset.mems"
			fi
		done
	done <"$S/hierarchies"

	# fact 3: the launcher moves into `supervisor`, then becomes script(1), which gives PID 1 a pty for
	# /dev/console and logs it. The chain dies together: script -> (pdeathsig) unshare -> (--kill-child) PID 1.
	(
		set -e
		while read -r d; do echo "$BASHPID" >"$d/supervisor/cgroup.procs"; done <"$S/cgroups"
		cmd=$(printf '%q ' setpriv --pdeathsig KILL -- unshare --pid --fork --kill-child --mount --uts --ipc --net \
			-- /bin/bash "$SELF" __pid1 "$S")
		SHELL=/bin/sh exec script -qfec "exec $cmd" "$S/console.log"
	) </dev/null >/dev/null 2>"$S/launcher.log" &
	launcher=$!
	echo "$launcher" >"$S/launcher.pid"
	if [ -n "$owner" ]; then
		# watchdog: a test runner that dies without calling stop must not leave an instance behind.
		# It naps with `read -t` on a fifo, so that stop() can wake it up and see it gone at once.
		mkfifo "$S/wakeup"
		(
			exec 3<>"$S/wakeup"
			while alive "$launcher"; do
				alive "$owner" || { stop "$ID"; exit 0; }
				read -rt 0.2 -u 3 && exit 0
			done
		) </dev/null >/dev/null 2>&1 &
		echo $! >"$S/watchdog.pid"
	fi

	# fact 8: ready when the manager's private socket exists and the boot has finished
	local i state=
	for ((i = 0; i < BOOT_TIMEOUT * 20; i++)); do
		pid=$(cat "$S/pid" 2>/dev/null)
		[ -n "$pid" ] && [ -S "/proc/$pid/root/run/systemd/private" ] && break
		alive "$launcher" || break
		sleep 0.05
	done
	if [ -n "$pid" ] && alive "$pid"; then
		state=$(timeout "$BOOT_TIMEOUT" nsenter -t "$pid" -m -u -i -n -p -C -r -w -- systemctl is-system-running --wait 2>&1)
	fi
	case $state in
		running | degraded) echo "$ID" ;;
		*)
			{
				echo "systemd-sandbox: instance $ID did not boot (state: ${state:-no manager})"
				echo "--- launcher log"; cat "$S/launcher.log"
				echo "--- console of PID 1"; cat "$S/console.log"
			} >&2 2>/dev/null
			stop "$ID"
			exit 125 ;;
	esac
}

# Processes of instance PID1 whose parent is outside it: commands of `exec` (children of the host-side
# nsenter) and their zombies once nsenter is gone (those are left to the host's init to reap).
strays() {
	local p stat ppid
	for p in /proc/[0-9]*; do
		[ "$p" != "/proc/$1" ] || continue
		[ "$p/ns/pid" -ef "/proc/$1/ns/pid" ] || continue
		read -r stat <"$p/stat" || continue
		read -r _ ppid _ <<<"${stat##*) }"
		[ "/proc/$ppid/ns/pid" -ef "/proc/$1/ns/pid" ] || echo "${p#/proc/}"
	done 2>/dev/null
}

stop() {
	local ID=$1 S=$BASE/$1 pid launcher watchdog i d p left=1
	[ -d "$S" ] || return 0
	pid=$(cat "$S/pid" 2>/dev/null)
	launcher=$(cat "$S/launcher.pid" 2>/dev/null)
	watchdog=$(cat "$S/watchdog.pid" 2>/dev/null)
	if alive "$pid"; then
		# systemd-shutdown waits for every process of the instance, but learns only about the exit of its
		# own children (SIGCHLD): with a stray still there it waits its whole 90 s timeout. Remove them first.
		for p in $(strays "$pid"); do
			kill -KILL "$p" 2>/dev/null
			for ((i = 0; i < 150; i++)); do [ -e "/proc/$p" ] || break; sleep 0.02; done
		done
		kill -s RTMIN+4 "$pid" # fact 8: systemd's "poweroff"; in a container it then simply exits
		wait_gone "$pid" 10 || { echo "systemd-sandbox: $ID did not power off in 10 s, SIGKILL" >&2; kill -KILL "$pid"; }
	fi
	# script(1) ends with PID 1; if PID 1 never came up, SIGKILL it: pdeathsig takes the rest down
	wait_gone "$launcher" 2 || kill -KILL "$launcher"
	wait_gone "$launcher" 2
	if [ -n "$watchdog" ] && [ "$watchdog" != "$BASHPID" ]; then
		echo 1<>"$S/wakeup" # opened read-write: never blocks, even when nobody reads any more
		wait_gone "$watchdog" 1
	fi
	# fact 8: remove the cgroup trees depth-first (systemd's own sub-cgroups included); the kernel
	# releases a cgroup only once its last task is reaped, hence the retries
	for ((i = 0; i < 40 && left; i++)); do
		left=0
		while read -r d; do
			[ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
			[ -d "$d" ] && left=1
		done <"$S/cgroups"
		[ $left = 0 ] || sleep 0.05
	done 2>/dev/null
	if [ $left = 0 ]; then rm -rf "$S"; else echo "systemd-sandbox: cgroups of $ID left, see $S/cgroups" >&2; return 1; fi
}

gc() { # clean up instances whose start script, launcher and PID 1 are all gone
	local S f live
	for S in "$BASE"/pvpn-*; do
		[ -e "$S/start.pid" ] || continue
		live=0
		for f in start.pid launcher.pid pid; do alive "$(cat "$S/$f" 2>/dev/null)" && live=1; done
		if [ $live = 1 ]; then echo "alive ${S##*/}"; else echo "cleaning ${S##*/}"; stop "${S##*/}"; fi
	done
}

case ${1:-} in
	__pid1) pid1_cgroups "$2"; exit 1 ;;
	__pid1-root) pid1_root "$2"; exit 1 ;;
esac
[ "$(id -u)" = 0 ] || die "must run as root (needs real CAP_SYS_ADMIN)"
for t in unshare nsenter setpriv script pivot_root findmnt; do
	command -v "$t" >/dev/null || die "missing tool: $t (util-linux)"
done
[ -x "$SYSTEMD" ] || die "missing $SYSTEMD (apt-get install systemd)"
mkdir -p "$BASE" || die "cannot create $BASE"

case ${1:-} in
	start) shift; start "$@" ;;
	exec)
		{ [ $# -ge 4 ] && [ "$3" = -- ]; } || die "usage: $0 exec ID -- CMD [ARG]..."
		pid=$(cat "$BASE/$2/pid" 2>/dev/null); alive "$pid" || die "no running instance $2"
		id=$2; shift 3
		exec env -i PATH="$PATH" HOME=/root LANG=C.UTF-8 TERM=dumb SYSTEMD_PAGER= SYSTEMD_COLORS=0 \
			PVPN_SANDBOX_ID="$id" nsenter -t "$pid" -m -u -i -n -p -C -r -w -- "$@" ;;
	stop)
		[[ ${2:-} =~ ^pvpn-[0-9]+-[0-9a-f]+$ ]] || die "usage: $0 stop ID"
		stop "$2" || exit 125 ;;
	gc) gc ;;
	*) sed -n '2,/^set -u/p' "$SELF" | sed '$d; s/^# \{0,1\}//' >&2; exit 125 ;;
esac
