//go:build freebsd || openbsd || netbsd || darwin

package posix

import (
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// kqueueWatcher is a Watcher for the BSDs and macOS: kqueue EVFILT_VNODE on each
// directory (NOTE_WRITE fires when its entries change).
type kqueueWatcher struct {
	kq  int
	fds []int
}

// WatchDirsKqueue returns a kqueue Watcher on the given directories. A directory that
// cannot be watched is skipped: the caller's bounded timeout still covers it.
func WatchDirsKqueue(dirs ...string) (Watcher, error) {
	kq, err := unix.Kqueue()
	if err != nil {
		return nil, err
	}
	unix.CloseOnExec(kq)
	w := &kqueueWatcher{kq: kq}
	for _, d := range dirs {
		fd, err := unix.Open(d, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
		if err != nil {
			continue
		}
		var ev unix.Kevent_t
		unix.SetKevent(&ev, fd, unix.EVFILT_VNODE, unix.EV_ADD|unix.EV_CLEAR)
		ev.Fflags = unix.NOTE_WRITE | unix.NOTE_DELETE | unix.NOTE_RENAME
		if _, err := unix.Kevent(kq, []unix.Kevent_t{ev}, nil, nil); err != nil {
			unix.Close(fd)
			continue
		}
		w.fds = append(w.fds, fd)
	}
	return w, nil
}

// Wait blocks until something changed in a watched directory (true) or timeout passed
// (false).
func (w *kqueueWatcher) Wait(timeout time.Duration) (bool, error) {
	ts := unix.NsecToTimespec(int64(timeout))
	var evs [8]unix.Kevent_t
	n, err := unix.Kevent(w.kq, nil, evs[:], &ts)
	if err == unix.EINTR {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return n > 0, nil
}

// Close releases the watcher.
func (w *kqueueWatcher) Close() error {
	for _, fd := range w.fds {
		unix.Close(fd)
	}
	return unix.Close(w.kq)
}

// kqueueWait is how long the entry watch's kevent waits before it looks whether it was
// stopped.
const kqueueWait = time.Second

// WatchEntriesKqueue is WatchEntries on kqueue: EVFILT_VNODE NOTE_WRITE on the directory
// fires when an entry is created, removed or renamed in it. One goroutine waits in kevent
// (a thread of its own while it does), waking every kqueueWait to see whether stop was
// called.
func WatchEntriesKqueue(dir string) (events <-chan struct{}, stop func(), err error) {
	kq, err := unix.Kqueue()
	if err != nil {
		return nil, nil, err
	}
	unix.CloseOnExec(kq)
	fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		unix.Close(kq)
		return nil, nil, err
	}
	var ev unix.Kevent_t
	unix.SetKevent(&ev, fd, unix.EVFILT_VNODE, unix.EV_ADD|unix.EV_CLEAR)
	ev.Fflags = unix.NOTE_WRITE | unix.NOTE_EXTEND | unix.NOTE_DELETE | unix.NOTE_RENAME
	if _, err := unix.Kevent(kq, []unix.Kevent_t{ev}, nil, nil); err != nil {
		unix.Close(fd)
		unix.Close(kq)
		return nil, nil, err
	}
	ch := make(chan struct{}, 1)
	done := make(chan struct{})
	var once sync.Once
	go func() {
		defer close(ch)
		defer unix.Close(fd)
		defer unix.Close(kq)
		ts := unix.NsecToTimespec(int64(kqueueWait))
		var evs [4]unix.Kevent_t
		for {
			select {
			case <-done:
				return
			default:
			}
			n, err := unix.Kevent(kq, nil, evs[:], &ts)
			if err != nil && err != unix.EINTR {
				return
			}
			if n > 0 {
				select {
				case ch <- struct{}{}:
				default:
				}
			}
		}
	}()
	return ch, func() { once.Do(func() { close(done) }) }, nil
}
