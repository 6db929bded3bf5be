#!/bin/sh
# Install runit-go the way runit's distribution packages lay it out.
#   ci/install.sh DESTDIR PREFIX BINDIR      (the Makefile's `make install`)
# Tools:  PREFIX/sbin  runit runit-init runsvchdir utmpset halt reboot poweroff shutdown
#         (runit a hard link to PREFIX/bin/runsvdir where both share a file system)
#         PREFIX/bin   runsvdir runsv sv svlogd chpst (+ personalities) pause
#         reboot/poweroff -> halt and envdir envuidgid pgrphack setuidgid softlimit
#         setlock -> chpst are relative symlinks (the tools pick their role by name).
# Man:    PREFIX/share/man/man8 (every page of docs/man).
# Shell completion for sv, where each shell looks under PREFIX/share: bash-completion's
#         bash-completion/completions/sv, zsh's zsh/site-functions/_sv, fish's
#         fish/vendor_completions.d/sv.fish.
# etc:    DESTDIR$SYSCONFDIR (default /etc) gets the /etc/runit + /etc/sv skeleton of
#         etc/. A file that already exists there is never overwritten (so a
#         `make install` on a running system keeps its stage scripts); set
#         INSTALL_ETC=no to skip the skeleton entirely.
# Every tool of the list must be in BINDIR: a missing one is an error (reported after
# installing the rest). It installs the tools as built: sv's default service directory
# is chosen when building (make install SVDIR_DEFAULT=/var/service/).
set -eu

[ $# -eq 3 ] || { echo "usage: ci/install.sh DESTDIR PREFIX BINDIR" >&2; exit 2; }
destdir=$1 prefix=$2 bindir=$3
repo=$(cd "$(dirname "$0")/.." && pwd)
sysconfdir=${SYSCONFDIR:-/etc}

sbin_tools="runit runit-init runsvchdir utmpset halt shutdown"
bin_tools="runsvdir runsv sv svlogd chpst pause"
chpst_links="envdir envuidgid pgrphack setuidgid softlimit setlock"
halt_links="reboot poweroff"

root=$destdir$prefix
sbin=$root/sbin bin=$root/bin man8=$root/share/man/man8
mkdir -p "$sbin" "$bin" "$man8"

missing=""
put() { # put TOOL DIR
	if [ -f "$bindir/$1" ]; then
		cp "$bindir/$1" "$2/$1.tmp" && chmod 755 "$2/$1.tmp" && mv -f "$2/$1.tmp" "$2/$1"
	else
		missing="$missing $1"
	fi
}
link() { # link NAME TARGET DIR: DIR/NAME -> TARGET (relative)
	rm -f "$3/$1"
	ln -s "$2" "$3/$1"
}

for t in $sbin_tools; do put "$t" "$sbin"; done
for t in $bin_tools; do put "$t" "$bin"; done
# runit is a hard link to runsvdir's program, which is runit when started by that name:
# process 1 then maps the program text that runsvdir, its host and the logger pool map,
# where a program of its own would take its own (about 2 MB). Where the two directories
# are on different file systems, runit stays the copy put installed.
if [ -f "$bindir/runit" ] && [ -f "$bindir/runsvdir" ]; then
	if ln -f "$bin/runsvdir" "$sbin/runit.tmp" 2>/dev/null; then
		mv -f "$sbin/runit.tmp" "$sbin/runit"
	fi
fi
for l in $chpst_links; do link "$l" chpst "$bin"; done
for l in $halt_links; do link "$l" halt "$sbin"; done

for page in "$repo"/docs/man/*.8; do
	[ -f "$page" ] || continue
	rm -f "$man8/${page##*/}"
	cp "$page" "$man8/" && chmod 644 "$man8/${page##*/}"
done
for l in $halt_links; do link "$l.8" halt.8 "$man8"; done

share=$root/share
for c in sv.bash:bash-completion/completions/sv _sv:zsh/site-functions/_sv \
	sv.fish:fish/vendor_completions.d/sv.fish; do
	dst=$share/${c#*:}
	mkdir -p "${dst%/*}"
	rm -f "$dst"
	cp "$repo/completions/${c%%:*}" "$dst" && chmod 644 "$dst"
done

# The skeleton: walk etc/ and recreate directories, files (with their modes) and
# symlinks (with their targets as written), leaving existing files alone.
if [ "${INSTALL_ETC:-yes}" != no ]; then
	etc=$destdir$sysconfdir
	mkdir -p "$etc"
	(cd "$repo/etc" && find . -mindepth 1 | sort) | while IFS= read -r rel; do
		src=$repo/etc/$rel dst=$etc/${rel#./}
		if [ -L "$src" ]; then
			[ -e "$dst" ] || [ -L "$dst" ] || ln -s "$(readlink "$src")" "$dst"
		elif [ -d "$src" ]; then
			mkdir -p "$dst"
		elif [ -e "$dst" ] || [ -L "$dst" ]; then
			echo "install: keeping existing $dst"
		else
			cp "$src" "$dst"
			if [ -x "$src" ]; then chmod 755 "$dst"; else chmod 644 "$dst"; fi
		fi
	done
fi

if [ -n "$missing" ]; then
	echo "install: not built, so not installed:$missing" >&2
	exit 1
fi
echo "install: done: tools in $root, etc skeleton in $destdir$sysconfdir"
