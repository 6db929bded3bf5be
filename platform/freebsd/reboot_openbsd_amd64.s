// Trampoline to libc's reboot(3), as golang.org/x/sys/unix has for its OpenBSD calls.

#include "textflag.h"

TEXT libc_reboot_trampoline<>(SB),NOSPLIT,$0-0
	JMP	libc_reboot(SB)
GLOBL	·libc_reboot_trampoline_addr(SB), RODATA, $8
DATA	·libc_reboot_trampoline_addr(SB)/8, $libc_reboot_trampoline<>(SB)
