package platform

import (
	"errors"

	"github.com/runit-go/runit/platform/posix"
)

// Watcher wakes a waiting caller when an entry is renamed into or removed from one of the
// watched directories; callers re-check after every Wait whatever it says (posix.Watcher).
type Watcher = posix.Watcher

// WatchDirs returns a Watcher on the given directories: inotify on Linux, kqueue on the
// BSDs and macOS, a short sleep on Solaris and illumos. A directory that cannot be watched
// is skipped: the caller's bounded timeout still covers it.
func WatchDirs(dirs ...string) (Watcher, error) { return sys.WatchDirs(dirs...) }

// WatchEntries tells, on the returned channel, that an entry of dir was created, removed
// or renamed in or out (a service linked into runsvdir's directory), so the caller can
// look at once instead of at its next poll. Events are coalesced: one pending signal at
// most. stop ends the watch and closes the channel. inotify on Linux, kqueue on the BSDs
// and macOS; it reports errors.ErrUnsupported on Solaris and illumos, where callers poll.
func WatchEntries(dir string) (events <-chan struct{}, stop func(), err error) {
	if sys.WatchEntries == nil {
		return nil, nil, errors.ErrUnsupported
	}
	return sys.WatchEntries(dir)
}
