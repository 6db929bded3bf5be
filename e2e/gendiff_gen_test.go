package e2e

// The generator of TestGenDiff (gendiff_test.go): a seed gives a scenario (how runsvdir
// is started, the services it starts with, and 10-25 steps), and a model of what each
// service settles to after each step. The model only tells the runner how long to wait
// and which facts are too timing-dependent to compare; what is compared is always C runit
// against ours.

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// gdKind is what a service's ./run does.
type gdKind int

const (
	gdSleeper  gdKind = iota // exec sleep: every signal sv can send ends it
	gdTrapper                // records HUP ALRM INT QUIT USR1 USR2 in ./sigs; TERM ends it
	gdStubborn               // ignores every signal sv can send but KILL
	gdForker                 // leaves a background child behind, then exec sleep
	gdExit0                  // exits 0 at once
	gdExit1                  // exits 1 at once
	gdCrash                  // is killed by SIGKILL at once
)

var gdKindWords = []string{"runs forever", "runs forever and records signals", "runs forever and ignores TERM",
	"forks a child and runs forever", "exits 0 at once", "exits 1 at once", "crashes at once (SIGKILL)"}

// gdSpec is a service directory as it is created.
type gdSpec struct {
	id       string // first name, also the text it prints; the model's key
	kind     gdKind
	runExec  bool   // ./run created 0755 (else 0644, made executable by a later step)
	finish   bool   // ./finish appends its arguments to ./finish.args
	check    int    // 0 no ./check, 1 ./check exits 0, 2 ./check exits 1
	down     bool   // ./down exists
	controls string // pairs of control/<c> and its exit code, e.g. "t0h1"
	log      int    // 0 no log service, 1 log/run is svlogd, 2 log/run is a cat loop
	linked   bool   // the directory lives in sv/, scan/ holds a symlink to it
}

// lasts reports whether ./run, once started, keeps running.
func (s gdSpec) lasts() bool { return s.kind <= gdForker }

// control returns the exit code of control/c, or -1 when there is none.
func (s gdSpec) control(c byte) int {
	for i := 0; i+1 < len(s.controls); i += 2 {
		if s.controls[i] == c {
			return int(s.controls[i+1] - '0')
		}
	}
	return -1
}

// diesOnTerm reports whether the stop sequence (TERM, CONT) ends a running ./run.
func (s gdSpec) diesOnTerm() bool { return s.kind != gdStubborn && s.control('t') != 0 }

// diesOn reports whether signal command c ends a running, not stopped ./run.
func (s gdSpec) diesOn(c byte) bool {
	if s.control(c) == 0 {
		return false
	}
	switch c {
	case 'k':
		return true
	case 't':
		return s.kind != gdStubborn
	case 'h', 'a', 'i', 'q', '1', '2':
		return s.kind == gdSleeper || s.kind == gdForker
	}
	return false
}

func (s gdSpec) describe() string {
	var b strings.Builder
	b.WriteString(gdKindWords[s.kind])
	if !s.runExec {
		b.WriteString(", ./run mode 0644")
	}
	if s.finish {
		b.WriteString(", ./finish records its arguments")
	}
	if s.check > 0 {
		b.WriteString([]string{"", ", ./check exits 0", ", ./check exits 1"}[s.check])
	}
	if s.down {
		b.WriteString(", ./down")
	}
	for i := 0; i+1 < len(s.controls); i += 2 {
		fmt.Fprintf(&b, ", control/%c exits %c", s.controls[i], s.controls[i+1])
	}
	b.WriteString([]string{"", ", log/run is svlogd", ", log/run is cat"}[s.log])
	if s.linked {
		b.WriteString(", linked from sv/" + s.id)
	}
	return b.String()
}

func (s gdSpec) runScript() string {
	head := "#!/bin/sh\necho " + s.id + " start\n"
	switch s.kind {
	case gdTrapper:
		return head + "for s in HUP ALRM INT QUIT USR1 USR2; do trap \"echo $s >>sigs\" $s; done\n" +
			"while :; do sleep 1000 >/dev/null 2>&1 & wait $!; kill $! 2>/dev/null; done\n"
	case gdStubborn:
		return head + "trap '' TERM HUP ALRM INT QUIT USR1 USR2\nexec sleep 1000\n"
	case gdForker:
		return head + "sleep 1000 >/dev/null 2>&1 &\nexec sleep 1000\n"
	case gdExit0:
		return head + "exit 0\n"
	case gdExit1:
		return head + "exit 1\n"
	case gdCrash:
		return head + "kill -KILL $$\n"
	}
	return head + "exec sleep 1000\n"
}

// write creates the service directory dir.
func (s gdSpec) write(dir string) error {
	files := []struct {
		name, text string
		mode       os.FileMode
	}{{"run", s.runScript(), 0o755}}
	if !s.runExec {
		files[0].mode = 0o644
	}
	if s.finish {
		files = append(files, struct {
			name, text string
			mode       os.FileMode
		}{"finish", "#!/bin/sh\necho \"$1 $2\" >>finish.args\n", 0o755})
	}
	add := func(name, text string, mode os.FileMode) {
		files = append(files, struct {
			name, text string
			mode       os.FileMode
		}{name, text, mode})
	}
	if s.check > 0 {
		add("check", fmt.Sprintf("#!/bin/sh\nexit %d\n", s.check-1), 0o755)
	}
	if s.down {
		add("down", "", 0o644)
	}
	for i := 0; i+1 < len(s.controls); i += 2 {
		c := string(s.controls[i])
		add("control/"+c, "#!/bin/sh\necho "+c+" >>control.log\nexit "+string(s.controls[i+1])+"\n", 0o755)
	}
	switch s.log {
	case 1:
		add("log/run", "#!/bin/sh\nexec svlogd main\n", 0o755)
		add("log/main/.keep", "", 0o644)
	case 2:
		add("log/run", "#!/bin/sh\nexec cat >>out\n", 0o755)
	}
	for _, f := range files {
		p := filepath.Join(dir, f.name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(f.text), f.mode); err != nil {
			return err
		}
		if err := os.Chmod(p, f.mode); err != nil {
			return err
		}
	}
	return nil
}

// gdOp is what a step does.
type gdOp int

const (
	gdSv     gdOp = iota // run sv
	gdAdd                // a new service directory appears in scan/
	gdRemove             // a service leaves scan/ (moved to attic/, or its symlink removed)
	gdRename             // a service's entry in scan/ is renamed
	gdReadd              // a removed service comes back under its old name
	gdChmod              // chmod 0755 run
	gdDown               // ./down created or removed
	gdHup                // runsvdir gets SIGHUP (always the last step)
)

// gdTarget is one service argument of an sv step.
type gdTarget struct {
	arg string // as passed to sv
	id  string // the service it names ("" for none)
	log bool   // the service's log service
}

type gdStep struct {
	op      gdOp
	id      string // the service (all ops but gdSv, gdHup)
	name    string // its entry name in scan/ (the new one for gdAdd, gdRename)
	from    string // gdRename: the entry's old name
	spec    gdSpec // gdAdd
	args    []string
	targets []gdTarget
	cmd     gdCommand
	waited  bool   // sv waits for a state (-v, -w, or a command that always waits)
	instead string // what the step replaces (see gdKnown)
}

// gdCommand is an sv command and what runsv is sent for it.
type gdCommand struct {
	word   string
	ctl    string // control bytes sv writes
	always bool   // waits without -v
	force  bool   // sends k after a timeout
	timed  bool   // C sv's check compares whole seconds with its start time
	weight int
}

var gdCommands = []gdCommand{
	{"up", "u", false, false, false, 8}, {"down", "d", false, false, false, 8},
	{"once", "o", false, false, true, 4}, {"pause", "p", false, false, false, 3},
	{"cont", "c", false, false, false, 3}, {"hup", "h", false, false, false, 2},
	{"alarm", "a", false, false, false, 1}, {"interrupt", "i", false, false, false, 1},
	{"quit", "q", false, false, false, 1}, {"1", "1", false, false, false, 1},
	{"2", "2", false, false, false, 1}, {"term", "t", false, false, true, 4},
	{"kill", "k", false, false, true, 3}, {"exit", "x", false, false, false, 2},
	{"start", "u", true, false, false, 3}, {"stop", "d", true, false, false, 3},
	{"reload", "h", true, false, false, 1}, {"restart", "tcu", true, false, true, 4},
	{"try-restart", "tc", true, false, true, 1}, {"shutdown", "x", true, false, false, 1},
	{"force-stop", "d", true, true, false, 2}, {"force-reload", "tc", true, true, true, 1},
	{"force-restart", "tcu", true, true, true, 2}, {"force-shutdown", "x", true, true, false, 1},
	{"status", "", false, false, false, 4}, {"check", "", true, false, false, 3},
}

func (st gdStep) describe() string {
	switch st.op {
	case gdSv:
		return "sv " + strings.Join(st.args, " ") + st.instead
	case gdAdd:
		return fmt.Sprintf("add service scan/%s (%s)", st.name, st.spec.describe())
	case gdRemove:
		return "remove scan/" + st.name + " (moved to attic/, or its symlink removed)"
	case gdRename:
		return "rename scan/" + st.from + " to scan/" + st.name
	case gdReadd:
		return "put scan/" + st.name + " back"
	case gdChmod:
		return "chmod 0755 scan/" + st.name + "/run"
	case gdDown:
		return "create or remove scan/" + st.name + "/down"
	case gdHup:
		return "send runsvdir SIGHUP"
	}
	return "?"
}

// gdScenario is everything a seed generates.
type gdScenario struct {
	seed     int64
	classic  bool   // ours runs runsvdir -C (a runsv process per service)
	pflag    bool   // runsvdir -P
	logArg   string // runsvdir's log argument, "" for none
	svInScan bool   // sv runs in scan/ (else in the tree root)
	services []gdSpec
	steps    []gdStep
}

func (sc *gdScenario) describe() string {
	var b strings.Builder
	args := "runsvdir"
	if sc.pflag {
		args += " -P"
	}
	args += " SCAN"
	if sc.logArg != "" {
		args += " '" + sc.logArg + "'"
	}
	mode := "in-process supervisors"
	if sc.classic {
		mode = "-C: a runsv process per service"
	}
	cwd := "the tree root (scan/ is SVDIR)"
	if sc.svInScan {
		cwd = "scan/ (SVDIR)"
	}
	fmt.Fprintf(&b, "  %s (ours: %s); sv runs in %s with SVWAIT=%s\n", args, mode, cwd, gdSvwait)
	for _, s := range sc.services {
		fmt.Fprintf(&b, "  service scan/%s: %s\n", s.id, s.describe())
	}
	return b.String()
}

type gdTri int8

const (
	gdUnknown gdTri = iota
	gdYes
	gdNo
)

// gdSvc is the model of one service: where it is and what it should settle to.
type gdSvc struct {
	spec    gdSpec
	name    string // entry name in scan/ (or attic/)
	inScan  bool
	alive   gdTri // its runsv runs
	want    byte  // 'u', 'd', or 0 when unknown
	up      gdTri // ./run runs
	stopped gdTri // ./run is stopped (SIGSTOP)
	logWant byte
	downNow bool // ./down exists now (runsv reads it only when it starts)
	exiting bool // told to exit, its runsv waits for a ./run that ignores TERM
	cRacy   bool // got a c right after a t: whether control/c ran is timing
	looped  bool // it crash-looped at some point: counts of what each start leaves differ by timing
	// logPaused: sv pause was sent to its log service, and nothing since that continues
	// or ends the logger
	logPaused bool
	// heldLoop: it crash-looped while its log was paused: how many of the loop's lines
	// wait in the pipe, to be logged at some later step, is timing
	heldLoop bool
}

// dir is the service directory relative to the tree root.
func (v *gdSvc) dir() string {
	switch {
	case v.spec.linked:
		return "sv/" + v.spec.id
	case v.inScan:
		return "scan/" + v.name
	}
	return "attic/" + v.name
}

// looping reports whether ./run is started again and again (wanted up but cannot last).
func (v *gdSvc) looping() bool {
	return v.alive != gdNo && v.want != 'd' && !(v.spec.lasts() && v.spec.runExec)
}

// fresh: a new runsv took the service.
func (v *gdSvc) fresh() {
	v.alive, v.want, v.logWant, v.stopped, v.exiting, v.logPaused = gdYes, 'u', 'u', gdNo, false, false
	if v.downNow {
		v.want = 'd'
	}
	v.up = gdNo
	if v.want == 'u' && v.spec.lasts() && v.spec.runExec {
		v.up = gdYes
	}
	v.note()
}

func (v *gdSvc) note() {
	if v.looping() {
		v.looped = true
		v.heldLoop = v.heldLoop || v.logPaused
	}
}

// started: ./run was (re)started by runsv.
func (v *gdSvc) started() {
	if v.spec.lasts() && v.spec.runExec {
		v.up, v.stopped = gdYes, gdNo
	} else {
		v.up = gdNo
	}
}

// unknown: the model cannot tell what happens next; the runner then relies on both trees
// agreeing and staying quiet.
func (v *gdSvc) unknown() { v.want, v.up, v.stopped = 0, gdUnknown, gdUnknown }

// ctl applies one control byte sent to the main service.
func (v *gdSvc) ctl(c byte) {
	s := v.spec
	switch c {
	case 'u':
		v.want = 'u'
		if v.up == gdNo {
			v.started()
		}
	case 'd':
		v.want = 'd'
		v.stop()
	case 'o':
		v.want = 'd'
		if v.up == gdNo {
			v.started()
			if !s.lasts() || !s.runExec {
				v.up = gdNo
			}
		}
	case 'x':
		v.exit(v.inScan)
	case 't', 'k':
		if v.up != gdYes {
			return
		}
		if c == 'k' && s.control('k') == 0 {
			// C runsv marks the service down without a kill; what follows is its quirk.
			v.unknown()
			return
		}
		if !s.diesOn(c) {
			return
		}
		if c == 't' && v.stopped != gdNo {
			v.up = gdUnknown // TERM is pending until a CONT
			return
		}
		v.died()
	case 'p', 'c':
		if v.up == gdYes && s.control(c) != 0 {
			v.stopped = map[byte]gdTri{'p': gdYes, 'c': gdNo}[c]
		}
	case 'h', 'a', 'i', 'q', '1', '2':
		if v.up == gdYes && s.diesOn(c) {
			if v.stopped != gdNo {
				v.up = gdUnknown
				return
			}
			v.died()
		}
	}
}

// died: ./run ended; runsv starts it again if wanted up.
func (v *gdSvc) died() {
	v.up = gdNo
	if v.want == 'u' {
		v.started()
	}
}

// stop is runsv's stop sequence for d: TERM (unless control/t exits 0), then CONT.
func (v *gdSvc) stop() {
	switch {
	case !v.spec.lasts() || !v.spec.runExec:
		v.up = gdNo
	case v.up == gdYes && v.spec.diesOnTerm():
		v.up, v.stopped = gdNo, gdNo
	case v.up == gdYes:
		v.stopped = gdNo
	}
}

// exit is x: the stop sequence, then runsv exits once ./run is gone; in scan/, runsvdir
// starts a new runsv.
func (v *gdSvc) exit(restart bool) {
	if v.alive != gdYes {
		return
	}
	v.stop()
	switch v.up {
	case gdNo:
		if restart {
			v.fresh()
			return
		}
		v.alive, v.want = gdNo, 'd'
	case gdYes:
		v.want, v.exiting = 'd', true
	default:
		v.unknown()
		v.alive = gdUnknown
		if restart {
			v.alive = gdYes
		}
	}
}

// gdModel is the model of a whole tree.
type gdModel struct {
	svcs    []*gdSvc // in order of creation
	hupped  bool
	paused  bool // sv pause was sent (to a service or a log service)
	usedIDs map[string]bool
}

var gdNames = strings.Fields("ant bee cat dog eel fox gnu hen yak owl pig rat elk emu koi ram")

func newGdModel(sc *gdScenario) *gdModel {
	m := &gdModel{usedIDs: map[string]bool{}}
	for _, s := range sc.services {
		v := &gdSvc{spec: s, name: s.id, inScan: true, downNow: s.down}
		v.fresh()
		m.svcs = append(m.svcs, v)
		m.usedIDs[s.id] = true
	}
	return m
}

func (m *gdModel) svc(id string) *gdSvc {
	for _, v := range m.svcs {
		if v.spec.id == id {
			return v
		}
	}
	return nil
}

// apply advances the model over a step.
func (m *gdModel) apply(st gdStep) {
	switch st.op {
	case gdSv:
		if strings.Contains(st.cmd.ctl, "p") {
			m.paused = true
		}
		for _, tg := range st.targets {
			v := m.svc(tg.id)
			if v == nil || v.alive == gdNo || (!v.inScan && !strings.Contains(tg.arg, "attic")) {
				continue
			}
			if tg.log {
				for _, c := range []byte(st.cmd.ctl) {
					switch c {
					case 'u':
						v.logWant = 'u'
					case 'd', 'o':
						v.logWant = 'd'
					}
					switch c {
					case 'p':
						v.logPaused = true
					case 'c', 't', 'd', 'k':
						v.logPaused = false
					}
					v.note()
				}
				continue
			}
			if v.alive == gdUnknown {
				v.unknown()
				continue
			}
			for _, c := range []byte(st.cmd.ctl) {
				v.ctl(c)
			}
			if strings.Contains(st.cmd.ctl, "tc") {
				v.cRacy = true
			}
			if st.cmd.force && v.up == gdYes && (v.spec.kind == gdStubborn || v.spec.control('t') == 0 || v.spec.check == 2) {
				v.ctl('k') // the wait timed out: sv sends k
			}
			v.note()
		}
	case gdAdd:
		v := &gdSvc{spec: st.spec, name: st.name, inScan: true, downNow: st.spec.down}
		v.fresh()
		m.svcs = append(m.svcs, v)
		m.usedIDs[st.name] = true
	case gdRemove:
		v := m.svc(st.id)
		v.inScan = false
		v.exit(false)
	case gdRename:
		v := m.svc(st.id)
		v.name = st.name
		m.usedIDs[st.name] = true
	case gdReadd:
		v := m.svc(st.id)
		v.inScan = true
		v.fresh()
	case gdChmod:
		v := m.svc(st.id)
		v.spec.runExec = true
		if v.want == 'u' && v.alive == gdYes {
			v.started()
		}
	case gdDown:
		v := m.svc(st.id)
		v.downNow = !v.downNow
	case gdHup:
		m.hupped = true
		for _, v := range m.svcs {
			if v.inScan {
				v.exit(false)
			}
		}
	}
}

// gdGenerate makes the scenario of a seed.
func gdGenerate(seed int64) *gdScenario {
	r := rand.New(rand.NewSource(seed))
	sc := &gdScenario{seed: seed, classic: r.Intn(4) == 0, pflag: r.Intn(3) == 0, svInScan: r.Intn(3) == 0}
	switch r.Intn(6) {
	case 0, 1:
		sc.logArg = "log: " + strings.Repeat(".", 20+r.Intn(60))
	case 2:
		sc.logArg = "log" // under seven characters: a warning, and no log
	}
	for i, n := 0, 2+r.Intn(3); i < n; i++ {
		sc.services = append(sc.services, gdGenSpec(r, gdNames[i]))
	}
	m := newGdModel(sc)
	for i, n := 0, 10+r.Intn(16); i < n; i++ {
		st := gdGenStep(r, sc, m)
		if k := gdAvoid(m, st); k >= 0 {
			st = gdInstead(m, st, k)
		}
		m.apply(st)
		sc.steps = append(sc.steps, st)
	}
	// A last SIGHUP, which runsvdir passes on as TERM to each supervisor. Not after a pause
	// without -P: C runsvdir exits at once, and if a paused process is still stopped
	// then, the kernel sends SIGHUP to runsvdir's whole orphaned process group, which ends
	// C runsv (it does not catch SIGHUP) before or after it stopped its service: timing.
	if r.Intn(3) == 0 && (sc.pflag || !m.paused) && gdAvoid(m, gdStep{op: gdHup}) < 0 {
		sc.steps = append(sc.steps, gdStep{op: gdHup})
	}
	return sc
}

// gdAvoid returns the index in gdKnown of the first known difference the step would show,
// or -1. RUNIT_GENDIFF_KNOWN=show lets every step run, to see which differences are still
// there; show=control-k,svlogd-usr only those of the entries named.
func gdAvoid(m *gdModel, st gdStep) int {
	show := os.Getenv("RUNIT_GENDIFF_KNOWN")
	for i, k := range gdKnown {
		if !k.avoid(m, st) {
			continue
		}
		if show == "show" || slices.Contains(strings.Split(strings.TrimPrefix(show, "show="), ","), k.name) {
			return -1
		}
		return i
	}
	return -1
}

// gdInstead is the step run in place of one that would show known difference k: sv status
// of the same services.
func gdInstead(m *gdModel, st gdStep, k int) gdStep {
	was := fmt.Sprintf(" (instead of %q: known difference %s)", st.describe(), gdKnown[k].name)
	if st.op != gdSv {
		st.targets = nil
		if v := m.svc(st.id); v != nil && v.inScan {
			st.targets = []gdTarget{{arg: v.name, id: v.spec.id}}
		}
	}
	return gdStep{op: gdSv, cmd: gdCommand{word: "status"}, targets: st.targets,
		args: append([]string{"status"}, gdTargetArgs(st.targets)...), instead: was}
}

func gdTargetArgs(ts []gdTarget) []string {
	var a []string
	for _, t := range ts {
		a = append(a, t.arg)
	}
	return a
}

func gdGenSpec(r *rand.Rand, id string) gdSpec {
	s := gdSpec{id: id, runExec: r.Intn(7) != 0, finish: r.Intn(2) == 0, down: r.Intn(5) == 0,
		linked: r.Intn(4) == 0, log: []int{0, 0, 1, 2}[r.Intn(4)]}
	// Services that last are the common case; crash loops are fewer, as in life.
	s.kind = []gdKind{gdSleeper, gdSleeper, gdTrapper, gdTrapper, gdStubborn, gdStubborn, gdForker,
		gdExit0, gdExit1, gdCrash}[r.Intn(10)]
	if r.Intn(5) == 0 {
		s.check = 1 + r.Intn(2)
	}
	if r.Intn(4) == 0 {
		for _, c := range []byte("tdxkpchaiu12q") {
			if r.Intn(6) == 0 {
				s.controls += string(c) + string("01"[r.Intn(2)])
			}
		}
	}
	return s
}

func gdGenStep(r *rand.Rand, sc *gdScenario, m *gdModel) gdStep {
	var inScan, removed, notExec []*gdSvc
	for _, v := range m.svcs {
		switch {
		case v.inScan:
			inScan = append(inScan, v)
			if !v.spec.runExec {
				notExec = append(notExec, v)
			}
		case v.alive == gdNo:
			removed = append(removed, v)
		}
	}
	pick := func(vs []*gdSvc) *gdSvc { return vs[r.Intn(len(vs))] }
	newName := func() string {
		for _, n := range gdNames {
			if !m.usedIDs[n] {
				return n
			}
		}
		return ""
	}
	for {
		switch n := r.Intn(100); {
		case n < 6 && len(m.svcs) < 6 && newName() != "":
			name := newName()
			return gdStep{op: gdAdd, id: name, name: name, spec: gdGenSpec(r, name)}
		case n < 10 && len(inScan) > 1:
			// A service whose runsv cannot exit (./run ignores TERM) stays supervised
			// from attic/; it is not removed, so that it can be put back.
			v := pick(inScan)
			if v.alive != gdYes || (v.up != gdNo && !v.spec.diesOnTerm()) {
				continue
			}
			return gdStep{op: gdRemove, id: v.spec.id, name: v.name}
		case n < 13 && len(inScan) > 0 && newName() != "":
			v := pick(inScan)
			return gdStep{op: gdRename, id: v.spec.id, from: v.name, name: newName()}
		case n < 17 && len(removed) > 0:
			v := pick(removed)
			return gdStep{op: gdReadd, id: v.spec.id, name: v.name}
		case n < 24 && len(notExec) > 0:
			v := pick(notExec)
			return gdStep{op: gdChmod, id: v.spec.id, name: v.name}
		case n < 28 && len(inScan) > 0:
			v := pick(inScan)
			return gdStep{op: gdDown, id: v.spec.id, name: v.name}
		case n >= 28:
			return gdGenSv(r, sc, m, inScan)
		}
	}
}

func gdGenSv(r *rand.Rand, sc *gdScenario, m *gdModel, inScan []*gdSvc) gdStep {
	total := 0
	for _, c := range gdCommands {
		total += c.weight
	}
	n := r.Intn(total)
	var cmd gdCommand
	for _, c := range gdCommands {
		if n -= c.weight; n < 0 {
			cmd = c
			break
		}
	}
	st := gdStep{op: gdSv, cmd: cmd, waited: cmd.always}
	switch n := r.Intn(100); {
	case n < 35:
		st.args = []string{"-v"}
		st.waited = true
	case n < 55:
		st.args = []string{"-w", "1"}
		st.waited = true
	case n < 62:
		st.args = []string{"-w", "2"}
		st.waited = true
	case n < 64:
		st.args = []string{"-w", "0"}
		st.waited = true
	}
	st.args = append(st.args, cmd.word)
	for i, n := 0, 1+map[bool]int{true: 1}[r.Intn(12) == 0]; i < n; i++ {
		tg := gdGenTarget(r, sc, m, inScan)
		// A service named twice gets the control bytes twice: whether the second t finds
		// the first one's ./run or the restarted one is timing. status and check are fine.
		if i > 0 && cmd.ctl != "" && tg.id == st.targets[0].id && tg.log == st.targets[0].log {
			continue
		}
		st.targets = append(st.targets, tg)
	}
	st.args = append(st.args, gdTargetArgs(st.targets)...)
	return st
}

func gdGenTarget(r *rand.Rand, sc *gdScenario, m *gdModel, inScan []*gdSvc) gdTarget {
	n := r.Intn(100)
	if n < 4 || len(inScan) == 0 {
		return gdTarget{arg: "nosuch"}
	}
	if n < 8 {
		for _, v := range m.svcs {
			if !v.inScan && !v.spec.linked {
				rel := "attic/" + v.name
				if sc.svInScan {
					rel = "../" + rel
				}
				return gdTarget{arg: "./" + rel, id: v.spec.id}
			}
		}
	}
	v := inScan[r.Intn(len(inScan))]
	t := gdTarget{arg: v.name, id: v.spec.id}
	if v.spec.log != 0 && r.Intn(6) == 0 {
		t.arg, t.log = v.name+"/log", true
	}
	// Name forms sv resolves differently: bare (under $SVDIR), ./ and a trailing slash
	// (from the working directory), absolute (ROOT is the tree root).
	rel := t.arg
	if !sc.svInScan {
		rel = "scan/" + t.arg
	}
	switch n := r.Intn(100); {
	case n < 10:
		t.arg = "./" + rel
	case n < 18:
		t.arg = rel + "/"
	case n < 23:
		t.arg = "ROOT/scan/" + t.arg
	}
	return t
}
