//go:build unix

package platform

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/runit-go/runit/platform/posix"
)

// NotifySocket opens the datagram socket a service sends systemd-style readiness messages
// to (READY=1, STATUS=...) and returns it with the NOTIFY_SOCKET value to give the service.
// dir is the service directory. The socket must be reachable by a service that dropped its
// privileges, so it cannot live in supervise/ (mode 0700): on Linux it is a random
// abstract name whose senders the kernel names (the NotifyAddr, NotifyCreds and
// NotifyRecv hooks); elsewhere it is notify.sock in dir (supervise/'s mode keeps it out of
// reach of a service running as another user), and anyone who may write to it may send.
// Read it with NotifyRead, which says who sent each message where the system tells.
func NotifySocket(dir string) (*os.File, string, error) {
	var err error
	for try := 0; try < 3; try++ { // a random abstract name taken already: another one
		var f *os.File
		var env string
		if f, env, err = notifySocket(dir); err != unix.EADDRINUSE {
			return f, env, err
		}
	}
	return nil, "", err
}

func notifySocket(dir string) (*os.File, string, error) {
	addr, env := filepath.Join(dir, "notify.sock"), filepath.Join(dir, "notify.sock")
	if sys.NotifyAddr != nil {
		addr, env = sys.NotifyAddr(dir)
	}
	syscall.ForkLock.RLock()
	fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_DGRAM, 0)
	if err == nil {
		unix.CloseOnExec(fd)
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return nil, "", err
	}
	if sys.NotifyCreds != nil {
		if err := sys.NotifyCreds(fd); err != nil {
			unix.Close(fd)
			return nil, "", err
		}
	}
	if addr[0] != '@' {
		os.Remove(addr)
	}
	if err := unix.Bind(fd, &unix.SockaddrUnix{Name: addr}); err != nil {
		unix.Close(fd)
		return nil, "", err
	}
	if addr[0] != '@' {
		sys.ChmodSocket(addr)
	}
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return nil, "", err
	}
	return os.NewFile(uintptr(fd), "notify"), env, nil
}

// NotifySender is who sent a notify datagram (Known only where the kernel tells: Linux).
type NotifySender = posix.NotifySender

// NotifyRead waits for one datagram on a socket from NotifySocket and returns it (cut to
// len(buf)) with its sender.
func NotifyRead(f *os.File, buf []byte) (int, NotifySender, error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return 0, NotifySender{}, err
	}
	var oob [128]byte
	var n int
	var from NotifySender
	var rerr error
	err = rc.Read(func(fd uintptr) bool {
		if sys.NotifyRecv != nil {
			n, from, rerr = sys.NotifyRecv(int(fd), buf, oob[:])
		} else {
			n, _, rerr = unix.Recvfrom(int(fd), buf, unix.MSG_DONTWAIT)
		}
		return rerr != unix.EAGAIN
	})
	if err == nil {
		err = rerr
	}
	return n, from, err
}

// ErrGone is ChildAncestor's answer for a process that no longer exists.
var ErrGone = posix.ErrGone

// ChildAncestor returns this process's child that pid descends from (pid itself when it is
// our child), or 0 when pid does not descend from us. It follows the parents (the
// ParentOf hook: /proc on Linux); errors.ErrUnsupported where the system does not tell,
// which is where NotifyRead knows no senders.
func ChildAncestor(pid int) (int, error) {
	if sys.ParentOf == nil {
		return 0, errors.ErrUnsupported
	}
	self := os.Getpid()
	for depth := 0; depth < 256 && pid > 1; depth++ {
		ppid, err := sys.ParentOf(pid)
		if err != nil {
			return 0, err
		}
		if ppid == self {
			return pid, nil
		}
		pid = ppid
	}
	return 0, nil
}

// ProcessUid returns the real uid of a running process (the uid a datagram's credentials
// carry); errors.ErrUnsupported where NotifyRead knows no senders.
func ProcessUid(pid int) (int, error) {
	if sys.ProcessUid == nil {
		return 0, errors.ErrUnsupported
	}
	return sys.ProcessUid(pid)
}
