//go:build linux

package linux

import (
	"golang.org/x/sys/unix"

	"github.com/runit-go/runit/platform/posix"
)

// Nice adds inc to the nice value like nice(2). Linux keeps the nice value per thread, so
// the caller must hold its OS thread (runtime.LockOSThread) until it execs. The raw
// getpriority system call returns 20-nice (glibc hides that; x/sys does not).
func Nice(inc int) error {
	k, err := unix.Getpriority(unix.PRIO_PROCESS, 0)
	if err != nil {
		return err
	}
	return posix.SetNice(20 - k + inc)
}
