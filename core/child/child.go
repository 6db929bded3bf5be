// Package child starts and reaps the supervisors' child processes.
//
// One reaper serves the whole process: it collects every exited child with
// wait4(-1, WNOHANG) when SIGCHLD arrives and hands the status to whoever started that
// pid. This is what lets one process supervise many services (runsvdir's in-process
// mode) while each service still learns of its own child's exit at once. Nothing else in
// a process that uses this package may wait for children (no os/exec Wait).
package child

import (
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// Exit is how a child ended.
type Exit struct {
	Pid    int
	Status syscall.WaitStatus
}

// Success reports runit's idea of success for a helper (./check, control/X, a processor):
// (wstatus >> 8) == 0, so a helper killed by a signal counts as success, as in C runit.
func (e Exit) Success() bool { return uint32(e.Status)>>8&0xff == 0 }

// Spec describes a process to start.
type Spec struct {
	Path   string    // program; relative paths resolve in Dir
	Argv   []string  // full argv, argv[0] included
	Dir    string    // working directory of the child
	Env    []string  // nil means this process's environment
	Files  []uintptr // fds 0, 1, 2, ... of the child
	Setsid bool      // new session and process group
	// Attr, if set, adjusts the child's attributes (a service's process tree confinement).
	Attr func(*syscall.SysProcAttr)
	// Fork, if set, runs the fork it is given inside what the confinement needs around it;
	// the child cannot be reaped before Fork returns.
	Fork func(start func() (int, error)) (int, error)
}

var (
	mu      sync.Mutex
	waiters = map[int]chan Exit{}
	// spawning counts forks under way. While one is, Reap collects only registered pids:
	// a wait for any child could reap a child that exists but is not registered yet, and
	// its exit would be lost. The fork itself runs without the lock, so one service whose
	// exec hangs (its run on a hung file system) holds up no other service's reaping.
	spawning int
	once     sync.Once
	environ  []string
)

// Start installs the SIGCHLD reaper. It is idempotent; Spawn calls it.
func Start() {
	once.Do(func() {
		environ = os.Environ()
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, syscall.SIGCHLD)
		go func() {
			for range ch {
				Reap()
			}
		}()
	})
}

// Reap collects every exited child it may now and delivers the statuses. The reaper calls
// it on SIGCHLD; callers may call it too (it is cheap when nothing exited).
func Reap() {
	mu.Lock()
	defer mu.Unlock()
	if spawning > 0 {
		// Only our own registered children; orphans wait for the last fork to finish.
		for pid := range waiters {
			reapOne(pid)
		}
		return
	}
	for {
		var ws syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil)
		if err == syscall.EINTR {
			continue
		}
		if pid <= 0 || err != nil {
			return
		}
		deliver(pid, ws)
	}
}

// reapOne collects pid if it has exited. mu is held.
func reapOne(pid int) {
	for {
		var ws syscall.WaitStatus
		got, err := syscall.Wait4(pid, &ws, syscall.WNOHANG, nil)
		if err == syscall.EINTR {
			continue
		}
		if got == pid && err == nil {
			deliver(pid, ws)
		}
		return
	}
}

// deliver hands pid's exit to whoever started it. mu is held.
func deliver(pid int, ws syscall.WaitStatus) {
	if c, ok := waiters[pid]; ok {
		delete(waiters, pid)
		c <- Exit{pid, ws}
	}
}

// Spawn starts s and returns its pid and a channel that receives its exit exactly once.
// The fork and exec run without the reaper's lock (see spawning); the child is registered
// before anything may reap it, and collected at once if it has already exited.
func Spawn(s Spec) (int, <-chan Exit, error) {
	Start()
	env := s.Env
	if env == nil {
		env = environ
	}
	sys := &syscall.SysProcAttr{Setsid: s.Setsid}
	if s.Attr != nil {
		s.Attr(sys)
	}
	start := func() (int, error) {
		return syscall.ForkExec(s.Path, s.Argv, &syscall.ProcAttr{
			Dir:   s.Dir,
			Env:   env,
			Files: s.Files,
			Sys:   sys,
		})
	}
	mu.Lock()
	spawning++
	mu.Unlock()
	var pid int
	var err error
	if s.Fork != nil {
		pid, err = s.Fork(start)
	} else {
		pid, err = start()
	}
	mu.Lock()
	spawning--
	var c chan Exit
	if err == nil {
		c = make(chan Exit, 1)
		waiters[pid] = c
		reapOne(pid) // its SIGCHLD may have come and gone while it was not registered
	}
	last := spawning == 0
	mu.Unlock()
	if last {
		Reap() // orphans that waited for the forks to finish
	}
	if err != nil {
		return 0, nil, err
	}
	return pid, c, nil
}

// Forget stops delivering pid's exit (its reaping still happens).
func Forget(pid int) {
	mu.Lock()
	delete(waiters, pid)
	mu.Unlock()
}
