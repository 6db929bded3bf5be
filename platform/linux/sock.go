//go:build linux

package linux

import (
	"encoding/binary"
	"os"
	"sort"
	"strconv"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/runit-go/runit/platform/posix"
)

// Abstract unix sockets (Linux): a name in the abstract namespace needs no file, so it
// can never be left behind, and only processes in the same network namespace reach it.
// The sockets are SOCK_SEQPACKET: each message arrives whole, with the descriptors sent
// along with it.

// ListenAbstract listens on the abstract socket name (without the leading '@').
func ListenAbstract(name string) (int, error) {
	fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_SEQPACKET|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return -1, err
	}
	if err = unix.Bind(fd, &unix.SockaddrUnix{Name: "@" + name}); err == nil {
		err = unix.Listen(fd, 64)
	}
	if err != nil {
		unix.Close(fd)
		return -1, err
	}
	return fd, nil
}

// DialAbstract connects to the abstract socket name.
func DialAbstract(name string) (int, error) {
	fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_SEQPACKET|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return -1, err
	}
	if err := unix.Connect(fd, &unix.SockaddrUnix{Name: "@" + name}); err != nil {
		unix.Close(fd)
		return -1, err
	}
	return fd, nil
}

// Accept accepts a connection on a listening socket (close-on-exec).
func Accept(fd int) (int, error) {
	for {
		nfd, _, err := unix.Accept4(fd, unix.SOCK_CLOEXEC)
		if err != unix.EINTR {
			return nfd, err
		}
	}
}

// PeerCred is the identity of the process at the other end of the socket fd, as it was
// when the connection was made (SO_PEERCRED, SO_PEERGROUPS).
func PeerCred(fd int) (posix.Cred, error) {
	uc, err := unix.GetsockoptUcred(fd, unix.SOL_SOCKET, unix.SO_PEERCRED)
	if err != nil {
		return posix.Cred{}, err
	}
	c := posix.Cred{Pid: int(uc.Pid), Uid: int(uc.Uid), Gid: int(uc.Gid)}
	if c.Groups, err = peerGroups(fd, c.Pid); err != nil {
		return posix.Cred{}, err
	}
	sort.Ints(c.Groups)
	return c, nil
}

func peerGroups(fd, pid int) ([]int, error) {
	buf := make([]byte, 4*256)
	for {
		l := uint32(len(buf))
		_, _, e := unix.Syscall6(unix.SYS_GETSOCKOPT, uintptr(fd), unix.SOL_SOCKET, unix.SO_PEERGROUPS,
			uintptr(unsafe.Pointer(&buf[0])), uintptr(unsafe.Pointer(&l)), 0)
		if e == unix.ERANGE && int(l) > len(buf) {
			buf = make([]byte, l)
			continue
		}
		if e == unix.ENOPROTOOPT {
			return procGroups(pid) // before Linux 4.13
		}
		if e != 0 {
			return nil, e
		}
		g := make([]int, 0, l/4)
		for i := 0; i+4 <= int(l); i += 4 {
			g = append(g, int(binary.NativeEndian.Uint32(buf[i:])))
		}
		return g, nil
	}
}

// procGroups reads a process's groups from /proc: racy (the pid may be reused), but the
// same check is made from both ends, so a wrong answer only refuses a hand-over.
func procGroups(pid int) ([]int, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return nil, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f, ok := strings.CutPrefix(line, "Groups:"); ok {
			var g []int
			for _, s := range strings.Fields(f) {
				n, err := strconv.Atoi(s)
				if err != nil {
					return nil, err
				}
				g = append(g, n)
			}
			return g, nil
		}
	}
	return nil, unix.ENOENT
}

// SendFds sends one message carrying the descriptors fds.
func SendFds(fd int, msg []byte, fds ...int) error {
	var oob []byte
	if len(fds) > 0 {
		oob = unix.UnixRights(fds...)
	}
	return unix.Sendmsg(fd, msg, oob, nil, 0)
}

// RecvFds receives one message into buf and the descriptors that came with it (made
// close-on-exec). n is 0 at end of connection.
func RecvFds(fd int, buf []byte) (n int, fds []int, err error) {
	oob := make([]byte, unix.CmsgSpace(4*8))
	for {
		var oobn int
		n, oobn, _, _, err = unix.Recvmsg(fd, buf, oob, unix.MSG_CMSG_CLOEXEC)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return 0, nil, err
		}
		msgs, err := unix.ParseSocketControlMessage(oob[:oobn])
		if err != nil {
			return n, nil, err
		}
		for _, m := range msgs {
			if r, err := unix.ParseUnixRights(&m); err == nil {
				fds = append(fds, r...)
			}
		}
		return n, fds, nil
	}
}

// ProcFdDir is a path through which a held directory descriptor fd reaches the directory,
// wherever it has moved, or "" when /proc cannot do that here.
func ProcFdDir(fd int) string {
	p := "/proc/self/fd/" + strconv.Itoa(fd)
	var st unix.Stat_t
	if unix.Stat(p+"/.", &st) != nil {
		return ""
	}
	return p
}

// OpenPath opens dir as a handle that only names it (O_PATH): no read permission needed.
func OpenPath(dir string) (int, error) {
	return unix.Open(dir, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
}
