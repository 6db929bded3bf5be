#!/usr/bin/env bash
# Install what the test suite needs from Debian's packages: C runit (the differential
# reference) and the tools later suites use. Idempotent; quiet when done before.
set -euo pipefail
# runit: the differential reference; qemu-system-x86, cpio: the boot test; mandoc: man lint;
# libxml2-utils, shellcheck: the glue checks; util-linux: unshare, setpriv, last.
# The daemons of Debian's runit-services that install cheaply (e2e/distro_test.go runs
# them under both runits): dbus, cron, rsyslog, chrony, haveged, at, anacron, acpi-fakekey;
# psmisc gives fuser, which default-syslog's check uses; iproute2 brings loopback up.
# zsh, fish, bash-completion: the shells the completion test drives (lint/completion_test.go).
# podman, runc: the container engine of e2e/container_test.go (runc, since crun refuses
# a hybrid cgroup hierarchy; see ci/container/podman); tini, catatonit: the init shims
# put in front of runit there; podman-compose runs the Compose example.
pkgs="runit man-db mandoc qemu-system-x86 cpio libxml2-utils shellcheck util-linux
  dbus cron rsyslog chrony haveged at anacron acpi-fakekey psmisc iproute2
  zsh fish bash-completion podman runc tini catatonit podman-compose"
[ "$(id -u)" = 0 ] || { echo "deps: not root; skipping package installs (tests that need them will skip)"; exit 0; }
command -v apt-get >/dev/null || { echo "deps: no apt-get; skipping"; exit 0; }
missing=""
for p in $pkgs ${EXTRA_PKGS:-}; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && { echo "deps: all present"; exit 0; }
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# The daemons must not start on this machine: policy-rc.d answers 101 (action forbidden)
# to their maintainer scripts while they install, and goes again unless it was there.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy"
  trap 'rm -f "$policy"' EXIT
fi
# --no-install-recommends: runit recommends runit-run, which would take over /sbin/init.
apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "deps: installed$missing"
