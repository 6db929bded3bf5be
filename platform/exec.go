package platform

import (
	"syscall"

	"github.com/runit-go/runit/platform/posix"
)

// PreparedExec is an exec prepared in advance. Where the kernel takes a raw execve(2)
// (Linux, FreeBSD, NetBSD: the RawExec hook) the arguments are converted in advance, so
// that Exec allocates nothing: chpst runs it after setting limits (a small RLIMIT_AS
// leaves the Go runtime unable to map even its own metadata). Elsewhere (OpenBSD, macOS
// and Solaris allow system calls only through libc) Exec is syscall.Exec, which makes a
// few small allocations when it runs.
type PreparedExec struct {
	path       string
	argv, envv []string
	rawPath    *byte
	rawArgv    []*byte
	rawEnvv    []*byte
}

// PrepareExec records path, argv and env for Exec, converted where Exec is raw.
func PrepareExec(path string, argv, env []string) (*PreparedExec, error) {
	x := &PreparedExec{path: path, argv: argv, envv: env}
	if sys.RawExec == nil {
		return x, nil
	}
	var err error
	if x.rawPath, err = syscall.BytePtrFromString(path); err != nil {
		return nil, err
	}
	if x.rawArgv, err = syscall.SlicePtrFromStrings(argv); err != nil {
		return nil, err
	}
	if x.rawEnvv, err = syscall.SlicePtrFromStrings(env); err != nil {
		return nil, err
	}
	return x, nil
}

// Exec replaces the process; it returns only on failure.
func (x *PreparedExec) Exec() error {
	if x.rawPath != nil {
		return sys.RawExec(x.rawPath, x.rawArgv, x.rawEnvv)
	}
	return syscall.Exec(x.path, x.argv, x.envv)
}

// RestoreNofile gives the process back the soft RLIMIT_NOFILE it was started with, which
// the Go runtime raised at startup, before a raw Exec (see posix.RestoreNofile). Where
// Exec is syscall.Exec, that restores the limit itself and this does nothing.
func RestoreNofile() {
	if sys.RawExec != nil {
		posix.RestoreNofile()
	}
}
