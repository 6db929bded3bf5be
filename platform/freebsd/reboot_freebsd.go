package freebsd

import "golang.org/x/sys/unix"

// FreeBSD's <sys/reboot.h>.
const (
	rbHalt     = 0x8    // RB_HALT
	rbPowerOff = 0x4000 // RB_POWEROFF
)

// PowerFailSignal asks process 1 for a power-failure shutdown. FreeBSD has no SIGPWR;
// SIGUSR2 stands in, the signal its own init takes as "power off".
const PowerFailSignal = unix.SIGUSR2
