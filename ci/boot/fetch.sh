# shellcheck shell=bash
# Shared by kernel.sh and busybox.sh (sourced, not run): fetch one Debian package with
# `apt-get download` and unpack it with `dpkg-deb -x`, without installing it (so it
# conflicts with nothing on the host). Needs apt-get and dpkg-deb; no root needed.

cache=${RUNIT_BOOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/runit-go/boot}
mkdir -p "$cache"

# fetch_deb RESOLVE DIR: unpack the package that the command RESOLVE prints into DIR
# (a fresh directory). Stale package lists name a version the mirror no longer has, or
# no version at all: RESOLVE runs again after one `apt-get update`.
fetch_deb() {
	if ! command -v apt-get >/dev/null || ! command -v dpkg-deb >/dev/null; then
		echo "${0##*/}: apt-get and dpkg-deb are needed to fetch Debian's packages" >&2
		return 1
	fi
	local pkg dl
	pkg=$($1 2>/dev/null || true)
	if [ -z "$pkg" ]; then
		apt-get update -qq >&2 || true
		pkg=$($1)
	fi
	[ -n "$pkg" ] || { echo "${0##*/}: cannot resolve the package to fetch ($1)" >&2; return 1; }
	# apt-get download drops privileges to _apt where it can: a directory it can reach
	# and write to (not under root's home) avoids the warning when run as root.
	dl=$(mktemp -d)
	chmod 0777 "$dl"
	if ! (cd "$dl" && apt-get download -q "$pkg" >&2); then
		apt-get update -qq >&2 || true
		pkg=$($1)
		(cd "$dl" && apt-get download -q "$pkg" >&2) || { rm -rf "$dl"; return 1; }
	fi
	rm -rf "$2" && mkdir -p "$2"
	dpkg-deb -x "$dl/${pkg}"_*.deb "$2"
	rm -rf "$dl"
}
