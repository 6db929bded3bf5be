// Package platform is the one small API through which core reaches what differs between
// operating systems; core never switches on runtime.GOOS.
//
// Every difference is a hook of the OS struct in api.go: that file is the list of what
// differs. The one build-tagged file here for the system being built, system_<os>.go,
// fills the hooks from that system's backend package:
//
//	platform/linux    Linux
//	platform/freebsd  FreeBSD, OpenBSD and NetBSD (build constraints inside tell them apart)
//	platform/darwin   macOS
//	platform/solaris  Solaris and illumos
//	platform/posix    what several of them share (the plain POSIX way, kqueue) and the
//	                  types a backend hands back (see its doc)
//
// The exported functions here are the portable API. They call the hooks, and do the
// portable part themselves; a nil hook means the system lacks the feature (the function
// then reports errors.ErrUnsupported) or needs nothing beyond the portable way. Tests swap
// the hooks for a fake (fake_test.go).
package platform
