package platform

import (
	"github.com/runit-go/runit/platform/darwin"
	"github.com/runit-go/runit/platform/posix"
)

// system is macOS's: platform/darwin.
var system = OS{
	Reboot:          darwin.Reboot,
	Halt:            darwin.Halt,
	PowerFailSignal: darwin.PowerFailSignal,

	UtmpFiles: darwin.UtmpFiles,

	WatchDirs:    posix.WatchDirsKqueue,
	WatchEntries: posix.WatchEntriesKqueue,

	Nice:        posix.Nice,
	LookupUser:  darwin.LookupUser,
	LookupGroup: darwin.LookupGroup,

	RlimitAS:      darwin.RlimitAS,
	RlimitASName:  darwin.RlimitASName,
	RlimitMemlock: darwin.RlimitMemlock,
	RlimitNproc:   darwin.RlimitNproc,
	RlimitRSS:     darwin.RlimitRSS,

	Lock:   posix.Lock,
	Unlock: posix.Unlock,
	Pipe:   darwin.Pipe,
	Dup2:   posix.Dup2,

	ChmodSocket: posix.ChmodSocket,
}
