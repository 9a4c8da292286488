#!/bin/bash
# notify-session.sh - a person logged in on a desktop, inside a test sandbox, for pvpn-gen's notification tests.
#
#   notify-session.sh up USER UID [--type x11|wayland|tty] [--display :N] [--bus PATH] [--capabilities LIST]
#                                 [--no-recorder]
#       creates USER (uid = gid = UID) if missing, logs it in, starts its session bus and a notification server
#       that records every call (notify-recorder.py); prints one JSON line that describes the session
#   notify-session.sh down USER        logs USER out: recorder, bus and session gone, as after a real logout
#   notify-session.sh calls USER       the recorded calls, one JSON object per line (kept after down)
#   notify-session.sh delay USER MS    the recorder answers Notify MS ms late from now on (0: at once)
#
# Run it INSIDE runit-sandbox.sh or systemd-sandbox.sh, as root: it adds a user and writes under /run, so it refuses
# to run where / is not an overlay (the sandboxes' throwaway root). What "logged in" leaves on the machine depends on
# the machine, and the harness makes what the sandbox would have:
#   - systemd as PID 1 (systemd-sandbox.sh): a REAL logind session (logind-session.py registers it as pam_systemd
#     does), of the asked Type and Display; logind then starts user@UID, whose dbus.socket (dbus-user-session) is
#     the session bus at /run/user/UID/bus.
#   - no logind (runit-sandbox.sh): /run/user/UID (0700, the user's) holding the socket of a
#     `dbus-daemon --session` that the user runs, as elogind-less runit machines set it up.
# --bus PATH puts the bus elsewhere (as dbus-launch does): then only the environment of the session's processes
#   tells where it is. The recorder stands for the desktop's notification daemon and, like dunst or mako, carries
#   DBUS_SESSION_BUS_ADDRESS, XDG_SESSION_TYPE and DISPLAY or WAYLAND_DISPLAY in its environment.
# --no-recorder: a bus without any notification server (Notify then fails with ServiceUnknown).
# State: $PVPN_NOTIFY_STATE/USER (default /run/pvpn-notify-session/USER). Exit status 125: the harness failed.
set -u
HERE=$(dirname "$(readlink -f "$0")")
BASE=${PVPN_NOTIFY_STATE:-/run/pvpn-notify-session}
PYTHON=/usr/bin/python3 # Debian's, with python3-gi: never a python3 of PATH (pyenv and the like lack gi)
die() { printf 'notify-session: %s\n' "$*" >&2; exit 125; }

# a pid that exists and is not a zombie (orphans of `sandbox exec` are reaped by the sandbox's PID 1, maybe late)
alive() {
	local stat
	[ -n "${1:-}" ] || return 1
	read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
	stat=${stat##*) }
	case ${stat%% *} in Z | X) return 1 ;; esac
}
# wait_for SECONDS TEST...: poll TEST every 20 ms; false if it never held
wait_for() { local i n=$(($1 * 50)); shift; for ((i = 0; i < n; i++)); do "$@" && return 0; sleep 0.02; done; "$@"; }
not() { ! "$@"; }
# as_user: the argv prefix that runs a command as the session's user, with a clean environment (set after uid/gid)
as_user() { AS_USER=(setpriv --reuid="$uid" --regid="$gid" --init-groups --reset-env -- env); }
# start_bg NAME CMD...: a daemon of the session, in its own session, its output in $S/NAME.log, its pid in $S/NAME.pid
start_bg() {
	local name=$1
	shift
	setsid "$@" </dev/null >>"$S/$name.log" 2>&1 &
	echo $! >"$S/$name.pid"
}
stop_bg() {
	local pid
	pid=$(cat "$S/$1.pid" 2>/dev/null) || return 0
	kill -TERM "$pid" 2>/dev/null
	wait_for 5 not alive "$pid" || kill -KILL "$pid" 2>/dev/null
	rm -f "$S/$1.pid"
}
check_user() {
	[[ $1 =~ ^[a-z_][a-z0-9_-]{0,30}$ ]] || die "not a user name: $1"
}

up() {
	local user=$1 type=x11 display='' bus='' capabilities=body,body-markup recorder=1 session='' logind=false runtime
	uid=$2
	shift 2
	check_user "$user"
	[[ $uid =~ ^[1-9][0-9]{0,8}$ ]] || die "not a uid: $uid"
	while [ $# -gt 0 ]; do
		case $1 in
			--type) type=$2; shift 2 ;;
			--display) display=$2; shift 2 ;;
			--bus) bus=$2; shift 2 ;;
			--capabilities) capabilities=$2; shift 2 ;;
			--no-recorder) recorder=; shift ;;
			*) die "up: unknown option $1" ;;
		esac
	done
	[[ $type =~ ^(x11|wayland|tty|mir|unspecified)$ ]] || die "up: unknown session type $type"
	[ "$type" != x11 ] || display=${display:-:0}
	[ "$(findmnt -no FSTYPE /)" = overlay ] || die "refusing to add users here: / is not an overlay (run me inside runit-sandbox.sh or systemd-sandbox.sh)"

	if ! getent passwd "$user" >/dev/null; then
		useradd --uid "$uid" --user-group --create-home --shell /bin/sh "$user" || die "useradd $user failed"
	fi
	[ "$(id -u "$user")" = "$uid" ] || die "$user exists with another uid than $uid"
	gid=$(id -g "$user")
	as_user
	S=$BASE/$user
	if [ -e "$S/recorder.pid" ] || [ -e "$S/session.pid" ]; then die "$user is already logged in (down first)"; fi
	rm -rf "$S"
	{ mkdir -p "$S" && install -d -o "$uid" -g "$gid" -m 0755 "$S/recorder"; } || die "cannot create $S"
	runtime=/run/user/$uid

	if [ -d /run/systemd/system ]; then
		# logind registers the session, creates /run/user/UID and starts user@UID with its socket-activated bus
		logind=true
		start_bg session "$PYTHON" "$HERE/logind-session.py" "$uid" "$type" "$display"
		wait_for 30 grep -q '"session"' "$S/session.log" || { cat "$S/session.log" >&2; die "logind did not register a session"; }
		session=$(sed -n 's/.*"session": "\([^"]*\)".*/\1/p' "$S/session.log")
		wait_for 10 test -S "$runtime/bus" # absent without dbus-user-session: then we start one below
	else
		# what login leaves on a machine without logind: the user's runtime directory, the user's bus in it
		mkdir -p /run/user && chmod 0755 /run/user
		install -d -o "$uid" -g "$gid" -m 0700 "$runtime" || die "cannot create $runtime"
	fi
	bus=${bus:-$runtime/bus}
	if [ ! -S "$bus" ]; then
		[ -d "${bus%/*}" ] || install -d -o "$uid" -g "$gid" -m 0700 "${bus%/*}" || die "cannot create ${bus%/*}"
		start_bg dbus "${AS_USER[@]}" dbus-daemon --session --nofork --address="unix:path=$bus"
		wait_for 10 test -S "$bus" || { cat "$S/dbus.log" >&2; die "dbus-daemon did not listen on $bus"; }
	fi

	if [ -n "$recorder" ]; then
		local -a env=(DBUS_SESSION_BUS_ADDRESS="unix:path=$bus" XDG_RUNTIME_DIR="$runtime" XDG_SESSION_TYPE="$type")
		[ -z "$display" ] || env+=(DISPLAY="$display")
		[ "$type" != wayland ] || env+=(WAYLAND_DISPLAY=wayland-0)
		start_bg recorder "${AS_USER[@]}" "${env[@]}" "$PYTHON" "$HERE/notify-recorder.py" --log "$S/recorder/calls.jsonl" \
			--ready "$S/recorder/ready" --delay-file "$S/recorder/delay-ms" --capabilities "$capabilities"
		wait_for 10 test -s "$S/recorder/ready" || { cat "$S/recorder.log" >&2; die "the recorder did not start"; }
	fi
	printf '{"user":"%s","uid":%d,"gid":%d,"type":"%s","display":"%s","runtimeDir":"%s","busAddress":"unix:path=%s",' \
		"$user" "$uid" "$gid" "$type" "$display" "$runtime" "$bus"
	[ -z "$session" ] || session=\"$session\"
	printf '"logind":%s,"session":%s,"recorderPid":%s,"calls":"%s"}\n' "$logind" "${session:-null}" \
		"$(cat "$S/recorder.pid" 2>/dev/null || echo null)" "$S/recorder/calls.jsonl"
}

down() {
	local user=$1
	check_user "$user"
	S=$BASE/$user
	[ -d "$S" ] || return 0
	uid=$(id -u "$user") || die "no user $user"
	stop_bg recorder
	stop_bg dbus
	stop_bg session # closes logind's FIFO: the session ends
	if [ -d /run/systemd/system ]; then
		# the last session gone, logind would stop user@UID (and remove /run/user/UID) only after
		# UserStopDelaySec=10s: a logout as the tests need it is immediate
		loginctl terminate-user "$uid" 2>/dev/null
		wait_for 10 test ! -e "/run/user/$uid/bus" || die "/run/user/$uid/bus still there after logout"
	else
		rm -rf "/run/user/$uid"
	fi
}

case ${1:-} in
	up) [ $# -ge 3 ] || die "usage: $0 up USER UID [options]"; shift; up "$@" ;;
	down) [ $# -eq 2 ] || die "usage: $0 down USER"; down "$2" ;;
	calls) [ $# -eq 2 ] || die "usage: $0 calls USER"; check_user "$2"; cat "$BASE/$2/recorder/calls.jsonl" 2>/dev/null; exit 0 ;;
	delay)
		{ [ $# -eq 3 ] && [[ $3 =~ ^[0-9]+$ ]]; } || die "usage: $0 delay USER MS"
		check_user "$2"
		echo "$3" >"$BASE/$2/recorder/delay-ms" || die "no session for $2" ;;
	*) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 125 ;;
esac
