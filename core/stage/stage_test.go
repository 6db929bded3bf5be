package stage

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/runit-go/runit/platform"
	"golang.org/x/sys/unix"
)

// These tests run the stage machine in the test process (not as process 1): stage scripts
// are real shell scripts in a temporary directory, signals are injected through the
// Signals channel, the Halter and KillAll are fakes so nothing is halted or killed. The
// real process-1 paths (console, real signals, reaping orphans) are tested end to end in
// e2e/runit_test.go and the QEMU boot test.

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// halter records the Halter's calls, and with them the syncs, in the order they came.
type halter struct {
	mu     sync.Mutex
	got    []platform.Shutdown
	events []string
	err    error
}

func (h *halter) Shutdown(how platform.Shutdown) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.got = append(h.got, how)
	h.events = append(h.events, how.String())
	return h.err
}

func (h *halter) sync() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.events = append(h.events, "sync")
}

type fixture struct {
	r    *Runit
	out  *syncBuf
	h    *halter
	sigs chan os.Signal
	dir  string
	kill atomic.Int32 // KillAll calls, counted by Run's goroutine
}

func newFixture(t *testing.T, scripts map[string]string) *fixture {
	t.Helper()
	dir := t.TempDir()
	for name, body := range scripts {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	f := &fixture{out: &syncBuf{}, h: &halter{err: syscall.EPERM}, sigs: make(chan os.Signal, 8), dir: dir}
	f.r = &Runit{
		Paths: Paths{
			Stages:     [3]string{filepath.Join(dir, "1"), filepath.Join(dir, "2"), filepath.Join(dir, "3")},
			StopIt:     filepath.Join(dir, "stopit"),
			Reboot:     filepath.Join(dir, "reboot"),
			CtrlAltDel: filepath.Join(dir, "ctrlaltdel"),
			PwrFail:    filepath.Join(dir, "pwrfail"),
			NoSync:     filepath.Join(dir, "nosync"),
		},
		Env:          append(os.Environ(), "D="+dir),
		Halter:       f.h,
		Out:          f.out,
		Signals:      f.sigs,
		KillAll:      func() error { f.kill.Add(1); return nil },
		ForkExec:     syscall.ForkExec,
		Sync:         f.h.sync, // never the test machine's disks
		StopWait:     2 * time.Second,
		RestartWait:  10 * time.Millisecond,
		Tick:         50 * time.Millisecond,
		PowerOffWait: time.Millisecond,
		PowerFail:    platform.PowerFailSignal(),
	}
	return f
}

// run runs the machine in the background; the returned channel yields the exit status.
func (f *fixture) run() chan int {
	done := make(chan int, 1)
	go func() { done <- f.r.Run() }()
	return done
}

func (f *fixture) waitOut(t *testing.T, want string) {
	t.Helper()
	f.waitCount(t, want, 1)
}

// waitCount waits until the output holds want n times.
func (f *fixture) waitCount(t *testing.T, want string, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for strings.Count(f.out.String(), want) < n {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %d of %q in:\n%s", n, want, f.out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (f *fixture) waitFile(t *testing.T, name string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := os.Stat(filepath.Join(f.dir, name)); err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s; output:\n%s", name, f.out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func result(t *testing.T, done chan int) int {
	t.Helper()
	select {
	case code := <-done:
		return code
	case <-time.After(15 * time.Second):
		t.Fatal("Run did not return")
	}
	return -1
}

const (
	ok1   = "#!/bin/sh\nexit 0\n"
	wait2 = "#!/bin/sh\n: > \"$D/s2up\"\nexec sleep 100\n"
	ok3   = "#!/bin/sh\nexit 0\n"
)

func TestStagesInOrderThenHalt(t *testing.T) {
	f := newFixture(t, map[string]string{"1": ok1, "2": "#!/bin/sh\nexit 0\n", "3": "#!/bin/sh\nexit 4\n"})
	code := result(t, f.run())
	d := f.dir
	want := strings.Join([]string{
		"- runit: " + ID + ": booting.",
		"- runit: enter stage: " + d + "/1",
		"- runit: leave stage: " + d + "/1",
		"- runit: enter stage: " + d + "/2",
		"- runit: leave stage: " + d + "/2",
		"- runit: enter stage: " + d + "/3",
		"- runit: warning: child failed: " + d + "/3",
		"- runit: leave stage: " + d + "/3",
		"- runit: sending KILL signal to all processes...",
	}, "\n") + "\n"
	if !strings.HasPrefix(f.out.String(), want) {
		t.Errorf("output:\n%s\nwant prefix:\n%s", f.out.String(), want)
	}
	if code != 4 || f.kill.Load() != 1 {
		t.Errorf("status %d kills %d, want 4 1", code, f.kill.Load())
	}
	wantHalt := []platform.Shutdown{platform.Halt}
	wantTail := "- runit: system halt.\n- runit: warning: unable to halt: permission denied\n"
	if platform.CanPowerOff() {
		wantHalt = []platform.Shutdown{platform.PowerOff, platform.Halt}
		wantTail = "- runit: power off...\n" + wantTail
	}
	if !strings.HasSuffix(f.out.String(), wantTail) || len(f.h.got) != len(wantHalt) || f.h.got[0] != wantHalt[0] {
		t.Errorf("end: %v\n%s", f.h.got, f.out.String())
	}
}

func TestRebootFlag(t *testing.T) {
	f := newFixture(t, map[string]string{"1": ok1, "2": ok1, "3": ok3, "reboot": ""})
	result(t, f.run())
	if len(f.h.got) != 1 || f.h.got[0] != platform.Reboot || !strings.Contains(f.out.String(), "- runit: system reboot.\n") {
		t.Errorf("halter %v output:\n%s", f.h.got, f.out.String())
	}
}

// A Halter that accepts means the machine is going away: Run never returns.
func TestHaltAcceptedNeverReturns(t *testing.T) {
	f := newFixture(t, map[string]string{"1": ok1, "2": ok1, "3": ok3})
	f.h.err = nil
	f.r.quit = make(chan struct{})
	done := f.run()
	f.waitOut(t, "- runit: system halt.")
	select {
	case code := <-done:
		t.Fatalf("Run returned %d after the system accepted the halt", code)
	case <-time.After(200 * time.Millisecond):
	}
	// Stop it, or its reaping would steal the next tests' children.
	close(f.r.quit)
	result(t, done)
}

func TestStopitProtocol(t *testing.T) {
	f := newFixture(t, map[string]string{"1": ok1, "2": wait2, "3": ok3})
	done := f.run()
	f.waitFile(t, "s2up")
	if err := os.WriteFile(f.r.Paths.StopIt, nil, 0o100); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(f.r.Paths.StopIt, 0o100); err != nil {
		t.Fatal(err)
	}
	f.sigs <- unix.SIGCONT
	result(t, done)
	fi, err := os.Stat(f.r.Paths.StopIt)
	if err != nil || fi.Mode().Perm() != 0 {
		t.Errorf("stopit: %v %v, want mode 0", fi, err)
	}
	if !strings.Contains(f.out.String(), "- runit: leave stage: "+f.dir+"/2\n- runit: enter stage: "+f.dir+"/3\n") {
		t.Errorf("output:\n%s", f.out.String())
	}
}

func TestStage2IgnoringTERMGetsKILL(t *testing.T) {
	f := newFixture(t, map[string]string{"1": ok1, "2": "#!/bin/sh\ntrap '' TERM\n: > \"$D/s2up\"\nwhile :; do sleep 0.05; done\n", "3": ok3})
	f.r.StopWait = 300 * time.Millisecond
	done := f.run()
	f.waitFile(t, "s2up")
	f.sigs <- unix.SIGTERM
	result(t, done)
	if !strings.Contains(f.out.String(), "- runit: warning: stage 2 not terminated, sending sigkill...\n") {
		t.Errorf("output:\n%s", f.out.String())
	}
}

func TestCtrlAltDelAndPwrFail(t *testing.T) {
	for _, c := range []struct {
		script string
		sig    os.Signal
		msg    string
	}{
		{"ctrlaltdel", unix.SIGINT, "- runit: ctrl-alt-del request...\n"},
		{"pwrfail", platform.PowerFailSignal(), "- runit: power fail request...\n"},
	} {
		t.Run(c.script, func(t *testing.T) {
			f := newFixture(t, map[string]string{"1": ok1, "2": wait2, "3": ok3,
				c.script: "#!/bin/sh\n: > \"$D/stopit\"\nchmod 100 \"$D/stopit\"\n"})
			done := f.run()
			f.waitFile(t, "s2up")
			f.sigs <- c.sig
			result(t, done)
			if !strings.Contains(f.out.String(), c.msg) {
				t.Errorf("output:\n%s", f.out.String())
			}
		})
	}
}

// pwrfail shuts down even when it does not create stopit.
func TestPwrFailShutsDownWithoutStopit(t *testing.T) {
	f := newFixture(t, map[string]string{"1": ok1, "2": wait2, "3": ok3, "pwrfail": "#!/bin/sh\n: > \"$D/pwrfail-ran\"\n"})
	done := f.run()
	f.waitFile(t, "s2up")
	f.sigs <- platform.PowerFailSignal()
	result(t, done)
	if _, err := os.Stat(filepath.Join(f.dir, "pwrfail-ran")); err != nil ||
		!strings.Contains(f.out.String(), "- runit: power fail request...\n- runit: leave stage: "+f.dir+"/2\n") {
		t.Errorf("output:\n%s", f.out.String())
	}
}

// Without the flag scripts and stopit the signals do nothing: stage 2 keeps running until it exits.
func TestCtrlAltDelWithoutScript(t *testing.T) {
	f := newFixture(t, map[string]string{"1": ok1, "2": "#!/bin/sh\n: > \"$D/s2up\"\nwhile [ ! -e \"$D/end\" ]; do sleep 0.02; done\n", "3": ok3})
	done := f.run()
	f.waitFile(t, "s2up")
	f.sigs <- unix.SIGINT
	f.sigs <- unix.SIGCONT // no stopit either
	f.sigs <- platform.PowerFailSignal()
	f.sigs <- unix.SIGHUP
	time.Sleep(3 * f.r.Tick) // runit wakes at least once per Tick: give it a chance to misbehave
	if strings.Contains(f.out.String(), "leave stage: "+f.dir+"/2") {
		t.Fatalf("stage 2 left without a request:\n%s", f.out.String())
	}
	os.WriteFile(filepath.Join(f.dir, "end"), nil, 0o644)
	result(t, done)
}

func TestStage1Results(t *testing.T) {
	for _, c := range []struct {
		stage1, want string
		skips        bool
	}{
		{"#!/bin/sh\nexit 100\n", "warning: child failed", true},
		{"#!/bin/sh\nkill -9 $$\n", "warning: child crashed", true},
		{"#!/bin/sh\nexit 1\n", "warning: child failed", false},
	} {
		f := newFixture(t, map[string]string{"1": c.stage1, "2": "#!/bin/sh\n: > \"$D/s2ran\"\n", "3": ok3})
		result(t, f.run())
		_, err := os.Stat(filepath.Join(f.dir, "s2ran"))
		ran := err == nil
		if !strings.Contains(f.out.String(), c.want) || ran == c.skips ||
			strings.Contains(f.out.String(), "skipping stage 2...") != c.skips {
			t.Errorf("stage 1 %q: stage 2 ran %v\n%s", c.stage1, ran, f.out.String())
		}
	}
}

func TestStage2RestartOnFailure(t *testing.T) {
	for _, body := range []string{"exit 111", "kill -9 $$"} {
		f := newFixture(t, map[string]string{"1": ok1,
			"2": "#!/bin/sh\nif [ ! -e \"$D/once\" ]; then : > \"$D/once\"; " + body + "; fi\n: > \"$D/again\"\n",
			"3": ok3})
		result(t, f.run())
		if _, err := os.Stat(filepath.Join(f.dir, "again")); err != nil ||
			!strings.Contains(f.out.String(), "- runit: warning: killing all processes in stage 2...\n- runit: warning: restarting.\n") {
			t.Errorf("%s: stage 2 not restarted:\n%s", body, f.out.String())
		}
	}
}

func TestMissingStages(t *testing.T) {
	f := newFixture(t, nil)
	code := result(t, f.run())
	for i := 1; i <= 3; i++ {
		msg := "- runit: fatal: unable to start child: " + filepath.Join(f.dir, string(rune('0'+i))) + ": file does not exist\n"
		if !strings.Contains(f.out.String(), msg) {
			t.Errorf("missing %q in:\n%s", msg, f.out.String())
		}
	}
	if code != 0 {
		t.Errorf("status %d, want 0", code)
	}
}

// SIGTERM during stage 1 is remembered: stage 2 is skipped.
func TestTermDuringStage1(t *testing.T) {
	f := newFixture(t, map[string]string{"1": "#!/bin/sh\n: > \"$D/s1up\"\nwhile [ ! -e \"$D/go\" ]; do sleep 0.02; done\n",
		"2": "#!/bin/sh\n: > \"$D/s2ran\"\n", "3": ok3})
	done := f.run()
	f.waitFile(t, "s1up")
	f.sigs <- unix.SIGTERM
	f.sigs <- unix.SIGCONT
	f.waitOut(t, "- runit: warning: signals only work in stage 2.")
	os.WriteFile(filepath.Join(f.dir, "go"), nil, 0o644)
	result(t, done)
	if _, err := os.Stat(filepath.Join(f.dir, "s2ran")); err == nil {
		t.Errorf("stage 2 ran after SIGTERM in stage 1:\n%s", f.out.String())
	}
}
