#!/bin/sh
# Install the runit-go .deb into this machine with dpkg -i, start a service through the
# installed tools, stop it cleanly, then purge runit-go and put Debian's runit back.
#   ci/deb-test.sh [runit-go_*.deb]      (default: the newest bin/runit-go_*.deb)
# Run it AFTER `make test`: while runit-go is installed, Debian's C runit (the
# differential reference of the other tests) is not.
#
# runit-go Conflicts with, Replaces and Provides runit (same paths: /usr/bin/sv ...), so
# dpkg -i removes Debian's runit (keeping its conffiles) and runit-run's dependency on
# runit stays satisfied. Afterwards this script purges runit-go, reinstalls the very
# runit .deb that was installed before (fetched with apt-get download before anything
# is changed, so a failed download changes nothing) with --force-confmiss, and restores
# /etc/runit, /etc/sv and /etc/service from a tar taken first. Exit 0 only if every step
# passed and Debian's runit works again.
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
deb=${1:-$(ls -t "$repo"/bin/runit-go_*.deb 2>/dev/null | head -n 1)}
[ -n "$deb" ] && [ -f "$deb" ] || { echo "deb-test: no runit-go .deb (make deb first)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "deb-test: needs root" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive

say() { echo "deb-test: $*"; }
fail() { echo "deb-test: FAIL: $*" >&2; exit 1; }
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

work=$(mktemp -d /tmp/runit-go-deb-test.XXXXXX)
svname=runit-go-deb-test
scan=$work/service

# 1. Before changing anything: what to put back, and a copy of Debian's package.
had_runit=no
if installed runit; then
	had_runit=yes
	ver=$(dpkg-query -W -f='${Version}' runit)
	cached=$(ls /var/cache/apt/archives/runit_"$(echo "$ver" | sed 's/:/%3a/')"_*.deb 2>/dev/null | head -n 1 || true)
	if [ -n "$cached" ]; then
		cp "$cached" "$work/"
	else
		(cd "$work" && apt-get download -qq "runit=$ver" >/dev/null 2>&1) ||
			{ apt-get update -qq >/dev/null 2>&1 && (cd "$work" && apt-get download -qq "runit=$ver" >/dev/null); } ||
			{ rm -rf "$work"; fail "cannot fetch runit $ver to restore it afterwards; nothing changed"; }
	fi
	runit_deb=$(ls "$work"/runit_*.deb)
	say "Debian's runit $ver saved as ${runit_deb##*/}"
fi
keep=""
for p in etc/runit etc/sv etc/service; do
	if [ -e "/$p" ] || [ -L "/$p" ]; then keep="$keep $p"; fi
done
# shellcheck disable=SC2086 # a list of fixed paths
[ -z "$keep" ] || tar -C / -cf "$work/etc.tar" $keep

rsvdir_pid=""
restore() {
	rc=$?
	trap - EXIT INT TERM
	set +e
	[ -n "$rsvdir_pid" ] && kill -HUP "$rsvdir_pid" 2>/dev/null && sleep 1
	rm -rf "/etc/sv/$svname"
	if installed runit-go || dpkg-query -W runit-go >/dev/null 2>&1; then
		dpkg -P --force-depends runit-go >"$work/purge.log" 2>&1 || { cat "$work/purge.log"; rc=1; }
	fi
	if [ "$had_runit" = yes ]; then
		dpkg -i --force-confmiss --force-confold "$runit_deb" >"$work/reinstall.log" 2>&1 ||
			{ cat "$work/reinstall.log"; rc=1; }
		[ -s "$work/etc.tar" ] && tar -C / -xpf "$work/etc.tar"
		if installed runit && [ -x /usr/bin/sv ] && [ -x /usr/bin/runsv ] && dpkg -S /usr/bin/sv | grep -q '^runit:'; then
			say "Debian's runit is back ($(dpkg-query -W -f='${Version}' runit))"
		else
			echo "deb-test: FAIL: Debian's runit was not restored" >&2
			rc=1
		fi
		# Every file of Debian's runit as it shipped it (conffiles included).
		dpkg --verify runit >"$work/verify.log" 2>&1
		[ -s "$work/verify.log" ] && { echo "deb-test: dpkg --verify runit:"; cat "$work/verify.log"; rc=1; }
		dpkg --audit >"$work/audit.log" 2>&1
		[ -s "$work/audit.log" ] && { cat "$work/audit.log"; rc=1; }
	fi
	rm -rf "$work"
	[ "$rc" = 0 ] && say "ok" || echo "deb-test: failed" >&2
	exit "$rc"
}
trap restore EXIT
trap 'exit 1' INT TERM

# 2. Install.
say "dpkg -i ${deb##*/}"
dpkg -i --force-confnew "$deb" >"$work/install.log" 2>&1 || { cat "$work/install.log"; fail "dpkg -i"; }
installed runit-go || fail "runit-go not installed"
for f in /usr/bin/sv /usr/bin/runsv /usr/bin/runsvdir /usr/bin/svlogd /usr/bin/chpst /sbin/runit /usr/sbin/runit-init; do
	dpkg -S "$f" 2>/dev/null | grep -q '^runit-go:' || fail "$f does not belong to runit-go"
done
[ "$(readlink /usr/bin/envdir)" = chpst ] || fail "/usr/bin/envdir is not a link to chpst"
# /sbin/runit is runsvdir's program (one program text for process 1 and the tree), still
# there after dpkg replaced Debian's runit (whose /sbin/runit it is), and runit by that
# name: outside process 1 it says so as runit does.
[ "$(stat -L -c %i /sbin/runit)" = "$(stat -c %i /usr/bin/runsvdir)" ] || fail "/sbin/runit is not runsvdir's program: $(ls -lai /sbin/runit /usr/bin/runsvdir 2>&1)"
out=$(/sbin/runit 2>&1 </dev/null) && fail "/sbin/runit outside process 1 exited 0: $out"
case $out in "- runit: fatal: must be run as process no 1."*) ;; *) fail "/sbin/runit outside process 1 said: $out" ;; esac
[ -x /etc/runit/2 ] || fail "/etc/runit/2 missing"
[ -L /etc/runit/runsvdir/current ] || fail "/etc/runit/runsvdir/current missing"
[ -f /usr/share/man/man8/runsv.8.gz ] || fail "runsv.8.gz missing"
if installed runit-run; then say "runit-run still installed: Provides: runit satisfies it"; fi

# 3. A service started and stopped through the installed tools.
mkdir -p "/etc/sv/$svname" "$scan"
cat >"/etc/sv/$svname/run" <<'EOF'
#!/bin/sh
echo started
exec chpst -b runit-go-deb-test-svc sleep 3600
EOF
mkdir -p "/etc/sv/$svname/log/main"
cat >"/etc/sv/$svname/log/run" <<'EOF'
#!/bin/sh
exec chpst -b runit-go-deb-test-log svlogd -tt ./main
EOF
chmod 755 "/etc/sv/$svname/run" "/etc/sv/$svname/log/run"
ln -s "/etc/sv/$svname" "$scan/$svname"
PATH=/usr/bin:/usr/sbin:/bin:/sbin setsid /usr/bin/runsvdir -P "$scan" </dev/null >"$work/runsvdir.log" 2>&1 &
rsvdir_pid=$!

export SVDIR="$scan"
i=0
until /usr/bin/sv status "$svname" 2>/dev/null | grep -q '^run: '; do
	i=$((i + 1))
	[ $i -le 150 ] || { /usr/bin/sv status "$svname"; cat "$work/runsvdir.log"; fail "service never reached run"; }
	sleep 0.1
done
say "started: $(/usr/bin/sv status "$svname")"
i=0
until grep -q ' started$' "/etc/sv/$svname/log/main/current" 2>/dev/null; do
	i=$((i + 1))
	[ $i -le 100 ] || fail "the service's output never reached svlogd's log/main/current"
	sleep 0.1
done
say "logged through svlogd: $(cat "/etc/sv/$svname/log/main/current")"
pid=$(cat "/etc/sv/$svname/supervise/pid")
[ -n "$pid" ] && kill -0 "$pid" || fail "no service process"
out=$(/usr/bin/sv -w 10 down "$svname") || fail "sv down: $out"
case $out in "ok: down: $svname:"*) ;; *) fail "sv down said: $out" ;; esac
kill -0 "$pid" 2>/dev/null && fail "service process $pid survived sv down"
say "stopped: $out"
out=$(/usr/bin/sv -w 10 exit "$svname") || fail "sv exit: $out"
kill -HUP "$rsvdir_pid"
i=0
while kill -0 "$rsvdir_pid" 2>/dev/null; do
	i=$((i + 1))
	[ $i -le 100 ] || fail "runsvdir did not exit on HUP"
	sleep 0.1
done
wait "$rsvdir_pid" 2>/dev/null || true
rsvdir_pid=""
# Nothing of the tree may be left: no supervisor (runsv, or runsvdir's host process,
# named with the scan directory), no service and no svlogd.
i=0
while pgrep -f "$scan|runit-go-deb-test-" >/dev/null; do
	i=$((i + 1))
	[ $i -le 100 ] || { pgrep -af "$scan|runit-go-deb-test-"; fail "processes left after runsvdir exited"; }
	sleep 0.1
done
say "runsvdir, its supervisors, the service and its logger are gone"
