//go:build unix && !linux

package platform

import "golang.org/x/sys/unix"

// Nice adds inc to the process's nice value like nice(3): getpriority returns the nice
// value itself on the BSDs, macOS and Solaris.
func Nice(inc int) error {
	cur, err := unix.Getpriority(unix.PRIO_PROCESS, 0)
	if err != nil {
		return err
	}
	return nicePerm(unix.Setpriority(unix.PRIO_PROCESS, 0, clampNice(cur+inc)))
}
