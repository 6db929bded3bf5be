//go:build unix && !linux && !freebsd && !netbsd

package platform

import "syscall"

// PreparedExec is an exec prepared in advance. Here it goes through syscall.Exec
// (OpenBSD, macOS and Solaris allow system calls only through libc), which makes a few
// small allocations when it runs.
type PreparedExec struct {
	path       string
	argv, envv []string
}

// PrepareExec records path, argv and env for Exec.
func PrepareExec(path string, argv, env []string) (*PreparedExec, error) {
	return &PreparedExec{path, argv, env}, nil
}

// Exec replaces the process; it returns only on failure.
func (x *PreparedExec) Exec() error { return syscall.Exec(x.path, x.argv, x.envv) }

// RestoreNofile does nothing here: Exec is syscall.Exec, which itself gives the program
// back the soft RLIMIT_NOFILE the Go runtime raised at startup.
func RestoreNofile() {}
