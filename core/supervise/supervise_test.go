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

// checkDir follows a service directory removed and created again, and only that: a
// directory that still exists under another name (its symlink pointed elsewhere) is the
// one we supervise, as C runsv stays in its cwd, and the new target is another service's.
func TestCheckDirFollowsOnlyARemovedDirectory(t *testing.T) {
	root := t.TempDir()
	a, b, link := filepath.Join(root, "a"), filepath.Join(root, "b"), filepath.Join(root, "link")
	for _, d := range []string{a, b} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, "run"), []byte("#!/bin/sh\nexec sleep 1000\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(a, link); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	s, err := Open(Config{Name: "link", Dir: link, Stderr: &stderr, Stdin: 0, Stdout: 1, ErrFd: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.dirFd < 0 {
		t.Skip("no way here to reach a held directory by a path (Linux's /proc/self/fd)")
	}
	dir := s.main.dir
	// The symlink pointed at b: a still exists, we stay.
	if err := os.Remove(link); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(b, link); err != nil {
		t.Fatal(err)
	}
	s.checkDir()
	if s.main.dir != dir {
		t.Errorf("moved to %s when the symlink was pointed elsewhere", s.main.dir)
	}
	if _, err := os.Stat(filepath.Join(b, "supervise")); err == nil {
		t.Errorf("made b/supervise, another service's directory: %s", stderr.String())
	}
	// a removed and made again where the symlink points: we follow.
	if err := os.RemoveAll(a); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(link); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(a, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(a, link); err != nil {
		t.Fatal(err)
	}
	s.checkDir()
	if _, err := os.Stat(filepath.Join(a, "supervise", "status")); err != nil {
		t.Errorf("not moved into the directory made again: %v; %s", err, stderr.String())
	}
}
