#!/usr/bin/env bash
# Print the directory holding Debian's runit-services and runit packages unpacked, each in
# its own root (runit-services/ and runit/), for e2e/distro_test.go. They are fetched with
# `apt-get download` and unpacked with `dpkg-deb -x`, never installed: nothing on this
# machine (its /etc/sv, /etc/service, /usr/bin/sv) changes, and nothing of them is kept
# in the repository. Cached in $RUNIT_DISTRO_CACHE (default ~/.cache/runit-go/distro);
# each root's VERSION file names the package version unpacked.
set -euo pipefail
# shellcheck source=boot/fetch.sh source-path=SCRIPTDIR
. "$(dirname "$0")/boot/fetch.sh"
dir=${RUNIT_DISTRO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/runit-go/distro}
mkdir -p "$dir"
cd "$dir"
# fetch_deb's own variable is pkg: the name to fetch is in name.
for name in runit-services runit; do
  [ -s "$name/VERSION" ] && continue
  resolve() { echo "$name"; }
  fetch_deb resolve "$name.tmp"
  apt-cache show --no-all-versions "$name" | sed -n 's/^Version: //p' >"$name.tmp/VERSION"
  rm -rf "$name" && mv "$name.tmp" "$name"
done
echo "$dir"
