package freebsd

import "golang.org/x/sys/unix"

// OpenBSD's <sys/reboot.h>: power-down is a modifier of halt.
const (
	rbHalt     = 0x8          // RB_HALT
	rbPowerOff = 0x8 | 0x1000 // RB_HALT | RB_POWERDOWN
)

// PowerFailSignal asks process 1 for a power-failure shutdown. OpenBSD has no SIGPWR;
// SIGUSR2 stands in, as on FreeBSD.
const PowerFailSignal = unix.SIGUSR2
