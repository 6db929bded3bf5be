package stage

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/runit-go/runit/platform"
	"golang.org/x/sys/unix"
)

// As the subreaper, killDescendants ends a whole tree: a child, and the grandchild that
// is orphaned to us when that child dies. It runs in a child process of the test binary,
// since it kills every child of the process that calls it.
func TestKillDescendants(t *testing.T) {
	if os.Getenv("STAGE_TEST_KILL_DESCENDANTS") != "" {
		killDescendantsChild(os.Getenv("STAGE_TEST_KILL_DESCENDANTS"))
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillDescendants$")
	cmd.Env = append(os.Environ(), "STAGE_TEST_KILL_DESCENDANTS="+t.TempDir())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
}

func killDescendantsChild(dir string) {
	fail := func(format string, a ...any) {
		fmt.Fprintf(os.Stderr, format+"\n", a...)
		os.Exit(1)
	}
	if err := platform.BecomeSubreaper(); err != nil {
		fail("BecomeSubreaper: %v", err)
	}
	pidFile := filepath.Join(dir, "grandchild")
	sh := exec.Command("/bin/sh", "-c", `sleep 1000 & echo $! >"$1.tmp" && mv "$1.tmp" "$1"; exec sleep 1000`, "sh", pidFile)
	if err := sh.Start(); err != nil {
		fail("start: %v", err)
	}
	var grandchild int
	for end := time.Now().Add(10 * time.Second); grandchild == 0; time.Sleep(5 * time.Millisecond) {
		b, _ := os.ReadFile(pidFile)
		grandchild, _ = strconv.Atoi(strings.TrimSpace(string(b)))
		if time.Now().After(end) {
			fail("no grandchild pid in %s", pidFile)
		}
	}
	if err := killDescendants(); err != nil {
		fail("killDescendants: %v", err)
	}
	// Reap them all, as Run does after KillAll; a child left alive fails, never hangs.
	for end := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if _, err := unix.Wait4(-1, nil, unix.WNOHANG, nil); err == unix.ECHILD {
			break
		}
		if time.Now().After(end) {
			kids, _ := platform.Children()
			unix.Kill(grandchild, unix.SIGKILL)
			fail("children left alive after killDescendants: %v (grandchild %d)", kids, grandchild)
		}
	}
	os.Exit(0)
}
