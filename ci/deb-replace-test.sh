#!/bin/sh
# Install runit-go and runit-go-init over each Debian package they replace, in a scratch
# root with /usr merged, and check that every file of theirs is there afterwards:
#   ci/deb-replace-test.sh BUSYBOX RUNIT_GO_DEB RUNIT_GO_INIT_DEB REPLACED_DEB...
# With /usr merged, /sbin/halt and /usr/sbin/halt are one file to the system and two to
# dpkg, which, removing the package we replace, deletes its /sbin/halt and with it ours
# (found so: runit-go-init over runit-init left no /sbin/init). Maintainer scripts run in
# the scratch root, with busybox for a shell. Prints "deb-replace-test: ok" at the end.
set -u
busybox=$1 main=$2 init=$3
shift 3
fail=0
for replaced in "$@"; do
	name=$(dpkg-deb -f "$replaced" Package)
	root=$(mktemp -d)
	mkdir -p "$root/usr/bin" "$root/usr/sbin" "$root/usr/lib" "$root/var/lib/dpkg/info" \
		"$root/var/lib/dpkg/updates" "$root/tmp" "$root/etc"
	for d in bin sbin lib; do ln -s "usr/$d" "$root/$d"; done
	: >"$root/var/lib/dpkg/status"
	: >"$root/var/lib/dpkg/available"
	cp "$busybox" "$root/usr/bin/busybox"
	for a in sh ln rm mkdir chmod cat test [ true false sed grep readlink; do
		ln -s busybox "$root/usr/bin/$a"
	done
	d="dpkg --root=$root --force-depends --log=/dev/null"
	# Theirs unpacked only: their configure would want their whole system.
	if ! $d --unpack "$replaced" >"$root/tmp/log" 2>&1; then
		echo "deb-replace-test: $name: dpkg --unpack failed:"; cat "$root/tmp/log"; fail=1; rm -rf "$root"; continue
	fi
	if ! $d -i "$main" "$init" >"$root/tmp/log" 2>&1; then
		echo "deb-replace-test: over $name: dpkg -i failed:"; cat "$root/tmp/log"; fail=1; rm -rf "$root"; continue
	fi
	missing=0
	for f in $($d -L runit-go runit-go-init); do
		[ -e "$root$f" ] || [ -L "$root$f" ] || { echo "deb-replace-test: over $name: $f is gone"; missing=1; }
	done
	t=$(readlink -f "$root/sbin/init")
	[ "$t" = "$root/usr/sbin/runit-init" ] || { echo "deb-replace-test: over $name: /sbin/init is ${t#"$root"}"; missing=1; }
	[ $missing = 0 ] && echo "deb-replace-test: over $name: every file there, /sbin/init is runit-init"
	[ $missing = 0 ] || fail=1
	rm -rf "$root"
done
[ $fail = 0 ] && echo "deb-replace-test: ok"
exit $fail
