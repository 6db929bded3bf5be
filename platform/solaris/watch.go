//go:build solaris

package solaris

import (
	"time"

	"github.com/runit-go/runit/platform/posix"
)

// pollStep bounds how late a change is seen where no directory-change notification is
// used: short enough to beat C sv's 420 ms by far, long enough not to burn CPU.
const pollStep = 10 * time.Millisecond

// pollWatcher stands in for a directory-change notification on Solaris and illumos
// (event ports' file events are not wired up): Wait just sleeps a short step, and the
// caller re-checks after every Wait anyway.
type pollWatcher struct{}

// WatchDirs returns a polling watcher; dirs are not used.
func WatchDirs(dirs ...string) (posix.Watcher, error) { return pollWatcher{}, nil }

// Wait sleeps min(timeout, pollStep) and reports true when it slept the whole step, so
// the caller re-checks.
func (pollWatcher) Wait(timeout time.Duration) (bool, error) {
	if timeout > pollStep {
		time.Sleep(pollStep)
		return true, nil
	}
	time.Sleep(timeout)
	return false, nil
}

// Close releases the watcher.
func (pollWatcher) Close() error { return nil }
