package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/runit-go/runit/core/protocol"
)

// Tests of the opt-in additions to runit's service directory (issue 6): stop-tree,
// stop-timeout, notification-fd, backoff. Without these files runsv is runit's.

// doubleForker is a run script that leaves a grandchild behind which ignores TERM and
// starts its own session, the hardest case for a supervisor.
const doubleForker = `#!/bin/sh
( trap '' TERM; exec setsid sh -c 'trap "" TERM; echo $$ > grandchild; while :; do sleep 0.1; done' ) &
trap '' TERM
while :; do sleep 0.1; done
`

func alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	// A zombie is dead for our purposes.
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	return err != nil || !strings.Contains(string(b), ") Z ")
}

func TestStopTree(t *testing.T) {
	if _, err := os.Stat("/proc/self/cgroup"); err != nil {
		t.Skip("Linux only: the cgroup backend is what this test proves end to end")
	}
	dir := newService(t, t.TempDir(), "svc", doubleForker)
	writeFile(t, filepath.Join(dir, "stop-tree"), "", 0o644)
	writeFile(t, filepath.Join(dir, "stop-timeout"), "0.5\n", 0o644)
	p := startRunsv(t, ourBin(t, "runsv"), dir)
	waitStat(t, dir, "run\n")
	gc := filepath.Join(dir, "grandchild")
	waitFor(t, 10*time.Second, "the grandchild", func() bool { return readFile(gc) != "" })
	grandchild, _ := strconv.Atoi(strings.TrimSpace(readFile(gc)))
	run := readStatus(t, dir).Pid
	if strings.Contains(p.stderr.String(), "stop-tree:") {
		t.Logf("fallback in use: %s", p.stderr.String())
	}
	sendCtl(dir, "d")
	waitStat(t, dir, "down\n")
	waitFor(t, 5*time.Second, "every process of the service gone", func() bool { return !alive(run) && !alive(grandchild) })
}

// TestStopTreeOff: without stop-tree, runsv signals ./run only, as runit does (the
// grandchild survives), which is what makes the opt-in worth having.
func TestStopTreeOff(t *testing.T) {
	dir := newService(t, t.TempDir(), "svc", doubleForker)
	writeFile(t, filepath.Join(dir, "stop-timeout"), "0.3\n", 0o644)
	startRunsv(t, ourBin(t, "runsv"), dir)
	gc := filepath.Join(dir, "grandchild")
	waitFor(t, 10*time.Second, "the grandchild", func() bool { return readFile(gc) != "" })
	grandchild, _ := strconv.Atoi(strings.TrimSpace(readFile(gc)))
	defer syscall.Kill(grandchild, syscall.SIGKILL)
	sendCtl(dir, "d")
	waitStat(t, dir, "down\n")
	if !alive(grandchild) {
		t.Errorf("the grandchild died without stop-tree")
	}
}

// TestStopTimeout: TERM is ignored, stop-timeout turns it into KILL; without the file runsv
// waits forever (runit's behaviour), shown by the "got TERM" state lasting.
func TestStopTimeout(t *testing.T) {
	// It says when its trap is set: a TERM before that would end the shell outright.
	dir := newService(t, t.TempDir(), "svc", "#!/bin/sh\ntrap '' TERM\necho > trapped\nwhile :; do sleep 0.1; done\n")
	writeFile(t, filepath.Join(dir, "stop-timeout"), "0.5\n", 0o644)
	startRunsv(t, ourBin(t, "runsv"), dir)
	waitStat(t, dir, "run\n")
	waitFor(t, 10*time.Second, "the TERM trap set", func() bool { return fileExists(filepath.Join(dir, "trapped")) })
	sendCtl(dir, "d")
	waitStat(t, dir, "run, got TERM, want down\n")
	begin := time.Now()
	waitStat(t, dir, "down\n")
	if since := time.Since(begin); since < 300*time.Millisecond {
		t.Errorf("killed after %v, before the 0.5 s stop-timeout", since)
	}
}

func TestNotificationFD(t *testing.T) {
	dir := newService(t, t.TempDir(), "svc", "#!/bin/sh\nwhile [ ! -e go ]; do sleep 0.02; done\necho >&5\nexec sleep 1000\n")
	writeFile(t, filepath.Join(dir, "notification-fd"), "5\n", 0o644)
	startRunsv(t, ourBin(t, "runsv"), dir)
	waitStat(t, dir, "run\n")
	ready := filepath.Join(dir, "supervise", "ready")
	if readFile(ready) != "" {
		t.Fatalf("ready before the service said so: %q", readFile(ready))
	}
	writeFile(t, filepath.Join(dir, "go"), "", 0o644)
	pid := readStatus(t, dir).Pid
	waitFor(t, 10*time.Second, "supervise/ready", func() bool { return readFile(ready) == strconv.Itoa(pid)+"\n" })
	if len(readFile(filepath.Join(dir, "supervise", "status"))) != 20 {
		t.Errorf("status is no longer 20 bytes")
	}
	sendCtl(dir, "d")
	waitStat(t, dir, "down\n")
	waitFor(t, 5*time.Second, "ready cleared", func() bool { return readFile(ready) == "" })
}

// TestBackoff: a crash loop waits longer and longer, a `d` during the wait is honoured at
// once, and `u` starts over.
func TestBackoff(t *testing.T) {
	dir := newService(t, t.TempDir(), "svc", "#!/bin/sh\necho x >> starts\nexit 1\n")
	writeFile(t, filepath.Join(dir, "backoff"), "4\n", 0o644)
	startRunsv(t, ourBin(t, "runsv"), dir)
	starts := filepath.Join(dir, "starts")
	bo := filepath.Join(dir, "supervise", "backoff")
	waitFor(t, 15*time.Second, "a crash loop reported", func() bool {
		delay, _ := protocol.DecodeBackoff([]byte(readFile(bo)))
		return delay == 2
	})
	n := strings.Count(readFile(starts), "x")
	sendCtl(dir, "d")
	waitFor(t, 2*time.Second, "want down during the backoff", func() bool { return readStatus(t, dir).Want != protocol.WantUp })
	// The 2 s wait passes without a start.
	waitFor(t, 10*time.Second, "the backoff period to pass", func() bool { return time.Since(readStatus(t, dir).Time) > 2500*time.Millisecond })
	if got := strings.Count(readFile(starts), "x"); got != n {
		t.Errorf("started %d times during a d", got-n)
	}
	sendCtl(dir, "u")
	waitFor(t, 5*time.Second, "u starts at once", func() bool { return strings.Count(readFile(starts), "x") > n })
	if got := readFile(bo); got != "" {
		t.Errorf("backoff after u: %q", got)
	}
}

// TestNotifySocket: readiness the systemd way. ./run gets NOTIFY_SOCKET; STATUS= is kept
// in supervise/notify-status, READY=1 makes the service ready, as sv shows.
func TestNotifySocket(t *testing.T) {
	root := t.TempDir()
	notifier := filepath.Join(root, "sdnotify")
	build := exec.Command("go", "build", "-o", notifier, "./e2e/testdata/sdnotify")
	build.Dir = repoRoot
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the notifier: %v\n%s", err, out)
	}
	dir := newService(t, root, "svc", "#!/bin/sh\nwhile [ ! -e go ]; do sleep 0.02; done\n"+
		notifier+" 'STATUS=warming up'\nwhile [ ! -e go2 ]; do sleep 0.02; done\n"+notifier+" READY=1 'STATUS=serving'\nexec sleep 1000\n")
	writeFile(t, filepath.Join(dir, "notify-socket"), "", 0o644)
	startRunsv(t, ourBin(t, "runsv"), dir)
	waitStat(t, dir, "run\n")
	sv := ourBin(t, "sv")
	if st := run(t, root, nil, sv, "status", dir); !strings.HasSuffix(st.stdout, ", not ready\n") {
		t.Errorf("status before readiness: %q", st.stdout)
	}
	writeFile(t, filepath.Join(dir, "go"), "", 0o644)
	waitFor(t, 10*time.Second, "STATUS= recorded", func() bool {
		return readFile(filepath.Join(dir, "supervise", "notify-status")) == "warming up\n"
	})
	if readFile(filepath.Join(dir, "supervise", "ready")) != "" {
		t.Errorf("ready before READY=1")
	}
	writeFile(t, filepath.Join(dir, "go2"), "", 0o644)
	pid := readStatus(t, dir).Pid
	waitFor(t, 10*time.Second, "READY=1 recorded", func() bool {
		return readFile(filepath.Join(dir, "supervise", "ready")) == strconv.Itoa(pid)+"\n"
	})
	if st := run(t, root, nil, sv, "status", dir); !strings.HasSuffix(st.stdout, ", ready\n") {
		t.Errorf("status after readiness: %q", st.stdout)
	}
	if js := run(t, root, nil, sv, "--json", dir); !strings.Contains(js.stdout, `"status_text": "serving"`) || !strings.Contains(js.stdout, `"ready": true`) {
		t.Errorf("json: %s", js.stdout)
	}
}
