package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/runit-go/runit/core/protocol"
	"golang.org/x/sys/unix"
)

// svSupervisors lists the runsv binaries the sv tests run under: Debian's C runsv, and
// ours. Adding a supervisor here runs the whole sv suite against it.
func svSupervisors() []struct {
	name string
	bin  func(testing.TB) string
} {
	return []struct {
		name string
		bin  func(testing.TB) string
	}{
		{"Crunsv", func(t testing.TB) string { return cBin(t, "runsv") }},
		{"ourrunsv", func(t testing.TB) string { return ourBin(t, "runsv") }},
	}
}

// forEachSupervisor runs f as a subtest under each supervisor.
func forEachSupervisor(t *testing.T, f func(t *testing.T, runsv string)) {
	for _, s := range svSupervisors() {
		t.Run(s.name, func(t *testing.T) { f(t, s.bin(t)) })
	}
}

// svTree is a service directory ($SVDIR) whose services are supervised by one runsv
// binary. Differential tests build two identical trees, one driven by C sv and one by
// ours, so that state-changing commands see the same states.
type svTree struct {
	t     testing.TB
	root  string
	runsv string
	procs map[string]*exec.Cmd
}

func newSvTree(t testing.TB, runsv string) *svTree {
	tr := &svTree{t: t, root: t.TempDir(), runsv: runsv, procs: map[string]*exec.Cmd{}}
	t.Cleanup(tr.stopAll)
	return tr
}

// Run scripts. Signals other than TERM/KILL/STOP/CONT are ignored so that hup, alarm and
// friends do not change the state between C sv's run and ours.
const (
	svRunSleep = "#!/bin/sh\ntrap '' HUP ALRM INT QUIT USR1 USR2\nexec sleep 1000\n"
	svRunLog   = "#!/bin/sh\nexec cat >/dev/null\n"
	// svRunStubborn says when its traps are set (waitUp waits for that): the status says
	// run from the fork on, and a signal before the trap would end the shell outright.
	svRunStubborn = "#!/bin/sh\ntrap '' TERM HUP ALRM INT QUIT USR1 USR2\necho $$ > trapped\nwhile :; do sleep 1; done\n"
)

// service writes a service: run script, and extra files (name -> content; a name ending
// in "/" is a directory; mode 0755 for scripts).
func (tr *svTree) service(name, run string, extra map[string]string) string {
	dir := filepath.Join(tr.root, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tr.t.Fatal(err)
	}
	if run != "" {
		writeFile(tr.t, filepath.Join(dir, "run"), run, 0o755)
	}
	for k, v := range extra {
		if strings.HasSuffix(k, "/") {
			os.MkdirAll(filepath.Join(dir, k), 0o755)
			continue
		}
		writeFile(tr.t, filepath.Join(dir, k), v, 0o755)
	}
	return dir
}

// start runs the supervisor on the service and waits until its supervise/ok has a reader
// and its status is written.
func (tr *svTree) start(name string) {
	dir := filepath.Join(tr.root, name)
	cmd := exec.Command(tr.runsv, dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		tr.t.Fatal(err)
	}
	tr.procs[name] = cmd
	waitFor(tr.t, 5*time.Second, "runsv "+name+" ready", func() bool {
		fd, err := syscall.Open(filepath.Join(dir, "supervise/ok"), syscall.O_WRONLY|syscall.O_NONBLOCK, 0)
		if err != nil {
			return false
		}
		syscall.Close(fd)
		fi, err := os.Stat(filepath.Join(dir, "supervise/status"))
		return err == nil && fi.Size() == 20
	})
}

// stopAll kills every supervised process and its supervisor.
func (tr *svTree) stopAll() {
	for name, cmd := range tr.procs {
		for _, p := range []string{"supervise/pid", "log/supervise/pid"} {
			if pid, err := strconv.Atoi(strings.TrimSpace(readFile(filepath.Join(tr.root, name, p)))); err == nil && pid > 0 {
				syscall.Kill(pid, syscall.SIGKILL)
			}
		}
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	}
}

// stop waits for a supervisor that was told to exit.
func (tr *svTree) reap(name string) {
	cmd := tr.procs[name]
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		tr.t.Fatalf("runsv %s did not exit", name)
	}
}

// record reads the service's supervise/status.
func (tr *svTree) record(name string) (protocol.Record, bool) {
	r, err := protocol.Decode([]byte(readFile(filepath.Join(tr.root, name, "supervise/status"))))
	return r, err == nil
}

// status returns the decoded supervise/status fields sv looks at.
func (tr *svTree) status(name string) (pid int, state byte, ok bool) {
	r, ok := tr.record(name)
	return r.Pid, byte(r.State), ok
}

// waitAge waits until the service's last state change is at least sec seconds old.
func (tr *svTree) waitAge(name string, sec int64) {
	waitFor(tr.t, time.Duration(sec+5)*time.Second, name+" old enough", func() bool {
		r, ok := tr.record(name)
		return ok && time.Now().Unix()-r.Time.Unix() >= sec
	})
}

// waitRun waits until the service's last state change is at least d old, to the
// nanosecond: out of runsv's one-second pause after a process that ran less than a
// second (C runsv sleeps through it and takes no command meanwhile).
func (tr *svTree) waitRun(name string, d time.Duration) {
	waitFor(tr.t, d+5*time.Second, name+" settled", func() bool {
		r, ok := tr.record(name)
		return ok && time.Since(r.Time) >= d
	})
}

// waitUp waits until the service runs.
func (tr *svTree) waitUp(name string) {
	trapped := strings.Contains(readFile(filepath.Join(tr.root, name, "run")), "> trapped")
	waitFor(tr.t, 10*time.Second, name+" up", func() bool {
		pid, st, ok := tr.status(name)
		return ok && pid != 0 && st == 1 &&
			(!trapped || readFile(filepath.Join(tr.root, name, "trapped")) == strconv.Itoa(pid)+"\n")
	})
}

// sv runs an sv binary in the tree with SVDIR set.
func (tr *svTree) sv(bin string, env []string, args ...string) result {
	return run(tr.t, tr.root, append([]string{"SVDIR=" + tr.root}, env...), bin, args...)
}

var (
	svPidRe = regexp.MustCompile(`\(pid [0-9]+\)`)
	svAgeRe = regexp.MustCompile(`\b[0-9]+s\b`)
)

// svNorm makes output comparable across runs: pids and ages legitimately differ.
func svNorm(s string) string {
	s = svPidRe.ReplaceAllString(s, "(pid P)")
	return svAgeRe.ReplaceAllString(s, "Ns")
}

// svPair is two identical trees, one for C sv and one for ours, under the same runsv.
type svPair struct {
	t        *testing.T
	c, o     *svTree
	cSv, oSv string
}

func newSvPair(t *testing.T, runsv string) *svPair {
	return &svPair{t: t, c: newSvTree(t, runsv), o: newSvTree(t, runsv), cSv: cBin(t, "sv"), oSv: ourBin(t, "sv")}
}

func (p *svPair) service(name, run string, extra map[string]string) {
	p.c.service(name, run, extra)
	p.o.service(name, run, extra)
}

func (p *svPair) start(name string)  { p.c.start(name); p.o.start(name) }
func (p *svPair) waitUp(name string) { p.c.waitUp(name); p.o.waitUp(name) }

// same runs C sv, then ours, with the same arguments on their own trees and requires the
// same normalised stdout, stderr and exit code.
func (p *svPair) same(env []string, args ...string) result {
	p.t.Helper()
	cr := p.c.sv(p.cSv, env, args...)
	or := p.o.sv(p.oSv, env, args...)
	p.t.Logf("sv %s -> %q %q %d", strings.Join(args, " "), or.stdout, or.stderr, or.code)
	if svNorm(cr.stdout) != svNorm(or.stdout) || svNorm(cr.stderr) != svNorm(or.stderr) || cr.code != or.code {
		p.t.Errorf("sv %s differs:\nC:    stdout %q stderr %q exit %d\nours: stdout %q stderr %q exit %d",
			strings.Join(args, " "), cr.stdout, cr.stderr, cr.code, or.stdout, or.stderr, or.code)
	}
	return or
}

// TestSvDiffStatus compares status output for services in every kind of state.
func TestSvDiffStatus(t *testing.T) {
	forEachSupervisor(t, func(t *testing.T, runsv string) {
		p := newSvPair(t, runsv)
		p.service("foo", svRunSleep, map[string]string{"log/run": svRunSleep})
		p.service("nolog", svRunSleep, map[string]string{"down": ""})
		p.service("plain", svRunSleep, nil)
		p.service("logfile", svRunSleep, map[string]string{"log": "not a dir\n"})
		p.service("norun", svRunSleep, nil)
		p.service("emptylog", svRunSleep, map[string]string{"log/": ""})
		for _, s := range []string{"foo", "nolog", "logfile", "norun"} {
			p.start(s)
		}
		p.waitUp("foo")
		p.waitUp("logfile")
		// norun: its runsv is told to exit, leaving a supervise/ without a runsv.
		p.same(nil, "exit", "norun")
		p.c.reap("norun")
		p.o.reap("norun")

		p.same(nil, "status", "foo")
		p.same(nil, "s", "foo")
		p.same(nil, "status", "./foo")
		p.same(nil, "status", "./foo/")
		p.same(nil, "status", "foo/log")
		p.same(nil, "status", "nolog")
		p.same(nil, "status", "plain")
		p.same(nil, "status", "./plain")
		p.same(nil, "status", "logfile")
		p.same(nil, "status", "norun")
		p.same(nil, "status", "nosuch")
		p.same(nil, "status", "")
		p.same(nil, "status", "foo/")
		p.same(nil, "status", "foo", "nolog", "./norun", "nosuch", "./plain", "logfile")
		p.same(nil, "down", "norun")
		p.same(nil, "exit", "norun")
		p.same(nil, "-v", "exit", "norun")
		p.same(nil, "shutdown", "norun")
		p.same(nil, "check", "norun")
		p.same(nil, "check", "nolog")
		p.same(nil, "-w", "1", "up", "foo", "./norun", "nosuch", "./plain")
		p.same([]string{"SVDIR=/nonexistent"}, "status", "foo")
		p.same([]string{"SVDIR="}, "status", "foo")
		// Absolute paths differ between the trees: compare with the tree root replaced.
		cr := p.c.sv(p.cSv, nil, "status", filepath.Join(p.c.root, "foo"))
		or := p.o.sv(p.oSv, nil, "status", filepath.Join(p.o.root, "foo"))
		if svNorm(strings.ReplaceAll(cr.stdout, p.c.root, "R")) != svNorm(strings.ReplaceAll(or.stdout, p.o.root, "R")) || cr.code != or.code {
			t.Errorf("absolute path: C %q %d, ours %q %d", cr.stdout, cr.code, or.stdout, or.code)
		}
		// The 99 cap.
		many := []string{"status"}
		for i := 0; i < 105; i++ {
			many = append(many, fmt.Sprintf("s%d", i))
		}
		if r := p.same(nil, many...); r.code != 99 {
			t.Errorf("105 failures: exit %d, want 99", r.code)
		}
	})
}

// TestSvDiffUsage compares usage errors and the version flag.
func TestSvDiffUsage(t *testing.T) {
	p := newSvPair(t, cBin(t, "runsv"))
	p.service("foo", svRunSleep, nil)
	for _, args := range [][]string{
		{}, {"status"}, {"start"}, {"frob", "foo"}, {"-w"}, {"-x", "status", "foo"}, {"-V"},
		{"restar", "foo"}, {"force-", "foo"}, {"rel", "foo"}, {""},
	} {
		if r := p.same(nil, args...); r.code != 100 {
			t.Errorf("sv %q: exit %d, want 100", args, r.code)
		}
	}
}

// TestSvDiffCommands drives every command and long form through identical services and
// compares C sv's report with ours after each.
func TestSvDiffCommands(t *testing.T) {
	forEachSupervisor(t, func(t *testing.T, runsv string) {
		p := newSvPair(t, runsv)
		p.service("foo", svRunSleep, map[string]string{"log/run": svRunLog})
		p.service("slow", svRunStubborn, map[string]string{"down": ""})
		p.start("foo")
		p.start("slow")
		p.waitUp("foo")
		steps := [][]string{
			{"-v", "down", "foo"},
			{"status", "foo"},
			{"down", "foo"},
			{"-v", "up", "foo"},
			{"up", "foo"},
			{"-v", "pause", "foo"},
			{"status", "foo"},
			{"-v", "cont", "foo"},
			{"-v", "once", "foo"},
			// sv -v up right after once races: sv reads the status as runsv takes the u,
			// so its ok line may or may not still say "want down", for C sv as for ours.
			// Compare the settled state instead.
			{"up", "foo"}, {"wantup", "foo"}, {"status", "foo"},
			{"-v", "hup", "foo"}, {"-v", "alarm", "foo"}, {"-v", "interrupt", "foo"},
			{"-v", "quit", "foo"}, {"-v", "1", "foo"}, {"-v", "2", "foo"},
			{"hup", "foo"}, {"a", "foo"}, {"i", "foo"}, {"q", "foo"}, {"1", "foo"}, {"2", "foo"},
			{"-v", "term", "foo"},
			{"-v", "kill", "foo"},
			{"restart", "foo"},
			{"try-restart", "foo"},
			{"reload", "foo"},
			{"check", "foo"},
			{"stop", "foo"},
			{"check", "foo"},
			{"start", "foo"},
			{"force-reload", "foo"},
			{"force-restart", "foo"},
			{"force-stop", "foo"},
			{"start", "foo"},
			{"D", "foo"},
			{"start", "foo"},
			{"-v", "down", "./foo/log"},
			{"status", "foo"},
			{"-v", "up", "./foo/log"},
			{"-w", "1", "exit", "./foo/log"},
			{"status", "slow"},
			{"-v", "term", "slow"}, {"-v", "kill", "slow"}, {"-v", "pause", "slow"},
			{"status", "slow"}, {"-v", "cont", "slow"}, {"-v", "down", "slow"}, {"down", "slow"},
			{"-v", "once", "slow"}, {"settle", "slow"}, {"status", "slow"},
			{"up", "slow"}, {"wantup", "slow"}, {"status", "slow"}, // as for foo above
			{"-w", "1", "stop", "slow"},
			{"-w", "1", "force-stop", "slow"},
			{"-w", "1", "up", "slow"},
			{"-w", "1", "restart", "slow"},
			{"-w", "1", "force-restart", "slow"},
			{"-w", "1", "force-shutdown", "slow"},
			{"status", "slow"},
			{"shutdown", "foo"},
			{"status", "foo"},
		}
		for _, st := range steps {
			if st[0] == "settle" {
				p.settle(st[1])
				continue
			}
			if st[0] == "wantup" {
				p.wantUp(st[1])
				continue
			}
			if len(st) == 4 && st[3] == "slow" && (st[2] == "restart" || st[2] == "force-restart") {
				// C sv compares whole seconds and accepts a state from the same second as
				// the command (reporting the old pid); ours does not. Stay out of that race.
				p.c.waitAge("slow", 2)
				p.o.waitAge("slow", 2)
			}
			p.same(nil, st...)
			if len(st) == 4 && st[2] == "force-shutdown" {
				p.c.reap(st[3]) // the kill was sent as sv exited: let both runsv finish
				p.o.reap(st[3])
			}
			if st[len(st)-1] == "foo" && st[0] != "shutdown" && st[0] != "status" {
				// Let both trees settle on the same state before the next step.
				p.settle("foo")
			}
		}
	})
}

// settle waits until both trees' service has the same state, want and flags.
// wantUp waits until both runsvs have taken a 'u' (status byte 17).
func (p *svPair) wantUp(name string) {
	p.t.Helper()
	waitFor(p.t, 5*time.Second, name+" wants up in both trees", func() bool {
		a, _ := os.ReadFile(filepath.Join(p.c.root, name, "supervise/status"))
		b, _ := os.ReadFile(filepath.Join(p.o.root, name, "supervise/status"))
		return len(a) == 20 && len(b) == 20 && a[17] == 'u' && b[17] == 'u'
	})
}

func (p *svPair) settle(name string) {
	p.t.Helper()
	defer func() {
		if p.t.Failed() {
			p.t.Logf("status C %x ours %x", readFile(filepath.Join(p.c.root, name, "supervise/status")), readFile(filepath.Join(p.o.root, name, "supervise/status")))
		}
	}()
	waitFor(p.t, 5*time.Second, name+" states equal", func() bool {
		a, _ := os.ReadFile(filepath.Join(p.c.root, name, "supervise/status"))
		b, _ := os.ReadFile(filepath.Join(p.o.root, name, "supervise/status"))
		if len(a) != 20 || len(b) != 20 {
			return false
		}
		return string(a[16:]) == string(b[16:]) && (string(a[12:16]) == "\x00\x00\x00\x00") == (string(b[12:16]) == "\x00\x00\x00\x00") && a[19] != 2
	})
}

// TestSvDiffWaitEnv compares SVWAIT and -w handling on a service that ignores TERM.
func TestSvDiffWaitEnv(t *testing.T) {
	p := newSvPair(t, cBin(t, "runsv"))
	p.service("slow", svRunStubborn, nil)
	p.start("slow")
	p.waitUp("slow")
	p.same([]string{"SVWAIT=1"}, "stop", "slow")
	p.same([]string{"SVWAIT=5"}, "-w", "1", "stop", "slow")
	p.same([]string{"SVWAIT=junk"}, "stop", "slow")
	p.same(nil, "-w", "x", "stop", "slow")
}

// TestSvDiffCheck compares ./check handling: failing, passing, not executable.
func TestSvDiffCheck(t *testing.T) {
	forEachSupervisor(t, func(t *testing.T, runsv string) {
		p := newSvPair(t, runsv)
		p.service("bad", svRunSleep, map[string]string{"down": "", "check": "#!/bin/sh\nexit 1\n"})
		p.service("good", svRunSleep, map[string]string{"check": "#!/bin/sh\necho to-closed-stdout 2>/dev/null; exit 0\n"})
		p.service("noexec", svRunSleep, map[string]string{"check": "not a script"})
		// Its name as the check sees it ($0, what its error messages start with).
		p.service("named", svRunSleep, map[string]string{"check": "#!/bin/sh\necho \"check's name: $0\" >&2\n"})
		for _, s := range []string{"bad", "good", "noexec", "named"} {
			p.start(s)
		}
		p.waitUp("good")
		p.waitUp("noexec")
		p.same(nil, "check", "bad") // down and wanted down: ok at once
		p.same(nil, "-w", "1", "start", "bad")
		p.same(nil, "-w", "1", "check", "bad")
		p.same(nil, "check", "good")
		p.waitUp("named")
		p.same(nil, "check", "named")
		p.same(nil, "start", "good")
		p.same(nil, "restart", "good")
		p.settle("good")
		for _, tr := range []*svTree{p.c, p.o} {
			os.Chmod(filepath.Join(tr.root, "noexec/check"), 0o644)
		}
		p.same(nil, "check", "noexec")
	})
}

// TestSvDiffLSB compares the init-script mode: sv called through a symlink named after
// the service.
func TestSvDiffLSB(t *testing.T) {
	forEachSupervisor(t, func(t *testing.T, runsv string) {
		p := newSvPair(t, runsv)
		p.service("foo", svRunSleep, nil)
		p.service("bar", svRunSleep, map[string]string{"log/run": svRunSleep})
		p.service("nolog", svRunSleep, map[string]string{"down": ""})
		p.service("gone", svRunSleep, nil)
		for _, s := range []string{"foo", "bar", "nolog", "gone"} {
			p.start(s)
		}
		p.same(nil, "-w", "5", "shutdown", "gone")
		p.c.reap("gone")
		p.o.reap("gone")
		p.waitUp("foo")
		p.waitUp("bar")
		links := t.TempDir()
		lsb := func(bin, name string) string {
			d := filepath.Join(links, filepath.Base(filepath.Dir(bin))+strconv.Itoa(len(bin)))
			os.MkdirAll(d, 0o755)
			l := filepath.Join(d, name)
			os.Remove(l)
			if err := os.Symlink(bin, l); err != nil {
				t.Fatal(err)
			}
			return l
		}
		same := func(name string, args ...string) result {
			t.Helper()
			cr := p.c.sv(lsb(p.cSv, name), nil, args...)
			or := p.o.sv(lsb(p.oSv, name), nil, args...)
			if svNorm(cr.stdout) != svNorm(or.stdout) || cr.stderr != or.stderr || cr.code != or.code {
				t.Errorf("%s %q differs:\nC:    %q %q %d\nours: %q %q %d", name, args, cr.stdout, cr.stderr, cr.code, or.stdout, or.stderr, or.code)
			}
			return or
		}
		for _, c := range []struct {
			name string
			args []string
			code int
		}{
			{"foo", []string{"status"}, 0},
			{"foo", []string{"status", "ignored"}, 0},
			{"nolog", []string{"status"}, 3},
			{"gone", []string{"status"}, 1},
			{"nosuch", []string{"status"}, 1},
			{"foo", []string{}, 2},
			{"foo", []string{"frob"}, 2},
			{"foo", []string{"stat"}, 2},
			{"foo", []string{"-x", "status"}, 2},
			{"foo", []string{"-v", "d"}, 0},
			{"foo", []string{"status"}, 3},
			{"foo", []string{"start"}, 0},
			{"foo", []string{"-w", "5", "restart"}, 0},
		} {
			if len(c.args) > 0 && strings.HasSuffix(c.args[len(c.args)-1], "restart") {
				// Out of runsv's one-second throttle and of C sv's same-second race.
				p.c.waitAge("foo", 2)
				p.o.waitAge("foo", 2)
			}
			if r := same(c.name, c.args...); r.code != c.code {
				t.Errorf("%s %q: exit %d, want %d", c.name, c.args, r.code, c.code)
			}
			p.settle("foo")
		}
		// runit 2.3: a running log service no longer masks a down main service.
		p.o.sv(p.oSv, nil, "-v", "down", "bar")
		r := p.o.sv(lsb(p.oSv, "bar"), nil, "status")
		if r.code != 3 || !strings.HasPrefix(r.stdout, "down: bar: ") {
			t.Errorf("LSB status of down bar with its log up: %q exit %d, want down and exit 3", r.stdout, r.code)
		}
	})
}

// TestSvCheckWaitsForRequestedState checks runit 2.3's check: it waits for the wanted
// state. C sv 2.1.2 accepts a running service told to go down as soon as ./check passes;
// ours waits for it to be down.
func TestSvCheckWaitsForRequestedState(t *testing.T) {
	forEachSupervisor(t, func(t *testing.T, runsv string) {
		tr := newSvTree(t, runsv)
		sv := ourBin(t, "sv")
		tr.service("slow", svRunStubborn, nil)
		tr.start("slow")
		tr.waitUp("slow")
		if r := tr.sv(sv, nil, "down", "slow"); r.code != 0 {
			t.Fatalf("sv down: %+v", r)
		}
		r := tr.sv(sv, nil, "-w", "1", "check", "slow")
		if r.code != 1 || !strings.HasPrefix(r.stdout, "timeout: run: slow: ") {
			t.Errorf("check on a running service wanted down: %q exit %d, want a timeout", r.stdout, r.code)
		}
		if c := tr.sv(cBin(t, "sv"), nil, "-w", "1", "check", "slow"); c.code != 0 {
			t.Logf("C sv check (2.1.2 accepts any running service whose ./check passes): %q exit %d", c.stdout, c.code)
		}
		tr.sv(sv, nil, "kill", "slow")
		r = tr.sv(sv, nil, "-w", "5", "check", "slow")
		if r.code != 0 || !strings.HasPrefix(r.stdout, "ok: down: slow: ") {
			t.Errorf("check once it is down: %q exit %d", r.stdout, r.code)
		}
		// Wanted up: check waits until ./check passes.
		tr.service("late", svRunSleep, map[string]string{"check": "#!/bin/sh\ntest -e ready\n"})
		tr.start("late")
		tr.waitUp("late")
		if r := tr.sv(sv, nil, "-w", "1", "check", "late"); r.code != 1 || !strings.HasPrefix(r.stdout, "timeout: run: late: ") {
			t.Errorf("check with failing ./check: %q exit %d, want a timeout", r.stdout, r.code)
		}
		writeFile(t, filepath.Join(tr.root, "late/ready"), "", 0o644)
		if r := tr.sv(sv, nil, "-w", "5", "check", "late"); r.code != 0 || !strings.HasPrefix(r.stdout, "ok: run: late: ") {
			t.Errorf("check with passing ./check: %q exit %d", r.stdout, r.code)
		}
	})
}

// TestSvRestartLatency measures how soon sv -w 5 restart returns, ours and C's (logged,
// not asserted: timing depends on the machine).
func TestSvRestartLatency(t *testing.T) {
	forEachSupervisor(t, func(t *testing.T, runsv string) {
		tr := newSvTree(t, runsv)
		tr.service("foo", svRunSleep, nil)
		tr.start("foo")
		tr.waitUp("foo")
		for _, b := range []struct{ name, bin string }{{"ours", ourBin(t, "sv")}, {"C", cBin(t, "sv")}} {
			var ds []time.Duration
			for i := 0; i < 3; i++ {
				// Stay clear of runsv's one-second restart throttle.
				tr.waitAge("foo", 2)
				pid0, _, _ := tr.status("foo")
				t0 := time.Now()
				r := tr.sv(b.bin, nil, "-w", "5", "restart", "foo")
				d := time.Since(t0)
				pid1, _, _ := tr.status("foo")
				if r.code != 0 || !strings.HasPrefix(r.stdout, "ok: run: foo: ") || pid1 == pid0 {
					t.Errorf("%s sv restart: %q exit %d (pid %d -> %d)", b.name, r.stdout, r.code, pid0, pid1)
				}
				ds = append(ds, d)
			}
			sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
			t.Logf("%s sv -w 5 restart: median %v (runs %v)", b.name, ds[1], ds)
		}
	})
}

// svFake makes dir/supervise look served: a process holds supervise/ok open for reading
// (as runsv does), with status and control as the test leaves them.
func svFake(t *testing.T, dir string, status []byte, control bool) {
	sup := filepath.Join(dir, "supervise")
	if err := os.MkdirAll(sup, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := unix.Mkfifo(filepath.Join(sup, "ok"), 0o600); err != nil {
		t.Fatal(err)
	}
	if control {
		if err := unix.Mkfifo(filepath.Join(sup, "control"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if status != nil {
		writeFile(t, filepath.Join(sup, "status"), string(status), 0o644)
	}
	cmd := exec.Command("sh", "-c", "exec 3<>supervise/ok; exec sleep 1000")
	cmd.Dir = dir
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	waitFor(t, 5*time.Second, "fake runsv holds supervise/ok", func() bool {
		fd, err := syscall.Open(filepath.Join(sup, "ok"), syscall.O_WRONLY|syscall.O_NONBLOCK, 0)
		if err == nil {
			syscall.Close(fd)
		}
		return err == nil
	})
}

// TestSvDiffCorrupt compares sv on supervise directories runsv would never leave:
// missing, short and long status files, a missing control FIFO, one without reader.
func TestSvDiffCorrupt(t *testing.T) {
	p := newSvPair(t, cBin(t, "runsv"))
	r := protocol.Record{Time: time.Unix(time.Now().Unix()-10, 0), Want: protocol.WantDown}.Encode()
	rec := r[:]
	long := append(append([]byte{}, rec...), "garbage"...)
	for _, tr := range []*svTree{p.c, p.o} {
		svFake(t, tr.service("nostatus", "", nil), nil, true)
		svFake(t, tr.service("short", "", nil), rec[:7], true)
		svFake(t, tr.service("empty", "", nil), []byte{}, true)
		svFake(t, tr.service("long", "", nil), long, true)
		svFake(t, tr.service("nocontrol", "", nil), rec, false)
		svFake(t, tr.service("deadcontrol", "", nil), rec, true)
		svFake(t, tr.service("withlog", "", map[string]string{"log/": ""}), rec, true)
		svFake(t, tr.service("shortlog", "", nil), rec, true)
		// The log's short read overwrites the first bytes of sv's buffer: an older time.
		svFake(t, filepath.Join(tr.root, "shortlog/log"), []byte{0x40, 0, 0, 0, 0x10, 0, 0}, true)
	}
	for _, args := range [][]string{
		{"status", "nostatus"}, {"status", "short"}, {"status", "empty"}, {"status", "long"},
		{"status", "withlog"}, {"status", "shortlog"}, {"up", "nocontrol"}, {"up", "deadcontrol"}, {"exit", "deadcontrol"},
		{"-w", "1", "up", "short"}, {"status", "nostatus", "short", "long", "nocontrol"},
	} {
		p.same(nil, args...)
	}
}

// TestSvWaitCPU logs the CPU time sv spends waiting out a 2-second timeout, ours and
// C's (C sv sleeps 420 ms between checks; ours sleeps on directory events with a bounded
// re-check). Logged, not asserted.
func TestSvWaitCPU(t *testing.T) {
	tr := newSvTree(t, cBin(t, "runsv"))
	tr.service("slow", svRunStubborn, nil)
	tr.start("slow")
	tr.waitUp("slow")
	for _, b := range []struct{ name, bin string }{{"ours", ourBin(t, "sv")}, {"C", cBin(t, "sv")}} {
		cmd := exec.Command(b.bin, "-w", "2", "stop", "slow")
		cmd.Dir = tr.root
		cmd.Env = append(os.Environ(), "SVDIR="+tr.root)
		out, _ := cmd.Output()
		if !strings.HasPrefix(string(out), "timeout: ") {
			t.Errorf("%s sv -w 2 stop on a TERM-ignoring service: %q", b.name, out)
		}
		ps := cmd.ProcessState
		t.Logf("%s sv waiting 2 s: user %v, system %v", b.name, ps.UserTime(), ps.SystemTime())
	}
}

// runNoSVDIR runs an sv binary in dir with SVDIR removed from the environment, as
// Debian's stage 2 starts services (it clears the environment).
func runNoSVDIR(t testing.TB, dir, bin string, args ...string) result {
	t.Helper()
	var env []string
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "SVDIR=") {
			env = append(env, e)
		}
	}
	cmd := exec.Command(bin, args...)
	cmd.Dir, cmd.Env = dir, env
	var o, e strings.Builder
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s %q: %v", bin, args, err)
	}
	return result{o.String(), e.String(), code}
}

// svJSONDir is the directory `sv --json NAME` (SVDIR unset) resolves a bare name to:
// where the binary's default service directory points.
func svJSONDir(t testing.TB, bin, name string) string {
	t.Helper()
	r := runNoSVDIR(t, t.TempDir(), bin, "--json", name)
	m := regexp.MustCompile(`"dir": "([^"]*)"`).FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("%s --json %s: no dir in %q (stderr %q)", bin, name, r.stdout, r.stderr)
	}
	return m[1]
}

// The default service directory is the Makefile's SVDIR_DEFAULT: a bare name, SVDIR
// unset, is found there. `make deb` builds the packaged sv with Debian's /etc/service/,
// whatever SVDIR_DEFAULT says, and leaves bin/sv as built.
func TestSvDefaultDirBuildSetting(t *testing.T) {
	mk, err := exec.LookPath("make")
	if err != nil {
		if strictTests() {
			t.Fatal("make not installed")
		}
		t.Skip("make not installed")
	}
	tr := newSvTree(t, ourBin(t, "runsv"))
	tr.service("foo", svRunSleep, nil)
	tr.start("foo")
	tr.waitUp("foo")

	out := t.TempDir()
	target := "deb"
	if _, err := exec.LookPath("dpkg-deb"); err != nil {
		if strictTests() {
			t.Fatal("dpkg-deb not installed")
		}
		t.Log("dpkg-deb not installed: the .deb part is skipped")
		target = "build"
	}
	r := run(t, repoRoot, []string{"VERSION=1.2.3", "DEB_COMPRESS=gzip"}, mk, target, "BIN="+out, "SVDIR_DEFAULT="+tr.root+"/")
	if r.code != 0 {
		t.Fatalf("make %s: exit %d\n%s%s", target, r.code, r.stdout, r.stderr)
	}
	// From elsewhere, without SVDIR, as `sv start dbus` in a Debian run script.
	st := runNoSVDIR(t, t.TempDir(), filepath.Join(out, "sv"), "status", "foo")
	if st.code != 0 || !strings.HasPrefix(st.stdout, "run: foo: (pid ") {
		t.Errorf("sv built with SVDIR_DEFAULT=%s/: status foo: %q %q exit %d, want it running", tr.root, st.stdout, st.stderr, st.code)
	}
	if target != "deb" {
		return
	}
	debs, _ := filepath.Glob(filepath.Join(out, "runit-go_1.2.3_*.deb"))
	if len(debs) != 1 {
		t.Fatalf("make deb made %q", debs)
	}
	x := t.TempDir()
	if r := run(t, "", nil, "dpkg-deb", "-x", debs[0], x); r.code != 0 {
		t.Fatalf("dpkg-deb -x: %s", r.stderr)
	}
	if d := svJSONDir(t, filepath.Join(x, "usr/bin/sv"), "dbus"); d != "/etc/service/dbus" {
		t.Errorf("the .deb's sv resolves dbus (SVDIR unset) to %s, want /etc/service/dbus", d)
	}
	if d := svJSONDir(t, filepath.Join(out, "sv"), "dbus"); d != tr.root+"/dbus" {
		t.Errorf("after make deb, bin/sv resolves dbus to %s, want %s/dbus", d, tr.root)
	}
}

// svRunCrash is a ./run that exits at once: runsv starts it again every second.
const svRunCrash = "#!/bin/sh\nexit 1\n"

// TestSvDiffWaitQuirks compares the edges of C sv's wait loop: -w 0 (and garbage, which
// reads as 0) still checks once more after 420 ms; a name ending in '/' is taken from
// the current directory for the command but looked up in $SVDIR by the wait loop.
func TestSvDiffWaitQuirks(t *testing.T) {
	for _, s := range svSupervisors() {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			p := newSvPair(t, s.bin(t))
			p.service("foo", svRunSleep, nil)
			p.start("foo")
			p.waitUp("foo")

			// Out of runsv's one-second restart pause, so that up is taken at once.
			p.c.waitRun("foo", 1100*time.Millisecond)
			p.o.waitRun("foo", 1100*time.Millisecond)
			for _, w := range []string{"0", "abc", ""} {
				if r := p.same(nil, "-w", w, "down", "foo"); r.code != 0 {
					t.Errorf("sv -w %q down foo: %q exit %d, want ok", w, r.stdout, r.code)
				}
				if r := p.same(nil, "-w", w, "up", "foo"); r.code != 0 {
					t.Errorf("sv -w %q up foo: %q exit %d, want ok", w, r.stdout, r.code)
				}
				p.c.waitRun("foo", 1100*time.Millisecond)
				p.o.waitRun("foo", 1100*time.Millisecond)
			}

			// From the tree's root with SVDIR elsewhere: "foo/" is the root's foo for the
			// command, and $SVDIR/foo/ (missing) for the wait loop.
			for _, env := range [][]string{{"SVDIR=/nonexistent"}, {"SVDIR=" + t.TempDir()}} {
				p.same(env, "-v", "hup", "foo/")
				p.same(env, "-w", "1", "hup", "foo/", "./foo")
				p.same(env, "-v", "hup", "./foo/")
				p.same(env, "status", "foo/")
			}
		})
	}
}

// svRunWindows watches a service's status records and measures, by runsv's own
// timestamps, how long each process it started ran. It returns a query: for pid, how
// long it ran (known), or, for a run the watcher never saw, at most how long it can have
// lasted unseen (the longest gap between two of the watcher's reads so far).
func svRunWindows(t *testing.T, path string) func(pid int) (d time.Duration, known bool) {
	var mu sync.Mutex
	start := map[int]time.Time{}
	took := map[int]time.Duration{}
	var gap time.Duration
	done := make(chan struct{})
	t.Cleanup(func() { close(done) })
	go func() {
		var last []byte
		cur := 0
		prev := time.Now()
		for {
			select {
			case <-done:
				return
			case <-time.After(500 * time.Microsecond):
			}
			b, err := os.ReadFile(path)
			now := time.Now()
			mu.Lock()
			gap = max(gap, now.Sub(prev))
			prev = now
			if r, derr := protocol.Decode(b); err == nil && derr == nil && string(b) != string(last) {
				last = b
				pid := r.Pid
				if cur != 0 && pid != cur {
					took[cur] = r.Time.Sub(start[cur])
					cur = 0
				}
				if pid != 0 && r.State == protocol.Run && cur == 0 {
					cur, start[pid] = pid, r.Time
				}
			}
			mu.Unlock()
		}
	}()
	return func(pid int) (time.Duration, bool) {
		mu.Lock()
		defer mu.Unlock()
		if d, ok := took[pid]; ok {
			return d, true
		}
		return gap, false
	}
}

// A crash-looping service (./run exits at once) is never up: C sv, looking every 420
// ms, misses the milliseconds its ./run lives each second, and ours, which sees every
// change, must not count a process that ran less than its settle time (100 ms) either.
// How long each run lasted is measured from runsv's records: on a loaded machine a run
// can last longer, and an ok for such a run proves nothing, so that attempt is repeated.
func TestSvCrashLoopNeverUp(t *testing.T) {
	for _, s := range svSupervisors() {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			tr := newSvTree(t, s.bin(t))
			tr.service("crash", svRunCrash, nil)
			tr.start("crash")
			ran := svRunWindows(t, filepath.Join(tr.root, "crash/supervise/status"))
			c := tr.sv(cBin(t, "sv"), nil, "-w", "2", "up", "crash")
			t.Logf("C sv -w 2 up crash: %q exit %d", c.stdout, c.code)
			pidRe := regexp.MustCompile(`^ok: run: crash: \(pid ([0-9]+)\)`)
			for attempt := 0; attempt < 5; attempt++ {
				r := tr.sv(ourBin(t, "sv"), nil, "-w", "2", "up", "crash")
				if r.code == 1 && strings.HasPrefix(r.stdout, "timeout: down: crash: ") {
					return
				}
				m := pidRe.FindStringSubmatch(r.stdout)
				if m == nil {
					t.Fatalf("sv -w 2 up crash: %q %q exit %d, want a timeout", r.stdout, r.stderr, r.code)
				}
				pid, _ := strconv.Atoi(m[1])
				// Its run has ended when the next one starts, a second later.
				time.Sleep(1500 * time.Millisecond)
				d, known := ran(pid)
				if d < 95*time.Millisecond { // runsv's stamps, a little before its writes
					t.Fatalf("sv -w 2 up crash: %q, but pid %d ran only %v (measured: %v): a crash-looping ./run counted as up", r.stdout, pid, d, known)
				}
				t.Logf("attempt %d: pid %d ran %v (measured: %v) on this loaded machine (said up: %q); again", attempt, pid, d, known, r.stdout)
			}
			t.Skip("every attempt met a run slowed past 100 ms by the machine's load")
		})
	}
}

// TestSvStatusFIFOsNeverHang: sv (root's, say, on a user's service) reads the supervise/
// extension files without blocking: a FIFO put in place of backoff, ready or
// notify-status, or of status itself, gives an answer, never a hang.
func TestSvStatusFIFOsNeverHang(t *testing.T) {
	sv := ourBin(t, "sv")
	dir := newService(t, t.TempDir(), "svc", "#!/bin/sh\nexec sleep 1000\n")
	writeFile(t, filepath.Join(dir, "notification-fd"), "3\n", 0o644)
	writeFile(t, filepath.Join(dir, "notify-socket"), "", 0o644)
	startRunsv(t, ourBin(t, "runsv"), dir)
	waitFor(t, 10*time.Second, "svc running", func() bool { return running(t, dir) })
	for _, f := range []string{"backoff", "ready", "notify-status", "status"} {
		p := filepath.Join(dir, "supervise", f)
		os.Remove(p)
		if err := unix.Mkfifo(p, 0o644); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		out, _ := exec.CommandContext(ctx, sv, "status", dir).CombinedOutput()
		if ctx.Err() != nil {
			t.Errorf("sv status hung on a FIFO as supervise/%s", f)
		}
		cancel()
		if f != "status" && !strings.HasPrefix(string(out), "run: "+dir) {
			t.Errorf("with a FIFO as supervise/%s: %q", f, out)
		}
	}
}

// TestSvEnableDisable: sv enable links a service from the source directory into the
// service directory, and runsvdir starts it; sv disable removes the link, and runsvdir
// stops it.
func TestSvEnableDisable(t *testing.T) {
	root := t.TempDir()
	src, scan := filepath.Join(root, "sv"), filepath.Join(root, "service")
	os.Mkdir(scan, 0o755)
	dir := newService(t, src, "web", "#!/bin/sh\nexec sleep 1000\n")
	p := startRunsvdir(t, scan)
	env := []string{"SVDIR=" + scan, "SVSOURCE=" + src}
	if r := run(t, root, env, ourBin(t, "sv"), "enable", "web"); r.code != 0 || r.stdout != "ok: web: enabled\n" {
		t.Fatalf("sv enable web: %d %q %q", r.code, r.stdout, r.stderr)
	}
	p.cmd.Process.Signal(syscall.SIGALRM) // where no directory watch exists
	waitFor(t, 15*time.Second, "web running once enabled", func() bool { return running(t, dir) })
	if r := run(t, root, env, ourBin(t, "sv"), "disable", "web"); r.code != 0 || r.stdout != "ok: web: disabled\n" {
		t.Fatalf("sv disable web: %d %q %q", r.code, r.stdout, r.stderr)
	}
	p.cmd.Process.Signal(syscall.SIGALRM)
	waitFor(t, 15*time.Second, "web's supervisor gone once disabled", func() bool { return !okAlive(dir) })
}
