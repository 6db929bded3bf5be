package runlevel

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// currentTarget reports where current points.
func currentTarget(base string) (string, error) { return os.Readlink(filepath.Join(base, "current")) }

func TestRunsvchdir(t *testing.T) {
	base := t.TempDir()
	for _, d := range []string{"default", "single"} {
		os.Mkdir(filepath.Join(base, d), 0o755)
	}
	os.WriteFile(filepath.Join(base, "afile"), nil, 0o644)
	os.Symlink("default", filepath.Join(base, "current"))
	env := func(k string) string {
		if k == "RUNSVDIR" {
			return base
		}
		return ""
	}
	cases := []struct {
		arg, out, err string
		code          int
		current       string
	}{
		{"default", "runsvchdir: default: current.\n", "", 0, "default"},
		{"single", "runsvchdir: single: now current.\n", "", 0, "single"},
		{"default", "runsvchdir: default: now current.\n", "", 0, "default"},
		{".hidden", "", "runsvchdir: fatal: .hidden: must not start with a dot.\n", 111, "default"},
		{"nosuch", "", "runsvchdir: fatal: nosuch: file does not exist\n", 111, "default"},
		{"afile", "", "runsvchdir: fatal: afilenot a directory.\n", 111, "default"},
	}
	wd, _ := os.Getwd()
	defer os.Chdir(wd)
	for _, c := range cases {
		var o, e bytes.Buffer
		code := Runsvchdir([]string{"runsvchdir", c.arg}, env, &o, &e)
		if code != c.code || o.String() != c.out || e.String() != c.err {
			t.Errorf("runsvchdir %s: code %d out %q err %q", c.arg, code, o.String(), e.String())
		}
		if got, _ := currentTarget(base); got != c.current {
			t.Errorf("runsvchdir %s: current -> %q, want %q", c.arg, got, c.current)
		}
	}
	if prev, _ := os.Readlink(filepath.Join(base, "previous")); prev != "single" {
		t.Errorf("previous -> %q, want single", prev)
	}
	var o, e bytes.Buffer
	if code := Runsvchdir([]string{"runsvchdir"}, env, &o, &e); code != 1 || e.String() != "usage: runsvchdir dir\n\n" {
		t.Errorf("usage: code %d err %q", code, e.String())
	}
}
