package child

import (
	"io"
	"os"
	"syscall"
	"testing"
	"time"
)

func TestSpawnDeliversExit(t *testing.T) {
	cases := []struct {
		script  string
		code    int
		signal  syscall.Signal
		success bool
	}{
		{"exit 0", 0, 0, true},
		{"exit 3", 3, 0, false},
		{"kill -9 $$", -1, syscall.SIGKILL, true}, // runit counts a signalled helper as success
	}
	for _, c := range cases {
		pid, done, err := Spawn(Spec{Path: "/bin/sh", Argv: []string{"sh", "-c", c.script}, Dir: os.TempDir(),
			Files: []uintptr{0, 1, 2}})
		if err != nil {
			t.Fatal(err)
		}
		select {
		case e := <-done:
			if e.Pid != pid || e.Status.ExitStatus() != c.code || e.Success() != c.success {
				t.Errorf("%q: got pid %d status %v success %v", c.script, e.Pid, e.Status, e.Success())
			}
			if c.signal != 0 && e.Status.Signal() != c.signal {
				t.Errorf("%q: signal %v", c.script, e.Status.Signal())
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%q: no exit delivered", c.script)
		}
	}
}

func TestSpawnExecFailure(t *testing.T) {
	_, _, err := Spawn(Spec{Path: "./nonexistent", Argv: []string{"./nonexistent"}, Dir: t.TempDir(), Files: []uintptr{0, 1, 2}})
	if err != syscall.ENOENT {
		t.Fatalf("err = %v, want ENOENT", err)
	}
}

// TestSpawnFork checks the confinement hook: the fork runs inside it, what it returns is
// what Spawn returns, and a child that is already dying when the hook returns (its end of
// a pipe closed) is still delivered: it cannot be reaped before it is registered.
func TestSpawnFork(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	calls := 0
	wrap := func(start func() (int, error)) (int, error) {
		calls++
		pid, err := start()
		w.Close()
		if err == nil {
			io.Copy(io.Discard, r) // EOF: the child has closed its descriptors on exit
		}
		return pid, err
	}
	pid, done, err := Spawn(Spec{Path: "/bin/sh", Argv: []string{"sh", "-c", "exit 7"}, Dir: os.TempDir(),
		Files: []uintptr{0, w.Fd(), 2}, Fork: wrap})
	if err != nil {
		t.Fatal(err)
	}
	if calls != 1 {
		t.Fatalf("the fork hook ran %d times, want 1", calls)
	}
	select {
	case e := <-done:
		if e.Pid != pid || e.Status.ExitStatus() != 7 {
			t.Errorf("got pid %d status %v, want %d exit 7", e.Pid, e.Status, pid)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the exit of a child that died inside the fork hook was lost")
	}
}

// TestSpawnHungForkHoldsUpNoOne: a fork that hangs (one service's exec on a hung file
// system, here a confinement hook that blocks) must not stop other children from being
// started and reaped; it used to hold the reaper's lock the whole time.
func TestSpawnHungForkHoldsUpNoOne(t *testing.T) {
	release := make(chan struct{})
	hung := make(chan error, 1)
	go func() {
		_, _, err := Spawn(Spec{Path: "/bin/sh", Argv: []string{"sh", "-c", "exit 0"}, Dir: os.TempDir(),
			Files: []uintptr{0, 1, 2}, Fork: func(start func() (int, error)) (int, error) {
				<-release
				return start()
			}})
		hung <- err
	}()
	defer func() {
		close(release)
		if err := <-hung; err != nil {
			t.Errorf("the held-up spawn: %v", err)
		}
	}()
	for i := 0; i < 3; i++ {
		pid, done, err := Spawn(Spec{Path: "/bin/sh", Argv: []string{"sh", "-c", "exit 5"}, Dir: os.TempDir(),
			Files: []uintptr{0, 1, 2}})
		if err != nil {
			t.Fatal(err)
		}
		select {
		case e := <-done:
			if e.Pid != pid || e.Status.ExitStatus() != 5 {
				t.Errorf("got pid %d status %v, want %d exit 5", e.Pid, e.Status, pid)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("a child's exit was not delivered while another spawn hung")
		}
	}
}

// TestOrphansReapedAfterSpawns: a child nobody registered (an orphan a subreaper
// inherits) that exits while a spawn is under way is collected once the spawn is done.
func TestOrphansReapedAfterSpawns(t *testing.T) {
	Start()
	orphan, err := syscall.ForkExec("/bin/sh", []string{"sh", "-c", "exit 0"}, &syscall.ProcAttr{Files: []uintptr{0, 1, 2}})
	if err != nil {
		t.Fatal(err)
	}
	_, done, err := Spawn(Spec{Path: "/bin/sh", Argv: []string{"sh", "-c", "sleep 0.2"}, Dir: os.TempDir(),
		Files: []uintptr{0, 1, 2}})
	if err != nil {
		t.Fatal(err)
	}
	<-done
	deadline := time.Now().Add(10 * time.Second)
	for syscall.Kill(orphan, 0) == nil { // a zombie still answers kill(0)
		if time.Now().After(deadline) {
			t.Fatal("the orphan was never reaped")
		}
		time.Sleep(5 * time.Millisecond)
		Reap()
	}
}
