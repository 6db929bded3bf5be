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
// privileges, so it cannot live in supervise/ (mode 0700): see notifyAddr.
func NotifySocket(dir string) (*os.File, string, error) {
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
	if addr[0] != '@' {
		os.Remove(addr)
	}
	if err := unix.Bind(fd, &unix.SockaddrUnix{Name: addr}); err != nil {
		unix.Close(fd)
		return nil, "", err
	}
	if addr[0] != '@' {
		os.Chmod(addr, 0o666)
	}
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return nil, "", err
	}
	return os.NewFile(uintptr(fd), "notify"), env, nil
}
