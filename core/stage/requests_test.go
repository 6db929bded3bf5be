package stage

import (
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/runit-go/runit/platform"
	"golang.org/x/sys/unix"
)

// The disks are synced before every call to the Halter, unless nosync exists.
func TestSyncBeforeHalter(t *testing.T) {
	ends := []string{"halt"}
	if platform.CanPowerOff() {
		ends = []string{"poweroff", "halt"}
	}
	for _, c := range []struct {
		name   string
		flags  map[string]string
		events []string
	}{
		{"halt", nil, nil},
		{"reboot", map[string]string{"reboot": ""}, []string{"sync", "reboot"}},
		{"nosync", map[string]string{"nosync": ""}, ends},
		{"nosync reboot", map[string]string{"nosync": "", "reboot": ""}, []string{"reboot"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			scripts := map[string]string{"1": ok1, "2": ok1, "3": ok3}
			for k, v := range c.flags {
				scripts[k] = v
			}
			f := newFixture(t, scripts)
			if c.events == nil {
				for _, e := range ends {
					c.events = append(c.events, "sync", e)
				}
			}
			result(t, f.run())
			if strings.Join(f.h.events, " ") != strings.Join(c.events, " ") {
				t.Errorf("events %q, want %q", f.h.events, c.events)
			}
		})
	}
}

// failingFork is a ForkExec that fails to fork path n times (errno e), then forks for real.
func failingFork(path string, n int, e syscall.Errno) func(string, []string, *syscall.ProcAttr) (int, error) {
	var mu sync.Mutex
	return func(argv0 string, argv []string, attr *syscall.ProcAttr) (int, error) {
		mu.Lock()
		fail := argv0 == path && n > 0
		if fail {
			n--
		}
		mu.Unlock()
		if fail {
			return 0, e
		}
		return syscall.ForkExec(argv0, argv, attr)
	}
}

// A fork that fails is retried after a pause, as in C runit; it is not a missing stage
// (which would take the machine down) nor a missing flag script.
func TestForkFailureRetried(t *testing.T) {
	t.Run("stage 2", func(t *testing.T) {
		f := newFixture(t, map[string]string{"1": ok1, "2": "#!/bin/sh\n: > \"$D/s2ran\"\n", "3": ok3})
		s2 := filepath.Join(f.dir, "2")
		f.r.ForkExec = failingFork(s2, 2, syscall.EAGAIN)
		result(t, f.run())
		msg := "- runit: fatal: unable to fork for \"" + s2 + "\" pausing: temporary failure\n"
		out := f.out.String()
		if strings.Count(out, msg) != 2 || strings.Contains(out, "unable to start child") {
			t.Errorf("want %q twice and no exec failure:\n%s", msg, out)
		}
		if _, err := os.Stat(filepath.Join(f.dir, "s2ran")); err != nil {
			t.Errorf("stage 2 did not run after the fork failures:\n%s", out)
		}
	})
	t.Run("ctrlaltdel", func(t *testing.T) {
		f := newFixture(t, map[string]string{"1": ok1, "2": wait2, "3": ok3,
			"ctrlaltdel": "#!/bin/sh\n: > \"$D/stopit\"\nchmod 100 \"$D/stopit\"\n"})
		cad := filepath.Join(f.dir, "ctrlaltdel")
		f.r.ForkExec = failingFork(cad, 1, syscall.ENOMEM)
		done := f.run()
		f.waitFile(t, "s2up")
		f.sigs <- unix.SIGINT
		result(t, done)
		want := "- runit: ctrl-alt-del request...\n- runit: fatal: unable to fork for \"" + cad + "\" pausing: out of memory\n"
		if !strings.Contains(f.out.String(), want) || !strings.Contains(f.out.String(), "leave stage: "+f.dir+"/2\n") {
			t.Errorf("want %q, then the shutdown:\n%s", want, f.out.String())
		}
	})
}

// A ctrlaltdel that does not create stopit runs, and the system stays up.
func TestCtrlAltDelWithoutStopit(t *testing.T) {
	f := newFixture(t, map[string]string{"1": ok1,
		"2":          "#!/bin/sh\n: > \"$D/s2up\"\nwhile [ ! -e \"$D/end\" ]; do sleep 0.02; done\n",
		"3":          ok3,
		"ctrlaltdel": "#!/bin/sh\necho x >> \"$D/cad-ran\"\n"})
	done := f.run()
	f.waitFile(t, "s2up")
	f.sigs <- unix.SIGINT
	f.waitFile(t, "cad-ran")
	// The second request is taken only once the first has been dealt with entirely.
	f.sigs <- unix.SIGINT
	f.waitCount(t, "- runit: ctrl-alt-del request...", 2)
	if strings.Contains(f.out.String(), "leave stage: "+f.dir+"/2") {
		t.Fatalf("ctrl-alt-del without stopit shut down:\n%s", f.out.String())
	}
	os.WriteFile(filepath.Join(f.dir, "end"), nil, 0o644)
	result(t, done)
}

// In stage 3 a SIGCONT or SIGINT gets runit's warning and a SIGTERM is ignored: stage 3
// runs to its end.
func TestRequestsDuringStage3(t *testing.T) {
	f := newFixture(t, map[string]string{"1": ok1, "2": ok1,
		"3":      "#!/bin/sh\n: > \"$D/s3up\"\nwhile [ ! -e \"$D/end\" ]; do sleep 0.02; done\n: > \"$D/s3done\"\n",
		"stopit": "", "ctrlaltdel": "#!/bin/sh\n: > \"$D/cad-ran\"\n"})
	done := f.run()
	f.waitFile(t, "s3up")
	f.sigs <- unix.SIGTERM
	f.sigs <- unix.SIGCONT
	f.waitOut(t, "- runit: warning: signals only work in stage 2.")
	f.sigs <- unix.SIGINT
	f.sigs <- unix.SIGTERM
	f.waitCount(t, "signals only work in stage 2.", 2)
	if strings.Contains(f.out.String(), "leave stage: "+f.dir+"/3") || f.kill.Load() != 0 {
		t.Fatalf("stage 3 cut short by a request:\n%s", f.out.String())
	}
	os.WriteFile(filepath.Join(f.dir, "end"), nil, 0o644)
	result(t, done)
	for _, n := range []string{"s3done", "cad-ran"} {
		_, err := os.Stat(filepath.Join(f.dir, n))
		if (n == "s3done") != (err == nil) {
			t.Errorf("%s: %v\n%s", n, err, f.out.String())
		}
	}
	if fi, err := os.Stat(f.r.Paths.StopIt); err != nil || fi.Mode().Perm() != 0o755 {
		t.Errorf("stopit touched in stage 3: %v %v", fi, err)
	}
}

// notifyForTest catches the process's signals the way process 1 does, until the test ends.
func notifyForTest(t *testing.T, r *Runit) {
	r.Notify()
	t.Cleanup(func() { signal.Reset() })
}

// Every signal that can be caught is: none ends the process (as Go's default would, in
// process 1 with status 2), the requests reach Signals and SIGCHLD reaches Children.
func TestNotifyCatchesEverything(t *testing.T) {
	r := &Runit{PowerFail: platform.PowerFailSignal()}
	notifyForTest(t, r)
	self := os.Getpid()
	others := []syscall.Signal{unix.SIGABRT, unix.SIGTRAP, unix.SIGSYS, unix.SIGUSR1, unix.SIGUSR2,
		unix.SIGHUP, unix.SIGQUIT, unix.SIGALRM, unix.SIGPIPE, unix.SIGVTALRM, unix.SIGXCPU,
		unix.SIGSEGV, unix.SIGBUS, unix.SIGFPE, unix.SIGILL}
	others = append(others, realtimeSignals()...)
	for _, s := range others {
		if err := unix.Kill(self, s); err != nil {
			t.Fatalf("kill %v: %v", s, err)
		}
	}
	if err := unix.Kill(self, unix.SIGCHLD); err != nil {
		t.Fatal(err)
	}
	if err := unix.Kill(self, unix.SIGTERM); err != nil {
		t.Fatal(err)
	}
	deadline := time.After(10 * time.Second)
	for gotTerm, gotChld := false, false; !gotTerm || !gotChld; {
		select {
		case s := <-r.Signals:
			if s != unix.SIGTERM {
				t.Fatalf("Signals got %v; only requests belong there", s)
			}
			gotTerm = true
		case s := <-r.Children:
			if s != unix.SIGCHLD {
				t.Fatalf("Children got %v", s)
			}
			gotChld = true
		case <-deadline:
			t.Fatalf("SIGTERM %v SIGCHLD %v: not both delivered", gotTerm, gotChld)
		}
	}
}

// Requests that arrive while a flag script runs are kept, however many SIGCHLDs arrive
// with them: a SIGTERM sent during ctrlaltdel, after a burst of SIGCHLDs, still shuts down.
func TestRequestKeptDuringFlagScript(t *testing.T) {
	f := newFixture(t, map[string]string{"1": ok1, "2": wait2, "3": ok3,
		"ctrlaltdel": "#!/bin/sh\n: > \"$D/cad-up\"\nwhile [ ! -e \"$D/go\" ]; do sleep 0.02; done\n"})
	notifyForTest(t, f.r)
	self := os.Getpid()
	done := f.run()
	f.waitFile(t, "s2up")
	unix.Kill(self, unix.SIGINT)
	f.waitFile(t, "cad-up")
	for i := 0; i < 100; i++ {
		unix.Kill(self, unix.SIGCHLD)
		time.Sleep(200 * time.Microsecond) // one by one: pending signals of a kind merge
	}
	unix.Kill(self, unix.SIGTERM)
	os.WriteFile(filepath.Join(f.dir, "go"), nil, 0o644)
	result(t, done)
	if !strings.Contains(f.out.String(), "- runit: leave stage: "+f.dir+"/2\n- runit: enter stage: "+f.dir+"/3\n") {
		t.Errorf("output:\n%s", f.out.String())
	}
}

// crash2 is a stage 2 that crashes the first time it runs (leaving its pid in s2pid);
// restarted, it leaves again and waits.
const crash2 = "#!/bin/sh\nif [ ! -e \"$D/s2pid\" ]; then echo $$ > \"$D/s2pid\"; kill -9 $$; fi\n: > \"$D/again\"\nexec sleep 100\n"

// cadStopit is the usual ctrlaltdel: it asks runit to leave stage 2.
const cadStopit = "#!/bin/sh\n: > \"$D/stopit\"\nchmod 100 \"$D/stopit\"\n"

// slowTick gives runit a Tick longer than any test, so that only what the test sends wakes
// it, and a Children channel that the returned function starts to feed (as SIGCHLD would)
// so that the run can end.
func (f *fixture) slowTick(t *testing.T) (wakeOnChildren func()) {
	chld := make(chan os.Signal, 1)
	f.r.Tick, f.r.Children = 30*time.Second, chld
	stop := make(chan struct{})
	t.Cleanup(func() { close(stop) })
	return func() {
		go func() {
			for {
				select {
				case chld <- unix.SIGCHLD:
				case <-stop:
					return
				case <-time.After(5 * time.Millisecond):
				}
			}
		}()
	}
}

// stoppedAfterCrash checks that runit went from the crashed stage 2 to stage 3 and never
// restarted it.
func (f *fixture) stoppedAfterCrash(t *testing.T, done chan int, wake func()) {
	t.Helper()
	f.waitOut(t, "- runit: enter stage: "+f.dir+"/3")
	if wake != nil {
		wake()
	}
	result(t, done)
	out := f.out.String()
	if strings.Contains(out, "restarting.") || !strings.Contains(out, "- runit: leave stage: "+f.dir+"/2\n- runit: enter stage: "+f.dir+"/3\n") {
		t.Errorf("want stage 2 left for stage 3 without a restart:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(f.dir, "again")); err == nil {
		t.Errorf("stage 2 ran again:\n%s", out)
	}
}

// A request during the pause before a crashed stage 2 is restarted is acted on at once, as
// in stage 2: one that stops goes to stage 3 without waiting out the pause (docker stop's
// SIGTERM used to wait for it, then for runit's next wake-up: up to 19 s in all). One that
// does not stop leaves the pause and the restart as they were.
func TestRequestDuringRestartPause(t *testing.T) {
	for _, c := range []struct {
		name  string
		sig   os.Signal
		flags map[string]string
		stops bool
	}{
		{"TERM", unix.SIGTERM, nil, true},
		{"CONT with stopit", unix.SIGCONT, map[string]string{"stopit": ""}, true},
		{"INT with ctrlaltdel", unix.SIGINT, map[string]string{"ctrlaltdel": cadStopit}, true},
		{"PWR with pwrfail", platform.PowerFailSignal(), map[string]string{"pwrfail": "#!/bin/sh\n: > \"$D/pwr-ran\"\n"}, true},
		{"CONT without stopit", unix.SIGCONT, nil, false},
		{"INT with a ctrlaltdel that does not stop", unix.SIGINT, map[string]string{"ctrlaltdel": "#!/bin/sh\n"}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			scripts := map[string]string{"1": ok1, "2": crash2, "3": ok3}
			for k, v := range c.flags {
				scripts[k] = v
			}
			f := newFixture(t, scripts)
			// Long enough that waiting it out fails the test; short where it must be.
			f.r.RestartWait = 30 * time.Second
			if !c.stops {
				f.r.RestartWait = 300 * time.Millisecond
			}
			done := f.run()
			f.waitOut(t, "- runit: warning: killing all processes in stage 2...")
			f.sigs <- c.sig
			if !c.stops {
				f.waitFile(t, "again")
				if strings.Contains(f.out.String(), "leave stage: "+f.dir+"/2") {
					t.Errorf("left stage 2 on a request that does not stop:\n%s", f.out.String())
				}
				os.WriteFile(f.r.Paths.StopIt, nil, 0o700)
				f.sigs <- unix.SIGCONT
				result(t, done)
				return
			}
			f.stoppedAfterCrash(t, done, nil)
			if fi, err := os.Stat(f.r.Paths.StopIt); err == nil && fi.Mode().Perm() != 0 {
				t.Errorf("stopit still mode %v", fi.Mode().Perm())
			}
		})
	}
}

// A request taken in the same wake-up as stage 2's crash is acted on before the pause.
// Stage 1 is missing (so needs no reaping) and runit has no SIGCHLD: only the SIGTERM,
// sent once stage 2 is a zombie, wakes it.
func TestRequestWithStage2Crash(t *testing.T) {
	if _, err := exec.LookPath("ps"); err != nil {
		t.Skip("needs ps to see that stage 2 has died")
	}
	f := newFixture(t, map[string]string{"2": crash2, "3": ok3})
	wake := f.slowTick(t)
	f.r.RestartWait = 30 * time.Second
	done := f.run()
	f.waitFile(t, "s2pid")
	deadline := time.Now().Add(10 * time.Second)
	for {
		b, _ := os.ReadFile(filepath.Join(f.dir, "s2pid"))
		st, _ := exec.Command("ps", "-o", "stat=", "-p", strings.TrimSpace(string(b))).Output()
		if strings.HasPrefix(strings.TrimSpace(string(st)), "Z") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("stage 2 (pid %q) not a zombie: ps says %q", b, st)
		}
		time.Sleep(5 * time.Millisecond)
	}
	f.sigs <- unix.SIGTERM
	f.waitOut(t, "- runit: warning: killing all processes in stage 2...")
	f.stoppedAfterCrash(t, done, wake)
}

// A request kept while runit was busy (here: pausing after a failed fork of stage 2) is
// acted on as soon as runit waits, not after the next signal or Tick.
func TestRequestKeptIsActedOnAtOnce(t *testing.T) {
	f := newFixture(t, map[string]string{"2": wait2, "3": ok3})
	wake := f.slowTick(t)
	f.r.RestartWait = 10 * time.Millisecond
	s2 := filepath.Join(f.dir, "2")
	failOnce := failingFork(s2, 1, syscall.EAGAIN)
	f.r.ForkExec = func(argv0 string, argv []string, attr *syscall.ProcAttr) (int, error) {
		pid, err := failOnce(argv0, argv, attr)
		if err != nil {
			f.sigs <- unix.SIGTERM // arrives during the pause before the next fork
		}
		return pid, err
	}
	done := f.run()
	f.waitOut(t, "- runit: enter stage: "+f.dir+"/3")
	wake()
	result(t, done)
	if !strings.Contains(f.out.String(), "- runit: leave stage: "+f.dir+"/2\n") {
		t.Errorf("output:\n%s", f.out.String())
	}
}
