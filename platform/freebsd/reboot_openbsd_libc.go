//go:build openbsd && (amd64 || arm64)

package freebsd

import (
	"syscall"
	_ "unsafe" // for go:linkname
)

// OpenBSD takes system calls only from libc (Go's own raw calls get ENOSYS since 7.5),
// and x/sys has no reboot, so we call libc's reboot(3) the way x/sys calls the others:
// the dynamic import below, an assembly trampoline that jumps to it
// (reboot_openbsd_libc.s), and the runtime's libc-call path, syscall.syscall.

//go:cgo_import_dynamic libc_reboot reboot "libc.so"

// Defined in reboot_openbsd_libc.s: the trampoline's address.
var libc_reboot_trampoline_addr uintptr

// Implemented in the runtime (runtime/sys_openbsd.go), which makes it available to
// x/sys and so to us under this name.
//
//go:linkname syscall_syscall syscall.syscall
func syscall_syscall(fn, a1, a2, a3 uintptr) (r1, r2 uintptr, err syscall.Errno)

func reboot(howto int) error {
	_, _, e := syscall_syscall(libc_reboot_trampoline_addr, uintptr(howto), 0, 0)
	if e != 0 {
		return e
	}
	return nil
}
