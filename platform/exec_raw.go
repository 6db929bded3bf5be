//go:build linux || freebsd || netbsd

package platform

import (
	"syscall"
	"unsafe"
)

// PreparedExec is an execve(2) whose arguments are converted in advance, so that Exec
// allocates nothing: chpst runs it after setting limits (a small RLIMIT_AS leaves the Go
// runtime unable to map even its own metadata). It is a raw system call, which Linux,
// FreeBSD and NetBSD allow.
type PreparedExec struct {
	path       *byte
	argv, envv []*byte
}

// PrepareExec converts path, argv and env for Exec.
func PrepareExec(path string, argv, env []string) (*PreparedExec, error) {
	p, err := syscall.BytePtrFromString(path)
	if err != nil {
		return nil, err
	}
	a, err := syscall.SlicePtrFromStrings(argv)
	if err != nil {
		return nil, err
	}
	e, err := syscall.SlicePtrFromStrings(env)
	if err != nil {
		return nil, err
	}
	return &PreparedExec{p, a, e}, nil
}

// Exec replaces the process; it returns only on failure.
func (x *PreparedExec) Exec() error {
	_, _, errno := syscall.RawSyscall(syscall.SYS_EXECVE, uintptr(unsafe.Pointer(x.path)),
		uintptr(unsafe.Pointer(&x.argv[0])), uintptr(unsafe.Pointer(&x.envv[0])))
	return errno
}

// RestoreNofile gives the process back the soft RLIMIT_NOFILE it was started with. The Go
// runtime raises that limit at startup for itself and restores it in syscall.Exec, but
// Exec above is a raw execve that would pass the raised limit on. Go keeps the original
// value private; syscall.Exec restores it before it calls execve, and clears it (so it is
// never re-raised), so an Exec of the empty path, which fails with ENOENT on every
// system, is how to get the restore without the exec.
func RestoreNofile() { syscall.Exec("", nil, nil) }
