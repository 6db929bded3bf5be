//go:build unix && !linux

package posix

import "golang.org/x/sys/unix"

// Dup2 makes newfd a copy of oldfd (every system but Linux, see platform/linux).
func Dup2(oldfd, newfd int) error { return unix.Dup2(oldfd, newfd) }
