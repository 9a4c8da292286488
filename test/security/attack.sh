#!/bin/sh
# The jobs of the attack suite (test/security/runit-attacks.test.ts, systemd-attacks.test.ts): each runs as its
# service's own, unprivileged user and tries to get root to do something for it. Installed as
# /usr/local/bin/pvpn-attack in the sandbox. Nothing here needs to succeed: the tests check the canaries.
case ${1-} in
nest)
	# Swap the nested directory for a link to a root-owned directory and exit: runsv (or systemd) restarts the
	# service, and root prepares the service's directories again. Keep swapping in the background meanwhile, to
	# race root's checks.
	dir=$2
	rm -rf "$dir/cache"
	ln -s /etc/pvpn-canary-dir "$dir/cache"
	(
		i=0
		while [ "$i" -lt 400 ]; do
			rm -rf "$dir/cache" 2>/dev/null
			ln -s /etc/pvpn-canary-dir "$dir/cache" 2>/dev/null
			rm -f "$dir/cache" 2>/dev/null
			mkdir "$dir/cache" 2>/dev/null
			ln -s /etc/pvpn-canary-dir "$dir/cache/inner" 2>/dev/null
			i=$((i + 1))
		done
	) >/dev/null 2>&1 &
	# up long enough for `sv restart` (a reinstall) to see it running
	sleep 2
	exit 1
	;;
stubborn)
	# Ignore the TERM that stopping sends, for ever: stopping must still end it (runit: sv force-stop kills it after
	# its wait), or it would hold the uninstall and its runsv
	trap '' TERM
	while :; do sleep 1; done
	;;
preload)
	# the spec's or the environment file's LD_PRELOAD: loaded by this job (its own business), never by root
	exit 0
	;;
secret)
	# what the job was handed; and, where the admin let this user change the secret's directory, the secret
	# swapped for a link to /etc/shadow, for root to copy at the next start
	cat "$CREDENTIALS_DIRECTORY/token" >"/tmp/atk-seen/$(date +%s%N)" 2>&1
	if [ -w /etc/atk-secret ]; then
		ln -sf /etc/shadow /etc/atk-secret/token.new && mv -f /etc/atk-secret/token.new /etc/atk-secret/token
	fi
	exit 0
	;;
chatter)
	# enough output for svlogd to rotate on every run
	head -c 12000 /dev/zero | tr '\0' x | fold -w 100
	exit 0
	;;
forge)
	# lines that look like the run script's own, and terminal escapes (title, clear screen), then a failure
	printf 'pvpn-gen: run finished status=0 seconds=1\n'
	printf 'pvpn-gen: run started\n'
	printf '\033]0;owned\007\033[2J\033[31mred\033[0m\n'
	exit 3
	;;
*)
	echo "pvpn-attack: unknown attack ${1-}" >&2
	exit 2
	;;
esac
