package supervise

import (
	"errors"
	"golang.org/x/sys/unix"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// readOption never blocks and never reads more than optionMax: a FIFO, a device or a
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
		{write("fits", strings.Repeat(" ", optionMax-2)+"3\n"), "3", nil},
		{write("long", strings.Repeat(" ", optionMax)+"3\n"), "", errTooLong},
		{filepath.Join(dir, "missing"), "", syscall.ENOENT},
		{fifo, "", errNotRegular},
		{zero, "", errNotRegular},
		{dir, "", errNotRegular},
	} {
		type result struct {
			v   string
			err error
		}
		done := make(chan result, 1)
		go func() { v, err := readOption(c.path); done <- result{v, err} }()
		select {
		case r := <-done:
			if r.v != c.want || !errors.Is(r.err, c.err) {
				t.Errorf("%s: %q, %v; want %q, %v", filepath.Base(c.path), r.v, r.err, c.want, c.err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: readOption hangs", filepath.Base(c.path))
		}
	}
}

// FuzzOptionValue: whatever an option file holds, its value is a duration or descriptor
// within the documented range, or no value at all; never a negative, overflowed or
// endless one. The seed corpus holds the overflow cases (huge numbers, negative, whitespace, NULs).
func FuzzOptionValue(f *testing.F) {
	f.Add([]byte("5\n")) // and testdata/fuzz/FuzzOptionValue
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := optionLine(b[:min(len(b), optionMax)], len(b) >= optionMax)
		if err != nil {
			return
		}
		if strings.ContainsRune(v, '\n') || v != strings.TrimSpace(v) {
			t.Fatalf("value %q is not one trimmed line", v)
		}
		for _, min := range []float64{0, 1} {
			if d, ok := seconds(v, min); ok && (d <= 0 || d < time.Duration(min*float64(time.Second)) || d >= 1e6*time.Second) {
				t.Fatalf("seconds(%q, %v) = %v", v, min, d)
			}
		}
		if n, ok := descriptor(v); ok && (n < 3 || n > 1023) {
			t.Fatalf("descriptor(%q) = %d", v, n)
		}
	})
}
