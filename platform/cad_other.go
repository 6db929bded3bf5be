//go:build unix && !linux

package platform

// DisableCAD reports ErrUnsupported: the BSDs' and macOS's consoles already signal init
// (SIGINT) on ctrl-alt-del when it is configured to, and Solaris has no such key handling,
// so there is nothing to turn off and runit keeps its SIGINT handler as the fallback.
func DisableCAD() error { return ErrUnsupported }
