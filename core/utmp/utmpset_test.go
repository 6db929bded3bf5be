package utmp

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestUtmpsetEveryLayout runs the whole utmpset on files of each layout: the live entry
// for the line is logged out, others are untouched, the log grows by one record, and a
// second run finds no entry.
func TestUtmpsetEveryLayout(t *testing.T) {
	now := func() time.Time { return time.Unix(2_000_000_000, 42_000) }
	for name, l := range Layouts {
		t.Run(name, func(t *testing.T) {
			d := t.TempDir()
			a := l.Encode(Entry{Type: l.UserType, Pid: 1, ID: "a", Line: "tty1", User: "root", Host: "h", Sec: 5})
			b := l.Encode(Entry{Type: l.UserType, Pid: 2, ID: "b", Line: "tty2", User: "bob", Sec: 6})
			f := Files{Layout: l, Utmp: filepath.Join(d, "utmp"), Wtmp: filepath.Join(d, "wtmp")}
			os.WriteFile(f.Utmp, append(append([]byte(nil), a...), b...), 0o644)
			var stderr bytes.Buffer
			if code := Utmpset([]string{"utmpset", "-w", "tty2"}, &stderr, f, now); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			got, _ := os.ReadFile(f.Utmp)
			if !bytes.Equal(got[:l.Size], a) {
				t.Errorf("the other entry changed")
			}
			e := l.Decode(got[l.Size:])
			if e.User != "" || e.Line != "tty2" || e.Sec != 2_000_000_000 || (l.Type.Size > 0 && e.Type != l.DeadType) {
				t.Errorf("logged-out entry %+v", e)
			}
			log, _ := os.ReadFile(f.Wtmp)
			if want := l.LogRecord("tty2", now(), b); !bytes.Equal(log, want) {
				t.Errorf("log record %x, want %x", log, want)
			}
			stderr.Reset()
			if code := Utmpset([]string{"utmpset", "tty2"}, &stderr, f, now); code != 111 ||
				stderr.String() != "utmpset: warning: unable to logout line tty2 in utmp: no such entry\n" {
				t.Errorf("second run: exit %d %q", code, stderr.String())
			}
		})
	}
}

func TestUtmpsetErrors(t *testing.T) {
	d := t.TempDir()
	now := time.Now
	var stderr bytes.Buffer
	f := Files{Layout: Glibc, Utmp: filepath.Join(d, "none"), Wtmp: filepath.Join(d, "w")}
	if code := Utmpset([]string{"utmpset", "x"}, &stderr, f, now); code != 111 ||
		stderr.String() != "utmpset: fatal: unable to open "+f.Utmp+": file does not exist\n" {
		t.Errorf("missing utmp: %d %q", code, stderr.String())
	}
	stderr.Reset()
	f.Wtmp = "/dev/full" // the write fails: C's warning naming the line, exit 111
	f.Utmp = filepath.Join(d, "utmp")
	os.WriteFile(f.Utmp, Glibc.Encode(Entry{Type: 7, Line: "x", User: "u"}), 0o644)
	if code := Utmpset([]string{"utmpset", "-w", "x"}, &stderr, f, now); code != 111 ||
		stderr.String() != "utmpset: warning: unable to logout line x in wtmp: out of disk space\n" {
		t.Errorf("wtmp write failure: %d %q", code, stderr.String())
	}
	stderr.Reset()
	if code := Utmpset([]string{"/sbin/utmpset", "-q"}, &stderr, f, now); code != 1 ||
		stderr.String() != "utmpset: illegal option -- q\nusage: /sbin/utmpset [-w] line\n\n" {
		t.Errorf("bad option: %d %q", code, stderr.String())
	}
}

// TestUtmpsetNoWtmpFile: where the system keeps no wtmp file (macOS), -w still logs the
// utmp entry out, then warns and exits 0, so a getty's finish script does its job.
func TestUtmpsetNoWtmpFile(t *testing.T) {
	d := t.TempDir()
	f := Files{Layout: Darwin, Utmp: filepath.Join(d, "utmpx")}
	os.WriteFile(f.Utmp, Darwin.Encode(Entry{Type: 7, Pid: 5, Line: "ttys001", User: "u", Host: "h"}), 0o644)
	var stderr bytes.Buffer
	code := Utmpset([]string{"utmpset", "-w", "ttys001"}, &stderr, f, func() time.Time { return time.Unix(99, 0) })
	if code != 0 || stderr.String() != "utmpset: warning: -w: this system keeps no wtmp file, the logout of line ttys001 is not logged\n" {
		t.Errorf("exit %d %q", code, stderr.String())
	}
	got, _ := os.ReadFile(f.Utmp)
	if e := Darwin.Decode(got); e.User != "" || e.Host != "" || e.Type != 8 || e.Sec != 99 || e.Line != "ttys001" {
		t.Errorf("utmpx entry after -w: %+v", e)
	}
	stderr.Reset()
	if code := Utmpset([]string{"utmpset", "-w", "ttys001"}, &stderr, f, time.Now); code != 111 ||
		!strings.Contains(stderr.String(), "no such entry") {
		t.Errorf("second run: exit %d %q", code, stderr.String())
	}
}

// TestUtmpsetOldFiles: NetBSD keeps the old utmp beside utmpx. An entry for the line is
// logged out in each that has one, each log gets a record only for its own database, a
// missing old file is no error, and only an entry in neither is "no such entry".
func TestUtmpsetOldFiles(t *testing.T) {
	now := func() time.Time { return time.Unix(2_000_000_000, 0) }
	for _, c := range []struct {
		name           string
		inNew, inOld   bool
		oldFile        bool
		code           int
		newLog, oldLog bool
	}{
		{"both", true, true, true, 0, true, true},
		{"utmpx only", true, false, true, 0, true, false},
		{"old only", false, true, true, 0, false, true},
		{"no old file", true, false, false, 0, true, false},
		{"neither", false, false, true, 111, false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := t.TempDir()
			f := Files{Layout: NetBSD, Utmp: filepath.Join(d, "utmpx"), Wtmp: filepath.Join(d, "wtmpx"),
				Old: &Files{Layout: NetBSDUtmp, Utmp: filepath.Join(d, "utmp"), Wtmp: filepath.Join(d, "wtmp")}}
			line := "ttyE1"
			if !c.inNew {
				line = "ttyE2"
			}
			os.WriteFile(f.Utmp, NetBSD.Encode(Entry{Type: 7, Pid: 9, Line: line, User: "u"}), 0o644)
			old := NetBSDUtmp.Encode(Entry{Line: "ttyE0", User: "v"})
			if c.inOld {
				old = append(old, NetBSDUtmp.Encode(Entry{Line: "ttyE1", User: "u", Host: "h", Sec: 5})...)
			}
			if c.oldFile {
				os.WriteFile(f.Old.Utmp, old, 0o644)
			}
			var stderr bytes.Buffer
			if code := Utmpset([]string{"utmpset", "-w", "ttyE1"}, &stderr, f, now); code != c.code {
				t.Fatalf("exit %d, want %d: %s", code, c.code, stderr.String())
			}
			if got, _ := os.ReadFile(f.Utmp); c.inNew != (NetBSD.Decode(got).User == "") {
				t.Errorf("utmpx entry %+v", NetBSD.Decode(got))
			}
			if got, _ := os.ReadFile(f.Old.Utmp); c.inOld {
				if !bytes.Equal(got[:40], old[:40]) {
					t.Errorf("the other old entry changed")
				}
				if e := NetBSDUtmp.Decode(got[40:]); e.User != "" || e.Host != "" || e.Line != "ttyE1" || e.Sec != 2_000_000_000 {
					t.Errorf("old utmp entry %+v", e)
				}
			} else if c.oldFile && !bytes.Equal(got, old) {
				t.Errorf("old utmp changed with no entry for the line")
			}
			if !c.oldFile {
				if _, err := os.Stat(f.Old.Utmp); err == nil {
					t.Errorf("a missing old utmp was created")
				}
			}
			newLog, _ := os.ReadFile(f.Wtmp)
			oldLog, _ := os.ReadFile(f.Old.Wtmp)
			if want := NetBSD.LogRecord("ttyE1", now(), nil); c.newLog != bytes.Equal(newLog, want) || (!c.newLog && len(newLog) > 0) {
				t.Errorf("wtmpx %x", newLog)
			}
			if want := NetBSDUtmp.LogRecord("ttyE1", now(), nil); c.oldLog != bytes.Equal(oldLog, want) || (!c.oldLog && len(oldLog) > 0) {
				t.Errorf("old wtmp %x", oldLog)
			}
		})
	}
}

// TestAppendWtmpFIFO: a FIFO with no reader where wtmp should be fails at once (ENXIO,
// as C's O_NDELAY open does) instead of blocking the finish script forever.
func TestAppendWtmpFIFO(t *testing.T) {
	d := t.TempDir()
	f := Files{Layout: Glibc, Utmp: filepath.Join(d, "utmp"), Wtmp: filepath.Join(d, "wtmp")}
	if err := unix.Mkfifo(f.Wtmp, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	os.WriteFile(f.Utmp, Glibc.Encode(Entry{Type: 7, Line: "tty1", User: "u"}), 0o644)
	done := make(chan int, 1)
	var stderr bytes.Buffer
	go func() { done <- Utmpset([]string{"utmpset", "-w", "tty1"}, &stderr, f, time.Now) }()
	select {
	case code := <-done:
		if code != 111 || stderr.String() != "utmpset: fatal: unable to open "+f.Wtmp+": device not configured\n" {
			t.Errorf("exit %d %q", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("utmpset -w blocked on a FIFO wtmp")
	}
}
