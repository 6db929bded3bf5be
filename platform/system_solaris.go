package platform

import (
	"github.com/runit-go/runit/platform/posix"
	"github.com/runit-go/runit/platform/solaris"
)

// system is Solaris's and illumos's: platform/solaris.
var system = OS{
	Reboot:          solaris.Reboot,
	PowerOff:        solaris.PowerOff,
	Halt:            solaris.Halt,
	PowerFailSignal: solaris.PowerFailSignal,

	UtmpFiles: solaris.UtmpFiles,

	NewConfinement: solaris.NewConfinement,

	WatchDirs: solaris.WatchDirs,

	Nice:        posix.Nice,
	LookupUser:  posix.GetentUser,
	LookupGroup: posix.GetentGroup,

	RlimitAS:      solaris.RlimitAS,
	RlimitASName:  solaris.RlimitASName,
	RlimitMemlock: solaris.RlimitMemlock,
	RlimitNproc:   solaris.RlimitNproc,
	RlimitRSS:     solaris.RlimitRSS,

	Lock:   solaris.Lock,
	Unlock: solaris.Unlock,
	Pipe:   posix.Pipe,
	Dup2:   posix.Dup2,

	ChmodSocket: posix.ChmodSocketChecked,
}
