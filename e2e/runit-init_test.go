//go:build linux

package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
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
		// Void's halt flags: -h and -i are ignored, -B writes only the boot record.
		{"halt", []string{"-h", "-i"}, rec + "dry-run: create /etc/runit/stopit 0100, chmod /etc/runit/reboot 0, SIGCONT to 1\n"},
		{"halt", []string{"-B"}, "dry-run: boot record to wtmp\n"},
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
	// Neither -r nor -h: single-user mode, as Void's and sysvinit's shutdown; -f and -F
	// leave their files for the next boot.
	r = run(t, dir, nil, ourBin(t, "shutdown"), "-fF", "-t", "3", "now", "--dry-run")
	want = "shutdown: The system is going down to single-user mode NOW!\n" +
		"dry-run: create /fastboot\ndry-run: create /forcefsck\ndry-run: runsvchdir single\n"
	if r.code != 0 || r.stdout != want || r.stderr != "" {
		t.Errorf("shutdown now: %+v, want %q", r, want)
	}
	// A time not understood is a usage error, exit 1 as Void's and sysvinit's shutdown.
	r = run(t, dir, nil, ourBin(t, "shutdown"), "-h", "25:00", "--dry-run")
	if r.code != 1 || !strings.HasPrefix(r.stderr, "shutdown: invalid time: 25:00\nusage: shutdown ") {
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

// halt -w writes only the shutdown record, which last(1) shows as "shutdown system down",
// and halt -B only the boot record, "reboot system boot"; run in a private mount
// namespace with a fresh /var/log so the host's wtmp is untouched.
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
		`mount -t tmpfs tmpfs /var/log && "$1" -w && "$1" -B && last -x -f /var/log/wtmp`, "sh", ourBin(t, "halt")).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "shutdown system down") || !regexp.MustCompile(`reboot +system boot`).Match(out) {
		t.Errorf("halt -w then last: %v\n%s", err, out)
	}
}

// runit-init as process 1 replaces itself with /sbin/runit: ours, bind-mounted over the
// installed one in the test's private mount namespace. Stage 2 checks that process 1 is
// now our runit binary (the inode behind /proc/1/exe), named "runit".
func TestRunitInitPID1ExecsRunit(t *testing.T) {
	pid1Needs(t)
	if _, err := os.Stat("/sbin/runit"); err != nil {
		t.Skip("needs /sbin/runit to bind-mount ours over (apt-get install runit)")
	}
	ours := ourBin(t, "runit")
	fi, err := os.Stat(ours)
	if err != nil {
		t.Fatal(err)
	}
	p := startPID1Setup(t, ourBin(t, "runit-init"), map[string]string{
		"1": stage1OK,
		"2": "#!/bin/sh\necho S2-pid1 $(stat -L -c %i /proc/1/exe) $(tr '\\0' ' ' < /proc/1/cmdline)\nexit 0\n",
		"3": "#!/bin/sh\necho S3-ran\nexit 5\n",
	}, nil, false, `mount --bind "`+ours+`" /sbin/runit`)
	p.expect(20*time.Second, "- runit: $Id: ")
	p.expect(10*time.Second, "S2-pid1")
	want := "S2-pid1 " + strconv.FormatUint(fi.Sys().(*syscall.Stat_t).Ino, 10) + " runit"
	if !strings.Contains(p.transcript(), want+"\n") {
		t.Errorf("want %q: process 1 is not our runit, named runit", want)
	}
	p.expect(10*time.Second, "S3-ran")
	if code := p.exitCode(20 * time.Second); code != 5 {
		t.Errorf("process 1 exited %d, want 5 (stage 3's exit code)", code)
	}
}

// Without /sbin/runit, runit-init as process 1 says so and exits 111, as C runit-init
// does (compared with it).
func TestRunitInitPID1WithoutRunit(t *testing.T) {
	pid1Needs(t)
	runitDir, err := filepath.EvalSymlinks("/sbin")
	if err != nil {
		t.Skip("needs /sbin")
	}
	// A tmpfs over the directory of /sbin/runit hides it; the binaries themselves are
	// started from elsewhere (C's runit-init is copied out of the way first).
	c := filepath.Join(t.TempDir(), "runit-init")
	if err := exec.Command("cp", cBin(t, "runit-init"), c).Run(); err != nil {
		t.Fatal(err)
	}
	for _, bin := range []string{ourBin(t, "runit-init"), c} {
		if strings.HasPrefix(bin, runitDir+"/") {
			t.Skipf("%s is under %s, which the test hides", bin, runitDir)
		}
		p := startPID1Setup(t, bin, nil, nil, false, `mount -t tmpfs tmpfs "`+runitDir+`"`)
		p.expect(20*time.Second, "init: fatal: unable to start runit: file does not exist")
		if code := p.exitCode(20 * time.Second); code != 111 {
			t.Errorf("%s: process 1 exited %d, want 111", bin, code)
		}
		if got := p.transcript(); got != "init: fatal: unable to start runit: file does not exist\n" {
			t.Errorf("%s: console %q", bin, got)
		}
	}
}
