//go:build freebsd

package platform

import (
	"sync"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
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

func newTreeImpl(string) (treeImpl, string) {
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

func (r *reaperTree) attr(*syscall.SysProcAttr) {}

func (r *reaperTree) started(pid int) {
	r.mu.Lock()
	r.subtrees = append(r.subtrees, pid)
	if len(r.subtrees) > 8 { // ./run and ./finish of the last few cycles are enough
		r.subtrees = r.subtrees[len(r.subtrees)-8:]
	}
	r.mu.Unlock()
}

func (r *reaperTree) signal(sig unix.Signal) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, st := range r.subtrees {
		rk := reaperKill{sig: int32(sig), flags: reaperKillSubtree, subtree: int32(st)}
		procctl(procReapKill, unsafe.Pointer(&rk))
	}
	return nil
}

func (r *reaperTree) close() {}

func (r *reaperTree) weaken() bool { return false }
