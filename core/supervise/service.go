// Package supervise is the runsv engine: it supervises one service directory (./run,
// ./finish, ./down, control/, and an optional log/ service fed through a pipe) and keeps
// the supervise/ files exactly as C runsv does, so that any sv can drive it.
//
// One Service is driven by one goroutine that owns all of its state; control bytes, child
// exits and timers reach it as events. Nothing ever blocks in a sleep, so a control command
// sent during the one-second restart pause is honoured at once. Many Services can share a
// process (runsvdir's in-process mode): they share only the child reaper.
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
	status "github.com/runit-go/runit/core/protocol"
	"github.com/runit-go/runit/platform"
	"golang.org/x/sys/unix"
)

// throttle is runit's minimum time between two starts of ./run.
const throttle = time.Second

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

// unit is one supervised program: the main service or its log.
type unit struct {
	isLog      bool
	dir        string // absolute directory holding run (and supervise/)
	rel        string // "supervise" or "log/supervise", for messages
	f          *files
	state      status.State
	want       status.Want
	once       bool // an 'o' asked for one start
	pid        int
	pidWritten int
	// statWritten is the text last written to stat ("" forces a write).
	statWritten string
	paused      bool
	term        bool
	stamp       time.Time // status timestamp: last state change
	started     time.Time // when ./run last started, for the throttle
	notBefore   time.Time // throttle: no start before this
	done        <-chan child.Exit
	lastExit    syscall.WaitStatus // ./run's status, for ./finish's arguments
	killAt      time.Time          // stop-timeout: KILL if still running then
	ready       bool               // notification-fd: ./run said it is ready
	pool        *os.File           // log only: the pooled logger's connection (handoff.go)
}

type ctlByte struct {
	log bool
	c   byte
}

// Service supervises one service directory.
type Service struct {
	cfg        Config
	main       unit
	log        *unit
	logR, logW int // the log pipe, held open for our whole life
	dev, ino   uint64
	ctl        chan ctlByte
	exitReq    chan struct{}
	quit       chan struct{}
	readyCh    chan int       // pids that reported readiness (-1: whatever ./run is current)
	statusCh   chan notifyMsg // notify-socket messages
	handoff    chan handoffReq
	notify     *os.File // NOTIFY_SOCKET, opened on the first start that asks for it
	notifyEnv  string
	opt        options // opt-in additions, read at each start of ./run
	tree       *platform.Tree
	warned     map[string]bool
	quick      int // consecutive quick deaths of ./run, for the backoff
}

func errText(err error) string { return errstr.Text(err) }

// Open does runsv's startup: it reads ./down and ./log, creates and locks supervise/ (and
// log/supervise/), and writes the first status. Errors are runsv's fatal messages.
func Open(cfg Config) (*Service, error) {
	s := &Service{cfg: cfg, logR: -1, logW: -1, ctl: make(chan ctlByte, 16),
		exitReq: make(chan struct{}, 1), quit: make(chan struct{}), readyCh: make(chan int, 1), statusCh: make(chan notifyMsg, 1),
		handoff: make(chan handoffReq)}
	var st unix.Stat_t
	if err := unix.Stat(cfg.Dir, &st); err != nil {
		return nil, fatal("unable to change to directory", err)
	}
	s.dev, s.ino = uint64(st.Dev), uint64(st.Ino)
	s.main = unit{dir: cfg.Dir, rel: "supervise", pidWritten: -1}
	want, err := wantFrom(cfg.Dir)
	if err != nil {
		return nil, fatal("unable to stat down", err)
	}
	s.main.want = want
	logDir := filepath.Join(cfg.Dir, "log")
	if err := unix.Stat(logDir, &st); err != nil {
		if err != unix.ENOENT {
			s.warn("unable to stat ./log", err)
		}
	} else if st.Mode&unix.S_IFMT != unix.S_IFDIR {
		s.warn("./log: not a directory.", nil)
	} else {
		lw, err := wantFrom(logDir)
		if err != nil {
			return nil, fatal("unable to stat log/down", err)
		}
		s.log = &unit{isLog: true, dir: logDir, rel: "log/supervise", want: lw, pidWritten: -1}
		if s.logR, s.logW, err = platform.Pipe(); err != nil {
			return nil, fatal("unable to create log pipe", err)
		}
	}
	now := time.Now()
	if s.main.f, err = openSupervise(cfg.Dir, "supervise", false); err != nil {
		s.Close()
		return nil, err
	}
	if w := s.main.f.warning; w != "" {
		s.warn(w, nil)
	}
	s.main.stamp = status.Stamp(now)
	s.writeStatus(&s.main)
	if err := s.main.f.openOK(cfg.Dir, "supervise"); err != nil {
		s.Close()
		return nil, err
	}
	if s.log != nil {
		if s.log.f, err = openSupervise(logDir, "log/supervise", true); err != nil {
			s.Close()
			return nil, err
		}
		s.log.stamp = status.Stamp(now)
		s.writeStatus(s.log)
		if err := s.log.f.openOK(logDir, "log/supervise"); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

func wantFrom(dir string) (status.Want, error) {
	var st unix.Stat_t
	err := unix.Stat(filepath.Join(dir, "down"), &st)
	if err == nil {
		return status.WantDown, nil
	}
	if err == unix.ENOENT {
		return status.WantUp, nil
	}
	return status.WantUp, err
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
}

func (s *Service) closeLogPipe() {
	if s.logR >= 0 {
		unix.Close(s.logR)
		unix.Close(s.logW)
		s.logR, s.logW = -1, -1
	}
}

// Run supervises until the service is told to exit and is down (and its log has exited).
func (s *Service) Run() {
	defer s.Close()
	go s.readControl(s.main.f.control, false)
	if s.log != nil {
		go s.readControl(s.log.f.control, true)
	}
	var dirTick <-chan time.Time
	if s.cfg.WatchDir > 0 {
		t := time.NewTicker(s.cfg.WatchDir)
		defer t.Stop()
		dirTick = t.C
	}
	var timer *time.Timer
	for {
		now := time.Now()
		wake := s.maybeStart(s.log, now)
		if w := s.maybeStart(&s.main, now); w > 0 && (wake == 0 || w < wake) {
			wake = w
		}
		if !s.main.killAt.IsZero() {
			w := s.main.killAt.Sub(now)
			if w <= 0 {
				s.stopTimedOut()
			} else if wake == 0 || w < wake {
				wake = w
			}
		}
		if s.main.want == status.WantExit && s.main.state == status.Down && s.main.pid == 0 {
			if s.log == nil || s.log.pid == 0 {
				return
			}
			if s.log.want != status.WantExit {
				// log/run sees EOF on its stdin and exits; then so do we. The log's want
				// exit is written out, as C runsv does (a paused log shows it meanwhile).
				s.log.want = status.WantExit
				s.writeStatus(s.log)
				s.closeLogPipe()
			}
		}
		var timeout <-chan time.Time
		if wake > 0 {
			if timer == nil {
				timer = time.NewTimer(wake)
			} else {
				timer.Reset(wake)
			}
			timeout = timer.C
		}
		var logDone <-chan child.Exit
		if s.log != nil {
			logDone = s.log.done
		}
		select {
		case e := <-s.main.done:
			s.exited(&s.main, e)
		case e := <-logDone:
			s.exited(s.log, e)
		case b := <-s.ctl:
			if b.log {
				if s.log != nil {
					s.control(s.log, b.c)
				}
			} else {
				s.control(&s.main, b.c)
			}
		case <-s.exitReq:
			s.control(&s.main, 'x')
		case m := <-s.statusCh:
			s.notified(m)
		case pid := <-s.readyCh:
			if pid == -1 {
				pid = s.main.pid
			}
			if s.main.pid == pid && pid != 0 && s.main.state == status.Run && !s.main.ready {
				s.main.ready = true
				s.writeReady(&s.main)
			}
		case r := <-s.handoff:
			s.takeHandoff(r)
		case <-timeout:
		case <-dirTick:
			s.checkDir()
		}
		if timer != nil && !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
	}
}

// readControl feeds the bytes written to a control FIFO to the loop, one event per byte.
func (s *Service) readControl(f *os.File, isLog bool) {
	var buf [32]byte
	for {
		n, err := f.Read(buf[:])
		for _, c := range buf[:n] {
			select {
			case s.ctl <- ctlByte{isLog, c}:
			case <-s.quit:
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// maybeStart starts u if it should run; it returns how long until the throttle allows a
// start that is due, or 0.
func (s *Service) maybeStart(u *unit, now time.Time) time.Duration {
	if u == nil || u.pid != 0 {
		return 0
	}
	if u.want == status.WantExit && u.isLog {
		return 0
	}
	if !(u.want == status.WantUp || u.state == status.Finish || u.once) {
		return 0
	}
	if u.state != status.Finish && now.Before(u.notBefore) {
		return u.notBefore.Sub(now)
	}
	if u.isLog && s.logR < 0 {
		return 0
	}
	s.start(u, now)
	if u.pid == 0 {
		// The start failed (no such file, not executable, no fork): like runsv, try again
		// once the throttle allows. A failed ./finish goes straight on to ./run.
		return s.maybeStart(u, now)
	}
	return 0
}

func (s *Service) start(u *unit, now time.Time) {
	u.once = false
	argv := []string{"./run"}
	if u.state == status.Finish {
		code, sig := finishArgs(u.lastExit)
		argv = []string{"./finish", code, sig}
	} else if !u.isLog {
		s.custom(u, 'u')
		s.opt = s.readOptions(u.dir)
		s.setTree()
		if s.quick >= 2 {
			s.writeBackoff(u, 0) // no longer held down
		}
	}
	stdin, stdout := s.cfg.Stdin, s.cfg.Stdout
	if u.isLog {
		stdin = uintptr(s.logR)
	} else if s.logW >= 0 {
		stdout = uintptr(s.logW)
	}
	spec := child.Spec{Path: argv[0], Argv: argv, Dir: u.dir, Files: []uintptr{stdin, stdout, s.cfg.ErrFd}}
	notifyR := -1
	if !u.isLog && u.state != status.Finish && s.opt.notifyFD >= 3 {
		if r, w, err := platform.Pipe(); err == nil {
			for len(spec.Files) <= s.opt.notifyFD {
				spec.Files = append(spec.Files, ^uintptr(0)) // closed in the child
			}
			spec.Files[s.opt.notifyFD] = uintptr(w)
			notifyR = r
			defer unix.Close(w)
		}
	}
	if !u.isLog && u.state != status.Finish && s.opt.notifySock {
		s.openNotify(u)
		if s.notify != nil {
			spec.Env = append(os.Environ(), "NOTIFY_SOCKET="+s.notifyEnv)
		}
	}
	if !u.isLog && s.tree != nil {
		spec.Attr, spec.Fork = s.tree.Attr, s.tree.Fork
	}
	if u.isLog && u.state != status.Finish {
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
	if u.state != status.Finish {
		u.started = now
		u.stamp = status.Stamp(now)
		u.state = status.Run
	}
	u.paused, u.term = false, false
	if err != nil {
		// C runsv's child prints this and exits 111; we have no child, so we say it and
		// go through the same exit path, throttle included.
		prefix := ""
		if u.isLog {
			prefix = "log/"
		}
		s.say("fatal", "unable to start "+prefix+argv[0], err)
		u.pid = 0
		s.writeStatus(u)
		s.exited(u, child.Exit{Status: syscall.WaitStatus(111 << 8)})
		return
	}
	u.pid, u.done = pid, done
	if u.isLog {
		expectHandoff(pid, s)
	}
	s.writeStatus(u)
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

func (s *Service) exited(u *unit, e child.Exit) {
	if u.isLog {
		s.unpool(u)
	}
	u.pid, u.done, u.term = 0, nil, false
	u.killAt = time.Time{}
	now := time.Now()
	if !u.isLog {
		if s.tree != nil {
			s.tree.Signal(unix.SIGKILL) // what ./run left behind goes with it
		}
		if u.ready {
			u.ready = false
			s.writeReady(u)
		}
	}
	if !u.isLog && u.state != status.Finish {
		if fd, err := unix.Open(filepath.Join(u.dir, "finish"), unix.O_RDONLY|unix.O_NONBLOCK|unix.O_NOCTTY|unix.O_CLOEXEC, 0); err == nil {
			unix.Close(fd)
			u.lastExit = e.Status
			u.state = status.Finish
			s.writeStatus(u)
			return
		}
	}
	u.state = status.Down
	if next := u.started.Add(throttle); now.Before(next) {
		u.notBefore = next
	}
	if !u.isLog && s.opt.backoffMax > 0 {
		s.backoff(u, now)
	}
	u.stamp = status.Stamp(now)
	if u.want == status.WantUp && !now.Before(u.notBefore) {
		// It starts again in this same loop turn, which writes the run record at once: a
		// down record before it could not be acted on by anyone, so spare the restart
		// path its file replacements.
		return
	}
	s.writeStatus(u)
}

// control applies one control byte, as runsv(8) describes.
func (s *Service) control(u *unit, c byte) {
	running := u.state == status.Run && u.pid != 0
	switch c {
	case 'u':
		u.want = status.WantUp
		s.writeStatus(u)
		if !u.isLog && s.quick > 0 {
			// Someone asked for the service: the backoff starts over.
			s.quick = 0
			u.notBefore = u.started.Add(throttle)
			s.writeBackoff(u, 0)
		}
	case 'o':
		u.want = status.WantDown
		s.writeStatus(u)
		if u.pid == 0 && u.state == status.Down {
			u.once = true
		}
	case 'd':
		u.want = status.WantDown
		s.writeStatus(u)
		if running {
			s.stop(u)
		}
	case 'x':
		if u.isLog {
			return
		}
		u.want = status.WantExit
		s.writeStatus(u)
		if running {
			s.stop(u)
		}
	case 't':
		if running {
			s.stop(u)
		}
	case 'k':
		if running && !s.custom(u, 'k') {
			s.signalAll(u, unix.SIGKILL)
		}
		if u.want == status.WantExit && !u.isLog {
			// The kill of `sv force-shutdown`: runsv counts the service down at once and
			// exits without waiting for ./run (or a ./finish already running) and without
			// running ./finish, as C runsv does. The reaper still collects the child.
			if u.pid != 0 {
				child.Forget(u.pid)
			}
			u.state, u.pid, u.done, u.killAt = status.Down, 0, nil, time.Time{}
		}
	case 'p':
		if running && !s.custom(u, 'p') {
			s.signal(u, unix.SIGSTOP)
		}
		u.paused = true
		s.writeStatus(u)
	case 'c':
		if running && !s.custom(u, 'c') {
			s.signal(u, unix.SIGCONT)
		}
		u.paused = false
		s.writeStatus(u)
	case 'h', 'a', 'i', 'q', '1', '2':
		if running && !s.custom(u, c) {
			s.signal(u, plainSignals[c])
		}
	}
	// Anything else is ignored, as in runsv.
}

// plainSignals are the control bytes that only forward a signal to ./run.
var plainSignals = map[byte]unix.Signal{'h': unix.SIGHUP, 'a': unix.SIGALRM, 'i': unix.SIGINT,
	'q': unix.SIGQUIT, '1': unix.SIGUSR1, '2': unix.SIGUSR2}

// stop is runsv's stop sequence: TERM (unless control/t says no), then CONT, then
// control/d or control/x.
func (s *Service) stop(u *unit) {
	if !s.custom(u, 't') {
		s.signalAll(u, unix.SIGTERM)
		u.term = true
		s.writeStatus(u)
		if !u.isLog && s.opt.stopTimeout > 0 {
			u.killAt = time.Now().Add(s.opt.stopTimeout)
		}
	}
	switch u.want {
	case status.WantDown:
		s.signalAll(u, unix.SIGCONT)
		s.custom(u, 'd')
	case status.WantExit:
		s.signalAll(u, unix.SIGCONT)
		s.custom(u, 'x')
	}
}

// stopTimedOut: ./run did not exit within stop-timeout after TERM, so TERM becomes KILL.
func (s *Service) stopTimedOut() {
	s.main.killAt = time.Time{}
	if s.main.pid != 0 && s.main.state == status.Run {
		s.signalAll(&s.main, unix.SIGKILL)
	}
}

// signalAll signals the service: its whole process tree when it opted in (stop-tree),
// else ./run alone, as runsv does.
func (s *Service) signalAll(u *unit, sig unix.Signal) {
	s.signal(u, sig)
	if !u.isLog && s.tree != nil {
		s.tree.Signal(sig)
	}
}

func (s *Service) signal(u *unit, sig unix.Signal) {
	if u.pool != nil {
		u.pool.Write([]byte{poolBytes[sig]})
		return
	}
	if u.pid > 0 {
		unix.Kill(u.pid, sig)
	}
}

// custom runs control/C if it is executable by its owner and reports whether it exited 0,
// in which case the signal is not sent. runsv waits for it. It receives the service's pid
// as its argument when a process is running (runit 2.3).
func (s *Service) custom(u *unit, c byte) bool {
	if u.isLog {
		return false
	}
	name := "control/" + string(c)
	var st unix.Stat_t
	if err := unix.Stat(filepath.Join(u.dir, name), &st); err != nil {
		if err != unix.ENOENT {
			s.warn("unable to stat "+name, err)
		}
		return false
	}
	if st.Mode&unix.S_IXUSR == 0 {
		return false
	}
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

// checkDir notices that the service directory was removed and created again, and moves
// our supervise/ files into the new one, so that runsv keeps working (C runsv does not).
func (s *Service) checkDir() {
	var st unix.Stat_t
	if unix.Stat(s.cfg.Dir, &st) != nil || (uint64(st.Dev) == s.dev && uint64(st.Ino) == s.ino) {
		return
	}
	f, err := openSupervise(s.cfg.Dir, "supervise", false)
	if err != nil {
		s.warn("service directory was replaced; "+err.Error(), nil)
		return
	}
	s.main.f.close()
	s.main.f = f
	s.main.pidWritten, s.main.statWritten = -1, ""
	s.writeStatus(&s.main)
	if err := f.openOK(s.cfg.Dir, "supervise"); err != nil {
		s.warn(err.Error(), nil)
	}
	go s.readControl(f.control, false)
	if s.log != nil {
		if lf, err := openSupervise(s.log.dir, "log/supervise", false); err == nil {
			s.log.f.close()
			s.log.f = lf
			s.log.pidWritten, s.log.statWritten = -1, ""
			s.writeStatus(s.log)
			lf.openOK(s.log.dir, "log/supervise")
			go s.readControl(lf.control, true)
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
