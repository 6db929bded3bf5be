package sv

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// sv enable, disable and list, step by step on one source and service directory.
func TestLinks(t *testing.T) {
	root := t.TempDir()
	src, svdir := filepath.Join(root, "sv"), filepath.Join(root, "service")
	for _, d := range []string{"a", "b", "norun", "own"} {
		os.MkdirAll(filepath.Join(src, d), 0o755)
	}
	os.WriteFile(filepath.Join(src, "a", "run"), []byte("#!/bin/sh\n"), 0o755)
	os.WriteFile(filepath.Join(src, "b", "run"), []byte("#!/bin/sh\n"), 0o755)
	os.WriteFile(filepath.Join(src, "own", "run"), []byte("#!/bin/sh\n"), 0o755)
	os.WriteFile(filepath.Join(src, "file"), nil, 0o644)
	os.MkdirAll(filepath.Join(svdir, "own"), 0o755) // a service directory, not a link
	env := map[string]string{"SVDIR": svdir, "SVSOURCE": src}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	steps := []struct {
		args []string
		out  string
		code int
	}{
		{[]string{"enable", "a"}, "ok: a: enabled\n", 0},
		{[]string{"enable", "a"}, "ok: a: already enabled\n", 0},
		{[]string{"enable", "missing", "norun", "file", "../a", "own"}, "fail: missing: unable to enable " + src + "/missing: file does not exist\n" +
			"fail: norun: unable to enable " + src + "/norun: no run file\n" +
			"fail: file: unable to enable " + src + "/file: not a service directory\n" +
			"fail: ../a: unable to enable: not a service name\n" +
			"fail: own: unable to enable: " + svdir + "/own: already there, and not a link to it\n", 5},
		{[]string{"list"}, "enabled: a\ndisabled: b\ndisabled: norun\nenabled: own\n", 0},
		{[]string{"disable", "a", "b", "own"}, "ok: a: disabled\nok: b: already disabled\n" +
			"fail: own: unable to disable: " + svdir + "/own: not a link (a service directory of its own): not removed\n", 1},
		{[]string{"list"}, "disabled: a\ndisabled: b\ndisabled: norun\nenabled: own\n", 0},
	}
	for _, st := range steps {
		var o, e bytes.Buffer
		code := Main(append([]string{"sv"}, st.args...), lookup, &o, &e)
		if o.String() != st.out || code != st.code || e.Len() != 0 {
			t.Errorf("sv %v: %d %q %q, want %d %q", st.args, code, o.String(), e.String(), st.code, st.out)
		}
	}
	if target, err := os.Readlink(filepath.Join(svdir, "a")); err == nil {
		t.Errorf("a still linked to %s after disable", target)
	}
}
