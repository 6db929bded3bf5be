//go:build solaris

package solaris

import "golang.org/x/sys/unix"

// The resource limits not every system has: Solaris and illumos have RLIMIT_VMEM
// (RLIMIT_AS is the same number) but no RLIMIT_MEMLOCK, RLIMIT_NPROC or RLIMIT_RSS (-1):
// options that set only those fail with "not supported on this system" instead of doing
// nothing.
const (
	RlimitAS      = unix.RLIMIT_AS
	RlimitASName  = "RLIMIT_VMEM"
	RlimitMemlock = -1
	RlimitNproc   = -1
	RlimitRSS     = -1
)
