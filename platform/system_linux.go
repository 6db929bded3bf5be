package platform

import (
	"github.com/runit-go/runit/platform/linux"
	"github.com/runit-go/runit/platform/posix"
)

// system is Linux's: platform/linux.
var system = OS{
	Reboot:          linux.Reboot,
	PowerOff:        linux.PowerOff,
	Halt:            linux.Halt,
	DisableCAD:      linux.CADOff,
	PowerFailSignal: linux.PowerFailSignal,

	UtmpFiles: linux.UtmpFiles,

	NewConfinement: linux.NewConfinement,

	WatchDirs:    linux.WatchDirs,
	WatchEntries: linux.WatchEntries,

	Nice:        linux.Nice,
	LookupUser:  posix.GetentUser,
	LookupGroup: posix.GetentGroup,

	RlimitAS:      linux.RlimitAS,
	RlimitASName:  linux.RlimitASName,
	RlimitMemlock: linux.RlimitMemlock,
	RlimitNproc:   linux.RlimitNproc,
	RlimitRSS:     linux.RlimitRSS,
	RaiseNofile:   linux.RaiseNofile,

	RawExec: posix.RawExec,

	DefaultSignal: linux.DefaultSignal,

	Replace: linux.Replace,
	Lock:    posix.Lock,
	Unlock:  posix.Unlock,
	Pipe:    posix.Pipe,
	Dup2:    linux.Dup2,

	NotifyAddr:  linux.NotifyAddr,
	NotifyCreds: linux.NotifyCreds,
	NotifyRecv:  linux.NotifyRecv,
	ChmodSocket: posix.ChmodSocket,
	ParentOf:    linux.ParentOf,
	ProcessUid:  linux.ProcessUid,

	BecomeSubreaper: linux.BecomeSubreaper,
	Children:        linux.Children,

	ListenAbstract: linux.ListenAbstract,
	DialAbstract:   linux.DialAbstract,
	Accept:         linux.Accept,
	PeerCred:       linux.PeerCred,
	SendFds:        linux.SendFds,
	RecvFds:        linux.RecvFds,
	ProcFdDir:      linux.ProcFdDir,
	OpenPath:       linux.OpenPath,
}
