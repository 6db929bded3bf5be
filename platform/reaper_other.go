//go:build unix && !linux

package platform

// BecomeSubreaper reports ErrUnsupported: only Linux is wired for the supervisor host's
// orphan hand-over so far (FreeBSD and DragonFly have procctl(PROC_REAP_ACQUIRE), which
// the service trees already use, but the hand-over has not been run there).
func BecomeSubreaper() error { return ErrUnsupported }

// Children reports ErrUnsupported where BecomeSubreaper does.
func Children() ([]int, error) { return nil, ErrUnsupported }
