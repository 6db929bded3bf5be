package e2e

// The two trees of TestGenDiff (gendiff_test.go): the same directories, one run by C
// runit's programs and one by ours, and the steps done to each.

import (
	"bytes"
	"context"
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
)

// gdBins are the programs of one side: sv and runsvdir by path, runsv and svlogd by PATH
// (runsvdir starts runsv, log/run scripts start svlogd).
type gdBins struct{ name, sv, runsvdir, path string }

// gdTree is one side's tree: ROOT/scan (runsvdir's directory and SVDIR), ROOT/attic
// (where removed services go), ROOT/sv (where linked services live), ROOT/stage (where new
// services are written before they appear in scan/ at once).
type gdTree struct {
	bins gdBins
	root string
	cwd  string // where sv runs
	cmd  *exec.Cmd
	done chan struct{}
	exit int
	// base is, per "id file", how much of a service's file was written while it
	// crash-looped; next is what base becomes once the current step has settled.
	base, next map[string]int
}

func newGdTree(t *testing.T, b gdBins, sc *gdScenario) *gdTree {
	tr := &gdTree{bins: b, root: t.TempDir(), done: make(chan struct{}),
		base: map[string]int{}, next: map[string]int{}}
	for _, d := range []string{"scan", "attic", "sv", "stage"} {
		if err := os.Mkdir(filepath.Join(tr.root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	tr.cwd = tr.root
	if sc.svInScan {
		tr.cwd = filepath.Join(tr.root, "scan")
	}
	t.Cleanup(tr.stop)
	return tr
}

// gdBoth runs f for both trees at the same time.
func gdBoth(c, o *gdTree, f func(*gdTree)) {
	var wg sync.WaitGroup
	for _, tr := range []*gdTree{c, o} {
		wg.Add(1)
		go func() { defer wg.Done(); f(tr) }()
	}
	wg.Wait()
}

func (tr *gdTree) path(rel string) string { return filepath.Join(tr.root, rel) }

// create writes a service in stage/ and moves it into scan/ (or sv/, linked from scan/).
func (tr *gdTree) create(s gdSpec, name string) error {
	stage := tr.path("stage/" + s.id)
	if err := s.write(stage); err != nil {
		return err
	}
	if s.linked {
		if err := os.Rename(stage, tr.path("sv/"+s.id)); err != nil {
			return err
		}
		return os.Symlink("../sv/"+s.id, tr.path("scan/"+name))
	}
	return os.Rename(stage, tr.path("scan/"+name))
}

// start starts runsvdir on scan/ as the scenario says (called beside the other tree's
// start, so it returns its error instead of failing the test).
func (tr *gdTree) start(sc *gdScenario) error {
	var args []string
	if sc.pflag {
		args = append(args, "-P")
	}
	if sc.classic && tr.bins.name == "ours" {
		args = append(args, "-C")
	}
	args = append(args, tr.path("scan"))
	if sc.logArg != "" {
		args = append(args, sc.logArg)
	}
	cmd := exec.Command(tr.bins.runsvdir, args...)
	cmd.Env = append(gdEnv(), "PATH="+tr.bins.path, "RUNIT_GENDIFF_TREE="+tr.root)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// Files, not pipes: supervisors and services inherit them and may outlive runsvdir.
	for i, name := range []string{"runsvdir.out", "runsvdir.err"} {
		f, err := os.Create(tr.path(name))
		if err != nil {
			return err
		}
		defer f.Close()
		if i == 0 {
			cmd.Stdout = f
		} else {
			cmd.Stderr = f
		}
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("%s runsvdir: %v", tr.bins.name, err)
	}
	tr.cmd = cmd
	go func() {
		cmd.Wait()
		tr.exit = cmd.ProcessState.ExitCode()
		close(tr.done)
	}()
	return nil
}

// gdEnv is the test's environment without what the trees set themselves.
func gdEnv() []string {
	var env []string
	for _, e := range os.Environ() {
		k, _, _ := strings.Cut(e, "=")
		switch k {
		case "PATH", "SVDIR", "SVWAIT":
			continue
		}
		if !strings.HasPrefix(k, "RUNIT_GENDIFF") {
			env = append(env, e)
		}
	}
	return env
}

func (tr *gdTree) running() bool {
	select {
	case <-tr.done:
		return false
	default:
		return tr.cmd != nil
	}
}

// alarm makes runsvdir rescan now (Debian's C runsvdir and ours both rescan on ALRM).
func (tr *gdTree) alarm() {
	if tr.running() {
		tr.cmd.Process.Signal(syscall.SIGALRM)
	}
}

// stop ends runsvdir (HUP: supervisors are told to exit) and then every process the tree
// started, found by the RUNIT_GENDIFF_TREE variable they inherited.
func (tr *gdTree) stop() {
	if tr.running() {
		tr.cmd.Process.Signal(syscall.SIGHUP)
		select {
		case <-tr.done:
		case <-time.After(3 * time.Second):
		}
	}
	for range 3 {
		gdKillMarked(tr.root)
		time.Sleep(50 * time.Millisecond)
	}
	if tr.cmd != nil {
		tr.cmd.Process.Kill()
		<-tr.done
	}
}

// gdKillMarked kills every process whose environment has RUNIT_GENDIFF_TREE=root (Linux's
// /proc; elsewhere C runit is not installed and the test does not run). Not a logger pool
// (on by default): one pool serves the loggers of every tree of the same user, other
// seeds' too, whichever tree started it; it exits by itself once its loggers are gone.
func gdKillMarked(root string) {
	mark := []byte("\x00RUNIT_GENDIFF_TREE=" + root + "\x00")
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if argv, _ := os.ReadFile("/proc/" + e.Name() + "/cmdline"); bytes.HasPrefix(argv, []byte("svlogd-pool\x00")) {
			continue
		}
		env, err := os.ReadFile("/proc/" + e.Name() + "/environ")
		if err == nil && bytes.Contains(append([]byte{0}, env...), mark) {
			syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

// gdResult is what a step printed (sv steps) or the error it met.
type gdResult struct {
	r   result
	err string
}

// do does a step to the tree.
func (tr *gdTree) do(st gdStep) gdResult {
	var err error
	scan := func(name string) string { return tr.path("scan/" + name) }
	switch st.op {
	case gdSv:
		return tr.sv(st.args...)
	case gdAdd:
		err = tr.create(st.spec, st.name)
	case gdRemove:
		if _, e := os.Readlink(scan(st.name)); e == nil {
			err = os.Remove(scan(st.name))
		} else {
			err = os.Rename(scan(st.name), tr.path("attic/"+st.name))
		}
	case gdRename:
		err = os.Rename(scan(st.from), scan(st.name))
	case gdReadd:
		if _, e := os.Stat(tr.path("sv/" + st.id)); e == nil {
			err = os.Symlink("../sv/"+st.id, scan(st.name))
		} else {
			err = os.Rename(tr.path("attic/"+st.name), scan(st.name))
		}
	case gdChmod:
		err = os.Chmod(scan(st.name+"/run"), 0o755)
	case gdDown:
		down := scan(st.name + "/down")
		if _, e := os.Stat(down); e == nil {
			err = os.Remove(down)
		} else {
			err = os.WriteFile(down, nil, 0o644)
		}
	case gdHup:
		if tr.running() {
			err = tr.cmd.Process.Signal(syscall.SIGHUP)
		}
	}
	if st.op != gdHup {
		tr.alarm()
	}
	if err != nil {
		return gdResult{err: strings.ReplaceAll(err.Error(), tr.root, "ROOT")}
	}
	return gdResult{}
}

// sv runs the tree's sv in its working directory; ROOT in an argument is the tree root.
func (tr *gdTree) sv(args ...string) gdResult {
	var a []string
	for _, s := range args {
		a = append(a, strings.Replace(s, "ROOT", tr.root, 1))
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, tr.bins.sv, a...)
	cmd.Dir = tr.cwd
	cmd.Env = append(gdEnv(), "PATH="+tr.bins.path, "SVDIR="+tr.path("scan"), "SVWAIT="+gdSvwait)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		return gdResult{err: "sv: " + err.Error()}
	}
	return gdResult{r: result{o.String(), e.String(), code}}
}
