//go:build freebsd || netbsd || (openbsd && !amd64 && !arm64)

package freebsd

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// reboot calls reboot(2) by number: x/sys has no wrapper for the BSDs. NetBSD's second
// argument (a boot string) is passed as NULL; the others ignore it. (On OpenBSD this is
// only for the architectures without a libc trampoline here; since OpenBSD 7.5 the
// kernel refuses such calls with ENOSYS.)
func reboot(howto int) error {
	var nul unsafe.Pointer
	_, _, e := unix.Syscall(unix.SYS_REBOOT, uintptr(howto), uintptr(nul), 0)
	if e != 0 {
		return e
	}
	return nil
}
