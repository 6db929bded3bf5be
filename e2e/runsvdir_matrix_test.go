//go:build linux

package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The runsvdir option matrix: every argument form (C's -P and --, our -C and -s alone,
// joined and separate, and the dashed words C takes for the directory) × directory edge
// cases × log arguments, each run under C runsvdir and ours side by side, each in a tree of
// its own. C lacks -C and -s, so it gets the command line without them, and everything a
// user sees must come out the same: exit code and stderr when runsvdir exits; otherwise
// which services start, the warnings (on stderr, or in the process title when the log
// argument works), that a service added later starts after an ALRM, and HUP's exit code.

// rmForm is an argument form: what ours gets before the directory, and what C gets.
type rmForm struct {
	name    string
	ours, c []string
}

var rmForms = []rmForm{
	{"none", nil, nil},
	{"-P", []string{"-P"}, []string{"-P"}},
	{"-C", []string{"-C"}, nil},
	{"-s", []string{"-s"}, nil},
	{"-PC", []string{"-PC"}, []string{"-PC"}}, // C reads any -P... as -P
	{"-Ps", []string{"-Ps"}, []string{"-Ps"}},
	{"-P -C", []string{"-P", "-C"}, []string{"-P"}},
	{"--", []string{"--"}, []string{"--"}},
	{"-x", []string{"-x"}, []string{"-x"}}, // the directory for both; the directory argument is the log
	{"-", []string{"-"}, []string{"-"}},    // likewise
}

// rmMoreForms are further forms, tried with fewer directories and logs: options C takes in
// a way of its own (one option argument only, anything after -P ignored, -- and -P not
// ending at the first), and ours' in other orders.
var rmMoreForms = []rmForm{
	{"-Px", []string{"-Px"}, []string{"-Px"}},
	{"--x", []string{"--x"}, []string{"--x"}},
	{"-P -P", []string{"-P", "-P"}, []string{"-P", "-P"}}, // the second is the directory
	{"-P --", []string{"-P", "--"}, []string{"-P", "--"}}, // likewise
	{"-- -P", []string{"--", "-P"}, []string{"--", "-P"}}, // likewise
	{"-- -C", []string{"--", "-C"}, []string{"--", "-C"}}, // likewise, for ours too
	{"-C -P", []string{"-C", "-P"}, []string{"-P"}},
	{"-s -P -C", []string{"-s", "-P", "-C"}, []string{"-P"}},
	{"-CP", []string{"-CP"}, nil},
	{"-C --", []string{"-C", "--"}, []string{"--"}},
	{"-Cx", []string{"-Cx"}, []string{"-Cx"}}, // not ours: the directory
}

// rmDir is a directory argument; services says it is a directory holding services.
type rmDir struct {
	name, arg string
	services  bool
}

// rmLongDir is a relative path of 4000 bytes: 16 components of 250 bytes (NAME_MAX is 255).
var rmLongDir = strings.TrimSuffix(strings.Repeat(strings.Repeat("d", 249)+"/", 16), "/") + "d"

var rmDirs = []rmDir{
	{"empty", "", false}, {"byte", "s", true}, {"dash", "-svc", true}, {"long", rmLongDir, true},
	{"nonascii", "sérvice-目録", true}, {"missing", "missing", false}, {"file", "afile", false},
	{"dangling", "dangling", false},
}

// rmLogs are the log arguments: nil is none; C wants at least seven bytes.
var rmLogs = []struct {
	name string
	arg  []string
}{{"absent", nil}, {"empty", []string{""}}, {"6", []string{"log: x"}}, {"7", []string{"log: xy"}},
	{"long", []string{"log: " + strings.Repeat("~", 400)}}, {"nonascii", []string{"log: üüüü€€"}}}

type rmCase struct {
	name     string
	ours, c  []string // arguments
	dir      rmDir
	usage    bool // no directory at all
	services bool // the directory both take holds services
}

// rmCases crosses the forms, directories and logs, and adds each form alone (usage).
func rmCases() []rmCase {
	var cases []rmCase
	for _, f := range rmForms {
		cases = append(cases, rmCase{name: f.name + " (alone)", ours: f.ours, c: f.c, usage: true})
		for _, d := range rmDirs {
			for _, l := range rmLogs {
				tail := append([]string{d.arg}, l.arg...)
				c := rmCase{name: fmt.Sprintf("%s dir=%s log=%s", f.name, d.name, l.name),
					ours: append(slices.Clone(f.ours), tail...), c: append(slices.Clone(f.c), tail...), dir: d,
					services: d.services && cDir(append(slices.Clone(f.c), tail...)) == d.arg}
				cases = append(cases, c)
			}
		}
	}
	for _, f := range rmMoreForms {
		for _, d := range []rmDir{rmDirs[1], rmDirs[5]} {
			for _, l := range []int{0, 4} {
				tail := append([]string{d.arg}, rmLogs[l].arg...)
				cases = append(cases, rmCase{name: fmt.Sprintf("%s dir=%s log=%s", f.name, d.name, rmLogs[l].name),
					ours: append(slices.Clone(f.ours), tail...), c: append(slices.Clone(f.c), tail...), dir: d,
					services: d.services && cDir(append(slices.Clone(f.c), tail...)) == d.arg})
			}
		}
	}
	return cases
}

// cDir is the directory C runsvdir takes from its arguments: the first, or the second when
// the first starts with -P or --.
func cDir(args []string) string {
	if len(args) > 0 && (strings.HasPrefix(args[0], "-P") || strings.HasPrefix(args[0], "--")) {
		args = args[1:]
	}
	if len(args) == 0 {
		return ""
	}
	return args[0]
}

// rmProc is one runsvdir of a case.
type rmProc struct {
	bin, cBin, root, errFile string
	args                     []string
	cmd                      *exec.Cmd
	done                     chan struct{}
}

func (p *rmProc) start(path string) error {
	f, err := os.Create(p.errFile)
	if err != nil {
		return err
	}
	defer f.Close()
	p.cmd = exec.Command(p.bin, p.args...)
	p.cmd.Dir = p.root
	p.cmd.Env = []string{"PATH=" + path, "RM_MARKERS=" + filepath.Join(p.root, "markers")}
	p.cmd.Stderr = f
	p.done = make(chan struct{})
	if err := p.cmd.Start(); err != nil {
		return err
	}
	go func() { p.cmd.Wait(); close(p.done) }()
	return nil
}

func (p *rmProc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// norm puts PROG and ROOT for the program's and the tree's paths.
func (p *rmProc) norm(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, p.bin, "PROG"), p.root, "ROOT")
}

// warnings are the distinct complete lines runsvdir has shown: on stderr, and in the
// scrolling part of any argument it rewrote (its log argument).
func (p *rmProc) warnings() []string {
	var lines []string
	add := func(text string, whole bool) {
		parts := strings.Split(text, "\n")
		for _, l := range parts[:len(parts)-1] { // after the last newline: not (yet) a line
			if !whole && !strings.HasPrefix(l, "runsvdir ") {
				// In the log argument, a line longer than the argument keeps only its
				// tail, glued to what C's non-blocking pipe lets through: not a line.
				continue
			}
			if l = p.norm(l); !slices.Contains(lines, l) {
				lines = append(lines, l)
			}
		}
	}
	add(readFile(p.errFile), true)
	if !p.exited() {
		args := strings.Split(readFile("/proc/"+strconv.Itoa(p.cmd.Process.Pid)+"/cmdline"), "\x00")
		for i, a := range args {
			if i > 0 && i <= len(p.args) && a != p.args[i-1] && len(a) > 5 {
				add(scrolled(p.args[i-1][5:], a[5:], p.bin == p.cBin), false)
			}
		}
	}
	slices.Sort(lines)
	return lines
}

// scrolled is what was written into a log argument whose scrolling part was orig and is
// now now: now is a suffix of orig (what has not scrolled out yet) followed by the output.
// Once all of orig has scrolled out, the output's first line is cut: it is left out.
func scrolled(orig, now string, c bool) string {
	for k := 0; k < len(orig); k++ {
		if strings.HasPrefix(now, orig[k:]) {
			out := now[len(orig)-k:]
			if c {
				// Exception (README, runsvdir): C runsvdir writes a '.' into the log after
				// its first scan (then every 15 minutes, as ours does); ours writes none at
				// the start, so C's next line begins with it.
				if strings.HasPrefix(out, ".") {
					out = out[1:]
				} else {
					out = strings.Replace(out, "\n.", "\n", 1)
				}
			}
			return out
		}
	}
	if i := strings.Index(now, "\n"); i >= 0 {
		return now[i+1:]
	}
	return ""
}

// rmRunScript is every service's run script (linked, never written while the tests fork:
// a child between fork and exec would hold it open for writing, and its exec would fail
// with "text busy"). It records its start in $RM_MARKERS under the service's name.
const rmRunScript = "#!/bin/sh\n: > \"$RM_MARKERS/${PWD##*/}\"\nexec sleep 1000\n"

// rmService puts a service into dir, made beside it and renamed into place so that no scan
// sees it without its run script.
func rmService(dir, root, name string) error {
	tmp := filepath.Join(root, "new-service")
	if err := os.Mkdir(tmp, 0o755); err != nil {
		return err
	}
	if err := os.Symlink(filepath.Join(filepath.Dir(root), "..", "run"), filepath.Join(tmp, "run")); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		return err
	}
	// A directory changed within the current second makes C runsvdir sleep a second before
	// it scans: the matrix has no use for that second.
	past := time.Now().Add(-10 * time.Second)
	return os.Chtimes(dir, past, past)
}

// rmFixture makes a case's tree in root: a file, a dangling symlink and, if the
// directory argument names a directory of services, that directory with service a, a
// hidden service, a plain file and a dangling symlink of its own.
func rmFixture(root string, d rmDir) error {
	if err := os.MkdirAll(filepath.Join(root, "markers"), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(root, "afile"), []byte("x"), 0o644); err != nil {
		return err
	}
	if err := os.Symlink(filepath.Join(root, "nowhere"), filepath.Join(root, "dangling")); err != nil {
		return err
	}
	if !d.services {
		return nil
	}
	scan := filepath.Join(root, d.arg)
	if err := os.MkdirAll(scan, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(scan, "plain"), nil, 0o644); err != nil {
		return err
	}
	if err := os.Symlink(filepath.Join(root, "nowhere"), filepath.Join(scan, "gone")); err != nil {
		return err
	}
	for _, name := range []string{"a", ".hidden"} {
		if err := rmService(scan, root, name); err != nil {
			return err
		}
	}
	return nil
}

// markers names the services that have started in the tree at root.
func markers(root string) []string {
	entries, _ := os.ReadDir(filepath.Join(root, "markers"))
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// rmRun runs one case under both runsvdirs and returns what differs.
func rmRun(c rmCase, cBinPath, oursBinPath, oursPath, base string) (diffs []string) {
	differ := func(format string, a ...any) { diffs = append(diffs, fmt.Sprintf(format, a...)) }
	cp := &rmProc{bin: cBinPath, cBin: cBinPath, root: filepath.Join(base, "c"), errFile: filepath.Join(base, "c.err"), args: c.c}
	op := &rmProc{bin: oursBinPath, cBin: cBinPath, root: filepath.Join(base, "o"), errFile: filepath.Join(base, "o.err"), args: c.ours}
	procs := []*rmProc{cp, op}
	for _, p := range procs {
		if err := rmFixture(p.root, c.dir); err != nil {
			return []string{err.Error()}
		}
	}
	if err := cp.start("/usr/bin:/bin:/usr/sbin:/sbin"); err != nil {
		return []string{err.Error()}
	}
	if err := op.start(oursPath); err != nil {
		cp.cmd.Process.Kill()
		return []string{err.Error()}
	}
	defer rmStop(procs, c, differ)

	// Until both show the same warnings for at least two seconds' worth of scans (or
	// both exit). A run that never agrees is compared as it is after 15 s.
	start := time.Now()
	poll(15*time.Second, func() bool {
		if cp.exited() && op.exited() {
			return true
		}
		if time.Since(start) < 2*time.Second {
			return false
		}
		if c.services && (len(markers(cp.root)) == 0 || len(markers(op.root)) == 0) {
			return false
		}
		return slices.Equal(cp.warnings(), op.warnings())
	})
	if cp.exited() || op.exited() {
		poll(10*time.Second, func() bool { return cp.exited() && op.exited() })
		if !cp.exited() || !op.exited() {
			differ("exited: C %v, ours %v", cp.exited(), op.exited())
			return
		}
		if a, b := cp.cmd.ProcessState.ExitCode(), op.cmd.ProcessState.ExitCode(); a != b {
			differ("exit code: C %d, ours %d", a, b)
		}
		if a, b := cp.norm(readFile(cp.errFile)), op.norm(readFile(op.errFile)); a != b {
			differ("stderr: C %q, ours %q", a, b)
		}
		return
	}
	if a, b := cp.warnings(), op.warnings(); !slices.Equal(a, b) {
		differ("warnings: C %q, ours %q", a, b)
	}
	if a, b := markers(cp.root), markers(op.root); !slices.Equal(a, b) {
		differ("services started: C %q, ours %q", a, b)
	}
	if !c.services {
		return
	}
	// The scan goes on: a service added now starts after an ALRM.
	for _, p := range procs {
		if err := rmService(filepath.Join(p.root, c.dir.arg), p.root, "late"); err != nil {
			differ("%v", err)
			return
		}
		p.cmd.Process.Signal(syscall.SIGALRM)
	}
	poll(15*time.Second, func() bool {
		return slices.Contains(markers(cp.root), "late") && slices.Contains(markers(op.root), "late")
	})
	if a, b := markers(cp.root), markers(op.root); !slices.Equal(a, b) {
		differ("services started after adding late and ALRM: C %q, ours %q", a, b)
	}
	if !poll(5*time.Second, func() bool { return slices.Equal(cp.warnings(), op.warnings()) }) {
		differ("warnings after ALRM: C %q, ours %q", cp.warnings(), op.warnings())
	}
	return
}

// rmStop ends a case: HUP (both must exit 111 and stop their supervisors), then whatever
// still runs in the trees is told to exit.
func rmStop(procs []*rmProc, c rmCase, differ func(string, ...any)) {
	running := !procs[0].exited() && !procs[1].exited()
	for _, p := range procs {
		if !p.exited() {
			p.cmd.Process.Signal(syscall.SIGHUP)
		}
	}
	if !poll(10*time.Second, func() bool { return procs[0].exited() && procs[1].exited() }) {
		differ("not ended by HUP: C %v, ours %v", !procs[0].exited(), !procs[1].exited())
		for _, p := range procs {
			p.cmd.Process.Kill()
			<-p.done
		}
	} else if running {
		if a, b := procs[0].cmd.ProcessState.ExitCode(), procs[1].cmd.ProcessState.ExitCode(); a != b || a != 111 {
			differ("exit code after HUP: C %d, ours %d", a, b)
		}
	}
	if !c.services {
		return
	}
	for _, p := range procs {
		scan := filepath.Join(p.root, c.dir.arg)
		left := func() []string {
			var alive []string
			for _, name := range []string{"a", "late", ".hidden"} {
				if okAlive(filepath.Join(scan, name)) {
					alive = append(alive, name)
				}
			}
			return alive
		}
		if !poll(10*time.Second, func() bool { return len(left()) == 0 }) {
			differ("%s: supervisors still running after HUP: %q", p.bin, left())
			for _, name := range left() {
				sendCtl(filepath.Join(scan, name), "dx")
			}
		}
	}
}

// rmParallel runs f(0) ... f(n-1) on workers goroutines: the cases mostly wait.
func rmParallel(n, workers int, f func(i int)) {
	work := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				f(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		work <- i
	}
	close(work)
	wg.Wait()
}

// TestRunsvdirMatrix runs every case under C runsvdir and ours, many at a time (a case is
// mostly waiting for scans), each pair in trees of its own.
func TestRunsvdirMatrix(t *testing.T) {
	t.Parallel() // mostly waiting: overlap the other tests
	cPath := cBin(t, "runsvdir")
	cBin(t, "runsv")
	bin := binDir(t, "runsvdir", "runsv")
	oPath := filepath.Join(bin, "runsvdir")
	cases := rmCases()
	base := t.TempDir()
	writeFile(t, filepath.Join(base, "run"), rmRunScript, 0o755)
	start := time.Now()
	var mu sync.Mutex
	failed := 0
	rmParallel(len(cases), 64, func(i int) {
		c := cases[i]
		dir := filepath.Join(base, strconv.Itoa(i))
		defer os.RemoveAll(dir)
		diffs := rmRun(c, cPath, oPath, bin+":/usr/bin:/bin:/usr/sbin:/sbin", dir)
		if len(diffs) == 0 {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if failed++; failed <= 60 {
			t.Errorf("%s (ours %q, C %q):\n %s", c.name, rmShort(c.ours), rmShort(c.c),
				strings.ReplaceAll(strings.Join(diffs, "\n "), rmLongDir, "LONG"))
		}
	})
	if failed > 60 {
		t.Errorf("... %d cases differ in all", failed)
	}
	t.Logf("%d cases in %v", len(cases), time.Since(start).Round(time.Millisecond))
}

func rmShort(args []string) []string {
	out := slices.Clone(args)
	for i, a := range out {
		if a == rmLongDir {
			out[i] = "LONG"
		}
	}
	return out
}
