//go:build linux

package linux

import "golang.org/x/sys/unix"

// Dup2 makes newfd a copy of oldfd (dup3: arm64 Linux has no dup2).
func Dup2(oldfd, newfd int) error { return unix.Dup3(oldfd, newfd, 0) }
