//go:build freebsd || openbsd || netbsd

package freebsd

import "golang.org/x/sys/unix"

// The resource limits not every system has: every BSD has these three (RLIMIT_AS is in
// rlimit_as.go and rlimit_openbsd.go).
const (
	RlimitMemlock = unix.RLIMIT_MEMLOCK
	RlimitNproc   = unix.RLIMIT_NPROC
	RlimitRSS     = unix.RLIMIT_RSS
)
