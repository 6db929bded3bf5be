//go:build freebsd || openbsd || netbsd

package freebsd

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// rbAutoboot is RB_AUTOBOOT, the same 0 on every BSD.
const rbAutoboot = 0

// Reboot restarts the machine (reboot(2) with RB_AUTOBOOT).
func Reboot() error { return reboot(rbAutoboot) }

// PowerOff halts and powers off (RB_POWEROFF on FreeBSD, RB_HALT|RB_POWERDOWN elsewhere).
func PowerOff() error { return reboot(rbPowerOff) }

// Halt stops the machine (RB_HALT).
func Halt() error { return reboot(rbHalt) }

// reboot calls reboot(2) by number: x/sys has no wrapper for the BSDs. NetBSD's second
// argument (a boot string) is passed as NULL; the others ignore it.
func reboot(howto int) error {
	var nul unsafe.Pointer
	_, _, e := unix.Syscall(unix.SYS_REBOOT, uintptr(howto), uintptr(nul), 0)
	if e != 0 {
		return e
	}
	return nil
}
