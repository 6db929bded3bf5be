# shellcheck shell=bash
# shellcheck disable=SC2154 # root, bb, installed, here: set by initramfs.sh
# Sourced by initramfs.sh for --installed BINDIR: the image is what `make install` lays
# out (uses root, bb, installed, here and script() from initramfs.sh).
# Merged /usr, as Debian has it: /sbin/init and /sbin/runit resolve into /usr/sbin.
mkdir -p "$root"/usr/{bin,sbin,lib} "$root"/{dev,proc,sys,run,tmp,root,var/log,var/lib,var/tmp}
ln -s usr/bin "$root/bin"; ln -s usr/sbin "$root/sbin"; ln -s usr/lib "$root/lib"
SYSCONFDIR=/etc "$here/../install.sh" "$root" /usr "$installed" >/dev/null
rm -rf "$root/usr/share/man" # not needed to boot; keeps the image small
ln -s runit-init "$root/usr/sbin/init" # as the runit-go-init package has it
mknod -m 600 "$root/dev/console" c 5 1
mknod -m 666 "$root/dev/null" c 1 3

# Busybox applets for what the skeleton's scripts and the services below run, where a
# Debian system has them. Not busybox's init, halt or runit applets: those are ours.
# Debian's busybox-static has no mountpoint, pkill or wall: the skeleton must cope.
cp "$bb" "$root/usr/bin/busybox"
link_applets() { # DIR APPLET...
  local d=$1 a; shift
  for a in "$@"; do
    if [ -e "$root/usr/bin/$a" ] || [ -e "$root/usr/sbin/$a" ]; then
      echo "initramfs.sh: $a is installed already; not linking busybox's" >&2; exit 1
    fi
    ln -s ../bin/busybox "$root/usr/$d/$a"
  done
}
link_applets bin sh cat chmod cut dd env grep hostname kill ls mkdir mount ps readlink rm \
  sed sleep stat sync umount uptime
link_applets sbin getty sulogin swapoff swapon

echo runit-skel >"$root/etc/hostname"
echo 'tmpfs /var/tmp tmpfs nosuid,nodev 0 0' >"$root/etc/fstab"
mkdir -p "$root/etc/runit/core-services"
cat >"$root/etc/runit/core-services/50-boottest.sh" <<'S'
echo "BOOT: core-services hook ran"
S

# Services the way an administrator adds one: in /etc/sv, enabled by a link in the
# default runlevel.
mkdir -p "$root/etc/sv/hello" "$root/etc/sv/driver"
ln -s /etc/sv/hello "$root/etc/runit/runsvdir/default/hello"
ln -s /etc/sv/driver "$root/etc/runit/runsvdir/default/driver"
script /etc/sv/hello/run <<'S'
#!/bin/sh
echo "BOOT: hello from /etc/sv/hello pid=$$"
exec sleep 100000
S
script /etc/sv/driver/run <<'S'
#!/bin/sh
# Checks the running system from inside, then acts; every wait bounded.
exec 2>&1
[ -e /run/driver.done ] && exec sleep 100000
: >/run/driver.done
# What a login shell gets: SVDIR=/etc/service, so sv finds services by name.
. /etc/profile.d/runit.sh
mode=$(sed -n 's/.*bootmode=\([a-z0-9-]*\).*/\1/p' /proc/cmdline)
# "run: NAME: (pid N) Ss" -> S
upfor() { sv status "$1" 2>/dev/null | sed -n 's/^run: [^:]*: (pid [0-9]*) \([0-9]*\)s.*/\1/p'; }
n=0
# getty-tty1 (shipped enabled) up for a second: it runs, rather than failing and
# being restarted every second.
until h=$(upfor hello) && [ -n "$h" ] && g=$(upfor getty-tty1) && [ -n "$g" ] && [ "$g" -ge 1 ]; do
  n=$((n+1)); [ $n -gt 600 ] && { echo "BOOT: FAIL services not up: $(sv status hello getty-tty1)"; exec sleep 100000; }
  sleep 0.05
done
mounted=""
for d in /proc /sys /dev /dev/pts /dev/shm /run /var/tmp; do
  grep -q "^[^ ]* $d " /proc/mounts && mounted="$mounted $d"
done
echo "BOOT: skel up uptime=$(cut -d' ' -f1 /proc/uptime) service=$(readlink /etc/service) current=$(readlink /etc/runit/runsvdir/current) hostname=$(busybox hostname) stopit=$(stat -c %a /run/runit/stopit) reboot=$(stat -c %a /run/runit/reboot) mounted=${mounted# }"
# The scripts silence the errors of what matters most at the end (umount, the
# read-only remount, sync), and busybox's sh runs its applets without a PATH search,
# so no wrapper can log them: the kernel does, printing these system calls and their
# results on the console (tp_printk on the kernel command line) from here on.
tr=/sys/kernel/tracing
mount -t tracefs tracefs $tr
for e in mount umount swapoff sync; do
  echo 1 >$tr/events/syscalls/sys_enter_$e/enable && echo 1 >$tr/events/syscalls/sys_exit_$e/enable ||
    echo "BOOT: FAIL cannot trace $e"
done
# tp_printk prints at the default level, which "quiet" hides.
echo 5 >/proc/sys/kernel/printk
echo "BOOT: action $mode uptime=$(cut -d' ' -f1 /proc/uptime)"
case $mode in
  init0) runit-init 0 ;;
  init6) runit-init 6 ;;
esac
exec sleep 100000
S
