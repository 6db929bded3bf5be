package supervise

import (
	"syscall"
	"time"

	"github.com/runit-go/runit/core/child"
	"github.com/runit-go/runit/core/protocol"
	"golang.org/x/sys/unix"
)

// The engine is runsv as a state machine, after s6-supervise's actions[state][event]:
// each unit (./run or log/run) is in one of the record's three states, every happening is
// an event, and transitions holds what each event does in each state. What it does to the
// world goes through effects (effects.go), so the table is tested without forking.
//
// The status record is written by one writer, announce, once per loop turn for each unit
// whose record changed, and before a program we run because of a state change (./finish,
// control/<c>) starts, so that it sees that state as it does under C runsv.

// throttle is runit's minimum time between two starts of ./run.
const throttle = time.Second

// quickDeath is how long ./run must live for its death not to count towards the backoff.
const quickDeath = 10 * time.Second

// policy is what sets the service and its log apart, fixed when a unit is built.
type policy struct {
	prefix   string // how messages name its programs: "" or "log/"
	takesX   bool   // x applies (the log ignores x: it exits once the log pipe closes)
	scripts  bool   // ./finish, control/<c> and the opt-in files apply
	readsLog bool   // its stdin is the log pipe, and it may hand over to a logger pool
}

var (
	servicePolicy = policy{takesX: true, scripts: true}
	logPolicy     = policy{prefix: "log/", readsLog: true}
)

// eventKind is what happened to a unit.
type eventKind uint8

const (
	evUp       eventKind = iota // u: want up, start if down
	evDown                      // d: want down, stop if running
	evOnce                      // o: want down, start once if down
	evExit                      // x: want exit, stop if running
	evTerm                      // t: stop if running
	evKill                      // k: KILL if running; under want exit, count it down at once
	evPause                     // p: STOP if running; paused
	evCont                      // c: CONT if running; not paused
	evSignal                    // h a i q 1 2: forward a signal if running
	evExited                    // its process ended
	evDeadline                  // its wake time came: a start the throttle held back, or stop-timeout
	evReady                     // ./run said it is ready
	numEvents
)

// event is one happening, with what it carries.
type event struct {
	kind eventKind
	c    byte               // the control byte (evSignal: which control/<c> may replace the signal)
	sig  unix.Signal        // evSignal
	ws   syscall.WaitStatus // evExited
	pid  int                // evReady: who said it (-1: whatever ./run is current)
}

// controlEvent is the event of control byte c, as runsv(8) lists them; ok is false for a
// byte runsv ignores.
func controlEvent(c byte) (ev event, ok bool) {
	if sig, ok := plainSignals[c]; ok {
		return event{kind: evSignal, c: c, sig: sig}, true
	}
	k, ok := controlKinds[c]
	return event{kind: k, c: c}, ok
}

var controlKinds = map[byte]eventKind{'u': evUp, 'd': evDown, 'o': evOnce, 'x': evExit,
	't': evTerm, 'k': evKill, 'p': evPause, 'c': evCont}

// plainSignals are the control bytes that only forward a signal to ./run.
var plainSignals = map[byte]unix.Signal{'h': unix.SIGHUP, 'a': unix.SIGALRM, 'i': unix.SIGINT,
	'q': unix.SIGQUIT, '1': unix.SIGUSR1, '2': unix.SIGUSR2}

// action is what an event does to a unit in a given state.
type action func(e *engine, u *unit, ev event)

// transitions is runsv's behaviour: transitions[state][event]. A nil action ignores the
// event. "stop" is TERM (unless control/t exits 0), then CONT and control/d or control/x;
// "start" waits for the throttle (1 s between two starts of ./run) and the backoff.
var transitions = [3][numEvents]action{
	protocol.Down: {
		evUp:       (*engine).upStart,   // want up; start
		evDown:     (*engine).wantDown,  // want down
		evOnce:     (*engine).onceStart, // want down; start once
		evExit:     (*engine).wantExit,  // want exit (runsv then exits)
		evKill:     (*engine).shutdown,  // under want exit: runsv exits
		evPause:    (*engine).pause,     // paused, no signal
		evCont:     (*engine).cont,      // not paused, no signal
		evDeadline: (*engine).startDue,  // the throttle or backoff is over: start if wanted
	},
	protocol.Run: {
		evUp:       (*engine).wantUp,       // want up
		evDown:     (*engine).downStop,     // want down; stop
		evOnce:     (*engine).wantDown,     // want down, ./run goes on
		evExit:     (*engine).exitStop,     // want exit; stop
		evTerm:     (*engine).stop,         // stop, want unchanged: restarts if want up
		evKill:     (*engine).kill,         // control/k or KILL; under want exit: runsv exits
		evPause:    (*engine).pauseStop,    // control/p or STOP; paused
		evCont:     (*engine).contCont,     // control/c or CONT; not paused
		evSignal:   (*engine).signal,       // control/<c> or the signal
		evExited:   (*engine).ranOut,       // ./finish CODE SIG if there is one, else down
		evDeadline: (*engine).stopTimedOut, // stop-timeout passed: KILL
		evReady:    (*engine).ready,        // ready
	},
	protocol.Finish: {
		evUp:     (*engine).wantUp,   // want up: ./run starts after ./finish
		evDown:   (*engine).wantDown, // want down
		evOnce:   (*engine).wantDown, // want down
		evExit:   (*engine).wantExit, // want exit: runsv exits after ./finish
		evKill:   (*engine).shutdown, // under want exit: runsv exits without waiting
		evPause:  (*engine).pause,    // paused, no signal
		evCont:   (*engine).cont,     // not paused, no signal
		evExited: (*engine).finished, // down; start if wanted
	},
}

// unit is one supervised program, the service's ./run or its log/run, and its supervise/.
type unit struct {
	pol   policy
	dir   string // absolute directory holding run (and supervise/)
	rel   string // "supervise" or "log/supervise", for messages
	f     *files
	state protocol.State
	want  protocol.Want
	once  bool // an 'o' asked for one start
	pid   int
	done  <-chan child.Exit // the current process's end
	// paused and term are the record's flags: STOP (p) and TERM sent.
	paused, term bool
	stamp        time.Time          // status timestamp: last state change
	started      time.Time          // when ./run last started, for the throttle
	notBefore    time.Time          // throttle and backoff: no start of ./run before this
	wake         time.Time          // when evDeadline is due (zero: never)
	lastExit     syscall.WaitStatus // ./run's status, for ./finish's arguments
	ready        bool               // notification-fd or notify-socket: ./run said it is ready
	quick        int                // consecutive quick deaths of ./run, for the backoff
	opt          options            // opt-in additions, read at each start of ./run
	closed       bool               // the log pipe is gone: it never starts again
	pool         *pooled            // log only: the pooled logger's connection (handoff.go)
	dirty        bool               // the record changed since announce last wrote it
	// pidWritten and statWritten are what pid and stat hold, to skip rewriting them.
	pidWritten  int
	statWritten string
}

// engine holds the state of a service and its log, and applies events to them.
type engine struct {
	main unit
	log  *unit // nil without a log service
	fx   effects
}

// step applies one event to u.
func (e *engine) step(u *unit, ev event) {
	if a := transitions[u.state][ev.kind]; a != nil {
		a(e, u, ev)
	}
}

// units are the units in the order runsv serves them: the log first, so that it reads the
// pipe before ./run writes into it.
func (e *engine) units() []*unit {
	if e.log == nil {
		return []*unit{&e.main}
	}
	return []*unit{e.log, &e.main}
}

// begin starts what the down files do not hold down.
func (e *engine) begin() {
	for _, u := range e.units() {
		e.startOrWait(u)
	}
}

// due delivers evDeadline to each unit whose wake time has come.
func (e *engine) due(now time.Time) {
	for _, u := range e.units() {
		if !u.wake.IsZero() && !now.Before(u.wake) {
			u.wake = time.Time{}
			e.step(u, event{kind: evDeadline})
		}
	}
}

// settle ends a loop turn: it delivers the deadlines that came, writes the records that
// changed, and reports whether runsv is done.
func (e *engine) settle(now time.Time) (leaving bool) {
	e.due(now)
	leaving = e.leaving()
	e.announce()
	return leaving
}

// nextWake is how long until the next evDeadline, or 0 for none.
func (e *engine) nextWake(now time.Time) time.Duration {
	var d time.Duration
	for _, u := range e.units() {
		if u.wake.IsZero() {
			continue
		}
		if w := max(u.wake.Sub(now), time.Nanosecond); d == 0 || w < d {
			d = w
		}
	}
	return d
}

// leaving reports whether runsv is done: told to exit, ./run down and log/run gone. Once
// ./run is down under want exit, the log pipe closes: log/run sees EOF and exits. The log's
// want exit is written out, as C runsv does (a paused log shows it meanwhile).
func (e *engine) leaving() bool {
	m := &e.main
	if m.want != protocol.WantExit || m.state != protocol.Down || m.pid != 0 {
		return false
	}
	if e.log == nil || e.log.pid == 0 {
		return true
	}
	if e.log.want != protocol.WantExit {
		e.log.want = protocol.WantExit
		// With the pipe gone neither starts again: a later u or o is recorded and does
		// nothing (C runsv forks ./run anyway, and its child fails on the closed pipe).
		e.log.closed, m.closed = true, true
		e.changed(e.log)
		e.fx.CloseLogPipe()
	}
	return false
}

// changed notes that u's record must be written.
func (e *engine) changed(u *unit) { u.dirty = true }

// announce is the status writer: it writes the record of each unit that changed.
func (e *engine) announce() {
	for _, u := range e.units() {
		if u.dirty {
			u.dirty = false
			e.fx.WriteStatus(u)
		}
	}
}

// Actions, as named in transitions.

func (e *engine) wantUp(u *unit, _ event) {
	u.want = protocol.WantUp
	e.changed(u)
	if u.quick > 0 {
		// Someone asked for the service: the backoff starts over.
		u.quick = 0
		u.notBefore = u.started.Add(throttle)
		e.fx.WriteBackoff(u, 0)
	}
}

func (e *engine) upStart(u *unit, ev event) {
	e.wantUp(u, ev)
	e.startOrWait(u)
}

func (e *engine) wantDown(u *unit, _ event) {
	u.want = protocol.WantDown
	e.changed(u)
}

func (e *engine) downStop(u *unit, ev event) {
	e.wantDown(u, ev)
	e.stop(u, ev)
}

func (e *engine) onceStart(u *unit, ev event) {
	e.wantDown(u, ev)
	u.once = true
	e.startOrWait(u)
}

func (e *engine) wantExit(u *unit, _ event) {
	if u.pol.takesX {
		u.want = protocol.WantExit
		e.changed(u)
	}
}

func (e *engine) exitStop(u *unit, ev event) {
	if u.pol.takesX {
		e.wantExit(u, ev)
		e.stop(u, ev)
	}
}

// stop is runsv's stop sequence: TERM (unless control/t exits 0), then CONT and control/d
// or control/x when the service is wanted down or out.
func (e *engine) stop(u *unit, _ event) {
	if !e.script(u, 't') {
		e.fx.Signal(u, unix.SIGTERM, true)
		u.term = true
		e.changed(u)
		if u.opt.stopTimeout > 0 {
			u.wake = e.fx.Now().Add(u.opt.stopTimeout)
		}
	}
	switch u.want {
	case protocol.WantDown:
		e.fx.Signal(u, unix.SIGCONT, true)
		e.script(u, 'd')
	case protocol.WantExit:
		e.fx.Signal(u, unix.SIGCONT, true)
		e.script(u, 'x')
	}
}

// stopTimedOut: ./run did not exit within stop-timeout after TERM, so TERM becomes KILL.
func (e *engine) stopTimedOut(u *unit, _ event) {
	e.fx.Signal(u, unix.SIGKILL, true)
}

func (e *engine) kill(u *unit, ev event) {
	if !e.script(u, 'k') {
		e.fx.Signal(u, unix.SIGKILL, true)
	}
	e.shutdown(u, ev)
}

// shutdown is the k of `sv force-shutdown`: under want exit runsv counts the service down
// at once and exits without waiting for ./run (or a ./finish already running) and without
// running ./finish, as C runsv does. The reaper still collects the child. The record is
// not written again, as in C.
func (e *engine) shutdown(u *unit, _ event) {
	if u.want != protocol.WantExit || !u.pol.takesX {
		return
	}
	if u.pid != 0 {
		e.fx.Forget(u.pid)
	}
	u.state, u.pid, u.done, u.wake = protocol.Down, 0, nil, time.Time{}
}

func (e *engine) pause(u *unit, _ event) {
	u.paused = true
	e.changed(u)
}

func (e *engine) pauseStop(u *unit, ev event) {
	if !e.script(u, 'p') {
		e.fx.Signal(u, unix.SIGSTOP, false)
	}
	e.pause(u, ev)
}

func (e *engine) cont(u *unit, _ event) {
	u.paused = false
	e.changed(u)
}

func (e *engine) contCont(u *unit, ev event) {
	if !e.script(u, 'c') {
		e.fx.Signal(u, unix.SIGCONT, false)
	}
	e.cont(u, ev)
}

func (e *engine) signal(u *unit, ev event) {
	if !e.script(u, ev.c) {
		e.fx.Signal(u, ev.sig, false)
	}
}

func (e *engine) ready(u *unit, ev event) {
	pid := ev.pid
	if pid == -1 {
		pid = u.pid
	}
	if pid == u.pid && pid != 0 && !u.ready {
		u.ready = true
		e.fx.WriteReady(u)
	}
}

// ranOut: ./run ended. ./finish runs if there is one, with ./run's exit code and signal;
// else the unit is down.
func (e *engine) ranOut(u *unit, ev event) {
	e.reaped(u)
	if u.pol.scripts && e.fx.HasFinish(u) {
		u.lastExit = ev.ws
		u.state = protocol.Finish
		e.changed(u)
		e.startFinish(u)
		return
	}
	e.down(u)
}

// finished: ./finish ended; the unit is down.
func (e *engine) finished(u *unit, _ event) {
	e.reaped(u)
	e.down(u)
}

// reaped forgets the process that ended.
func (e *engine) reaped(u *unit) {
	e.fx.Reaped(u)
	u.pid, u.done, u.term = 0, nil, false
	u.wake = time.Time{}
	if u.ready {
		u.ready = false
		e.fx.WriteReady(u)
	}
}

// down makes u down, and starts it again if it is wanted up, after the throttle and the
// backoff.
func (e *engine) down(u *unit) {
	now := e.fx.Now()
	u.state = protocol.Down
	if next := u.started.Add(throttle); now.Before(next) {
		u.notBefore = next
	}
	if u.opt.backoffMax > 0 {
		e.backoff(u, now)
	}
	u.stamp = protocol.Stamp(now)
	e.changed(u)
	e.startOrWait(u)
}

func (e *engine) startDue(u *unit, _ event) { e.startOrWait(u) }

// startOrWait starts ./run if u is wanted up (or once) and the throttle allows it, or
// sets its wake time to when it will.
func (e *engine) startOrWait(u *unit) {
	if !(u.want == protocol.WantUp || u.once) || u.closed {
		return
	}
	now := e.fx.Now()
	if now.Before(u.notBefore) {
		u.wake = u.notBefore
		return
	}
	e.startRun(u, now)
}

// startRun starts ./run. One that cannot start (no such file, not executable, no fork)
// exits 111 at once, as C runsv's child does, and so goes the same way, throttle included.
func (e *engine) startRun(u *unit, now time.Time) {
	u.once, u.wake = false, time.Time{}
	if u.pol.scripts {
		e.script(u, 'u')
		u.opt = e.fx.Options(u)
		if u.quick >= 2 {
			e.fx.WriteBackoff(u, 0) // no longer held down
		}
	}
	pid, done, err := e.fx.Spawn(u, []string{"./run"})
	u.started = now
	u.stamp = protocol.Stamp(now)
	u.state = protocol.Run
	u.paused, u.term = false, false
	u.pid, u.done = pid, done
	e.changed(u)
	if err != nil {
		e.ranOut(u, event{kind: evExited, ws: syscall.WaitStatus(111 << 8)})
	}
}

// startFinish starts ./finish with ./run's exit code and signal. One that cannot start goes
// straight on to down.
func (e *engine) startFinish(u *unit) {
	code, sig := finishArgs(u.lastExit)
	e.announce() // ./finish sees the finish state, as under C runsv
	pid, done, err := e.fx.Spawn(u, []string{"./finish", code, sig})
	u.paused, u.term = false, false
	u.pid, u.done = pid, done
	e.changed(u)
	if err != nil {
		e.finished(u, event{kind: evExited, ws: syscall.WaitStatus(111 << 8)})
	}
}

// script runs control/<c> if u takes scripts and it is there, and reports whether it
// exited 0 (then the signal is not sent). The record is written first: the script sees
// the state that made us run it.
func (e *engine) script(u *unit, c byte) bool {
	if !u.pol.scripts || !e.fx.HasScript(u, c) {
		return false
	}
	e.announce()
	return e.fx.RunScript(u, c)
}

// backoff delays the next start of a ./run that keeps dying quickly: 1, 2, 4 ... seconds
// up to the backoff file's maximum. The delay is a deadline, not a sleep, so control
// commands are honoured meanwhile.
func (e *engine) backoff(u *unit, now time.Time) {
	if u.started.IsZero() || now.Sub(u.started) >= quickDeath {
		if u.quick > 0 {
			u.quick = 0
			e.fx.WriteBackoff(u, 0)
		}
		return
	}
	u.quick++
	if u.quick < 2 {
		return
	}
	delay := min(time.Second<<min(u.quick-1, 20), u.opt.backoffMax)
	if next := now.Add(delay); next.After(u.notBefore) {
		u.notBefore = next
	}
	e.fx.WriteBackoff(u, delay)
}
