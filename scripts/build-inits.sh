#!/usr/bin/env bash
# Builds the init systems Debian 12 lacks (or has too old) into PREFIX (default $PVPN_INITS, else /opt/pvpn-inits),
# from the upstream release tarballs in SRC (default ../shared/inits beside the checkout; PVPN_INITS_SRC names
# another): dinit, OpenRC and s6-rc (against Debian's s6, skalibs and execline). The test machines of
# test/harness/{dinit,s6,openrc}-sandbox.sh run them as PID 1.
#
#   scripts/build-inits.sh [PREFIX]        as root; run it again any time
#
# Idempotent: each of the three is built only when PREFIX lacks it, holds another version than SRC's tarball, or
# holds OpenRC's broken build (below); a complete, correct PREFIX costs a few file checks and no apt-get.
# The Debian build packages are installed with apt-get when missing. Nothing lands outside PREFIX but them.
#
# OpenRC must be configured with --sysconfdir=/etc and --bindir=bin (see test/harness/inits-facts.md): under a
# non-/usr prefix meson's default sysconfdir is the RELATIVE "etc", compiled in as is, so OpenRC resolves
# etc/init.d against its working directory (started services recorded as a dead link "etc/init.d/NAME", depend()
# never read), and the default bindir /bin put rc-status into the host's /usr/bin. It is staged with DESTDIR and
# its /etc part kept in PREFIX/etc, where the sandbox copies the stock scripts from.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
PREFIX=${1:-${PVPN_INITS:-/opt/pvpn-inits}}
SRC=${PVPN_INITS_SRC:-$REPO/../shared/inits}
BUILD_DEPS=(g++ make m4 meson ninja-build pkg-config libcap-dev skalibs-dev libs6-dev libexecline-dev s6 execline)

say() { printf 'build-inits: %s\n' "$*"; }
die() { printf 'build-inits: %s\n' "$*" >&2; exit 1; }

[[ $PREFIX == /* ]] || die "PREFIX must be an absolute path: $PREFIX"
# the one tarball of NAME in SRC, e.g. SRC/dinit-0.22.0.tar.gz
tarball() {
	local found=("$SRC/$1"-[0-9]*.tar.gz)
	if [ ${#found[@]} != 1 ] || [ ! -f "${found[0]}" ]; then die "expected one $1-VERSION.tar.gz in $SRC, found: ${found[*]}"; fi
	printf '%s\n' "${found[0]}"
}
version_of() { local t=${1##*/}; t=${t%.tar.gz}; printf '%s\n' "${t##*-}"; }

DINIT_TAR=$(tarball dinit)
OPENRC_TAR=$(tarball openrc)
S6RC_TAR=$(tarball s6-rc)

# Each *_ok says whether PREFIX holds a complete build of the tarball's version.
dinit_ok() {
	[ -x "$PREFIX/bin/dinit" ] && [ -x "$PREFIX/bin/dinitctl" ] && [ -x "$PREFIX/bin/dinit-check" ] &&
		[ "$("$PREFIX/bin/dinit" --version 2>/dev/null | head -n 1)" = "Dinit version $(version_of "$DINIT_TAR")." ]
}
s6rc_ok() {
	local f
	for f in s6-rc s6-rc-compile s6-rc-init s6-rc-update s6-rc-db s6-rc-bundle s6-rc-dryrun; do [ -x "$PREFIX/bin/$f" ] || return 1; done
	grep -qxF "#define S6RC_VERSION \"$(version_of "$S6RC_TAR")\"" "$PREFIX/include/s6-rc/config.h" 2>/dev/null
}
openrc_ok() {
	local f
	for f in sbin/openrc sbin/openrc-init sbin/openrc-run sbin/rc-service sbin/rc-update sbin/supervise-daemon \
		sbin/start-stop-daemon bin/rc-status libexec/rc/bin/supervise-daemon libexec/rc/bin/start-stop-daemon; do
		[ -x "$PREFIX/$f" ] || return 1
	done
	[ -f "$PREFIX/etc/rc.conf" ] && [ -d "$PREFIX/etc/init.d" ] && [ -d "$PREFIX/etc/conf.d" ] || return 1
	# the broken build's gendepends.sh reads "etc/rc.conf" (relative); a right one reads /etc/rc.conf
	grep -qF '[ -e /etc/rc.conf ]' "$PREFIX/libexec/rc/sh/gendepends.sh" || return 1
	[[ $("$PREFIX/sbin/openrc" --version 2>/dev/null) == *" $(version_of "$OPENRC_TAR")" ]]
}

# The broken build's rc-status in the host's /usr/bin (or /bin): no package owns it and it loads PREFIX's librc.
remove_stray_rc_status() {
	local f
	[ "$(id -u)" = 0 ] || return 0
	for f in /usr/bin/rc-status /bin/rc-status; do
		if [ ! -f "$f" ] || [ -L "$f" ]; then continue; fi
		dpkg -S "$f" >/dev/null 2>&1 && continue
		grep -qaF "$PREFIX/lib" "$f" || continue
		rm -f "$f" && say "removed $f, left in the host's bin by an earlier OpenRC build"
	done
}

# Another build of the same PREFIX (a second session, a second CI job) waits for this one.
mkdir -p "$PREFIX"
exec 9<"$PREFIX"
flock 9
remove_stray_rc_status

todo=()
dinit_ok || todo+=(dinit)
openrc_ok || todo+=(openrc)
s6rc_ok || todo+=(s6-rc)
if [ ${#todo[@]} = 0 ]; then
	say "dinit $(version_of "$DINIT_TAR"), OpenRC $(version_of "$OPENRC_TAR") and s6-rc $(version_of "$S6RC_TAR") are built in $PREFIX"
	exit 0
fi
say "building ${todo[*]} into $PREFIX"

export DEBIAN_FRONTEND=noninteractive
missing=()
for p in "${BUILD_DEPS[@]}"; do
	[ "$(dpkg-query -W -f '${db:Status-Status}' "$p" 2>/dev/null)" = installed ] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	[ "$(id -u)" = 0 ] || die "the build needs these Debian packages: run as root, or apt-get install ${missing[*]}"
	say "installing the build packages ${missing[*]}"
	# DPkg::Lock::Timeout: wait for another apt run (other sessions, npm test's setup) instead of failing
	apt-get -o DPkg::Lock::Timeout=600 -qq update
	apt-get -o DPkg::Lock::Timeout=600 -qq install -y --no-install-recommends "${missing[@]}" >/dev/null
fi

W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
JOBS=$(nproc)

# Each build_* is one && chain: it runs as the condition of an `if`, where set -e does not act.
build_dinit() {
	local d=$W/dinit
	mkdir "$d" && tar xzf "$DINIT_TAR" -C "$d" --strip-components=1 && cd "$d" &&
		./configure --prefix="$PREFIX" --mandir="$PREFIX/share/man" && make -j"$JOBS" && make install
}

build_openrc() {
	local d=$W/openrc
	mkdir "$d" && tar xzf "$OPENRC_TAR" -C "$d" --strip-components=1 && cd "$d" &&
		# the runlevel links point at /etc/init.d of the machine; the sandbox makes its own runlevels
		sed -i "s/^subdir('runlevels')/# &/" meson.build &&
		meson setup build --prefix="$PREFIX" --sbindir=sbin --bindir=bin --libexecdir=libexec --libdir=lib \
			--sysconfdir=/etc -Dpam=false -Dselinux=disabled -Daudit=disabled -Dbash-completions=false \
			-Dzsh-completions=false -Dc_link_args="-Wl,-rpath,$PREFIX/lib" --buildtype=release &&
		ninja -C build && DESTDIR="$W/stage" ninja -C build install &&
		test -d "$W/stage$PREFIX" && test -f "$W/stage/etc/rc.conf" &&
		cp -a "$W/stage$PREFIX/." "$PREFIX/" &&
		# PREFIX/etc holds only OpenRC's /etc (init.d, conf.d, rc.conf...): the old build's copy goes
		rm -rf "${PREFIX:?}/etc" && cp -a "$W/stage/etc" "$PREFIX/etc" &&
		# openrc-run puts PREFIX/libexec/rc/bin first on PATH and finds its supervisors there
		ln -sfn "$PREFIX/sbin/supervise-daemon" "$PREFIX/libexec/rc/bin/supervise-daemon" &&
		ln -sfn "$PREFIX/sbin/start-stop-daemon" "$PREFIX/libexec/rc/bin/start-stop-daemon"
}

build_s6rc() {
	local d=$W/s6-rc sysdeps
	# skalibs' sysdeps directory (the first path through it; grep reads all: no SIGPIPE under pipefail)
	sysdeps=$(dpkg -L skalibs-dev | grep '/sysdeps/') && sysdeps=${sysdeps%%$'\n'*} &&
		mkdir "$d" && tar xzf "$S6RC_TAR" -C "$d" --strip-components=1 && cd "$d" &&
		./configure --prefix="$PREFIX" --with-sysdeps="${sysdeps%/*}" && make -j"$JOBS" && make install
}

for name in "${todo[@]}"; do
	started=$SECONDS
	# the compilers' output only when it failed
	if ! (cd "$W" && "build_${name//-/}") >"$W/$name.log" 2>&1; then
		tail -n 40 "$W/$name.log" >&2
		die "$name: the build failed (the end of its output above)"
	fi
	"${name//-/}_ok" || die "$name: the build finished, but $PREFIX does not hold a complete $name"
	say "$name built ($((SECONDS - started)) s)"
done
remove_stray_rc_status
say "dinit, OpenRC and s6-rc are in $PREFIX: bin/ (dinit, dinitctl, rc-status, s6-rc...), sbin/ (openrc-init, openrc-run, supervise-daemon...)"
