//go:build linux || netbsd || solaris

package platform

import (
	"os"

	"golang.org/x/sys/unix"
)

// PowerFailSignal is the signal that asks process 1 for a power-failure shutdown: SIGPWR,
// which is what LXC and Incus send to a container's init to stop it.
func PowerFailSignal() os.Signal { return unix.SIGPWR }
