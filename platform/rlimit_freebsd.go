package platform

import "golang.org/x/sys/unix"

// freebsd has every limit chpst knows; RLIMIT_VMEM is its name for RLIMIT_AS, which runit prefers.
var rlimits = map[Rlimit]rlimitInfo{
	RlimitData:    {unix.RLIMIT_DATA, "RLIMIT_DATA"},
	RlimitStack:   {unix.RLIMIT_STACK, "RLIMIT_STACK"},
	RlimitMemlock: {unix.RLIMIT_MEMLOCK, "RLIMIT_MEMLOCK"},
	RlimitAS:      {unix.RLIMIT_AS, "RLIMIT_VMEM"},
	RlimitNofile:  {unix.RLIMIT_NOFILE, "RLIMIT_NOFILE"},
	RlimitNproc:   {unix.RLIMIT_NPROC, "RLIMIT_NPROC"},
	RlimitFsize:   {unix.RLIMIT_FSIZE, "RLIMIT_FSIZE"},
	RlimitCore:    {unix.RLIMIT_CORE, "RLIMIT_CORE"},
	RlimitRSS:     {unix.RLIMIT_RSS, "RLIMIT_RSS"},
	RlimitCPU:     {unix.RLIMIT_CPU, "RLIMIT_CPU"},
}
