//go:build unix

package platform

import (
	"errors"
	"os"
	"sort"

	"golang.org/x/sys/unix"

	"github.com/runit-go/runit/platform/posix"
)

// The logger pool's sockets: abstract unix socket names, which need no file and so are
// never left behind, SOCK_SEQPACKET (each message arrives whole, with the descriptors sent
// along), and the peer's credentials. Only Linux has them (the socket hooks); elsewhere
// every call reports errors.ErrUnsupported, and svlogd runs as a process of its own.

// Cred is a process's identity as the kernel reports a socket peer.
type Cred = posix.Cred

// SelfCred is this process's effective identity.
func SelfCred() (Cred, error) {
	g, err := unix.Getgroups()
	if err != nil {
		return Cred{}, err
	}
	sort.Ints(g)
	return Cred{Pid: os.Getpid(), Uid: unix.Geteuid(), Gid: unix.Getegid(), Groups: g}, nil
}

// ListenAbstract listens on the abstract socket name (without the leading '@').
func ListenAbstract(name string) (int, error) {
	if sys.ListenAbstract == nil {
		return -1, errors.ErrUnsupported
	}
	return sys.ListenAbstract(name)
}

// DialAbstract connects to the abstract socket name.
func DialAbstract(name string) (int, error) {
	if sys.DialAbstract == nil {
		return -1, errors.ErrUnsupported
	}
	return sys.DialAbstract(name)
}

// Accept accepts a connection on a listening socket (close-on-exec).
func Accept(fd int) (int, error) {
	if sys.Accept == nil {
		return -1, errors.ErrUnsupported
	}
	return sys.Accept(fd)
}

// PeerCred is the identity of the process at the other end of the socket fd, as it was
// when the connection was made.
func PeerCred(fd int) (Cred, error) {
	if sys.PeerCred == nil {
		return Cred{}, errors.ErrUnsupported
	}
	return sys.PeerCred(fd)
}

// SendFds sends one message carrying the descriptors fds.
func SendFds(fd int, msg []byte, fds ...int) error {
	if sys.SendFds == nil {
		return errors.ErrUnsupported
	}
	return sys.SendFds(fd, msg, fds...)
}

// RecvFds receives one message into buf and the descriptors that came with it (made
// close-on-exec). n is 0 at end of connection.
func RecvFds(fd int, buf []byte) (n int, fds []int, err error) {
	if sys.RecvFds == nil {
		return 0, nil, errors.ErrUnsupported
	}
	return sys.RecvFds(fd, buf)
}

// ProcFdDir is a path through which a held directory descriptor fd reaches the directory,
// wherever it has moved, or "" when the system cannot do that.
func ProcFdDir(fd int) string {
	if sys.ProcFdDir == nil {
		return ""
	}
	return sys.ProcFdDir(fd)
}

// OpenPath opens dir as a handle that only names it (no read permission needed).
func OpenPath(dir string) (int, error) {
	if sys.OpenPath == nil {
		return -1, errors.ErrUnsupported
	}
	return sys.OpenPath(dir)
}
