package svlog

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// startLogger runs a logger with args on a pipe that holds in, giving its signal function
// to signal first. It returns the log directory's parent, the pipe's write and read ends
// and the channel that gets the logger's wait status.
func startLogger(t *testing.T, args []string, in string, signal func(signal func(byte))) (string, *os.File, *os.File, <-chan syscall.WaitStatus) {
	t.Helper()
	dir := t.TempDir()
	opt, err := ParseArgs(append(args, "log"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "log"), 0o755); err != nil {
		t.Fatal(err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close(); w.Close() })
	io.WriteString(w, in)
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { null.Close() })
	done := make(chan syscall.WaitStatus, 1)
	go func() {
		done <- RunLogger(opt, Instance{In: int(r.Fd()), Stderr: null, Base: dir, Started: signal})
	}()
	return dir, w, r, done
}

// After TERM, C svlogd reads once more what the pipe holds, up to its buffer (-b), logs
// the lines of it, reads the line it ended in to its end a byte at a time, and leaves
// the rest in the pipe for the next svlogd. A paused logger that `sv stop` ends (TERM,
// CONT) so writes what its service wrote while it was paused. C drops the last line it
// completes so (measured: 10 of "more than a buffer"'s lines logged, "a\n" of "a line
// unfinished"); ours logs it, as it logs every line it took.
func TestTermReadsOneBufferMore(t *testing.T) {
	line := func(i int) string { return strings.Repeat(string(rune('a'+i%26)), 99) + "\n" }
	lines := func(from, to int) string {
		var b strings.Builder
		for i := from; i < to; i++ {
			b.WriteString(line(i))
		}
		return b.String()
	}
	for _, c := range []struct {
		name        string
		args        []string
		in, later   string // in the pipe at TERM; written once the first lines are logged
		logged, out string // current afterwards; what the pipe still holds
	}{
		{"nothing waiting", nil, "", "", "", ""},
		{"lines waiting", nil, "a\nb\n", "", "a\nb\n", ""},
		// 1024 bytes: ten lines and 24 bytes of the eleventh, which is read to its end.
		{"more than a buffer", nil, lines(0, 30), "", lines(0, 11), lines(11, 30)},
		{"-b 2000", []string{"-b", "2000"}, lines(0, 30), "", lines(0, 20), lines(20, 30)},
		{"a line unfinished", nil, "a\nb", "c\nd\n", "a\nbc\n", "d\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir, w, r, done := startLogger(t, c.args, c.in, func(signal func(byte)) { signal('t') })
			current := filepath.Join(dir, "log", "current")
			if c.later != "" {
				first := c.logged[:strings.IndexByte(c.logged, '\n')+1]
				deadline := time.Now().Add(5 * time.Second)
				for b, _ := os.ReadFile(current); string(b) != first; b, _ = os.ReadFile(current) {
					if time.Now().After(deadline) {
						t.Fatalf("current %q, want %q before the rest is written", b, first)
					}
					time.Sleep(5 * time.Millisecond)
				}
				io.WriteString(w, c.later)
			}
			select {
			case ws := <-done:
				if ws != 0 {
					t.Errorf("wait status %#x, want exit 0", int(ws))
				}
			case <-time.After(10 * time.Second):
				t.Fatal("the logger did not end after TERM")
			}
			w.Close()
			left, _ := io.ReadAll(r)
			if b, _ := os.ReadFile(current); string(b) != c.logged {
				t.Errorf("current:\n%q\nwant\n%q", b, c.logged)
			}
			if string(left) != c.out {
				t.Errorf("left in the pipe:\n%q\nwant\n%q", left, c.out)
			}
		})
	}
}

// A paused svlogd (STOP) that gets a signal that kills it: the kernel kills a stopped
// process at once only for KILL and holds the others until CONT, when the lowest-numbered
// acts first (measured with C svlogd under runsv: INT, QUIT and USR1 held). A pooled
// logger sent those bytes ends the same way (wait status: the signal), writing nothing of
// what waits in its pipe.
func TestKillWhilePaused(t *testing.T) {
	for _, c := range []struct {
		sigs string
		want syscall.Signal
	}{
		{"pk", syscall.SIGKILL},
		{"pic", syscall.SIGINT},
		{"p1c", syscall.SIGUSR1},
		{"pqc", syscall.SIGQUIT},
		{"pqtc", syscall.SIGQUIT},
		{"pqk", syscall.SIGKILL}, // QUIT still held when KILL came
		{"p2qc", syscall.SIGQUIT},
		{"pqic", syscall.SIGINT},
		{"piqc", syscall.SIGINT},
	} {
		t.Run(c.sigs, func(t *testing.T) {
			dir, _, _, done := startLogger(t, nil, "a\n", func(signal func(byte)) {
				for i := 0; i < len(c.sigs); i++ {
					signal(c.sigs[i])
				}
			})
			select {
			case ws := <-done:
				if !ws.Signaled() || ws.Signal() != c.want {
					t.Errorf("wait status %#x, want killed by %v", int(ws), c.want)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("the logger did not end")
			}
			if b, _ := os.ReadFile(filepath.Join(dir, "log", "current")); len(b) != 0 {
				t.Errorf("current %q, want nothing written", b)
			}
		})
	}
}
