package scan

import (
	"os"
	"path/filepath"
	"sync"

	"github.com/runit-go/runit/core/child"
	"golang.org/x/sys/unix"
)

// classic runs one `runsv NAME` process per service, found through PATH, as C runsvdir does.
type classic struct {
	dir    string
	pgrp   bool
	deaths chan<- ended
	mu     sync.Mutex
	pids   map[int]int // id -> pid
	wg     sync.WaitGroup
}

func newClassic(dir string, pgrp bool, deaths chan<- ended) *classic {
	if os.Getenv("PATH") == "" {
		os.Setenv("PATH", "/bin:/usr/bin")
	}
	return &classic{dir: dir, pgrp: pgrp, deaths: deaths, pids: map[int]int{}}
}

func (c *classic) start(id int, name, _ string) error {
	path := lookPath("runsv")
	if path == "" {
		return unix.ENOENT
	}
	pid, done, err := child.Spawn(child.Spec{Path: path, Argv: []string{"runsv", name}, Dir: c.dir,
		Files: []uintptr{0, 1, 2}, Setsid: c.pgrp})
	if err != nil {
		return err
	}
	c.mu.Lock()
	c.pids[id] = pid
	c.mu.Unlock()
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		<-done
		c.mu.Lock()
		if c.pids[id] == pid {
			delete(c.pids, id)
		}
		c.mu.Unlock()
		reportDeath(c.deaths, ended{id: id})
	}()
	return nil
}

func (c *classic) stop(id int) {
	c.mu.Lock()
	pid := c.pids[id]
	delete(c.pids, id)
	c.mu.Unlock()
	if pid > 0 {
		unix.Kill(pid, unix.SIGTERM)
	}
}

func (c *classic) stopAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for id, pid := range c.pids {
		unix.Kill(pid, unix.SIGTERM)
		delete(c.pids, id)
	}
}

func (c *classic) stopAndWait() {
	c.stopAll()
	c.wg.Wait()
}

// lookPath finds an executable file name in PATH's absolute directories, or returns "".
// A relative directory is skipped, as os/exec's LookPath refuses one (ErrDot): the
// supervisor starts in the service's directory, where it would mean another file.
func lookPath(name string) string {
	for _, d := range filepath.SplitList(os.Getenv("PATH")) {
		if !filepath.IsAbs(d) {
			continue
		}
		p := filepath.Join(d, name)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() && unix.Access(p, unix.X_OK) == nil {
			return p
		}
	}
	return ""
}
