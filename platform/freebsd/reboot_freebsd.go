package freebsd

// FreeBSD's <sys/reboot.h>.
const (
	rbHalt     = 0x8    // RB_HALT
	rbPowerOff = 0x4000 // RB_POWEROFF
)
