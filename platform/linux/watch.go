//go:build linux

package linux

import (
	"os"
	"time"

	"golang.org/x/sys/unix"

	"github.com/runit-go/runit/platform/posix"
)

// watcher is a posix.Watcher on inotify: it wakes on an entry renamed into or removed
// from a watched directory.
type watcher struct {
	fd int
}

// WatchDirs returns an inotify watcher on the given directories. A directory that cannot
// be watched is skipped: the caller's bounded timeout still covers it.
func WatchDirs(dirs ...string) (posix.Watcher, error) {
	fd, err := unix.InotifyInit1(unix.IN_CLOEXEC | unix.IN_NONBLOCK)
	if err != nil {
		return nil, err
	}
	w := &watcher{fd: fd}
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
func (w *watcher) Wait(timeout time.Duration) (bool, error) {
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
func (w *watcher) Close() error { return unix.Close(w.fd) }

// WatchEntries tells, on the returned channel, that an entry of dir was created, removed
// or renamed in or out (a service linked into runsvdir's directory), so the caller can
// look at once instead of at its next poll. Events are coalesced: one pending signal at
// most. It follows dir if it is a symlink. stop ends the watch and closes the channel.
// Linux: inotify, read through Go's poller, so no thread waits on it.
func WatchEntries(dir string) (events <-chan struct{}, stop func(), err error) {
	fd, err := unix.InotifyInit1(unix.IN_CLOEXEC | unix.IN_NONBLOCK)
	if err != nil {
		return nil, nil, err
	}
	if _, err := unix.InotifyAddWatch(fd, dir, unix.IN_CREATE|unix.IN_MOVED_TO|unix.IN_MOVED_FROM|
		unix.IN_DELETE|unix.IN_ONLYDIR); err != nil {
		unix.Close(fd)
		return nil, nil, err
	}
	f := os.NewFile(uintptr(fd), "inotify")
	ch := make(chan struct{}, 1)
	go func() {
		defer close(ch)
		var buf [4096]byte
		for {
			if _, err := f.Read(buf[:]); err != nil {
				return
			}
			select {
			case ch <- struct{}{}:
			default:
			}
		}
	}()
	return ch, func() { f.Close() }, nil
}
