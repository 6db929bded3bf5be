//go:build solaris

package solaris

import (
	"os"
	"runtime"
	"strconv"
	"sync"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/runit-go/runit/platform/posix"
)

// Contract file system ioctls (sys/ctfs.h): 'c'<<24 | 't'<<16 | kind<<8 | n.
const (
	ctTActivate = 'c'<<24 | 't'<<16 | 't'<<8     // n 0: activate a template for this LWP's forks
	ctTClear    = 'c'<<24 | 't'<<16 | 't'<<8 | 1 // clear this LWP's active template
	ctCAbandon  = 'c'<<24 | 't'<<16 | 'c'<<8     // n 0: give a contract up; its processes stay in it
)

const contractTemplate = "/system/contract/process/template"

// contractTree puts each process the service starts into a new process contract: its
// descendants stay in that contract however they fork or setsid, and /proc/<pid>/psinfo
// names the contract of every process, so stopping the service signals exactly the
// contracts' members. Each contract is abandoned at once (no events queue up for us, and
// the kernel frees it when its last process ends); its id is all we keep.
type contractTree struct {
	mu   sync.Mutex
	tmpl int            // an open process contract template (default terms)
	ids  map[int32]bool // contracts of this service that may still have members
	pgid int            // the last ./run's process group, for one whose contract is unknown
}

// NewConfinement opens the process contract template, or returns nil and why not.
func NewConfinement(string) (posix.Confinement, string) {
	fd, err := unix.Open(contractTemplate, unix.O_RDWR|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, "no process contracts (" + contractTemplate + ": " + err.Error() + "): stopping the process group instead"
	}
	return &contractTree{tmpl: fd, ids: map[int32]bool{}}, ""
}

// Attr adds the process group, so a ./run that exits before its contract is known still
// leaves its group to be signalled.
func (c *contractTree) Attr(a *syscall.SysProcAttr) { a.Setpgid = true }

// Fork runs start with the template active. Templates are per LWP, so the goroutine stays
// on its thread from activation to clearing; the new contract's id is read from the child's
// psinfo before the caller's reaper can collect it.
func (c *contractTree) Fork(start func() (int, error)) (int, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	active := unix.IoctlSetInt(c.tmpl, ctTActivate, 0) == nil
	pid, err := start()
	if active {
		unix.IoctlSetInt(c.tmpl, ctTClear, 0)
	}
	if err == nil && active {
		c.adopt(pid)
	}
	return pid, err
}

func (c *contractTree) adopt(pid int) {
	ct, ok := contractOf(strconv.Itoa(pid))
	if !ok || ct <= 0 {
		return
	}
	c.mu.Lock()
	c.ids[ct] = true
	c.mu.Unlock()
	if fd, err := unix.Open("/system/contract/process/"+strconv.Itoa(int(ct))+"/ctl", unix.O_WRONLY|unix.O_CLOEXEC, 0); err == nil {
		unix.IoctlSetInt(fd, ctCAbandon, 0)
		unix.Close(fd)
	}
}

func contractOf(pid string) (int32, bool) {
	f, err := os.Open("/proc/" + pid + "/psinfo")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	b := make([]byte, psinfoContractSize)
	if _, err := f.ReadAt(b, 0); err != nil {
		return 0, false
	}
	_, ct, ok := parsePsinfo(b)
	return ct, ok
}

// Started records the process group of the last ./run.
func (c *contractTree) Started(pid int) {
	c.mu.Lock()
	c.pgid = pid
	c.mu.Unlock()
}

// Signal sends sig to the last ./run's process group and to every member of the
// service's contracts, and forgets the contracts that have none left.
func (c *contractTree) Signal(sig syscall.Signal) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pgid > 0 {
		unix.Kill(-c.pgid, sig)
	}
	if len(c.ids) == 0 {
		return nil
	}
	d, err := os.Open("/proc")
	if err != nil {
		return err
	}
	names, err := d.Readdirnames(-1)
	d.Close()
	if err != nil {
		return err
	}
	live := map[int32]bool{}
	for _, n := range names {
		pid, err := strconv.Atoi(n)
		if err != nil {
			continue
		}
		if ct, ok := contractOf(n); ok && c.ids[ct] {
			unix.Kill(pid, sig)
			live[ct] = true
		}
	}
	c.ids = live
	return nil
}

// Close closes the template; the contracts were abandoned at once.
func (c *contractTree) Close() { unix.Close(c.tmpl) }

// Weaken: there is nothing weaker to fall back to.
func (c *contractTree) Weaken() bool { return false }
