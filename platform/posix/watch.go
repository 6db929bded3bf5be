//go:build unix

package posix

import "time"

// Watcher wakes a waiting caller when an entry is renamed into or removed from one of the
// watched directories (runsv renames status.new over status), so that sv reacts to a
// state change at once instead of polling. It never replaces polling: callers always
// re-check after Wait returns, whatever it says.
type Watcher interface {
	// Wait blocks until something changed in a watched directory (true) or timeout
	// passed (false).
	Wait(timeout time.Duration) (bool, error)
	// Close releases the watcher.
	Close() error
}
