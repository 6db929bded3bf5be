#!/usr/bin/env bash
# Print the path of a Linux kernel (bzImage) to boot under QEMU, fetching Debian's
# linux-image-amd64 (the metapackage's current kernel package) with `apt-get download`
# and unpacking it with `dpkg-deb -x` on first use. Cached in $RUNIT_BOOT_CACHE
# (default ~/.cache/runit-go/boot). Needs apt-get and dpkg-deb; no root needed.
set -euo pipefail
cache=${RUNIT_BOOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/runit-go/boot}
mkdir -p "$cache"
cd "$cache"
found=$(ls -1 kernel/boot/vmlinuz-* 2>/dev/null | head -n1 || true)
if [ -n "$found" ]; then echo "$cache/$found"; exit 0; fi
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || {
  echo "kernel.sh: apt-get and dpkg-deb are needed to fetch Debian's kernel" >&2; exit 1; }
# linux-image-amd64 only depends on the versioned package that holds the kernel.
pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
if [ -z "$pkg" ]; then
  apt-get update -qq >&2 || true
  pkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
fi
[ -n "$pkg" ] || { echo "kernel.sh: cannot resolve linux-image-amd64" >&2; exit 1; }
rm -rf dl && mkdir dl
# apt-get download drops privileges to _apt where it can; a directory it can write to
# avoids the warning when run as root.
chmod 0777 dl
# Stale package lists name a version the mirror no longer has: refresh them once.
if ! (cd dl && apt-get download -q "$pkg" >&2); then
  apt-get update -qq >&2 || true
  pkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
  (cd dl && apt-get download -q "$pkg" >&2)
fi
rm -rf kernel.tmp && mkdir kernel.tmp
dpkg-deb -x dl/"$pkg"_*.deb kernel.tmp
# Keep only /boot: the modules are not needed, everything we use is built in.
mkdir -p kernel.tmp2 && mv kernel.tmp/boot kernel.tmp2/ && rm -rf kernel.tmp dl kernel
mv kernel.tmp2 kernel
echo "$cache/$(ls -1 kernel/boot/vmlinuz-* | head -n1)"
