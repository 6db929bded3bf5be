//go:build solaris

package solaris

import (
	"io"

	"golang.org/x/sys/unix"
)

// Lock takes an exclusive lock on the open file fd. Solaris and illumos runit use lockf(3C),
// a POSIX record lock, so we use the same fcntl lock to exclude C runit's tools.
func Lock(fd int, wait bool) error {
	cmd := unix.F_SETLK
	if wait {
		cmd = unix.F_SETLKW
	}
	lk := unix.Flock_t{Type: unix.F_WRLCK, Whence: io.SeekStart}
	for {
		err := unix.FcntlFlock(uintptr(fd), cmd, &lk)
		if err == unix.EINTR {
			continue
		}
		if err == unix.EACCES {
			return unix.EAGAIN
		}
		return err
	}
}

// Unlock releases a lock taken with Lock.
func Unlock(fd int) error {
	lk := unix.Flock_t{Type: unix.F_UNLCK, Whence: io.SeekStart}
	return unix.FcntlFlock(uintptr(fd), unix.F_SETLK, &lk)
}
