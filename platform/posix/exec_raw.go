//go:build linux || freebsd || netbsd

package posix

import (
	"syscall"
	"unsafe"
)

// RawExec is execve(2) as a raw system call, which allocates nothing: Linux, FreeBSD and
// NetBSD allow it (OpenBSD, macOS and Solaris take system calls only through libc).
// argv and envv end with a nil pointer, as syscall.SlicePtrFromStrings makes them. It
// returns only on failure.
func RawExec(path *byte, argv, envv []*byte) error {
	_, _, errno := syscall.RawSyscall(syscall.SYS_EXECVE, uintptr(unsafe.Pointer(path)),
		uintptr(unsafe.Pointer(&argv[0])), uintptr(unsafe.Pointer(&envv[0])))
	return errno
}
