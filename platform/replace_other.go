//go:build unix && !linux

package platform

import "golang.org/x/sys/unix"

// Replace makes path name the file now at tmp, atomically (rename(2)).
func Replace(tmp, path string) error {
	return unix.Rename(tmp, path)
}
