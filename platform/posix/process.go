//go:build unix

package posix

import "errors"

// NotifySender is who sent a readiness-notification datagram.
type NotifySender struct {
	Known    bool // the kernel vouched for Pid and Uid (Linux); elsewhere nothing is known
	Pid, Uid int
}

// ErrGone is the answer about a process that no longer exists.
var ErrGone = errors.New("process gone")

// Cred is a process's identity as the kernel reports a socket peer.
type Cred struct {
	Pid, Uid, Gid int
	Groups        []int // sorted supplementary groups
}

// Same reports whether c and o have the same uid, gid and groups.
func (c Cred) Same(o Cred) bool {
	if c.Uid != o.Uid || c.Gid != o.Gid || len(c.Groups) != len(o.Groups) {
		return false
	}
	for i := range c.Groups {
		if c.Groups[i] != o.Groups[i] {
			return false
		}
	}
	return true
}
