//go:build unix && !solaris

package platform

import (
	"errors"

	"golang.org/x/sys/unix"
)

// Lock takes an exclusive lock on the open file fd. With wait false it fails at once
// (ErrWouldBlock) when another holder has it. C runit uses flock(2) here, so we must too:
// flock and fcntl locks do not exclude each other on Linux and the BSDs.
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
