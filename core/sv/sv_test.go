package sv

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/runit-go/runit/core/protocol"
	"golang.org/x/sys/unix"
)

func TestLine(t *testing.T) {
	now := time.Unix(1000, 0)
	for _, c := range []struct {
		s    Status
		want string
	}{
		{Status{State: protocol.Run, Pid: 7, Want: 'u', Since: time.Unix(987, 5), NormallyUp: true}, "run: x: (pid 7) 13s"},
		{Status{State: protocol.Down, Want: 'd', Since: time.Unix(1000, 0), NormallyUp: true}, "down: x: 0s, normally up"},
		{Status{State: protocol.Down, Want: 'u', Since: time.Unix(1005, 0)}, "down: x: 0s, want up"},
		{Status{State: protocol.Run, Pid: 9, Want: 'd', Paused: true, Term: true, Since: time.Unix(997, 0)}, "run: x: (pid 9) 3s, normally down, paused, want down, got TERM"},
		{Status{State: protocol.Finish, Want: 'u', Since: time.Unix(1000, 0), NormallyUp: true}, "finish: x: (pid 0) 0s, normally up, want up"},
		{Status{State: 7, Pid: 1, Want: 'u', Since: time.Unix(1000, 0), NormallyUp: true}, "x: (pid 1) 0s"},
	} {
		if got := Line("x", c.s, now); got != c.want {
			t.Errorf("Line(%+v) = %q, want %q", c.s, got, c.want)
		}
	}
}

func TestSeconds(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"": 0, "5": 5 * time.Second, "12abc": 12 * time.Second, "x1": 0, "99999999999999999999": (1 << 32) * time.Second,
		"18446744073709551616": 0, "18446744073709551617": time.Second, "4294967297": (1 << 32) * time.Second,
	} {
		if got := seconds(in); got != want {
			t.Errorf("seconds(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestParseAction(t *testing.T) {
	for _, c := range []struct {
		word, acts  string
		wait, kill  bool
		stat, usage bool
		lsb         bool
	}{
		{word: "status", stat: true},
		{word: "sfoo", stat: true},
		{word: "sfoo", lsb: true, usage: true},
		{word: "up", acts: "u"}, {word: "u", acts: "u"}, {word: "down", acts: "d"},
		{word: "once", acts: "o"}, {word: "pause", acts: "p"}, {word: "cont", acts: "c"},
		{word: "hup", acts: "h"}, {word: "alarm", acts: "a"}, {word: "interrupt", acts: "i"},
		{word: "quit", acts: "q"}, {word: "1", acts: "1"}, {word: "2", acts: "2"},
		{word: "term", acts: "t"}, {word: "kill", acts: "k"}, {word: "exit", acts: "x"}, {word: "e", acts: "x"},
		{word: "start", acts: "u", wait: true}, {word: "stop", acts: "d", wait: true},
		{word: "reload", acts: "h", wait: true}, {word: "restart", acts: "tcu", wait: true},
		{word: "try-restart", acts: "tc", wait: true}, {word: "shutdown", acts: "x", wait: true},
		{word: "check", acts: "C", wait: true},
		{word: "force-stop", acts: "d", wait: true, kill: true},
		{word: "force-reload", acts: "tc", wait: true, kill: true},
		{word: "force-restart", acts: "tcu", wait: true, kill: true},
		{word: "force-shutdown", acts: "x", wait: true, kill: true},
		{word: "X", acts: "x", wait: true, kill: true}, {word: "D", acts: "d", wait: true, kill: true},
		{word: "T", acts: "tc", wait: true, kill: true},
		{word: "rest", usage: true}, {word: "force", usage: true}, {word: "zap", usage: true}, {word: "", usage: true},
	} {
		var errb bytes.Buffer
		cl := &client{prog: "sv", lsb: c.lsb, errw: &errb}
		cl.out = nil
		usage := func() (u bool) {
			defer func() {
				if r := recover(); r != nil {
					u = true
				}
			}()
			cl.parseAction(c.word)
			return false
		}()
		if usage != c.usage {
			t.Errorf("%q: usage %v, want %v", c.word, usage, c.usage)
			continue
		}
		if usage {
			continue
		}
		if cl.acts != c.acts || cl.wait4 != c.wait || cl.kill != c.kill || cl.stat != c.stat {
			t.Errorf("%q: acts %q wait %v kill %v stat %v", c.word, cl.acts, cl.wait4, cl.kill, cl.stat)
		}
	}
}

func TestMainUsageAndOptions(t *testing.T) {
	env := func(m map[string]string) func(string) (string, bool) {
		return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
	}
	for _, c := range []struct {
		args    []string
		code    int
		errText string
	}{
		{[]string{"sv"}, 100, "usage: sv [-v] [-w sec] command service ...\n\n"},
		{[]string{"/usr/bin/sv", "status"}, 100, "usage: sv [-v] [-w sec] command service ...\n\n"},
		{[]string{"sv", "-q"}, 100, "sv: illegal option -- q\nusage: sv [-v] [-w sec] command service ...\n\n"},
		{[]string{"sv", "-w"}, 100, "sv: option requires an argument -- w\nusage: sv [-v] [-w sec] command service ...\n\n"},
		{[]string{"/etc/init.d/foo"}, 2, "usage: foo [-w sec] command\n\n"},
		{[]string{"foo", "bar"}, 2, "usage: foo [-w sec] command\n\n"},
	} {
		var o, e bytes.Buffer
		code := Main(c.args, env(nil), &o, &e)
		if code != c.code || e.String() != c.errText || o.Len() != 0 {
			t.Errorf("%q: exit %d stderr %q stdout %q", c.args, code, e.String(), o.String())
		}
	}
}

// TestReadErrors covers the supervise/ states that need no runsv: missing, no reader on
// ok, short status.
func TestReadErrors(t *testing.T) {
	d := t.TempDir()
	if _, err := Read(d); err == nil || !strings.Contains(err.Error(), "unable to open supervise/ok") {
		t.Errorf("no supervise: %v", err)
	}
	os.Mkdir(filepath.Join(d, "supervise"), 0o700)
	if err := unix.Mkfifo(filepath.Join(d, "supervise/ok"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(d); err != ErrNotRunning {
		t.Errorf("ok without reader: %v, want ErrNotRunning", err)
	}
	// Hold the FIFO open for reading as runsv does.
	fd, err := syscall.Open(filepath.Join(d, "supervise/ok"), syscall.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(fd)
	os.WriteFile(filepath.Join(d, "supervise/status"), []byte("short"), 0o644)
	if _, err := Read(d); err == nil || !strings.Contains(err.Error(), "bad format") {
		t.Errorf("short status: %v", err)
	}
	r := protocol.Record{Time: time.Unix(1700000000, 500), Pid: 42, Want: protocol.WantUp, State: protocol.Run}
	b := r.Encode()
	os.WriteFile(filepath.Join(d, "supervise/status"), b[:], 0o644)
	os.WriteFile(filepath.Join(d, "down"), nil, 0o644)
	s, err := Read(d)
	if err != nil || s.Pid != 42 || s.State != protocol.Run || s.Want != 'u' || s.NormallyUp {
		t.Errorf("Read = %+v, %v", s, err)
	}
}

func TestReadReport(t *testing.T) {
	d := t.TempDir()
	served := func(dir string, r protocol.Record) {
		os.MkdirAll(filepath.Join(dir, "supervise"), 0o700)
		if err := unix.Mkfifo(filepath.Join(dir, "supervise/ok"), 0o600); err != nil {
			t.Fatal(err)
		}
		fd, err := syscall.Open(filepath.Join(dir, "supervise/ok"), syscall.O_RDONLY|syscall.O_NONBLOCK, 0)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { syscall.Close(fd) })
		b := r.Encode()
		os.WriteFile(filepath.Join(dir, "supervise/status"), b[:], 0o644)
	}
	served(d, protocol.Record{Time: time.Unix(1700000000, 500), Pid: 5, Want: protocol.WantUp, State: protocol.Run})
	r, err := ReadReport(d)
	if err != nil || r.Pid != 5 || r.Log != nil || r.LogErr != nil {
		t.Fatalf("no log: %+v, %v", r, err)
	}
	os.WriteFile(filepath.Join(d, "log"), nil, 0o644)
	if r, _ := ReadReport(d); r.LogErr != syscall.ENOTDIR {
		t.Errorf("log is a file: LogErr %v, want ENOTDIR", r.LogErr)
	}
	os.Remove(filepath.Join(d, "log"))
	served(filepath.Join(d, "log"), protocol.Record{Time: time.Unix(1700000000, 500), State: protocol.Down})
	r, err = ReadReport(d)
	if err != nil || r.Log == nil || r.Log.State != protocol.Down || r.Log.Want != 'd' || !r.Log.NormallyUp {
		t.Errorf("with log: %+v %+v, %v", r, r.Log, err)
	}
}
