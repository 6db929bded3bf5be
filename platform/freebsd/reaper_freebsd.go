//go:build freebsd

package freebsd

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// procctl(2) reaper queries (sys/procctl.h).
const (
	procReapStatus  = 4
	procReapGetpids = 5

	reaperPidinfoValid  = 0x1
	reaperPidinfoChild  = 0x2
	reaperPidinfoZombie = 0x8 // FreeBSD 13 and later; older systems list zombies as live
)

type reaperStatus struct {
	flags       uint32
	children    uint32
	descendants uint32
	reaper      int32
	pid         int32
	pad         [15]uint32
}

type reaperPidinfo struct {
	pid     int32
	subtree int32
	flags   uint32
	pad     [15]uint32
}

type reaperPids struct {
	count uint32
	pad   [15]uint32
	pids  *reaperPidinfo
}

// BecomeSubreaper makes this process the reaper of its descendants (PROC_REAP_ACQUIRE):
// the orphans of a dying descendant come to it instead of to init, as with Linux's
// PR_SET_CHILD_SUBREAPER. Already being one (EBUSY) is success.
func BecomeSubreaper() error {
	acquireOnce.Do(func() { acquireErr = procctl(procReapAcquire, nil) })
	if acquireErr == unix.EBUSY {
		return nil
	}
	return acquireErr
}

// Children lists the live processes whose parent is this process (PROC_REAP_GETPIDS:
// the reaper's descendants, of which those flagged as its children), zombies excepted
// where the system flags them.
func Children() ([]int, error) {
	var st reaperStatus
	if err := procctl(procReapStatus, unsafe.Pointer(&st)); err != nil {
		return nil, err
	}
	n := st.descendants + 16 // room for those born meanwhile
	infos := make([]reaperPidinfo, n)
	rp := reaperPids{count: n, pids: &infos[0]}
	if err := procctl(procReapGetpids, unsafe.Pointer(&rp)); err != nil {
		return nil, err
	}
	var kids []int
	for _, pi := range infos {
		if pi.flags&reaperPidinfoValid == 0 || pi.flags&reaperPidinfoChild == 0 || pi.flags&reaperPidinfoZombie != 0 {
			continue
		}
		kids = append(kids, int(pi.pid))
	}
	return kids, nil
}
