package supervise

import (
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/runit-go/runit/core/child"
	"github.com/runit-go/runit/platform"
	"golang.org/x/sys/unix"
)

// effects is everything the engine does to the world: the clock, processes, signals and
// the supervise/ files. osEffects is the real one; the tests give a recording fake.
type effects interface {
	Now() time.Time
	// Options reads u's opt-in files before a start of ./run, and sets up what they ask
	// for (the process tree).
	Options(u *unit) options
	// Spawn starts argv ("./run", or "./finish CODE SIG") for u. A program that cannot
	// start is reported here, as C runsv's child reports it.
	Spawn(u *unit, argv []string) (pid int, done <-chan child.Exit, err error)
	// Signal sends sig to u's process, and to its whole process tree too when tree is set
	// and the service opted in (stop-tree).
	Signal(u *unit, sig unix.Signal, tree bool)
	// HasScript reports whether control/<c> is there and executable by its owner;
	// RunScript runs it, waits, and reports whether it exited 0.
	HasScript(u *unit, c byte) bool
	RunScript(u *unit, c byte) bool
	// HasFinish reports whether u has a ./finish to run.
	HasFinish(u *unit) bool
	// Reaped releases what u's process that just ended held (its process tree, a logger
	// pool's connection); Forget stops waiting for pid, which runsv no longer supervises.
	Reaped(u *unit)
	Forget(pid int)
	// WriteStatus writes u's status record (and pid and stat); WriteReady and WriteBackoff
	// write the extension files ready and backoff.
	WriteStatus(u *unit)
	WriteReady(u *unit)
	WriteBackoff(u *unit, delay time.Duration)
	// CloseLogPipe closes the log pipe: log/run sees EOF.
	CloseLogPipe()
}

// osEffects are the engine's effects on the system, for Service s.
type osEffects struct{ s *Service }

func (o osEffects) Now() time.Time { return time.Now() }

func (o osEffects) Options(u *unit) options {
	opt := o.s.readOptions(u.dir)
	o.s.setTree(opt.tree)
	return opt
}

func (o osEffects) Spawn(u *unit, argv []string) (int, <-chan child.Exit, error) {
	return o.s.spawn(u, argv)
}

func (o osEffects) Signal(u *unit, sig unix.Signal, tree bool) {
	s := o.s
	if u.pool != nil {
		unix.Write(u.pool.fd, []byte{poolBytes[sig]})
	} else if u.pid > 0 {
		unix.Kill(u.pid, sig)
	}
	if tree && u.pol.scripts && s.tree != nil {
		s.tree.Signal(sig)
	}
}

func (o osEffects) HasScript(u *unit, c byte) bool {
	name := "control/" + string(c)
	var st unix.Stat_t
	if err := unix.Stat(filepath.Join(u.dir, name), &st); err != nil {
		if err != unix.ENOENT {
			o.s.warn("unable to stat "+name, err)
		}
		return false
	}
	return st.Mode&unix.S_IXUSR != 0
}

// RunScript runs control/<c> as runsv does: runsv waits for it. It receives the service's
// pid as its argument when a process is running (runit 2.3).
func (o osEffects) RunScript(u *unit, c byte) bool {
	s := o.s
	name := "control/" + string(c)
	argv := []string{name}
	if u.pid != 0 {
		argv = append(argv, strconv.Itoa(u.pid))
	}
	stdout := s.cfg.Stdout
	if s.logW >= 0 {
		stdout = uintptr(s.logW)
	}
	_, done, err := child.Spawn(child.Spec{Path: name, Argv: argv, Dir: u.dir,
		Files: []uintptr{s.cfg.Stdin, stdout, s.cfg.ErrFd}})
	if err != nil {
		s.warn("unable to run "+name, err)
		return false
	}
	return (<-done).Success()
}

func (o osEffects) HasFinish(u *unit) bool {
	fd, err := unix.Open(filepath.Join(u.dir, "finish"), unix.O_RDONLY|unix.O_NONBLOCK|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		return false
	}
	unix.Close(fd)
	return true
}

func (o osEffects) Reaped(u *unit) {
	s := o.s
	s.unpool(u)
	if u.pol.scripts && s.tree != nil {
		s.tree.Signal(unix.SIGKILL) // what ./run left behind goes with it
	}
}

func (o osEffects) Forget(pid int)                            { child.Forget(pid) }
func (o osEffects) WriteStatus(u *unit)                       { o.s.writeStatus(u) }
func (o osEffects) WriteReady(u *unit)                        { o.s.writeReady(u) }
func (o osEffects) WriteBackoff(u *unit, delay time.Duration) { o.s.writeBackoff(u, delay) }
func (o osEffects) CloseLogPipe()                             { o.s.closeLogPipe() }

// spawn starts argv for u with its descriptors: the log pipe as log/run's stdin and as
// ./run's stdout, the notification fd and NOTIFY_SOCKET ./run asked for, its process tree.
func (s *Service) spawn(u *unit, argv []string) (int, <-chan child.Exit, error) {
	isRun := argv[0] == "./run"
	stdin, stdout := s.cfg.Stdin, s.cfg.Stdout
	if u.pol.readsLog {
		stdin = uintptr(s.logR)
	} else if s.logW >= 0 {
		stdout = uintptr(s.logW)
	}
	spec := child.Spec{Path: argv[0], Argv: argv, Dir: u.dir, Files: []uintptr{stdin, stdout, s.cfg.ErrFd}}
	notifyR := -1
	if isRun && u.opt.notifyFD >= 3 {
		if r, w, err := platform.Pipe(); err == nil {
			for len(spec.Files) <= u.opt.notifyFD {
				spec.Files = append(spec.Files, ^uintptr(0)) // closed in the child
			}
			spec.Files[u.opt.notifyFD] = uintptr(w)
			notifyR = r
			defer unix.Close(w)
		}
	}
	if isRun && u.opt.notifySock {
		s.openNotify(u)
		if s.notify != nil {
			spec.Env = append(os.Environ(), "NOTIFY_SOCKET="+s.notifyEnv)
		}
	}
	if u.pol.scripts && s.tree != nil {
		spec.Attr, spec.Fork = s.tree.Attr, s.tree.Fork
	}
	if isRun && u.pol.readsLog {
		spec.Env = handoffEnv(spec.Env)
	}
	pid, done, err := child.Spawn(spec)
	if err != nil && spec.Attr != nil && s.tree.Weaken() {
		pid, done, err = child.Spawn(spec)
	}
	if err == nil && spec.Attr != nil {
		s.tree.Started(pid)
	}
	if notifyR >= 0 {
		if err == nil {
			go s.readNotification(notifyR, pid)
		} else {
			unix.Close(notifyR)
		}
	}
	if err != nil {
		// C runsv's child prints this and exits 111; we have no child, so we say it and
		// the engine goes through the same exit path, throttle included.
		s.say("fatal", "unable to start "+u.pol.prefix+argv[0], err)
		return 0, nil, err
	}
	if u.pol.readsLog {
		expectHandoff(pid, s)
	}
	return pid, done, nil
}
