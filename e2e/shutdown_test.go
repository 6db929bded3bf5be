package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
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

	cmd := exec.Command(shutdown, "--dry-run", "-r", "+1", "maintenance")
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	exited := false
	defer func() {
		if !exited {
			_ = cmd.Process.Kill()
			<-done
		}
	}()
	me := strconv.Itoa(cmd.Process.Pid) + "\n"
	waitFor(t, 10*time.Second, "the pid file and nologin of the waiting shutdown", func() bool {
		b, err := os.ReadFile(pidFile)
		_, nerr := os.Stat(nologin)
		return err == nil && string(b) == me && nerr == nil
	})
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
	select {
	case err := <-done:
		exited = true
		if err != nil {
			t.Errorf("the cancelled shutdown: %v, want exit 0", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the cancelled shutdown has not exited")
	}
	want := "dry-run: write pid " + strings.TrimSpace(me) + " to " + pidFile + "\n" +
		"dry-run: create " + nologin + "\n" +
		"shutdown: The system is going down for reboot in 1 minute!\nmaintenance\n" +
		"dry-run: remove " + nologin + "\n" +
		"shutdown: cancelled.\n"
	if out.String() != want || errb.String() != "" {
		t.Errorf("the cancelled shutdown said:\n%s\nstderr %q\nwant:\n%s", out.String(), errb.String(), want)
	}

	r = run(t, root, env, shutdown, "-c", "--dry-run")
	if r.code != 111 || !strings.HasPrefix(r.stderr, "shutdown: fatal: no shutdown pending: "+pidFile) {
		t.Errorf("shutdown -c with nothing pending: %+v", r)
	}
}
