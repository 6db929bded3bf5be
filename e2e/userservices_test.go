package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestUserServices: etc/sv/runsvdir-user, copied to runsvdir-nobody in the system's
// tree, runs nobody's own tree from ~/.config/service as nobody, with nobody's HOME and
// groups; nobody drives those services with sv by bare name; and `sv down` of the
// system's runsvdir-nobody stops the user's services with it.
func TestUserServices(t *testing.T) {
	needRoot(t)
	if _, err := exec.LookPath("getent"); err != nil && !strictTests() {
		t.Skip("getent not installed")
	}
	root := publicTempDir(t, "runit-user-")
	bin := publicBin(t, root, "runsvdir", "runsv", "chpst", "sv")
	home := filepath.Join(root, "home")
	hello := newService(t, filepath.Join(home, ".config", "service"), "hello",
		"#!/bin/sh\necho \"$(id -u) $HOME $USER $SVDIR\" > env.out\nexec sleep 1000\n")
	if out, err := exec.Command("chown", "-R", "65534:65534", home).CombinedOutput(); err != nil {
		t.Fatalf("chown: %v %s", err, out)
	}
	scan := filepath.Join(root, "service")
	tree := filepath.Join(scan, "runsvdir-nobody")
	os.MkdirAll(scan, 0o755)
	if out, err := exec.Command("cp", "-R", filepath.Join(repoRoot, "etc", "sv", "runsvdir-user"), tree).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v %s", err, out)
	}
	writeFile(t, filepath.Join(tree, "conf"), "home="+home+"\n", 0o644) // nobody's is /nonexistent
	cmd := exec.Command(filepath.Join(bin, "runsvdir"), scan)
	cmd.Env = append(os.Environ(), "PATH="+bin+":/usr/bin:/bin")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGHUP)
		cmd.Wait()
		sendCtl(tree, "dx")
		sendCtl(hello, "dx")
	})
	waitFor(t, 20*time.Second, "nobody's hello running", func() bool {
		return running(t, hello) && readFile(filepath.Join(hello, "env.out")) != ""
	})
	want := "65534 " + home + " nobody " + filepath.Join(home, ".config", "service") + "\n"
	if got := readFile(filepath.Join(hello, "env.out")); got != want {
		t.Errorf("hello's user and environment: got %q, want %q", got, want)
	}
	var st syscall.Stat_t
	if err := syscall.Stat(filepath.Join(hello, "supervise", "control"), &st); err != nil || st.Uid != 65534 {
		t.Errorf("hello's supervise/control is not nobody's (uid %d, %v)", st.Uid, err)
	}
	// As nobody, from a login shell's environment: no SVDIR, the bare name.
	asNobody := func(args ...string) (string, error) {
		c := exec.Command(filepath.Join(bin, "sv"), args...)
		c.Env = []string{"HOME=" + home, "PATH=/usr/bin:/bin"}
		c.Dir = "/"
		c.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		out, err := c.CombinedOutput()
		return string(out), err
	}
	if out, err := asNobody("status", "hello"); err != nil || !strings.HasPrefix(out, "run: hello: (pid ") {
		t.Errorf("sv status hello as nobody: %v %q", err, out)
	}
	if out, err := asNobody("-v", "down", "hello"); err != nil || !strings.HasPrefix(out, "ok: down: hello: ") {
		t.Errorf("sv down hello as nobody: %v %q", err, out)
	}
	if out, err := asNobody("-v", "up", "hello"); err != nil || !strings.HasPrefix(out, "ok: run: hello: ") {
		t.Errorf("sv up hello as nobody: %v %q", err, out)
	}
	// The system's sv down of the user's tree stops the user's services (HUP, not TERM).
	sv := exec.Command(filepath.Join(bin, "sv"), "-w", "20", "down", tree)
	if out, err := sv.CombinedOutput(); err != nil {
		t.Errorf("sv down runsvdir-nobody: %v %s", err, out)
	}
	waitFor(t, 20*time.Second, "nobody's services stopped with their tree", func() bool {
		return !okAlive(hello) && len(procsIn(hello)) == 0
	})
}
