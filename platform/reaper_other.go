//go:build unix && !linux

package platform

import "errors"

// BecomeSubreaper reports errors.ErrUnsupported: only Linux is wired for the supervisor host's
// orphan hand-over so far (FreeBSD and DragonFly have procctl(PROC_REAP_ACQUIRE), which
// the service trees already use, but the hand-over has not been run there).
func BecomeSubreaper() error { return errors.ErrUnsupported }

// Children reports errors.ErrUnsupported where BecomeSubreaper does.
func Children() ([]int, error) { return nil, errors.ErrUnsupported }
