//go:build unix

package platform

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// NotifySocket opens the datagram socket a service sends systemd-style readiness messages
// to (READY=1, STATUS=...) and returns it with the NOTIFY_SOCKET value to give the service.
// dir is the service directory. The socket must be reachable by a service that dropped its
// privileges, so it cannot live in supervise/ (mode 0700): see notifyAddr. Read it with
// NotifyRead, which says who sent each message where the system tells.
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
	addr, env := notifyAddr(dir)
	syscall.ForkLock.RLock()
	fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_DGRAM, 0)
	if err == nil {
		unix.CloseOnExec(fd)
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return nil, "", err
	}
	if err := notifyCreds(fd); err != nil {
		unix.Close(fd)
		return nil, "", err
	}
	if addr[0] != '@' {
		os.Remove(addr)
	}
	if err := unix.Bind(fd, &unix.SockaddrUnix{Name: addr}); err != nil {
		unix.Close(fd)
		return nil, "", err
	}
	if addr[0] != '@' {
		chmodSocket(addr)
	}
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return nil, "", err
	}
	return os.NewFile(uintptr(fd), "notify"), env, nil
}

// NotifySender is who sent a notify datagram.
type NotifySender struct {
	Known    bool // the kernel vouched for Pid and Uid (Linux); elsewhere nothing is known
	Pid, Uid int
}

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
		n, from, rerr = notifyRecv(int(fd), buf, oob[:])
		return rerr != unix.EAGAIN
	})
	if err == nil {
		err = rerr
	}
	return n, from, err
}

// chmodSocketChecked makes path mode 0666 only if it is a socket, not a symlink.
func chmodSocketChecked(path string) error {
	var st unix.Stat_t
	if err := unix.Lstat(path, &st); err != nil {
		return err
	}
	if st.Mode&unix.S_IFMT != unix.S_IFSOCK {
		return unix.EINVAL
	}
	return os.Chmod(path, 0o666)
}
