//go:build openbsd || netbsd

package freebsd

import "github.com/runit-go/runit/platform/posix"

// NewConfinement is nil: OpenBSD and NetBSD have no per-service confinement we can use
// without cgo, so platform.Tree stops the process group.
var NewConfinement func(service string) (posix.Confinement, string)

// BecomeSubreaper and Children are nil: OpenBSD and NetBSD have no reaper facility, so a
// dead supervisor host's services are not handed over there.
var (
	BecomeSubreaper func() error
	Children        func() ([]int, error)
)
