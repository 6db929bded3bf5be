//go:build unix

package posix

import "golang.org/x/sys/unix"

// Nice adds inc to the process's nice value like nice(3), where getpriority returns the
// nice value itself: the BSDs, macOS and Solaris (not Linux: platform/linux).
func Nice(inc int) error {
	cur, err := unix.Getpriority(unix.PRIO_PROCESS, 0)
	if err != nil {
		return err
	}
	return SetNice(cur + inc)
}

// SetNice sets the nice value to n, kept in the range every system accepts, as nice(3)
// does. A refused raise is reported as nice(3) does, EPERM, where setpriority(2) says
// EACCES, so the message reads "permission denied" as under C chpst.
func SetNice(n int) error {
	n = min(max(n, -20), 19)
	err := unix.Setpriority(unix.PRIO_PROCESS, 0, n)
	if err == unix.EACCES {
		return unix.EPERM
	}
	return err
}
