#!/usr/bin/env bash
# Boot benchmark: the same initramfs (ci/boot) booted under QEMU with our runit as init
# and with Debian's C runit, alternately, RUNS times each (default 3); medians of
#   boot to all services up: guest uptime when a, b and b/log are all in state run
#     (includes the kernel unpacking the initramfs: ours is bigger, Go binaries)
#   stage 1 start to all services up: the same, from the moment stage 1 prints
#   shutdown: from `runit-init 0` to the kernel's "reboot: Power down" (guest clock)
# printed as "bench: <what>: ours X, C Y, ratio ours/C". Our tools are used where
# ./cmd/<tool> exists (C runit's otherwise; listed on the first line). Needs root,
# qemu-system-x86, busybox-static, cpio, and Debian's runit; skips with a message otherwise.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${RUNS:-3}
skip() { echo "bench: boot: skipped: $*"; exit 0; }
[ "$(id -u)" = 0 ] || skip "needs root (device nodes in the initramfs)"
for b in qemu-system-x86_64 cpio gzip ldd; do command -v $b >/dev/null || skip "no $b"; done
[ -x /sbin/runit ] && [ -x /lib/runit/runit-init ] || skip "Debian's runit is not installed"
kernel=$(ci/boot/kernel.sh) || skip "could not fetch a kernel"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

declare -A cpath=([runit]=/sbin/runit [runit-init]=/lib/runit/runit-init [runsvdir]=/usr/bin/runsvdir
  [runsv]=/usr/bin/runsv [sv]=/usr/bin/sv [svlogd]=/usr/bin/svlogd [chpst]=/usr/bin/chpst)
ours=() c=() mine=""
for t in runit runit-init runsvdir runsv sv svlogd chpst; do
  c+=("$t=${cpath[$t]}")
  if [ -d "cmd/$t" ]; then
    CGO_ENABLED=0 GOTOOLCHAIN=local go build -trimpath -ldflags '-s -w' -o "$work/$t" "./cmd/$t"
    ours+=("$t=$work/$t"); mine="$mine $t"
  else
    ours+=("$t=${cpath[$t]}")
  fi
done
echo "bench: boot: ours uses our:${mine:- nothing}; the rest is C runit's"
ci/boot/initramfs.sh "$work/ours.img" "${ours[@]}"
ci/boot/initramfs.sh "$work/c.img" "${c[@]}"

# one boot; prints "UP STAGE1-TO-UP DOWN" (seconds, guest clock)
boot() {
  local log=$work/console.$1.$2
  timeout 180 ci/boot/boot.sh "$kernel" "$work/$1.img" "$work/mon.sock" init0 >"$log" 2>&1 || true
  tr -d '\r' <"$log" | awk '
    /BOOT: stage1 uptime=/   { s1 = $3; sub(/uptime=/, "", s1) }
    /BOOT: all-up uptime=/   { sub(/.*uptime=/, ""); up = $1 }
    /BOOT: action init0 uptime=/ { sub(/.*uptime=/, ""); act = $1 }
    /reboot: Power down/     { s = $0; sub(/^.*\[ */, "", s); sub(/\].*/, "", s); down = s }
    END { if (s1 == "" || up == "" || act == "" || down == "") { print "FAIL"; exit }
          printf "%.3f %.3f %.3f\n", up, up - s1, down - act }'
}
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
: >"$work/ours.res"; : >"$work/c.res"
for i in $(seq "$runs"); do
  for w in ours c; do
    r=$(boot "$w" "$i")
    if [ "$r" = FAIL ]; then echo "bench: boot: the $w boot $i failed; console:"; tr -d '\r' <"$work/console.$w.$i" | tail -n 30; exit 1; fi
    echo "$r" >>"$work/$w.res"
  done
done
for col in 1 2 3; do
  o=$(cut -d' ' -f$col "$work/ours.res" | median)
  cc=$(cut -d' ' -f$col "$work/c.res" | median)
  what="boot to all services up (guest uptime, median of $runs)"
  [ $col = 2 ] && what="stage 1 start to all services up (median of $runs)"
  [ $col = 3 ] && what="shutdown from runit-init 0 to power-off (median of $runs)"
  awk -v w="$what" -v o="$o" -v c="$cc" 'BEGIN { printf "bench: %s: ours %.3fs, C %.3fs, ratio %.2f\n", w, o, c, (c > 0 ? o / c : 0) }'
done
