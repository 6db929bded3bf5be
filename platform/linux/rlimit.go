//go:build linux

package linux

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/runit-go/runit/platform/posix"
)

// The resource limits not every system has: Linux has them all, RLIMIT_AS by that name.
const (
	RlimitAS      = unix.RLIMIT_AS
	RlimitASName  = "RLIMIT_AS"
	RlimitMemlock = unix.RLIMIT_MEMLOCK
	RlimitNproc   = unix.RLIMIT_NPROC
	RlimitRSS     = unix.RLIMIT_RSS
)

// nofileWanted is the hard RLIMIT_NOFILE RaiseNofile asks for (or the system's nr_open,
// when lower): room for many thousands of services with log services, at about ten
// descriptors each.
const nofileWanted = 1 << 20

// RaiseNofile raises the hard RLIMIT_NOFILE of a process that holds many descriptors (the
// supervisor host) when it may (root), while the programs it starts keep the soft limit it
// was started with. The Go runtime already raises the soft limit to the hard one for
// itself at start and gives each child the original limits back, but only while the
// process's own limit is untouched. So RaiseNofile sets back the original soft limit with
// the new hard one and starts the program again (an exec of itself: same pid, same
// descriptors, same arguments): the runtime then raises the soft limit to the new hard one,
// and children get the original soft limit (and the new hard one). It returns nil without
// doing anything when the hard limit is high enough, /proc is not mounted or the raise is
// not permitted; it does not return when it succeeds.
func RaiseNofile() error {
	var cur unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &cur); err != nil {
		return err
	}
	b, err := os.ReadFile("/proc/sys/fs/nr_open")
	if err != nil {
		return nil // no /proc (early boot): no exec of /proc/self/exe either
	}
	want, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64)
	if err != nil {
		return nil
	}
	want = min(want, nofileWanted)
	if cur.Max >= want {
		return nil
	}
	// The raw system call, unlike unix.Setrlimit or unix.Prlimit, leaves the runtime's
	// record of the original limit alone, so that a refusal (not root) changes nothing.
	if err := rawSetNofile(unix.Rlimit{Cur: cur.Cur, Max: want}); err != nil {
		return nil
	}
	posix.RestoreNofile() // the soft limit the program started with (and its hard one, for now)
	var orig unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &orig); err != nil {
		return err
	}
	if err := rawSetNofile(unix.Rlimit{Cur: orig.Cur, Max: want}); err != nil {
		return err
	}
	err = syscall.Exec("/proc/self/exe", os.Args, os.Environ())
	// Still here: carry on with the raised limit (children then inherit it).
	rawSetNofile(unix.Rlimit{Cur: want, Max: want})
	return err
}

// rawSetNofile sets this process's RLIMIT_NOFILE with prlimit(2) and nothing else.
func rawSetNofile(lim unix.Rlimit) error {
	_, _, e := unix.RawSyscall6(unix.SYS_PRLIMIT64, 0, unix.RLIMIT_NOFILE, uintptr(unsafe.Pointer(&lim)), 0, 0, 0)
	if e != 0 {
		return e
	}
	return nil
}
