//go:build linux

package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runit-init's usage answers, compared with Debian's C runit-init byte for byte. Both are
// run under the same name (a symlink) because the usage text prints argv[0].
func TestRunitInitUsageDifferential(t *testing.T) {
	dir := t.TempDir()
	ours, c := filepath.Join(dir, "ours", "runit-init"), filepath.Join(dir, "c", "runit-init")
	for p, target := range map[string]string{ours: ourBin(t, "runit-init"), c: cBin(t, "runit-init")} {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{{}, {"5"}, {"x"}, {"-V"}, {"-x"}, {""}} {
		o := run(t, dir, nil, "./ours/runit-init", args...)
		cr := run(t, dir, nil, "./c/runit-init", args...)
		o.stderr = strings.ReplaceAll(o.stderr, "./ours/", "./X/")
		cr.stderr = strings.ReplaceAll(cr.stderr, "./c/", "./X/")
		if o != cr {
			t.Errorf("runit-init %q: ours %+v, C %+v", args, o, cr)
		}
	}
}

// runit-init 0 / 6 / 0 in a PID and mount namespace (process 1 there is a shell that
// ignores the SIGCONT), with our upstream paths in a bind-mounted /etc/runit and C's
// Debian paths in a private /run: the same modes step by step.
func TestRunitInitProtocolDifferential(t *testing.T) {
	pid1Needs(t)
	script := `set -e
mount --bind "$1" /etc/runit
mount -t tmpfs tmpfs /run
trap '' CONT
for a in 0 6 0; do
  "$2" $a; echo "rc=$?"
  for f in "$3" "$4"; do
    if [ -e "$f" ]; then stat -c "%A" "$f"; else echo missing; fi
  done
done
`
	runNS := func(bin, stopit, reboot string) string {
		etc := t.TempDir()
		out, err := exec.Command("unshare", "--pid", "--fork", "--mount-proc", "--propagation", "private",
			"sh", "-c", script, "sh", etc, bin, stopit, reboot).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", bin, err, out)
		}
		return string(out)
	}
	ours := runNS(ourBin(t, "runit-init"), "/etc/runit/stopit", "/etc/runit/reboot")
	c := runNS(cBin(t, "runit-init"), "/run/runit.stopit", "/run/runit.reboot")
	want := "rc=0\n---x------\nmissing\nrc=0\n---x------\n---x------\nrc=0\n---x------\n----------\n"
	if ours != want || c != want {
		t.Errorf("ours:\n%s\nC:\n%s\nwant:\n%s", ours, c, want)
	}
}

// The SysV commands in dry-run mode, as installed: halt, poweroff and reboot are one
// binary told apart by its name.
func TestSysVCommandsDryRun(t *testing.T) {
	dir := t.TempDir()
	halt := ourBin(t, "halt")
	for _, n := range []string{"halt", "poweroff", "reboot"} {
		if err := os.Symlink(halt, filepath.Join(dir, n)); err != nil {
			t.Fatal(err)
		}
	}
	const rec = "dry-run: shutdown record to wtmp\n"
	for _, c := range []struct {
		name string
		args []string
		out  string
	}{
		{"halt", nil, rec + "dry-run: create /etc/runit/stopit 0100, chmod /etc/runit/reboot 0, SIGCONT to 1\n"},
		{"poweroff", nil, rec + "dry-run: create /etc/runit/stopit 0100, chmod /etc/runit/reboot 0, SIGCONT to 1\n"},
		{"reboot", nil, rec + "dry-run: create /etc/runit/stopit 0100, create /etc/runit/reboot 0100, SIGCONT to 1\n"},
		{"reboot", []string{"-f"}, rec + "dry-run: sync, reboot\n"},
		{"poweroff", []string{"-f", "-n"}, rec + "dry-run: poweroff\n"},
		{"halt", []string{"-fd"}, "dry-run: sync, halt\n"},
		{"halt", []string{"-w"}, rec},
		{"halt", []string{"-w", "-d"}, ""},
	} {
		r := run(t, dir, nil, filepath.Join(dir, c.name), append(c.args, "--dry-run")...)
		if r.code != 0 || r.stdout != c.out || r.stderr != "" {
			t.Errorf("%s %q: %+v, want stdout %q", c.name, c.args, r, c.out)
		}
	}
	r := run(t, dir, nil, ourBin(t, "shutdown"), "-r", "now", "see", "you", "--dry-run")
	want := "shutdown: The system is going down for reboot NOW!\nsee you\n" + rec +
		"dry-run: create /etc/runit/stopit 0100, create /etc/runit/reboot 0100, SIGCONT to 1\n"
	if r.code != 0 || r.stdout != want {
		t.Errorf("shutdown -r now: %+v, want %q", r, want)
	}
	r = run(t, dir, nil, ourBin(t, "shutdown"), "-h", "25:00", "--dry-run")
	if r.code != 100 || r.stderr != "shutdown: fatal: invalid time: 25:00\n" {
		t.Errorf("shutdown bad time: %+v", r)
	}
}

// pause waits for a signal and exits 0 on it.
func TestPause(t *testing.T) {
	// A process cannot show that its signal.Notify has run (the Go runtime catches every
	// signal from the start), so a SIGINT may land before pause handles it and kill it as
	// the default action would. That is retried; a pause that never exits 0 on SIGINT
	// fails every attempt.
	for attempt := 1; ; attempt++ {
		cmd := exec.Command(ourBin(t, "pause"))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			t.Fatalf("pause exited before any signal: %v", err)
		case <-time.After(50 * time.Millisecond * time.Duration(attempt)):
		}
		if err := cmd.Process.Signal(os.Interrupt); err != nil {
			t.Fatal(err)
		}
		err := <-done
		if err == nil {
			return
		}
		if ee, ok := err.(*exec.ExitError); ok && ee.Exited() || attempt == 10 {
			t.Fatalf("pause after SIGINT (attempt %d): %v, want exit 0", attempt, err)
		}
		t.Logf("attempt %d: SIGINT arrived before pause's handler (%v); again, later", attempt, err)
	}
}

// halt -w writes only the shutdown record, which last(1) shows as "shutdown system down";
// run in a private mount namespace with a fresh /var/log so the host's wtmp is untouched.
func TestHaltWtmpRecordLast(t *testing.T) {
	needRoot(t)
	for _, b := range []string{"unshare", "last"} {
		if _, err := exec.LookPath(b); err != nil {
			t.Skipf("needs %s (util-linux)", b)
		}
	}
	if _, err := os.Stat("/var/log/wtmp"); err != nil {
		t.Skip("this system keeps no /var/log/wtmp")
	}
	out, err := exec.Command("unshare", "--mount", "--propagation", "private", "sh", "-c",
		`mount -t tmpfs tmpfs /var/log && "$1" -w && last -x -f /var/log/wtmp`, "sh", ourBin(t, "halt")).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "shutdown system down") {
		t.Errorf("halt -w then last: %v\n%s", err, out)
	}
}
