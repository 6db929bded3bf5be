//go:build !linux

package e2e

import (
	"errors"
	"os"
)

// pipeQueued is how many bytes written to the pipe f are not read yet; only Linux's
// TIOCINQ is used here (x/sys has no FIONREAD), so elsewhere a test that needs it fails.
func pipeQueued(f *os.File) (int, error) {
	return 0, errors.New("pipeQueued: not implemented on this system")
}
