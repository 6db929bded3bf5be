//go:build unix && !solaris

package posix

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

func TestLockExcludesSecondOpen(t *testing.T) {
	p := filepath.Join(t.TempDir(), "lock")
	a, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := os.OpenFile(p, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := Lock(int(a.Fd()), false); err != nil {
		t.Fatalf("first lock: %v", err)
	}
	if err := Lock(int(b.Fd()), false); err != unix.EAGAIN {
		t.Fatalf("second lock: %v, want EAGAIN", err)
	}
	if err := Unlock(int(a.Fd())); err != nil {
		t.Fatal(err)
	}
	if err := Lock(int(b.Fd()), false); err != nil {
		t.Fatalf("lock after unlock: %v", err)
	}
}
