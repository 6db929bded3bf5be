//go:build unix && !linux

package platform

import (
	"errors"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// notifyAddr: without abstract sockets the socket is a file in the service directory
// (supervise/ is mode 0700, out of reach of a service running as another user). Anyone
// who may write to it may send: the sender is not checked here.
func notifyAddr(dir string) (addr, env string) {
	p := filepath.Join(dir, "notify.sock")
	return p, p
}

func notifyCreds(fd int) error { return nil }

func notifyRecv(fd int, buf, oob []byte) (int, NotifySender, error) {
	n, _, err := unix.Recvfrom(fd, buf, unix.MSG_DONTWAIT)
	return n, NotifySender{}, err
}

// ErrGone is ChildAncestor's answer for a process that no longer exists.
var ErrGone = errors.ErrUnsupported

// ChildAncestor is not available here: NotifyRead knows no senders.
func ChildAncestor(pid int) (int, error) { return 0, errors.ErrUnsupported }

// ProcessUid is not available here: NotifyRead knows no senders.
func ProcessUid(pid int) (int, error) { return 0, errors.ErrUnsupported }
