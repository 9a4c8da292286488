#!/bin/bash
# fleet.sh - three throwaway "hosts" on this machine driven by ONE Ansible inventory, for the tests of the Ansible
# export (issue 14). Each is a root file system that overlays the host's / (nothing reaches the host's disk):
#
#   staging  a root directory with nothing running in it (an image being built, like `install --root`),
#            reached with the community.general.chroot connection; its writes land in DIR/staging/upper
#   runit    the live runit sandbox (runit-sandbox.sh: runsvdir is its PID 1), reached with pvpn_nsenter
#   systemd  the booted systemd 252 sandbox (systemd-sandbox.sh), reached with pvpn_nsenter
#
#   fleet.sh start DIR [--owner PID] [--scandir PATH]   boot the hosts, write DIR/inventory.json; DIR must not exist
#   fleet.sh playbook DIR -- ARGS...                     ansible-playbook -i DIR/inventory.json ARGS..., hermetic
#   fleet.sh exec DIR HOST -- CMD [ARG]...               run CMD as root on HOST, return its exit status
#   fleet.sh stop DIR                                    stop both sandboxes, remove DIR
#   fleet.sh lint -- ARGS...                             ansible-lint ARGS..., as hermetic (no fleet needed)
#
# Per-host variables go to DIR/host_vars/HOST.json (Ansible reads host_vars/ beside the inventory).
# pvpn_nsenter (ansible/connection_plugins/) enters all namespaces and the root of the sandbox's PID 1.
# The staging root is mounted only inside a private mount namespace around each `playbook` and `exec`
# (overlay lower=/, upper=DIR/staging/upper, fresh /tmp and /run, a minimal /dev, no /proc): no mount outlives
# the command, and the upper directory keeps exactly what was written between runs.
# Ansible keeps everything under DIR (ANSIBLE_HOME, local temp, HOME) and reads only ansible/ansible.cfg.
# --owner PID: both sandboxes stop when process PID is gone. Needs root. Exit status 125: the harness failed.
set -u
SELF=$(readlink -f "$0")
HERE=$(dirname "$SELF")
RUNIT=$HERE/runit-sandbox.sh
# the checkout, visible at its own path in both machines (a test runs its pvpn-gen there; a clone may live under /tmp,
# which each machine replaces with a fresh tmpfs)
REPO_ROOT=$(cd "$HERE/../.." && pwd)
SYSTEMD=$HERE/systemd-sandbox.sh
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

die() { printf 'fleet: %s\n' "$*" >&2; exit 125; }

start() {
	local dir=$1 owner='' scandir=/var/service runit_id systemd_id runit_pid systemd_pid
	shift
	while [ $# -gt 0 ]; do
		case $1 in
			--owner) owner=${2:?--owner needs a pid}; shift 2 ;;
			--scandir) scandir=${2:?--scandir needs a path}; shift 2 ;;
			*) die "start: unknown option $1" ;;
		esac
	done
	[ ! -e "$dir" ] || die "$dir exists: give a new directory"
	mkdir -p "$dir"/{staging/upper,staging/work,staging/root,host_vars,home,ansible-home,local-tmp} || die "cannot create $dir"
	dir=$(readlink -f "$dir")
	runit_id=$("$RUNIT" start "$scandir" --bind "$REPO_ROOT" ${owner:+--owner "$owner"}) || { stop "$dir"; die "the runit sandbox did not start"; }
	echo "$runit_id" >"$dir/runit.id"
	systemd_id=$("$SYSTEMD" start --bind "$REPO_ROOT" ${owner:+--owner "$owner"}) || { stop "$dir"; die "the systemd sandbox did not boot"; }
	echo "$systemd_id" >"$dir/systemd.id"
	runit_pid=$(cat "${PVPN_RUNIT_STATE:-/tmp/pvpn-gen-runit}/$runit_id/pid")
	systemd_pid=$(cat "${PVPN_SANDBOX_STATE:-/tmp/pvpn-gen-sandbox}/$systemd_id/pid")
	# JSON is YAML: the inventory plugin `yaml` reads it (it takes the .json extension)
	cat >"$dir/inventory.json" <<-EOF
	{
	  "all": {
	    "vars": { "ansible_python_interpreter": "/usr/bin/python3" },
	    "hosts": {
	      "staging": { "ansible_connection": "community.general.chroot", "ansible_host": "$dir/staging/root" },
	      "runit": { "ansible_connection": "pvpn_nsenter", "ansible_nsenter_pid": $runit_pid },
	      "systemd": { "ansible_connection": "pvpn_nsenter", "ansible_nsenter_pid": $systemd_pid }
	    }
	  }
	}
	EOF
	echo "$dir"
}

# inside a private mount namespace: the staging root at DIR/staging/root
mount_staging() {
	local s=$1/staging r=$1/staging/root n
	mount --make-rprivate / &&
		mount -t overlay -o "lowerdir=/,upperdir=$s/upper,workdir=$s/work" pvpn-fleet-staging "$r" &&
		mount -t tmpfs -o mode=1777,nosuid,nodev tmp "$r/tmp" &&
		mount -t tmpfs -o mode=0755,nosuid,nodev run "$r/run" &&
		# the host's /dev has the VM's disks: give the chroot only the character devices programs open
		mount -t tmpfs -o mode=0755,nosuid,size=64k dev "$r/dev" || return 1
	for n in null zero full random urandom; do
		touch "$r/dev/$n" && mount --bind "/dev/$n" "$r/dev/$n" || return 1
	done
}

case ${1:-} in
	__playbook) # DIR ARGS...: inside the namespace. ansible-playbook gets nothing of the caller's environment
		# (HOME and ~/.ansible, pyenv, vitest) but the stdout callback, and keeps all its state under DIR
		dir=$2; shift 2
		mount_staging "$dir" || die "cannot mount the staging root of $dir"
		exec env -i PATH="$PATH" LANG=C.UTF-8 HOME="$dir/home" PYTHONDONTWRITEBYTECODE=1 \
			ANSIBLE_CONFIG="$HERE/ansible/ansible.cfg" ANSIBLE_HOME="$dir/ansible-home" ANSIBLE_LOCAL_TEMP="$dir/local-tmp" \
			ANSIBLE_STDOUT_CALLBACK="${ANSIBLE_STDOUT_CALLBACK:-default}" \
			ansible-playbook -i "$dir/inventory.json" "$@" ;;
	__staging-exec) # DIR CMD...: inside the namespace
		dir=$2; shift 2
		mount_staging "$dir" || die "cannot mount the staging root of $dir"
		exec chroot "$dir/staging/root" /usr/bin/env -i PATH="$PATH" HOME=/root LANG=C.UTF-8 "$@" ;;
esac

stop() {
	local dir=$1 rc=0
	[ -d "$dir" ] || return 0
	[ -e "$dir/inventory.json" ] || [ -d "$dir/staging" ] || die "$dir is not a fleet directory"
	[ -s "$dir/runit.id" ] && { "$RUNIT" stop "$(cat "$dir/runit.id")" || rc=125; }
	[ -s "$dir/systemd.id" ] && { "$SYSTEMD" stop "$(cat "$dir/systemd.id")" || rc=125; }
	rm -rf "$dir"
	return $rc
}

[ "$(id -u)" = 0 ] || die "must run as root (namespaces, overlay mounts)"
case ${1:-} in
	start) [ $# -ge 2 ] || die "usage: $0 start DIR [--owner PID] [--scandir PATH]"; shift; start "$@" ;;
	playbook)
		{ [ $# -ge 3 ] && [ "$3" = -- ]; } || die "usage: $0 playbook DIR -- ARGS..."
		dir=$(readlink -f "$2"); shift 3
		[ -e "$dir/inventory.json" ] || die "no fleet in $dir"
		command -v ansible-playbook >/dev/null || die "ansible-playbook is missing: apt-get install ansible (in test/support/tools.json: npm test installs it)"
		exec unshare --mount --propagation private -- "$SELF" __playbook "$dir" "$@" ;;
	exec)
		{ [ $# -ge 5 ] && [ "$4" = -- ]; } || die "usage: $0 exec DIR HOST -- CMD [ARG]..."
		dir=$(readlink -f "$2"); host=$3; shift 4
		case $host in
			staging) exec unshare --mount --propagation private -- "$SELF" __staging-exec "$dir" "$@" ;;
			runit) exec "$RUNIT" exec "$(cat "$dir/runit.id")" -- /usr/bin/env -i PATH="$PATH" HOME=/root LANG=C.UTF-8 "$@" ;;
			systemd) exec "$SYSTEMD" exec "$(cat "$dir/systemd.id")" -- "$@" ;;
			*) die "no host $host (staging, runit, systemd)" ;;
		esac ;;
	stop) [ $# -ge 2 ] || die "usage: $0 stop DIR"; stop "$(readlink -f "$2")" || exit 125 ;;
	lint)
		[ "${2:-}" = -- ] || die "usage: $0 lint -- ARGS..."
		shift 2
		command -v ansible-lint >/dev/null || die "ansible-lint is missing: apt-get install ansible-lint (in test/support/tools.json: npm test installs it)"
		home=$(mktemp -d) || die "no temp directory"
		# --offline: no requirements install, no schema download (the machines reach no such site)
		env -i PATH="$PATH" LANG=C.UTF-8 HOME="$home" PYTHONDONTWRITEBYTECODE=1 NO_COLOR=1 \
			ANSIBLE_CONFIG="$HERE/ansible/ansible.cfg" ANSIBLE_HOME="$home/.ansible" ansible-lint --offline "$@"
		rc=$?
		rm -rf "$home"
		exit $rc ;;
	*) sed -n '2,/^set -u/p' "$SELF" | sed '$d; s/^# \{0,1\}//' >&2; exit 125 ;;
esac
