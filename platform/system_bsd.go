//go:build freebsd || openbsd || netbsd

package platform

import (
	"github.com/runit-go/runit/platform/freebsd"
	"github.com/runit-go/runit/platform/posix"
)

// system is the BSDs': platform/freebsd, whose build constraints tell FreeBSD, OpenBSD and
// NetBSD apart where they differ (a hook it leaves nil there is nil here).
var system = OS{
	Reboot:          freebsd.Reboot,
	PowerOff:        freebsd.PowerOff,
	Halt:            freebsd.Halt,
	PowerFailSignal: freebsd.PowerFailSignal,

	UtmpFiles:    freebsd.UtmpFiles,
	UtmpOldFiles: freebsd.UtmpOldFiles,

	NewConfinement: freebsd.NewConfinement,

	BecomeSubreaper: freebsd.BecomeSubreaper,
	Children:        freebsd.Children,

	WatchDirs:    posix.WatchDirsKqueue,
	WatchEntries: posix.WatchEntriesKqueue,

	Nice:        posix.Nice,
	LookupUser:  posix.GetentUser,
	LookupGroup: posix.GetentGroup,

	RlimitAS:      freebsd.RlimitAS,
	RlimitASName:  freebsd.RlimitASName,
	RlimitMemlock: freebsd.RlimitMemlock,
	RlimitNproc:   freebsd.RlimitNproc,
	RlimitRSS:     freebsd.RlimitRSS,

	RawExec: freebsd.RawExec,

	Lock:   posix.Lock,
	Unlock: posix.Unlock,
	Pipe:   posix.Pipe,
	Dup2:   posix.Dup2,

	ChmodSocket: posix.ChmodSocket,
}
