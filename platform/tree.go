//go:build unix

package platform

import (
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/runit-go/runit/platform/posix"
)

// Tree holds every process of one service, however they fork, so that stopping the
// service stops them all (a service's opt-in `stop-tree` file). The best confinement the
// system offers is used (the NewConfinement hook): a cgroup v2 per service on Linux, the
// procctl(2) reaper subtree on FreeBSD, a process contract per start on Solaris/illumos,
// and the process group elsewhere (which a process leaves with setsid, so there
// double-forked daemons that start their own session can escape).
type Tree struct {
	impl posix.Confinement // nil: the process group of the last process started
	pgid int
}

// NewTree makes the confinement for a service. The note says, once, why a weaker kind
// than the system's best was chosen, or is empty.
func NewTree(name string) (t *Tree, note string) {
	if sys.NewConfinement == nil {
		return &Tree{}, ""
	}
	impl, note := sys.NewConfinement(name)
	return &Tree{impl: impl}, note
}

// Attr prepares a process about to start so that it belongs to the tree.
func (t *Tree) Attr(a *syscall.SysProcAttr) {
	if t.impl != nil {
		t.impl.Attr(a)
		return
	}
	a.Setpgid = true
}

// Fork runs start, which forks the process Attr prepared, inside whatever the confinement
// needs around the fork, and returns start's result.
func (t *Tree) Fork(start func() (int, error)) (int, error) {
	if f, ok := t.impl.(posix.Forker); ok {
		return f.Fork(start)
	}
	return start()
}

// Weaken is called when a start with Attr failed: it falls back to a confinement that
// needs less of the kernel and reports whether a retry makes sense.
func (t *Tree) Weaken() bool { return t.impl != nil && t.impl.Weaken() }

// Started records a process that was started with Attr.
func (t *Tree) Started(pid int) {
	if t.impl != nil {
		t.impl.Started(pid)
		return
	}
	t.pgid = pid
}

// Signal sends sig to every process in the tree.
func (t *Tree) Signal(sig unix.Signal) error {
	if t.impl != nil {
		return t.impl.Signal(sig)
	}
	if t.pgid <= 0 {
		return nil
	}
	return unix.Kill(-t.pgid, sig)
}

// Close releases the confinement (the processes are not touched).
func (t *Tree) Close() {
	if t.impl != nil {
		t.impl.Close()
	}
}
