package e2e

import (
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestStatusGroup: a service with a status-group file lets that group's members read its
// status (and its log's) with sv without root, and nothing more: they cannot control it.
// A service without the file stays root's alone, as under C runsv; a bad value is a
// warning. In both supervision modes.
func TestStatusGroup(t *testing.T) {
	needRoot(t)
	const gid = 4242 // a group nobody is in otherwise; no name needed
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			root := publicTempDir(t, "runit-statusgroup-")
			scan := filepath.Join(root, "service")
			open := newService(t, scan, "open", "#!/bin/sh\nexec sleep 1000\n")
			writeFile(t, filepath.Join(open, "log", "run"), "#!/bin/sh\nexec cat >/dev/null\n", 0o755)
			writeFile(t, filepath.Join(open, "status-group"), "4242\n", 0o644)
			closed := newService(t, scan, "closed", "#!/bin/sh\nexec sleep 1000\n")
			bad := newService(t, scan, "bad", "#!/bin/sh\nexec sleep 1000\n")
			writeFile(t, filepath.Join(bad, "status-group"), "no such group\n", 0o644)
			bin := publicBin(t, root, "sv")
			p := startRunsvdir(t, scan, m.args...)
			waitFor(t, 15*time.Second, "the services running", func() bool {
				return running(t, open) && running(t, filepath.Join(open, "log")) && running(t, closed) && running(t, bad)
			})
			member := func(args ...string) (string, int) {
				c := exec.Command(filepath.Join(bin, "sv"), args...)
				c.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: gid}}
				out, _ := c.CombinedOutput()
				return string(out), c.ProcessState.ExitCode()
			}
			for _, d := range []string{open, filepath.Join(open, "log")} {
				if out, code := member("status", d); code != 0 || !strings.HasPrefix(out, "run: "+d+": (pid ") {
					t.Errorf("sv status %s as a member: %d %q", d, code, out)
				}
			}
			if out, code := member("--json", open); code != 0 || !strings.Contains(out, `"state"`) {
				t.Errorf("sv --json as a member: %d %q", code, out)
			}
			if out, code := member("down", open); code == 0 || !strings.Contains(out, "unable to open supervise/control: access denied") {
				t.Errorf("sv down as a member: %d %q", code, out)
			}
			if !running(t, open) || readStatus(t, open).Want != 'u' {
				t.Errorf("a member's sv down reached the service")
			}
			if out, code := member("status", closed); code == 0 || !strings.Contains(out, "access denied") {
				t.Errorf("sv status of a service without status-group as a member: %d %q", code, out)
			}
			waitFor(t, 10*time.Second, "a warning for the bad status-group", func() bool {
				return strings.Contains(p.stderr.String(), "runsv bad: warning: ignoring status-group: not a group: no such group")
			})
		})
	}
}
