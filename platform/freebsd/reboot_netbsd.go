package freebsd

// NetBSD's <sys/reboot.h>: RB_POWERDOWN already includes RB_HALT.
const (
	rbHalt     = 0x8   // RB_HALT
	rbPowerOff = 0x808 // RB_POWERDOWN
)
