//go:build linux

package platform

// notifyAddr: Linux has abstract sockets, which need no file and no permissions, as
// systemd itself uses. The name is derived from the service directory.
func notifyAddr(dir string) (addr, env string) {
	name := "@runit-go/notify" + dir
	if len(name) > 100 {
		name = name[:100]
	}
	return name, name
}
