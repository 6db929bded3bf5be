#!/usr/bin/env bash
# Print the path of a Linux kernel (bzImage) to boot under QEMU, fetching Debian's
# linux-image-amd64 (the metapackage's current kernel package) with `apt-get download`
# and unpacking it with `dpkg-deb -x` on first use. Cached in $RUNIT_BOOT_CACHE
# (default ~/.cache/runit-go/boot). Needs apt-get and dpkg-deb; no root needed.
set -euo pipefail
# shellcheck source=fetch.sh source-path=SCRIPTDIR
. "$(dirname "$0")/fetch.sh"
cd "$cache"
found=$(ls -1 kernel/boot/vmlinuz-* 2>/dev/null | head -n1 || true)
if [ -n "$found" ]; then echo "$cache/$found"; exit 0; fi
# linux-image-amd64 only depends on the versioned package that holds the kernel.
resolve() { apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}'; }
fetch_deb resolve kernel.tmp
# Keep only /boot: the modules are not needed, everything we use is built in.
rm -rf kernel.tmp2 && mkdir kernel.tmp2 && mv kernel.tmp/boot kernel.tmp2/ && rm -rf kernel.tmp kernel
mv kernel.tmp2 kernel
echo "$cache/$(ls -1 kernel/boot/vmlinuz-* | head -n1)"
