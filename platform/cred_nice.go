package platform

import "syscall"

// clampNice keeps a nice value in the range every system accepts, as nice(3) does.
func clampNice(n int) int {
	if n < -20 {
		return -20
	}
	if n > 19 {
		return 19
	}
	return n
}

// nicePerm reports a refused priority raise as nice(3) does, EPERM, where setpriority(2)
// says EACCES, so the message reads "permission denied" as under C chpst.
func nicePerm(err error) error {
	if err == syscall.EACCES {
		return syscall.EPERM
	}
	return err
}
