// Package supervise is the runsv engine: it supervises one service directory (./run,
// ./finish, ./down, control/, and an optional log/ service fed through a pipe) and keeps
// the supervise/ files exactly as C runsv does, so that any sv can drive it.
//
// One Service is driven by one goroutine that owns all of its state; control bytes, child
// exits and timers reach it as events, which the engine (engine.go: states, events and the
// transitions table) applies through its effects (effects.go). Nothing ever blocks in a
// sleep, so a control command sent during the one-second restart pause is honoured at once.
// Many Services can share a process (runsvdir's in-process mode): they share only the
// child reaper.
package supervise

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/runit-go/runit/core/child"
	"github.com/runit-go/runit/core/errstr"
	"github.com/runit-go/runit/core/protocol"
	"github.com/runit-go/runit/platform"
	"golang.org/x/sys/unix"
)

// Config says which directory to supervise and how to report.
type Config struct {
	Name     string        // as given by the user: messages read "runsv NAME: ..."
	Dir      string        // absolute path of the service directory
	Stderr   io.Writer     // warnings and fatal messages of children that cannot start
	WatchDir time.Duration // if non-zero, how often to check that Dir was not replaced
	Stdin    uintptr       // fd given to ./run as stdin (and the log's stdout/stderr base)
	Stdout   uintptr       // stdout of ./run when there is no log service, and of log/run
	ErrFd    uintptr       // stderr of every child
}

// ctlByte is a byte written to the control FIFO of u.
type ctlByte struct {
	u *unit
	c byte
}

// Service supervises one service directory: the engine's state, and what the system gives
// it (the supervise/ files, the log pipe, the process tree, the notify socket).
type Service struct {
	engine
	cfg        Config
	logR, logW int // the log pipe, held open for our whole life
	dev, ino   uint64
	dirFd      int // the service directory, held as C runsv holds its cwd; -1: none
	ctl        ctlQueue
	exitReq    chan struct{}
	quit       chan struct{}
	readyCh    chan int       // pids that reported readiness (-1: whatever ./run is current)
	statusCh   chan notifyMsg // notify-socket messages
	handoff    chan handoffReq
	notify     *os.File // NOTIFY_SOCKET, opened on the first start that asks for it
	notifyEnv  string
	tree       *platform.Tree
	warned     map[string]bool
}

func errText(err error) string { return errstr.Text(err) }

// Open does runsv's startup: it reads ./down and ./log, creates and locks supervise/ (and
// log/supervise/), and writes the first status. Errors are runsv's fatal messages.
func Open(cfg Config) (*Service, error) {
	s := &Service{cfg: cfg, logR: -1, logW: -1, dirFd: -1, ctl: ctlQueue{ready: make(chan struct{}, 1)},
		exitReq: make(chan struct{}, 1), quit: make(chan struct{}), readyCh: make(chan int, 1), statusCh: make(chan notifyMsg, 1),
		handoff: make(chan handoffReq)}
	s.fx = osEffects{s}
	var st unix.Stat_t
	if err := unix.Stat(cfg.Dir, &st); err != nil {
		return nil, fatal("unable to change to directory", err)
	}
	s.dev, s.ino = uint64(st.Dev), uint64(st.Ino)
	var dir string
	s.dirFd, dir = holdDir(cfg.Dir)
	s.main = unit{pol: servicePolicy, dir: dir, rel: "supervise", pidWritten: -1}
	want, err := wantFrom(dir)
	if err != nil {
		s.Close()
		return nil, fatal("unable to stat down", err)
	}
	s.main.want = want
	if err := s.findLog(); err != nil {
		s.Close()
		return nil, err
	}
	now := time.Now()
	for _, u := range []*unit{&s.main, s.log} {
		if u == nil {
			continue
		}
		// The log's lock blocks, as in C runsv.
		if u.f, err = openSupervise(u.dir, u.rel, u == s.log); err != nil {
			s.Close()
			return nil, err
		}
		if u.f.warning != "" && u == &s.main { // the log's is the same file's
			s.warn(u.f.warning, nil)
		}
		u.stamp = protocol.Stamp(now)
		s.changed(u)
		s.announce()
		if err := u.f.openOK(u.dir, u.rel); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

// findLog sets up the log unit and the log pipe when ./log is a directory.
func (s *Service) findLog() error {
	logDir := filepath.Join(s.main.dir, "log")
	var st unix.Stat_t
	if err := unix.Stat(logDir, &st); err != nil {
		if err != unix.ENOENT {
			s.warn("unable to stat ./log", err)
		}
		return nil
	}
	if st.Mode&unix.S_IFMT != unix.S_IFDIR {
		s.warn("./log: not a directory.", nil)
		return nil
	}
	lw, err := wantFrom(logDir)
	if err != nil {
		return fatal("unable to stat log/down", err)
	}
	s.log = &unit{pol: logPolicy, dir: logDir, rel: "log/supervise", want: lw, pidWritten: -1}
	if s.logR, s.logW, err = platform.Pipe(); err != nil {
		return fatal("unable to create log pipe", err)
	}
	return nil
}

func wantFrom(dir string) (protocol.Want, error) {
	var st unix.Stat_t
	err := unix.Stat(filepath.Join(dir, "down"), &st)
	if err == nil {
		return protocol.WantDown, nil
	}
	if err == unix.ENOENT {
		return protocol.WantUp, nil
	}
	return protocol.WantUp, err
}

// Exit asks the service to exit, as SIGTERM to runsv or `sv exit` do. Safe from any goroutine.
func (s *Service) Exit() {
	select {
	case s.exitReq <- struct{}{}:
	default:
	}
}

// Close releases every descriptor; Run calls it on return.
func (s *Service) Close() {
	select {
	case <-s.quit:
	default:
		close(s.quit)
	}
	if s.main.f != nil {
		s.main.f.close()
	}
	if s.log != nil && s.log.f != nil {
		s.log.f.close()
	}
	if s.log != nil {
		s.unpool(s.log)
	}
	s.closeLogPipe()
	if s.tree != nil {
		s.tree.Close()
		s.tree = nil
	}
	if s.notify != nil {
		s.notify.Close()
		s.notify = nil
	}
	if s.dirFd >= 0 {
		unix.Close(s.dirFd)
		s.dirFd = -1
	}
}

// holdDir returns the path through which the supervisor reaches the service directory
// dir, and the descriptor that path needs (-1: none). C runsv works inside its current
// directory: removing the service's symlink or renaming its directory changes nothing for
// it (it still stops the service, runs ./finish and writes "down" when runsvdir tells it
// to go). Where the system reaches a held descriptor's directory by a path (Linux's
// /proc/self/fd), ours does the same; elsewhere it follows dir's symlinks once, so that
// only a rename of the directory itself is lost.
func holdDir(dir string) (int, string) {
	if fd, err := platform.OpenPath(dir); err == nil {
		if p := platform.ProcFdDir(fd); p != "" {
			return fd, p
		}
		unix.Close(fd)
	}
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		return -1, real
	}
	return -1, dir
}

func (s *Service) closeLogPipe() {
	if s.logR >= 0 {
		unix.Close(s.logR)
		unix.Close(s.logW)
		s.logR, s.logW = -1, -1
	}
}

// Run supervises until the service is told to exit and is down (and its log has exited).
// Each loop turn delivers the deadlines that came, writes the records that changed, and
// waits for the next event.
func (s *Service) Run() {
	defer func() {
		if r := recover(); r != nil {
			// An internal error ends this supervision; the next one (runsvdir starts it
			// again) must not find the service still running, or it would run twice.
			s.abandon(abandonTerm)
			s.Close()
			panic(r)
		}
		s.Close()
	}()
	s.watchControl(s.main.f.control, &s.main)
	if s.log != nil {
		s.watchControl(s.log.f.control, s.log)
	}
	var dirTick <-chan time.Time
	if s.cfg.WatchDir > 0 {
		t := time.NewTicker(s.cfg.WatchDir)
		defer t.Stop()
		dirTick = t.C
	}
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	s.begin()
	for {
		now := s.fx.Now()
		if s.settle(now) {
			return
		}
		var timeout <-chan time.Time
		if wake := s.nextWake(now); wake > 0 {
			timer.Reset(wake)
			timeout = timer.C
		}
		s.wait(timeout, dirTick)
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
	}
}

// faultPanic makes the control byte '!' panic the service's supervision, when the
// supervisor's environment has RUNIT_TEST_FAULTS=panic: the seam through which the
// end-to-end tests check what an internal error leaves behind.
var faultPanic = os.Getenv("RUNIT_TEST_FAULTS") == "panic"

// abandonTerm is how long abandon waits after TERM before KILL: sv's default wait, as
// runsvdir gives a dead host's processes.
const abandonTerm = 7 * time.Second

// abandon stops what the service runs when its supervision ends in an internal error:
// TERM and CONT to ./run (or ./finish) and a log process of its own (and their tree, as a
// stop gives them), KILL for those left after timeout. It returns once they have ended. A pooled logger is left to finish its
// input, as when its supervisor dies.
func (s *Service) abandon(timeout time.Duration) {
	var left []*unit
	for _, u := range s.units() {
		if u.pid == 0 || u.done == nil || u.pool != nil {
			continue
		}
		s.fx.Signal(u, unix.SIGTERM, true)
		s.fx.Signal(u, unix.SIGCONT, true)
		left = append(left, u)
	}
	// The wait is bounded even after KILL: the error may have struck between a
	// process's end and its record, its end then read already.
	term, giveUp := time.NewTimer(timeout), time.NewTimer(timeout+5*time.Second)
	defer term.Stop()
	defer giveUp.Stop()
	for _, u := range left {
		for ended := false; !ended; {
			select {
			case <-u.done:
				ended = true
			case <-term.C:
				for _, v := range left {
					s.fx.Signal(v, unix.SIGKILL, true)
				}
			case <-giveUp.C:
				return
			}
		}
	}
}

// wait takes the next event and applies it.
func (s *Service) wait(timeout, dirTick <-chan time.Time) {
	var logDone <-chan child.Exit
	if s.log != nil {
		logDone = s.log.done
	}
	select {
	case e := <-s.main.done:
		s.step(&s.main, event{kind: evExited, ws: e.Status})
	case e := <-logDone:
		s.step(s.log, event{kind: evExited, ws: e.Status})
	case <-s.ctl.ready:
		if b, ok := s.ctl.next(); ok {
			if faultPanic && b.c == '!' {
				panic("fault injected through control")
			}
			if ev, ok := controlEvent(b.c); ok {
				s.step(b.u, ev)
			}
		}
	case <-s.exitReq:
		s.step(&s.main, event{kind: evExit, c: 'x'})
	case m := <-s.statusCh:
		s.notified(m)
	case pid := <-s.readyCh:
		s.step(&s.main, event{kind: evReady, pid: pid})
	case r := <-s.handoff:
		s.takeHandoff(r)
	case <-timeout:
	case <-dirTick:
		s.checkDir()
	}
}

// finishArgs are ./finish's two arguments: ./run's exit code (-1 if killed by a signal) and
// the low byte of the wait status (the signal number, 0 for a normal exit).
func finishArgs(ws syscall.WaitStatus) (string, string) {
	code := -1
	if ws.Exited() {
		code = ws.ExitStatus()
	}
	return strconv.Itoa(code), strconv.Itoa(int(uint32(ws) & 0xff))
}

// checkDir notices that the service directory was removed and created again, and moves
// our supervise/ files into the new one, so that runsv keeps working (C runsv does not).
// While the directory we hold still exists (renamed, or the symlink pointed elsewhere) we
// stay in it, as C runsv stays in its cwd: the other directory is another service's.
func (s *Service) checkDir() {
	var st unix.Stat_t
	if unix.Stat(s.cfg.Dir, &st) != nil || (uint64(st.Dev) == s.dev && uint64(st.Ino) == s.ino) {
		return
	}
	var held unix.Stat_t
	if s.dirFd >= 0 && unix.Fstat(s.dirFd, &held) == nil && held.Nlink > 0 {
		return
	}
	fd, dir := holdDir(s.cfg.Dir)
	f, err := openSupervise(dir, "supervise", false)
	if err != nil {
		if fd >= 0 {
			unix.Close(fd)
		}
		s.warn("service directory was replaced; "+err.Error(), nil)
		return
	}
	if s.dirFd >= 0 {
		unix.Close(s.dirFd)
	}
	s.dirFd, s.main.dir = fd, dir
	s.main.f.close()
	s.main.f = f
	s.main.pidWritten, s.main.statWritten = -1, ""
	s.changed(&s.main)
	s.announce() // before ok: a client that sees us alive also sees a status
	if err := f.openOK(dir, "supervise"); err != nil {
		s.warn(err.Error(), nil)
	}
	s.watchControl(f.control, &s.main)
	if s.log != nil {
		s.log.dir = filepath.Join(dir, "log")
		if lf, err := openSupervise(s.log.dir, "log/supervise", false); err == nil {
			s.log.f.close()
			s.log.f = lf
			s.log.pidWritten, s.log.statWritten = -1, ""
			s.changed(s.log)
			s.announce()
			lf.openOK(s.log.dir, "log/supervise")
			s.watchControl(lf.control, s.log)
		}
	}
	s.dev, s.ino = uint64(st.Dev), uint64(st.Ino)
}

func (s *Service) warn(msg string, err error) { s.say("warning", msg, err) }

func (s *Service) say(kind, msg string, err error) {
	line := "runsv " + s.cfg.Name + ": " + kind + ": " + msg
	if err != nil {
		line += ": " + errText(err)
	}
	fmt.Fprintln(s.cfg.Stderr, line)
}
