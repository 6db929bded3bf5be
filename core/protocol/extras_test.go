package protocol

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// ReadExtra never blocks and never loads more than ExtraMax: a FIFO (which an open
// without O_NONBLOCK would wait on for good), a device, a huge file.
func TestReadExtra(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := unix.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big")
	os.WriteFile(big, []byte(strings.Repeat("x", 3*ExtraMax)), 0o644)
	line := filepath.Join(dir, "line")
	os.WriteFile(line, []byte("1234\n"), 0o644)
	tests := []struct {
		path    string
		want    string
		wantErr bool
	}{
		{fifo, "", true},
		{"/dev/zero", "", true},
		{big, strings.Repeat("x", ExtraMax), false},
		{line, "1234\n", false},
		{filepath.Join(dir, "missing"), "", true},
	}
	for _, tt := range tests {
		done := make(chan struct{})
		var got []byte
		var err error
		go func() { got, err = ReadExtra(tt.path); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: ReadExtra blocked", tt.path)
		}
		if (err != nil) != tt.wantErr || string(got) != tt.want {
			t.Errorf("%s: got %d bytes, err %v", tt.path, len(got), err)
		}
	}
}

// The extension files' bytes, as sv and the tests of other programs expect them.
func TestExtrasEncode(t *testing.T) {
	for _, c := range []struct {
		name string
		got  []byte
		want string
	}{
		{"ready 0", EncodeReady(0), ""},
		{"ready 123", EncodeReady(123), "123\n"},
		{"backoff none", EncodeBackoff(0, 3), ""},
		{"backoff 4s", EncodeBackoff(4*time.Second, 3), "4 3\n"},
		{"backoff 1.5s", EncodeBackoff(1500*time.Millisecond, 2), "1 2\n"},
		{"notify-status", EncodeNotifyStatus("warming up"), "warming up\n"},
		{"notify-status empty", EncodeNotifyStatus(""), "\n"},
	} {
		if string(c.got) != c.want {
			t.Errorf("%s: %q, want %q", c.name, c.got, c.want)
		}
	}
}

func TestDecodeBackoff(t *testing.T) {
	for _, c := range []struct {
		in             string
		seconds, death int
	}{
		{"", 0, 0},
		{"4 3\n", 4, 3},
		{"  8\t5  \n", 8, 5},
		{"4\n", 0, 0},
		{"4 3 2\n", 0, 0},
		{"x 3\n", 0, 3},
		{"4 y\n", 4, 0},
	} {
		s, d := DecodeBackoff([]byte(c.in))
		if s != c.seconds || d != c.death {
			t.Errorf("DecodeBackoff(%q) = %d %d, want %d %d", c.in, s, d, c.seconds, c.death)
		}
	}
}

func TestDecodePid(t *testing.T) {
	for _, c := range []struct {
		in  string
		pid int
	}{
		{"", 0}, {"\n", 0}, {"42\n", 42}, {"42", 0}, {"042\n", 0}, {"+42\n", 0}, {"-42\n", 0},
		{"0\n", 0}, {" 42\n", 0}, {"42\n\n", 0}, {"4294967295\n", 4294967295},
	} {
		if got := DecodePid([]byte(c.in)); got != c.pid {
			t.Errorf("DecodePid(%q) = %d, want %d", c.in, got, c.pid)
		}
		if got := DecodeReady([]byte(c.in)); got != c.pid {
			t.Errorf("DecodeReady(%q) = %d, want %d", c.in, got, c.pid)
		}
	}
}

// FuzzDecodeBackoff: whatever supervise/backoff holds, reading it does no harm, and what
// runsv writes reads back as written.
func FuzzDecodeBackoff(f *testing.F) {
	f.Add([]byte("4 3\n"), int64(4), 3) // and testdata/fuzz/FuzzDecodeBackoff
	f.Fuzz(func(t *testing.T, b []byte, sec int64, deaths int) {
		DecodeBackoff(b)
		if sec <= 0 || sec > 1e6 || deaths < 0 {
			return
		}
		s, d := DecodeBackoff(EncodeBackoff(time.Duration(sec)*time.Second, deaths))
		if int64(s) != sec || d != deaths {
			t.Fatalf("EncodeBackoff(%ds, %d) reads back %d %d", sec, deaths, s, d)
		}
	})
}

// FuzzDecodePid: a pid is read only from exactly what EncodePid writes for it, so that sv
// never takes a stray ready file for the running ./run's.
func FuzzDecodePid(f *testing.F) {
	f.Add([]byte("123\n")) // and testdata/fuzz/FuzzDecodePid
	f.Fuzz(func(t *testing.T, b []byte) {
		pid := DecodePid(b)
		if pid < 0 {
			t.Fatalf("DecodePid(%q) = %d", b, pid)
		}
		if pid > 0 && string(EncodePid(pid)) != string(b) {
			t.Fatalf("DecodePid(%q) = %d, which encodes as %q", b, pid, EncodePid(pid))
		}
		if n, err := strconv.Atoi(strings.TrimSuffix(string(b), "\n")); err == nil && n > 0 &&
			string(EncodePid(n)) == string(b) && pid != n {
			t.Fatalf("DecodePid(%q) = %d, want %d", b, pid, n)
		}
	})
}
