//go:build unix && !darwin

package posix

import "golang.org/x/sys/unix"

// Pipe returns a pipe whose both ends are close-on-exec, created atomically (pipe2:
// every system but macOS, see platform/darwin).
func Pipe() (r, w int, err error) {
	var p [2]int
	err = unix.Pipe2(p[:], unix.O_CLOEXEC)
	return p[0], p[1], err
}
