package e2e

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestExampleRun runs what `make run` runs, non-interactively: the bundled tree comes up,
// sv status shows it, and it stops cleanly with nothing left behind.
func TestExampleRun(t *testing.T) {
	bin := binDir(t, "runsvdir", "runsv", "sv", "chpst", "svlogd")
	rundir := t.TempDir()
	r := run(t, repoRoot, []string{"RUNIT_BIN=" + bin, "RUN_DIR=" + rundir, "EXAMPLE_ONCE=1"}, filepath.Join(repoRoot, "examples", "run.sh"))
	if r.code != 0 {
		t.Fatalf("examples/run.sh exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"run: " + rundir + "/service/hello: (pid ", "; run: log: (pid ",
		"down: " + rundir + "/service/once: ", "run: " + rundir + "/service/ticker: (pid ", "make run: stopped"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	for _, s := range []string{"hello", "hello/log", "ticker", "once"} {
		dir := filepath.Join(rundir, "service", s)
		waitFor(t, 5*time.Second, s+"'s supervisor gone", func() bool { return !okAlive(dir) })
	}
}
