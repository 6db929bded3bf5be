//go:build freebsd

package freebsd

import (
	"sync"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/runit-go/runit/platform/posix"
)

// procctl(2) reaper commands and flags (sys/procctl.h).
const (
	procReapAcquire   = 2
	procReapKill      = 6
	reaperKillSubtree = 0x2
	idtypePid         = 0 // P_PID
)

type reaperKill struct {
	sig     int32
	flags   uint32
	subtree int32
	killed  uint32
	fpid    int32
	pad     [15]uint32
}

var acquireOnce sync.Once
var acquireErr error

// reaperTree uses FreeBSD's reaper facility: the supervisor becomes the reaper of all its
// descendants, and every process started by the service keeps its reaper subtree id (the
// pid of the direct child it descends from) however it forks, setsid included.
type reaperTree struct {
	mu       sync.Mutex
	subtrees []int
}

// NewConfinement makes the supervisor the reaper of its descendants (once) and returns a
// confinement by reaper subtree, or nil and why not.
func NewConfinement(string) (posix.Confinement, string) {
	acquireOnce.Do(func() { acquireErr = procctl(procReapAcquire, nil) })
	if acquireErr != nil && acquireErr != unix.EBUSY {
		return nil, "cannot become a reaper (" + acquireErr.Error() + "): stopping the process group instead"
	}
	return &reaperTree{}, ""
}

func procctl(cmd int, data unsafe.Pointer) error {
	_, _, e := unix.Syscall6(unix.SYS_PROCCTL, idtypePid, uintptr(unix.Getpid()), uintptr(cmd), uintptr(data), 0, 0)
	if e != 0 {
		return e
	}
	return nil
}

// Attr: nothing to prepare, the subtree follows from the fork.
func (r *reaperTree) Attr(*syscall.SysProcAttr) {}

// Started records pid as the root of a subtree.
func (r *reaperTree) Started(pid int) {
	r.mu.Lock()
	r.subtrees = append(r.subtrees, pid)
	if len(r.subtrees) > 8 { // ./run and ./finish of the last few cycles are enough
		r.subtrees = r.subtrees[len(r.subtrees)-8:]
	}
	r.mu.Unlock()
}

// Signal signals every process of the recorded subtrees (PROC_REAP_KILL).
func (r *reaperTree) Signal(sig syscall.Signal) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, st := range r.subtrees {
		rk := reaperKill{sig: int32(sig), flags: reaperKillSubtree, subtree: int32(st)}
		procctl(procReapKill, unsafe.Pointer(&rk))
	}
	return nil
}

// Close: there is nothing to release.
func (r *reaperTree) Close() {}

// Weaken: there is nothing weaker to fall back to.
func (r *reaperTree) Weaken() bool { return false }
