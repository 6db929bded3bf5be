//go:build unix && !linux

package platform

import "path/filepath"

// notifyAddr: without abstract sockets the socket is a file in the service directory
// (supervise/ is mode 0700, out of reach of a service running as another user).
func notifyAddr(dir string) (addr, env string) {
	p := filepath.Join(dir, "notify.sock")
	return p, p
}
