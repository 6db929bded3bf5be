// Package lint checks the repository's files rather than its programs: the man pages
// (against each program's exported option spec), the glue for each system (shell and rc
// scripts, launchd plist, SMF manifest, FreeBSD port, Debian packages), the install script
// and the shell completions. It has tests only; the end-to-end tests of the built
// programs are in e2e/.
package lint

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// repoRoot is the repository's top directory.
var repoRoot = func() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(file))
}()

// strictTests reports whether a missing prerequisite (mandoc, shellcheck, a shell ...)
// must fail a test instead of skipping it. .ci/run sets RUNIT_TEST_STRICT after
// installing them all.
func strictTests() bool { return os.Getenv("RUNIT_TEST_STRICT") != "" }

// writeFile writes content to path with mode, creating parent directories.
func writeFile(t testing.TB, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

// readFile returns the file's content, or "" when it cannot be read.
func readFile(path string) string {
	b, _ := os.ReadFile(path)
	return string(b)
}

// result is what a finished command printed and how it exited.
type result struct {
	stdout, stderr string
	code           int
}

// run runs a command to completion with env added to the environment.
func run(t testing.TB, dir string, env []string, name string, args ...string) result {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	return result{o.String(), e.String(), code}
}
