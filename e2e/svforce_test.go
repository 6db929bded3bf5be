package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSvForceHonoursStopTimeout: sv force-stop gives a service its own stop-timeout
// before the kill when that is longer than sv's wait (seven seconds, or -w): a service
// that takes eight seconds to stop, with stop-timeout 10, stops by itself. Without the
// file, the kill comes after sv's wait, as in C sv.
func TestSvForceHonoursStopTimeout(t *testing.T) {
	t.Parallel()
	const run = "#!/bin/sh\ntrap 'sleep 8; exit 0' TERM\necho > ready\nwhile :; do sleep 0.1; done\n"
	cases := []struct {
		name string
		args []string
		want string // the start of sv's line
	}{
		{"own stop-timeout", []string{"force-stop"}, "ok: down: "},
		{"own stop-timeout over -w", []string{"-w", "1", "force-stop"}, "ok: down: "},
		{"no stop-timeout", []string{"-w", "1", "force-stop"}, "kill: run: "},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := newService(t, t.TempDir(), "slow", run)
			if c.name != "no stop-timeout" {
				writeFile(t, filepath.Join(dir, "stop-timeout"), "10\n", 0o644)
			}
			startRunsv(t, ourBin(t, "runsv"), dir)
			waitFor(t, 10*time.Second, "slow running with its trap", func() bool {
				return running(t, dir) && fileExists(filepath.Join(dir, "ready"))
			})
			cmd := exec.Command(ourBin(t, "sv"), append(c.args, dir)...)
			for _, e := range os.Environ() {
				if !strings.HasPrefix(e, "SVWAIT=") {
					cmd.Env = append(cmd.Env, e)
				}
			}
			out, _ := cmd.CombinedOutput()
			if !strings.HasPrefix(string(out), c.want+dir+": ") {
				t.Errorf("sv %v: %q, want %q...", c.args, out, c.want)
			}
		})
	}
}
