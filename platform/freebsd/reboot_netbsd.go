package freebsd

import "golang.org/x/sys/unix"

// NetBSD's <sys/reboot.h>: RB_POWERDOWN already includes RB_HALT.
const (
	rbHalt     = 0x8   // RB_HALT
	rbPowerOff = 0x808 // RB_POWERDOWN
)

// PowerFailSignal asks process 1 for a power-failure shutdown: SIGPWR.
const PowerFailSignal = unix.SIGPWR
