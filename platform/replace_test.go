//go:build unix

package platform

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestReplace checks rename(2)'s guarantees, whichever way the OS reaches them: the new
// content under the name, no temporary file left, and a reader holding the old file
// still reading the old content, untouched by this and by the next replacement.
func TestReplace(t *testing.T) {
	dir := t.TempDir()
	path, tmp := filepath.Join(dir, "status"), filepath.Join(dir, "status.new")
	write := func(p, s string) {
		t.Helper()
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	check := func(want string) {
		t.Helper()
		b, err := os.ReadFile(path)
		if err != nil || string(b) != want {
			t.Fatalf("%s holds %q (%v), want %q", path, b, err, want)
		}
		if _, err := os.Lstat(tmp); !os.IsNotExist(err) {
			t.Fatalf("%s is left behind (%v)", tmp, err)
		}
	}

	write(tmp, "first") // nothing to exchange with yet
	if err := Replace(tmp, path); err != nil {
		t.Fatalf("Replace onto a missing file: %v", err)
	}
	check("first")

	old, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	write(tmp, "second")
	if err := Replace(tmp, path); err != nil {
		t.Fatalf("Replace: %v", err)
	}
	check("second")
	write(tmp, "third!")
	if err := Replace(tmp, path); err != nil {
		t.Fatalf("Replace: %v", err)
	}
	check("third!")
	b, err := io.ReadAll(old)
	if err != nil || string(b) != "first" {
		t.Fatalf("a reader of the old file read %q (%v), want %q", b, err, "first")
	}

	if err := Replace(filepath.Join(dir, "missing"), path); err == nil {
		t.Fatalf("Replace of a missing temporary file succeeded")
	}
	check("third!")
}
