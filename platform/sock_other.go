//go:build !linux

package platform

import "errors"

// The logger pool's sockets are Linux only (abstract names and SO_PEERCRED): elsewhere
// every call reports errors.ErrUnsupported, and svlogd runs as a process of its own.

func ListenAbstract(name string) (int, error) { return -1, errors.ErrUnsupported }
func DialAbstract(name string) (int, error)   { return -1, errors.ErrUnsupported }
func Accept(fd int) (int, error)              { return -1, errors.ErrUnsupported }

// Cred is a process's identity as the kernel reports a socket peer.
type Cred struct {
	Pid, Uid, Gid int
	Groups        []int
}

func (c Cred) Same(o Cred) bool                      { return false }
func SelfCred() (Cred, error)                        { return Cred{}, errors.ErrUnsupported }
func PeerCred(fd int) (Cred, error)                  { return Cred{}, errors.ErrUnsupported }
func SendFds(fd int, msg []byte, fds ...int) error   { return errors.ErrUnsupported }
func RecvFds(fd int, buf []byte) (int, []int, error) { return 0, nil, errors.ErrUnsupported }
func ProcFdDir(fd int) string                        { return "" }
func OpenPath(dir string) (int, error)               { return -1, errors.ErrUnsupported }
