#!/usr/bin/env bash
# Print the path of a static busybox for the boot test's initramfs, fetching Debian's
# busybox-static with `apt-get download` and unpacking it with `dpkg-deb -x` on first
# use, as kernel.sh does the kernel: it is never installed, so it does not conflict with
# the host's busybox, and the image needs no shared libraries for its shell. Cached in
# $RUNIT_BOOT_CACHE (default ~/.cache/runit-go/boot).
set -euo pipefail
# shellcheck source=fetch.sh source-path=SCRIPTDIR
. "$(dirname "$0")/fetch.sh"
cd "$cache"
if [ -x busybox/bin/busybox ]; then echo "$cache/busybox/bin/busybox"; exit 0; fi
resolve() { echo busybox-static; }
fetch_deb resolve busybox.tmp
# ldd fails on a static binary ("not a dynamic executable").
if ldd busybox.tmp/bin/busybox >/dev/null 2>&1; then
  echo "busybox.sh: busybox-static's busybox is not static" >&2; exit 1
fi
rm -rf busybox.tmp2 && mkdir -p busybox.tmp2/bin && mv busybox.tmp/bin/busybox busybox.tmp2/bin/
rm -rf busybox.tmp busybox && mv busybox.tmp2 busybox
echo "$cache/busybox/bin/busybox"
