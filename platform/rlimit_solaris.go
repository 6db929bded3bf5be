package platform

import "golang.org/x/sys/unix"

// Solaris and illumos have RLIMIT_VMEM (RLIMIT_AS is the same number) but no
// RLIMIT_MEMLOCK, RLIMIT_NPROC or RLIMIT_RSS: options that set only those fail with
// "not supported on this system" instead of doing nothing.
var rlimits = map[Rlimit]rlimitInfo{
	RlimitData:   {unix.RLIMIT_DATA, "RLIMIT_DATA"},
	RlimitStack:  {unix.RLIMIT_STACK, "RLIMIT_STACK"},
	RlimitAS:     {unix.RLIMIT_AS, "RLIMIT_VMEM"},
	RlimitNofile: {unix.RLIMIT_NOFILE, "RLIMIT_NOFILE"},
	RlimitFsize:  {unix.RLIMIT_FSIZE, "RLIMIT_FSIZE"},
	RlimitCore:   {unix.RLIMIT_CORE, "RLIMIT_CORE"},
	RlimitCPU:    {unix.RLIMIT_CPU, "RLIMIT_CPU"},
}
