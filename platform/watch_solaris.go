package platform

import "time"

// pollStep bounds how late a change is seen where no directory-change notification is
// used: short enough to beat C sv's 420 ms by far, long enough not to burn CPU.
const pollStep = 10 * time.Millisecond

// Watcher stands in for a directory-change notification on Solaris and illumos (event
// ports' file events are not wired up): Wait just sleeps a short step, and the caller
// re-checks after every Wait anyway.
type Watcher struct{}

// WatchDirs returns a polling Watcher; dirs are not used.
func WatchDirs(dirs ...string) (*Watcher, error) { return &Watcher{}, nil }

// Wait sleeps min(timeout, pollStep) and reports true when it slept the whole step, so
// the caller re-checks.
func (w *Watcher) Wait(timeout time.Duration) (bool, error) {
	if timeout > pollStep {
		time.Sleep(pollStep)
		return true, nil
	}
	time.Sleep(timeout)
	return false, nil
}

// Close releases the watcher.
func (w *Watcher) Close() error { return nil }
