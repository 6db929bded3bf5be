//go:build !linux

package platform

// The logger pool's sockets are Linux only (abstract names and SO_PEERCRED): elsewhere
// every call reports ErrUnsupported, and svlogd runs as a process of its own.

func ListenAbstract(name string) (int, error) { return -1, ErrUnsupported }
func DialAbstract(name string) (int, error)   { return -1, ErrUnsupported }
func Accept(fd int) (int, error)              { return -1, ErrUnsupported }

// Cred is a process's identity as the kernel reports a socket peer.
type Cred struct {
	Pid, Uid, Gid int
	Groups        []int
}

func (c Cred) Same(o Cred) bool                      { return false }
func SelfCred() (Cred, error)                        { return Cred{}, ErrUnsupported }
func PeerCred(fd int) (Cred, error)                  { return Cred{}, ErrUnsupported }
func SendFds(fd int, msg []byte, fds ...int) error   { return ErrUnsupported }
func RecvFds(fd int, buf []byte) (int, []int, error) { return 0, nil, ErrUnsupported }
func ProcFdDir(fd int) string                        { return "" }
func OpenPath(dir string) (int, error)               { return -1, ErrUnsupported }
