//go:build unix

package platform

import (
	"errors"
	"fmt"

	"golang.org/x/sys/unix"
)

// Rlimit names a resource limit independently of its number on any one system.
type Rlimit int

// The resource limits chpst and softlimit set, in the order chpst applies them.
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
	NRlimits // how many there are
)

// rlimitInfo is a limit's C name and its number on this system, -1 where it lacks it.
type rlimitInfo struct {
	name string
	num  int
}

// rlimits is the one list of the limits. The six every system has are numbered by x/sys;
// the four some systems lack, and RLIMIT_AS's name, come from the system's hooks.
func rlimits() [NRlimits]rlimitInfo {
	return [NRlimits]rlimitInfo{
		RlimitData:    {"RLIMIT_DATA", unix.RLIMIT_DATA},
		RlimitStack:   {"RLIMIT_STACK", unix.RLIMIT_STACK},
		RlimitMemlock: {"RLIMIT_MEMLOCK", sys.RlimitMemlock},
		RlimitAS:      {sys.RlimitASName, sys.RlimitAS},
		RlimitNofile:  {"RLIMIT_NOFILE", unix.RLIMIT_NOFILE},
		RlimitNproc:   {"RLIMIT_NPROC", sys.RlimitNproc},
		RlimitFsize:   {"RLIMIT_FSIZE", unix.RLIMIT_FSIZE},
		RlimitCore:    {"RLIMIT_CORE", unix.RLIMIT_CORE},
		RlimitRSS:     {"RLIMIT_RSS", sys.RlimitRSS},
		RlimitCPU:     {"RLIMIT_CPU", unix.RLIMIT_CPU},
	}
}

// RlimitName returns the limit's C name on this system (RLIMIT_AS, RLIMIT_VMEM ...), and
// whether the system has the limit at all (the name is there for messages either way).
func RlimitName(r Rlimit) (string, bool) {
	i := rlimits()[r]
	return i.name, i.num >= 0
}

// RlimitError says which step of setting a limit failed ("getrlimit" or "setrlimit").
type RlimitError struct {
	Op  string
	Err error
}

func (e *RlimitError) Error() string { return "unable to " + e.Op + ": " + e.Err.Error() }
func (e *RlimitError) Unwrap() error { return e.Err }

// SetSoftRlimit sets the soft limit of r to v, or to the hard limit when v is negative or
// above it: chpst only ever lowers toward, or raises up to, the hard limit. It returns
// errors.ErrUnsupported when the system lacks r. unix.Setrlimit goes through package
// syscall, which also stops Go from restoring its saved RLIMIT_NOFILE at exec.
func SetSoftRlimit(r Rlimit, v int64) error {
	info := rlimits()[r]
	if info.num < 0 {
		return errors.ErrUnsupported
	}
	var rl unix.Rlimit
	if err := unix.Getrlimit(info.num, &rl); err != nil {
		return &RlimitError{"getrlimit", err}
	}
	if v < 0 {
		rl.Cur = rl.Max
	} else {
		rl.Cur = atMost(rl.Max, uint64(v))
	}
	if err := unix.Setrlimit(info.num, &rl); err != nil {
		return &RlimitError{"setrlimit", fmt.Errorf("%s: %w", info.name, err)}
	}
	return nil
}

// atMost returns v, or max when v exceeds it; generic because rlim_t is int64 on FreeBSD
// and uint64 elsewhere (FreeBSD's RLIM_INFINITY is the int64 maximum, so both compare right).
func atMost[T int64 | uint64](max T, v uint64) T {
	if v >= uint64(max) {
		return max
	}
	return T(v)
}

// RaiseNofile raises the hard RLIMIT_NOFILE of a process that holds many descriptors (the
// supervisor host) where the system needs it and it is allowed (Linux, as root; the
// RaiseNofile hook), and does nothing elsewhere: there only the Go runtime's own raise of
// the soft limit to the hard one applies. Children keep the soft limit the process was
// started with. When it raises, it execs the program again and does not return.
func RaiseNofile() error {
	if sys.RaiseNofile == nil {
		return nil
	}
	return sys.RaiseNofile()
}
