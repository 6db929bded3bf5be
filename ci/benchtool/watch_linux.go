package main

import (
	"fmt"
	"time"

	"golang.org/x/sys/unix"
)

// dirWatch wakes on every name moved into or written in a directory (inotify), so that a
// measurement sees a supervisor's status file change when it happens, not at the next
// poll: a sleeping poller's wake-up is coarse and its spinning would take a CPU from the
// supervisor being measured.
type dirWatch struct{ fd int }

func watchDir(dir string) (*dirWatch, error) {
	fd, err := unix.InotifyInit1(unix.IN_CLOEXEC | unix.IN_NONBLOCK)
	if err != nil {
		return nil, err
	}
	if _, err := unix.InotifyAddWatch(fd, dir, unix.IN_MOVED_TO|unix.IN_CLOSE_WRITE|unix.IN_CREATE); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("inotify %s: %v", dir, err)
	}
	return &dirWatch{fd}, nil
}

// until returns once cond holds, checking it after each change in the directory.
func (w *dirWatch) until(d time.Duration, cond func() bool) error {
	end := time.Now().Add(d)
	buf := make([]byte, 4096)
	for !cond() {
		left := time.Until(end)
		if left <= 0 {
			return fmt.Errorf("timed out")
		}
		fds := []unix.PollFd{{Fd: int32(w.fd), Events: unix.POLLIN}}
		if _, err := unix.Poll(fds, int(left/time.Millisecond)+1); err != nil && err != unix.EINTR {
			return err
		}
		for {
			if _, err := unix.Read(w.fd, buf); err != nil {
				break
			}
		}
	}
	return nil
}

func (w *dirWatch) close() { unix.Close(w.fd) }
