// Package e2e tests the built binaries end to end: real processes in temporary
// directories, real signals, polling with deadlines. Differential tests run the same
// scenario against Debian's C runit when it is installed (CI installs it; with CI set, a
// missing C runit is a failure, not a skip).
package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/runit-go/runit/internal/testkit"
)

var (
	buildDir string
	buildMu  sync.Mutex
	built    = map[string]error{}
	repoRoot string
)

func TestMain(m *testing.M) {
	d, err := os.MkdirTemp("", "runit-go-e2e-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	buildDir = d
	repoRoot = testkit.RepoRoot
	code := m.Run()
	if left := leftovers(d, 15*time.Second); len(left) > 0 {
		fmt.Fprintf(os.Stderr, "e2e: processes of ours outlived the tests (killed now):\n%s\n", strings.Join(left, "\n"))
		if code == 0 {
			code = 1
		}
	}
	os.RemoveAll(d)
	os.Exit(code)
}

// leftovers waits up to timeout for every process running a program of dir to end (a
// logger pool lingers a few seconds by design), and kills and describes those that do
// not: a supervisor, logger or pool that outlives its test is a leak a real tree would
// have too. Without /proc (not Linux) it finds none.
func leftovers(dir string, timeout time.Duration) []string {
	find := func() map[int]string {
		found := map[int]string{}
		procs, _ := filepath.Glob("/proc/[0-9]*")
		for _, p := range procs {
			exe, err := os.Readlink(p + "/exe")
			if err != nil || !strings.HasPrefix(exe, dir+"/") {
				continue
			}
			pid, _ := strconv.Atoi(filepath.Base(p))
			argv, _ := os.ReadFile(p + "/cmdline")
			found[pid] = fmt.Sprintf("pid %d: %s", pid, strings.ReplaceAll(strings.TrimRight(string(argv), "\x00"), "\x00", " "))
		}
		return found
	}
	var left map[int]string
	poll(timeout, func() bool { left = find(); return len(left) == 0 })
	var out []string
	for pid, what := range left {
		syscall.Kill(pid, syscall.SIGKILL)
		out = append(out, what)
	}
	return out
}

// ourBin builds cmd/<name> once per test binary run and returns its path. Building on
// demand keeps one tool's broken build from failing another tool's tests.
func ourBin(t testing.TB, name string) string {
	t.Helper()
	buildMu.Lock()
	defer buildMu.Unlock()
	out := filepath.Join(buildDir, name)
	err, done := built[name]
	if !done {
		cmd := exec.Command("go", "build", "-o", out, "./cmd/"+name)
		cmd.Dir = repoRoot
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOTOOLCHAIN=local")
		if os.Getenv("RUNIT_TEST_RACE") != "" {
			// The tools built with the race detector (which needs cgo), to run the
			// end-to-end tests against them by hand: RUNIT_TEST_RACE=1 go test ./e2e/
			cmd.Args = []string{"go", "build", "-race", "-o", out, "./cmd/" + name}
			cmd.Env = append(cmd.Env, "CGO_ENABLED=1")
		}
		if b, e := cmd.CombinedOutput(); e != nil {
			err = fmt.Errorf("go build ./cmd/%s: %v\n%s", name, e, b)
		}
		built[name] = err
	}
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// binDir returns the directory holding our built tools, so that a test can put it first
// in PATH (runsvdir starts runsv by PATH lookup). It builds every tool, not only the named
// ones: a tool missing from it would be found further on in PATH, C runit's, and the test
// would test C's without a word (one did, with svlogd).
func binDir(t testing.TB, names ...string) string {
	ents, err := os.ReadDir(filepath.Join(repoRoot, "cmd"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		names = append(names, e.Name())
	}
	for _, n := range names {
		ourBin(t, n)
	}
	return buildDir
}

// cBin returns the path of Debian's C runit program name, or skips (fails under CI).
func cBin(t testing.TB, name string) string {
	t.Helper()
	for _, d := range []string{"/usr/bin", "/usr/sbin", "/sbin", "/bin", "/lib/runit"} {
		p := filepath.Join(d, name)
		if fi, err := os.Stat(p); err == nil && fi.Mode()&0o111 != 0 {
			return p
		}
	}
	if strictTests() {
		t.Fatalf("C runit's %s is not installed; .ci/run must install Debian's runit (ci/deps.sh)", name)
	}
	t.Skipf("C runit's %s is not installed (apt-get install runit): differential test skipped", name)
	return ""
}

// needRoot skips a test that needs root, with a clear message; under CI (root) it runs.
func needRoot(t testing.TB) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root: run as root (CI does)")
	}
}

// waitFor polls cond every few milliseconds until it holds or the deadline passes.
func waitFor(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	if !poll(timeout, cond) {
		t.Fatalf("timed out after %v waiting for %s", timeout, what)
	}
}

// poll waits until cond holds or timeout passes, and says which: for a caller that
// reports what it saw last, or goes on either way.
func poll(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(5 * time.Millisecond)
	}
	return true
}

// waitCatches waits until process pid catches each of sigs: a signal the test sends a
// moment after starting a program would otherwise find the default action still in
// place, and end it (ALRM, HUP) before it could set its handlers. Without /proc (not
// Linux) it returns at once.
func waitCatches(t testing.TB, pid int, sigs ...syscall.Signal) {
	t.Helper()
	var want uint64
	for _, s := range sigs {
		want |= 1 << (uint(s) - 1)
	}
	status := "/proc/" + strconv.Itoa(pid) + "/status"
	if !fileExists(status) {
		return
	}
	waitFor(t, 10*time.Second, fmt.Sprintf("pid %d to catch %v", pid, sigs), func() bool {
		if !fileExists(status) {
			return true // gone: the caller sees that
		}
		got, ok := procStatusMask(status, "SigCgt")
		return ok && got&want == want
	})
}

// procStatusField is the value of field name in a /proc/PID/status file, trimmed.
func procStatusField(status, name string) (string, bool) {
	for _, l := range strings.Split(readFile(status), "\n") {
		if v, ok := strings.CutPrefix(l, name+":"); ok {
			return strings.TrimSpace(v), true
		}
	}
	return "", false
}

// procStatusMask is a hexadecimal mask field of a /proc/PID/status file (SigCgt, CapEff).
func procStatusMask(status, name string) (uint64, bool) {
	v, ok := procStatusField(status, name)
	if !ok {
		return 0, false
	}
	m, err := strconv.ParseUint(v, 16, 64)
	return m, err == nil
}

// Shared with lint/ (internal/testkit).
var (
	writeFile   = testkit.WriteFile
	readFile    = testkit.ReadFile
	strictTests = testkit.Strict
)

// result is what a finished command printed and how it exited.
type result struct {
	stdout, stderr string
	code           int
}

// run runs a command to completion with env added to the environment.
func run(t testing.TB, dir string, env []string, name string, args ...string) result {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	return result{o.String(), e.String(), code}
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
