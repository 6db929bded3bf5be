package platform

import (
	"os"

	"golang.org/x/sys/unix"
)

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
