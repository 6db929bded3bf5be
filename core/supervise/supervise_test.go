package supervise

import (
	"bytes"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/runit-go/runit/core/protocol"
)

func TestFinishArgs(t *testing.T) {
	cases := []struct {
		ws        syscall.WaitStatus
		code, sig string
	}{
		{0, "0", "0"},
		{3 << 8, "3", "0"},
		{111 << 8, "111", "0"},
		{syscall.WaitStatus(syscall.SIGKILL), "-1", "9"},
		{syscall.WaitStatus(syscall.SIGTERM), "-1", "15"},
		{syscall.WaitStatus(syscall.SIGSEGV) | 0x80, "-1", "139"}, // core dumped: runit passes wstat & 0xff
	}
	for _, c := range cases {
		code, sig := finishArgs(c.ws)
		if code != c.code || sig != c.sig {
			t.Errorf("finishArgs(%#x) = %s %s, want %s %s", uint32(c.ws), code, sig, c.code, c.sig)
		}
	}
}

// TestServiceInProcess drives the engine the way runsvdir's host does: Open, Run in a
// goroutine, control bytes through the FIFO, Exit.
func TestServiceInProcess(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "run"), []byte("#!/bin/sh\nexec sleep 1000\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	s, err := Open(Config{Name: "svc", Dir: dir, Stderr: &stderr, Stdin: 0, Stdout: 1, ErrFd: 2})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { s.Run(); close(done) }()
	stat := func() string { b, _ := os.ReadFile(filepath.Join(dir, "supervise", "stat")); return string(b) }
	wait := func(want string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for stat() != want {
			if time.Now().After(deadline) {
				t.Fatalf("stat %q, want %q", stat(), want)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	wait("run\n")
	ctl, err := os.OpenFile(filepath.Join(dir, "supervise", "control"), os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer ctl.Close()
	for _, step := range []struct{ c, want string }{{"d", "down\n"}, {"u", "run\n"}, {"p", "run, paused\n"}, {"c", "run\n"}} {
		ctl.WriteString(step.c)
		wait(step.want)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "supervise", "status"))
	r, err := protocol.Decode(b)
	if err != nil || r.State != protocol.Run || r.Want != protocol.WantUp || r.Pid == 0 {
		t.Fatalf("status %+v %v", r, err)
	}
	s.Exit()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after Exit")
	}
	if syscall.Kill(r.Pid, 0) == nil {
		t.Errorf("service process %d still runs after Exit", r.Pid)
	}
}
