//go:build unix

package posix

import "syscall"

// Confinement is a system's way of holding every process of one service, however they
// fork, so that stopping the service stops them all: a cgroup on Linux, the reaper subtree
// on FreeBSD, process contracts on Solaris. platform.Tree uses it (every system); where
// there is none it uses the process group.
type Confinement interface {
	Attr(a *syscall.SysProcAttr)     // prepare a process about to start
	Started(pid int)                 // record a process started with Attr
	Signal(sig syscall.Signal) error // signal every process held
	Close()                          // release the confinement, not the processes
	Weaken() bool                    // fall back after a failed start; true: retry
}

// Forker is a Confinement that must be set up around the fork itself (Solaris contract
// templates apply to the forking thread).
type Forker interface {
	Fork(start func() (int, error)) (int, error)
}
