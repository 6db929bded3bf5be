//go:build darwin

package darwin

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// Pipe returns a pipe whose both ends are close-on-exec. macOS has no pipe2, so we hold
// the fork lock while setting the flags: no child can inherit the ends in between.
func Pipe() (r, w int, err error) {
	var p [2]int
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	if err = unix.Pipe(p[:]); err != nil {
		return -1, -1, err
	}
	unix.CloseOnExec(p[0])
	unix.CloseOnExec(p[1])
	return p[0], p[1], nil
}
