//go:build darwin

package darwin

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// xnu's <sys/reboot.h>.
const (
	rbAutoboot = 0   // RB_AUTOBOOT
	rbHalt     = 0x8 // RB_HALT
)

// Reboot restarts the machine (reboot(2) with RB_AUTOBOOT).
func Reboot() error { return reboot(rbAutoboot) }

// Halt stops the machine (RB_HALT). There is no separate power-off flag on macOS: a
// halted Mac turns itself off, so platform's PowerOff hook stays empty.
func Halt() error { return reboot(rbHalt) }

// PowerFailSignal asks process 1 for a power-failure shutdown. macOS has no SIGPWR;
// SIGUSR2 stands in, as on FreeBSD.
const PowerFailSignal = unix.SIGUSR2

// reboot calls reboot(2) by number: there is no libSystem wrapper in x/sys. xnu takes a
// second argument, a message for the panic log; we pass NULL.
func reboot(howto int) error {
	var nul unsafe.Pointer
	//lint:ignore SA1019 reboot(2) has no libSystem wrapper in x/sys; the raw call is the only way.
	_, _, e := unix.Syscall(unix.SYS_REBOOT, uintptr(howto), uintptr(nul), 0)
	if e != 0 {
		return e
	}
	return nil
}
