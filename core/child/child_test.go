package child

import (
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
