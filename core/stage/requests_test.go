package stage

import (
	"os"
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
