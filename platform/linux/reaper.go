//go:build linux

package linux

import (
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// BecomeSubreaper makes this process the one that inherits the orphans of its
// descendants (PR_SET_CHILD_SUBREAPER), instead of process 1.
func BecomeSubreaper() error { return unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) }

// Children lists the live processes whose parent is this process, zombies excepted. It
// reads /proc, which every Linux system has (the per-task children files may be missing).
func Children() ([]int, error) {
	d, err := os.Open("/proc")
	if err != nil {
		return nil, err
	}
	names, err := d.Readdirnames(-1)
	d.Close()
	if err != nil {
		return nil, err
	}
	self := os.Getpid()
	var kids []int
	for _, n := range names {
		pid, err := strconv.Atoi(n)
		if err != nil {
			continue
		}
		state, ppid, err := procStat(n)
		if err != nil || state == 'Z' {
			continue // gone meanwhile, or a zombie
		}
		if ppid == self {
			kids = append(kids, pid)
		}
	}
	return kids, nil
}
