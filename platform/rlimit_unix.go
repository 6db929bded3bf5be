//go:build unix

package platform

import (
	"errors"
	"fmt"

	"golang.org/x/sys/unix"
)

// RlimitError says which step of setting a limit failed ("getrlimit" or "setrlimit").
type RlimitError struct {
	Op  string
	Err error
}

func (e *RlimitError) Error() string { return "unable to " + e.Op + ": " + e.Err.Error() }
func (e *RlimitError) Unwrap() error { return e.Err }

// SetSoftRlimit sets the soft limit of r to v, or to the hard limit when v is negative or
// above it: chpst only ever lowers toward, or raises up to, the hard limit. It returns
// errors.ErrUnsupported when the system lacks r. unix.Setrlimit goes through package syscall,
// which also stops Go from restoring its saved RLIMIT_NOFILE at exec.
func SetSoftRlimit(r Rlimit, v int64) error {
	info, ok := rlimits[r]
	if !ok {
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
