#!/bin/sh
# Build the Debian packages from the tools already built in BINDIR, with dpkg-deb:
#   ci/deb.sh [BINDIR [OUTDIR]]        (defaults: bin bin)
#   runit-go       the tools, man pages and the /etc/runit + /etc/sv skeleton, laid
#                  out as Debian's runit package does (PREFIX=/usr). It Provides,
#                  Conflicts with and Replaces runit: same paths, one of them at a time.
#   runit-go-init  /sbin/init -> runit-init, halt, poweroff, reboot, shutdown (the
#                  files of systemd-sysv/sysvinit-core, so it conflicts with those).
# Prints the path of each .deb built. VERSION overrides the version, DEB_COMPRESS the
# compressor (xz by default; the tests use gzip for speed). SV names the sv to package
# instead of BINDIR's: `make deb` builds one with Debian's default service directory,
# /etc/service/, which Debian's scripts rely on (`sv start dbus` without SVDIR).
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
bindir=${1:-bin} outdir=${2:-bin}
command -v dpkg-deb >/dev/null || { echo "deb: dpkg-deb not found (apt-get install dpkg)" >&2; exit 1; }

if [ -z "${VERSION:-}" ]; then
	VERSION=0.1.0
	if rev=$(git rev-parse --short HEAD 2>/dev/null); then
		VERSION=$VERSION~git$(git log -1 --format=%cd --date=format:%Y%m%d 2>/dev/null).$rev
	fi
fi
goarch=$(go env GOARCH 2>/dev/null || dpkg --print-architecture)
case $goarch in
386) arch=i386 ;;
arm) arch=armhf ;;
ppc64le) arch=ppc64el ;;
*) arch=$goarch ;;
esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
main=$work/runit-go init=$work/runit-go-init
mkdir -p "$main" "$init/usr/sbin" "$init/usr/share/man/man8"

SYSCONFDIR=/etc INSTALL_ETC=yes "$repo/ci/install.sh" "$main" /usr "$bindir" >/dev/null
if [ -n "${SV:-}" ]; then
	install -m 755 "$SV" "$main/usr/bin/sv"
fi

# Debian's zsh looks for packaged completions in vendor-completions, not site-functions.
mkdir -p "$main/usr/share/zsh/vendor-completions"
mv "$main/usr/share/zsh/site-functions/_sv" "$main/usr/share/zsh/vendor-completions/_sv"
rmdir "$main/usr/share/zsh/site-functions"

# runit is runsvdir's program (install.sh's hard link), and in the package it is /sbin/runit,
# the path Debian's runit ships it under: with /usr merged, /sbin/runit and /usr/sbin/runit
# are one file to the system but two to dpkg, which, replacing runit, removed runit's
# /sbin/runit and with it ours. A symbolic link across top-level directories is absolute.
rm -f "$main/usr/sbin/runit"
mkdir -p "$main/sbin"
ln -s /usr/bin/runsvdir "$main/sbin/runit"

# The SysV-style commands and their pages go to runit-go-init. In /usr/sbin they are
# symbolic links (to runit-init, and to the programs in /usr/lib/runit-go), which its
# postinst makes again when they are missing: the packages it replaces (runit-init,
# systemd-sysv, sysvinit-core) ship the same names under /sbin, one file with /usr merged
# but two to dpkg, which deletes the replaced package's /sbin/halt, and with it ours.
mkdir -p "$init/usr/lib/runit-go"
for f in halt shutdown; do
	mv "$main/usr/sbin/$f" "$init/usr/lib/runit-go/$f"
done
for f in halt reboot poweroff shutdown; do
	rm -f "$main/usr/sbin/$f"
	mv "$main/usr/share/man/man8/$f.8" "$init/usr/share/man/man8/$f.8"
done
while read -r f target; do
	ln -s "$target" "$init/usr/sbin/$f"
done <pkg/debian/links-init

# State, not files: postinst creates these links; the getty is enabled by the admin.
# (Debian's runit has single/sulogin as a directory: a packaged link there would clash.)
rm -f "$main/etc/service" "$main/etc/runit/runsvdir/current" \
	"$main/etc/runit/runsvdir/default/getty-tty1" "$main/etc/runit/runsvdir/single/sulogin"

# Debian compresses man pages; a link to a page becomes a link to the compressed page.
for root in "$main" "$init"; do
	for p in "$root"/usr/share/man/man8/*.8; do
		if [ -L "$p" ]; then
			t=$(readlink "$p")
			rm -f "$p"
			ln -s "$t.gz" "$p.gz"
		else
			gzip -9n "$p"
		fi
	done
done

control() { # control ROOT TEMPLATE
	mkdir -p "$1/DEBIAN"
	size=$(du -sk --exclude=DEBIAN "$1" | cut -f1)
	sed -e "s/@VERSION@/$VERSION/g" -e "s/@ARCH@/$arch/g" -e "s/@SIZE@/$size/g" \
		"$2" >"$1/DEBIAN/control"
	(cd "$1" && find usr -type f -exec md5sum {} + | sort -k2) >"$1/DEBIAN/md5sums"
}
control "$main" pkg/debian/control
control "$init" pkg/debian/control-init
(cd "$main" && find etc -type f | sed 's|^|/|' | sort) >"$main/DEBIAN/conffiles"
install -m 755 pkg/debian/postinst pkg/debian/postrm "$main/DEBIAN/"
sed "/@LINKS@/{
r pkg/debian/links-init
d
}" pkg/debian/postinst-init >"$init/DEBIAN/postinst"
chmod 755 "$init/DEBIAN/postinst"

mkdir -p "$outdir"
for p in runit-go runit-go-init; do
	deb=$outdir/${p}_${VERSION}_$arch.deb
	dpkg-deb --root-owner-group "-Z${DEB_COMPRESS:-xz}" --build "$work/$p" "$deb" >/dev/null
	echo "$deb"
done
