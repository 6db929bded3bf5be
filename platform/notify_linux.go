//go:build linux

package platform

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// notifyAddr: Linux has abstract sockets, which need no file and no permissions, as
// systemd itself uses. Anyone may send to one, so the receiver checks each sender's
// credentials (notifyCreds); and anyone may bind a name first, so the name is random,
// never derived from the service.
func notifyAddr(dir string) (addr, env string) {
	var b [16]byte
	rand.Read(b[:])
	name := "@runit-go/notify/" + hex.EncodeToString(b[:])
	return name, name
}

// notifyCreds has the kernel attach its sender's credentials to every datagram.
func notifyCreds(fd int) error { return unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_PASSCRED, 1) }

// notifyRecv reads one datagram and the sender's pid and uid, as the kernel vouches for them.
func notifyRecv(fd int, buf, oob []byte) (int, NotifySender, error) {
	n, oobn, _, _, err := unix.Recvmsg(fd, buf, oob, unix.MSG_DONTWAIT|unix.MSG_CMSG_CLOEXEC)
	if err != nil {
		return 0, NotifySender{}, err
	}
	var from NotifySender
	msgs, _ := unix.ParseSocketControlMessage(oob[:oobn])
	for _, m := range msgs {
		if m.Header.Level != unix.SOL_SOCKET {
			continue
		}
		switch m.Header.Type {
		case unix.SCM_CREDENTIALS:
			if c, err := unix.ParseUnixCredentials(&m); err == nil {
				from = NotifySender{Known: true, Pid: int(c.Pid), Uid: int(c.Uid)}
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

// ErrGone is ChildAncestor's answer for a process that no longer exists.
var ErrGone = errors.New("process gone")

// ChildAncestor returns this process's child that pid descends from (pid itself when it is
// our child), or 0 when pid does not descend from us. It follows the parents in /proc.
func ChildAncestor(pid int) (int, error) {
	self := os.Getpid()
	for depth := 0; depth < 256 && pid > 1; depth++ {
		ppid, err := parentOf(pid)
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

// parentOf reads pid's parent from /proc; a zombie still has one.
func parentOf(pid int) (int, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		if errors.Is(err, os.ErrNotExist) || errors.Is(err, unix.ESRCH) {
			return 0, ErrGone
		}
		return 0, err
	}
	// pid (comm) state ppid ...: comm may hold spaces and parentheses.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, errors.New("/proc/" + strconv.Itoa(pid) + "/stat: unexpected format")
	}
	f := bytes.Fields(b[i+1:])
	if len(f) < 2 {
		return 0, errors.New("/proc/" + strconv.Itoa(pid) + "/stat: unexpected format")
	}
	return strconv.Atoi(string(f[1]))
}

// ProcessUid returns the real uid of a running process (the uid a datagram's credentials
// carry).
func ProcessUid(pid int) (int, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, err
	}
	for _, l := range bytes.Split(b, []byte("\n")) {
		if v, ok := bytes.CutPrefix(l, []byte("Uid:")); ok {
			if f := bytes.Fields(v); len(f) > 0 {
				return strconv.Atoi(string(f[0]))
			}
		}
	}
	return 0, errors.New("/proc/" + strconv.Itoa(pid) + "/status: no Uid")
}
