package protocol

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// ReadOption never blocks and never reads more than OptionMax: a FIFO, a device or a
// directory is not an option file, nor is one whose first line does not end in time.
func TestReadOption(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	fifo := filepath.Join(dir, "fifo")
	if err := unix.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	zero := filepath.Join(dir, "zero")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path string
		want string
		err  error
	}{
		{write("plain", "5\n"), "5", nil},
		{write("spaces", " \t7 \nignored\n"), "7", nil},
		{write("empty", ""), "", nil},
		{write("noeol", "12"), "12", nil},
		{write("fits", strings.Repeat(" ", OptionMax-2)+"3\n"), "3", nil},
		{write("long", strings.Repeat(" ", OptionMax)+"3\n"), "", ErrTooLong},
		{filepath.Join(dir, "missing"), "", syscall.ENOENT},
		{fifo, "", ErrNotRegular},
		{zero, "", ErrNotRegular},
		{dir, "", ErrNotRegular},
	} {
		type result struct {
			v   string
			err error
		}
		done := make(chan result, 1)
		go func() { v, err := ReadOption(c.path); done <- result{v, err} }()
		select {
		case r := <-done:
			if r.v != c.want || !errors.Is(r.err, c.err) {
				t.Errorf("%s: %q, %v; want %q, %v", filepath.Base(c.path), r.v, r.err, c.want, c.err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: ReadOption hangs", filepath.Base(c.path))
		}
	}
}

// FuzzOptionValue: whatever an option file holds, its value is a duration or descriptor
// within the documented range, or no value at all; never a negative, overflowed or
// endless one. The seed corpus holds the overflow cases (huge numbers, negative, whitespace, NULs).
func FuzzOptionValue(f *testing.F) {
	f.Add([]byte("5\n")) // and testdata/fuzz/FuzzOptionValue
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := OptionLine(b[:min(len(b), OptionMax)], len(b) >= OptionMax)
		if err != nil {
			return
		}
		if strings.ContainsRune(v, '\n') || v != strings.TrimSpace(v) {
			t.Fatalf("value %q is not one trimmed line", v)
		}
		for _, dec := range []struct {
			name string
			min  time.Duration
			f    func(string) (time.Duration, bool)
		}{{"stop-timeout", 0, DecodeStopTimeout}, {"backoff", time.Second, DecodeBackoffMax}} {
			d, ok := dec.f(v)
			if !ok {
				continue
			}
			if d <= 0 || d < dec.min || d >= 1e6*time.Second {
				t.Fatalf("%s %q = %v", dec.name, v, d)
			}
			// What EncodeSeconds writes reads back as the same duration, to the nanosecond.
			v2, err := OptionLine(EncodeSeconds(d), false)
			d2, ok2 := dec.f(v2)
			if err != nil || !ok2 || d2-d > 1 || d-d2 > 1 {
				t.Fatalf("%s %q = %v, re-encoded %q = %v", dec.name, v, d, v2, d2)
			}
		}
		if n, ok := DecodeNotificationFD(v); ok {
			if n < 3 || n > 1023 {
				t.Fatalf("notification-fd %q = %d", v, n)
			}
			v2, _ := OptionLine(EncodeNotificationFD(n), false)
			if n2, ok := DecodeNotificationFD(v2); !ok || n2 != n {
				t.Fatalf("notification-fd %d re-encoded reads %d", n, n2)
			}
		}
	})
}
