//go:build unix

package posix

import (
	"os"

	"golang.org/x/sys/unix"
)

// ChmodSocketChecked makes path mode 0666 only if it is a socket, not a symlink: for a
// system without fchmodat's AT_SYMLINK_NOFOLLOW (x/sys has no fchmodat on Solaris), a
// narrow window remains between the check and the chmod.
func ChmodSocketChecked(path string) error {
	var st unix.Stat_t
	if err := unix.Lstat(path, &st); err != nil {
		return err
	}
	if st.Mode&unix.S_IFMT != unix.S_IFSOCK {
		return unix.EINVAL
	}
	return os.Chmod(path, 0o666)
}
