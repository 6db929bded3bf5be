package scan

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// fakeLauncher records what the scanner asks of it instead of starting supervisors.
type fakeLauncher struct {
	mu        sync.Mutex
	calls     []string       // "start NAME", "stop NAME", "stopAll", "stopAndWait"
	paths     map[int]string // id -> path of its last start
	ids       map[string]int // name -> id of its last start
	names     map[int]string // id -> name of its last start
	failStart map[string]bool
	deaths    chan<- ended
}

func newFake(deaths chan<- ended) *fakeLauncher {
	return &fakeLauncher{paths: map[int]string{}, ids: map[string]int{}, names: map[int]string{},
		failStart: map[string]bool{}, deaths: deaths}
}

func (f *fakeLauncher) start(id int, name, path string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, "start "+name)
	if f.failStart[name] {
		return errors.New("start refused by test")
	}
	f.paths[id], f.ids[name], f.names[id] = path, id, name
	return nil
}

func (f *fakeLauncher) stop(id int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, "stop "+f.names[id])
}

func (f *fakeLauncher) stopAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, "stopAll")
}

func (f *fakeLauncher) stopAndWait() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, "stopAndWait")
}

// take returns the calls since the last take, sorted: stops come from a map walk, so
// their order is not defined; starts sort before stops either way.
func (f *fakeLauncher) take() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.calls
	f.calls = nil
	slices.Sort(c)
	return c
}

func (f *fakeLauncher) count(call string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if c == call {
			n++
		}
	}
	return n
}

func (f *fakeLauncher) id(t *testing.T, name string) int {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	id, ok := f.ids[name]
	if !ok {
		t.Fatalf("no supervisor was started as %q", name)
	}
	return id
}

type warnings struct {
	mu   sync.Mutex
	msgs []string
}

func (w *warnings) warnf(format string, a ...any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.msgs = append(w.msgs, fmt.Sprintf(format, a...))
}

func (w *warnings) take() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	m := w.msgs
	w.msgs = nil
	return m
}

// fsop changes the scan directory (dir) or its surroundings (out, outside dir).
type fsop func(t *testing.T, dir, out string)

func mkdir(names ...string) fsop {
	return func(t *testing.T, dir, _ string) {
		for _, n := range names {
			must(t, os.Mkdir(filepath.Join(dir, n), 0o755))
		}
	}
}

func rm(name string) fsop {
	return func(t *testing.T, dir, _ string) { must(t, os.RemoveAll(filepath.Join(dir, name))) }
}

func mv(from, to string) fsop {
	return func(t *testing.T, dir, _ string) {
		must(t, os.Rename(filepath.Join(dir, from), filepath.Join(dir, to)))
	}
}

func file(name string) fsop {
	return func(t *testing.T, dir, _ string) {
		must(t, os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o644))
	}
}

// link makes dir/name a symlink to target, taken relative to dir; "OUT/x" means out/x.
func link(target, name string) fsop {
	return func(t *testing.T, dir, out string) {
		if rest, ok := strings.CutPrefix(target, "OUT/"); ok {
			target = filepath.Join(out, rest)
		}
		must(t, os.Symlink(target, filepath.Join(dir, name)))
	}
}

// outdir makes a directory outside the scan directory, for links to point at.
func outdir(name string) fsop {
	return func(t *testing.T, _, out string) { must(t, os.Mkdir(filepath.Join(out, name), 0o755)) }
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// step is one scan: filesystem changes, supervisors that die, then the scan and what it
// must ask of the launcher.
type step struct {
	do   []fsop
	die  []string // supervisors (by the name they were started as) reported dead before the scan
	fail []string // names whose start the launcher refuses in this scan
	want []string // launcher calls, sorted
	warn string   // a warning must contain this; "" means no warning at all
}

func TestScan(t *testing.T) {
	tests := []struct {
		name  string
		steps []step
	}{
		{"new directories start a supervisor each", []step{
			{do: []fsop{mkdir("b", "a")}, want: []string{"start a", "start b"}},
			{do: []fsop{mkdir("c")}, want: []string{"start c"}},
		}},
		{"empty directory starts nothing", []step{{}}},
		{"rescan with nothing changed starts nothing", []step{
			{do: []fsop{mkdir("a", "b")}, want: []string{"start a", "start b"}},
			{},
			{},
		}},
		{"dot entries and non-directories are skipped", []step{
			{do: []fsop{mkdir(".hidden", "..x", "svc"), file("plain"), file(".dotfile"),
				link("plain", "tofile"), link("svc", ".dotlink")},
				want: []string{"start svc"}},
		}},
		{"dangling symlink is skipped with a warning", []step{
			{do: []fsop{mkdir("a"), link("nowhere", "b")}, want: []string{"start a"}, warn: "unable to stat b"},
			// Once its target appears it is a service like any other; b sorts first.
			{do: []fsop{mkdir("nowhere")}, want: []string{"start b"}},
			{do: []fsop{rm("b")}},
		}},
		{"symlink to a directory outside counts", []step{
			{do: []fsop{outdir("real"), link("OUT/real", "l")}, want: []string{"start l"}},
		}},
		// Keyed by the target's device and inode: whichever name sorts first starts it.
		{"two names for one directory start one supervisor", []step{
			{do: []fsop{mkdir("b"), link("b", "a")}, want: []string{"start a"}},
			{},
			// One name going leaves the directory in the scan: nothing stops.
			{do: []fsop{rm("a")}},
			// Its supervisor dying restarts it under the name left.
			{die: []string{"a"}, want: []string{"start b"}},
		}},
		{"removed directory gets stop", []step{
			{do: []fsop{mkdir("a", "b")}, want: []string{"start a", "start b"}},
			{do: []fsop{rm("b")}, want: []string{"stop b"}},
			{},
			// Made again, it is a new directory and gets a new supervisor.
			{do: []fsop{mkdir("b")}, want: []string{"start b"}},
		}},
		{"removed symlink gets stop", []step{
			{do: []fsop{outdir("real"), link("OUT/real", "l")}, want: []string{"start l"}},
			{do: []fsop{rm("l")}, want: []string{"stop l"}},
		}},
		{"removed directory whose supervisor is dead gets no stop", []step{
			{do: []fsop{mkdir("a")}, want: []string{"start a"}},
			{do: []fsop{rm("a")}, die: []string{"a"}},
		}},
		{"dead supervisor is restarted at the next scan", []step{
			{do: []fsop{mkdir("a", "b")}, want: []string{"start a", "start b"}},
			{die: []string{"a"}, want: []string{"start a"}},
			{},
			{die: []string{"a", "b"}, want: []string{"start a", "start b"}},
		}},
		// Same device and inode: the running supervisor is kept, not restarted.
		{"renamed directory keeps its supervisor", []step{
			{do: []fsop{mkdir("a")}, want: []string{"start a"}},
			{do: []fsop{mv("a", "c")}},
			{die: []string{"a"}, want: []string{"start c"}},
		}},
		{"failed start is retried at the next scan", []step{
			{do: []fsop{mkdir("a", "b")}, fail: []string{"a"}, want: []string{"start a", "start b"},
				warn: "unable to start runsv a"},
			{want: []string{"start a"}},
			{},
		}},
		{"failed start of a removed directory gets no stop", []step{
			{do: []fsop{mkdir("a")}, fail: []string{"a"}, want: []string{"start a"}, warn: "unable to start runsv a"},
			{do: []fsop{rm("a")}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := t.TempDir()
			dir := filepath.Join(out, "service")
			must(t, os.Mkdir(dir, 0o755))
			real, err := filepath.EvalSymlinks(dir) // t.TempDir may itself be under a symlink
			must(t, err)
			f := newFake(nil)
			var w warnings
			s := newScanner(dir, f, w.warnf, false)
			for i, st := range tt.steps {
				for _, op := range st.do {
					op(t, dir, out)
				}
				for _, name := range st.die {
					s.died(f.id(t, name))
				}
				f.mu.Lock()
				f.failStart = map[string]bool{}
				for _, name := range st.fail {
					f.failStart[name] = true
				}
				f.mu.Unlock()
				if !s.scan() {
					t.Fatalf("scan %d: reported the directory unreadable", i)
				}
				if got := f.take(); !slices.Equal(got, st.want) {
					t.Errorf("scan %d: launcher calls %q, want %q", i, got, st.want)
				}
				checkWarn(t, i, w.take(), st.warn)
				// Supervisors run in the scan directory as resolved, under the entry's name.
				for id, p := range f.paths {
					if want := filepath.Join(real, f.names[id]); p != want {
						t.Errorf("scan %d: supervisor %d started with path %s, want %s", i, id, p, want)
					}
				}
			}
		})
	}
}

func checkWarn(t *testing.T, i int, got []string, want string) {
	t.Helper()
	if want == "" {
		if len(got) > 0 {
			t.Errorf("scan %d: unexpected warnings %q", i, got)
		}
		return
	}
	for _, m := range got {
		if strings.Contains(m, want) {
			return
		}
	}
	t.Errorf("scan %d: warnings %q, want one containing %q", i, got, want)
}

// scanExpect runs one scan, which must read the directory, and requires exactly these
// launcher calls of it.
func scanExpect(t *testing.T, s *scanner, f *fakeLauncher, want ...string) {
	t.Helper()
	if !s.scan() {
		t.Fatal("scan failed")
	}
	if got := f.take(); !slices.Equal(got, want) {
		t.Fatalf("launcher calls %q, want %q", got, want)
	}
}

// A scan directory that cannot be read must not look empty: that would stop every service.
func TestScanUnreadableDirStopsNothing(t *testing.T) {
	out := t.TempDir()
	dir := filepath.Join(out, "service")
	must(t, os.Mkdir(dir, 0o755))
	must(t, os.Mkdir(filepath.Join(dir, "a"), 0o755))
	f := newFake(nil)
	var w warnings
	s := newScanner(dir, f, w.warnf, false)
	scanExpect(t, s, f, "start a")
	must(t, os.Rename(dir, dir+".away"))
	if s.scan() {
		t.Error("scan of a missing directory reported success")
	}
	if got := f.take(); len(got) > 0 {
		t.Errorf("scan of a missing directory made launcher calls %q", got)
	}
	checkWarn(t, 1, w.take(), "unable to change directory to "+dir+": file does not exist") // C's chdir failing
	must(t, os.Rename(dir+".away", dir))
	scanExpect(t, s, f) // back unchanged: nothing to do
}

// runsvchdir switches a `current` symlink: services are started with the directory as
// resolved at that scan, so those already running keep their path, and the new
// directory's services replace the old ones.
func TestScanDirSymlinkSwitch(t *testing.T) {
	out := t.TempDir()
	real, err := filepath.EvalSymlinks(out)
	must(t, err)
	for _, d := range []string{"A/x", "B/y"} {
		must(t, os.MkdirAll(filepath.Join(out, d), 0o755))
	}
	cur := filepath.Join(out, "current")
	must(t, os.Symlink("A", cur))
	f := newFake(nil)
	var w warnings
	s := newScanner(cur, f, w.warnf, false)
	scanExpect(t, s, f, "start x")
	if p, want := f.paths[f.id(t, "x")], filepath.Join(real, "A", "x"); p != want {
		t.Errorf("x started with path %s, want %s (resolved, not through the link)", p, want)
	}
	must(t, os.Remove(cur))
	must(t, os.Symlink("B", cur))
	scanExpect(t, s, f, "start y", "stop x")
	if p, want := f.paths[f.id(t, "y")], filepath.Join(real, "B", "y"); p != want {
		t.Errorf("y started with path %s, want %s", p, want)
	}
	checkWarn(t, 1, w.take(), "")
}

func TestScanServiceLimit(t *testing.T) {
	dir := t.TempDir()
	for i := range maxServices + 2 {
		must(t, os.Mkdir(filepath.Join(dir, fmt.Sprintf("s%04d", i)), 0o755))
	}
	f := newFake(nil)
	var w warnings
	s := newScanner(dir, f, w.warnf, false)
	s.scan()
	if got := len(f.take()); got != maxServices {
		t.Errorf("%d supervisors started, want the limit %d", got, maxServices)
	}
	got := w.take()
	if len(got) != 2 || !strings.Contains(got[0], "too many services") {
		t.Errorf("warnings %q, want two about too many services", got)
	}
	// A service over the limit gets its turn at the scan after one has gone: the slot
	// is freed only once that scan has seen the directory missing.
	must(t, os.Remove(filepath.Join(dir, "s0000")))
	s.scan()
	if got := f.take(); !slices.Equal(got, []string{"stop s0000"}) {
		t.Errorf("after one removal, launcher calls %q, want [stop s0000]", got)
	}
	w.take()
	s.scan()
	if got := f.take(); !slices.Equal(got, []string{"start s1000"}) {
		t.Errorf("at the scan after, launcher calls %q, want [start s1000]", got)
	}
	if got := w.take(); len(got) != 1 || !strings.Contains(got[0], "s1001") {
		t.Errorf("warnings %q, want one about s1001", got)
	}
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, d time.Duration, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(d); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
	}
}

// runLoop starts loop on a scan directory holding one service, a, and returns once a's
// supervisor has been started: loop has installed its signal handlers by then, so
// signalling the test process is safe.
func runLoop(t *testing.T, stopOnTerm bool) (*fakeLauncher, chan<- ended, <-chan int) {
	dir := t.TempDir()
	must(t, os.Mkdir(filepath.Join(dir, "a"), 0o755))
	deaths := make(chan ended, 64)
	f := newFake(deaths)
	var w warnings
	s := newScanner(dir, f, w.warnf, stopOnTerm)
	ret := make(chan int, 1)
	go func() { ret <- s.loop(deaths) }()
	waitFor(t, "the first start", 10*time.Second, func() bool { return f.count("start a") == 1 })
	return f, deaths, ret
}

// runIdleLoop starts loop on a scan directory holding one service, a, unchanged for an
// hour (so that loop looks again a second after its first scan, then every five seconds),
// with a launcher refusing to start the services in failStart.
func runIdleLoop(t *testing.T, failStart map[string]bool) (*fakeLauncher, chan<- ended, <-chan int) {
	dir := t.TempDir()
	must(t, os.Mkdir(filepath.Join(dir, "a"), 0o755))
	must(t, os.Chtimes(dir, time.Now().Add(-time.Hour), time.Now().Add(-time.Hour)))
	deaths := make(chan ended, 64)
	f := newFake(deaths)
	for name := range failStart {
		f.failStart[name] = true
	}
	var w warnings
	ret := make(chan int, 1)
	go func() { ret <- newScanner(dir, f, w.warnf, false).loop(deaths) }()
	return f, deaths, ret
}

func signalLoop(t *testing.T, sig syscall.Signal, ret <-chan int) int {
	t.Helper()
	must(t, syscall.Kill(os.Getpid(), sig))
	select {
	case code := <-ret:
		return code
	case <-time.After(10 * time.Second):
		t.Fatalf("loop did not return on %v", sig)
		return -1
	}
}

// A death reported on the channel, as the launchers report it, makes loop restart the
// supervisor at its next scan. Nothing else marks a supervisor dead, so a second start
// of a can only come from the death.
func TestLoopRestartsDeadSupervisor(t *testing.T) {
	f, deaths, ret := runLoop(t, false)
	deaths <- ended{id: f.id(t, "a")}
	// loop scans at most once a second; allow several.
	waitFor(t, "the restart", 10*time.Second, func() bool { return f.count("start a") == 2 })
	if code := signalLoop(t, syscall.SIGHUP, ret); code != 111 {
		t.Errorf("exit code %d on HUP, want 111", code)
	}
}

// A supervisor that ended is started again when loop next looks at the directory, as C
// runsvdir notices a runsv's end only when its pause ends (five seconds when idle); one
// whose host died is started again at once. With the directory unchanged for an hour,
// loop looks again a second after the first start, then five seconds later.
func TestLoopRestartTiming(t *testing.T) {
	for _, now := range []bool{false, true} {
		t.Run(fmt.Sprintf("now=%v", now), func(t *testing.T) {
			f, deaths, ret := runIdleLoop(t, nil)
			waitFor(t, "the first start", 10*time.Second, func() bool { return f.count("start a") == 1 })
			started := time.Now()
			time.Sleep(1500 * time.Millisecond) // past loop's first look, a second after the start
			deaths <- ended{id: f.id(t, "a"), now: now}
			waitFor(t, "the restart", 10*time.Second, func() bool { return f.count("start a") == 2 })
			took := time.Since(started)
			if !now && took < 4*time.Second {
				t.Errorf("restarted %v after the first start, before loop's next look (6 s)", took)
			}
			if now && took >= 4*time.Second {
				t.Errorf("restarted %v after the first start: a dead host's services wait for the next look", took)
			}
			if code := signalLoop(t, syscall.SIGHUP, ret); code != 111 {
				t.Errorf("exit code %d on HUP, want 111", code)
			}
		})
	}
}

// A supervisor that could not start (no fork, a host that would not start) is tried again
// a second later although the directory has not changed; it used to wait for the next
// change of the directory or an ALRM.
func TestLoopRetriesFailedStart(t *testing.T) {
	f, _, ret := runIdleLoop(t, map[string]bool{"a": true})
	waitFor(t, "three refused starts", 10*time.Second, func() bool { return f.count("start a") >= 3 })
	if code := signalLoop(t, syscall.SIGHUP, ret); code != 111 {
		t.Errorf("exit code %d on HUP, want 111", code)
	}
}

func TestLoopSignals(t *testing.T) {
	tests := []struct {
		name       string
		sig        syscall.Signal
		stopOnTerm bool
		code       int
		want       string // the launcher call the signal makes, "" for none
	}{
		{"HUP stops all and exits 111", syscall.SIGHUP, false, 111, "stopAll"},
		{"TERM leaves supervisors running", syscall.SIGTERM, false, 0, ""},
		{"TERM with -s stops and waits", syscall.SIGTERM, true, 0, "stopAndWait"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _, ret := runLoop(t, tt.stopOnTerm)
			if code := signalLoop(t, tt.sig, ret); code != tt.code {
				t.Errorf("exit code %d, want %d", code, tt.code)
			}
			var want []string
			if tt.want != "" {
				want = []string{tt.want}
			}
			got := slices.DeleteFunc(f.take(), func(c string) bool { return c == "start a" })
			if !slices.Equal(got, want) {
				t.Errorf("launcher calls %q, want %q", got, want)
			}
		})
	}
}
