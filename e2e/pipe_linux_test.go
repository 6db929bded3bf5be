package e2e

import (
	"os"

	"golang.org/x/sys/unix"
)

// pipeQueued is how many bytes written to the pipe f are not read yet.
func pipeQueued(f *os.File) (int, error) { return unix.IoctlGetInt(int(f.Fd()), unix.TIOCINQ) }
