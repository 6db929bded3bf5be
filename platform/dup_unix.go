//go:build unix && !linux

package platform

import "golang.org/x/sys/unix"

// Dup2 makes newfd a copy of oldfd.
func Dup2(oldfd, newfd int) error { return unix.Dup2(oldfd, newfd) }
