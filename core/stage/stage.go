// Package stage is runit as process 1: it runs /etc/runit/1, 2 and 3 in turn, reaps every
// orphan, honours the stopit/reboot protocol (SIGCONT), ctrl-alt-del (SIGINT), power
// failure (SIGPWR or the OS's stand-in) and, for containers, SIGTERM; at the end it kills
// what is left, syncs the disks and halts, powers off or reboots through a platform.Halter.
package stage

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/runit-go/runit/core/errstr"
	"github.com/runit-go/runit/core/tune"
	"github.com/runit-go/runit/platform"
	"golang.org/x/sys/unix"
)

// ID is the version stamp runit prints when it boots; kept as C runit prints it so that
// boot logs read the same.
const ID = "$Id: 25da3b86f7bed4038b8a039d2f8e8c9bbcf0822b $"

// Paths names the files runit uses. They are fixed, as in runit; the one override is
// Paths.Root, for tests only through the Runit struct, never from the command line.
type Paths struct {
	Stages     [3]string // /etc/runit/1, /etc/runit/2, /etc/runit/3
	StopIt     string    // u+x: SIGCONT shuts down
	Reboot     string    // u+x at the end: reboot instead of halt
	CtrlAltDel string    // u+x: run on SIGINT (ctrl-alt-del), then act as SIGCONT
	PwrFail    string    // u+x: run on power failure (SIGPWR), then shut down
	NoSync     string    // exists: do not sync(2) before the end
	Console    string    // /dev/console
	// Subreaper, when it exists, lets runit run as the child of a container's init shim
	// (tini, catatonit, docker run --init) instead of refusing; see Main.
	Subreaper string
}

// DefaultPaths are upstream runit 2.3's paths. Debian moves stopit and reboot to
// /run/runit.stopit and /run/runit.reboot; we follow upstream.
func DefaultPaths() Paths {
	return Paths{
		Stages:     [3]string{"/etc/runit/1", "/etc/runit/2", "/etc/runit/3"},
		StopIt:     "/etc/runit/stopit",
		Reboot:     "/etc/runit/reboot",
		CtrlAltDel: "/etc/runit/ctrlaltdel",
		PwrFail:    "/etc/runit/pwrfail",
		NoSync:     "/etc/runit/nosync",
		Console:    "/dev/console",
		Subreaper:  "/etc/runit/subreaper",
	}
}

// Runit is one run of process 1. The zero value is not usable; New gives the real one.
type Runit struct {
	Paths Paths
	// Env is the environment the stages get (runit passes its own on).
	Env []string
	// Halter ends the machine's run; platform.System in real life.
	Halter platform.Halter
	// Out receives runit's messages (standard error, which is the console).
	Out io.Writer
	// Signals delivers the requests runit acts on (CONT, INT, TERM, PowerFail); anything
	// else arriving there is ignored. See Notify.
	Signals <-chan os.Signal
	// Children says that a child died (SIGCHLD): there is something to reap. It has a
	// channel of its own so that a burst of them cannot crowd out a request.
	Children <-chan os.Signal
	// ForkExec starts a stage or flag script; syscall.ForkExec in real life.
	ForkExec func(argv0 string, argv []string, attr *syscall.ProcAttr) (int, error)
	// Sync flushes the disks before the end unless Paths.NoSync exists; platform.Sync in
	// real life.
	Sync func()
	// KillAll sends SIGKILL to every process but process 1 (kill(-1, SIGKILL)).
	KillAll func() error
	// Console, when true, opens Paths.Console as standard input, output and error at
	// start and re-opens it as standard error after each wake-up, as runit does.
	Console bool
	// StopWait is how long stage 2 has to exit after SIGTERM before it gets SIGKILL (5 s).
	StopWait time.Duration
	// RestartWait is the pause before a crashed stage 2 is restarted, and before a fork
	// that failed is tried again (5 s).
	RestartWait time.Duration
	// Tick is the longest runit sleeps without a signal (14 s): it then re-opens the
	// console and reaps.
	Tick time.Duration
	// PowerOffWait is how long runit waits for the power to go before it halts (2 s).
	PowerOffWait time.Duration
	// PowerFail is the signal standing for a power failure (platform.PowerFailSignal).
	PowerFail os.Signal

	pending request // requests received and not yet acted on
	reapNow bool    // a SIGCHLD was taken by a wait that reaped only its own child

	quit chan struct{} // tests only: ends the wait after an accepted halt
}

// New returns the Runit that process 1 runs: fixed paths, the real console and system.
func New() *Runit {
	return &Runit{
		Paths:        DefaultPaths(),
		Env:          os.Environ(),
		Halter:       platform.System,
		Out:          os.Stderr,
		KillAll:      func() error { return unix.Kill(-1, unix.SIGKILL) },
		ForkExec:     syscall.ForkExec,
		Sync:         platform.Sync,
		Console:      true,
		StopWait:     5 * time.Second,
		RestartWait:  5 * time.Second,
		Tick:         14 * time.Second,
		PowerOffWait: 2 * time.Second,
		PowerFail:    platform.PowerFailSignal(),
	}
}

// Notify catches every signal that can be caught. The requests (CONT, INT, TERM and the
// power-failure signal) go to Signals, SIGCHLD to Children, and all the others to a
// channel nobody reads: for a signal it is not told about, Go's runtime does the default
// action itself and, where the kernel protects process 1 from it, exits 2, so process 1
// would die of a SIGABRT, SIGTRAP or SIGRTMIN that C runit survives. Catching rather than
// ignoring keeps the stages' dispositions at their defaults (SIG_IGN would be inherited;
// runit 2.1.2 left SIGCONT ignored in its children, 2.3 does not). The requests are
// caught first so that there is no moment when a SIGTERM is neither fatal nor kept.
func (r *Runit) Notify() {
	req := make(chan os.Signal, 16)
	sigs := []os.Signal{unix.SIGCONT, unix.SIGINT, unix.SIGTERM}
	if r.PowerFail != nil {
		sigs = append(sigs, r.PowerFail)
	}
	signal.Notify(req, sigs...)
	// One pending SIGCHLD says all there is to say: reap.
	chld := make(chan os.Signal, 1)
	signal.Notify(chld, unix.SIGCHLD)
	signal.Notify(make(chan os.Signal, 1))
	r.Signals, r.Children = req, chld
}

// Main is the runit command: it checks that it is process 1, sets up the console and the
// signals, and runs. It returns only where process 1 may exit: when it is not process 1
// (111), or after stage 3 when the system refused to halt or reboot (a container), with
// the exit status Run describes.
func Main() int {
	// Catch the signals before anything else: until then a SIGTERM (docker stop right
	// after the start) or any other signal ends process 1 with status 2. C runit blocks
	// them as its first act. (Go's runtime starts before this; that much cannot be helped.)
	r := New()
	r.Notify()
	tune.Daemon()
	if os.Getpid() != 1 {
		if _, err := os.Stat(r.Paths.Subreaper); err != nil {
			r.fatal("must be run as process no 1.")
			return 111
		}
		if err := r.asSubreaper(); err != nil {
			r.fatal("unable to become a subreaper: " + errstr.Text(err))
			return 111
		}
	}
	_, _ = unix.Setsid()
	if err := platform.ConsoleStdio(r.Paths.Console); err != nil {
		r.warn("unable to open " + r.Paths.Console + ": " + errstr.Text(err))
	}
	// Only Linux has this; elsewhere the console already signals init or nothing does.
	_ = platform.DisableCAD()
	return r.Run()
}

// asSubreaper sets runit up to run under a container's init shim, which is process 1 and
// hands it the engine's signals: runit takes the orphans of its descendants
// (PR_SET_CHILD_SUBREAPER), at the end kills its descendants only, not every process,
// and never halts or reboots, which is the shim's and the engine's business, but exits
// with stage 3's status. Only where Paths.Subreaper exists: on a machine, runit refuses
// to run as anything but process 1, as C runit does.
func (r *Runit) asSubreaper() error {
	if err := platform.BecomeSubreaper(); err != nil {
		return err
	}
	r.KillAll = killDescendants
	r.Halter = notInit{}
	return nil
}

// killDescendants sends SIGKILL to every child until none is left alive: as the
// subreaper, runit gets the children of each one killed, so the whole tree goes. Ten
// seconds at most, for a process that SIGKILL cannot end at once (in uninterruptible
// sleep); the reaping is Run's.
func killDescendants() error {
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); {
		kids, err := platform.Children()
		if err != nil {
			return err
		}
		if len(kids) == 0 {
			return nil
		}
		for _, pid := range kids {
			_ = unix.Kill(pid, unix.SIGKILL)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return nil
}

// notInit is the Halter of a runit that is not process 1: halting and rebooting are not
// its to do, so Run ends with stage 3's status.
type notInit struct{}

func (notInit) Shutdown(platform.Shutdown) error { return errNotInit }

var errNotInit = errors.New("not process 1")

func (r *Runit) say(prefix, msg string) { fmt.Fprintf(r.Out, "- runit: %s%s\n", prefix, msg) }
func (r *Runit) info(msg string)        { r.say("", msg) }
func (r *Runit) warn(msg string)        { r.say("warning: ", msg) }
func (r *Runit) fatal(msg string)       { r.say("fatal: ", msg) }

// executable reports whether path exists and is executable by its owner, runit's test
// for its flag files (stat follows symlinks).
func executable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode()&0o100 != 0
}

// request collects the signals received since runit last acted on them: flags, as in C
// runit, so that however many arrive while runit is busy each kind is remembered.
type request struct {
	cont, intr, pwr, term bool
}

func (q request) any() bool { return q.cont || q.intr || q.pwr || q.term }

// take returns the requests received so far and forgets them.
func (r *Runit) take() request {
	q := r.pending
	r.pending = request{}
	return q
}

// Run runs the three stages and ends the machine. It returns only when the Halter refused
// (inside a container, where reboot(2) is not allowed): after stage 3 every other process
// has been killed and reaped, and the status is stage 3's exit code (128+n when a signal
// n killed it, 0 when it could not be started, like a stage that is missing).
func (r *Runit) Run() int {
	r.info(ID + ": booting.")
	stopping := false // SIGTERM arrived before stage 2: go from stage 1 straight to 3
	status3 := 0
	for st := 0; st < 3; {
		next, status := r.runStage(st, &stopping)
		if st == 2 {
			status3 = status
		}
		st = next
	}
	return r.finish(status3)
}

// runStage starts stage st (0, 1, 2 for /etc/runit/1, 2, 3) and waits for it. It returns
// the stage to run next (3: none) and the stage's exit status as Run describes it.
func (r *Runit) runStage(st int, stopping *bool) (next, status int) {
	pid, err := r.start(st)
	if err != nil {
		// C runit's child dies with status 0 when the exec fails, so a missing
		// stage counts as one that succeeded.
		path := r.Paths.Stages[st]
		r.fatal("unable to start child: " + path + ": " + errstr.Text(err))
		r.info("leave stage: " + path)
		return r.after(st, *stopping), 0
	}
	return r.watch(st, pid, stopping)
}

// after returns the stage that follows stage st when st ended normally: stage 3 straight
// after stage 1 when a SIGTERM came before stage 2 (stopping, or one not yet taken).
func (r *Runit) after(st int, stopping bool) int {
	if st == 0 && (stopping || r.pending.term) {
		r.warn("skipping stage 2...")
		return 2
	}
	return st + 1
}

// watch waits for stage st, process pid, to end, acting meanwhile on the requests that
// come: in stage 2 as act says, before it by remembering a SIGTERM in stopping, and in
// any other stage by refusing them. It returns as runStage does.
func (r *Runit) watch(st, pid int, stopping *bool) (next, status int) {
	for {
		done, ws := r.wait(pid)
		if done {
			return r.ended(st, pid, ws, *stopping)
		}
		if !r.pending.any() {
			continue
		}
		q := r.take()
		if st != 1 {
			if q.term && st == 0 {
				*stopping = true
			}
			if q.cont || q.intr || q.pwr {
				r.warn("signals only work in stage 2.")
			}
			continue
		}
		// Requests that arrive while the flag scripts run or stage 2 stops are kept
		// in r.pending for the next round (or the next stage, which refuses them).
		if r.act(q) {
			r.stopStage2(pid)
			r.info("leave stage: " + r.Paths.Stages[st])
			return 2, 0
		}
	}
}

// ended decides what follows stage st, process pid, which ended with ws: a stage 1 that
// crashed or exited 100 skips stage 2, a stage 2 that crashed or exited 111 is restarted
// (unless a request came meanwhile), and any other stage is followed by the next. It
// returns as runStage does.
func (r *Runit) ended(st, pid int, ws unix.WaitStatus, stopping bool) (next, status int) {
	path := r.Paths.Stages[st]
	crashed, code := ws.Signaled(), ws.ExitStatus()
	status = code
	if crashed {
		status = 128 + int(ws.Signal())
	}
	if crashed || code != 0 {
		if crashed {
			r.warn("child crashed: " + path)
		} else {
			r.warn("child failed: " + path)
		}
		if st == 0 && (crashed || code == 100) {
			r.info("leave stage: " + path)
			r.warn("skipping stage 2...")
			return 2, status
		}
		if st == 1 && (crashed || code == 111) {
			return r.restartStage2(pid), status
		}
	}
	r.info("leave stage: " + path)
	return r.after(st, stopping), status
}

// restartStage2 kills what is left of a stage 2, process pid, that crashed and pauses
// before it is run again. It returns the stage to run next: 1 to restart stage 2, or 2
// when a request during the pause asked to leave it.
func (r *Runit) restartStage2(pid int) int {
	r.warn("killing all processes in stage 2...")
	_ = unix.Kill(-pid, unix.SIGKILL)
	if r.restartPause() {
		r.info("leave stage: " + r.Paths.Stages[1])
		return 2
	}
	r.warn("restarting.")
	return 1
}

// finish kills every process left after stage 3 and ends the machine. It returns only
// when the Halter refused, with status (stage 3's), once every process is reaped.
func (r *Runit) finish(status int) int {
	r.reopenConsole()
	r.info("sending KILL signal to all processes...")
	_ = r.KillAll()
	err := r.end()
	if err == nil {
		// The system accepted and yet we are here: wait for it, reaping, as runit does.
		r.reapUntilQuit()
		return -1
	}
	r.warn("unable to " + err.Error())
	r.reapAll()
	return status
}

// reapUntilQuit reaps whatever dies, ignoring every request, until the machine goes (or,
// in tests, r.quit is closed).
func (r *Runit) reapUntilQuit() {
	for {
		select {
		case <-r.quit:
			return
		default:
		}
		r.wait(-2)
		r.pending = request{}
	}
}

// act acts on the requests q in stage 2: it runs ctrlaltdel and pwrfail when they are
// executable and takes stopit's x bit away when it is set and asked for. It reports
// whether runit is to leave stage 2 for stage 3.
func (r *Runit) act(q request) bool {
	if q.intr && executable(r.Paths.CtrlAltDel) {
		r.info("ctrl-alt-del request...")
		r.runWait(r.Paths.CtrlAltDel)
		q.cont = true
	}
	stop := q.term
	if q.pwr && executable(r.Paths.PwrFail) {
		// Unlike ctrlaltdel, a power failure shuts down whether or not the script
		// created stopit: the power is going either way.
		r.info("power fail request...")
		r.runWait(r.Paths.PwrFail)
		stop = true
	}
	if (q.cont || stop) && executable(r.Paths.StopIt) {
		_ = os.Chmod(r.Paths.StopIt, 0)
		stop = true
	}
	return stop
}

// restartPause waits RestartWait before a crashed stage 2 is restarted, acting at once on
// the requests that come meanwhile (or came with the crash) as in stage 2, so that a
// container's SIGTERM (docker stop) reaches stage 3 well within its manager's stop
// timeout. It reports whether a request asked to leave stage 2.
func (r *Runit) restartPause() bool {
	for end := time.Now().Add(r.RestartWait); ; {
		if r.pending.any() && r.act(r.take()) {
			return true
		}
		left := time.Until(end)
		if left <= 0 {
			return false
		}
		r.idle(left, nil)
	}
}

// end syncs and asks the Halter to reboot, or to power off and then halt. It returns nil
// if the system accepted (and so never really returns on a machine), otherwise an error
// naming what failed.
func (r *Runit) end() error {
	sync := func() {
		if _, err := os.Stat(r.Paths.NoSync); err != nil {
			r.Sync()
		}
	}
	if executable(r.Paths.Reboot) {
		r.info("system reboot.")
		sync()
		if err := r.Halter.Shutdown(platform.Reboot); err != nil {
			return fmt.Errorf("reboot: %s", errstr.Text(err))
		}
		return nil
	}
	if platform.CanPowerOff() {
		r.info("power off...")
		sync()
		if err := r.Halter.Shutdown(platform.PowerOff); err == nil {
			time.Sleep(r.PowerOffWait)
		}
	}
	r.info("system halt.")
	sync()
	if err := r.Halter.Shutdown(platform.Halt); err != nil {
		return fmt.Errorf("halt: %s", errstr.Text(err))
	}
	return nil
}

// start forks stage st. Stage 1 gets the console as standard input and controlling
// terminal; stages 2 and 3 get a session of their own, so that stage 2's process group
// can be killed as a whole.
func (r *Runit) start(st int) (int, error) {
	path := r.Paths.Stages[st]
	r.info("enter stage: " + path)
	files, done := r.childFiles()
	defer done()
	attr := &syscall.ProcAttr{
		Env:   r.Env,
		Files: files,
		Sys:   &syscall.SysProcAttr{Setsid: true},
	}
	if st == 0 && r.Console {
		tty, err := os.OpenFile(r.Paths.Console, os.O_RDWR, 0)
		if err != nil {
			r.warn("unable to open " + r.Paths.Console + ": " + errstr.Text(err))
		} else {
			defer tty.Close()
			attr.Files[0] = tty.Fd()
			attr.Sys.Setctty = true
			attr.Sys.Ctty = 0
			pid, err := r.spawn(path, attr)
			if err == nil || errors.Is(err, syscall.ENOENT) || errors.Is(err, syscall.EACCES) ||
				errors.Is(err, syscall.ENOEXEC) {
				return pid, err
			}
			// The console could not become the controlling terminal (it is not a
			// terminal, or another session holds it): run stage 1 without one.
			attr.Sys.Setctty = false
		}
	}
	return r.spawn(path, attr)
}

// spawn forks and execs path. A fork that fails for want of memory or processes is
// tried again every RestartWait, as runit does ("pausing"), rather than taken for a
// missing stage: that would shut the machine down for a passing shortage. An exec that
// fails for the same reasons is retried too, which is as right. Other errors are the
// exec's and are returned.
func (r *Runit) spawn(path string, attr *syscall.ProcAttr) (int, error) {
	for {
		pid, err := r.ForkExec(path, []string{path}, attr)
		if !errors.Is(err, syscall.EAGAIN) && !errors.Is(err, syscall.ENOMEM) {
			return pid, err
		}
		r.fatal(`unable to fork for "` + path + `" pausing: ` + errstr.Text(err))
		r.pause(r.RestartWait)
	}
}

// childFiles gives a child its standard input, output and error: runit's own (the
// non-blocking console) where there is no console to open, otherwise a blocking open of
// the console, so that a service that writes while a slow serial console is busy waits
// rather than losing the line (C runit hands its non-blocking console on; busybox echo
// then fails with EAGAIN). done closes what was opened, once the child has it.
func (r *Runit) childFiles() (files []uintptr, done func()) {
	files, done = []uintptr{0, 1, 2}, func() {}
	if !r.Console {
		return files, done
	}
	fd, err := platform.OpenConsoleForChild(r.Paths.Console)
	if err != nil {
		return files, done
	}
	return []uintptr{uintptr(fd), uintptr(fd), uintptr(fd)}, func() { unix.Close(fd) }
}

// runWait runs a flag script (ctrlaltdel, pwrfail) and waits for it alone, as runit
// does, keeping the requests that arrive meanwhile.
func (r *Runit) runWait(path string) {
	files, done := r.childFiles()
	pid, err := r.spawn(path, &syscall.ProcAttr{
		Env: r.Env, Files: files, Sys: &syscall.SysProcAttr{Setsid: true}})
	done()
	if err != nil {
		r.fatal("unable to start child: " + path + ": " + errstr.Text(err))
		return
	}
	ws, err := r.waitFor(pid)
	if err != nil {
		r.warn("wait_pid: " + errstr.Text(err))
		return
	}
	if ws.Signaled() {
		r.warn("child crashed: " + path)
	}
}

// waitFor waits for pid alone, keeping the requests that arrive meanwhile. A SIGCHLD it
// takes may have been for another child too, so the next wait reaps at once.
func (r *Runit) waitFor(pid int) (unix.WaitStatus, error) {
	for {
		var ws unix.WaitStatus
		got, err := unix.Wait4(pid, &ws, unix.WNOHANG, nil)
		if err == unix.EINTR {
			continue
		}
		if err != nil || got == pid {
			return ws, err
		}
		if r.idle(r.Tick, r.Children) {
			r.reapNow = true
		}
	}
}

// pause waits d, keeping the requests that arrive meanwhile. A SIGCHLD is left where
// it is, for the next wait to reap.
func (r *Runit) pause(d time.Duration) {
	for end := time.Now().Add(d); time.Until(end) > 0; {
		r.idle(time.Until(end), nil)
	}
}

// idle waits up to d for a request, which it notes, or for a SIGCHLD on children (nil:
// none is taken); it reports whether it was a SIGCHLD.
func (r *Runit) idle(d time.Duration, children <-chan os.Signal) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case s := <-r.Signals:
		r.note(s)
	case <-children:
		return true
	case <-t.C:
	}
	return false
}

// wait blocks until a signal arrives or Tick passes, then reaps every dead child. It
// reports whether pid was among them (and its status); the requests that arrived are
// added to r.pending. With requests already pending (kept while runit was busy) it does
// not block: they are to be acted on now, not after the next signal or Tick.
func (r *Runit) wait(pid int) (bool, unix.WaitStatus) {
	if !r.reapNow && !r.pending.any() {
		r.idle(r.Tick, r.Children)
	}
	r.reapNow = false
	// Collect whatever else is already queued, so one wake-up handles it all; the
	// SIGCHLD is taken before reaping, so that a child dying after the reap wakes us.
	for more := true; more; {
		select {
		case s := <-r.Signals:
			r.note(s)
		case <-r.Children:
		default:
			more = false
		}
	}
	r.reopenConsole()
	ws, done := r.reap(pid)
	return done, ws
}

func (r *Runit) note(s os.Signal) {
	switch {
	case s == unix.SIGCONT:
		r.pending.cont = true
	case s == unix.SIGINT:
		r.pending.intr = true
	case s == unix.SIGTERM:
		r.pending.term = true
	case r.PowerFail != nil && s == r.PowerFail:
		r.pending.pwr = true
	}
}

// reap collects every dead child without blocking; it reports pid's status if pid was
// one of them.
func (r *Runit) reap(pid int) (unix.WaitStatus, bool) {
	var found unix.WaitStatus
	done := false
	for {
		var ws unix.WaitStatus
		child, err := unix.Wait4(-1, &ws, unix.WNOHANG, nil)
		if err == unix.EINTR {
			continue
		}
		if child <= 0 {
			return found, done
		}
		if child == pid {
			found, done = ws, true
		}
	}
}

// reapAll waits for every remaining child after the final SIGKILL, so that process 1
// leaves no zombie behind when it exits; bounded, because a process stuck in the kernel
// cannot be waited for forever.
func (r *Runit) reapAll() {
	deadline := time.Now().Add(r.StopWait)
	for time.Now().Before(deadline) {
		var ws unix.WaitStatus
		child, err := unix.Wait4(-1, &ws, unix.WNOHANG, nil)
		if err == unix.EINTR || child > 0 {
			continue
		}
		if err != nil { // ECHILD: nothing left
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// stopStage2 sends SIGTERM to stage 2, gives it StopWait to exit while reaping, then
// sends SIGKILL and waits for it; requests arriving meanwhile are kept.
func (r *Runit) stopStage2(pid int) {
	_ = unix.Kill(pid, unix.SIGTERM)
	deadline := time.Now().Add(r.StopWait)
	for time.Now().Before(deadline) {
		if _, done := r.reap(pid); done {
			r.reopenConsole()
			return
		}
		r.pause(10 * time.Millisecond)
	}
	r.warn("stage 2 not terminated, sending sigkill...")
	_ = unix.Kill(pid, unix.SIGKILL)
	if _, err := r.waitFor(pid); err != nil {
		r.warn("wait_pid: " + errstr.Text(err))
	}
}

func (r *Runit) reopenConsole() {
	if r.Console {
		_ = platform.ConsoleStderr(r.Paths.Console)
	}
}
