package platform

import (
	"syscall"

	"github.com/runit-go/runit/platform/posix"
)

// OS is everything that differs between the systems runit-go runs on, as hooks that the
// system's backend fills (system_<os>.go). A nil hook means the system lacks the feature,
// or needs nothing beyond the portable way; the API function using it says which.
type OS struct {
	// Shutdown (reboot.go).
	Reboot, Halt    func() error
	PowerOff        func() error // nil: a halt already cuts the power (macOS)
	DisableCAD      func() error // nil: no kernel ctrl-alt-del reboot to turn off
	PowerFailSignal syscall.Signal

	// Login records (utmp.go): layout name and files, the current and an older one.
	UtmpFiles    func() (layout, utmp, wtmp string)
	UtmpOldFiles func() (layout, utmp, wtmp string) // nil: no older database

	// A service's process tree (tree.go): how to confine it, or why not (the note).
	NewConfinement func(service string) (posix.Confinement, string) // nil: process group

	// Directory watches (watch.go).
	WatchDirs    func(dirs ...string) (posix.Watcher, error)
	WatchEntries func(dir string) (events <-chan struct{}, stop func(), err error) // nil: poll

	// Credentials (cred.go): the nice value, and the lookup of an account name the
	// account files lack.
	Nice        func(inc int) error
	LookupUser  func(name string) (uid, gid int, ok bool)
	LookupGroup func(name string) (gid int, ok bool)

	// Resource limits (rlimit.go): the numbers of those not every system has, -1 where
	// this one lacks it, and RLIMIT_AS's C name here (RLIMIT_VMEM on some).
	RlimitAS, RlimitMemlock, RlimitNproc, RlimitRSS int
	RlimitASName                                    string
	RaiseNofile                                     func() error // nil: the runtime's raise is enough

	// exec (exec.go): a raw execve(2) that allocates nothing; nil where the kernel takes
	// system calls only through libc.
	RawExec func(path *byte, argv, envv []*byte) error

	// Signals (signal.go): give a signal the kernel's default action; nil: no way to.
	DefaultSignal func(sig syscall.Signal) error

	// Files and descriptors (files.go).
	Replace func(tmp, path string) error // nil: rename(2)
	Lock    func(fd int, wait bool) error
	Unlock  func(fd int) error
	Pipe    func() (r, w int, err error)
	Dup2    func(oldfd, newfd int) error

	// Readiness notification (notify.go). Without the first three, the socket is a file
	// in the service directory and its senders are unknown.
	NotifyAddr  func(dir string) (addr, env string)                            // nil: dir/notify.sock
	NotifyCreds func(fd int) error                                             // nil: no credentials
	NotifyRecv  func(fd int, buf, oob []byte) (int, posix.NotifySender, error) // nil: recvfrom
	ChmodSocket func(path string) error
	ParentOf    func(pid int) (int, error) // nil: unknown
	ProcessUid  func(pid int) (int, error) // nil: unknown

	// The supervisor host's orphans (reaper.go); nil: not wired up.
	BecomeSubreaper func() error
	Children        func() ([]int, error)

	// The logger pool's sockets (sock.go); nil: none.
	ListenAbstract func(name string) (int, error)
	DialAbstract   func(name string) (int, error)
	Accept         func(fd int) (int, error)
	PeerCred       func(fd int) (posix.Cred, error)
	SendFds        func(fd int, msg []byte, fds ...int) error
	RecvFds        func(fd int, buf []byte) (n int, fds []int, err error)
	ProcFdDir      func(fd int) string
	OpenPath       func(dir string) (int, error)
}

// sys is the running system's hooks; tests put a fake in its place.
var sys = system
