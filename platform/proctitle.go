//go:build unix

package platform

import (
	"os"
	"unsafe"
)

// ArgvSpace returns the memory holding argument i of this process, writable, or nil.
// Go's os.Args strings point at the argument block the kernel set up, which is what ps
// reads on Linux, the BSDs and macOS; rewriting it in place (same length) changes what ps
// shows, as runsvdir's readproctitle emulation needs. Solaris and illumos ps show the
// arguments captured at exec (psinfo), so the change is not visible there.
func ArgvSpace(i int) []byte {
	if i >= len(os.Args) || len(os.Args[i]) == 0 {
		return nil
	}
	return unsafe.Slice(unsafe.StringData(os.Args[i]), len(os.Args[i]))
}
