//go:build linux

package linux

import (
	"math/rand/v2"
	"strconv"

	"golang.org/x/sys/unix"

	"github.com/runit-go/runit/platform/posix"
)

// NotifyAddr: Linux has abstract sockets, which need no file and no permissions, as
// systemd itself uses. Anyone may send to one, so the receiver checks each sender's
// credentials (NotifyCreds); and anyone may bind a name first, so the name is random,
// never derived from the service. (math/rand's generator is seeded from the kernel's
// randomness and nobody else sees its state; crypto/rand would add 150 kB to every
// supervisor for nothing more here.)
func NotifyAddr(dir string) (addr, env string) {
	name := "@runit-go/notify/" + strconv.FormatUint(rand.Uint64(), 16) + strconv.FormatUint(rand.Uint64(), 16)
	return name, name
}

// NotifyCreds has the kernel attach its sender's credentials to every datagram.
func NotifyCreds(fd int) error { return unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_PASSCRED, 1) }

// NotifyRecv reads one datagram and the sender's pid and uid, as the kernel vouches for them.
func NotifyRecv(fd int, buf, oob []byte) (int, posix.NotifySender, error) {
	n, oobn, _, _, err := unix.Recvmsg(fd, buf, oob, unix.MSG_DONTWAIT|unix.MSG_CMSG_CLOEXEC)
	if err != nil {
		return 0, posix.NotifySender{}, err
	}
	var from posix.NotifySender
	msgs, _ := unix.ParseSocketControlMessage(oob[:oobn])
	for _, m := range msgs {
		if m.Header.Level != unix.SOL_SOCKET {
			continue
		}
		switch m.Header.Type {
		case unix.SCM_CREDENTIALS:
			if c, err := unix.ParseUnixCredentials(&m); err == nil {
				from = posix.NotifySender{Known: true, Pid: int(c.Pid), Uid: int(c.Uid)}
			}
		case unix.SCM_RIGHTS:
			// Descriptors sent along are not wanted: close them.
			if fds, err := unix.ParseUnixRights(&m); err == nil {
				for _, fd := range fds {
					unix.Close(fd)
				}
			}
		}
	}
	return n, from, nil
}
