#!/usr/bin/env bash
# Pack a gzip'd newc initramfs that boots runit as init, in one of two ways:
#   initramfs.sh OUT NAME=PATH...
#     NAME is one of runit runit-init runsvdir runsv sv svlogd chpst halt shutdown pause
#     and PATH the binary to install for it (ours, static; or Debian's C one, whose
#     shared libraries are copied in with it). /sbin/init is runit-init, which execs
#     /sbin/runit. Small stage scripts written here; services a; b with a log/ service
#     running svlogd; "oneshot" kept up by pause when pause is given; a "driver".
#   initramfs.sh --installed BINDIR OUT
#     What users get: `make install` (ci/install.sh DESTDIR=image PREFIX=/usr, the
#     Debian layout, merged /usr) of the tools in BINDIR with the etc/ skeleton, its
#     stage scripts, runlevels and /etc/service as they are, and /usr/sbin/init ->
#     runit-init as runit-go-init ships it. The test adds only a service "hello" in
#     /etc/sv enabled in the default runlevel, the driver there too (which turns on the
#     kernel's trace of the system calls whose failures stage 3 silences), an
#     /etc/hostname, /etc/fstab and a core-services fragment (ci/boot/installed.sh).
# The shell and the commands the scripts use are Debian's busybox-static (fetched by
# busybox.sh; BUSYBOX overrides, static only) as applet links. The stage scripts and
# services print lines starting "BOOT:" on the console for the host to read. The
# driver's action comes from the kernel command line,
# bootmode=cad|init0|init6|shutdown-r|none; the first form's stages 2 and 3 end in the
# command lines of bootdistro=debian (the default)|void|lfs (runit-for-lfs).
# Needs root (device nodes), cpio and gzip.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
installed=""
if [ "${1:-}" = --installed ]; then installed=$2; shift 2; fi
out=$1; shift
bb=${BUSYBOX:-$("$here/busybox.sh")}
# ldd fails on a static binary ("not a dynamic executable").
is_static() { ! ldd "$1" >/dev/null 2>&1; }
is_static "$bb" || { echo "initramfs.sh: $bb is not static (Debian's busybox-static is)" >&2; exit 1; }
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
copylibs() { # the shared libraries a dynamic binary needs, where the loader looks
  ldd "$1" 2>/dev/null | awk '/=> \// {print $3} /^\t\/lib/ {print $1}' | while read -r l; do
    mkdir -p "$root$(dirname "$l")"
    cp -L "$l" "$root$l"
  done
}
script() { cat > "$root$1"; chmod 755 "$root$1"; }
pack() {
  (cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -1) > "$out.tmp"
  mv "$out.tmp" "$out"
}

if [ -n "$installed" ]; then
  # shellcheck source=installed.sh source-path=SCRIPTDIR
  . "$here/installed.sh"
  pack
  exit 0
fi

mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc/runit,etc/service,dev,proc,sys,run,tmp,var/log,lib64,lib/x86_64-linux-gnu}
cp "$bb" "$root/bin/busybox"
for a in sh ash cat echo mount mkdir sleep ls ps kill grep sed awk cut tr uptime date true false \
         test [ head tail mknod chmod rm touch readlink sync ln wc env tty stat; do
  ln -s busybox "$root/bin/$a"
done
mknod -m 600 "$root/dev/console" c 5 1
mknod -m 666 "$root/dev/null" c 1 3

install_bin() { # NAME PATH DEST
  cp "$2" "$root$3"; chmod 755 "$root$3"
  is_static "$2" || copylibs "$2"
}
for kv in "$@"; do
  n=${kv%%=*} p=${kv#*=}
  case $n in
    runit)      install_bin "$n" "$p" /sbin/runit ;;
    runit-init) install_bin "$n" "$p" /sbin/runit-init; ln -s runit-init "$root/sbin/init" ;;
    runsvdir|runsv|sv|svlogd|chpst) install_bin "$n" "$p" "/usr/bin/$n" ;;
    halt) install_bin "$n" "$p" /sbin/halt; ln -s halt "$root/sbin/poweroff"; ln -s halt "$root/sbin/reboot" ;;
    shutdown) install_bin "$n" "$p" /sbin/shutdown ;;
    pause) install_bin "$n" "$p" /bin/pause ;;
    *) echo "initramfs.sh: unknown binary name $n" >&2; exit 1 ;;
  esac
done

script /etc/runit/1 <<'S'
#!/bin/sh
PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mkdir -p /var/log/b
echo "BOOT: stage1 uptime=$(cut -d' ' -f1 /proc/uptime) ctty=$(cut -d' ' -f7 /proc/$$/stat) stdin=$(readlink /proc/$$/fd/0)"
S
# Stages 2 and 3 end in a distribution's own command lines, chosen by bootdistro= on the
# kernel command line: Debian's /etc/runit/2 and 3 (the default), Void's (void-runit's
# 2 and shutdown.d/10-sv-stop.sh) or runit-for-lfs's, with the links each makes for them
# (the services stay in /etc/service). The log argument is theirs: "log: " and 395 dots.
script /etc/runit/2 <<'S'
#!/bin/sh
PATH=/bin:/sbin:/usr/bin:/usr/sbin
distro=$(sed -n 's/.*bootdistro=\([a-z]*\).*/\1/p' /proc/cmdline)
echo "BOOT: stage2 uptime=$(cut -d' ' -f1 /proc/uptime) distro=${distro:-debian}"
log='log: ...........................................................................................................................................................................................................................................................................................................................................................................................................'
case $distro in
void)
  mkdir -p /run/runit/runsvdir
  ln -s /etc/service /run/runit/runsvdir/current
  exec env - PATH=$PATH runsvdir -P /run/runit/runsvdir/current "$log" ;;
lfs)
  mkdir -p /etc/runit/runsvdir
  ln -s /etc/service /etc/runit/runsvdir/current
  exec env - PATH=$PATH runsvdir -P /etc/runit/runsvdir/current "$log" ;;
*)
  SVDIR=/etc/service
  exec env - PATH=$PATH runsvdir -P "${SVDIR}" "$log" ;;
esac
S
script /etc/runit/3 <<'S'
#!/bin/sh
PATH=/bin:/sbin:/usr/bin:/usr/sbin
distro=$(sed -n 's/.*bootdistro=\([a-z]*\).*/\1/p' /proc/cmdline)
echo "BOOT: stage3 start uptime=$(cut -d' ' -f1 /proc/uptime)"
case $distro in
void)
  mkdir -p /var && ln -s /run/runit/runsvdir/current /var/service
  sv force-stop /var/service/*
  sv exit /var/service/* ;;
lfs)
  mkdir -p /var && ln -s /etc/runit/runsvdir/current /var/service
  sv -w10 force-stop /var/service/*
  sv exit /var/service/* ;;
*)
  sv force-stop /etc/service/*
  sv exit /etc/service/* ;;
esac
echo "BOOT: stage3 done uptime=$(cut -d' ' -f1 /proc/uptime)"
S
script /etc/runit/ctrlaltdel <<'S'
#!/bin/sh
echo "BOOT: ctrlaltdel"
exec /sbin/init 0
S
mkdir -p "$root"/etc/service/{a,b/log,driver}
if [ -x "$root/bin/pause" ]; then
  # A one-shot service: does its work, then pause(1) keeps it "up" until it is stopped.
  mkdir -p "$root/etc/service/oneshot"
  script /etc/service/oneshot/run <<'S'
#!/bin/sh
echo "BOOT: oneshot did its work"
# Two writers at once, as services starting together are: the kernel refuses a
# non-blocking terminal write while another is in progress (EAGAIN), so a service given
# runit's non-blocking console loses lines. Every one of these must reach the console.
burst() { i=1; while [ $i -le 200 ]; do echo "BOOT: burst $1 line $i of 200"; i=$((i+1)); done; }
burst x & burst y; wait
touch /run/oneshot.done
exec pause
S
fi
script /etc/service/a/run <<'S'
#!/bin/sh
echo "BOOT: svc-a started pid=$$"
# Into runsvdir's log argument (the driver looks for it there).
echo "svc-a to stderr" >&2
exec sleep 100000
S
script /etc/service/b/run <<'S'
#!/bin/sh
exec 2>&1
echo "svc-b started pid=$$"
exec sleep 100000
S
script /etc/service/b/log/run <<'S'
#!/bin/sh
exec svlogd -tt /var/log/b
S
script /etc/service/driver/run <<'S'
#!/bin/sh
# Exercises the system from inside, once per boot; each step bounded.
PATH=/bin:/sbin:/usr/bin:/usr/sbin
exec 2>&1
[ -e /run/driver.done ] && exec sleep 100000
touch /run/driver.done
mode=$(sed -n 's/.*bootmode=\([a-z0-9-]*\).*/\1/p' /proc/cmdline)
isrun() { [ "$(cat "/etc/service/$1/supervise/stat" 2>/dev/null)" = run ]; }
n=0
oneshot=true
# runsv says "run" right after the fork: wait for the work itself (its marker follows its
# console line), not just for the state.
[ -d /etc/service/oneshot ] && oneshot="eval isrun oneshot && test -e /run/oneshot.done"
until isrun a && isrun b && isrun b/log && $oneshot; do
  n=$((n+1)); [ $n -gt 600 ] && { echo "BOOT: FAIL services not up"; exec sleep 100000; }
  sleep 0.05
done
echo "BOOT: all-up uptime=$(cut -d' ' -f1 /proc/uptime)"
n=0
until grep -q 'svc-b started' /var/log/b/current 2>/dev/null; do
  n=$((n+1)); [ $n -gt 200 ] && { echo "BOOT: FAIL log not written"; break; }
  sleep 0.05
done
[ $n -le 200 ] && echo "BOOT: log ok: $(head -n1 /var/log/b/current)"
old=$(cat /etc/service/a/supervise/pid)
kill -9 "$old"
n=0
while :; do
  new=$(cat /etc/service/a/supervise/pid 2>/dev/null)
  [ -n "$new" ] && [ "$new" != "$old" ] && isrun a && break
  n=$((n+1)); [ $n -gt 200 ] && { echo "BOOT: FAIL a did not come back"; break; }
  sleep 0.05
done
[ $n -le 200 ] && echo "BOOT: a came back old=$old new=$new"
# runsvdir's arguments as stage 2 gave them: the directory must be intact, a's stderr
# in the log argument.
p=/nonexistent
for c in /proc/[0-9]*/cmdline; do [ "$(tr '\0' '\n' <"$c" 2>/dev/null | head -n1)" = runsvdir ] && p=${c%/cmdline}; done
dir=$(tr '\0' '\n' <"$p/cmdline" | sed -n 3p)
stderr=no
tr '\0' '\n' <"$p/cmdline" | sed -n 4p | grep -q 'svc-a to stderr' && stderr=yes
echo "BOOT: runsvdir dir=$dir stderr-in-log=$stderr"
echo "BOOT: action $mode uptime=$(cut -d' ' -f1 /proc/uptime)"
case $mode in
  init0) /sbin/init 0 ;;
  init6) /sbin/init 6 ;;
  shutdown-r) /sbin/shutdown -r now "bye from the boot test" ;;
esac
exec sleep 100000
S
pack
