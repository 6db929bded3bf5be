package platform

import "errors"

// BecomeSubreaper makes this process the one that inherits the orphans of its
// descendants, instead of process 1 (Linux's PR_SET_CHILD_SUBREAPER). It reports
// errors.ErrUnsupported elsewhere: only Linux is wired for the supervisor host's orphan
// hand-over so far (FreeBSD and DragonFly have procctl(PROC_REAP_ACQUIRE), which the
// service trees already use, but the hand-over has not been run there).
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
