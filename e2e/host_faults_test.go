package e2e

// Fault injection for the supervision tree: what a service, or the file system under it,
// does must never reach runsvdir, the supervisor host or another service. Each case runs
// in our in-process host mode, in runsvdir -C (one runsv per service) and, where C runit
// specifies the behaviour, against C runsvdir beside them.

import (
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/runit-go/runit/core/protocol"
)

// tree is one running supervision tree: runsvdir on a scan directory.
type tree struct {
	name string
	args []string // runsvdir's options; "C" runs C runit's runsvdir and runsv
}

var trees = []tree{{"host", nil}, {"classic", []string{"-C"}}, {"C", nil}}

// startTree starts the tree's runsvdir on scan; the cleanup stops it and every supervisor.
func startTree(t *testing.T, tr tree, scan string) *runsvdirProc {
	t.Helper()
	if tr.name != "C" {
		return startRunsvdir(t, scan, tr.args...)
	}
	crunsvdir := cBin(t, "runsvdir")
	cBin(t, "runsv")
	p := &runsvdirProc{done: make(chan struct{})}
	p.cmd = exec.Command(crunsvdir, scan)
	p.cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(crunsvdir)+":/usr/bin:/bin")
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		p.cmd.Process.Signal(syscall.SIGHUP)
		<-p.done
		stopSupervisors(t, scan, 10*time.Second)
	})
	return p
}

// fdScript records the descriptors a program inherited: ls lists /proc/self/fd, where
// its own directory descriptor shows too, the same under every supervisor.
const fdScript = `ls /proc/self/fd | tr '\n' ' ' > $1.tmp; mv $1.tmp $1`

// TestServiceInheritsOnlyRunitFds: ./run, ./finish and log/run inherit exactly what C
// runsv gives them (stdin, stdout, stderr), never a descriptor of the supervisor's (the
// host's pipes to runsvdir used to leak into every service as fds 3 and 4).
func TestServiceInheritsOnlyRunitFds(t *testing.T) {
	if _, err := os.Stat("/proc/self/fd"); err != nil {
		t.Skip("no /proc/self/fd on this system")
	}
	got := map[string]string{}
	for _, tr := range trees {
		scan := t.TempDir()
		svc := newService(t, scan, "fds", "#!/bin/sh\n"+strings.ReplaceAll(fdScript, "$1", "run.fds")+
			"\nexec sleep 1000\n")
		writeFile(t, filepath.Join(svc, "finish"), "#!/bin/sh\n"+strings.ReplaceAll(fdScript, "$1", "finish.fds")+"\n", 0o755)
		writeFile(t, filepath.Join(svc, "log", "run"), "#!/bin/sh\n"+strings.ReplaceAll(fdScript, "$1", "../log.fds")+
			"\nexec cat >/dev/null\n", 0o755)
		startTree(t, tr, scan)
		waitFor(t, 15*time.Second, tr.name+": run and log/run recorded their descriptors", func() bool {
			return readFile(filepath.Join(svc, "run.fds")) != "" && readFile(filepath.Join(svc, "log.fds")) != ""
		})
		sendCtl(svc, "d")
		waitFor(t, 15*time.Second, tr.name+": finish recorded its descriptors", func() bool {
			return readFile(filepath.Join(svc, "finish.fds")) != ""
		})
		for _, f := range []string{"run.fds", "finish.fds", "log.fds"} {
			got[tr.name+" "+f] = readFile(filepath.Join(svc, f))
		}
	}
	for _, f := range []string{"run.fds", "finish.fds", "log.fds"} {
		want := got["C "+f]
		for _, tr := range trees[:2] {
			if g := got[tr.name+" "+f]; g != want {
				t.Errorf("%s: %s inherited fds %q, C runsv's %q", tr.name, f, g, want)
			}
		}
	}
}

// TestFailedStartRetried: a start that fails is tried again every second, as runsv does:
// a run that becomes executable a moment after its directory appears (the normal way a
// service is created), and a finish that is not executable.
func TestFailedStartRetried(t *testing.T) {
	for _, tr := range trees {
		t.Run(tr.name, func(t *testing.T) {
			t.Parallel()
			scan := t.TempDir()
			late := newService(t, scan, "late", "#!/bin/sh\nexec sleep 1000\n")
			os.Chmod(filepath.Join(late, "run"), 0o644)
			starts := newService(t, scan, "badfinish", "#!/bin/sh\necho x >> starts\nexit 1\n")
			writeFile(t, filepath.Join(starts, "finish"), "#!/bin/sh\nexit 0\n", 0o644)
			startTree(t, tr, scan)
			waitFor(t, 15*time.Second, "late's first start to fail", func() bool {
				return fileExists(filepath.Join(late, "supervise", "status")) && !running(t, late)
			})
			if err := os.Chmod(filepath.Join(late, "run"), 0o755); err != nil {
				t.Fatal(err)
			}
			waitFor(t, 15*time.Second, "late running once its run is executable", func() bool { return running(t, late) })
			waitFor(t, 15*time.Second, "badfinish started again and again", func() bool {
				return strings.Count(readFile(filepath.Join(starts, "starts")), "x") >= 4
			})
		})
	}
}

// procsIn lists the live (not zombie) processes whose working directory is dir: the
// instances of a service's ./run (or log/run), whatever they exec'd.
func procsIn(dir string) []int {
	names, _ := filepath.Glob("/proc/[0-9]*")
	var pids []int
	for _, p := range names {
		if cwd, err := os.Readlink(p + "/cwd"); err != nil || cwd != dir {
			continue
		}
		stat := readFile(p + "/stat")
		if i := strings.LastIndexByte(stat, ')'); i < 0 || strings.HasPrefix(stat[i+1:], " Z") {
			continue
		}
		pid, _ := strconv.Atoi(filepath.Base(p))
		pids = append(pids, pid)
	}
	return pids
}

// hostPid returns the pid of runsvdir's (first) supervisor host, or 0.
func hostPid(runsvdir int) int {
	if pids := hostPids(runsvdir); len(pids) > 0 {
		return pids[0]
	}
	return 0
}

// TestHostDeathRunsNothingTwice: when the supervisor host dies (kill -9, at random moments
// while services start and restart), every service runs once afterwards: what the dead
// host left running is stopped before a new host starts the services again, and nothing
// is left unsupervised. It used to leave each old ./run running beside a new one. With 10
// services for many rounds, and with 100 for a few, the first kill during the start-up.
func TestHostDeathRunsNothingTwice(t *testing.T) {
	if _, err := os.Stat("/proc/self/cwd"); err != nil {
		t.Skip("needs /proc to count a service's processes")
	}
	for _, c := range []struct{ steady, flappy, rounds int }{{6, 4, 8}, {90, 10, 3}} {
		t.Run(fmt.Sprintf("%d services", c.steady+c.flappy), func(t *testing.T) {
			hostDeathRounds(t, c.steady, c.flappy, c.rounds)
		})
	}
}

func hostDeathRounds(t *testing.T, nSteady, nFlappy, rounds int) {
	scan := t.TempDir()
	var steady, flappy []string
	for i := 0; i < nSteady; i++ {
		d := newService(t, scan, fmt.Sprintf("steady%02d", i), "#!/bin/sh\nexec sleep 1000\n")
		writeFile(t, filepath.Join(d, "log", "run"), "#!/bin/sh\nexec cat >/dev/null\n", 0o755)
		steady = append(steady, d)
	}
	for i := 0; i < nFlappy; i++ {
		flappy = append(flappy, newService(t, scan, fmt.Sprintf("flappy%02d", i), "#!/bin/sh\nexec sleep 0.$$\n"))
	}
	p := startRunsvdir(t, scan)
	rnd := rand.New(rand.NewSource(time.Now().UnixNano()))
	settled := func() bool {
		for _, d := range steady {
			if !running(t, d) || len(procsIn(d)) != 1 || len(procsIn(filepath.Join(d, "log"))) != 1 {
				return false
			}
		}
		return true
	}
	for round := 0; round < rounds; round++ {
		old := map[string]int{}
		if round == 0 {
			// The first kill comes while the services are starting.
			waitFor(t, 30*time.Second, "a supervisor host", func() bool { return hostPid(p.cmd.Process.Pid) != 0 })
		} else {
			waitFor(t, 60*time.Second, "every steady service and log running once", settled)
			for _, d := range steady {
				old[d] = readStatus(t, d).Pid
			}
		}
		host := hostPid(p.cmd.Process.Pid)
		if host == 0 {
			t.Fatal("no supervisor host under runsvdir")
		}
		time.Sleep(time.Duration(rnd.Intn(400)) * time.Millisecond) // a random moment
		if err := syscall.Kill(host, syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(60 * time.Second)
		// Settled means under a new host: the old one gone and another in its place (just
		// after the kill, the dead host's status files still look settled).
		for hostPid(p.cmd.Process.Pid) == host || hostPid(p.cmd.Process.Pid) == 0 || !settled() {
			for _, d := range append(steady, flappy...) {
				if pids := procsIn(d); len(pids) > 1 {
					t.Fatalf("round %d: %s runs %d times: %v", round, filepath.Base(d), len(pids), pids)
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("round %d: the services never settled after the host died", round)
			}
			time.Sleep(5 * time.Millisecond)
		}
		for _, d := range steady {
			if old[d] == 0 {
				continue
			}
			if pids := procsIn(d); syscall.Kill(old[d], 0) == nil && len(pids) == 1 && pids[0] == old[d] {
				continue // taken over as it was: fine too
			}
			if pid := readStatus(t, d).Pid; pid == old[d] {
				t.Errorf("round %d: %s still names the dead host's pid %d", round, filepath.Base(d), pid)
			}
		}
	}
}

// TestForkFailureRecovered: a supervisor host that cannot fork (its user's process limit
// reached) keeps trying; once the limit allows, the killed service runs again, and the
// healthy one was never disturbed nor started twice (the host may even die of the limit,
// as Go's runtime cannot start a thread: then a new host takes over).
func TestForkFailureRecovered(t *testing.T) {
	needRoot(t)
	prlimit, perr := exec.LookPath("prlimit")
	if perr != nil {
		if strictTests() {
			t.Fatal("prlimit (util-linux) is not installed")
		}
		t.Skip("prlimit (util-linux) is not installed")
	}
	root := publicTempDir(t, "runit-nproc-")
	scan := filepath.Join(root, "service")
	a := newService(t, scan, "a", "#!/bin/sh\nexec sleep 1000\n")
	b := newService(t, scan, "b", "#!/bin/sh\nexec sleep 1000\n")
	if out, err := exec.Command("chown", "-R", "65534:65534", scan).CombinedOutput(); err != nil {
		t.Fatalf("chown: %v %s", err, out)
	}
	cmd, errFile := runsvdirAsNobody(t, root, scan, "", a, b)
	waitFor(t, 15*time.Second, "a and b running", func() bool { return running(t, a) && running(t, b) })
	bpid := readStatus(t, b).Pid
	host := hostPid(cmd.Process.Pid)
	if host == 0 {
		t.Fatal("no supervisor host")
	}
	// As the host's own user, which may move its soft limit within the hard one.
	asNobody := func(args ...string) *exec.Cmd {
		c := exec.Command(prlimit, args...)
		c.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		return c
	}
	orig, err := asNobody("--pid", strconv.Itoa(host), "--nproc", "--output=SOFT", "--noheadings").Output()
	if err != nil {
		t.Fatalf("prlimit: %v", err)
	}
	if out, err := asNobody("--pid", strconv.Itoa(host), "--nproc=1:").CombinedOutput(); err != nil {
		t.Fatalf("prlimit: %v %s", err, out)
	}
	syscall.Kill(readStatus(t, a).Pid, syscall.SIGKILL)
	waitFor(t, 15*time.Second, "a failing to restart", func() bool {
		return strings.Contains(readFile(errFile), "unable to start ./run") || hostPid(cmd.Process.Pid) != host
	})
	if hostPid(cmd.Process.Pid) == host {
		// Back to what it was (the hard limit may not be unlimited).
		if out, err := asNobody("--pid", strconv.Itoa(host), "--nproc="+strings.TrimSpace(string(orig))+":").CombinedOutput(); err != nil && hostPid(cmd.Process.Pid) == host {
			t.Fatalf("prlimit back: %v %s", err, out)
		}
	}
	waitFor(t, 30*time.Second, "a running again, b once", func() bool {
		return running(t, a) && running(t, b) && len(procsIn(a)) == 1 && len(procsIn(b)) == 1
	})
	if p := readStatus(t, b).Pid; p != bpid && hostPid(cmd.Process.Pid) == host {
		t.Errorf("b was restarted (pid %d, was %d) though its host lived", p, bpid)
	}
}

// TestSuperviseNewFilesNotFollowed: a supervise/*.new file that is a symlink (the service
// directory's owner can make one) is not written through: the supervisor would truncate
// whatever it points to. C runsv follows it; ours warns and goes on.
func TestSuperviseNewFilesNotFollowed(t *testing.T) {
	root := t.TempDir()
	victim := filepath.Join(root, "victim")
	writeFile(t, victim, "precious\n", 0o644)
	dir := newService(t, root, "svc", "#!/bin/sh\nexec sleep 1000\n")
	for _, f := range []string{"status.new", "stat.new", "pid.new"} {
		writeFile(t, filepath.Join(dir, "supervise", "x"), "", 0o644)
		os.Remove(filepath.Join(dir, "supervise", "x"))
		if err := os.Symlink(victim, filepath.Join(dir, "supervise", f)); err != nil {
			t.Fatal(err)
		}
	}
	p := startRunsv(t, ourBin(t, "runsv"), dir)
	waitFor(t, 10*time.Second, "the refusal to write through the link", func() bool {
		return strings.Contains(p.stderr.String(), "unable to open supervise/status.new")
	})
	sendCtl(dir, "d")
	if got := readFile(victim); got != "precious\n" {
		t.Errorf("the file behind supervise/status.new was written: %q", got)
	}
}

// hostPids returns the pids of runsvdir's supervisor hosts.
func hostPids(runsvdir int) []int {
	names, _ := filepath.Glob("/proc/[0-9]*")
	var pids []int
	for _, p := range names {
		stat := readFile(p + "/stat")
		i := strings.LastIndexByte(stat, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(stat[i+1:])
		if len(f) < 2 || f[0] == "Z" || f[1] != strconv.Itoa(runsvdir) {
			continue
		}
		if strings.HasPrefix(readFile(p+"/cmdline"), "runsvdir-host\x00") {
			pid, _ := strconv.Atoi(filepath.Base(p))
			pids = append(pids, pid)
		}
	}
	return pids
}

// parentOf returns pid's parent pid, or 0.
func parentOf(pid int) int {
	stat := readFile(fmt.Sprintf("/proc/%d/stat", pid))
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(stat[i+1:])
	if len(f) < 2 {
		return 0
	}
	n, _ := strconv.Atoi(f[1])
	return n
}

// TestHostDeathSparesOtherHosts: under an open-files limit that one host cannot hold all
// services in (run as nobody, so it cannot raise it), runsvdir shares them among several
// hosts. When one dies, only its services start again, once each, and the other hosts and
// their services are not touched (runsvdir, the subreaper, stops what the dead host left,
// and only that).
func TestHostDeathSparesOtherHosts(t *testing.T) {
	needRoot(t)
	if _, err := os.Stat("/proc/self/cwd"); err != nil {
		t.Skip("needs /proc to count a service's processes")
	}
	root := publicTempDir(t, "runit-hosts-")
	scan := filepath.Join(root, "service")
	var svcs []string
	for i := 0; i < 20; i++ {
		d := newService(t, scan, fmt.Sprintf("s%02d", i), "#!/bin/sh\nexec sleep 1000\n")
		writeFile(t, filepath.Join(d, "log", "run"), "#!/bin/sh\nexec cat >/dev/null\n", 0o755)
		svcs = append(svcs, d)
	}
	if out, err := exec.Command("chown", "-R", "65534:65534", scan).CombinedOutput(); err != nil {
		t.Fatalf("chown: %v %s", err, out)
	}
	// 160 descriptors: room for eight services with logs in a host.
	cmd, _ := runsvdirAsNobody(t, root, scan, "ulimit -n 160 && ", svcs...)
	settled := func() bool {
		for _, d := range svcs {
			if !running(t, d) || len(procsIn(d)) != 1 || len(procsIn(filepath.Join(d, "log"))) != 1 {
				return false
			}
		}
		return true
	}
	waitFor(t, 30*time.Second, "every service and log running once", settled)
	hosts := hostPids(cmd.Process.Pid)
	if len(hosts) < 3 {
		t.Fatalf("%d hosts for 20 services with logs under 160 descriptors, want 3 or more", len(hosts))
	}
	victim := hosts[1]
	before := map[string]int{}
	var onVictim []string
	for _, d := range svcs {
		pid := readStatus(t, d).Pid
		before[d] = pid
		if parentOf(pid) == victim {
			onVictim = append(onVictim, d)
		}
	}
	if len(onVictim) == 0 {
		t.Fatalf("no service's ./run is a child of host %d", victim)
	}
	if err := syscall.Kill(victim, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		for _, d := range svcs {
			if n := len(procsIn(d)); n > 1 {
				t.Fatalf("%s runs %d times: %v", filepath.Base(d), n, procsIn(d))
			}
		}
		restarted := true
		for _, d := range onVictim {
			if !running(t, d) || readStatus(t, d).Pid == before[d] {
				restarted = false
			}
		}
		if restarted && settled() {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the dead host's services (%d) never settled in another host", len(onVictim))
		}
		time.Sleep(5 * time.Millisecond)
	}
	for _, h := range hosts {
		if h != victim && syscall.Kill(h, 0) != nil {
			t.Errorf("host %d died with host %d", h, victim)
		}
	}
	for _, d := range svcs {
		if slices.Contains(onVictim, d) {
			continue
		}
		if pid := readStatus(t, d).Pid; pid != before[d] {
			t.Errorf("%s, in a host that lived, was restarted (pid %d, was %d)", filepath.Base(d), pid, before[d])
		}
	}
}

// publicTempDir is a temporary directory (removed at the end) that other users may enter,
// for tests that run programs as nobody: t.TempDir's parent is private to root.
func publicTempDir(t *testing.T, prefix string) string {
	t.Helper()
	root, err := os.MkdirTemp("", prefix)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(root) })
	os.Chmod(root, 0o755)
	return root
}

// publicBin copies our tools into root/bin for other users to run (the build directory is
// private to root) and returns that directory.
func publicBin(t *testing.T, root string, names ...string) string {
	t.Helper()
	bin := filepath.Join(root, "bin")
	for _, n := range names {
		writeFile(t, filepath.Join(bin, n), readFile(ourBin(t, n)), 0o755)
	}
	return bin
}

// runsvdirAsNobody starts our runsvdir on scan as nobody, after the shell words prefix
// (say "ulimit -n 160 && "), with its stderr in a file under root whose name it returns.
// The cleanup stops it with HUP, then the supervisors of dirs, and shows its stderr if
// the test failed.
func runsvdirAsNobody(t *testing.T, root, scan, prefix string, dirs ...string) (*exec.Cmd, string) {
	t.Helper()
	bin := publicBin(t, root, "runsvdir", "runsv")
	errFile := filepath.Join(root, "stderr")
	ef, err := os.Create(errFile)
	if err != nil {
		t.Fatal(err)
	}
	defer ef.Close()
	cmd := exec.Command("/bin/sh", "-c", prefix+`exec "$@"`, "sh", filepath.Join(bin, "runsvdir"), scan)
	cmd.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"))
	cmd.Stderr = ef
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGHUP)
		cmd.Wait()
		for _, d := range dirs {
			sendCtl(d, "dx")
		}
		if t.Failed() {
			t.Logf("runsvdir's stderr:\n%s", readFile(errFile))
		}
	})
	return cmd, errFile
}

// TestSupervisionPanicRunsNothingTwice: an internal error (a panic, injected through the
// RUNIT_TEST_FAULTS seam) ends one service's supervision, in the host and in a runsv of
// its own (-C). Its ./run is stopped before the supervision ends, so the one runsvdir
// starts next runs the service once; the other service is not touched. The old ./run
// used to run on beside the new one.
func TestSupervisionPanicRunsNothingTwice(t *testing.T) {
	if _, err := os.Stat("/proc/self/cwd"); err != nil {
		t.Skip("needs /proc to count a service's processes")
	}
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			scan := t.TempDir()
			a := newService(t, scan, "a", "#!/bin/sh\nexec sleep 1000\n")
			b := newService(t, scan, "b", "#!/bin/sh\nexec sleep 1000\n")
			bin := binDir(t)
			cmd := exec.Command(filepath.Join(bin, "runsvdir"), append(m.args, scan)...)
			cmd.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"), "RUNIT_TEST_FAULTS=panic")
			errFile := filepath.Join(t.TempDir(), "stderr")
			ef, err := os.Create(errFile)
			mustDo(t, err)
			defer ef.Close()
			cmd.Stderr = ef
			mustDo(t, cmd.Start())
			t.Cleanup(func() {
				cmd.Process.Signal(syscall.SIGHUP)
				cmd.Wait()
				stopSupervisors(t, scan, 10*time.Second)
			})
			waitFor(t, 15*time.Second, "a and b running", func() bool { return running(t, a) && running(t, b) })
			oldA, oldB := readStatus(t, a).Pid, readStatus(t, b).Pid
			// ./run's processes: runsv (-C) works in the directory too.
			runs := func() []int {
				var pids []int
				for _, pid := range procsIn(a) {
					if strings.TrimSpace(readFile(fmt.Sprintf("/proc/%d/comm", pid))) == "sleep" {
						pids = append(pids, pid)
					}
				}
				return pids
			}
			mustDo(t, sendCtl(a, "!"))
			deadline := time.Now().Add(20 * time.Second)
			for {
				if pids := runs(); len(pids) > 1 {
					t.Fatalf("a runs %d times: %v", len(pids), pids)
				}
				if r, err := protocol.Decode([]byte(readFile(filepath.Join(a, "supervise", "status")))); err == nil &&
					r.State == protocol.Run && r.Pid != oldA && okAlive(a) && len(runs()) == 1 {
					break // the status says run from the fork on; runs() sees sleep once exec'd
				}
				if time.Now().After(deadline) {
					t.Fatalf("a never ran again after its supervision's panic; runsvdir's stderr:\n%s", readFile(errFile))
				}
				time.Sleep(5 * time.Millisecond)
			}
			if syscall.Kill(oldA, 0) == nil {
				t.Errorf("a's old ./run %d still runs", oldA)
			}
			if pids := runs(); len(pids) != 1 {
				t.Errorf("a runs %d times: %v", len(pids), pids)
			}
			if r := readStatus(t, b); r.Pid != oldB || r.State != protocol.Run {
				t.Errorf("b disturbed: pid %d, was %d", r.Pid, oldB)
			}
		})
	}
}
