package utmp

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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
	f.Wtmp = ""
	if code := Utmpset([]string{"utmpset", "-w", "x"}, &stderr, f, now); code != 111 ||
		!strings.Contains(stderr.String(), "-w: a wtmp file is not supported on this system") {
		t.Errorf("-w without a wtmp file on this system: %d %q", code, stderr.String())
	}
	stderr.Reset()
	if code := Utmpset([]string{"/sbin/utmpset", "-q"}, &stderr, f, now); code != 1 ||
		stderr.String() != "utmpset: illegal option -- q\nusage: /sbin/utmpset [-w] line\n\n" {
		t.Errorf("bad option: %d %q", code, stderr.String())
	}
}
