package supervise

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/runit-go/runit/core/child"
	"github.com/runit-go/runit/core/protocol"
	"golang.org/x/sys/unix"
)

// fakeFx records what the engine does, as one line per effect, and plays the world: a
// clock the test moves, pids from 100 on, the control/<c> scripts and ./finish there are.
type fakeFx struct {
	now     time.Time
	pid     int
	lines   []string
	opt     options
	finish  bool            // ./finish exists
	scripts map[byte]bool   // control/<c> that exist, and whether each exits 0
	fail    map[string]bool // programs (argv[0]) that cannot start
}

func (f *fakeFx) say(u *unit, format string, a ...any) {
	line := fmt.Sprintf(format, a...)
	if u.pol.readsLog {
		line = "log: " + line
	}
	f.lines = append(f.lines, line)
}

func (f *fakeFx) Now() time.Time          { return f.now }
func (f *fakeFx) Options(u *unit) options { return f.opt }

func (f *fakeFx) Spawn(u *unit, argv []string) (int, <-chan child.Exit, error) {
	if f.fail[argv[0]] {
		f.say(u, "spawn %s: fails", strings.Join(argv, " "))
		return 0, nil, errors.New("cannot")
	}
	f.pid++
	f.say(u, "spawn %s = %d", strings.Join(argv, " "), 100+f.pid)
	return 100 + f.pid, make(chan child.Exit), nil
}

func (f *fakeFx) Signal(u *unit, sig unix.Signal, tree bool) {
	name := strings.TrimPrefix(unix.SignalName(sig), "SIG")
	if tree {
		name += " tree"
	}
	f.say(u, "kill %s %d", name, u.pid)
}

func (f *fakeFx) HasScript(u *unit, c byte) bool { _, ok := f.scripts[c]; return ok }

func (f *fakeFx) RunScript(u *unit, c byte) bool {
	f.say(u, "control/%c %d", c, u.pid)
	return f.scripts[c]
}

func (f *fakeFx) HasFinish(u *unit) bool { return f.finish }
func (f *fakeFx) Reaped(u *unit)         {}
func (f *fakeFx) Forget(pid int)         { f.lines = append(f.lines, "forget "+strconv.Itoa(pid)) }
func (f *fakeFx) CloseLogPipe()          { f.lines = append(f.lines, "close log pipe") }

// WriteStatus shows the record as stat does, with the pid and the want the record holds.
func (f *fakeFx) WriteStatus(u *unit) {
	want := "d"
	if u.want == protocol.WantUp {
		want = "u"
	}
	stat := strings.TrimSuffix(protocol.Record{State: u.state, Paused: u.paused, Term: u.term, Want: u.want}.StatText(), "\n")
	f.say(u, "status %d %s: %s", u.pid, want, stat)
}

func (f *fakeFx) WriteReady(u *unit) {
	if u.ready {
		f.say(u, "ready %d", u.pid)
	} else {
		f.say(u, "ready -")
	}
}

func (f *fakeFx) WriteBackoff(u *unit, delay time.Duration) {
	f.say(u, "backoff %v %d", delay, u.quick)
}

// engineCase is a service and the steps it goes through. Each step is one loop turn:
//
//	u d o x t k p c h a i q 1 2 z   a control byte to the service ("log:d" to its log)
//	exit N, exit sig N              the service's current process ends ("log:exit 0")
//	ready, ready PID                ./run (or PID) says it is ready
//	+DURATION                       time passes
//
// and is followed by the effects it must have, then "leaving" if runsv must be done.
type engineCase struct {
	name   string
	down   bool // ./down exists
	log    bool // ./log exists
	finish bool
	opt    options
	// scripts are the control/<c> that exist, and whether each exits 0.
	scripts map[byte]bool
	fail    []string
	steps   [][]string // the step, then its effects
}

func (c engineCase) run(t *testing.T) {
	fx := &fakeFx{now: time.Unix(1_000_000_000, 0), finish: c.finish, scripts: c.scripts, opt: c.opt,
		fail: map[string]bool{}}
	for _, p := range c.fail {
		fx.fail[p] = true
	}
	e := &engine{fx: fx, main: unit{pol: servicePolicy, dir: "/sv/x", want: protocol.WantUp}}
	if c.down {
		e.main.want = protocol.WantDown
	}
	if c.log {
		e.log = &unit{pol: logPolicy, dir: "/sv/x/log", want: protocol.WantUp}
	}
	for i, step := range c.steps {
		fx.lines = nil
		in, want := step[0], step[1:]
		wantLeaving := len(want) > 0 && want[len(want)-1] == "leaving"
		if wantLeaving {
			want = want[:len(want)-1]
		}
		c.apply(t, e, fx, in)
		leaving := e.settle(fx.now)
		if !slices.Equal(fx.lines, want) || leaving != wantLeaving {
			t.Fatalf("step %d %q: effects\n\t%s\nleaving %v; want\n\t%s\nleaving %v", i, in,
				strings.Join(fx.lines, "\n\t"), leaving, strings.Join(want, "\n\t"), wantLeaving)
		}
	}
}

// apply feeds step in to e.
func (c engineCase) apply(t *testing.T, e *engine, fx *fakeFx, in string) {
	t.Helper()
	u := &e.main
	if rest, ok := strings.CutPrefix(in, "log:"); ok {
		u, in = e.log, rest
	}
	f := strings.Fields(in)
	switch {
	case len(in) == 1:
		if ev, ok := controlEvent(in[0]); ok {
			e.step(u, ev)
		}
	case in == "begin":
		e.begin()
	case strings.HasPrefix(in, "+"):
		d, err := time.ParseDuration(in[1:])
		if err != nil {
			t.Fatal(err)
		}
		fx.now = fx.now.Add(d)
	case f[0] == "exit":
		if u.pid == 0 {
			t.Fatalf("%q: no process to exit", in)
		}
		n, _ := strconv.Atoi(f[len(f)-1])
		ws := syscall.WaitStatus(n << 8)
		if f[1] == "sig" {
			ws = syscall.WaitStatus(n)
		}
		e.step(u, event{kind: evExited, ws: ws})
	case f[0] == "ready":
		pid := -1
		if len(f) > 1 {
			pid, _ = strconv.Atoi(f[1])
		}
		e.step(u, event{kind: evReady, pid: pid})
	default:
		t.Fatalf("bad step %q", in)
	}
}

// s is a step and its effects.
func s(in string, effects ...string) []string { return append([]string{in}, effects...) }

var up = s("begin", "spawn ./run = 101", "status 101 u: run")

func TestEngine(t *testing.T) {
	cases := []engineCase{
		{name: "start at once", steps: [][]string{up}},
		{name: "down file holds it", down: true, steps: [][]string{s("begin"),
			s("u", "spawn ./run = 101", "status 101 u: run")}},
		{name: "d: TERM then CONT, one record", steps: [][]string{up,
			s("d", "kill TERM tree 101", "kill CONT tree 101", "status 101 d: run, got TERM, want down"),
			s("exit sig 15", "status 0 d: down"),
			s("+5s"),
			s("u", "spawn ./run = 102", "status 102 u: run")}},
		{name: "d while down, u while up: only the record", steps: [][]string{up,
			s("u", "status 101 u: run"),
			s("d", "kill TERM tree 101", "kill CONT tree 101", "status 101 d: run, got TERM, want down"),
			s("exit 0", "status 0 d: down"),
			s("d", "status 0 d: down")}},
		{name: "t: TERM alone, restart after the throttle", steps: [][]string{up,
			s("t", "kill TERM tree 101", "status 101 u: run, got TERM"),
			s("exit sig 15", "status 0 u: down"),
			s("+500ms"),
			s("+500ms", "spawn ./run = 102", "status 102 u: run")}},
		{name: "a long run restarts at once, with one record", steps: [][]string{up,
			s("+3s"),
			s("exit 0", "spawn ./run = 102", "status 102 u: run")}},
		{name: "t while down: nothing", down: true, steps: [][]string{s("begin"), s("t")}},
		{name: "o: once, not again", down: true, steps: [][]string{s("begin"),
			s("o", "spawn ./run = 101", "status 101 d: run, want down"),
			s("exit 0", "status 0 d: down"),
			s("+2s")}},
		{name: "o while up: want down, ./run goes on", steps: [][]string{up,
			s("o", "status 101 d: run, want down"),
			s("+2s"),
			s("exit 1", "status 0 d: down"),
			s("+2s")}},
		{name: "o within the throttle waits for it", steps: [][]string{up,
			s("d", "kill TERM tree 101", "kill CONT tree 101", "status 101 d: run, got TERM, want down"),
			s("exit 0", "status 0 d: down"),
			s("o", "status 0 d: down"),
			s("+1s", "spawn ./run = 102", "status 102 d: run, want down")}},
		{name: "x: stop, then leave", steps: [][]string{up,
			s("x", "kill TERM tree 101", "kill CONT tree 101", "status 101 d: run, got TERM, want exit"),
			s("exit 0", "status 0 d: down", "leaving")}},
		{name: "x while down: leave at once", down: true, steps: [][]string{s("begin"),
			s("x", "status 0 d: down", "leaving")}},
		{name: "x with a log: the log pipe closes, the log's want exit is written, then leave",
			log: true, steps: [][]string{
				s("begin", "log: spawn ./run = 101", "spawn ./run = 102", "log: status 101 u: run", "status 102 u: run"),
				s("x", "kill TERM tree 102", "kill CONT tree 102", "status 102 d: run, got TERM, want exit"),
				s("exit 0", "close log pipe", "log: status 101 d: run, want exit", "status 0 d: down"),
				s("log:exit 0", "log: status 0 d: down", "leaving")}},
		{name: "u after the log pipe closed: want up is written, ./run does not start (its output is gone)",
			log: true, steps: [][]string{
				s("begin", "log: spawn ./run = 101", "spawn ./run = 102", "log: status 101 u: run", "status 102 u: run"),
				s("x", "kill TERM tree 102", "kill CONT tree 102", "status 102 d: run, got TERM, want exit"),
				s("exit 0", "close log pipe", "log: status 101 d: run, want exit", "status 0 d: down"),
				s("u", "status 0 u: down"),
				s("o", "status 0 d: down"),
				s("+5s"),
				s("log:exit 0", "log: status 0 d: down"),
				s("x", "status 0 d: down", "leaving")}},
		{name: "k to a log that is wanted out: KILL, and runsv waits for its exit",
			log: true, steps: [][]string{
				s("begin", "log: spawn ./run = 101", "spawn ./run = 102", "log: status 101 u: run", "status 102 u: run"),
				s("x", "kill TERM tree 102", "kill CONT tree 102", "status 102 d: run, got TERM, want exit"),
				s("exit 0", "close log pipe", "log: status 101 d: run, want exit", "status 0 d: down"),
				s("log:k", "log: kill KILL tree 101"),
				s("log:exit sig 9", "log: status 0 d: down", "leaving")}},
		{name: "x to the log is ignored", log: true, steps: [][]string{
			s("begin", "log: spawn ./run = 101", "spawn ./run = 102", "log: status 101 u: run", "status 102 u: run"),
			s("log:x")}},
		{name: "the log: no control scripts, no finish, no tree", log: true, finish: true,
			scripts: map[byte]bool{'t': true, 'd': true}, steps: [][]string{
				s("begin", "log: spawn ./run = 101", "spawn ./run = 102", "log: status 101 u: run", "status 102 u: run"),
				s("log:d", "log: kill TERM tree 101", "log: kill CONT tree 101", "log: status 101 d: run, got TERM, want down"),
				s("log:exit 0", "log: status 0 d: down")}},
		{name: "k: KILL", steps: [][]string{up,
			s("k", "kill KILL tree 101"),
			s("exit sig 9", "status 0 u: down"),
			s("+1s", "spawn ./run = 102", "status 102 u: run")}},
		{name: "k under want exit: leave at once, record untouched", steps: [][]string{up,
			s("x", "kill TERM tree 101", "kill CONT tree 101", "status 101 d: run, got TERM, want exit"),
			s("k", "kill KILL tree 101", "forget 101", "leaving")}},
		{name: "k under want exit during ./finish: leave without waiting", finish: true, steps: [][]string{up,
			s("x", "kill TERM tree 101", "kill CONT tree 101", "status 101 d: run, got TERM, want exit"),
			s("exit sig 15", "status 0 d: finish, want exit", "spawn ./finish -1 15 = 102", "status 102 d: finish, want exit"),
			s("k", "forget 102", "leaving")}},
		{name: "k while down: nothing", down: true, steps: [][]string{s("begin"), s("k")}},
		{name: "p and c: STOP and CONT, paused in the record", steps: [][]string{up,
			s("p", "kill STOP 101", "status 101 u: run, paused"),
			s("c", "kill CONT 101", "status 101 u: run")}},
		{name: "p and c while down: the record only", down: true, steps: [][]string{s("begin"),
			s("p", "status 0 d: down, paused"),
			s("c", "status 0 d: down")}},
		{name: "a start clears paused", steps: [][]string{up,
			s("p", "kill STOP 101", "status 101 u: run, paused"),
			s("+1s"),
			s("exit 0", "spawn ./run = 102", "status 102 u: run")}},
		{name: "h a i q 1 2: signals; other bytes: nothing", steps: [][]string{up,
			s("h", "kill HUP 101"), s("a", "kill ALRM 101"), s("i", "kill INT 101"),
			s("q", "kill QUIT 101"), s("1", "kill USR1 101"), s("2", "kill USR2 101"),
			s("z"), s("\n")}},
		{name: "signals while down: nothing", down: true, steps: [][]string{s("begin"),
			s("h"), s("a"), s("i"), s("q"), s("1"), s("2")}},
		{name: "finish: exit code and signal, then restart", finish: true, steps: [][]string{up,
			s("exit 3", "status 0 u: finish", "spawn ./finish 3 0 = 102", "status 102 u: finish"),
			s("exit 0", "status 0 u: down"),
			s("+1s", "spawn ./run = 103", "status 103 u: run"),
			s("exit sig 9", "status 0 u: finish", "spawn ./finish -1 9 = 104", "status 104 u: finish")}},
		{name: "finish after d: not restarted", finish: true, steps: [][]string{up,
			s("d", "kill TERM tree 101", "kill CONT tree 101", "status 101 d: run, got TERM, want down"),
			s("exit sig 15", "status 0 d: finish, want down", "spawn ./finish -1 15 = 102", "status 102 d: finish, want down"),
			s("p", "status 102 d: finish, paused, want down"),
			s("t"),
			s("exit 0", "status 0 d: down, paused"),
			s("+5s")}},
		{name: "u during finish: ./run after it", down: true, finish: true, steps: [][]string{s("begin"),
			s("o", "spawn ./run = 101", "status 101 d: run, want down"),
			s("+2s"),
			s("exit 0", "status 0 d: finish, want down", "spawn ./finish 0 0 = 102", "status 102 d: finish, want down"),
			s("u", "status 102 u: finish"),
			s("exit 0", "spawn ./run = 103", "status 103 u: run")}},
		{name: "./run cannot start: exit 111, tried again after the throttle",
			fail: []string{"./run"}, finish: true, steps: [][]string{
				s("begin", "spawn ./run: fails", "status 0 u: finish", "spawn ./finish 111 0 = 101", "status 101 u: finish"),
				s("exit 0", "status 0 u: down"),
				s("+1s", "spawn ./run: fails", "status 0 u: finish", "spawn ./finish 111 0 = 102", "status 102 u: finish")}},
		{name: "neither ./run nor ./finish can start", fail: []string{"./run", "./finish"}, finish: true,
			steps: [][]string{
				s("begin", "spawn ./run: fails", "status 0 u: finish", "spawn ./finish 111 0: fails", "status 0 u: down"),
				s("+999ms"),
				s("+1ms", "spawn ./run: fails", "status 0 u: finish", "spawn ./finish 111 0: fails", "status 0 u: down")}},
		{name: "control/t exits 0: no TERM; control/d still runs, seeing the record",
			scripts: map[byte]bool{'t': true, 'd': false}, steps: [][]string{up,
				s("d", "status 101 d: run, want down", "control/t 101", "kill CONT tree 101", "control/d 101"),
				s("t", "control/t 101", "kill CONT tree 101", "control/d 101")}},
		{name: "control/t fails: TERM as usual, control/x after it",
			scripts: map[byte]bool{'t': false, 'x': true}, steps: [][]string{up,
				s("x", "status 101 d: run, want exit", "control/t 101", "kill TERM tree 101", "kill CONT tree 101",
					"status 101 d: run, got TERM, want exit", "control/x 101"),
				s("exit 0", "status 0 d: down", "leaving")}},
		{name: "control/<c> replaces the signal when it exits 0", scripts: map[byte]bool{
			'h': true, 'a': false, 'k': true, 'p': true, 'c': true, 'i': true, 'q': true, '1': true, '2': true},
			steps: [][]string{up,
				s("h", "control/h 101"), s("a", "control/a 101", "kill ALRM 101"), s("i", "control/i 101"),
				s("q", "control/q 101"), s("1", "control/1 101"), s("2", "control/2 101"),
				s("k", "control/k 101"),
				s("p", "control/p 101", "status 101 u: run, paused"),
				s("c", "control/c 101", "status 101 u: run")}},
		{name: "control/u runs before each start of ./run", down: true, scripts: map[byte]bool{'u': true},
			steps: [][]string{s("begin"),
				s("u", "status 0 u: down", "control/u 0", "spawn ./run = 101", "status 101 u: run")}},
		{name: "scripts are not run while down", down: true, scripts: map[byte]bool{'t': true, 'h': true, 'p': true},
			steps: [][]string{s("begin"), s("t"), s("h"), s("p", "status 0 d: down, paused")}},
		{name: "stop-timeout: KILL when TERM did not do", opt: options{stopTimeout: 2 * time.Second},
			steps: [][]string{up,
				s("d", "kill TERM tree 101", "kill CONT tree 101", "status 101 d: run, got TERM, want down"),
				s("+1999ms"),
				s("+1ms", "kill KILL tree 101"),
				s("+10s"),
				s("exit sig 9", "status 0 d: down")}},
		{name: "stop-timeout: an exit in time cancels it", opt: options{stopTimeout: 2 * time.Second},
			steps: [][]string{up,
				s("t", "kill TERM tree 101", "status 101 u: run, got TERM"),
				s("exit 0", "status 0 u: down"),
				s("+1s", "spawn ./run = 102", "status 102 u: run"),
				s("+5s")}},
		{name: "backoff: doubling delays while ./run dies quickly, u starts over",
			opt: options{backoffMax: 3 * time.Second}, steps: [][]string{up,
				s("exit 1", "status 0 u: down"),
				s("+1s", "spawn ./run = 102", "status 102 u: run"),
				s("exit 1", "backoff 2s 2", "status 0 u: down"),
				s("+1999ms"),
				s("+1ms", "backoff 0s 2", "spawn ./run = 103", "status 103 u: run"),
				s("exit 1", "backoff 3s 3", "status 0 u: down"),
				s("u", "backoff 0s 0", "status 0 u: down"),
				s("+999ms"),
				s("+1ms", "spawn ./run = 104", "status 104 u: run")}},
		{name: "backoff: a long life ends it", opt: options{backoffMax: 8 * time.Second}, steps: [][]string{up,
			s("exit 1", "status 0 u: down"),
			s("+1s", "spawn ./run = 102", "status 102 u: run"),
			s("exit 1", "backoff 2s 2", "status 0 u: down"),
			s("+2s", "backoff 0s 2", "spawn ./run = 103", "status 103 u: run"),
			s("+10s"),
			s("exit 1", "backoff 0s 0", "spawn ./run = 104", "status 104 u: run")}},
		{name: "readiness: once per ./run, cleared at its exit", steps: [][]string{up,
			s("ready 999"),
			s("ready 101", "ready 101"),
			s("ready"),
			s("+1s"),
			s("exit 0", "ready -", "spawn ./run = 102", "status 102 u: run"),
			s("ready", "ready 102")}},
		{name: "readiness: not while down or in ./finish", down: true, finish: true, steps: [][]string{s("begin"),
			s("ready"),
			s("o", "spawn ./run = 101", "status 101 d: run, want down"),
			s("exit 0", "status 0 d: finish, want down", "spawn ./finish 0 0 = 102", "status 102 d: finish, want down"),
			s("ready")}},
	}
	for _, c := range cases {
		t.Run(c.name, c.run)
	}
}

// TestControlEvents checks that every control byte runsv(8) lists has an event, that others
// have none, and that the events that change the want or the flags do in every state.
func TestControlEvents(t *testing.T) {
	for _, c := range []byte("udoxtkpchaiq12") {
		if _, ok := controlEvent(c); !ok {
			t.Errorf("control byte %q has no event", c)
		}
	}
	for _, c := range []byte("zU\n ") {
		if _, ok := controlEvent(c); ok {
			t.Errorf("control byte %q has an event; runsv ignores it", c)
		}
	}
	for _, st := range []protocol.State{protocol.Down, protocol.Run, protocol.Finish} {
		for _, k := range []eventKind{evUp, evDown, evOnce, evExit, evKill, evPause, evCont} {
			if transitions[st][k] == nil {
				t.Errorf("state %v ignores event %d, which changes the want or flags in every state", st, k)
			}
		}
	}
}

// TestNextWake: the loop sleeps until the earliest wake time of the units, and not at all
// without one.
func TestNextWake(t *testing.T) {
	now := time.Unix(1_000_000_000, 0)
	e := &engine{main: unit{pol: servicePolicy}, log: &unit{pol: logPolicy}}
	if d := e.nextWake(now); d != 0 {
		t.Errorf("no wake time: nextWake %v, want 0", d)
	}
	e.main.wake = now.Add(2 * time.Second)
	e.log.wake = now.Add(time.Second)
	if d := e.nextWake(now); d != time.Second {
		t.Errorf("nextWake %v, want 1s", d)
	}
	e.log.wake = now.Add(-time.Second)
	if d := e.nextWake(now); d <= 0 || d > time.Millisecond {
		t.Errorf("a wake time already past: nextWake %v, want a moment", d)
	}
}
