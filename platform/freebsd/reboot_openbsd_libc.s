//go:build openbsd && (amd64 || arm64)

// Trampoline to libc's reboot(3), as golang.org/x/sys/unix has for its OpenBSD calls
// (the same text for amd64 and arm64).

#include "textflag.h"

TEXT libc_reboot_trampoline<>(SB),NOSPLIT,$0-0
	JMP	libc_reboot(SB)
GLOBL	·libc_reboot_trampoline_addr(SB), RODATA, $8
DATA	·libc_reboot_trampoline_addr(SB)/8, $libc_reboot_trampoline<>(SB)
