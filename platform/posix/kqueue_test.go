//go:build freebsd || openbsd || netbsd || darwin

package posix

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestWatchDirsKqueueRename checks that renaming a file into a watched directory wakes Wait,
// and that reading files in it does not (sv reads there while it waits).
func TestWatchDirsKqueueRename(t *testing.T) {
	d := t.TempDir()
	if err := os.WriteFile(filepath.Join(d, "status"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	w, err := WatchDirsKqueue(d, filepath.Join(d, "missing"))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := os.ReadFile(filepath.Join(d, "status")); err != nil {
		t.Fatal(err)
	}
	if changed, err := w.Wait(50 * time.Millisecond); changed || err != nil {
		t.Fatalf("Wait after a read = %v, %v; want false, nil", changed, err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		tmp := filepath.Join(d, "status.new")
		os.WriteFile(tmp, []byte("y"), 0o644)
		os.Rename(tmp, filepath.Join(d, "status"))
	}()
	<-done
	if changed, err := w.Wait(5 * time.Second); !changed || err != nil {
		t.Fatalf("Wait after a rename = %v, %v; want true, nil", changed, err)
	}
}

// TestWatchEntriesKqueue: a link made in the directory is told at once; stop closes the
// channel.
func TestWatchEntriesKqueue(t *testing.T) {
	d := t.TempDir()
	ch, stop, err := WatchEntriesKqueue(d)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/nonexistent", filepath.Join(d, "svc")); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ch:
	case <-time.After(5 * time.Second):
		t.Fatal("no event for a new entry")
	}
	stop()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case _, ok := <-ch:
			if !ok {
				return
			}
		case <-deadline:
			t.Fatal("the channel stayed open after stop")
		}
	}
}
