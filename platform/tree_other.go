//go:build unix && !linux && !freebsd

package platform

// newTreeImpl: OpenBSD, NetBSD and macOS have no per-service confinement we can use
// without cgo, and Solaris/illumos process contracts need libcontract, so there the process
// group is what is stopped.
func newTreeImpl(string) (treeImpl, string) { return nil, "" }
