package platform

import (
	"bytes"
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
		b, err := os.ReadFile("/proc/" + n + "/stat")
		if err != nil {
			continue // gone meanwhile
		}
		// pid (comm) state ppid ...: comm may hold spaces and parentheses, so read after
		// the last ')'.
		i := bytes.LastIndexByte(b, ')')
		if i < 0 {
			continue
		}
		f := bytes.Fields(b[i+1:])
		if len(f) < 2 || f[0][0] == 'Z' {
			continue
		}
		if ppid, err := strconv.Atoi(string(f[1])); err == nil && ppid == self {
			kids = append(kids, pid)
		}
	}
	return kids, nil
}
