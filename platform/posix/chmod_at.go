//go:build unix && !solaris

package posix

import "golang.org/x/sys/unix"

// ChmodSocket opens the notify socket to every user without following a symlink: the
// service directory's owner could swap one in after the bind, and a chmod that follows
// it would give any file of root's mode 0666. Every system but Solaris (which uses
// ChmodSocketChecked).
func ChmodSocket(path string) error {
	err := unix.Fchmodat(unix.AT_FDCWD, path, 0o666, unix.AT_SYMLINK_NOFOLLOW)
	if err == unix.EOPNOTSUPP || err == unix.ENOTSUP {
		return ChmodSocketChecked(path) // Linux before fchmodat2
	}
	return err
}
