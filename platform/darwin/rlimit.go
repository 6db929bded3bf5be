//go:build darwin

package darwin

import "golang.org/x/sys/unix"

// The resource limits not every system has: macOS has them all (RLIMIT_RSS is accepted
// but not enforced by the kernel).
const (
	RlimitAS      = unix.RLIMIT_AS
	RlimitASName  = "RLIMIT_AS"
	RlimitMemlock = unix.RLIMIT_MEMLOCK
	RlimitNproc   = unix.RLIMIT_NPROC
	RlimitRSS     = unix.RLIMIT_RSS
)
