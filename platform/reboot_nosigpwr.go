//go:build freebsd || openbsd || darwin

package platform

import (
	"os"

	"golang.org/x/sys/unix"
)

// PowerFailSignal is the signal that asks process 1 for a power-failure shutdown. This OS
// has no SIGPWR; SIGUSR2 stands in, the signal FreeBSD's own init takes as "power off".
func PowerFailSignal() os.Signal { return unix.SIGUSR2 }
