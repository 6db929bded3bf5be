package platform

import "errors"

// BecomeSubreaper makes this process the one that inherits the orphans of its
// descendants, instead of process 1: Linux's PR_SET_CHILD_SUBREAPER, FreeBSD's
// procctl(PROC_REAP_ACQUIRE) (built for FreeBSD, never run there by our tests). It
// reports errors.ErrUnsupported elsewhere (OpenBSD, NetBSD, macOS, Solaris, illumos have
// no such facility).
func BecomeSubreaper() error {
	if sys.BecomeSubreaper == nil {
		return errors.ErrUnsupported
	}
	return sys.BecomeSubreaper()
}

// Children lists the live processes whose parent is this process, zombies excepted. It
// reports errors.ErrUnsupported where BecomeSubreaper does.
func Children() ([]int, error) {
	if sys.Children == nil {
		return nil, errors.ErrUnsupported
	}
	return sys.Children()
}
