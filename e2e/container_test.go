//go:build linux

package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The container example (examples/container) under a real engine: podman with runc from
// Debian's packages, driven through ci/container/podman (the options this kind of machine
// needs), on an image built from scratch by ci/container/image.sh --test from the tools
// this test builds and Debian's busybox-static. Each case starts a container of its own
// from the one image; two run at a time.

// engine is the podman wrapper (its containers.conf has what this machine needs) and the
// test image.
type engine struct {
	bin   string
	image string
}

// needEngine returns podman (with runc) ready for use, or skips: these tests need root
// and Debian's podman, runc, tini, catatonit and runit (ci/deps.sh installs them).
func needEngine(t *testing.T) *engine {
	t.Helper()
	needRoot(t)
	for _, p := range []string{"podman", "runc", "tini-static", "catatonit"} {
		if _, err := exec.LookPath(p); err != nil {
			if strictTests() {
				t.Fatalf("%s is not installed; .ci/run must install it (ci/deps.sh)", p)
			}
			t.Skipf("%s is not installed (apt-get install podman runc tini catatonit): container tests skipped", p)
		}
	}
	cBin(t, "runit") // C runit goes into the image for the comparison
	return &engine{bin: filepath.Join(repoRoot, "ci/container/podman")}
}

// buildImage builds the test image from our freshly built tools; it is removed at the end.
func (e *engine) buildImage(t *testing.T) {
	t.Helper()
	dir := binDir(t, "runit", "runit-init", "runsvdir", "runsv", "sv", "svlogd", "chpst")
	e.image = fmt.Sprintf("localhost/runit-go-e2e:%d", os.Getpid())
	start := time.Now()
	cmd := exec.Command(filepath.Join(repoRoot, "ci/container/image.sh"), "--test", e.image)
	cmd.Env = append(os.Environ(), "BIN="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ci/container/image.sh: %v\n%s", err, out)
	}
	t.Logf("image %s built in %.1fs", e.image, time.Since(start).Seconds())
	t.Cleanup(func() { exec.Command(e.bin, "rmi", "-f", e.image).Run() })
}

// podman runs the engine to completion.
func (e *engine) podman(t testing.TB, args ...string) result {
	t.Helper()
	return run(t, "", nil, e.bin, args...)
}

// ctr is one container of a case.
type ctr struct {
	e       *engine
	t       *testing.T
	name    string
	started time.Time // just before podman run
}

// start runs a container in the background: opts go before the image, args after it.
func (e *engine) start(t *testing.T, opts []string, args ...string) *ctr {
	t.Helper()
	c := &ctr{e: e, t: t, name: fmt.Sprintf("runit-go-e2e-%d-%s", os.Getpid(),
		strings.NewReplacer("/", "-", " ", "-").Replace(t.Name()[strings.LastIndex(t.Name(), "/")+1:]))}
	e.podman(t, "rm", "-f", "-t", "0", c.name)
	c.started = time.Now()
	argv := append(append([]string{"run", "-d", "--name", c.name}, opts...), e.image)
	argv = append(argv, args...)
	if r := e.podman(t, argv...); r.code != 0 {
		t.Fatalf("podman %s: exit %d: %s", strings.Join(argv, " "), r.code, r.stderr)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("%s's output:\n%s", c.name, c.logs())
		}
		e.podman(t, "rm", "-f", "-v", "-t", "0", c.name)
	})
	return c
}

func (c *ctr) exec(args ...string) result {
	c.t.Helper()
	return c.e.podman(c.t, append([]string{"exec", c.name}, args...)...)
}

// sh runs a shell command line in the container and fails the test unless it succeeds.
func (c *ctr) sh(script string) string {
	c.t.Helper()
	r := c.exec("/bin/sh", "-c", script)
	if r.code != 0 {
		c.t.Fatalf("exec %q: exit %d: %s%s", script, r.code, r.stdout, r.stderr)
	}
	return r.stdout
}

func (c *ctr) logs() string {
	r := c.e.podman(c.t, "logs", c.name)
	return r.stdout + r.stderr
}

// state is the container's status (running, exited ...) and exit code, or an error
// when podman inspect fails: it can while the container is exiting (it reads
// /proc/PID/cgroup of a process that is just gone), so callers poll again.
func (c *ctr) state() (string, int, error) {
	c.t.Helper()
	r := c.e.podman(c.t, "inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", c.name)
	f := strings.Fields(r.stdout)
	if r.code != 0 || len(f) != 2 {
		return "", 0, fmt.Errorf("podman inspect %s: exit %d: %s%s", c.name, r.code, r.stdout, r.stderr)
	}
	code, _ := strconv.Atoi(f[1])
	return f[0], code, nil
}

func (c *ctr) waitLog(what string) {
	c.t.Helper()
	waitFor(c.t, 20*time.Second, c.name+"'s output to show "+strconv.Quote(what), func() bool {
		return strings.Contains(c.logs(), what)
	})
}

// startup waits for the example service's greeting and returns how long after
// `podman run` it came (podman logs is polled: about 50 ms late at worst).
func (c *ctr) startup() time.Duration {
	c.t.Helper()
	c.waitLog("hello from a supervised service")
	return time.Since(c.started)
}

// waitExit waits for the container to end and returns its exit code.
func (c *ctr) waitExit() int {
	c.t.Helper()
	var code int
	waitFor(c.t, 20*time.Second, c.name+" to exit", func() bool {
		st, n, err := c.state()
		if err != nil {
			c.t.Log(err) // polled again; a lasting failure ends in the timeout
			return false
		}
		code = n
		return st == "exited" || st == "stopped"
	})
	return code
}

// svPid waits until `sv status NAME`, run through exec, says the service is up, and
// returns its pid.
func (c *ctr) svPid(name string) int {
	c.t.Helper()
	var pid int
	waitFor(c.t, 20*time.Second, name+" up in "+c.name, func() bool {
		r := c.exec("sv", "status", name)
		rest, ok := strings.CutPrefix(r.stdout, "run: "+name+": (pid ")
		if !ok {
			return false
		}
		pid, _ = strconv.Atoi(rest[:strings.IndexByte(rest, ')')])
		return pid > 0
	})
	return pid
}

// stop stops the container with `podman stop -t grace`, and returns its exit code and
// how long the stop took.
func (c *ctr) stop(grace int) (int, time.Duration) {
	c.t.Helper()
	start := time.Now()
	if r := c.e.podman(c.t, "stop", "-t", strconv.Itoa(grace), c.name); r.code != 0 {
		c.t.Fatalf("podman stop %s: exit %d: %s", c.name, r.code, r.stderr)
	}
	took := time.Since(start)
	return c.waitExit(), took
}

// expectCleanStop checks that stage 3 ran to its end and the container exited 0, which
// under `podman stop` means it ended before the engine's SIGKILL (that gives 137).
func (c *ctr) expectCleanStop(code int, took time.Duration, grace int) {
	c.t.Helper()
	c.t.Logf("%s: stopped in %.2fs (grace period %d s), exit %d", c.name, took.Seconds(), grace, code)
	if code != 0 {
		c.t.Errorf("exit code %d, want 0 (stage 3's status; 137 is the engine's SIGKILL)", code)
	}
	if l := c.logs(); !strings.Contains(l, "leave stage: /etc/runit/3") {
		c.t.Errorf("stage 3 did not finish:\n%s", l)
	}
}

// procs lists the container's processes from /proc: pid, parent, state and name.
type proc struct {
	pid, ppid int
	state     string
	comm      string
}

func (c *ctr) procs() []proc {
	c.t.Helper()
	// Each line: "pid (comm) S ppid ..."; a process gone between glob and cat is skipped.
	out := c.sh(`for f in /proc/[0-9]*/stat; do cat "$f" 2>/dev/null; echo; done`)
	var ps []proc
	for _, l := range strings.Split(out, "\n") {
		i, j := strings.IndexByte(l, '('), strings.LastIndexByte(l, ')')
		if i < 0 || j < i {
			continue
		}
		f := strings.Fields(l[j+1:])
		if len(f) < 2 {
			continue
		}
		p := proc{comm: l[i+1 : j], state: f[0]}
		p.pid, _ = strconv.Atoi(strings.TrimSpace(l[:i]))
		p.ppid, _ = strconv.Atoi(f[1])
		ps = append(ps, p)
	}
	return ps
}

func TestContainerPodman(t *testing.T) {
	e := needEngine(t)
	e.buildImage(t)
	slots := make(chan struct{}, 2) // two containers at a time: the machine has 2 cores
	var mu sync.Mutex
	var times []string // the measurements, logged together at the end
	measure := func(format string, a ...any) {
		mu.Lock()
		defer mu.Unlock()
		times = append(times, fmt.Sprintf(format, a...))
	}
	t.Cleanup(func() {
		t.Logf("measured:\n  %s", strings.Join(times, "\n  "))
	})

	cases := []struct {
		name string
		opts []string
		args []string
		test func(t *testing.T, c *ctr)
	}{
		{"up", nil, nil, func(t *testing.T, c *ctr) {
			c.svPid("hello")
			c.waitLog("hello from a supervised service")
			// The services that start down stay down; the one in the example is up.
			if out := c.sh("sv status /etc/service/*"); !strings.Contains(out, "down: /etc/service/deaf:") {
				t.Errorf("sv status /etc/service/*:\n%s", out)
			}
		}},
		// Start (podman run to the service's greeting) and stop times, beside C runit's
		// (Debian's /sbin/runit with the same stages) and tini's (its child the service
		// itself, no supervision).
		{"stop", nil, nil, func(t *testing.T, c *ctr) {
			up := c.startup()
			c.svPid("hello")
			// The image links /sbin/runit to runsvdir's program (one text for process 1,
			// runsvdir, its host and the logger pool): process 1 runs it as runit.
			if f := strings.Fields(c.sh("stat -L -c %i /proc/1/exe /usr/bin/runsvdir; tr '\\0' ' ' </proc/1/cmdline")); len(f) < 3 || f[0] != f[1] || f[2] != "/sbin/runit" {
				t.Errorf("process 1 (inode, inode of runsvdir, argv): %q: want runsvdir's program as /sbin/runit", f)
			}
			code, took := c.stop(10)
			c.expectCleanStop(code, took, 10)
			measure("runit-go: start %.2fs, podman stop -t 10 %.2fs, exit %d", up.Seconds(), took.Seconds(), code)
		}},
		{"c-runit", []string{"--entrypoint", "/sbin/runit-c"}, nil, func(t *testing.T, c *ctr) {
			up := c.startup()
			c.svPid("hello")
			// C runit ignores SIGTERM: the engine kills it when the grace period ends.
			code, took := c.stop(3)
			measure("C runit:  start %.2fs, podman stop -t 3 %.2fs, exit %d", up.Seconds(), took.Seconds(), code)
		}},
		{"tini-alone", []string{"--entrypoint", "/sbin/tini"},
			[]string{"--", "/bin/sh", "-c", "echo hello from a supervised service; exec sleep 1000000"},
			func(t *testing.T, c *ctr) {
				up := c.startup()
				code, took := c.stop(10)
				measure("tini:     start %.2fs, podman stop -t 10 %.2fs, exit %d (no supervision)", up.Seconds(), took.Seconds(), code)
			}},
		// Logs both in files and in the engine's log: svlogd's e* config line.
		{"logs-both", nil, nil, func(t *testing.T, c *ctr) {
			c.svPid("hello")
			c.sh("sv up logboth")
			c.waitLog("logboth: line 2")
			waitFor(t, 20*time.Second, "logboth's lines in its log file too", func() bool {
				r := c.exec("cat", "/etc/service/logboth/log/main/current")
				return strings.Contains(r.stdout, "logboth: line 2")
			})
		}},
		{"killed-service-restarts", nil, nil, func(t *testing.T, c *ctr) {
			pid := c.svPid("hello")
			c.sh(fmt.Sprintf("kill -KILL %d", pid))
			waitFor(t, 20*time.Second, "hello restarted with a new pid", func() bool {
				r := c.exec("sv", "status", "hello")
				return strings.HasPrefix(r.stdout, "run: hello: (pid ") &&
					!strings.HasPrefix(r.stdout, fmt.Sprintf("run: hello: (pid %d)", pid))
			})
		}},
		{"orphans-reaped", nil, nil, func(t *testing.T, c *ctr) {
			c.svPid("hello")
			c.sh("sv up orphans")
			c.waitLog("orphans: 300 spawned")
			// The service counted the sleeps right after the spawn: hello's and the
			// orphans' (they sleep 3 s). There must have been orphans for the test to mean
			// anything.
			l := c.logs()
			line, _, _ := strings.Cut(l[strings.Index(l, "orphans: 300 spawned"):], "\n")
			var sleeps int
			if _, err := fmt.Sscanf(line, "orphans: 300 spawned, %d sleeps", &sleeps); err != nil || sleeps < 2 {
				t.Fatalf("no orphan seen (%v):\n%s", err, l)
			}
			t.Log(line)
			// Then all are reaped: no zombie, and no sleep left but hello's and orphans'.
			waitFor(t, 20*time.Second, "300 orphans reaped (no zombie, no orphan left)", func() bool {
				n := 0
				for _, p := range c.procs() {
					if p.state == "Z" {
						return false
					}
					if p.comm == "sleep" {
						n++
					}
				}
				return n == 2
			})
			// Orphans from outside the supervision tree (podman exec) go to process 1
			// itself, runit, which must reap them too.
			c.sh(`i=0; while [ $i -lt 300 ]; do (sleep 5 &); i=$((i+1)); done`)
			held := 0
			for _, p := range c.procs() {
				if p.comm == "sleep" && p.ppid == 1 {
					held++
				}
			}
			t.Logf("%d orphans of podman exec were process 1's just after", held)
			if held == 0 {
				t.Fatal("no orphan of podman exec reached process 1")
			}
			waitFor(t, 20*time.Second, "process 1 to reap the orphans of podman exec", func() bool {
				for _, p := range c.procs() {
					if p.state == "Z" || (p.comm == "sleep" && p.ppid == 1) {
						return false
					}
				}
				return true
			})
		}},
		{"restart", nil, nil, func(t *testing.T, c *ctr) {
			c.svPid("hello")
			start := time.Now()
			if r := c.e.podman(t, "restart", "-t", "10", c.name); r.code != 0 {
				t.Fatalf("podman restart: exit %d: %s", r.code, r.stderr)
			}
			c.svPid("hello")
			measure("restart, runit-go:        %.2fs to hello up again", time.Since(start).Seconds())
			if n := strings.Count(c.logs(), "enter stage: /etc/runit/1"); n != 2 {
				t.Errorf("stage 1 ran %d times, want 2 (start, restart)", n)
			}
		}},
		// LXC and Incus stop a container with SIGPWR, restart it with SIGINT; the example's
		// README says which scripts make runit act on them.
		{"sigpwr-lxc-stop", nil, nil, func(t *testing.T, c *ctr) {
			c.svPid("hello")
			c.sh(`printf '#!/bin/sh\necho "pwrfail: stop requested"\n' >/etc/runit/pwrfail && chmod 755 /etc/runit/pwrfail`)
			c.e.podman(t, "kill", "--signal", "PWR", c.name)
			code := c.waitExit()
			if l := c.logs(); !strings.Contains(l, "pwrfail: stop requested") || !strings.Contains(l, "leave stage: /etc/runit/3") {
				t.Errorf("pwrfail or stage 3 did not run:\n%s", l)
			}
			if code != 0 {
				t.Errorf("exit code %d, want 0", code)
			}
		}},
		{"sigint-lxc-restart", nil, nil, func(t *testing.T, c *ctr) {
			c.svPid("hello")
			c.sh(`printf '#!/bin/sh\n: >/etc/runit/stopit && chmod 100 /etc/runit/stopit\n: >/etc/runit/reboot && chmod 100 /etc/runit/reboot\n' >/etc/runit/ctrlaltdel && chmod 755 /etc/runit/ctrlaltdel`)
			c.e.podman(t, "kill", "--signal", "INT", c.name)
			code := c.waitExit()
			// No CAP_SYS_BOOT under podman: reboot(2) is refused and runit exits with stage
			// 3's status; under LXC it ends the container as a reboot, which LXC restarts.
			l := c.logs()
			if !strings.Contains(l, "leave stage: /etc/runit/3") || !strings.Contains(l, "system reboot") {
				t.Errorf("stage 3 and the reboot did not happen:\n%s", l)
			}
			if code != 0 {
				t.Errorf("exit code %d, want 0", code)
			}
		}},
		// Stage 3 gives the services SVWAIT seconds (the container's environment; 3 by
		// default), then SIGKILL: under podman's 5 s grace period the container still ends
		// by itself, with 0.
		{"term-deaf-service", []string{"-e", "SVWAIT=2"}, nil, func(t *testing.T, c *ctr) {
			c.svPid("hello")
			c.sh("sv up deaf")
			c.svPid("deaf")
			code, took := c.stop(5)
			c.expectCleanStop(code, took, 5)
			measure("stop, a TERM-deaf service: %.2fs exit %d (SVWAIT=2, podman stop -t 5)", took.Seconds(), code)
		}},
		// An init shim as process 1, runit its child: /etc/runit/subreaper (which the
		// example ships) lets runit run there; the shim passes SIGTERM on.
		{"tini-in-front", []string{"--entrypoint", `["/sbin/tini", "--", "/sbin/runit"]`}, nil, func(t *testing.T, c *ctr) {
			c.svPid("hello")
			if out := c.sh("cat /proc/1/comm"); out != "tini\n" {
				t.Errorf("process 1 is %q, want tini", out)
			}
			code, took := c.stop(10)
			c.expectCleanStop(code, took, 10)
			measure("tini, runit-go its child: podman stop -t 10 %.2fs, exit %d", took.Seconds(), code)
		}},
		{"catatonit-in-front", []string{"--entrypoint", `["/sbin/catatonit", "--", "/sbin/runit"]`}, nil, func(t *testing.T, c *ctr) {
			c.svPid("hello")
			if out := c.sh("cat /proc/1/comm"); out != "catatonit\n" {
				t.Errorf("process 1 is %q, want catatonit", out)
			}
			code, took := c.stop(10)
			c.expectCleanStop(code, took, 10)
		}},
		// podman's own --init (docker run --init): catatonit, bind-mounted, as process 1.
		{"podman-init", []string{"--init"}, nil, func(t *testing.T, c *ctr) {
			c.svPid("hello")
			if out := c.sh("cat /proc/1/comm"); out != "catatonit\n" && out != "podman-init\n" {
				t.Errorf("process 1 is %q, want podman's init shim", out)
			}
			code, took := c.stop(10)
			c.expectCleanStop(code, took, 10)
		}},
		{"not-pid1-refused", []string{"--entrypoint", `["/sbin/tini", "--", "/bin/sh", "-c", "rm /etc/runit/subreaper && exec /sbin/runit"]`}, nil, func(t *testing.T, c *ctr) {
			if code := c.waitExit(); code != 111 {
				t.Errorf("exit code %d, want 111", code)
			}
			if l := c.logs(); !strings.Contains(l, "runit: fatal: must be run as process no 1.") {
				t.Errorf("output:\n%s", l)
			}
		}},
		// A main service: its finish is /etc/runit/main-finish, so its end stops the
		// container with its exit code.
		{"main-service-exit-code", nil, nil, func(t *testing.T, c *ctr) {
			c.svPid("hello")
			c.sh("sv up app")
			if code := c.waitExit(); code != 3 {
				t.Errorf("exit code %d, want 3 (the main service's)", code)
			}
			if l := c.logs(); !strings.Contains(l, "main-finish: app exited 3") || !strings.Contains(l, "leave stage: /etc/runit/3") {
				t.Errorf("main-finish or stage 3 did not run:\n%s", l)
			}
		}},
		// The container's environment reaches the services only with /etc/runit/keep-env.
		{"keep-env", []string{"-e", "GREETING=hi"}, nil, func(t *testing.T, c *ctr) {
			c.svPid("hello")
			c.sh("sv up envdump")
			c.waitLog("envdump: GREETING=unset")
			c.sh("touch /etc/runit/keep-env")
			if r := c.e.podman(t, "restart", "-t", "10", c.name); r.code != 0 {
				t.Fatalf("podman restart: exit %d: %s", r.code, r.stderr)
			}
			c.svPid("hello")
			c.sh("sv up envdump")
			c.waitLog("envdump: GREETING=hi")
		}},
		{"read-only", []string{"--read-only", "--tmpfs", "/run"}, nil, func(t *testing.T, c *ctr) {
			c.svPid("hello")
			if r := c.exec("touch", "/etc/x"); r.code == 0 {
				t.Fatal("the root file system is writable")
			}
			code, took := c.stop(10)
			c.expectCleanStop(code, took, 10)
		}},
		// Kubernetes' readOnlyRootFilesystem with runAsUser (examples/kubernetes): the
		// tmpfs podman puts at /run is root's, mode 755, whatever --tmpfs says (podman
		// 4.3), so the user gets /run/runit from a volume, as a pod from an emptyDir.
		{"read-only-user-nobody", []string{"--read-only", "--user", "65534:65534", "-v", "/run/runit"}, nil, func(t *testing.T, c *ctr) {
			c.svPid("hello")
			code, took := c.stop(10)
			c.expectCleanStop(code, took, 10)
		}},
		// Without that volume the services cannot run (supervise/ is unwritable), but
		// the container still starts and stops cleanly: stage 3 runs to its end.
		{"read-only-user-no-run", []string{"--read-only", "--user", "65534:65534"}, nil, func(t *testing.T, c *ctr) {
			c.waitLog("enter stage: /etc/runit/2")
			code, took := c.stop(10)
			c.expectCleanStop(code, took, 10)
			if l := c.logs(); strings.Contains(l, "child failed") {
				t.Errorf("a stage failed:\n%s", l)
			}
		}},
		{"user-nobody", []string{"--user", "65534:65534"}, nil, func(t *testing.T, c *ctr) {
			c.svPid("hello")
			if out := c.sh("grep ^Uid: /proc/1/status"); !strings.Contains(out, "\t65534\t") {
				t.Errorf("process 1 is not 65534: %s", out)
			}
			code, took := c.stop(10)
			c.expectCleanStop(code, took, 10)
		}},
	}
	// examples/kubernetes/pod.yaml through `podman play kube`, the test image in place of
	// the example's: read-only root, user 65534, /run an emptyDir.
	t.Run("kubernetes-pod", func(t *testing.T) {
		pod := fmt.Sprintf("runit-go-e2e-%d-pod", os.Getpid())
		y := readFile(filepath.Join(repoRoot, "examples/kubernetes/pod.yaml"))
		y = strings.Replace(y, "image: localhost/runit-go-example:latest", "image: "+e.image, 1)
		y = strings.Replace(y, "name: runit-go-demo\n", "name: "+pod+"\n", 1)
		file := filepath.Join(t.TempDir(), "pod.yaml")
		writeFile(t, file, y, 0o644)
		t.Cleanup(func() { e.podman(t, "pod", "rm", "-f", pod) })
		if r := e.podman(t, "play", "kube", file); r.code != 0 {
			t.Fatalf("podman play kube: exit %d: %s", r.code, r.stderr)
		}
		c := &ctr{e: e, t: t, name: pod + "-demo"}
		c.svPid("hello")
		if out := c.sh("grep ^Uid: /proc/1/status"); !strings.Contains(out, "\t65534\t") {
			t.Errorf("process 1 is not 65534: %s", out)
		}
		if r := c.exec("touch", "/etc/x"); r.code == 0 {
			t.Error("the root file system is writable")
		}
		start := time.Now()
		if r := e.podman(t, "pod", "stop", pod); r.code != 0 {
			t.Fatalf("podman pod stop: exit %d: %s", r.code, r.stderr)
		}
		c.expectCleanStop(c.waitExit(), time.Since(start), 10)
	})
	// examples/compose/compose.yaml through podman-compose, the test image in place of the
	// example's: read-only root, user 65534, podman's --init in front.
	t.Run("compose", func(t *testing.T) {
		if _, err := exec.LookPath("podman-compose"); err != nil {
			if strictTests() {
				t.Fatal("podman-compose is not installed; .ci/run must install it (ci/deps.sh)")
			}
			t.Skip("podman-compose is not installed (apt-get install podman-compose)")
		}
		project := fmt.Sprintf("runit-go-e2e-%d", os.Getpid())
		y := readFile(filepath.Join(repoRoot, "examples/compose/compose.yaml"))
		y = strings.Replace(y, "image: localhost/runit-go-example:latest", "image: "+e.image, 1)
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "compose.yaml"), y, 0o644)
		// podman-compose runs podman from PATH: the settings come through CONTAINERS_CONF.
		env := []string{"CONTAINERS_CONF=" + filepath.Join(repoRoot, "ci/container/containers.conf")}
		compose := func(args ...string) result {
			return run(t, dir, env, "podman-compose", append([]string{"-p", project, "-f", "compose.yaml"}, args...)...)
		}
		t.Cleanup(func() { compose("down", "-v") })
		if r := compose("up", "-d"); r.code != 0 {
			t.Fatalf("podman-compose up: exit %d: %s%s", r.code, r.stdout, r.stderr)
		}
		c := &ctr{e: e, t: t, name: project + "_demo_1"}
		c.svPid("hello")
		if out := c.sh("cat /proc/1/comm"); out == "runit\n" {
			t.Errorf("process 1 is runit, want podman's init shim (init: true)")
		}
		start := time.Now()
		if r := compose("stop"); r.code != 0 {
			t.Fatalf("podman-compose stop: exit %d: %s", r.code, r.stderr)
		}
		c.expectCleanStop(c.waitExit(), time.Since(start), 10)
	})
	t.Run("case", func(t *testing.T) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				slots <- struct{}{}
				defer func() { <-slots }()
				c := e.start(t, tc.opts, tc.args...)
				tc.test(t, c)
			})
		}
	})
}
