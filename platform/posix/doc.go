//go:build unix

// Package posix holds what several of platform's backends share, so that it is written
// once: the plain POSIX way of doing a thing, for the systems that have nothing better,
// and the types a backend hands back to package platform (they cannot be declared there:
// platform imports the backends, so the backends cannot import it). Each file says which
// systems use it. Only package platform and its backends (platform/linux, freebsd, darwin,
// solaris) import it.
package posix
