//go:build linux

package linux

import (
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// DefaultSignal gives sig the kernel's default action (SIG_DFL) behind the Go runtime's
// back, which has no way to do it: after signal.Reset a QUIT still runs the runtime's
// handler (a goroutine dump and exit 2). A zeroed struct kernel_sigaction is SIG_DFL with
// no flags and an empty mask whatever the architecture's field order; the sigset's size
// is 8 bytes but on MIPS (16).
func DefaultSignal(sig syscall.Signal) error {
	var sa [64]byte // more than any architecture's struct kernel_sigaction
	var err error
	for _, setSize := range []uintptr{8, 16} {
		_, _, e := unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(sig), uintptr(unsafe.Pointer(&sa[0])), 0, setSize, 0, 0)
		if e == 0 {
			return nil
		}
		err = e
	}
	return err
}
