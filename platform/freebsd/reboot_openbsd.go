package freebsd

// OpenBSD's <sys/reboot.h>: power-down is a modifier of halt.
const (
	rbHalt     = 0x8          // RB_HALT
	rbPowerOff = 0x8 | 0x1000 // RB_HALT | RB_POWERDOWN
)
