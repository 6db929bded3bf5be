// Package platform is the one small API through which core reaches what differs between
// operating systems. Each concern lives in its own file set: a portable declaration or a
// `_unix.go` implementation shared by every Unix, and `_linux.go`, `_freebsd.go` (the BSDs),
// `_darwin.go`, `_solaris.go` (Solaris and illumos) files where the systems differ. The
// larger OS-specific backends live in the subpackages linux, freebsd, darwin and solaris,
// which the files here forward to. Core never switches on runtime.GOOS; it calls this package.
package platform
