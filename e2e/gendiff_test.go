package e2e

// TestGenDiff: generated differential runs. A seed generates a scenario (gendiff_gen_test.go):
// how runsvdir is started, a few services (that run forever, ignore TERM, fork, exit or
// crash at once; with ./finish, ./check, ./down, control/<c> scripts, log services), and
// 10-25 steps (sv commands with and without -v/-w, directories added, removed, renamed,
// made executable late, ./down created and removed, a final SIGHUP). Two identical fresh
// trees run it in lock step: one under Debian's C runsvdir, runsv, svlogd and sv, one
// under ours. After each step the runner waits until both trees settle (gendiff_settle_test.go)
// and compares what a user can observe: sv's output and exit code, the supervise/ files,
// the arguments ./finish got, what control/<c> scripts and signals left, the log lines.
//
//	go test -run 'TestGenDiff$' ./e2e/                          the seeds in testdata/gendiff/seeds
//	RUNIT_GENDIFF_SEED=123 go test -run 'TestGenDiff$' ./e2e/   replay one seed (or a list: 1,2,3)
//	RUNIT_GENDIFF_DURATION=10m go test -timeout 0 -run 'TestGenDiff$' ./e2e/   new seeds for 10 minutes
//	RUNIT_GENDIFF_DRY=1 RUNIT_GENDIFF_SEED=123 go test -v -run 'TestGenDiff$' ./e2e/  only show seed 123's steps
//
// The environment reaches both runsvdirs: RUNIT_LOGPOOL=0 runs ours without the logger pool.

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// gdSvwait is SVWAIT in both trees: sv -v waits 2 s instead of 7 before a timeout.
const gdSvwait = "2"

// gdKnown lists the differences between C runit and ours that TestGenDiff found and that
// are not fixed yet. The generator replaces a step that one of them matches with `sv
// status` of the same services (the step list says "instead of ...: known difference N"),
// so that the rest of the run still compares. When a difference is fixed, remove its
// entry; testdata/gendiff/seeds names a seed that shows it. RUNIT_GENDIFF_KNOWN=show runs
// the steps anyway, to see which are still there (show=NAME,NAME only those entries').
var gdKnown = []struct {
	name  string // the step list says "known difference NAME"; RUNIT_GENDIFF_KNOWN=show=NAME
	what  string // the difference, as it would be reported
	avoid func(m *gdModel, st gdStep) bool
}{
	{name: "svlogd-usr", what: "svlogd and SIGUSR1/SIGUSR2 (sv 1/2 NAME/log): C svlogd does not " +
		"catch them and dies (runsv starts it again), ours goes on running",
		avoid: func(m *gdModel, st gdStep) bool { return gdToSvlogd(m, st, "12") }},
	{name: "control-k", what: "k when control/k exits 0: C runsv marks the service down though " +
		"./run still runs (supervise/stat 'down', status with a pid), so a later d does not " +
		"stop it; ours keeps it 'run' and stops it on d. Also a force-* command's k after its " +
		"timeout",
		avoid: func(m *gdModel, st gdStep) bool {
			for _, tg := range st.targets {
				if v := m.svc(tg.id); v != nil && !tg.log && v.spec.control('k') == 0 &&
					(strings.Contains(st.cmd.ctl, "k") || st.cmd.force) {
					return true
				}
			}
			return false
		}},
	{name: "finish-pid0", what: "sv -v term/kill of a service that wants down and has ./finish: " +
		"ours says 'ok: finish: NAME: (pid 0) Ns' from the record runsv writes for an instant " +
		"between ./run's end and ./finish's start (it meets C's test too: no pid, want down); C " +
		"sv, polling every 420 ms, sees 'down'",
		avoid: func(m *gdModel, st gdStep) bool {
			for _, tg := range st.targets {
				v := m.svc(tg.id)
				if v == nil || tg.log || !v.spec.finish || v.want != 'd' || v.up != gdYes || !st.waited {
					continue
				}
				for _, c := range []byte(st.cmd.ctl) {
					if (c == 't' || c == 'k') && v.spec.diesOn(c) {
						return true
					}
				}
			}
			return false
		}},
	{name: "exit-finish-log", what: "sv kill (or a force-* command's k, as in force-shutdown) of a " +
		"TERM-deaf service told to exit, with ./finish and a log service: C runsv has closed the " +
		"log pipe, yet forks ./finish, whose child fails 'runsv NAME: fatal: unable to setup " +
		"filedescriptor for ./run: file descriptor not open'; ours exits without ./finish and " +
		"prints nothing",
		avoid: func(m *gdModel, st gdStep) bool {
			for _, tg := range st.targets {
				v := m.svc(tg.id)
				if v == nil || tg.log || !v.spec.finish || v.spec.log == 0 {
					continue
				}
				// Told to exit before, or now by force-shutdown, which then kills it.
				stuck := v.exiting || st.cmd.ctl == "x" && v.up != gdNo && !v.spec.diesOnTerm()
				if stuck && (strings.Contains(st.cmd.ctl, "k") || st.cmd.force) {
					return true
				}
			}
			return false
		}},
	{name: "svlogd-term-last-line", what: "TERM (sv stop, term, restart ...) to a paused svlogd " +
		"log service whose service wrote while it was paused: C svlogd reads one buffer more, " +
		"logs its lines but drops the last one read; ours logs that one too (unless the " +
		"service crash-looped: only which lines were logged is compared then)",
		avoid: func(m *gdModel, st gdStep) bool {
			if st.op != gdSv || !strings.ContainsAny(st.cmd.ctl, "td") {
				return false
			}
			for _, tg := range st.targets {
				if v := m.svc(tg.id); v != nil && tg.log && v.spec.log == 1 && v.logPaused && !v.looped {
					return true
				}
			}
			return false
		}},
}

// gdToSvlogd reports whether an sv step sends one of the commands in cmds to an svlogd
// log service.
func gdToSvlogd(m *gdModel, st gdStep, cmds string) bool {
	if st.op != gdSv || len(st.cmd.ctl) != 1 || !strings.Contains(cmds, st.cmd.ctl) {
		return false
	}
	for _, tg := range st.targets {
		if v := m.svc(tg.id); v != nil && tg.log && v.spec.log == 1 {
			return true
		}
	}
	return false
}

func TestGenDiff(t *testing.T) {
	c := gdBins{name: "C", sv: cBin(t, "sv"), runsvdir: cBin(t, "runsvdir"), path: "/usr/bin:/bin:/usr/sbin:/sbin"}
	cBin(t, "runsv")
	cBin(t, "svlogd")
	for _, name := range []string{"sv", "runsvdir", "runsv", "svlogd"} {
		// ci/deb-test.sh puts ours in /usr/bin for a while; comparing ours with ours
		// proves nothing.
		if b, _ := os.ReadFile(cBin(t, name)); bytes.Contains(b, []byte("\xff Go buildinf:")) {
			if strictTests() {
				t.Fatalf("%s is a Go program, not C runit's", cBin(t, name))
			}
			t.Skipf("%s is a Go program, not C runit's: differential test skipped", cBin(t, name))
		}
	}
	o := gdBins{name: "ours", sv: ourBin(t, "sv"), runsvdir: ourBin(t, "runsvdir")}
	o.path = binDir(t, "runsv", "svlogd") + ":" + c.path
	if v := os.Getenv("RUNIT_GENDIFF_DURATION"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("RUNIT_GENDIFF_DURATION=%q: %v", v, err)
		}
		gdForDuration(t, c, o, d)
		return
	}
	seeds, err := gdSeeds()
	if err != nil {
		t.Fatal(err)
	}
	for _, seed := range seeds {
		t.Run(strconv.FormatInt(seed, 10), func(t *testing.T) {
			t.Parallel()
			gdRun(t, c, o, seed)
		})
	}
}

// gdSeeds returns RUNIT_GENDIFF_SEED's seeds, or those in testdata/gendiff/seeds (one per
// line, # starts a comment).
func gdSeeds() ([]int64, error) {
	text := strings.ReplaceAll(os.Getenv("RUNIT_GENDIFF_SEED"), ",", "\n")
	if text == "" {
		b, err := os.ReadFile(filepath.Join("testdata", "gendiff", "seeds"))
		if err != nil {
			return nil, err
		}
		text = string(b)
	}
	var seeds []int64
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		f := strings.TrimSpace(strings.SplitN(sc.Text(), "#", 2)[0])
		if f == "" {
			continue
		}
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("gendiff seed %q: %v", f, err)
		}
		seeds = append(seeds, n)
	}
	return seeds, nil
}

// gdForDuration runs new seeds, RUNIT_GENDIFF_JOBS (default 2) at a time, until d has
// passed; each failing seed is reported with its replay command.
func gdForDuration(t *testing.T, c, o gdBins, d time.Duration) {
	jobs := 2
	if n, err := strconv.Atoi(os.Getenv("RUNIT_GENDIFF_JOBS")); err == nil && n > 0 {
		jobs = n
	}
	end := time.Now().Add(d)
	next := time.Now().UnixNano() % 1e9
	var mu sync.Mutex
	var ran, failed atomic.Int64
	var wg sync.WaitGroup
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(end) {
				mu.Lock()
				seed := next
				next++
				mu.Unlock()
				if !t.Run(strconv.FormatInt(seed, 10), func(t *testing.T) { gdRun(t, c, o, seed) }) {
					failed.Add(1)
				}
				ran.Add(1)
			}
		}()
	}
	wg.Wait()
	t.Logf("gendiff: %d seeds in %v, %d failed", ran.Load(), d, failed.Load())
}

// gdRun runs one seed's scenario in both trees and stops at the first difference.
func gdRun(t *testing.T, cb, ob gdBins, seed int64) {
	sc := gdGenerate(seed)
	if os.Getenv("RUNIT_GENDIFF_DRY") != "" {
		// Only show what the seed would do.
		var b strings.Builder
		for i, st := range sc.steps {
			fmt.Fprintf(&b, "  %2d. %s\n", i+1, st.describe())
		}
		t.Logf("seed %d:\n%s%s", seed, sc.describe(), b.String())
		return
	}
	c, o := newGdTree(t, cb, sc), newGdTree(t, ob, sc)
	m := newGdModel(sc)
	var done []string
	fail := func(step string, diffs []string) {
		var b strings.Builder
		fmt.Fprintf(&b, "gendiff seed %d: C runit and ours differ after step %d (%s)\n", seed, len(done), step)
		fmt.Fprintf(&b, "replay: RUNIT_GENDIFF_SEED=%d go test -count=1 -run 'TestGenDiff$' ./e2e/\n", seed)
		b.WriteString("scenario:\n" + sc.describe() + "steps:\n")
		for i, s := range done {
			fmt.Fprintf(&b, "  %2d. %s\n", i, s)
		}
		b.WriteString("differences (C, then ours; ROOT is each tree's root):\n")
		for _, d := range diffs {
			b.WriteString("  " + strings.ReplaceAll(d, "\n", "\n  ") + "\n")
		}
		t.Fatal(b.String())
	}
	for _, v := range m.svcs {
		for _, tr := range []*gdTree{c, o} {
			if err := tr.create(v.spec, v.name); err != nil {
				t.Fatal(err)
			}
		}
	}
	var errs [2]error
	gdBoth(c, o, func(tr *gdTree) { errs[map[*gdTree]int{c: 0, o: 1}[tr]] = tr.start(sc) })
	if err := errors.Join(errs[:]...); err != nil {
		t.Fatal(err)
	}
	done = append(done, "start runsvdir")
	if diffs := gdSettle(t, c, o, m, gdLooping(m, nil), true); len(diffs) > 0 {
		fail(done[0], diffs)
	}
	t.Logf("gendiff seed %d:\n%s", seed, sc.describe())
	for _, st := range sc.steps {
		stepStart := time.Now()
		before, prev := map[string]bool{}, map[string]gdSvc{}
		for _, v := range m.svcs {
			before[v.spec.id], prev[v.spec.id] = v.looping(), *v
		}
		if st.op == gdSv && st.waited && st.cmd.timed {
			gdWaitAge(c, o, m, st)
		}
		var cr, or gdResult
		gdBoth(c, o, func(tr *gdTree) {
			r := tr.do(st)
			if tr == c {
				cr = r
			} else {
				or = r
			}
		})
		m.apply(st)
		done = append(done, st.describe())
		var diffs []string
		if st.op == gdSv {
			if d := gdSvDiff(st, gdSvOut(c, st, m, prev, cr), gdSvOut(o, st, m, prev, or), cr, or); d != "" {
				diffs = append(diffs, d)
			}
		} else if cr.err != "" || or.err != "" {
			if cr.err != or.err {
				diffs = append(diffs, "step error: C "+cr.err+", ours "+or.err)
			} else {
				t.Fatalf("step %s: %s", st.describe(), cr.err)
			}
		}
		// Slow: runsvdir rescans (C's at most once a second), or a crash loop's one-second
		// pause may still hold back what the step asked for.
		slow := st.op != gdSv || strings.ContainsAny(st.cmd.ctl, "x")
		for _, tg := range st.targets {
			if v := m.svc(tg.id); v != nil && (before[tg.id] || v.looping()) {
				slow = true
			}
		}
		diffs = append(diffs, gdSettle(t, c, o, m, gdLooping(m, before), slow)...)
		if len(diffs) > 0 {
			fail(st.describe(), diffs)
		}
		t.Logf("%2d. %s (%.1fs)", len(done)-1, st.describe(), time.Since(stepStart).Seconds())
	}
}

// gdSvDiff describes a difference of sv's output, as compared and as printed.
func gdSvDiff(st gdStep, cOut, oOut string, cr, or gdResult) string {
	if cOut == oOut {
		return ""
	}
	ind := func(s string) string { return strings.ReplaceAll(s, "\n", "\n        ") }
	return fmt.Sprintf("sv %s:\n  C:    %s\n  ours: %s\n  (as printed: C %q exit %d, ours %q exit %d)",
		strings.Join(st.args, " "), ind(cOut), ind(oOut), cr.r.stdout, cr.r.code, or.r.stdout, or.r.code)
}

// gdLooping is the set of services crash-looping now or before the step.
func gdLooping(m *gdModel, before map[string]bool) map[string]bool {
	l := map[string]bool{}
	for _, v := range m.svcs {
		l[v.spec.id] = v.looping() || before[v.spec.id]
	}
	return l
}
