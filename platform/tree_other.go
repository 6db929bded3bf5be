//go:build unix && !linux && !freebsd && !solaris

package platform

// newTreeImpl: OpenBSD, NetBSD and macOS have no per-service confinement we can use
// without cgo, so there the process group is what is stopped.
func newTreeImpl(string) (treeImpl, string) { return nil, "" }
