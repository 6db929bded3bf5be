package freebsd

// RlimitAS: OpenBSD has no RLIMIT_AS (nor RLIMIT_VMEM): chpst -m and softlimit -a cannot
// limit the address space there, and say so.
const (
	RlimitAS     = -1
	RlimitASName = "RLIMIT_AS"
)
