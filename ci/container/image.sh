#!/usr/bin/env bash
# Build the container example's image from scratch, without a registry: our static tools
# from bin/ (make build), Debian's busybox-static for /bin/sh and the small tools the
# scripts use (fetched as the boot test does, never installed), and examples/container/etc.
# The tarball is imported into podman under TAG (default localhost/runit-go-example).
#   make build && ci/container/image.sh [--test] [TAG]
# --test adds what e2e/container_test.go needs beside the example: services that start
# down (orphans: 300 orphaned children; deaf: ignores SIGTERM), tini and catatonit (the
# host's static binaries from Debian's tini and catatonit packages) and C runit as
# /sbin/runit-c with the shared libraries it needs (from Debian's runit package).
# Prints the image ID.
set -euo pipefail
cd "$(dirname "$0")/../.."
test=false
[ "${1:-}" = --test ] && { test=true; shift; }
tag=${1:-localhost/runit-go-example}
engine=ci/container/podman

bin=${BIN:-bin} # BIN: where the built tools are (the e2e test builds its own)
for b in runit runit-init runsvdir runsv sv svlogd chpst; do
	[ -x "$bin/$b" ] || { echo "image.sh: $bin/$b missing: run make build first" >&2; exit 1; }
done
busybox=$(ci/boot/busybox.sh)

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,run/runit}
# /run/runit is where the services' supervise/ symlinks point: sticky and writable by all
# like /tmp, so that a non-root process 1 (--user) can supervise; a read-only root gets a
# tmpfs at /run, where stage 1 makes it again.
chmod 1777 "$root/tmp" "$root/run/runit"
cp "$busybox" "$root/bin/busybox"
# Every busybox applet but the ones runit provides (ours are in /usr/bin and /sbin).
for a in $("$busybox" --list); do
	case $a in busybox | runsv | runsvdir | sv | svlogd | chpst | svc | svok | init | linuxrc) continue ;; esac
	[ -e "$root/bin/$a" ] || ln -s busybox "$root/bin/$a"
done
cp "$bin/runit-init" "$root/sbin/"
cp "$bin"/{runsvdir,runsv,sv,svlogd,chpst} "$root/usr/bin/"
# runsvdir's program is also runit (by that name): process 1, runsvdir, its host and the
# logger pool then map one program text, 1.8 MB less than with runit's own (make bench).
ln "$root/usr/bin/runsvdir" "$root/sbin/runit"
cp -a examples/container/etc/. "$root/etc/"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"

if $test; then
	for p in /usr/bin/tini-static /usr/bin/catatonit /sbin/runit; do
		[ -x "$p" ] || { echo "image.sh: $p missing (ci/deps.sh installs tini, catatonit, runit)" >&2; exit 1; }
	done
	cp /usr/bin/tini-static "$root/sbin/tini"
	cp /usr/bin/catatonit "$root/sbin/catatonit"
	cp /sbin/runit "$root/sbin/runit-c"
	# C runit is linked dynamically: its libraries, at the paths the loader looks at.
	for lib in $(ldd /sbin/runit | grep -o '/[^ ]*'); do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
	# The test's services (ci/container/services), each down until `sv up`.
	for d in ci/container/services/*/; do
		n=$(basename "$d")
		cp -a "$d" "$root/etc/service/$n"
		: >"$root/etc/service/$n/down"
		ln -s "/run/runit/supervise.$n" "$root/etc/service/$n/supervise"
	done
fi

tar -C "$root" --numeric-owner --owner=0 --group=0 -cf "$root.tar" .
trap 'rm -rf "$root" "$root.tar"' EXIT
# The entry point is runit itself, not runit-init: the same as process 1, and under an
# init shim (--init) runit-init would act as telinit ("usage: runit-init 0|6").
"$engine" import -q \
	--change 'ENTRYPOINT ["/sbin/runit"]' \
	--change 'ENV PATH=/usr/bin:/bin:/usr/sbin:/sbin' \
	--change 'ENV SVDIR=/etc/service' \
	--change 'STOPSIGNAL SIGTERM' \
	"$root.tar" "$tag"
