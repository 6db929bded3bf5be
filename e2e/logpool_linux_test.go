package e2e

import (
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/runit-go/runit/core/protocol"
)

// The logger pool (core/svlog/pool.go): under our supervisor, svlogd hands its work to a
// pool process with its credentials. Nothing a runit user sees may change: these tests
// drive the same tree under C runit and ours and compare what the logs and sv say.

// poolTree is one supervision tree with two services whose log services are
// `exec svlogd -tt ./main` (root) and `exec chpst -u nobody svlogd ./main`.
type poolTree struct {
	name  string
	scan  string
	feeds map[string]*os.File // service name -> the FIFO its ./run copies to its log
	sv    string
}

const nobodyUID = 65534

// worldBin copies our svlogd, chpst and sv into a directory anyone may enter: the nobody
// logger must be able to exec svlogd (and its pool).
func worldBin(t *testing.T) string {
	d, err := os.MkdirTemp("", "logpool-bin-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(d) })
	os.Chmod(d, 0o755)
	for _, n := range []string{"svlogd", "chpst", "sv"} {
		b, err := os.ReadFile(ourBin(t, n))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(d, n), string(b), 0o755)
	}
	return d
}

func newPoolTree(t *testing.T, name string) *poolTree {
	root := t.TempDir()
	p := &poolTree{name: name, scan: filepath.Join(root, "service"), feeds: map[string]*os.File{}}
	for _, svc := range []struct{ name, logRun string }{
		{"a", "#!/bin/sh\nexec svlogd -tt ./main\n"},
		{"b", "#!/bin/sh\nexec chpst -u nobody svlogd ./main\n"},
	} {
		p.feeds[svc.name] = fedService(t, root, p.scan, svc.name, svc.logRun)
		if svc.name == "b" {
			os.Chown(filepath.Join(p.scan, "b", "log", "main"), nobodyUID, nobodyUID)
		}
	}
	return p
}

// fedService makes the service scan/name, whose ./run copies a FIFO in root to its log
// service (log/run: logRun, writing to ./main), and returns the FIFO, open for writing.
func fedService(t *testing.T, root, scan, name, logRun string) *os.File {
	dir := filepath.Join(scan, name)
	fifo := filepath.Join(root, name+".fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	// O_RDWR: the test holds the FIFO open, so ./run never sees its end.
	f, err := os.OpenFile(fifo, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	writeFile(t, filepath.Join(dir, "run"), "#!/bin/sh\nexec cat "+fifo+"\n", 0o755)
	writeFile(t, filepath.Join(dir, "log", "run"), logRun, 0o755)
	os.MkdirAll(filepath.Join(dir, "log", "main"), 0o755)
	return f
}

func (p *poolTree) logDir(svc string) string { return filepath.Join(p.scan, svc, "log") }

// write feeds lines to a service's log.
func (p *poolTree) write(t *testing.T, svc string, from, to int) {
	var b strings.Builder
	line := poolLine(svc)
	for i := from; i <= to; i++ {
		b.WriteString(line(i))
	}
	if _, err := io.WriteString(p.feeds[svc], b.String()); err != nil {
		t.Fatal(err)
	}
}

var stampRE = regexp.MustCompile(`(?m)^\d{4}-\d\d-\d\d_\d\d:\d\d:\d\d\.\d{5} `)

// logged is everything in a service's log directory, oldest file first, without stamps.
func (p *poolTree) logged(svc string) string {
	dir := filepath.Join(p.logDir(svc), "main")
	names, _ := filepath.Glob(filepath.Join(dir, "@*.[su]")) // not a processor's .t output
	sort.Strings(names)
	var b strings.Builder
	for _, n := range append(names, filepath.Join(dir, "current")) {
		if strings.HasSuffix(n, ".u") {
			if _, err := os.Stat(strings.TrimSuffix(n, ".u") + ".s"); err == nil {
				continue // processed: its .u is about to go
			}
		}
		b.WriteString(readFile(n))
	}
	return stampRE.ReplaceAllString(b.String(), "")
}

// files is the shape of a log directory: each file's kind, mode and owner, in name order.
func (p *poolTree) files(t *testing.T, svc string) string {
	dir := filepath.Join(p.logDir(svc), "main")
	ents, _ := os.ReadDir(dir)
	var out []string
	for _, e := range ents {
		fi, err := os.Stat(filepath.Join(dir, e.Name()))
		if err != nil {
			continue
		}
		n := e.Name()
		if strings.HasPrefix(n, "@") {
			n = "@" + n[len(n)-2:]
		}
		st := fi.Sys().(*syscall.Stat_t)
		out = append(out, fmt.Sprintf("%s %v %d:%d", n, fi.Mode(), st.Uid, st.Gid))
	}
	return strings.Join(out, "\n")
}

// processed waits until a's processor has no rotated file left to finish: one awaiting it
// is a .u with u+x (rotation sets it before the rename; a .u kept from an unclean current
// has none). Meanwhile the lines are in both the .u and its output.
func (p *poolTree) processed(t *testing.T) {
	waitFor(t, 15*time.Second, p.name+" a's processor done", func() bool {
		us, _ := filepath.Glob(filepath.Join(p.logDir("a"), "main", "@*.u"))
		for _, u := range us {
			if fi, err := os.Stat(u); err == nil && fi.Mode()&0o100 != 0 {
				return false
			}
		}
		return true
	})
}

func (p *poolTree) waitLine(t *testing.T, svc string, i int) {
	want := fmt.Sprintf("%s line %d\n", svc, i)
	waitFor(t, 15*time.Second, p.name+": "+strings.TrimSpace(want)+" logged", func() bool {
		return strings.Contains(p.logged(svc), want)
	})
}

// TestLogPoolLikeC drives the log services of a C runit tree and of ours through every sv
// command, feeding lines between the steps, and compares sv's view of the log service, the
// lines logged, and the log files' names, modes and owners.
func TestLogPoolLikeC(t *testing.T) {
	needRoot(t)
	cRunsvdir := cBin(t, "runsvdir")
	cBin(t, "svlogd")
	wb := worldBin(t)
	ours, c := newPoolTree(t, "ours"), newPoolTree(t, "C")
	ours.sv, c.sv = filepath.Join(wb, "sv"), cBin(t, "sv")
	startRunsvdirEnv(t, ours.scan, filepath.Join(binDir(t, "runsvdir", "runsv"), "runsvdir"), wb+":"+binDir(t)+":"+os.Getenv("PATH"))
	startRunsvdirEnv(t, c.scan, cRunsvdir, "/usr/bin:/usr/sbin:/bin:/sbin:"+os.Getenv("PATH"))
	trees := []*poolTree{c, ours}
	n := 0
	feed := func(k int) {
		for _, p := range trees {
			for _, svc := range []string{"a", "b"} {
				p.write(t, svc, n+1, n+k)
			}
		}
		n += k
	}
	waitAll := func() {
		for _, p := range trees {
			for _, svc := range []string{"a", "b"} {
				p.waitLine(t, svc, n)
			}
		}
	}
	feed(50)
	waitAll()
	for _, p := range trees {
		for _, svc := range []string{"a", "b"} {
			waitStat(t, p.logDir(svc), "run\n")
		}
	}
	steps := []struct {
		cmd, stat string
		logged    bool // lines fed after the step are logged before the next
		restarts  bool // the logger ends and starts again
	}{
		{"alarm", "run\n", true, false},
		{"hup", "run\n", true, false},
		{"term", "run\n", true, true},
		{"down", "down\n", false, false},
		{"up", "run\n", true, false},
		{"pause", "run, paused\n", false, false},
		{"cont", "run\n", true, false},
		// Signals to a paused svlogd: the kernel holds all but KILL until CONT.
		{"pause", "run, paused\n", false, false},
		{"quit", "run, paused\n", false, false},
		{"cont", "run\n", true, true},
		{"pause", "run, paused\n", false, false},
		{"alarm", "run, paused\n", false, false},
		{"hup", "run, paused\n", false, false},
		{"cont", "run\n", true, false},
		{"pause", "run, paused\n", false, false},
		{"interrupt", "run, paused\n", false, false},
		{"1", "run, paused\n", false, false},
		{"cont", "run\n", true, true},
		{"pause", "run, paused\n", false, false},
		{"kill", "run\n", true, true},
		{"kill", "run\n", true, true},
		{"restart", "run\n", true, true},
		{"once", "run, want down\n", true, false},
		{"exit", "run, want down\n", true, false},
		{"term", "down\n", false, false}, // it ran once: the lines wait in the pipe for the up
		{"up", "run\n", true, false},
		{"interrupt", "run\n", true, true},
		{"1", "run\n", true, true},
		{"2", "run\n", true, true},
	}
	for _, st := range steps {
		// A step that ends the logger while its processor runs leaves the .u unprocessed,
		// in C as in ours: start each step with no processor running, in both trees.
		for _, p := range trees {
			p.processed(t)
		}
		before := map[string]time.Time{}
		for _, p := range trees {
			for _, svc := range []string{"a", "b"} {
				before[p.name+svc] = readStatus(t, p.logDir(svc)).Time
			}
		}
		for _, p := range trees {
			for _, svc := range []string{"a", "b"} {
				if r := run(t, "", nil, p.sv, st.cmd, p.logDir(svc)); r.code != 0 {
					t.Fatalf("%s: sv %s: %d %s%s", p.name, st.cmd, r.code, r.stdout, r.stderr)
				}
			}
		}
		for _, p := range trees {
			for _, svc := range []string{"a", "b"} {
				if st.restarts {
					waitFor(t, 15*time.Second, p.name+" "+svc+"/log restarted after sv "+st.cmd, func() bool {
						return readStatus(t, p.logDir(svc)).Time.After(before[p.name+svc])
					})
				}
				waitStat(t, p.logDir(svc), st.stat)
			}
		}
		for _, svc := range []string{"a", "b"} {
			if cs, os := shape(readStatus(t, c.logDir(svc))), shape(readStatus(t, ours.logDir(svc))); cs != os {
				t.Errorf("after sv %s, %s/log: C %s, ours %s", st.cmd, svc, cs, os)
			}
		}
		feed(5)
		if st.logged {
			waitAll()
		}
	}
	waitAll()
	c.processed(t)
	ours.processed(t)
	for _, svc := range []string{"a", "b"} {
		if cl, ol := c.logged(svc), ours.logged(svc); cl != ol {
			t.Errorf("%s: logged lines differ:\nC:\n%s\nours:\n%s", svc, cl, ol)
		}
		if cf, of := c.files(t, svc), ours.files(t, svc); cf != of {
			t.Errorf("%s: log files differ:\nC:\n%s\nours:\n%s", svc, cf, of)
		}
	}
	// Ours ran the loggers in pools: one per identity, never as root for nobody.
	pa, pb := readStatus(t, ours.logDir("a")).Pid, readStatus(t, ours.logDir("b")).Pid
	if argv0(pa) != "svlogd-pool" || argv0(pb) != "svlogd-pool" || pa == pb {
		t.Errorf("log pids %d (%s) and %d (%s): want two different svlogd-pool processes", pa, argv0(pa), pb, argv0(pb))
	}
	if u := procUID(t, pb); u != nobodyUID {
		t.Errorf("nobody's pool %d runs as uid %d", pb, u)
	}
	if u := procUID(t, pa); u != 0 {
		t.Errorf("root's pool %d runs as uid %d", pa, u)
	}
}

// TestLogPoolKilled kills a pool with SIGKILL while lines keep coming: the supervisor
// restarts the logger (in a new pool), every line is logged exactly once, the other
// identity's pool is untouched, and no logger runs twice.
func TestLogPoolKilled(t *testing.T) {
	needRoot(t)
	wb := worldBin(t)
	p := newPoolTree(t, "ours")
	// Size rotation and a processor: the pool runs it in the log directory.
	writeFile(t, filepath.Join(p.logDir("a"), "main", "config"), "s1500\nn100\n!tr l L\n", 0o644)
	rsd := filepath.Join(binDir(t, "runsvdir", "runsv"), "runsvdir")
	startRunsvdirEnv(t, p.scan, rsd, wb+":"+binDir(t)+":"+os.Getenv("PATH"))
	p.write(t, "a", 1, 100)
	p.write(t, "b", 1, 100)
	p.waitLine(t, "a", 100)
	p.waitLine(t, "b", 100)
	pa, pb := readStatus(t, p.logDir("a")).Pid, readStatus(t, p.logDir("b")).Pid
	if argv0(pa) != "svlogd-pool" || argv0(pb) != "svlogd-pool" || pa == pb {
		t.Fatalf("log pids %d (%s) and %d (%s): want two different svlogd-pool processes", pa, argv0(pa), pb, argv0(pb))
	}
	// Root's pool runs from the supervisor's executable, whose text the host shares.
	if exe, _ := os.Readlink("/proc/" + strconv.Itoa(pa) + "/exe"); exe != rsd {
		t.Errorf("root's pool %d runs %s, want the supervisor's %s", pa, exe, rsd)
	}
	// kill -HUP and -ALRM on the log's pid do what they do to svlogd, to each of the
	// pool's loggers: reopen, rotate; the pool and its loggers go on.
	rotated := func() int { m, _ := filepath.Glob(filepath.Join(p.logDir("a"), "main", "@*")); return len(m) }
	// ALRM rotates only a current with something in it: a size rotation may just have
	// emptied it (and is done once its processor is). Counted first: a size rotation
	// after the count is one more file too.
	next, before := 101, 0
	for {
		p.processed(t)
		before = rotated()
		if readFile(filepath.Join(p.logDir("a"), "main", "current")) != "" {
			break
		}
		p.write(t, "a", next, next)
		p.waitLine(t, "a", next)
		next++
	}
	for _, sig := range []syscall.Signal{syscall.SIGHUP, syscall.SIGALRM} {
		if err := syscall.Kill(pa, sig); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, 10*time.Second, "a's current rotated by ALRM to the pool", func() bool { return rotated() > before })
	p.write(t, "a", next, 110)
	p.waitLine(t, "a", 110)
	if r := readStatus(t, p.logDir("a")); r.Pid != pa || argv0(pa) != "svlogd-pool" {
		t.Fatalf("a's log pid %d after HUP and ALRM to pool %d: want the same pool", r.Pid, pa)
	}
	if err := syscall.Kill(pa, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	p.write(t, "a", 111, 200) // into the pipe while no logger reads it
	waitFor(t, 15*time.Second, "a's log restarted in a new pool", func() bool {
		r := readStatus(t, p.logDir("a"))
		return r.Pid != 0 && r.Pid != pa && r.State == protocol.Run && argv0(r.Pid) == "svlogd-pool"
	})
	p.write(t, "a", 201, 300)
	p.write(t, "b", 101, 200)
	p.waitLine(t, "a", 300)
	p.waitLine(t, "b", 200)
	// A processor may be finishing (its output and input both on disk for a moment):
	// look again until the directory is still.
	var bad []string
	for try := 0; try < 50; try++ {
		got := strings.ReplaceAll(p.logged("a"), "a Line", "a line") // a's processor capitalizes
		if bad = notOnce(got, poolLine("a"), 1, 300); len(bad) == 0 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	for _, b := range bad {
		t.Error(b)
	}
	if !strings.Contains(p.logged("a"), "a Line 1\n") {
		t.Errorf("a's processor did not run under the pool:\n%s", p.files(t, "a"))
	}
	if r := readStatus(t, p.logDir("b")); r.Pid != pb {
		t.Errorf("b's log moved from pool %d to %d when another identity's pool died", pb, r.Pid)
	}
	for _, svc := range []string{"a", "b"} {
		if n := lockHolders(t, filepath.Join(p.logDir(svc), "main", "lock")); n != 1 {
			t.Errorf("%s/log/main/lock is held by %d descriptors: want one logger", svc, n)
		}
	}
	// TERM (what runsvdir gives a dead host's leftovers) ends each logger as TERM ends
	// svlogd: its lines written, exit 0; the supervisor starts it again, in a new pool.
	if err := syscall.Kill(pb, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	p.write(t, "b", 201, 300)
	waitFor(t, 15*time.Second, "b's log restarted in a new pool", func() bool {
		r := readStatus(t, p.logDir("b"))
		return r.Pid != 0 && r.Pid != pb && r.State == protocol.Run && argv0(r.Pid) == "svlogd-pool"
	})
	p.waitLine(t, "b", 300)
	for _, b := range notOnce(p.logged("b"), poolLine("b"), 1, 300) {
		t.Error(b)
	}
	waitFor(t, 10*time.Second, "the TERMed pool gone", func() bool { return syscall.Kill(pb, 0) != nil || argv0(pb) != "svlogd-pool" })
	fi, err := os.Stat(filepath.Join(p.logDir("b"), "main", "current"))
	if err != nil || fi.Sys().(*syscall.Stat_t).Uid != nobodyUID {
		t.Errorf("b/log/main/current is not nobody's: %v", err)
	}
}

// TestLogPoolNotUnderCRunsv: C runsv does not offer the hand-over, so our svlogd under it
// stays a process of its own.
func TestLogPoolNotUnderCRunsv(t *testing.T) {
	cRunsv := cBin(t, "runsv")
	wb := worldBin(t)
	root := t.TempDir()
	dir := newService(t, root, "s", "#!/bin/sh\necho hello\nexec sleep 1000\n")
	writeFile(t, filepath.Join(dir, "log", "run"), "#!/bin/sh\nexec "+filepath.Join(wb, "svlogd")+" ./main\n", 0o755)
	os.MkdirAll(filepath.Join(dir, "log", "main"), 0o755)
	startRunsv(t, cRunsv, dir)
	waitFor(t, 10*time.Second, "hello logged", func() bool {
		return readFile(filepath.Join(dir, "log", "main", "current")) == "hello\n"
	})
	if pid := readStatus(t, filepath.Join(dir, "log")).Pid; argv0(pid) != filepath.Join(wb, "svlogd") {
		t.Errorf("log pid %d is %q: want our svlogd itself", pid, argv0(pid))
	}
}

// startRunsvdirEnv starts the runsvdir at bin on scan with PATH, stopping the tree at the end.
func startRunsvdirEnv(t *testing.T, scan, bin, path string) *exec.Cmd {
	cmd := exec.Command(bin, scan)
	cmd.Env = append(os.Environ(), "PATH="+path)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGHUP)
		cmd.Wait()
		entries, _ := os.ReadDir(scan)
		for _, e := range entries {
			sendCtl(filepath.Join(scan, e.Name()), "dx")
		}
		waitFor(t, 15*time.Second, "every supervisor gone", func() bool {
			for _, e := range entries {
				if okAlive(filepath.Join(scan, e.Name())) || okAlive(filepath.Join(scan, e.Name(), "log")) {
					return false
				}
			}
			return true
		})
	})
	return cmd
}

func argv0(pid int) string {
	b, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	s, _, _ := strings.Cut(string(b), "\x00")
	return s
}

func procUID(t *testing.T, pid int) int {
	if f, ok := procStatusField("/proc/"+strconv.Itoa(pid)+"/status", "Uid"); ok {
		n, _ := strconv.Atoi(strings.Fields(f)[1])
		return n
	}
	t.Fatalf("no uid for pid %d", pid)
	return -1
}

// lockHolders counts the descriptors, in every process, open on the file path.
func lockHolders(t *testing.T, path string) int {
	var want syscall.Stat_t
	if err := syscall.Stat(path, &want); err != nil {
		t.Fatal(err)
	}
	fds, _ := filepath.Glob("/proc/[0-9]*/fd/*")
	n := 0
	for _, fd := range fds {
		var st syscall.Stat_t
		if syscall.Stat(fd, &st) == nil && st.Dev == want.Dev && st.Ino == want.Ino {
			n++
		}
	}
	return n
}

// TestLogPoolOff: RUNIT_LOGPOOL=0 in runsvdir's environment keeps every svlogd a process
// of its own, as under C runsv.
func TestLogPoolOff(t *testing.T) {
	root := t.TempDir()
	dir := newService(t, root, "s", "#!/bin/sh\necho hello\nexec sleep 1000\n")
	writeFile(t, filepath.Join(dir, "log", "run"), "#!/bin/sh\nexec svlogd ./main\n", 0o755)
	os.MkdirAll(filepath.Join(dir, "log", "main"), 0o755)
	t.Setenv("RUNIT_LOGPOOL", "0")
	startRunsvdirEnv(t, root, filepath.Join(binDir(t, "runsvdir", "runsv"), "runsvdir"), binDir(t)+":"+os.Getenv("PATH"))
	waitFor(t, 10*time.Second, "hello logged", func() bool {
		return readFile(filepath.Join(dir, "log", "main", "current")) == "hello\n"
	})
	if pid := readStatus(t, filepath.Join(dir, "log")).Pid; argv0(pid) != "svlogd" {
		t.Errorf("log pid %d is %q: want svlogd itself", pid, argv0(pid))
	}
}

// TestLogPoolHUPMeetsHandOver sends HUPs to a log service for the first 400 ms of its life,
// every 1 to 4 ms, so that they meet every phase of svlogd's hand-over to its pool (the
// shell before exec, svlogd holding its signals, the pool waiting for svlogd's go, the
// logger running): the service's first line is logged exactly once, every round. (A HUP
// meeting a hand-over was once suspected of losing a logger's first lines.) A HUP before
// svlogd catches it kills log/run, as it kills C's; runsv starts it again a second later.
func TestLogPoolHUPMeetsHandOver(t *testing.T) {
	runsv, svlogd := ourBin(t, "runsv"), ourBin(t, "svlogd")
	root := t.TempDir()
	pooled := 0
	for round := 0; round < 20; round++ {
		dir := newService(t, root, fmt.Sprintf("s%d", round), "#!/bin/sh\necho first\nexec sleep 1000\n")
		writeFile(t, filepath.Join(dir, "log", "run"), "#!/bin/sh\nexec "+svlogd+" ./main\n", 0o755)
		os.MkdirAll(filepath.Join(dir, "log", "main"), 0o755)
		hammered := make(chan int)
		go func() {
			n := 0
			for end := time.Now().Add(400 * time.Millisecond); time.Now().Before(end); {
				if sendCtl(filepath.Join(dir, "log"), "h") == nil {
					n++
				}
				time.Sleep(time.Duration(1+rand.IntN(4)) * time.Millisecond)
			}
			hammered <- n
		}()
		p := startRunsv(t, runsv, dir)
		if n := <-hammered; n == 0 {
			t.Fatalf("round %d: no HUP reached the log service", round)
		}
		current := filepath.Join(dir, "log", "main", "current")
		waitFor(t, 10*time.Second, fmt.Sprintf("round %d: the first line logged", round), func() bool {
			return strings.Contains(readFile(current), "first\n")
		})
		if r := readStatus(t, filepath.Join(dir, "log")); argv0(r.Pid) == "svlogd-pool" {
			pooled++
		}
		if c := strings.Count(readFile(current), "first\n"); c != 1 {
			t.Errorf("round %d: the first line logged %d times", round, c)
		}
		sendCtl(dir, "dx") // down, then exit: x then d would leave it wanting down
		waitFor(t, 10*time.Second, "runsv gone", p.exited)
	}
	if pooled == 0 {
		t.Errorf("no round handed its logger over to a pool: the test exercised nothing")
	}
}

// TestLogPoolPaused: a pooled logger paused by sv pause is continued as the kernel would
// continue a stopped svlogd, and also when no supervisor is left to continue it (it used
// to stay paused for ever, holding its directory's lock: the service's log stopped for
// good). In each case the lines its pipe held are logged, once.
func TestLogPoolPaused(t *testing.T) {
	needRoot(t)
	for _, tc := range []struct {
		name string
		// act does what ends the pause; it returns the pid of a's ./run then, which the
		// test stops at the end if it still runs.
		act  func(t *testing.T, p *poolTree, runsvdir *exec.Cmd, pool int)
		want int // the lines a's log holds at the end
	}{
		// kill -CONT on the log's pid, as on a stopped svlogd's.
		{"cont-by-hand", func(t *testing.T, p *poolTree, _ *exec.Cmd, pool int) {
			mustDo(t, syscall.Kill(pool, syscall.SIGCONT))
		}, 20},
		// The host killed: runsvdir gives what it left TERM and CONT and starts a new host,
		// whose logger takes the directory once the old one is done.
		{"host-killed", func(t *testing.T, p *poolTree, _ *exec.Cmd, _ int) {
			run := readStatus(t, filepath.Join(p.scan, "a")).Pid
			mustDo(t, syscall.Kill(parentOf(run), syscall.SIGKILL))
			waitFor(t, 20*time.Second, "a running again under a new host", func() bool {
				r := readStatus(t, filepath.Join(p.scan, "a"))
				return r.Pid != 0 && r.Pid != run && r.State == protocol.Run && okAlive(filepath.Join(p.scan, "a"))
			})
			p.write(t, "a", 21, 30)
		}, 30},
		// runsvdir and the host killed: no one sends the pool anything; the logger, its
		// supervisor gone, goes on to the end of its input (the services, stopped by hand).
		{"tree-killed", func(t *testing.T, p *poolTree, runsvdir *exec.Cmd, _ int) {
			run := readStatus(t, filepath.Join(p.scan, "a")).Pid
			brun := readStatus(t, filepath.Join(p.scan, "b")).Pid
			host := parentOf(run)
			mustDo(t, runsvdir.Process.Kill())
			mustDo(t, syscall.Kill(host, syscall.SIGKILL))
			syscall.Kill(run, syscall.SIGTERM)
			syscall.Kill(brun, syscall.SIGTERM)
		}, 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wb := worldBin(t)
			p := newPoolTree(t, "ours")
			runsvdir := startRunsvdirEnv(t, p.scan, filepath.Join(binDir(t, "runsvdir", "runsv"), "runsvdir"), wb+":"+binDir(t)+":"+os.Getenv("PATH"))
			p.write(t, "a", 1, 10)
			p.waitLine(t, "a", 10)
			pool := readStatus(t, p.logDir("a")).Pid
			mustDo(t, sendCtl(p.logDir("a"), "p"))
			waitFor(t, 10*time.Second, "a's log paused", func() bool { return readStatus(t, p.logDir("a")).Paused })
			p.write(t, "a", 11, 20)
			run := readStatus(t, filepath.Join(p.scan, "a")).Pid
			waitFor(t, 10*time.Second, "lines 11-20 in a's log pipe", func() bool {
				return pipeHolds(run, 1) == len("a line 11\n")*10
			})
			if strings.Contains(p.logged("a"), "a line 11\n") {
				t.Fatalf("a's paused log wrote:\n%s", p.logged("a"))
			}
			tc.act(t, p, runsvdir, pool)
			p.waitLine(t, "a", tc.want)
			for _, b := range notOnce(p.logged("a"), poolLine("a"), 1, tc.want) {
				t.Error(b)
			}
			lock := filepath.Join(p.logDir("a"), "main", "lock")
			holders := 1 // the new host's logger
			if tc.name == "tree-killed" {
				holders = 0
				waitFor(t, 15*time.Second, "root's pool gone, its loggers done", func() bool {
					return syscall.Kill(pool, 0) != nil || argv0(pool) != "svlogd-pool"
				})
			}
			waitFor(t, 10*time.Second, fmt.Sprintf("a/log/main/lock held by %d", holders), func() bool {
				return lockHolders(t, lock) == holders
			})
		})
	}
}

// notOnce lists the lines line(from) to line(to) that got does not hold exactly once.
func notOnce(got string, line func(int) string, from, to int) []string {
	var bad []string
	for i := from; i <= to; i++ {
		if c := strings.Count(got, line(i)); c != 1 {
			bad = append(bad, fmt.Sprintf("%q logged %d times", strings.TrimSpace(line(i)), c))
		}
	}
	return bad
}

// poolLine is poolTree.write's line i of service svc.
func poolLine(svc string) func(int) string {
	return func(i int) string { return fmt.Sprintf("%s line %d\n", svc, i) }
}

// pipeHolds is how many bytes wait in the pipe that process pid has as descriptor fd (-1
// when it cannot tell).
func pipeHolds(pid, fd int) int {
	f, err := os.OpenFile(fmt.Sprintf("/proc/%d/fd/%d", pid, fd), os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return -1
	}
	defer f.Close()
	n, err := unix.IoctlGetInt(int(f.Fd()), unix.TIOCINQ) // FIONREAD
	if err != nil {
		return -1
	}
	return n
}

// TestHostDeathLogsEveryLine: the supervisor host killed, round after round, while its
// services' svlogd loggers (pooled) are running or paused with lines waiting in their
// pipes: afterwards every line the services wrote is logged exactly once, and each log
// directory has one logger. Which states meet the kill is drawn at random (the seed is
// printed); the pool may be runsvdir's child (it gets TERM and CONT) or a pool another
// tree started (it only sees its supervisors' connections end).
func TestHostDeathLogsEveryLine(t *testing.T) {
	needRoot(t)
	seed := time.Now().UnixNano()
	if s := os.Getenv("RUNIT_HOSTDEATH_SEED"); s != "" {
		seed, _ = strconv.ParseInt(s, 10, 64)
	}
	t.Logf("RUNIT_HOSTDEATH_SEED=%d", seed)
	rnd := rand.New(rand.NewPCG(uint64(seed), 0))
	root := t.TempDir()
	scan := filepath.Join(root, "service")
	const n, rounds, batch = 5, 4, 10
	feeds := make([]*os.File, n)
	names := make([]string, n)
	for i := range feeds {
		names[i] = fmt.Sprintf("s%d", i)
		feeds[i] = fedService(t, root, scan, names[i], "#!/bin/sh\nexec svlogd ./main\n")
	}
	line := func(svc, k int) string { return fmt.Sprintf("%s line %04d\n", names[svc], k) }
	logged := func(svc int) string { // every file of the log directory, oldest first
		dir := filepath.Join(scan, names[svc], "log", "main")
		files, _ := filepath.Glob(filepath.Join(dir, "@*"))
		sort.Strings(files)
		var b strings.Builder
		for _, f := range append(files, filepath.Join(dir, "current")) {
			b.WriteString(readFile(f))
		}
		return b.String()
	}
	written := make([]int, n) // lines written to each service so far
	write := func(svc int) {
		var b strings.Builder
		for k := written[svc] + 1; k <= written[svc]+batch; k++ {
			b.WriteString(line(svc, k))
		}
		_, err := io.WriteString(feeds[svc], b.String())
		mustDo(t, err)
		written[svc] += batch
	}
	// accounted: every line written is logged or waits in the log pipe (none in the FIFO
	// or in cat), so that stopping cat loses nothing of the test's.
	accounted := func(svc int) bool {
		run := readStatus(t, filepath.Join(scan, names[svc])).Pid
		inPipe := pipeHolds(run, 1)
		return inPipe >= 0 && strings.Count(logged(svc), "\n")+inPipe/len(line(svc, 0)) == written[svc]
	}
	bin := binDir(t, "runsvdir", "runsv", "svlogd")
	p := startRunsvdirEnv(t, scan, filepath.Join(bin, "runsvdir"), bin+":"+os.Getenv("PATH"))
	settled := func(host int) func() bool {
		return func() bool {
			if h := hostPid(p.Process.Pid); h == 0 || h == host {
				return false
			}
			for i := range names {
				d := filepath.Join(scan, names[i])
				r, err1 := protocol.Decode([]byte(readFile(filepath.Join(d, "supervise", "status"))))
				l, err2 := protocol.Decode([]byte(readFile(filepath.Join(d, "log", "supervise", "status"))))
				if err1 != nil || err2 != nil || argv0(l.Pid) != "svlogd-pool" || r.State != protocol.Run || l.State != protocol.Run || l.Paused || !okAlive(d) {
					return false
				}
				if lock := filepath.Join(d, "log", "main", "lock"); !fileExists(lock) || lockHolders(t, lock) != 1 {
					return false
				}
			}
			return true
		}
	}
	waitFor(t, 30*time.Second, "every service and log running", settled(-1))
	for round := 0; round < rounds; round++ {
		var states []string
		for i := range names {
			write(i)
			paused := rnd.IntN(2) == 0
			if paused {
				waitFor(t, 10*time.Second, names[i]+"'s batch logged", func() bool { return strings.Count(logged(i), "\n") == written[i] })
				mustDo(t, sendCtl(filepath.Join(scan, names[i], "log"), "p"))
				waitFor(t, 10*time.Second, names[i]+"'s log paused", func() bool { return readStatus(t, filepath.Join(scan, names[i], "log")).Paused })
				write(i)
				states = append(states, names[i]+" paused")
			} else {
				states = append(states, names[i]+" running")
			}
		}
		for i := range names {
			waitFor(t, 10*time.Second, names[i]+"'s lines logged or in its log pipe", func() bool { return accounted(i) })
		}
		host := hostPid(p.Process.Pid)
		t.Logf("round %d: killing host %d with %s", round, host, strings.Join(states, ", "))
		time.Sleep(time.Duration(rnd.IntN(100)) * time.Millisecond)
		mustDo(t, syscall.Kill(host, syscall.SIGKILL))
		waitFor(t, 30*time.Second, fmt.Sprintf("round %d: every service and log running once under a new host", round), settled(host))
		for i := range names {
			write(i)
		}
		for i := range names {
			if !poll(15*time.Second, func() bool { return strings.Count(logged(i), "\n") >= written[i] }) {
				ents, _ := os.ReadDir(filepath.Join(scan, names[i], "log", "main"))
				t.Fatalf("round %d: %s's %d lines not logged; its log holds:\n%s\nfiles %v", round, names[i], written[i], logged(i), ents)
			}
			if bad := notOnce(logged(i), func(k int) string { return line(i, k) }, 1, written[i]); len(bad) > 0 {
				t.Fatalf("round %d: %s", round, bad[0])
			}
		}
	}
}
