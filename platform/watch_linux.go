package platform

import (
	"time"

	"golang.org/x/sys/unix"
)

// Watcher wakes a waiting caller when an entry is renamed into or removed
// from one of the watched directories (runsv renames status.new over status), so that sv
// reacts to a state change at once instead of polling. It never replaces polling: callers
// always re-check after Wait returns, whatever it says. Linux: inotify.
type Watcher struct {
	fd int
}

// WatchDirs returns a Watcher on the given directories. A directory that cannot be
// watched is skipped: the caller's bounded timeout still covers it.
func WatchDirs(dirs ...string) (*Watcher, error) {
	fd, err := unix.InotifyInit1(unix.IN_CLOEXEC | unix.IN_NONBLOCK)
	if err != nil {
		return nil, err
	}
	w := &Watcher{fd: fd}
	for _, d := range dirs {
		// Only entry changes: our own reads and the ok/control probes open and close files
		// in the directory and must not wake us (that would spin).
		_, _ = unix.InotifyAddWatch(fd, d, unix.IN_MOVED_TO|unix.IN_DELETE|
			unix.IN_DELETE_SELF|unix.IN_MOVE_SELF|unix.IN_ONLYDIR)
	}
	return w, nil
}

// Wait blocks until something changed in a watched directory (true) or timeout passed
// (false). Pending events are drained.
func (w *Watcher) Wait(timeout time.Duration) (bool, error) {
	ms := int(timeout / time.Millisecond)
	if timeout > 0 && ms == 0 {
		ms = 1
	}
	fds := []unix.PollFd{{Fd: int32(w.fd), Events: unix.POLLIN}}
	n, err := unix.Poll(fds, ms)
	if err == unix.EINTR {
		return false, nil
	}
	if err != nil || n == 0 {
		return false, err
	}
	var buf [4096]byte
	for {
		if _, err := unix.Read(w.fd, buf[:]); err != nil {
			break
		}
	}
	return true, nil
}

// Close releases the watcher.
func (w *Watcher) Close() error { return unix.Close(w.fd) }
