//go:build linux

package linux

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/runit-go/runit/platform/posix"
)

var cgroupSeq atomic.Int64

// cgroupTree is a cgroup v2 created under our own cgroup; processes are placed in it
// at clone time (CLONE_INTO_CGROUP), so not even a process that forks at once escapes.
type cgroupTree struct {
	dir   string
	fd    int
	useFD bool
}

// NewConfinement makes a cgroup for the service named name, or returns nil and why not
// (the process group is used then).
func NewConfinement(name string) (posix.Confinement, string) {
	base, err := ownCgroup2()
	if err != nil {
		return nil, "no writable cgroup2 hierarchy (" + err.Error() + "): stopping the process group instead"
	}
	clean := strings.Map(func(r rune) rune {
		if r == '/' || r == '\n' || r == ' ' {
			return '_'
		}
		return r
	}, name)
	dir := filepath.Join(base, fmt.Sprintf("runit.%s.%d.%d", clean, os.Getpid(), cgroupSeq.Add(1)))
	if err := os.Mkdir(dir, 0o755); err != nil && !os.IsExist(err) {
		return nil, "cannot create a cgroup (" + err.Error() + "): stopping the process group instead"
	}
	fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		os.Remove(dir)
		return nil, "cannot open a cgroup (" + err.Error() + "): stopping the process group instead"
	}
	return &cgroupTree{dir: dir, fd: fd, useFD: true}, ""
}

// ownCgroup2 finds the cgroup2 mount and our cgroup in it, and checks it is writable.
func ownCgroup2() (string, error) {
	mount := ""
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return "", err
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		for i, fld := range fields {
			if fld == "-" && i+1 < len(fields) && fields[i+1] == "cgroup2" {
				mount = fields[4]
			}
		}
	}
	f.Close()
	if mount == "" {
		return "", fmt.Errorf("no cgroup2 mount")
	}
	b, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return "", err
	}
	rel := ""
	for _, line := range strings.Split(string(b), "\n") {
		if p, ok := strings.CutPrefix(line, "0::"); ok {
			rel = p
		}
	}
	base := filepath.Join(mount, rel)
	if unix.Access(base, unix.W_OK) != nil {
		return "", fmt.Errorf("%s is not writable", base)
	}
	return base, nil
}

// Attr places the process into the cgroup at clone time.
func (c *cgroupTree) Attr(a *syscall.SysProcAttr) {
	if c.useFD {
		a.UseCgroupFD = true
		a.CgroupFD = c.fd
	}
}

// Started moves pid into the cgroup when it could not be placed there at clone time.
func (c *cgroupTree) Started(pid int) {
	if !c.useFD {
		os.WriteFile(filepath.Join(c.dir, "cgroup.procs"), []byte(strconv.Itoa(pid)), 0)
	}
}

// Weaken falls back to moving the process after its start (kernels before 5.7 have no
// CLONE_INTO_CGROUP).
func (c *cgroupTree) Weaken() bool {
	if !c.useFD {
		return false
	}
	c.useFD = false
	return true
}

// Signal kills through cgroup.kill, or signals each process of cgroup.procs.
func (c *cgroupTree) Signal(sig syscall.Signal) error {
	if sig == unix.SIGKILL {
		if err := os.WriteFile(filepath.Join(c.dir, "cgroup.kill"), []byte("1"), 0); err == nil {
			return nil
		}
	}
	b, err := os.ReadFile(filepath.Join(c.dir, "cgroup.procs"))
	if err != nil {
		return err
	}
	for _, f := range strings.Fields(string(b)) {
		if pid, err := strconv.Atoi(f); err == nil {
			unix.Kill(pid, sig)
		}
	}
	return nil
}

// Close removes the cgroup once it is empty.
func (c *cgroupTree) Close() {
	unix.Close(c.fd)
	os.Remove(c.dir) // fails while processes remain; the kernel keeps it until then
}
