//go:build unix && !solaris

package platform

import "golang.org/x/sys/unix"

// chmodSocket opens the notify socket to every user without following a symlink: the
// service directory's owner could swap one in after the bind, and a chmod that follows
// it would give any file of root's mode 0666.
func chmodSocket(path string) error {
	err := unix.Fchmodat(unix.AT_FDCWD, path, 0o666, unix.AT_SYMLINK_NOFOLLOW)
	if err == unix.EOPNOTSUPP || err == unix.ENOTSUP {
		return chmodSocketChecked(path) // Linux before fchmodat2
	}
	return err
}
