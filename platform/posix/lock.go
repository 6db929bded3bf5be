//go:build unix && !solaris

package posix

import (
	"errors"

	"golang.org/x/sys/unix"
)

// Lock takes an exclusive lock on the open file fd with flock(2), as C runit does on every
// system but Solaris (platform/solaris): flock and fcntl locks do not exclude each other on
// Linux and the BSDs, so we must use the same kind. With wait false it fails at once
// (EAGAIN) when another holder has it.
func Lock(fd int, wait bool) error {
	how := unix.LOCK_EX
	if !wait {
		how |= unix.LOCK_NB
	}
	for {
		err := unix.Flock(fd, how)
		if err == unix.EINTR {
			continue
		}
		if errors.Is(err, unix.EWOULDBLOCK) {
			return unix.EAGAIN
		}
		return err
	}
}

// Unlock releases a lock taken with Lock.
func Unlock(fd int) error { return unix.Flock(fd, unix.LOCK_UN) }
