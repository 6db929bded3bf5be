package platform

import "golang.org/x/sys/unix"

// OpenBSD has no RLIMIT_AS (nor RLIMIT_VMEM): chpst -m and softlimit -a cannot limit the
// address space there, and say so.
var rlimits = map[Rlimit]rlimitInfo{
	RlimitData:    {unix.RLIMIT_DATA, "RLIMIT_DATA"},
	RlimitStack:   {unix.RLIMIT_STACK, "RLIMIT_STACK"},
	RlimitMemlock: {unix.RLIMIT_MEMLOCK, "RLIMIT_MEMLOCK"},
	RlimitNofile:  {unix.RLIMIT_NOFILE, "RLIMIT_NOFILE"},
	RlimitNproc:   {unix.RLIMIT_NPROC, "RLIMIT_NPROC"},
	RlimitFsize:   {unix.RLIMIT_FSIZE, "RLIMIT_FSIZE"},
	RlimitCore:    {unix.RLIMIT_CORE, "RLIMIT_CORE"},
	RlimitRSS:     {unix.RLIMIT_RSS, "RLIMIT_RSS"},
	RlimitCPU:     {unix.RLIMIT_CPU, "RLIMIT_CPU"},
}
