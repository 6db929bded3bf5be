//go:build freebsd || openbsd || netbsd

package freebsd

// rbAutoboot is RB_AUTOBOOT, the same 0 on every BSD.
const rbAutoboot = 0

// Reboot restarts the machine (reboot(2) with RB_AUTOBOOT).
func Reboot() error { return reboot(rbAutoboot) }

// PowerOff halts and powers off (RB_POWEROFF on FreeBSD, RB_HALT|RB_POWERDOWN elsewhere).
func PowerOff() error { return reboot(rbPowerOff) }

// Halt stops the machine (RB_HALT).
func Halt() error { return reboot(rbHalt) }
