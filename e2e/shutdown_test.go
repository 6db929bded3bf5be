package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A dry-run shutdown waiting for its time, with its pid file and nologin under a test
// root (RUNIT_SHUTDOWN_ROOT), is cancelled by shutdown -c: a second timed shutdown is
// refused meanwhile, -c returns once the waiting one has removed its files, and that one
// exits 0 having brought nothing down.
func TestShutdownCancelEndToEnd(t *testing.T) {
	root := t.TempDir()
	env := []string{"RUNIT_SHUTDOWN_ROOT=" + root}
	pidFile := filepath.Join(root, "run/runit/shutdown.pid")
	nologin := filepath.Join(root, "etc/nologin")
	shutdown := ourBin(t, "shutdown")

	cmd, out, done := startWaiting(t, root, "-r", "+1", "maintenance")
	me := strconv.Itoa(cmd.Process.Pid) + "\n"
	if b, err := os.ReadFile(nologin); err != nil || !strings.HasPrefix(string(b), "NO LOGINS: the system is going down for reboot at ") ||
		!strings.HasSuffix(string(b), "\nmaintenance\n") {
		t.Errorf("nologin: %q %v", b, err)
	}

	r := run(t, root, env, shutdown, "--dry-run", "+5")
	if r.code != 111 || r.stderr != "shutdown: fatal: a shutdown is already pending (pid "+strings.TrimSpace(me)+"); cancel it with shutdown -c\n" {
		t.Errorf("second shutdown: %+v", r)
	}
	if b, _ := os.ReadFile(pidFile); string(b) != me {
		t.Errorf("the refused shutdown changed the pid file: %q", b)
	}

	r = run(t, root, env, shutdown, "-c", "--dry-run", "back", "soon")
	if r.code != 0 || r.stdout != "shutdown: The system shutdown has been cancelled.\nback soon\n" || r.stderr != "" {
		t.Errorf("shutdown -c: %+v", r)
	}
	// -c has waited for the cleanup: no polling here.
	for _, p := range []string{pidFile, nologin} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s after shutdown -c: %v", p, err)
		}
	}
	exitsZero(t, root, done, out)
	want := "dry-run: write pid " + strings.TrimSpace(me) + " to " + pidFile + "\n" +
		"dry-run: create " + nologin + "\n" +
		"shutdown: The system is going down for reboot in 1 minute!\nmaintenance\n" +
		"dry-run: remove " + nologin + "\n" +
		"shutdown: cancelled.\n"
	// out holds its standard error too: nothing there.
	if out.String() != want {
		t.Errorf("the cancelled shutdown said:\n%s\nwant:\n%s", out.String(), want)
	}

	r = run(t, root, env, shutdown, "-c", "--dry-run")
	if r.code != 111 || !strings.HasPrefix(r.stderr, "shutdown: fatal: no shutdown pending: "+pidFile) {
		t.Errorf("shutdown -c with nothing pending: %+v", r)
	}
}

// startWaiting starts a dry-run shutdown for a later time under the test root and
// returns once it holds its pid file and has created nologin.
func startWaiting(t *testing.T, root string, args ...string) (cmd *exec.Cmd, out *bytes.Buffer, done chan error) {
	t.Helper()
	cmd = exec.Command(ourBin(t, "shutdown"), append([]string{"--dry-run"}, args...)...)
	cmd.Env = append(os.Environ(), "RUNIT_SHUTDOWN_ROOT="+root)
	out = &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done = make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-done
		done <- nil
	})
	me := strconv.Itoa(cmd.Process.Pid) + "\n"
	waitFor(t, 10*time.Second, "the pid file and nologin of the waiting shutdown", func() bool {
		// nologin is created, then written: wait for its text, not just the file.
		b, err := os.ReadFile(filepath.Join(root, "run/runit/shutdown.pid"))
		n, nerr := os.ReadFile(filepath.Join(root, "etc/nologin"))
		return err == nil && string(b) == me && nerr == nil && strings.HasSuffix(string(n), "\n")
	})
	return cmd, out, done
}

// exitsZero waits for the waiting shutdown to exit 0 and checks it left no files.
func exitsZero(t *testing.T, root string, done chan error, out *bytes.Buffer) {
	t.Helper()
	select {
	case err := <-done:
		done <- err
		if err != nil {
			t.Errorf("the waiting shutdown: %v, want exit 0\n%s", err, out)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("the waiting shutdown has not exited\n%s", out)
	}
	for _, p := range []string{"run/runit/shutdown.pid", "etc/nologin"} {
		if _, err := os.Stat(filepath.Join(root, p)); !os.IsNotExist(err) {
			t.Errorf("%s left behind: %v", p, err)
		}
	}
}

// A waiting shutdown killed with TERM (kill, as Void's shutdown -c does it, or a
// supervisor) removes its pid file and nologin and tells the warned users it is off;
// with INT (^C) the same.
func TestShutdownCancelledBySignal(t *testing.T) {
	for _, sig := range []os.Signal{syscall.SIGTERM, syscall.SIGINT} {
		root := t.TempDir()
		cmd, out, done := startWaiting(t, root, "-h", "+3")
		if err := cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
		exitsZero(t, root, done, out)
		if !strings.HasSuffix(out.String(), "shutdown: The system shutdown has been cancelled.\nshutdown: cancelled.\n") {
			t.Errorf("%v: the waiting shutdown said:\n%s", sig, out)
		}
	}
}

// shutdown now while a shutdown waits for a later time cancels the waiting one (which
// would otherwise keep nologin and still go off later, after a switch to single-user
// mode for instance) and goes ahead at once.
func TestShutdownNowSupersedesWaiting(t *testing.T) {
	root := t.TempDir()
	_, out, done := startWaiting(t, root, "-r", "+5")
	r := run(t, root, []string{"RUNIT_SHUTDOWN_ROOT=" + root}, ourBin(t, "shutdown"), "--dry-run", "now")
	want := "shutdown: the waiting shutdown is cancelled: this one is now\n" +
		"shutdown: The system is going down to single-user mode NOW!\ndry-run: runsvchdir single\n"
	if r.code != 0 || r.stdout != want || r.stderr != "" {
		t.Errorf("shutdown now: %+v, want stdout %q", r, want)
	}
	// It returned after the waiting one cleaned up: no polling for the files.
	exitsZero(t, root, done, out)
	if strings.Contains(out.String(), "has been cancelled") || !strings.HasSuffix(out.String(), "shutdown: cancelled.\n") {
		t.Errorf("the superseded shutdown said:\n%s", out)
	}
}

// shutdown and halt run by a user other than root refuse at once, before any warning
// goes out to the terminals or any record to wtmp, with exit 111 as runit-init's
// failure. The binaries are copied where that user can run them.
func TestShutdownNotRoot(t *testing.T) {
	needRoot(t)
	// Not t.TempDir: its parent is closed to other users.
	dir, err := os.MkdirTemp("", "shutdown-not-root")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"shutdown", "halt"} {
		b, err := os.ReadFile(ourBin(t, n))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, n), b, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("halt", filepath.Join(dir, "reboot")); err != nil {
		t.Fatal(err)
	}
	for _, c := range [][]string{{"shutdown", "-r", "now"}, {"shutdown", "-h", "+5"}, {"shutdown", "-c"},
		{"halt"}, {"reboot", "-f"}, {"halt", "-w"}} {
		cmd := exec.Command(filepath.Join(dir, c[0]), c[1:]...)
		cmd.Dir = dir
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		var o, e bytes.Buffer
		cmd.Stdout, cmd.Stderr = &o, &e
		err := cmd.Run()
		ee, ok := err.(*exec.ExitError)
		want := c[0] + ": fatal: permission denied: only root can shut the system down\n"
		if !ok || ee.ExitCode() != 111 || o.String() != "" || e.String() != want {
			t.Errorf("%q as nobody: %v, stdout %q, stderr %q; want 111 and %q", c, err, o.String(), e.String(), want)
		}
	}
}
