#!/usr/bin/env bash
# Boot KERNEL with INITRD under QEMU, software emulation (no KVM), serial console on
# standard output, the QEMU monitor on a unix socket (for `sendkey ctrl-alt-delete`):
#   boot.sh KERNEL INITRD MONITOR-SOCKET [BOOTMODE [KERNEL-ARGS]]
# -no-reboot makes a guest reboot end QEMU, so a reboot is observable as an exit; the
# kernel's last line tells a power-off ("reboot: Power down") from a restart
# ("reboot: Restarting system"). panic=-1 turns a kernel panic (init died) into an exit too.
set -euo pipefail
kernel=$1 initrd=$2 mon=$3 mode=${4:-none} extra=${5:-}
exec qemu-system-x86_64 -nographic -no-reboot -m 256 -smp 1 -accel tcg \
  -kernel "$kernel" -initrd "$initrd" \
  -monitor "unix:$mon,server,nowait" \
  -append "console=ttyS0 quiet panic=-1 rdinit=/sbin/init bootmode=$mode${extra:+ $extra}" </dev/null
