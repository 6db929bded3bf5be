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
	"strings"
	"testing"

	"github.com/runit-go/runit/internal/testkit"
)

// Shared with e2e/ (internal/testkit).
var (
	repoRoot     = testkit.RepoRoot
	strictTests  = testkit.Strict
	writeFile    = testkit.WriteFile
	readFile     = testkit.ReadFile
	installTools = testkit.InstallTools
)

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
