package protocol

import (
	"os"
	"path/filepath"
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
