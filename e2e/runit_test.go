//go:build linux

package e2e

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// runit as process 1 without a VM: `unshare --pid --fork --mount-proc` makes a new PID
// namespace (and a private mount namespace) in which runit is process 1. runit's paths
// are fixed (/etc/runit/1 ..., /dev/console) and we keep them so: inside the private
// mount namespace a temporary directory is bind-mounted over /etc/runit and a FIFO over
// /dev/console, from which the test reads runit's messages. No test-only knob in runit.
// CAP_SYS_BOOT is dropped from the bounding set, as Docker does, so reboot(2) fails with
// EPERM and runit takes its container path: exit with stage 3's status.

type pid1 struct {
	t       *testing.T
	cmd     *exec.Cmd
	lines   chan string
	mu      sync.Mutex
	log     strings.Builder
	exited  chan struct{}
	etc     string
	console *os.File
}

// pid1Needs skips (fails with RUNIT_TEST_STRICT, as in CI) when the host cannot make
// namespaces for the test.
func pid1Needs(t *testing.T) {
	t.Helper()
	needRoot(t)
	skip := t.Skipf
	if strictTests() {
		skip = t.Fatalf
	}
	for _, b := range []string{"unshare", "setpriv", "mount", "nsenter"} {
		if _, err := exec.LookPath(b); err != nil {
			skip("needs %s (util-linux, mount)", b)
		}
	}
	if fi, err := os.Stat("/etc/runit"); err != nil || !fi.IsDir() {
		skip("needs a directory /etc/runit to bind-mount the test's stage scripts over (apt-get install runit)")
	}
	if _, err := os.Stat("/dev/console"); err != nil {
		skip("needs /dev/console to bind-mount the test's console FIFO over")
	}
}

// startPID1 runs runitBin as process 1 of a new PID namespace with the stage scripts in
// scripts (name -> content; "" entries are skipped). extraEnv is passed to runit and so to
// the stages. When tmpRun is set, /run is a fresh tmpfs (C runit's Debian paths live there).
func startPID1(t *testing.T, runitBin string, scripts map[string]string, extraEnv []string, tmpRun bool) *pid1 {
	return startPID1Setup(t, runitBin, scripts, extraEnv, tmpRun, "")
}

// startPID1Setup is startPID1 with more shell commands run in the new namespaces before
// runit starts (extra bind mounts).
func startPID1Setup(t *testing.T, runitBin string, scripts map[string]string, extraEnv []string, tmpRun bool, extra string) *pid1 {
	t.Helper()
	dir := t.TempDir()
	etc := filepath.Join(dir, "etc-runit")
	if err := os.Mkdir(etc, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range scripts {
		writeFile(t, filepath.Join(etc, name), body, 0o755)
	}
	fifo := filepath.Join(dir, "console")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	// Read and write, so the FIFO never reports EOF and runit's non-blocking write open
	// always finds a reader.
	console, err := os.OpenFile(fifo, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	p := &pid1{t: t, lines: make(chan string, 1024), exited: make(chan struct{}), etc: etc, console: console}
	// extra first: /etc/service may be a symlink into /etc/runit, which the next mount hides.
	setup := "set -e; "
	if extra != "" {
		setup += extra + "; "
	}
	setup += `mount --bind "$1" /etc/runit; mount --bind "$2" /dev/console; `
	if tmpRun {
		setup += `mount -t tmpfs tmpfs /run; `
	}
	setup += `exec setpriv --bounding-set -sys_boot "$3"`
	p.cmd = exec.Command("unshare", "--pid", "--fork", "--mount-proc", "--propagation", "private",
		"sh", "-c", setup, "sh", etc, fifo, runitBin)
	p.cmd.Env = append(os.Environ(), extraEnv...)
	p.cmd.Stdout, p.cmd.Stderr = console, console
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		r := bufio.NewReader(console)
		for {
			line, err := r.ReadString('\n')
			if line != "" {
				line = strings.TrimRight(line, "\n")
				p.mu.Lock()
				p.log.WriteString(line + "\n")
				p.mu.Unlock()
				p.lines <- line
			}
			if err != nil {
				return
			}
		}
	}()
	go func() { _ = p.cmd.Wait(); close(p.exited) }()
	t.Cleanup(func() {
		select {
		case <-p.exited:
		default:
			_ = p.cmd.Process.Kill()
			if pid := p.runitPid(); pid > 0 {
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
			<-p.exited
		}
		console.Close()
		if t.Failed() {
			t.Logf("console of process 1:\n%s", p.transcript())
		}
	})
	return p
}

func (p *pid1) transcript() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.log.String()
}

// runitPid is the host pid of the namespace's process 1: unshare's only child.
func (p *pid1) runitPid() int {
	u := p.cmd.Process.Pid
	b, err := os.ReadFile("/proc/" + strconv.Itoa(u) + "/task/" + strconv.Itoa(u) + "/children")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 0
	}
	n, _ := strconv.Atoi(f[0])
	return n
}

// signal sends sig to the namespace's process 1 from outside, as a container runtime does.
func (p *pid1) signal(sig syscall.Signal) {
	p.t.Helper()
	var pid int
	waitFor(p.t, 10*time.Second, "runit's pid", func() bool { pid = p.runitPid(); return pid > 0 })
	if err := syscall.Kill(pid, sig); err != nil {
		p.t.Fatalf("kill %d %v: %v", pid, sig, err)
	}
}

func (p *pid1) expect(timeout time.Duration, want string) {
	p.t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		select {
		case line := <-p.lines:
			if strings.Contains(line, want) {
				return
			}
		case <-p.exited:
			// Drain what was printed before the exit.
			for {
				select {
				case line := <-p.lines:
					if strings.Contains(line, want) {
						return
					}
				case <-time.After(500 * time.Millisecond):
					p.t.Fatalf("process 1 exited before printing %q", want)
				}
			}
		case <-deadline.C:
			p.t.Fatalf("timed out after %v waiting for %q", timeout, want)
		}
	}
}

// exitCode waits for the namespace to end and returns unshare's exit status, which is
// process 1's.
func (p *pid1) exitCode(timeout time.Duration) int {
	p.t.Helper()
	select {
	case <-p.exited:
	case <-time.After(timeout):
		p.t.Fatalf("process 1 did not exit within %v", timeout)
	}
	return p.cmd.ProcessState.ExitCode()
}

const stage1OK = "#!/bin/sh\necho S1-ran\n"

// stage2Orphans makes orphans that process 1 inherits and must reap, then waits (bounded)
// until none of them is left, not even as a zombie, and prints S2-reaped.
const stage2Orphans = `#!/bin/sh
: > /etc/runit/orphans
for i in 1 2 3 4 5; do sh -c 'sleep 0.2 & echo $! >> /etc/runit/orphans'; done
n=0
while :; do
  left=0
  for p in $(cat /etc/runit/orphans); do [ -e /proc/$p ] && left=1; done
  [ $left = 0 ] && break
  n=$((n+1)); [ $n -gt 100 ] && { echo S2-zombies-left; ls -l /proc/*/stat >/dev/null; break; }
  sleep 0.1
done
[ $left = 0 ] && echo S2-reaped
exec sleep 1000
`

func TestRunitPID1SIGTERMContainerStop(t *testing.T) {
	pid1Needs(t)
	p := startPID1(t, ourBin(t, "runit"), map[string]string{
		"1": stage1OK,
		"2": stage2Orphans,
		"3": "#!/bin/sh\necho S3-ran\nexit 7\n",
	}, nil, false)
	p.expect(20*time.Second, "- runit: enter stage: /etc/runit/1")
	p.expect(10*time.Second, "S1-ran")
	p.expect(10*time.Second, "- runit: enter stage: /etc/runit/2")
	p.expect(20*time.Second, "S2-reaped")
	p.signal(syscall.SIGTERM)
	p.expect(10*time.Second, "- runit: leave stage: /etc/runit/2")
	p.expect(10*time.Second, "- runit: enter stage: /etc/runit/3")
	p.expect(10*time.Second, "S3-ran")
	p.expect(10*time.Second, "- runit: sending KILL signal to all processes...")
	p.expect(10*time.Second, "- runit: warning: unable to halt: permission denied")
	if code := p.exitCode(20 * time.Second); code != 7 {
		t.Errorf("process 1 exited %d, want 7 (stage 3's exit code)", code)
	}
}

func TestRunitPID1RunitInit0(t *testing.T) {
	pid1Needs(t)
	p := startPID1(t, ourBin(t, "runit"), map[string]string{
		"1": stage1OK,
		"2": "#!/bin/sh\necho S2-ran $(grep SigIgn /proc/$$/status)\n\"$RUNIT_INIT\" 0\nexec sleep 1000\n",
		"3": "#!/bin/sh\necho S3-ran\n",
	}, []string{"RUNIT_INIT=" + ourBin(t, "runit-init")}, false)
	p.expect(20*time.Second, "S2-ran")
	// runit 2.1.2 left SIGCONT ignored in the stages; 2.3 and we do not. (Other bits may
	// be set: a signal the test's own environment ignores passes through exec untouched.)
	m := regexp.MustCompile(`S2-ran SigIgn: ([0-9a-f]+)`).FindStringSubmatch(p.transcript())
	if m == nil {
		t.Fatalf("no SigIgn line:\n%s", p.transcript())
	}
	if ign, _ := strconv.ParseUint(m[1], 16, 64); ign&(1<<(uint(syscall.SIGCONT)-1)) != 0 {
		t.Errorf("stage 2 inherited an ignored SIGCONT (SigIgn %s)", m[1])
	}
	p.expect(10*time.Second, "- runit: leave stage: /etc/runit/2")
	p.expect(10*time.Second, "S3-ran")
	p.expect(10*time.Second, "- runit: power off...")
	p.expect(10*time.Second, "- runit: system halt.")
	if code := p.exitCode(20 * time.Second); code != 0 {
		t.Errorf("process 1 exited %d, want 0", code)
	}
	fi, err := os.Stat(filepath.Join(p.etc, "stopit"))
	if err != nil || fi.Mode().Perm() != 0 {
		t.Errorf("stopit after the shutdown: %v %v, want mode 0 (runit takes the x bit away)", fi, err)
	}
}

func TestRunitPID1CtrlAltDelAndPowerFail(t *testing.T) {
	pid1Needs(t)
	for _, c := range []struct {
		name, script, msg string
		sig               syscall.Signal
	}{
		{"ctrlaltdel", "ctrlaltdel", "- runit: ctrl-alt-del request...", syscall.SIGINT},
		{"pwrfail", "pwrfail", "- runit: power fail request...", syscall.SIGPWR},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := startPID1(t, ourBin(t, "runit"), map[string]string{
				"1": stage1OK,
				"2": "#!/bin/sh\necho S2-ran\nexec sleep 1000\n",
				"3": "#!/bin/sh\necho S3-ran\n",
				// The usual flag script: create stopit u+x, then runit acts as on SIGCONT.
				c.script: "#!/bin/sh\necho FLAG-ran\n: > /etc/runit/stopit\nchmod 100 /etc/runit/stopit\n",
			}, nil, false)
			p.expect(20*time.Second, "S2-ran")
			p.signal(c.sig)
			p.expect(10*time.Second, c.msg)
			p.expect(10*time.Second, "FLAG-ran")
			p.expect(10*time.Second, "- runit: leave stage: /etc/runit/2")
			p.expect(10*time.Second, "S3-ran")
			if code := p.exitCode(20 * time.Second); code != 0 {
				t.Errorf("process 1 exited %d, want 0", code)
			}
		})
	}
}

// A SIGCONT without stopit does nothing; signals outside stage 2 are refused with
// runit's warning; stage 1 exiting 100 skips stage 2.
func TestRunitPID1SignalsOutsideStage2AndSkip(t *testing.T) {
	pid1Needs(t)
	p := startPID1(t, ourBin(t, "runit"), map[string]string{
		"1": "#!/bin/sh\necho S1-wait\nn=0\nuntil [ -e /etc/runit/go ]; do n=$((n+1)); [ $n -gt 400 ] && break; sleep 0.05; done\nexit 100\n",
		"2": "#!/bin/sh\necho S2-MUST-NOT-RUN\n",
		"3": "#!/bin/sh\necho S3-ran\n",
	}, nil, false)
	p.expect(20*time.Second, "S1-wait")
	p.signal(syscall.SIGCONT)
	p.expect(10*time.Second, "- runit: warning: signals only work in stage 2.")
	writeFile(t, filepath.Join(p.etc, "go"), "", 0o644)
	p.expect(10*time.Second, "- runit: warning: child failed: /etc/runit/1")
	p.expect(10*time.Second, "- runit: leave stage: /etc/runit/1")
	p.expect(10*time.Second, "- runit: warning: skipping stage 2...")
	p.expect(10*time.Second, "- runit: enter stage: /etc/runit/3")
	p.expect(10*time.Second, "S3-ran")
	p.exitCode(20 * time.Second)
	if strings.Contains(p.transcript(), "S2-MUST-NOT-RUN") {
		t.Errorf("stage 2 ran although stage 1 exited 100")
	}
}

// runit 2.3: a stage 2 killed by a signal is restarted (2.1.2 went to stage 3 instead).
func TestRunitPID1Stage2CrashRestarts(t *testing.T) {
	pid1Needs(t)
	p := startPID1(t, ourBin(t, "runit"), map[string]string{
		"1": stage1OK,
		"2": "#!/bin/sh\nif [ ! -e /etc/runit/crashed ]; then : > /etc/runit/crashed; kill -9 $$; fi\necho S2-again\n\"$RUNIT_INIT\" 0\nexec sleep 1000\n",
		"3": "#!/bin/sh\necho S3-ran\n",
	}, []string{"RUNIT_INIT=" + ourBin(t, "runit-init")}, false)
	p.expect(20*time.Second, "- runit: warning: child crashed: /etc/runit/2")
	p.expect(10*time.Second, "- runit: warning: killing all processes in stage 2...")
	p.expect(10*time.Second, "- runit: warning: restarting.")
	p.expect(10*time.Second, "S2-again")
	p.expect(10*time.Second, "S3-ran")
	p.exitCode(20 * time.Second)
}

// docker stop soon after stage 2 crashed: the SIGTERM, arriving during the five-second
// pause before the restart, leads to stage 3 at once. It used to wait the pause out, then
// up to 14 s more for runit's next wake-up, and the container manager's SIGKILL came first.
func TestRunitPID1TermDuringStage2RestartPause(t *testing.T) {
	pid1Needs(t)
	p := startPID1(t, ourBin(t, "runit"), map[string]string{
		"1": stage1OK,
		"2": "#!/bin/sh\nif [ ! -e /etc/runit/crashed ]; then : > /etc/runit/crashed; kill -9 $$; fi\necho S2-again\nexec sleep 1000\n",
		"3": "#!/bin/sh\necho S3-ran\nexit 5\n",
	}, nil, false)
	p.expect(20*time.Second, "- runit: warning: killing all processes in stage 2...")
	sent := time.Now()
	p.signal(syscall.SIGTERM)
	// Well under the pause (5 s), yet generous for a loaded machine: runit only has to
	// fork stage 3.
	p.expect(4*time.Second, "- runit: enter stage: /etc/runit/3")
	t.Logf("stage 3 entered %v after the SIGTERM", time.Since(sent))
	p.expect(10*time.Second, "S3-ran")
	if code := p.exitCode(20 * time.Second); code != 5 {
		t.Errorf("process 1 exited %d, want 5 (stage 3's exit code)", code)
	}
	if tr := p.transcript(); strings.Contains(tr, "restarting.") || strings.Contains(tr, "S2-again") {
		t.Errorf("stage 2 was restarted after the SIGTERM")
	}
}

// A missing stage is reported and counted as done, as C runit does (its child exits 0).
func TestRunitPID1MissingStage(t *testing.T) {
	pid1Needs(t)
	p := startPID1(t, ourBin(t, "runit"), map[string]string{
		"2": "#!/bin/sh\necho S2-ran\nexit 0\n",
		"3": "#!/bin/sh\necho S3-ran\nexit 3\n",
	}, nil, false)
	p.expect(20*time.Second, "- runit: fatal: unable to start child: /etc/runit/1: file does not exist")
	p.expect(10*time.Second, "- runit: leave stage: /etc/runit/1")
	p.expect(10*time.Second, "S2-ran")
	p.expect(10*time.Second, "- runit: leave stage: /etc/runit/2")
	p.expect(10*time.Second, "S3-ran")
	if code := p.exitCode(20 * time.Second); code != 3 {
		t.Errorf("process 1 exited %d, want 3", code)
	}
}

// Differential: the same stages under Debian's C runit and ours print the same runit
// messages, up to the halt (C runit then waits forever; the test kills it).
func TestRunitPID1DifferentialWithC(t *testing.T) {
	pid1Needs(t)
	cRunit := cBin(t, "runit")
	cInit := cBin(t, "runit-init")
	scripts := map[string]string{
		"1": "#!/bin/sh\nexit 1\n",
		"2": "#!/bin/sh\n\"$RUNIT_INIT\" 0\nexec sleep 1000\n",
		"3": "#!/bin/sh\nexit 0\n",
	}
	runitLines := func(bin, init string) []string {
		p := startPID1(t, bin, scripts, []string{"RUNIT_INIT=" + init}, true)
		p.expect(30*time.Second, "- runit: system halt.")
		var out []string
		for _, l := range strings.Split(p.transcript(), "\n") {
			if strings.HasPrefix(l, "- runit:") {
				out = append(out, l)
			}
			if l == "- runit: system halt." {
				break
			}
		}
		return out
	}
	c := runitLines(cRunit, cInit)
	ours := runitLines(ourBin(t, "runit"), ourBin(t, "runit-init"))
	if strings.Join(c, "\n") != strings.Join(ours, "\n") {
		t.Errorf("runit messages differ\nC:\n%s\nours:\n%s", strings.Join(c, "\n"), strings.Join(ours, "\n"))
	}
}

func TestRunitNotPID1(t *testing.T) {
	ours := run(t, "", nil, ourBin(t, "runit"))
	want := "- runit: fatal: must be run as process no 1.\n"
	if ours.code != 111 || ours.stderr != want {
		t.Errorf("ours: exit %d stderr %q, want 111 %q", ours.code, ours.stderr, want)
	}
	c := run(t, "", nil, cBin(t, "runit"))
	if c.code != ours.code || c.stderr != ours.stderr || c.stdout != ours.stdout {
		t.Errorf("C: %+v, ours: %+v", c, ours)
	}
}

// examples/container as a container runtime would run it: our runit as process 1 of a
// PID namespace without CAP_SYS_BOOT, with the Dockerfile's ENV, our runsvdir/runsv/sv
// bind-mounted where the example's stage scripts look for them, the example's service in
// /etc/service. The stopit and reboot flags are set, as an earlier ctrlaltdel (incus
// restart) leaves them: stage 1 must clear them. A service and a `docker exec` ask sv for
// hello by its bare name, which works only through SVDIR (the test's sv looks in /service/).
// SIGTERM (docker stop) must bring every service down through stage 3 and end with status 0
// by a halt, not a reboot.
func TestRunitContainerExample(t *testing.T) {
	pid1Needs(t)
	ex := filepath.Join(repoRoot, "examples/container")
	scripts := map[string]string{"stopit": "", "reboot": ""} // written u+x: both requested
	for _, n := range []string{"1", "2", "3"} {
		scripts[n] = readFile(filepath.Join(ex, "etc/runit", n))
	}
	services := map[string]string{
		"hello/run": readFile(filepath.Join(ex, "etc/service/hello/run")),
		// As distributions' run scripts do (sv check dbus): a bare name.
		"probe/run": `#!/bin/sh
n=0
until sv status hello >probe.out 2>&1 && grep -q '^run: hello:' probe.out; do
	n=$((n+1)); [ $n -gt 100 ] && break
	sleep 0.1
done
: >probe.done
exec sleep 1000000
`,
	}
	extra := ""
	var svc func(p *pid1) string // the service directory, seen from the host
	// Debian makes /etc/service a symlink into /etc/runit (runit/runsvdir/current): then
	// the services go to that place in our /etc/runit; a real directory is bind-mounted.
	if link, err := os.Readlink("/etc/service"); err == nil {
		if !filepath.IsAbs(link) {
			link = filepath.Join("/etc", link)
		}
		rel, ok := strings.CutPrefix(link, "/etc/runit/")
		if !ok {
			t.Skipf("/etc/service links to %s, outside /etc/runit", link)
		}
		for name, body := range services {
			scripts[filepath.Join(rel, name)] = body
		}
		svc = func(p *pid1) string { return filepath.Join(p.etc, rel) }
	} else if fi, err := os.Stat("/etc/service"); err == nil && fi.IsDir() {
		dir := t.TempDir()
		for name, body := range services {
			writeFile(t, filepath.Join(dir, name), body, 0o755)
		}
		extra = `mount --bind "` + dir + `" /etc/service; `
		svc = func(*pid1) string { return dir }
	} else {
		t.Skip("needs /etc/service (a directory or Debian's symlink) to put the example's service in")
	}
	for _, tool := range []string{"runsvdir", "runsv", "sv"} {
		extra += `mount --bind "` + ourBin(t, tool) + `" /usr/bin/` + tool + "; "
	}
	env := dockerfileEnv(t, filepath.Join(ex, "Dockerfile"))
	p := startPID1Setup(t, ourBin(t, "runit"), scripts, env, false, strings.TrimSuffix(extra, "; "))
	p.expect(30*time.Second, "hello from a supervised service")
	stat := func() string { return readFile(filepath.Join(svc(p), "hello/supervise/stat")) }
	waitFor(t, 10*time.Second, "hello's supervise/stat to read run", func() bool { return stat() == "run\n" })
	for _, f := range []string{"stopit", "reboot"} {
		if fi, err := os.Stat(filepath.Join(p.etc, f)); err != nil {
			t.Errorf("%s after stage 1: %v", f, err)
		} else if fi.Mode().Perm() != 0 {
			t.Errorf("%s after stage 1: mode %v, want 0 (not requested)", f, fi.Mode().Perm())
		}
	}
	probe := filepath.Join(svc(p), "probe")
	waitFor(t, 20*time.Second, "the probe service to be done", func() bool {
		_, err := os.Stat(filepath.Join(probe, "probe.done"))
		return err == nil
	})
	if out := readFile(filepath.Join(probe, "probe.out")); !strings.HasPrefix(out, "run: hello: (pid ") {
		t.Errorf("a service's `sv status hello`: %q, want run: hello: (pid ...", out)
	}
	// docker exec: a command in the container's namespaces with the image's environment.
	execEnv := append([]string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}, env...)
	args := append([]string{"--target", strconv.Itoa(p.runitPid()), "--mount", "--pid", "--", "env", "-i"}, execEnv...)
	if r := run(t, "", nil, "nsenter", append(args, "sv", "status", "hello")...); r.code != 0 || !strings.HasPrefix(r.stdout, "run: hello: (pid ") {
		t.Errorf("docker exec's `sv status hello`: exit %d, %q %q; want run: hello: (pid ...", r.code, r.stdout, r.stderr)
	}
	p.signal(syscall.SIGTERM)
	p.expect(10*time.Second, "- runit: enter stage: /etc/runit/3")
	p.expect(20*time.Second, "- runit: sending KILL signal to all processes...")
	if code := p.exitCode(20 * time.Second); code != 0 {
		t.Errorf("container init exited %d, want 0", code)
	}
	if st := stat(); st != "down\n" {
		t.Errorf("hello after the stop: stat %q, want down", st)
	}
	if tr := p.transcript(); strings.Contains(tr, "system reboot.") || !strings.Contains(tr, "- runit: system halt.") {
		t.Errorf("the stop did not end in a halt (a reboot flag left set?)")
	}
}

// dockerfileEnv is what the Dockerfile's ENV lines (KEY=VALUE, unquoted) give process 1.
func dockerfileEnv(t *testing.T, path string) []string {
	t.Helper()
	var env []string
	for _, l := range strings.Split(readFile(path), "\n") {
		if rest, ok := strings.CutPrefix(l, "ENV "); ok {
			for _, kv := range strings.Fields(rest) {
				if !strings.Contains(kv, "=") || strings.ContainsAny(kv, `"'`) {
					t.Fatalf("%s: ENV %q: only unquoted KEY=VALUE is understood here", path, rest)
				}
				env = append(env, kv)
			}
		}
	}
	return env
}

// Signals runit does not act on leave process 1 running, whether they come from inside
// (stage 2) or from the host: Go's default for them would end it with status 2, where C
// runit, as process 1, never dies of them. 34 is SIGRTMIN, 40 a realtime signal Go can
// catch. A SIGTERM afterwards still shuts down normally.
func TestRunitPID1SurvivesOtherSignals(t *testing.T) {
	pid1Needs(t)
	nums := []syscall.Signal{syscall.SIGABRT, syscall.SIGTRAP, syscall.SIGSYS, syscall.SIGUSR1,
		syscall.SIGUSR2, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGSEGV, 34, 40}
	var list []string
	for _, s := range nums {
		list = append(list, strconv.Itoa(int(s)))
	}
	p := startPID1(t, ourBin(t, "runit"), map[string]string{
		"1": stage1OK,
		"2": "#!/bin/sh\nfor s in " + strings.Join(list, " ") + "; do kill -$s 1 || echo KILL-FAILED; done\necho S2-fired\nexec sleep 1000\n",
		"3": "#!/bin/sh\necho S3-ran\nexit 7\n",
	}, nil, false)
	p.expect(20*time.Second, "S2-fired")
	for _, s := range nums {
		p.signal(s)
	}
	p.signal(syscall.SIGTERM)
	p.expect(10*time.Second, "- runit: leave stage: /etc/runit/2")
	p.expect(10*time.Second, "S3-ran")
	if code := p.exitCode(20 * time.Second); code != 7 {
		t.Errorf("process 1 exited %d, want 7 (stage 3's exit code)", code)
	}
	if strings.Contains(p.transcript(), "KILL-FAILED") {
		t.Errorf("stage 2 could not signal process 1")
	}
}

// Our etc/runit/2 starts runsvdir exactly as Debian's stage 2 does: the same arguments
// (-P, the directory, the 402-byte log argument whose scrolling once overwrote the
// directory, issue 12) in an emptied environment holding only PATH. Each script's final
// `exec env - ...` runs, after the variables the script sets at its top, with a
// stand-in runsvdir that prints its arguments and the names in its environment (PWD there
// is the stand-in shell's own).
func TestStage2CommandLineIsDebians(t *testing.T) {
	deb := readFile("/etc/runit/2")
	if !strings.Contains(deb, "runsvdir") {
		if strictTests() {
			t.Fatal("needs Debian's runit stage 2 in /etc/runit/2")
		}
		t.Skip("needs Debian's runit stage 2 in /etc/runit/2 (apt-get install runit)")
	}
	stub := t.TempDir()
	writeFile(t, filepath.Join(stub, "runsvdir"), "#!/bin/sh\nprintf '[%s]\\n' \"$@\"\nenv | sed 's/=.*//' | sort\n", 0o755)
	assign := regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*=`)
	start := func(name, script string) string {
		t.Helper()
		var sh []string
		for _, l := range strings.Split(strings.ReplaceAll(script, "\\\n", " "), "\n") {
			if assign.MatchString(l) {
				sh = append(sh, l)
			}
			if strings.HasPrefix(l, "exec env - ") {
				sh = append(sh, `PATH="$STUB:$PATH"`, l)
			}
		}
		r := run(t, "", []string{"STUB=" + stub}, "sh", "-c", strings.Join(sh, "\n"))
		if r.code != 0 || r.stderr != "" || !strings.HasPrefix(r.stdout, "[-P]\n") {
			t.Fatalf("%s's stage 2 command (%q): exit %d, %q %q", name, sh, r.code, r.stdout, r.stderr)
		}
		return r.stdout
	}
	want := start("Debian", deb)
	if got := start("our", readFile(filepath.Join(repoRoot, "etc/runit/2"))); got != want {
		t.Errorf("our stage 2 starts runsvdir with\n%s\nDebian's with\n%s", got, want)
	}
}
