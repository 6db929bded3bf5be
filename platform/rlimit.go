package platform

// Rlimit names a resource limit independently of its number on any one system.
type Rlimit int

// The resource limits chpst and softlimit set.
const (
	RlimitData Rlimit = iota
	RlimitStack
	RlimitMemlock
	RlimitAS // RLIMIT_VMEM where the system calls it that
	RlimitNofile
	RlimitNproc
	RlimitFsize
	RlimitCore
	RlimitRSS
	RlimitCPU
)

// rlimitInfo is one limit's number and C name on this system.
type rlimitInfo struct {
	num  int
	name string
}

// RlimitName returns the limit's C name on this system (RLIMIT_AS, RLIMIT_VMEM ...), and
// whether the system has the limit at all.
func RlimitName(r Rlimit) (string, bool) {
	i, ok := rlimits[r]
	return i.name, ok
}
