package platform

import "golang.org/x/sys/unix"

// Replace makes path name the file now at tmp, atomically: a reader opening path sees the
// old file or the new one, never a mix, and a reader that has the old one open keeps it
// unchanged: rename(2), or the Replace hook's faster way to the same guarantee (Linux).
func Replace(tmp, path string) error {
	if sys.Replace != nil {
		return sys.Replace(tmp, path)
	}
	return unix.Rename(tmp, path)
}

// Lock takes an exclusive lock on the open file fd, of the kind C runit takes on this
// system (flock(2), or a POSIX record lock on Solaris), so that it excludes C runit's
// tools too. With wait false it fails at once with EAGAIN when another holder has it.
func Lock(fd int, wait bool) error { return sys.Lock(fd, wait) }

// Unlock releases a lock taken with Lock.
func Unlock(fd int) error { return sys.Unlock(fd) }

// Pipe returns a pipe whose both ends are close-on-exec.
func Pipe() (r, w int, err error) { return sys.Pipe() }

// Dup2 makes newfd a copy of oldfd.
func Dup2(oldfd, newfd int) error { return sys.Dup2(oldfd, newfd) }
