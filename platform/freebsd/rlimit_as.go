//go:build freebsd || netbsd

package freebsd

import "golang.org/x/sys/unix"

// RlimitAS: FreeBSD and NetBSD call it RLIMIT_VMEM, which runit's messages print.
const (
	RlimitAS     = unix.RLIMIT_AS
	RlimitASName = "RLIMIT_VMEM"
)
